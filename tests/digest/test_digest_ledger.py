"""The ledger on disk, and the delivery modes that do or do not write it."""

from __future__ import annotations

import io
import json
import mailbox
import stat
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from callwatch.digest import ledger

from .conftest import Env, Server

LEDGER = ledger.LEDGER_NAME


def test_missing_ledger_is_a_fresh_start_with_a_baseline(env: Env, smtp: Server) -> None:
    env.write_config(smtp.port)
    assert not env.state.exists()
    assert env.digest("2019-03-11").exit_code == 0
    text = smtp.handler.received[0].message.get_body(("plain",))
    assert text is not None
    body = text.get_content()
    # J-7 of 15 March was due on 8 March, before this reader's first digest: not owed
    assert "RAPPELS" not in body and "premier envoi" in body
    saved = json.loads((env.state / LEDGER).read_text())
    assert saved["schema"] == ledger.SCHEMA
    assert saved["subscribers"]["claire@example.org"]["since"] == "2019-03-11"


def test_ledger_is_private_and_no_temporary_file_is_left(env: Env, smtp: Server) -> None:
    env.write_config(smtp.port)
    env.digest("2019-03-04")
    assert stat.S_IMODE((env.state / LEDGER).stat().st_mode) == 0o600
    assert sorted(p.name for p in env.state.iterdir()) == [LEDGER, ledger.LOCK_NAME]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"schema": "callwatch.ledger/1", "subscribers": {', "not valid JSON"),
        ("", "not valid JSON"),
        ('{"schema": "callwatch.ledger/9", "subscribers": {}}', "'callwatch.ledger/9'"),
        ('["not", "a", "ledger"]', "no schema key"),
        (
            '{"schema": "callwatch.ledger/1", "subscribers": {"a@b.c": {"since": "hier"}}}',
            "subscribers.a@b.c.since",
        ),
    ],
)
def test_corrupt_ledger_is_a_clear_error(
    env: Env, smtp: Server, content: str, expected: str
) -> None:
    env.write_config(smtp.port)
    env.state.mkdir()
    (env.state / LEDGER).write_text(content, encoding="utf-8")
    result = env.digest("2019-03-04")
    assert result.exit_code == 65
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert str(env.state / LEDGER) in line and expected in line
    assert "move it aside" in line
    assert "Traceback" not in result.output
    assert smtp.handler.received == []
    assert (env.state / LEDGER).read_text(encoding="utf-8") == content  # never reset silently


def test_dry_run_changes_nothing(env: Env, smtp: Server) -> None:
    env.write_config(smtp.port)
    result = env.digest("2019-03-04", "--dry-run")
    assert result.exit_code == 0
    assert result.stdout == (
        "claire@example.org: would send “callwatch : 2 échéances — la plus proche le "
        "15 mars 2019” (0 reminders, 0 new or changed, 2 deadlines)\n"
    )
    assert smtp.handler.received == []
    assert not env.state.exists()
    env.digest("2019-03-04")
    before = (env.state / LEDGER).read_bytes()
    assert env.digest("2019-03-08", "--dry-run").stdout.count("(1 reminder, ") == 1
    assert (env.state / LEDGER).read_bytes() == before
    assert len(smtp.handler.received) == 1


def test_dry_run_does_not_need_the_password(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    env.write_config(1)
    monkeypatch.delenv("CW_TEST_SMTP_PASSWORD")
    assert env.digest("2019-03-04", "--dry-run").exit_code == 0
    result = env.digest("2019-03-04")
    assert result.exit_code == 78 and "CW_TEST_SMTP_PASSWORD is not set" in result.stderr


def test_to_dir_writes_eml_files_and_records_them(env: Env) -> None:
    env.write_config(1)  # no server: --to-dir never connects
    outbox = env.root / "outbox"
    assert env.digest("2019-03-04", "--to-dir", str(outbox)).exit_code == 0
    [eml] = sorted(outbox.glob("*.eml"))
    assert eml.name.startswith("20190304T000000-claire@example.org-")
    assert stat.S_IMODE(eml.stat().st_mode) == 0o600
    msg = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    assert msg["To"] == "Claire <claire@example.org>"
    assert msg.get_content_type() == "multipart/alternative"
    assert env.digest("2019-03-04", "--to-dir", str(outbox)).exit_code == 0
    assert len(list(outbox.glob("*.eml"))) == 1  # recorded: not written twice
    saved = json.loads((env.state / LEDGER).read_text())
    assert saved["subscribers"]["claire@example.org"]["messages"][0]["via"] == "eml"


def test_dry_run_to_dir_writes_files_but_records_nothing(env: Env) -> None:
    env.write_config(1)
    outbox = env.root / "outbox"
    assert env.digest("2019-03-04", "--dry-run", "--to-dir", str(outbox)).exit_code == 0
    assert len(list(outbox.glob("*.eml"))) == 1
    assert not env.state.exists()


def test_stdout_prints_an_mbox(env: Env, tmp_path: Path) -> None:
    two = '[[subscribers]]\nto = "a@example.org"\n[[subscribers]]\nto = "b@example.org"\n'
    env.write_config(1, subscribers=two)
    result = env.digest("2019-03-04", "--stdout")
    assert result.exit_code == 0 and result.stderr == ""
    box_file = tmp_path / "out.mbox"
    box_file.write_bytes(result.stdout_bytes)
    box = mailbox.mbox(str(box_file))
    recipients = [m["To"] for m in box]
    assert recipients == ["a@example.org", "b@example.org"]
    again = env.digest("2019-03-04", "--stdout")  # --stdout is a delivery: recorded
    assert again.exit_code == 0 and again.stdout == ""


def test_stdout_and_to_dir_are_exclusive(env: Env) -> None:
    env.write_config(1)
    result = env.digest("2019-03-04", "--stdout", "--to-dir", "x")
    assert result.exit_code == 2 and "cannot be used together" in result.stderr


def test_ledger_round_trip_keeps_everything(tmp_path: Path) -> None:
    from datetime import date

    book = ledger.Ledger(tmp_path)
    state = ledger.SubscriberState(
        since=date(2019, 3, 4),
        calls={
            "c": ledger.CallRecord(
                fp="abc",
                first_seen=date(2019, 3, 4),
                title="T",
                rounds={"2019-03-15": date(2019, 3, 4)},
            )
        },
        reminders={"c|2019-03-15|7": ledger.ReminderRecord("sent", date(2019, 3, 8), "x", False)},
        listed={"c|2019-03-15": date(2019, 3, 4)},
    )
    book.put("a@b.c", state)
    book.save()
    loaded = ledger.load(tmp_path)
    assert loaded.state("a@b.c") == state
    assert loaded.state("other@b.c") == ledger.SubscriberState()


def test_unwritable_ledger_is_reported(env: Env, smtp: Server) -> None:
    env.write_config(smtp.port)
    env.state.mkdir()
    (env.state / LEDGER).mkdir()  # a directory where the file should be: cannot be read
    result = env.digest("2019-03-04")
    assert result.exit_code == 65
    assert "cannot read the ledger" in result.stderr
    assert smtp.handler.received == []


def test_verbose_says_what_was_sent(env: Env, smtp: Server) -> None:
    env.write_config(smtp.port)
    result = env.digest("2019-03-04", "-v")
    assert result.exit_code == 0
    assert result.stderr == f"callwatch: claire@example.org: sent (smtp 127.0.0.1:{smtp.port})\n"


def test_stdout_stream_is_bytes(env: Env) -> None:
    from callwatch.digest.send import StdoutTransport

    sink = io.BytesIO()
    env.write_config(1)
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from callwatch.digest.compose import compose_test
    from callwatch.services.config import load_config

    cfg = load_config(env.config)
    msg = compose_test(
        cfg.smtp, "x@example.org", None, "en", datetime(2019, 3, 4, tzinfo=ZoneInfo("UTC"))
    )
    StdoutTransport(sink).send(msg, "x@example.org")
    assert sink.getvalue().startswith(b"From callwatch Mon Mar 04 00:00:00 2019\n")
