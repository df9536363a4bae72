"""``callwatch export``: deadlines to a calendar (.ics) or a table (JSON, CSV)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from callwatch.cli import completion
from callwatch.cli.app import DataOpt, LangOpt, TodayOpt, command_app, exit_with, settings
from callwatch.cli.commands.filtering import (
    AllOpt,
    BeneficiaryOpt,
    DueOpt,
    FunderOpt,
    TerritoryOpt,
    ThemeOpt,
    WindowArg,
)
from callwatch.i18n import _
from callwatch.services.formats import FORMATS

cli = command_app()


@cli.command(
    "export",
    epilog=_("""\b
Examples:
  callwatch export -o deadlines.ics              every open round, with alarms
  callwatch export --due 3m --territory FR-63 -o auvergne.ics
  callwatch export --format csv --all > rounds.csv
  callwatch export --call feader-aura-2019-16-4 -o feader.ics   one call's rounds
  callwatch export --format json | jq '.rounds[].closes_at'
\b
The format is taken from --format, else from the -o file's extension (.ics,
.json, .csv), else ics. -o never replaces an existing file without --force, nor
ever a calls file the export read.
Exit status: 0 written; 2 bad option or output; 65 some calls could not be loaded
(the others are exported); 73 the output could not be written.
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
        typer.Option("--format", "-f", metavar="|".join(FORMATS), help=_("Output format.")),
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
    force: Annotated[
        bool, typer.Option("--force", help=_("Replace the -o file if it exists."))
    ] = False,
    call: Annotated[
        list[str] | None,
        typer.Option(
            "--call",
            "-c",
            metavar="ID",
            help=_("Only this call (repeatable); the window and filters still apply."),
            autocompletion=completion.call_ids,
        ),
    ] = None,
    today: TodayOpt = None,
    data: DataOpt = None,
    lang: LangOpt = None,
) -> None:
    """Export deadlines: one calendar event or one table row per round."""
    from callwatch.services.export import export as run

    opts = settings(ctx, today, data, lang)
    filters = (territory, beneficiary, theme, funder)
    exit_with(run(opts, window, due, include_closed, filters, fmt, output, call, force=force))
