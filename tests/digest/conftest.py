"""Fixtures for the digest tests: a real SMTP server, calls files, config files, the CLI."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import trustme
from typer.testing import CliRunner

import callwatch.cli  # noqa: F401 - registers the commands on the app
from callwatch.cli.app import app

from . import smtpd

PASSWORD_ENV = "CW_TEST_SMTP_PASSWORD"

CALLS = """\
[[calls]]
id = "coop-circuits-courts"
title = "Coopération pour les circuits courts"
territory = ["FR-ARA"]
beneficiaries = ["legal_person", "farmer"]
themes = ["circuits courts"]
funders = ["FEADER"]
url = "https://example.org/appels/16-4"
sources = ["Note de ressources « coopération »"]
deadlines = [
  { date = 2019-03-15, label = "1re session" },
  { date = 2019-05-29, label = "2e session" },
]

[[calls]]
id = "eu-topic"
title = "Horizon topic"
territory = ["FR"]
deadlines = [{ date = 2019-04-02, time = 17:00:00, timezone = "Europe/Brussels" }]
"""


@dataclass
class Server:
    handler: smtpd.Handler
    port: int
    mode: str


@dataclass
class Env:
    """One test's world: calls, config and state directory in tmp_path."""

    root: Path
    ca_file: Path
    calls: Path
    config: Path
    state: Path

    def write_calls(self, text: str) -> None:
        self.calls.write_text(text, encoding="utf-8")

    def write_config(
        self,
        port: int,
        *,
        security: str = "starttls",
        subscribers: str | None = None,
        auth: bool = True,
        extra_smtp: str = "",
    ) -> None:
        login = f'username = "{smtpd.USER}"\npassword_env = "{PASSWORD_ENV}"\n' if auth else ""
        subs = subscribers or 'to = "claire@example.org"\nname = "Claire"\n'
        if not subs.lstrip().startswith("[[subscribers]]"):
            subs = "[[subscribers]]\n" + subs
        self.config.write_text(
            f"""
[smtp]
host = "127.0.0.1"
port = {port}
security = "{security}"
from = "callwatch@example.org"
timeout = 10
ca_file = "{self.ca_file}"
{login}{extra_smtp}
{subs}
""",
            encoding="utf-8",
        )

    def args(self, today: str, *more: str) -> list[str]:
        return [
            "--today",
            today,
            "digest",
            "--config",
            str(self.config),
            "--state",
            str(self.state),
            "--data",
            str(self.calls),
            *more,
        ]

    def digest(self, today: str, *more: str) -> Any:
        return CliRunner().invoke(app, self.args(today, *more))


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="session")
def server_tls(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@pytest.fixture
def env(tmp_path: Path, ca: trustme.CA, monkeypatch: pytest.MonkeyPatch) -> Env:
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    monkeypatch.setenv(PASSWORD_ENV, smtpd.PASSWORD)
    for var in ("CALLWATCH_TODAY", "CALLWATCH_DATA", "CALLWATCH_CONFIG", "CALLWATCH_STATE"):
        monkeypatch.delenv(var, raising=False)
    world = Env(
        tmp_path, ca_file, tmp_path / "calls.toml", tmp_path / "config.toml", tmp_path / "state"
    )
    world.write_calls(CALLS)
    return world


def _serve(handler: smtpd.Handler, tls: ssl.SSLContext, mode: str) -> Iterator[Server]:
    controller = smtpd.start(handler, tls, mode)
    try:
        yield Server(handler, int(controller.port), mode)
    finally:
        if handler.hold is not None:
            handler.hold.set()
        controller.stop()


@pytest.fixture
def smtp(server_tls: ssl.SSLContext) -> Iterator[Server]:
    """STARTTLS required, AUTH required (only over TLS)."""
    yield from _serve(smtpd.Handler(), server_tls, "starttls")


@pytest.fixture
def smtp_ssl(server_tls: ssl.SSLContext) -> Iterator[Server]:
    """Implicit TLS (as on port 465), AUTH required."""
    yield from _serve(smtpd.Handler(), server_tls, "ssl")


@pytest.fixture
def smtp_plain(server_tls: ssl.SSLContext) -> Iterator[Server]:
    """No TLS, no AUTH (a local relay)."""
    yield from _serve(smtpd.Handler(), server_tls, "none")
