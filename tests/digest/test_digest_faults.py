"""The digest's faults, reported truthfully and bounded (issue 13)."""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callwatch.cli.app import app
from callwatch.digest.ledger import LEDGER_NAME

from .conftest import Env, Server

THREE = """
[[subscribers]]
to = "claire@example.org"
[[subscribers]]
to = "bob@example.org"
[[subscribers]]
to = "ana@example.org"
"""


class SlowServer:
    """A 'mail server' on 127.0.0.1 that greets, then answers nothing (*trickle* False)
    or answers one byte every 0.1 s for ever (*trickle* True)."""

    def __init__(self, trickle: bool) -> None:
        self.trickle = trickle
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port: int = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._talk, args=(conn,), daemon=True).start()

    def _talk(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.sendall(b"220 slow.example ESMTP\r\n")
                conn.recv(1024)  # EHLO
                while self.trickle and not self.stop.wait(0.1):
                    conn.sendall(b"2")  # "250-..." one byte at a time, never a full line
                self.stop.wait(30)
            except OSError:
                return


@pytest.fixture
def slow() -> Iterator[SlowServer]:
    server = SlowServer(trickle=False)
    yield server
    server.stop.set()
    server.sock.close()


@pytest.fixture
def trickling() -> Iterator[SlowServer]:
    server = SlowServer(trickle=True)
    yield server
    server.stop.set()
    server.sock.close()


def set_timeout(env: Env, line: str) -> None:
    env.config.write_text(env.config.read_text().replace("timeout = 10", line), encoding="utf-8")


def test_a_timeout_is_called_a_timeout(env: Env, slow: SlowServer) -> None:
    env.write_config(slow.port, security="none", auth=False)
    set_timeout(env, "timeout = 0.5")
    result = env.digest("2019-03-04")
    assert result.exit_code == 75
    assert "timeout: the server took more than 0.5 s to answer" in result.stderr
    assert "closed the connection" not in result.stderr


def test_one_time_limit_per_run_stops_a_trickling_server_once_for_everyone(
    env: Env, trickling: SlowServer
) -> None:
    env.write_config(
        trickling.port,
        security="none",
        auth=False,
        extra_smtp="run_timeout = 1\n",
        subscribers=THREE,
    )
    set_timeout(env, "timeout = 5")
    result = env.digest("2019-03-04")
    assert result.exit_code == 75
    lines = result.stderr.splitlines()
    assert lines == [
        f"callwatch: claire@example.org, bob@example.org, ana@example.org: temporary failure, "
        f"will retry next run: 127.0.0.1:{trickling.port}: stopped after 1 s with the server "
        "(smtp.run_timeout); the rest is retried next run"
    ]
    assert trickling.connections == 1  # the others did not pay it again


def test_a_message_whose_reply_was_lost_is_resent_with_the_same_message_id(
    env: Env, smtp: Server
) -> None:
    env.write_config(smtp.port)
    smtp.handler.drop_for.add("claire@example.org")  # DATA taken, then the line dies
    assert env.digest("2019-03-04").exit_code == 75
    book = json.loads((env.state / LEDGER_NAME).read_text())
    pending = book["subscribers"]["claire@example.org"]["pending"]
    assert (
        pending["message_id"].startswith("<")
        and not book["subscribers"]["claire@example.org"]["messages"]
    )
    smtp.handler.drop_for.clear()
    assert env.digest("2019-03-04").exit_code == 0
    (received,) = smtp.handler.received
    assert received.message["Message-ID"] == pending["message_id"]
    after = json.loads((env.state / LEDGER_NAME).read_text())["subscribers"]["claire@example.org"]
    assert after["pending"] is None
    assert after["messages"][-1]["message_id"] == pending["message_id"]


def show(config: Path) -> object:
    return CliRunner().invoke(app, ["config", "show", "--config", str(config)])


def test_a_bad_ca_file_is_a_config_error_found_by_config_show(env: Env, smtp: Server) -> None:
    env.ca_file.write_text("not a certificate\n", encoding="utf-8")
    env.write_config(smtp.port)
    result = env.digest("2019-03-04")
    assert result.exit_code == 78
    assert len(result.stderr.splitlines()) == 1
    assert "not a PEM certificate file" in result.stderr
    shown = show(env.config)
    assert shown.exit_code == 78  # type: ignore[attr-defined]
    assert "not a PEM certificate file" in shown.stderr  # type: ignore[attr-defined]


def test_a_missing_data_path_is_a_config_error_found_by_config_show(env: Env, smtp: Server) -> None:
    env.write_config(smtp.port)
    env.config.write_text('data = ["nowhere/"]\n' + env.config.read_text(), encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["--today", "2019-03-04", "digest", "--config", str(env.config), "--state", str(env.state)],
    )
    assert result.exit_code == 78
    assert result.stderr == (
        f"callwatch: {env.config}:1: no such file or directory: {env.config.parent / 'nowhere'}\n"
    )
    shown = show(env.config)
    assert shown.exit_code == 78  # type: ignore[attr-defined]
    assert "no such file or directory" in shown.stderr  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", ["directory", "fifo"])
def test_an_unreadable_config_is_one_line_and_78(env: Env, kind: str) -> None:
    if kind == "directory":
        env.config.mkdir()
    else:
        os.mkfifo(env.config)
    result = env.digest("2019-03-04")
    assert result.exit_code == 78
    assert len(result.stderr.splitlines()) == 1
    assert "Usage" not in result.output
    assert show(env.config).exit_code == 78  # type: ignore[attr-defined]


def test_a_state_dir_that_cannot_be_written_sends_nothing(env: Env, smtp: Server) -> None:
    env.write_config(smtp.port)
    blocker = env.root / "blocker"
    blocker.write_text("")
    env.state = blocker / "state"
    result = env.digest("2019-03-04")
    assert result.exit_code == 73
    assert len(result.stderr.splitlines()) == 1
    assert smtp.handler.received == []


def test_a_ledger_that_cannot_be_replaced_sends_nothing(env: Env, smtp: Server) -> None:
    env.write_config(smtp.port)
    (env.state / LEDGER_NAME).mkdir(parents=True)  # not a file: never replaced
    result = env.digest("2019-03-04")
    assert result.exit_code in (65, 73)
    assert smtp.handler.received == []


def test_no_temporary_file_is_left_and_stale_ones_are_swept(env: Env, smtp: Server) -> None:
    env.write_config(smtp.port, subscribers=THREE)
    env.state.mkdir()
    stale = env.state / f".{LEDGER_NAME}.killed01.tmp"
    stale.write_text("{half")
    os.utime(stale, (0, 0))  # from a run killed long ago
    assert env.digest("2019-03-04").exit_code == 0
    assert sorted(p.name for p in env.state.iterdir()) == ["ledger.json", "ledger.lock"]


def test_a_hostname_mismatch_points_at_the_host_not_at_ca_file() -> None:
    import ssl

    from callwatch.digest.send import classify

    mismatch = ssl.SSLCertVerificationError("certificate verify failed")
    mismatch.verify_message = "Hostname mismatch, certificate is not valid for 'mail.example'."
    found = classify(mismatch, "mail.example:587", connecting=True)
    assert not found.temporary
    assert "check smtp.host" in found.message and "ca_file" not in found.message
    unknown = ssl.SSLCertVerificationError("certificate verify failed")
    unknown.verify_message = "unable to get local issuer certificate"
    assert "set smtp.ca_file" in classify(unknown, "mail.example:587", connecting=True).message


def test_a_timeout_behind_a_closed_connection_is_named_a_timeout() -> None:
    import smtplib

    from callwatch.digest.send import classify

    try:
        try:
            raise TimeoutError("timed out")
        except TimeoutError as exc:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed") from exc
    except smtplib.SMTPServerDisconnected as exc:
        found = classify(exc, "mail.example:587", connecting=False, timeout=30)
    assert found.temporary
    assert found.message == (
        "mail.example:587: timeout: the server took more than 30 s to answer (smtp.timeout)"
    )
