"""Shared fixtures: an isolated environment, a CLI runner, and calls files in tmp_path."""

from __future__ import annotations

import os
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from typer.testing import CliRunner, Result

from callwatch import i18n
from callwatch.cli import app

# Modules that load data at import time must not touch the developer's cache either;
# help texts are built at import in the language of the environment: English.
os.environ["CALLWATCH_LANG"] = "en"
os.environ["CALLWATCH_CACHE"] = tempfile.mkdtemp(prefix="callwatch-test-cache-")

ENV_VARS = (
    "CALLWATCH_DATA",
    "CALLWATCH_TODAY",
    "CALLWATCH_TZ",
    "CALLWATCH_LANG",
    "CALLWATCH_CONFIG",
    "CALLWATCH_STALE_DAYS",
    "CALLWATCH_CACHE",
    "CALLWATCH_TEAM",
    "NO_COLOR",
    "FORCE_COLOR",
    "LANG",
    "LC_ALL",
    "LC_MESSAGES",
    "TERM",
)


@pytest.fixture(autouse=True)
def _isolated_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """No test sees the developer's environment, clock, data, config, state or cache.

    The XDG directories live outside the test's own ``tmp_path``, so tests that
    check what a command left in a directory see only their own files.
    """
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CALLWATCH_LANG", "en")
    i18n.use("en")  # the language a previous in-process command chose does not leak
    # The repository's own callwatch.toml is not the test's: tests of the team file unset this.
    monkeypatch.setenv("CALLWATCH_TEAM", "none")
    xdg = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(xdg / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(xdg / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(xdg / "cache"))
    yield


@pytest.fixture(autouse=True)
def _no_team_territories() -> Iterator[None]:
    """The team's own territories are process-wide once a catalog is loaded: each test
    starts and ends without any."""
    from callwatch.domain import territories

    territories.set_teams(())
    yield
    territories.set_teams(())


Invoke = Callable[..., Result]


@pytest.fixture
def cli() -> Invoke:
    """Run callwatch in-process; ``cli("list", "--due", env={...})``."""
    runner = CliRunner()

    def run(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
        return runner.invoke(app, list(args), env=env, input=input, catch_exceptions=False)

    return run


WriteCalls = Callable[..., Path]


@pytest.fixture
def write_calls(tmp_path: Path) -> WriteCalls:
    """Write a calls file (dedented TOML) and return its path."""

    def write(text: str, name: str = "calls.toml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


# Timing-based health checks fail on a loaded CI machine; the properties do not depend on speed.
settings.register_profile("callwatch", deadline=None)
settings.load_profile("callwatch")


def subcommands(command: Any) -> list[tuple[str, Any]]:
    """A click group's commands, loaded as a user's invocation would load them."""
    from typer import _click as click

    if not hasattr(command, "list_commands"):
        return []
    ctx = click.Context(command)
    return [(name, command.get_command(ctx, name)) for name in sorted(command.list_commands(ctx))]
