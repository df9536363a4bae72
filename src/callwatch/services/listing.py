"""``callwatch list``: the open and upcoming calls, soonest deadline first."""

from __future__ import annotations

import sys
from datetime import datetime

import typer

from callwatch.domain.clock import Clock, iso
from callwatch.domain.errors import Exit
from callwatch.domain.freshness import is_stale, stale_days
from callwatch.domain.selection import Entry
from callwatch.i18n import ngettext, t
from callwatch.output.layout import cut
from callwatch.output.render import Cell, Column, emit_json, note, plain_wanted, table
from callwatch.output.views import (
    LIST_SCHEMA,
    call_summary_json,
    days_text,
    deadline_text,
    urgency_style,
)
from callwatch.services.env import Env, loaded
from callwatch.services.filtering import FilterLists, scope


def list_calls(
    env: Env,
    window: str | None,
    due: bool,
    include_closed: bool,
    filters: FilterLists,
    as_json: bool,
) -> Exit:
    """Print the selected calls (a table, or JSON); :data:`Exit.DATA` if some did not load."""
    s = scope(env, window, due, filters)
    stale_after = stale_days()
    entries = s.catalog.select(
        s.clock, until=s.until, include_closed=include_closed, filters=s.filters
    )
    if as_json:
        _print_json(entries, s.clock, s.until, stale_after)
    else:
        _print_human(entries, s.clock, s.language, s.until, stale_after)
    return loaded(s.catalog)


def _print_json(
    entries: list[Entry], clock: Clock, until: datetime | None, stale_after: int
) -> None:
    emit_json(
        {
            "schema": LIST_SCHEMA,
            "now": iso(clock.now),
            "until": None if until is None else iso(until),
            "calls": [call_summary_json(e.call, clock, e.round, stale_after) for e in entries],
        }
    )


# A round label is short ("1re session", "clôture"), but a two-stage topic's says why
# its first date is unknown (66 cells): at most this many cells, "…" after; whole in `show`.
ROUND_WIDTH = 32
STATUS, ROUND = 2, 4  # columns of _print_human's table, in its order


def _print_human(
    entries: list[Entry], clock: Clock, lang: str, until: datetime | None, stale_after: int
) -> None:
    if not entries:
        if not plain_wanted(sys.stdout):  # cron and pipes get silence, people get a word
            if until is not None:
                typer.echo(t("nothing_due", lang, end=until.date().isoformat()))
            else:
                typer.echo(t("nothing", lang))
        return
    columns = [
        Column(t("deadline", lang), breakable=True),
        Column(t("days", lang), justify="right"),
        Column(t("status", lang), priority=2),
        Column(t("id", lang), key=True),
        Column(t("round", lang), priority=1),
        Column(t("title", lang), wrap=True, lines=2),  # last: piped, no line is padded to it
    ]
    rows = []
    reader_tz = str(clock.tz)
    stale_seen = 0
    for e in entries:
        style = urgency_style(e.days_left, e.status)
        status = t(e.status.value, lang)
        if is_stale(e.call, clock.today, stale_after):
            stale_seen += 1
            status = f"{status} · {t('stale_mark', lang)}"
        if e.round is None:
            when, days = "—", t("permanent", lang)
        else:
            when = deadline_text(e.round, lang, reader_tz)
            days = days_text(e.days_left if e.days_left is not None else 0, lang)
        label = e.round.label if e.round is not None and e.round.label else ""
        if e.round is not None and e.round.recurring:
            label = f"{label} ({t('recurring', lang)})".strip()
        rows.append(
            [
                Cell(when, style),
                Cell(days, style),
                Cell(status, style),
                Cell(e.call.id),
                Cell(cut(label, ROUND_WIDTH)),
                Cell(e.call.title),
            ]
        )
    if not any(row[ROUND].text for row in rows):  # no round says more than its date: no column
        del columns[ROUND]
        for row in rows:
            del row[ROUND]
    dropped = table(columns, rows)
    if stale_seen and STATUS in dropped:  # the mark is not on screen: say how many it concerns
        note(
            ngettext(
                "{count} call shown was last checked at its source more than {days} days ago "
                '("verify" in the Status column, too narrow here): check its page before '
                "relying on it.",
                "{count} calls shown were last checked at their source more than {days} days "
                'ago ("verify" in the Status column, too narrow here): check their pages '
                "before relying on them.",
                stale_seen,
                lang,
            ).format(count=stale_seen, days=stale_after)
        )
    elif stale_seen:
        note(t("stale_note", lang, days=stale_after))
