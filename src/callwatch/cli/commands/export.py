"""``callwatch export``: deadlines to a calendar (.ics) or a table (JSON, CSV)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from callwatch.cli.app import DataOpt, LangOpt, TodayOpt, command_app, finish
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

FORMATS = ("ics", "json", "csv")


cli = command_app()


@cli.command(
    "export",
    epilog=_("""\b
Examples:
  callwatch export -o deadlines.ics              every open round, with alarms
  callwatch export --due 3m --territory FR-63 -o auvergne.ics
  callwatch export --format csv --all > rounds.csv
  callwatch export --format json | jq '.rounds[].closes_at'
\b
The format is taken from --format, else from the -o file's extension, else ics.
Exit status: 0 written; 2 bad option; 65 some calls could not be loaded (the
others are exported).
"""),
    help=_("Export deadlines: one calendar event or one table row per round."),
)
def export(
    ctx: typer.Context,
    window: WindowArg = None,
    due: DueOpt = False,
    include_closed: AllOpt = False,
    territory: TerritoryOpt = None,
    beneficiary: BeneficiaryOpt = None,
    theme: ThemeOpt = None,
    funder: FunderOpt = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", metavar="ics|json|csv", help=_("Output format.")),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help=_("Write to FILE (atomically) instead of standard output."),
        ),
    ] = None,
    today: TodayOpt = None,
    data: DataOpt = None,
    lang: LangOpt = None,
) -> None:
    """Export deadlines: one calendar event or one table row per round."""
    from callwatch.exporters import export_rounds

    kind = _format(fmt, output)
    s = scope(ctx, today, data, lang, window, due, (territory, beneficiary, theme, funder))
    items = export_rounds(
        s.catalog.calls, s.clock, until=s.until, include_closed=include_closed, filters=s.filters
    )
    if kind == "ics":
        from callwatch.exporters.ics import to_ics

        payload = to_ics(items, s.clock.now, s.language)
    elif kind == "json":
        from callwatch.exporters.tabular import to_json

        payload = to_json(items, s.clock, s.until)
    else:
        from callwatch.exporters.tabular import to_csv

        payload = to_csv(items, s.clock)
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
    else:
        from callwatch.output.render import warn
        from callwatch.store.atomic import write_user_file

        write_user_file(output, payload)
        rounds = len(items)
        warn(f"{output}: {rounds} round{'s' if rounds != 1 else ''} exported")
    finish(s.catalog)


def _format(fmt: str | None, output: Path | None) -> str:
    from callwatch.domain.errors import CallwatchError, Exit

    if fmt is not None:
        kind = fmt.strip().lower()
        if kind not in FORMATS:
            raise CallwatchError(
                f"--format: unknown format {fmt!r}: expected one of {', '.join(FORMATS)}",
                Exit.USAGE,
            )
        return kind
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    return suffix if suffix in FORMATS else "ics"
