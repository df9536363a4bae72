"""``callwatch list``: what is open, what closes soon."""

from __future__ import annotations

import typer

from callwatch.cli.app import DataOpt, JsonOpt, LangOpt, TodayOpt, command_app, exit_with, settings
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
    from callwatch.services.listing import list_calls as run

    opts = settings(ctx, today, data, lang)
    filters = (territory, beneficiary, theme, funder)
    exit_with(run(opts, window, due, include_closed, filters, as_json))
