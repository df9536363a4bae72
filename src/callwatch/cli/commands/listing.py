"""``callwatch list``: what is open, what closes soon."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import TYPE_CHECKING

import typer

from callwatch.cli.app import DataOpt, JsonOpt, LangOpt, TodayOpt, command_app, finish
from callwatch.cli.commands.filtering import (
    AllOpt,
    BeneficiaryOpt,
    DueOpt,
    FunderOpt,
    TerritoryOpt,
    ThemeOpt,
    WindowArg,
    scope,
)
from callwatch.i18n import _

if TYPE_CHECKING:
    from callwatch.domain.clock import Clock
    from callwatch.domain.selection import Entry


cli = command_app()


@cli.command(
    "list",
    epilog=_("""\b
Examples:
  callwatch list                         open and upcoming calls, soonest first
  callwatch list --due                   deadlines in the next 30 days
  callwatch list --due 2w                ... in the next two weeks (also 14d, 3m, 2019-06-30)
  callwatch list --territory FR-63       calls for Puy-de-Dôme, Auvergne-Rhône-Alpes or France
  callwatch list --all --json            every call, closed ones too, as JSON
"""),
    help=_("List open and upcoming calls, soonest deadline first, with days left."),
)
def list_calls(
    ctx: typer.Context,
    window: WindowArg = None,
    due: DueOpt = False,
    include_closed: AllOpt = False,
    territory: TerritoryOpt = None,
    beneficiary: BeneficiaryOpt = None,
    theme: ThemeOpt = None,
    funder: FunderOpt = None,
    as_json: JsonOpt = False,
    today: TodayOpt = None,
    data: DataOpt = None,
    lang: LangOpt = None,
) -> None:
    """List open and upcoming calls, soonest deadline first, with days left."""

    s = scope(ctx, today, data, lang, window, due, (territory, beneficiary, theme, funder))
    entries = s.catalog.select(
        s.clock, until=s.until, include_closed=include_closed, filters=s.filters
    )
    if as_json:
        _print_json(entries, s.clock, s.until)
    else:
        _print_human(entries, s.clock, s.language, s.until)
    finish(s.catalog)


def _print_json(entries: list[Entry], clock: Clock, until: datetime | None) -> None:
    from callwatch.domain.clock import iso
    from callwatch.output.render import emit_json
    from callwatch.output.views import LIST_SCHEMA, call_summary_json

    emit_json(
        {
            "schema": LIST_SCHEMA,
            "now": iso(clock.now),
            "until": None if until is None else iso(until),
            "calls": [call_summary_json(e.call, clock, e.round) for e in entries],
        }
    )


def _print_human(entries: list[Entry], clock: Clock, lang: str, until: datetime | None) -> None:
    from callwatch.i18n import t
    from callwatch.output.render import Cell, Column, plain_wanted, table
    from callwatch.output.views import days_text, deadline_text, urgency_style

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
    for e in entries:
        style = urgency_style(e.days_left, e.status)
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
                Cell(t(e.status.value, lang), style),
                Cell(e.call.id),
                Cell(label or ""),
                Cell(e.call.title),
            ]
        )
    table(columns, rows)
