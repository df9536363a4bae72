"""End to end against a real SMTP server (STARTTLS, a trustme CA, AUTH)."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from callwatch.digest.ledger import LEDGER_NAME

from .conftest import Env, Server
from .smtpd import Received

TWO = """
[[subscribers]]
to = "claire@example.org"
name = "Claire"

[[subscribers]]
to = "bob@example.org"
lang = "en"
"""


def parts(received: Received) -> tuple[str, str]:
    msg = received.message
    assert msg.get_content_type() == "multipart/alternative"
    text = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    crlf = "\r\n"  # SMTP carries CRLF line ends
    return text.get_content().replace(crlf, "\n"), html.get_content().replace(crlf, "\n")


def ledger(env: Env) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((env.state / LEDGER_NAME).read_text())
    return data


def recorded(env: Env, address: str) -> bool:
    """Was a message to *address* recorded as sent? (A pending Message-ID is not.)"""
    if not (env.state / LEDGER_NAME).exists():
        return False
    state = ledger(env)["subscribers"].get(address)
    return bool(state and state["messages"])


def test_first_digest_is_received_and_parsed(env: Env, smtp: Server) -> None:
    env.write_config(smtp.port)
    result = env.digest("2019-03-04")
    assert result.exit_code == 0, result.output
    assert result.output == ""  # cron mails any output: success is silent
    [got] = smtp.handler.received
    assert got.rcpt_tos == ["claire@example.org"]
    assert got.mail_from == "callwatch@example.org"
    msg = got.message
    # two deadlines within 30 days of 4 March: 15 March (coop) and 2 April (EU topic)
    assert msg["Subject"] == "callwatch : 2 échéances — la plus proche le 15 mars 2019"
    assert msg["To"] == "Claire <claire@example.org>"
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg["Message-ID"].endswith("@example.org>")
    assert msg["Date"] == "Mon, 04 Mar 2019 00:00:00 +0100"
    text, html = parts(got)
    assert "vendredi 15 mars 2019" in text and "J-11" in text
    assert "Cette semaine" not in text  # 15 March is next week
    assert "Ce mois-ci" in text and "Plus tard" in text  # 2 April is next month
    # the EU deadline keeps its own time and zone
    assert "mardi 2 avril 2019, 17:00 (Europe/Brussels)" in text
    assert '<a href="https://example.org/appels/16-4">' in html
    assert "premier envoi" in text  # a baseline: nothing announced as new
    assert "Nouveaux appels" not in text
    assert "claire@example.org" in ledger(env)["subscribers"]


def test_second_run_sends_nothing(env: Env, smtp: Server) -> None:
    env.write_config(smtp.port)
    assert env.digest("2019-03-04").exit_code == 0
    again = env.digest("2019-03-04")
    assert again.exit_code == 0 and again.output == ""
    later = env.digest("2019-03-05")  # nothing new the next day either
    assert later.exit_code == 0 and later.output == ""
    assert len(smtp.handler.received) == 1


def test_reminder_on_its_day_then_never_again(env: Env, smtp: Server) -> None:
    env.write_config(smtp.port)
    env.digest("2019-03-04")
    assert env.digest("2019-03-08").exit_code == 0  # J-7 of 15 March
    assert len(smtp.handler.received) == 2
    text, _ = parts(smtp.handler.received[1])
    assert "RAPPELS" in text and "J-7 — Coopération pour les circuits courts" in text
    assert "en retard" not in text
    env.digest("2019-03-08")
    env.digest("2019-03-09")
    assert len(smtp.handler.received) == 2
    book = ledger(env)["subscribers"]["claire@example.org"]
    sent = book["reminders"]["coop-circuits-courts|2019-03-15|7"]
    assert sent["status"] == "sent" and sent["due"] == "2019-03-08" and sent["late"] is False


def test_missed_reminder_is_sent_late_once_and_says_so(env: Env, smtp: Server) -> None:
    env.write_config(smtp.port)
    env.digest("2019-03-04")
    # the machine was off from 5 to 10 March: J-7 (8 March) was missed
    assert env.digest("2019-03-11").exit_code == 0
    text, html = parts(smtp.handler.received[-1])
    # one J-number, the real one (4 days left), marked as urgent: it is late
    assert "⚠ J-4 — Coopération" in text and "J-7" not in text.split("RAPPELS")[1][:200]
    assert "Rappel prévu le vendredi 8 mars 2019, envoyé en retard." in text
    assert "envoyé en retard" in html
    env.digest("2019-03-12")
    assert len(smtp.handler.received) == 2


def test_several_missed_offsets_send_only_the_most_urgent(env: Env, smtp: Server) -> None:
    env.write_config(smtp.port)
    env.digest("2019-02-11")  # baseline, 32 days before 15 March
    assert env.digest("2019-03-15").exit_code == 0  # J-30, J-7 and J-1 all missed
    text, _ = parts(smtp.handler.received[-1])
    assert "⚠ aujourd'hui — Coopération" in text  # the deadline day: no J-number to misread
    assert "J-7 — Coopération" not in text and "J-30 — Coopération" not in text
    book = ledger(env)["subscribers"]["claire@example.org"]
    statuses = {k: v["status"] for k, v in book["reminders"].items()}
    assert statuses["coop-circuits-courts|2019-03-15|1"] == "sent"
    assert statuses["coop-circuits-courts|2019-03-15|7"] == "superseded"
    assert statuses["coop-circuits-courts|2019-03-15|30"] == "superseded"


def test_english_digest_uses_english_dates(env: Env, smtp: Server) -> None:
    env.write_config(smtp.port, subscribers='to = "bob@example.org"\nlang = "en"\n')
    assert env.digest("2019-03-04").exit_code == 0
    msg = smtp.handler.received[0].message
    assert msg["Subject"] == "callwatch: 2 deadlines — nearest on 15 March 2019"
    text, _ = parts(smtp.handler.received[0])
    assert "Friday, 15 March 2019 — D-11" in text and "Hello," in text


def test_hostile_title_is_escaped_and_kept_out_of_headers(env: Env, smtp: Server) -> None:
    env.write_calls(
        """
[[calls]]
id = "evil"
title = "<script>alert(1)</script> [bold]gras[/bold]\\nBcc: victim@example.org \\u001b[31m"
deadlines = [{ date = 2019-03-20 }]
"""
    )
    env.write_config(smtp.port)
    assert env.digest("2019-03-04").exit_code == 0
    got = smtp.handler.received[0]
    msg = got.message
    assert msg["Bcc"] is None
    assert got.rcpt_tos == ["claire@example.org"]
    assert all("\n" not in str(v) and "\x1b" not in str(v) for v in msg.values())
    text, html = parts(got)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; [bold]gras[/bold] Bcc: victim@example.org" in html
    assert "<script>alert(1)</script> [bold]gras[/bold] Bcc: victim@example.org" in text
    assert "\x1b" not in text and "\x1b" not in html


def test_temporary_failure_for_one_subscriber_is_retried(env: Env, smtp: Server) -> None:
    env.write_config(smtp.port, subscribers=TWO)
    smtp.handler.rcpt_replies["bob@example.org"] = "451 4.3.0 Try again later"
    result = env.digest("2019-03-04")
    assert result.exit_code == 75
    assert "bob@example.org: temporary failure, will retry next run" in result.stderr
    assert "451" in result.stderr
    assert [r.rcpt_tos for r in smtp.handler.received] == [["claire@example.org"]]
    assert not recorded(env, "bob@example.org")

    del smtp.handler.rcpt_replies["bob@example.org"]
    retry = env.digest("2019-03-04")
    assert retry.exit_code == 0 and retry.output == ""
    assert [r.rcpt_tos for r in smtp.handler.received] == [
        ["claire@example.org"],
        ["bob@example.org"],
    ]


def test_permanent_failure_exits_1_and_is_not_recorded(env: Env, smtp: Server) -> None:
    env.write_config(smtp.port, subscribers=TWO)
    smtp.handler.rcpt_replies["claire@example.org"] = "550 5.1.1 No such user"
    result = env.digest("2019-03-04")
    assert result.exit_code == 1
    assert "claire@example.org: failed:" in result.stderr and "550" in result.stderr
    assert [r.rcpt_tos for r in smtp.handler.received] == [["bob@example.org"]]
    assert recorded(env, "bob@example.org") and not recorded(env, "claire@example.org")


def test_4xx_and_5xx_after_data(env: Env, smtp: Server) -> None:
    env.write_config(smtp.port)
    smtp.handler.data_replies["claire@example.org"] = "452 4.3.1 Insufficient storage"
    assert env.digest("2019-03-04").exit_code == 75
    smtp.handler.data_replies["claire@example.org"] = "554 5.7.1 Rejected as spam"
    failed = env.digest("2019-03-04")
    assert failed.exit_code == 1 and "554" in failed.stderr
    assert not recorded(env, "claire@example.org")
    del smtp.handler.data_replies["claire@example.org"]
    assert env.digest("2019-03-04").exit_code == 0
    assert len(smtp.handler.received) == 1


def test_connection_dropped_mid_message_is_temporary(env: Env, smtp: Server) -> None:
    env.write_config(smtp.port, subscribers=TWO)
    smtp.handler.drop_for.add("claire@example.org")
    result = env.digest("2019-03-04")
    assert result.exit_code == 75
    assert "claire@example.org: temporary failure" in result.stderr
    assert "closed the connection" in result.stderr
    # the other subscriber still got theirs, on a fresh connection
    assert [r.rcpt_tos for r in smtp.handler.received] == [["bob@example.org"]]
    smtp.handler.drop_for.clear()
    assert env.digest("2019-03-04").exit_code == 0
    assert [r.rcpt_tos for r in smtp.handler.received][-1] == ["claire@example.org"]
    assert len(smtp.handler.received) == 2


def test_wrong_password_is_permanent(
    env: Env, smtp: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    env.write_config(smtp.port)
    monkeypatch.setenv("CW_TEST_SMTP_PASSWORD", "wrong")
    result = env.digest("2019-03-04")
    assert result.exit_code == 1
    assert "login refused" in result.stderr and "535" in result.stderr
    assert "wrong" not in result.output  # the password is never shown
    assert smtp.handler.received == []


def test_untrusted_certificate_is_refused(env: Env, smtp: Server) -> None:
    env.write_config(smtp.port)
    env.config.write_text(
        env.config.read_text().replace(f'ca_file = "{env.ca_file}"', ""), encoding="utf-8"
    )
    result = env.digest("2019-03-04")
    assert result.exit_code == 1
    assert "certificate is not trusted" in result.stderr and "ca_file" in result.stderr
    assert smtp.handler.received == []


def test_server_down_is_temporary_for_everyone(env: Env) -> None:
    from .smtpd import free_port

    env.write_config(free_port(), subscribers=TWO)
    result = env.digest("2019-03-04")
    assert result.exit_code == 75
    lines = result.stderr.splitlines()
    assert len(lines) == 1  # one connection failure, one line for everyone it stopped
    assert lines[0].startswith("callwatch: claire@example.org, bob@example.org: temporary failure")
    assert "cannot connect" in lines[0]
    assert not recorded(env, "claire@example.org") and not recorded(env, "bob@example.org")


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_implicit_tls(env: Env, smtp_ssl: Server) -> None:
    env.write_config(smtp_ssl.port, security="ssl")
    assert env.digest("2019-03-04").exit_code == 0
    assert len(smtp_ssl.handler.received) == 1


def test_plain_local_relay(env: Env, smtp_plain: Server) -> None:
    env.write_config(smtp_plain.port, security="none", auth=False)
    assert env.digest("2019-03-04").exit_code == 0
    assert len(smtp_plain.handler.received) == 1


def test_starttls_is_required_by_default(env: Env, smtp_plain: Server) -> None:
    env.write_config(smtp_plain.port, auth=False)  # security = "starttls", server offers none
    result = env.digest("2019-03-04")
    assert result.exit_code == 1
    assert "does not offer STARTTLS" in result.stderr
    assert smtp_plain.handler.received == []


def test_test_message(env: Env, smtp: Server) -> None:
    env.write_config(smtp.port, subscribers=TWO)
    result = env.digest("2019-03-04", "--test")
    assert result.exit_code == 0
    assert "test message sent to claire@example.org" in result.stderr
    [got] = smtp.handler.received
    assert got.message["Subject"] == "callwatch : message de test"
    assert not (env.state / LEDGER_NAME).exists()  # --test records nothing
    other = env.digest("2019-03-04", "--test", "--to", "someone@example.net")
    assert other.exit_code == 0
    assert smtp.handler.received[-1].rcpt_tos == ["someone@example.net"]
    assert smtp.handler.received[-1].message["Subject"] == "callwatch : message de test"


def test_test_message_reports_failure(env: Env, smtp: Server) -> None:
    env.write_config(smtp.port)
    smtp.handler.rcpt_replies["claire@example.org"] = "550 5.1.1 No such user"
    result = env.digest("2019-03-04", "--test")
    assert result.exit_code == 1 and "550" in result.stderr


def test_data_hold_fixture_lets_go(env: Env, smtp: Server) -> None:
    """The hold used by the concurrency test really holds, and lets go."""
    env.write_config(smtp.port)
    smtp.handler.hold = threading.Event()
    smtp.handler.hold.set()
    assert env.digest("2019-03-04").exit_code == 0
    assert smtp.handler.data_started.is_set()


def test_new_and_changed_calls_reach_the_reader(env: Env, smtp: Server) -> None:
    from .conftest import CALLS

    env.write_config(smtp.port)
    env.digest("2019-03-04")
    env.write_calls(
        CALLS.replace("2019-03-15, label", "2019-03-22, label")
        + '\n[[calls]]\nid = "nouveau"\ntitle = "Un appel tout neuf"\nongoing = true\n'
    )
    assert env.digest("2019-03-05").exit_code == 0
    text, html = parts(smtp.handler.received[-1])
    assert "NOUVEAUX APPELS\n\n- Un appel tout neuf (nouveau)\n  Appel permanent" in text
    assert "APPELS MODIFIÉS" in text
    assert "Date limite déplacée : 15 mars 2019 → 22 mars 2019" in text
    assert "<h2>Appels modifiés</h2>" in html
    assert env.digest("2019-03-05").output == ""  # told once
    assert len(smtp.handler.received) == 2


def test_a_broken_calls_file_does_not_stop_the_others(env: Env, smtp: Server) -> None:
    calls_dir = env.root / "calls"
    calls_dir.mkdir()
    (calls_dir / "good.toml").write_text(env.calls.read_text(encoding="utf-8"), encoding="utf-8")
    (calls_dir / "bad.toml").write_text("[[calls]]\nid = \n", encoding="utf-8")
    env.calls = calls_dir
    env.write_config(smtp.port)
    result = env.digest("2019-03-04")
    assert result.exit_code == 65
    assert f"{calls_dir / 'bad.toml'}:2: invalid TOML" in result.stderr
    assert len(smtp.handler.received) == 1
