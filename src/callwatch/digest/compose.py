"""The digest as an e-mail: a text part and an HTML part, in the reader's language.

Call data is untrusted: every string from a calls file goes through
:func:`callwatch.domain.text.clean` (no control characters, no newlines where one line
is meant) and, in HTML, through :func:`html.escape`. Headers are built only from
our own words, dates and validated addresses; titles never reach a header.
Dates are written by Babel in the reader's language, whatever the locale of the
machine (cron runs with ``LANG=C``).
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass, field
from datetime import date, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import TYPE_CHECKING

from babel.dates import format_date, format_time

from callwatch.domain.text import clean
from callwatch.i18n import babel_locale, t

if TYPE_CHECKING:
    from callwatch.digest.config import Smtp
    from callwatch.digest.content import Change, Deadline, News, Plan, Reminder
    from callwatch.domain.model import Call, Round

# -- dates, with Babel ------------------------------------------------------------------------


def long_date(day: date, lang: str) -> str:
    """``15 mars 2019`` / ``15 March 2019``."""
    return str(format_date(day, format="long", locale=babel_locale(lang)))


def full_date(day: date, lang: str) -> str:
    """``vendredi 15 mars 2019`` / ``Friday, 15 March 2019``."""
    return str(format_date(day, format="full", locale=babel_locale(lang)))


def round_when(r: Round, lang: str, reader_tz: str) -> str:
    """The deadline as written in the call, with its time and zone when it has them."""
    text = full_date(r.day, lang)
    if r.at is not None:
        text += ", " + str(format_time(r.at, format="short", locale=babel_locale(lang)))
        if r.tz != reader_tz:
            text += f" ({r.tz})"
    return text


def days_label(days: int, lang: str) -> str:
    if days <= 0:
        return t("today", lang)
    if days == 1:
        return t("tomorrow", lang)
    return t("days_before", lang, n=days)


def _round_id_text(rid: str | None, lang: str) -> str:
    """A ledger round id (``2019-03-15T17:00 Europe/Brussels``) in the reader's words."""
    if not rid:
        return ""
    try:
        day = date.fromisoformat(rid[:10])
    except ValueError:
        return clean(rid)
    rest = rid[10:].lstrip("T").strip()
    return (long_date(day, lang) + (f" {rest}" if rest else "")).strip()


# -- the body, as blocks rendered twice (text and HTML) ---------------------------------------


@dataclass
class Item:
    """One entry: a headline (the call) and detail lines; links are rendered as links.

    The headline is *lead* (a J-number, a date), then the call's title (bold in HTML)
    and its id (quiet), then *tail* (a round's label). *urgent* marks an entry for
    tomorrow or a late reminder.
    """

    lead: str
    call: Call | None = None
    lines: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # http(s) URLs
    notes: list[str] = field(default_factory=list)  # source texts (not links)
    tail: str = ""
    urgent: bool = False

    @property
    def headline(self) -> str:
        """The plain-text headline: ``J-7 — Title (id) — 2e session``."""
        parts = [self.lead] if self.lead else []
        if self.call is not None:
            parts.append(_call_label(self.call))
        if self.tail:
            parts.append(self.tail)
        return (URGENT + " " if self.urgent else "") + " — ".join(parts)


URGENT = "⚠"  # the mark of an entry due tomorrow or of a late reminder


@dataclass
class Section:
    title: str
    items: list[Item] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    empty: str | None = None


def _call_label(call: Call) -> str:
    return f"{clean(call.title)} ({clean(call.id)})"


class _Links:
    """Each call's URL in every entry; its source texts once per message."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def add(self, item: Item, call: Call) -> Item:
        if call.url:
            item.links.append(call.url)
        if call.id not in self.seen:
            self.seen.add(call.id)
            item.notes.extend(clean(s) for s in call.sources)
        return item


def sections(p: Plan) -> list[Section]:
    lang = p.subscriber.lang
    tz = str(p.clock.tz)
    links = _Links()
    out: list[Section] = []
    if p.reminders:
        out.append(
            Section(
                t("digest.reminders", lang),
                [
                    _reminder(r, lang, tz, links, p.qualifies.get(r.call.id, ()))
                    for r in p.reminders
                ],
            )
        )
    new = [n for n in p.news if n.is_new]
    changed = [n for n in p.news if not n.is_new]
    if new:
        out.append(Section(t("digest.new_calls", lang), [_news(n, lang, tz, links) for n in new]))
    if changed:
        out.append(
            Section(t("digest.changed_calls", lang), [_news(n, lang, tz, links) for n in changed])
        )
    if p.projects:
        out.append(_projects(p, lang, tz, links))
    end_day = long_date(p.horizon_end.astimezone(p.clock.tz).date(), lang)
    overview = Section(
        t("digest.deadlines", lang, day=end_day), empty=t("digest.no_deadline", lang, day=end_day)
    )
    for group in ("week", "month", "later"):
        items = [_deadline(d, lang, tz, links) for d in p.deadlines if d.group == group]
        if items:
            overview.subsections.append(Section(t(f"digest.{group}", lang), items))
    out.append(overview)
    return out


def _projects(p: Plan, lang: str, tz: str, links: _Links) -> Section:
    """Per project, the calls it qualifies for, then those it may once questions are answered."""
    section = Section(t("digest.projects", lang))
    for report in p.projects:
        items = []
        for entry in report.calls:
            if entry.no_longer is not None:
                verdict = t("digest.project_no_longer", lang, reason=entry.no_longer)
            elif entry.eligible:
                verdict = t("digest.project_eligible", lang)
            else:
                n = entry.questions
                verdict = t("digest.project_incomplete", lang, n=n, s="s" if n > 1 else "")
            item = Item(verdict, entry.call)
            item.lines.append(_next_line(entry.call, entry.next_round, lang, tz))
            command = f"callwatch check {report.file} --call {entry.call.id}"
            item.lines.append(t("digest.project_detail", lang, command=clean(command)))
            items.append(links.add(item, entry.call))
        section.subsections.append(Section(clean(report.title), items))
    return section


def _next_line(call: Call, nxt: Round | None, lang: str, tz: str) -> str:
    if nxt is not None:
        return t("digest.next_deadline", lang, when=round_when(nxt, lang, tz))
    return t("digest.permanent" if call.ongoing else "digest.no_next", lang)


def _reminder(
    r: Reminder, lang: str, tz: str, links: _Links, qualifying: tuple[str, ...] = ()
) -> Item:
    """One J-number, the real one: a reminder sent late says J-4, not J-7 and J-4."""
    item = Item(reminder_label(r, lang), r.call, urgent=r.days_left <= 1 or r.late)
    when = round_when(r.round, lang, tz)
    if r.round.label:
        when += f" ({clean(r.round.label)})"
    item.lines.append(t("digest.closes", lang, when=when))
    if r.late:
        item.lines.append(t("digest.late", lang, day=full_date(r.due, lang)))
    for title in qualifying:
        item.lines.append(t("digest.project_qualifies", lang, title=clean(title)))
    return links.add(item, r.call)


def reminder_label(r: Reminder, lang: str) -> str:
    """``J-7``, ``J-1``, or ``aujourd'hui`` on the deadline day."""
    if r.days_left <= 0:
        return t("today", lang)
    return t("days_before", lang, n=r.days_left)


def _news(n: News, lang: str, tz: str, links: _Links) -> Item:
    item = Item("", n.call)
    for change in n.changes:
        item.lines.append(change_text(change, lang))
    item.lines.append(_next_line(n.call, n.next_round, lang, tz))
    return links.add(item, n.call)


def change_text(change: Change, lang: str) -> str:
    old, new = _round_id_text(change.old, lang), _round_id_text(change.new, lang)
    if change.kind == "title":
        return t("digest.title", lang, old=clean(change.old))
    if change.kind == "url":
        return t("digest.url", lang, new=clean(change.new) or "—")
    if change.kind == "ongoing":
        return t("digest.ongoing_true" if change.new == "true" else "digest.ongoing_false", lang)
    if change.kind in ("reopened", "rrule"):
        return t(f"digest.{change.kind}", lang)
    return t(f"digest.{change.kind}", lang, old=old, new=new)


def _deadline(d: Deadline, lang: str, tz: str, links: _Links) -> Item:
    when = round_when(d.round, lang, tz)
    item = Item(
        f"{when} — {days_label(d.days_left, lang)}",
        d.call,
        tail=clean(d.round.label) if d.round.label else "",
        urgent=d.days_left <= 1,
    )
    return links.add(item, d.call)


# -- text and HTML --------------------------------------------------------------------------


def _greeting(p: Plan) -> list[str]:
    lang = p.subscriber.lang
    name = clean(p.subscriber.name)
    hello = t("digest.hello", lang, name=name) if name else t("digest.hello_anon", lang)
    lines = [hello, t("digest.intro", lang, day=full_date(p.clock.today, lang))]
    if p.baseline:
        lines.append(t("digest.baseline", lang))
    return lines


def render_text(p: Plan) -> str:
    lang = p.subscriber.lang
    hello, *intro = _greeting(p)
    out = [hello, "", *intro, ""]

    def items(block: Section, indent: str) -> None:
        for item in block.items:
            out.append(f"{indent}- {item.headline}")
            for line in item.lines:
                out.append(f"{indent}  {line}")
            for url in item.links:
                out.append(f"{indent}  {t('digest.view_call', lang)}{t('colon', lang)}{url}")
            for note in item.notes:
                out.append(f"{indent}  {t('digest.source', lang, text=note)}")

    for section in sections(p):
        out.append(section.title.upper())
        out.append("")
        items(section, "")
        for sub in section.subsections:
            out.append(sub.title)
            items(sub, "  ")
            out.append("")
        if not section.items and not section.subsections and section.empty:
            out.append(section.empty)
        if section.items:
            out.append("")
    out.extend(["-- ", t("digest.footer", lang)])
    return "\n".join(out).rstrip("\n") + "\n"


def render_html(p: Plan) -> str:
    lang = p.subscriber.lang
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{e(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(subject(p))}</title>",
        "<style>h2 { font-size: 1.2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em }"
        " h3 { font-size: 1em; color: #555 } a { color: #0b57d0 }</style></head>",
        '<body style="margin: 0; padding: 0; background: #f4f4f4">',
        # a readable measure on wide screens, the whole width on a phone
        '<div style="max-width: 40em; margin: 0 auto; padding: 1em 1.5em; background: #fff; '
        'font-family: sans-serif; line-height: 1.45; color: #222">',
    ]
    out.extend(f"<p>{e(line)}</p>" for line in _greeting(p))

    def headline(item: Item) -> str:
        parts = []
        if item.urgent:
            parts.append(f'<span style="color: #b00020; font-weight: bold">{URGENT}</span> ')
        if item.lead:
            style = "color: #b00020; font-weight: bold" if item.urgent else "color: #444"
            parts.append(f'<span style="{style}">{e(item.lead)}</span> — ')
        if item.call is not None:
            parts.append(f"<strong>{e(clean(item.call.title))}</strong> ")
            parts.append(
                f'<span style="color: #888; font-size: small">{e(clean(item.call.id))}</span>'
            )
        if item.tail:
            parts.append(f" — {e(item.tail)}")
        return "".join(parts)

    def items(block: Section) -> None:
        out.append('<ul style="padding-left: 1.2em">')
        for item in block.items:
            out.append(f'<li style="margin-bottom: 0.8em">{headline(item)}')
            details = [e(line) for line in item.lines]
            details.extend(
                f'<a href="{e(url, quote=True)}">{e(t("digest.view_call", lang))}</a>'
                for url in item.links
                if _http(url)
            )
            details.extend(
                f'<span style="color: #666; font-size: small">'
                f"{e(t('digest.source', lang, text=note))}</span>"
                for note in item.notes
            )
            if details:
                out.append("<br>" + "<br>".join(details))
            out.append("</li>")
        out.append("</ul>")

    for section in sections(p):
        out.append(f"<h2>{e(section.title)}</h2>")
        if section.items:
            items(section)
        for sub in section.subsections:
            out.append(f"<h3>{e(sub.title)}</h3>")
            items(sub)
        if not section.items and not section.subsections and section.empty:
            out.append(f"<p>{e(section.empty)}</p>")
    out.append(f'<hr><p style="color: #666; font-size: small">{e(t("digest.footer", lang))}</p>')
    out.append("</div></body></html>")
    return "\n".join(out) + "\n"


def _http(url: str) -> bool:
    return url.startswith(("https://", "http://"))


# -- subject and message ---------------------------------------------------------------------


def subject(p: Plan) -> str:
    lang = p.subscriber.lang
    if p.projects and not (p.news or p.reminders or p.fresh_deadlines):
        # sent only because a project's verdict changed: say so
        n = len({c.call.id for report in p.projects for c in report.calls})
        return t("digest.subject_projects", lang, n=n, s="s" if n > 1 else "")
    if p.reminders:  # the most urgent reminder leads
        r = min(p.reminders, key=lambda x: (x.days_left, x.round.closes_at))
        label = reminder_label(r, lang)
        return t("digest.subject_reminder", lang, label=label, day=long_date(r.round.day, lang))
    if p.deadlines:
        n = len(p.deadlines)
        nearest = p.deadlines[0].round.closes_at.astimezone(p.clock.tz).date()
        s = "s" if n > 1 else ""
        return t("digest.subject_deadlines", lang, n=n, s=s, day=long_date(nearest, lang))
    n = len(p.news)
    x = "x" if n > 1 else ""
    return t("digest.subject_news", lang, n=n, s="s" if n > 1 else "", x=x)


def header_text(text: str | None) -> str:
    """One line, no control characters: nothing can smuggle a header in."""
    return clean(text).replace("\r", " ").replace("\n", " ")


def new_message(
    smtp: Smtp,
    to: str,
    name: str | None,
    subject_line: str,
    now: datetime,
    lang: str,
    parts: tuple[str, str | None],
) -> EmailMessage:
    """An e-mail with the headers every callwatch message carries."""
    msg = EmailMessage()
    user, _, domain = smtp.sender.rpartition("@")
    msg["From"] = Address(header_text(smtp.sender_name) or "callwatch", user, domain)
    to_user, _, to_domain = to.rpartition("@")
    msg["To"] = Address(header_text(name), to_user, to_domain)
    msg["Subject"] = header_text(subject_line)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = make_msgid("callwatch", domain=domain)
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Auto-Response-Suppress"] = "All"
    text, html_part = parts
    msg.set_content(text)
    if html_part is not None:
        msg.add_alternative(html_part, subtype="html")
    msg["Content-Language"] = lang  # after the content: set_content clears Content-* headers
    return msg


def compose(p: Plan, smtp: Smtp) -> EmailMessage:
    """The digest e-mail for *p*: ``multipart/alternative``, text first, then HTML."""
    sub = p.subscriber
    return new_message(
        smtp, sub.to, sub.name, subject(p), p.clock.now, sub.lang, (render_text(p), render_html(p))
    )


def compose_test(smtp: Smtp, to: str, name: str | None, lang: str, now: datetime) -> EmailMessage:
    """A short message that proves the settings work (``callwatch digest --test``)."""
    where = f"{smtp.host}:{smtp.port}, {smtp.security}"
    text = "\n".join(
        [t("digest.hello_anon", lang), "", t("digest.test_body", lang, where=where), ""]
    )
    return new_message(smtp, to, name, t("digest.test_subject", lang), now, lang, (text, None))


def content_key(msg: EmailMessage) -> str:
    """What a message says, without its Date and Message-ID: a retry of the same
    content is recognised by it (:func:`callwatch.digest.run._mark_pending`)."""
    h = hashlib.sha256()
    for name in ("From", "To", "Subject"):
        h.update(str(msg[name]).encode() + b"\0")
    for part in msg.walk():
        if not part.is_multipart():
            payload = part.get_payload(decode=True)
            h.update(payload if isinstance(payload, bytes) else b"")
            h.update(b"\0")
    return h.hexdigest()


def digest_of(msg: EmailMessage) -> str:
    """A content hash for the ledger (what exactly was sent)."""
    return hashlib.sha256(bytes(msg)).hexdigest()
