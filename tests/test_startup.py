"""Start-up: every --help is fast (loads nothing heavy) and ends with examples; `python -m
callwatch` works."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
import typer

from callwatch import __version__
from callwatch.cli import app
from tests.conftest import Invoke, subcommands

# Everything --help must not load: validation, calendars, mail, dates, TOML writers, codes, Rich.
HEAVY = (
    "pydantic",
    "icalendar",
    "smtplib",
    "email.mime",
    "babel",
    "tomlkit",
    "tomli_w",
    "pycountry",
    "rich",
    "jsonschema",
    "callwatch.domain.territories",  # and its table of 35,000 communes
    "httpx",
)

PROBE = """
import sys
from callwatch.cli import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
print("LOADED:" + ",".join(m for m in {heavy!r} if m in sys.modules))
"""


def command_paths(command: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and group of the tool, the tool itself first."""
    found = [path]
    for name, sub in subcommands(command):
        found += command_paths(sub, (*path, name))
    return found


COMMANDS = command_paths(typer.main.get_command(app))


def test_every_command_is_walked() -> None:
    names = {path[0] for path in COMMANDS if path}
    assert names >= {"list", "show", "validate", "check", "init", "digest", "config"}
    assert names >= {"export", "import", "add", "schema", "territory", "fetch"}
    assert ("config", "show") in COMMANDS and ("import", "eu-portal") in COMMANDS


def loaded_after(*args: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = out.splitlines()[-1]
    assert line.startswith("LOADED:"), out
    return [m for m in line.removeprefix("LOADED:").split(",") if m]


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "callwatch")
def test_help_imports_nothing_heavy(path: tuple[str, ...]) -> None:
    assert loaded_after(*path, "--help") == []


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "callwatch")
def test_help_ends_with_examples(cli: Invoke, path: tuple[str, ...]) -> None:
    result = cli(*path, "--help")
    assert result.exit_code == 0
    epilog = result.stdout[result.stdout.rindex("\n  Examples:") :]
    examples = [line for line in epilog.splitlines() if line.strip().startswith("callwatch ")]
    assert examples, "no example"
    for section in ("Usage:", "Options:", "Commands:", "Arguments:"):
        assert section not in epilog  # the examples close the help


def test_version_and_module_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "callwatch", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == f"callwatch {__version__}"


def test_unknown_option_is_a_usage_error(cli: Invoke) -> None:
    result = cli("list", "--frobnicate")
    assert result.exit_code == 2
    assert "No such option: --frobnicate" in result.stderr
    assert "Traceback" not in result.output
