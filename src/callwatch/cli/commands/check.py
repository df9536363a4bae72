"""``callwatch check PROJECT``: is this project eligible, call by call, and why."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from callwatch.cli import completion
from callwatch.cli.app import DataOpt, JsonOpt, LangOpt, TodayOpt, command_app, exit_with, settings
from callwatch.i18n import _

cli = command_app()


@cli.command(
    "check",
    epilog=_("""\b
Examples:
  callwatch init projet.toml                     start from a commented example
  callwatch check projet.toml                    every call, eligible ones first
  callwatch check projet.toml --call feader-aura-2019-16-4
  callwatch check examples/control-undeclared.toml --call feader-aura-2019-16-4 --json
\b
Exit status with --call: 0 eligible, 1 not eligible, 3 incomplete (questions to answer),
4 general conditions only (the call encodes no criteria), 2 usage error (unknown call,
missing file), 65 invalid project file (file:line on stderr).
Without --call: 0, or 65 when a file could not be read. See callwatch docs rules.
"""),
    help=_("""Check a project's eligibility: each call eligible, not eligible (which rule failed,
value found and required, legal source) or incomplete (the questions still to answer)."""),
)
def check(
    ctx: typer.Context,
    project_file: Annotated[
        Path,
        typer.Argument(
            metavar="PROJECT",
            help=_("A project file (callwatch docs project)."),
            show_default=False,
        ),
    ],
    call_id: Annotated[
        str | None,
        typer.Option(
            "--call",
            "-c",
            metavar="ID",
            help=_("One call, in full detail."),
            autocompletion=completion.call_ids,
        ),
    ] = None,
    as_json: JsonOpt = False,
    today: TodayOpt = None,
    data: DataOpt = None,
    lang: LangOpt = None,
) -> None:
    """Check a project's eligibility: each call eligible, not eligible (which rule failed,
    value found and required, legal source) or incomplete (the questions still to answer)."""
    from callwatch.services.check import check as run

    exit_with(run(settings(ctx, today, data, lang), project_file, call_id, as_json))
