"""``callwatch show ID``: everything about one call."""

from __future__ import annotations

from typing import Annotated

import typer

from callwatch.cli import completion
from callwatch.cli.app import DataOpt, JsonOpt, LangOpt, TodayOpt, command_app, exit_with, settings
from callwatch.i18n import _

cli = command_app()


@cli.command(
    "show",
    epilog=_("""\b
Examples:
  callwatch show feader-aura-2019-16-4
  callwatch --today 2019-03-16 show feader-aura-2019-16-4   (the 2nd round is next)
  callwatch show ERASMUS-EDU-2022-ECHE-CERT-FP --json
"""),
    help=_(
        "Show every field of one call, each round with its status and days left, and the sources."
    ),
)
def show_call(
    ctx: typer.Context,
    call_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help=_("The call's id (see `callwatch list`)."),
            autocompletion=completion.call_ids,
        ),
    ],
    as_json: JsonOpt = False,
    today: TodayOpt = None,
    data: DataOpt = None,
    lang: LangOpt = None,
) -> None:
    """Show every field of one call, each round with its status and days left, and the sources."""
    from callwatch.services.show import show_call as run

    exit_with(run(settings(ctx, today, data, lang), call_id, as_json))
