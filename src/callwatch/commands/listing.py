"""``callwatch list``: what is open, what closes soon."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer

from callwatch.app import DataOpt, JsonOpt, LangOpt, TodayOpt, app, finish, settings

if TYPE_CHECKING:
    from callwatch.clock import Clock
    from callwatch.selection import Entry

DEFAULT_DUE = "30d"


@app.command(
    "list",
    epilog="""\b
Examples:
  callwatch list                         open and upcoming calls, soonest first
  callwatch list --due                   deadlines in the next 30 days
  callwatch list --due 2w                ... in the next two weeks (also 14d, 3m, 2019-06-30)
  callwatch list --territory FR-63       calls for Puy-de-Dôme, Auvergne-Rhône-Alpes or France
  callwatch list --all --json            every call, closed ones too, as JSON
""",
)
def list_calls(
    ctx: typer.Context,
    window: Annotated[
        str | None,
        typer.Argument(
            metavar="[WINDOW]",
            help="With --due: how far ahead (30, 14d, 2w, 3m, 1y or a date). Implies --due.",
            show_default=False,
        ),
    ] = None,
    due: Annotated[
        bool,
        typer.Option("--due", help="Only calls with a deadline within WINDOW (default 30 days)."),
    ] = False,
    include_closed: Annotated[
        bool, typer.Option("--all", "-a", help="Include closed calls.")
    ] = False,
    territory: Annotated[
        list[str] | None,
        typer.Option(
            "--territory",
            "-t",
            metavar="CODE",
            help="ISO 3166 code; FR-63 also matches FR-ARA and FR calls.",
        ),
    ] = None,
    beneficiary: Annotated[
        list[str] | None,
        typer.Option(
            "--beneficiary",
            "-b",
            metavar="CODE",
            help="Beneficiary code (commune, association, farmer...).",
        ),
    ] = None,
    theme: Annotated[
        list[str] | None, typer.Option("--theme", metavar="TEXT", help="Theme contains TEXT.")
    ] = None,
    funder: Annotated[
        list[str] | None, typer.Option("--funder", metavar="TEXT", help="Funder contains TEXT.")
    ] = None,
    as_json: JsonOpt = False,
    today: TodayOpt = None,
    data: DataOpt = None,
    lang: LangOpt = None,
) -> None:
    """List open and upcoming calls, soonest deadline first, with days left."""
    from callwatch.clock import window_end
    from callwatch.errors import CallwatchError, Exit
    from callwatch.selection import Filters, select

    opts = settings(ctx, today, data, lang)
    clock = opts.clock()
    language = opts.language()
    filters = Filters(territory or (), beneficiary or (), theme or (), funder or ()).validated()
    until = None
    if due or window is not None:
        try:
            until = window_end(window or DEFAULT_DUE, clock)
        except ValueError as exc:
            raise CallwatchError(f"--due: {exc}", Exit.USAGE) from None
    catalog = opts.catalog()
    entries = select(
        catalog.calls, clock, until=until, include_closed=include_closed, filters=filters
    )
    if as_json:
        _print_json(entries, clock, until)
    else:
        _print_human(entries, clock, language, until)
    finish(catalog)


def _print_json(entries: list[Entry], clock: Clock, until: datetime | None) -> None:
    from callwatch.clock import iso
    from callwatch.render import emit_json
    from callwatch.views import LIST_SCHEMA, call_summary_json

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
    from callwatch.render import Cell, Column, plain_wanted, table
    from callwatch.views import days_text, deadline_text, urgency_style

    if not entries:
        if not plain_wanted(sys.stdout):  # cron and pipes get silence, people get a word
            if until is not None:
                typer.echo(t("nothing_due", lang, end=until.date().isoformat()))
            else:
                typer.echo(t("nothing", lang))
        return
    columns = [
        Column(t("deadline", lang)),
        Column(t("days", lang), justify="right"),
        Column(t("status", lang)),
        Column(t("id", lang), max_width=30),
        Column(t("title", lang), wrap=True),
        Column(t("round", lang)),
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
                Cell(e.call.title),
                Cell(label or ""),
            ]
        )
    table(columns, rows)
