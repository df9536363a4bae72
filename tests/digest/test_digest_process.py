"""The digest as cron runs it: real processes, a bare environment, overlapping runs."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
from pathlib import Path

from callwatch.digest.ledger import LEDGER_NAME, LOCK_NAME

from .conftest import PASSWORD_ENV, Env, Server
from .smtpd import PASSWORD

TWO = """
[[subscribers]]
to = "claire@example.org"

[[subscribers]]
to = "bob@example.org"
lang = "en"
"""

TIMEOUT = 120


def cron_env(home: Path, today: str) -> dict[str, str]:
    """What cron gives a job: no TTY, LANG=C, a minimal PATH, HOME; nothing from a profile."""
    return {
        "LANG": "C",
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "CALLWATCH_TODAY": today,
        PASSWORD_ENV: PASSWORD,
    }


def as_cron(args: list[str], home: Path, today: str) -> subprocess.CompletedProcess[bytes]:
    """Run callwatch the way cron does: from /, no terminal, the bare environment above."""
    return subprocess.run(
        [sys.executable, "-m", "callwatch", *args],
        env=cron_env(home, today),
        cwd="/",
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )


def test_cron_environment_default_paths_and_silence(env: Env, smtp: Server, tmp_path: Path) -> None:
    home = tmp_path / "home"
    config_dir = home / ".config" / "callwatch"
    config_dir.mkdir(parents=True)
    (config_dir / "calls.toml").write_text(env.calls.read_text(encoding="utf-8"), encoding="utf-8")
    env.config = config_dir / "config.toml"
    env.write_config(smtp.port)
    text = env.config.read_text(encoding="utf-8")
    env.config.write_text('data = ["calls.toml"]\n' + text, encoding="utf-8")

    first = as_cron(["digest"], home, "2019-03-04")
    assert first.returncode == 0, first.stderr
    assert first.stdout == b"" and first.stderr == b""
    [got] = smtp.handler.received
    # Babel writes French dates whatever the machine's locale (LANG=C here)
    assert got.message["Subject"] == "callwatch : 2 échéances — la plus proche le 15 mars 2019"
    assert (home / ".local" / "state" / "callwatch" / LEDGER_NAME).is_file()

    second = as_cron(["digest"], home, "2019-03-04")
    assert second.returncode == 0
    assert second.stdout == b"" and second.stderr == b""
    assert len(smtp.handler.received) == 1


def test_nothing_to_send_is_silent_under_cron(env: Env, smtp: Server, tmp_path: Path) -> None:
    env.write_calls(
        """
[[calls]]
id = "far-away"
title = "Lointain"
deadlines = [{ date = 2020-01-31 }]
"""
    )
    env.write_config(smtp.port)
    result = as_cron(env.args("2019-03-04"), tmp_path, "2019-03-04")
    assert result.returncode == 0
    assert result.stdout == b"" and result.stderr == b""
    assert smtp.handler.received == []


def test_two_digests_started_at_once_send_once(env: Env, smtp: Server) -> None:
    env.write_config(smtp.port, subscribers=TWO)
    hold = threading.Event()
    smtp.handler.hold = hold
    command = [sys.executable, "-m", "callwatch", *env.args("2019-03-04")]
    pipes = {"stdin": subprocess.DEVNULL, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    first = subprocess.Popen([*command, "--wait", "0"], **pipes)  # type: ignore[call-overload]
    try:
        # The first run holds the lock and is in the middle of sending to the server.
        assert smtp.handler.data_started.wait(TIMEOUT)
        impatient = subprocess.run(
            [*command, "--wait", "0"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
        assert impatient.returncode == 75
        assert impatient.stdout == b""
        lines = impatient.stderr.decode().splitlines()
        assert len(lines) == 1 and "another `callwatch digest` is running" in lines[0]
        patient = subprocess.Popen(command, **pipes)  # type: ignore[call-overload]
    finally:
        hold.set()
    out, err = first.communicate(timeout=TIMEOUT)
    assert first.returncode == 0, err
    out, err = patient.communicate(timeout=TIMEOUT)
    assert patient.returncode == 0, err
    assert out == b"" and err == b""
    recipients = sorted(r.rcpt_tos[0] for r in smtp.handler.received)
    assert recipients == ["bob@example.org", "claire@example.org"]


def test_lock_held_by_another_process_exits_75(env: Env, smtp: Server) -> None:
    env.write_config(smtp.port)
    env.state.mkdir()
    fd = os.open(env.state / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        result = env.digest("2019-03-04", "--wait", "0")
    finally:
        os.close(fd)
    assert result.exit_code == 75
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "lock held on" in result.stderr
    assert smtp.handler.received == []
    assert env.digest("2019-03-04").exit_code == 0  # released: the next run sends
    assert len(smtp.handler.received) == 1
