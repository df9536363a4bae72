"""The message itself: parts, headers, escaping, Babel dates, subjects."""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import date
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from hypothesis import given, settings
from hypothesis import strategies as st

from callwatch.digest.compose import change_text, compose, full_date, long_date, subject
from callwatch.digest.config import Smtp, Subscriber
from callwatch.digest.content import Change, plan, updated_state
from callwatch.digest.ledger import MessageRecord, SubscriberState
from callwatch.domain.clock import make_clock
from callwatch.domain.model import Call, Round
from callwatch.domain.text import clean

SMTP = Smtp(host="smtp.example.org", port=587, security="starttls", sender="cw@example.org")
CLAIRE = Subscriber(to="claire@example.org", name="Claire")


def reparse(msg: EmailMessage) -> EmailMessage:
    parsed = BytesParser(policy=policy.default).parsebytes(bytes(msg))
    assert isinstance(parsed, EmailMessage)
    return parsed


def bodies(msg: EmailMessage) -> tuple[str, str]:
    text, page = msg.get_body(("plain",)), msg.get_body(("html",))
    assert text is not None and page is not None
    return text.get_content(), page.get_content()


def one(title: str, day: date = date(2019, 3, 15), **fields: object) -> Call:
    return Call(
        id="c",
        title=title,
        rounds=(Round(day=day, at=None, tz="Europe/Paris"),),
        **fields,  # type: ignore[arg-type]
    )


def test_babel_dates_in_both_languages() -> None:
    assert long_date(date(2019, 3, 15), "fr") == "15 mars 2019"
    assert long_date(date(2019, 3, 15), "en") == "15 March 2019"
    assert full_date(date(2019, 3, 15), "fr") == "vendredi 15 mars 2019"
    assert full_date(date(2019, 3, 15), "en") == "Friday, 15 March 2019"


def test_parts_order_and_headers() -> None:
    p = plan([one("Appel")], make_clock("2019-03-04"), CLAIRE, SubscriberState())
    msg = reparse(compose(p, SMTP))
    assert msg.get_content_type() == "multipart/alternative"
    kinds = [part.get_content_type() for part in msg.iter_parts()]
    assert kinds == ["text/plain", "text/html"]  # the richest last, as RFC 2046 wants
    assert msg["From"] == "callwatch <cw@example.org>"
    assert msg["Content-Language"] == "fr"
    assert msg["Subject"] == "callwatch : 1 échéance — la plus proche le 15 mars 2019"


def test_subject_without_deadline_counts_news_or_names_the_reminder() -> None:
    far = one("Loin", date(2019, 9, 1))
    state = updated_state(
        SubscriberState(),
        plan([], make_clock("2019-03-01"), CLAIRE, SubscriberState()),
        None,
    )
    p = plan([far], make_clock("2019-03-04"), CLAIRE, state)
    assert subject(p) == "callwatch : 1 appel nouveau ou modifié"
    en = plan(
        [far, replace(far, id="d")],
        make_clock("2019-03-04"),
        CLAIRE.model_copy(update={"lang": "en"}),
        state,
    )
    assert subject(en) == "callwatch: 2 new or changed calls"
    short = CLAIRE.model_copy(update={"horizon": "3d"})
    message = MessageRecord(at="x", via="smtp", message_id="<x@y>", sha256="0")
    seen = updated_state(state, plan([far], make_clock("2019-03-04"), short, state), message)
    p = plan([far], make_clock("2019-08-02"), short, seen)  # J-30 of 1 September
    assert subject(p) == "callwatch : rappel J-30 — échéance le 1 septembre 2019"


def test_change_texts() -> None:
    moved = Change("moved", "2019-03-15", "2019-03-22T17:00 Europe/Brussels")
    assert change_text(moved, "fr") == (
        "Date limite déplacée : 15 mars 2019 → 22 mars 2019 17:00 Europe/Brussels"
    )
    assert change_text(Change("new_round", None, "2019-06-30"), "en") == "New round: 30 June 2019"
    assert change_text(Change("reopened"), "fr") == "Rouvert"
    assert change_text(Change("title", "Old <b>", "New"), "en") == "New title (was: Old <b>)"


def test_url_is_a_link_and_sources_are_text() -> None:
    c = one("A", url="https://example.org/a?x=1&y=2", sources=("Note <interne>",))
    msg = reparse(compose(plan([c], make_clock("2019-03-04"), CLAIRE, SubscriberState()), SMTP))
    text, page = bodies(msg)
    assert '<a href="https://example.org/a?x=1&amp;y=2">Voir l&#x27;appel</a>' in page
    assert "Source : Note &lt;interne&gt;" in page
    assert "Voir l'appel : https://example.org/a?x=1&y=2" in text


@settings(max_examples=80, deadline=None)
@given(
    title=st.text(min_size=1, max_size=80).filter(lambda s: clean(s) != ""),
    name=st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2000), max_size=30),
)
def test_no_data_reaches_a_header_and_html_is_escaped(title: str, name: str) -> None:
    sub = CLAIRE.model_copy(update={"name": clean(name) or None})
    p = plan([one(title)], make_clock("2019-03-04"), sub, SubscriberState())
    msg = reparse(compose(p, SMTP))
    assert set(msg.keys()) == {
        "From", "To", "Subject", "Date", "Message-ID", "Auto-Submitted",
        "X-Auto-Response-Suppress", "MIME-Version", "Content-Type", "Content-Language",
    }  # fmt: skip
    for value in msg.values():
        assert "\n" not in str(value) and "\r" not in str(value)
    assert msg["To"].addresses[0].addr_spec == "claire@example.org"
    assert msg["Subject"] == "callwatch : 1 échéance — la plus proche le 15 mars 2019"
    text, page = bodies(msg)
    assert html.escape(clean(title)) in page
    assert clean(title) in text


def test_test_message_is_plain_text() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from callwatch.digest.compose import compose_test

    now = datetime(2019, 3, 4, tzinfo=ZoneInfo("UTC"))
    msg = compose_test(SMTP, "x@example.org", None, "en", now)
    assert msg.get_content_type() == "text/plain"
    assert "smtp.example.org:587, starttls" in msg.get_content()


def test_a_digest_people_like_to_open() -> None:
    """One J-number per entry, the subject led by the most urgent reminder, titles bold and
    ids quiet, "Voir l'appel" links, an urgency mark, a readable width."""
    soon = Call(
        id="soon-call",
        title="Appel qui ferme demain",
        rounds=(Round(day=date(2019, 3, 8), at=None, tz="Europe/Paris"),),
        url="https://example.org/soon",
    )
    later = replace(one("Appel plus lointain", date(2019, 3, 15)), id="later-call")
    state = SubscriberState()
    first = plan([soon, later], make_clock("2019-03-01"), CLAIRE, state)
    message = MessageRecord(at="x", via="smtp", message_id="<x@y>", sha256="0")
    seen = updated_state(state, first, message)
    p = plan([soon, later], make_clock("2019-03-07"), CLAIRE, seen)
    assert subject(p) == "callwatch : rappel J-1 — échéance le 8 mars 2019"
    text, page = bodies(reparse(compose(p, SMTP)))
    reminder = next(line for line in text.splitlines() if "Appel qui ferme demain" in line)
    assert reminder == "- ⚠ J-1 — Appel qui ferme demain (soon-call)"
    assert reminder.count("J-") == 1
    assert "<strong>Appel qui ferme demain</strong>" in page
    assert '<span style="color: #888; font-size: small">soon-call</span>' in page
    assert ">Voir l&#x27;appel</a>" in page and "https://example.org/soon" not in page.split(">")
    assert "max-width: 40em" in page
    english = plan(
        [soon, later], make_clock("2019-03-07"), CLAIRE.model_copy(update={"lang": "en"}), seen
    )
    assert subject(english) == "callwatch: reminder D-1 — deadline on 8 March 2019"
    text_en, page_en = bodies(reparse(compose(english, SMTP)))
    assert ">View the call</a>" in page_en and "View the call: https://example.org/soon" in text_en
