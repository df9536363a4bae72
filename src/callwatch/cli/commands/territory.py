"""``callwatch territory QUERY…``: what a code, a name or a postal code names."""

from __future__ import annotations

from typing import Annotated

import typer

from callwatch.cli.app import DataOpt, JsonOpt, LangOpt, command_app, exit_with, settings
from callwatch.i18n import _

cli = command_app()


@cli.command(
    "territory",
    help=_(
        "Resolve territories as people write them: the canonical code, the name, the kind "
        "and everything each lies within."
    ),
    epilog=_("""\b
Examples:
  callwatch territory Ambert                commune:63003, its EPCI, FR-63, FR-ARA, FR
  callwatch territory 63 FR-75 2A          département numbers and old codes
  callwatch territory 63600                 every commune of a postal code
  callwatch territory --json "Clermont-Ferrand" | jq '.results[].matches[].code'
  callwatch territory --data team.toml gal-livradois-forez
\b
Exit status: 0 every query names a territory, 1 one names none (see stderr).
"""),
)
def territory(
    ctx: typer.Context,
    queries: Annotated[
        list[str],
        typer.Argument(
            metavar="QUERY...",
            help=_(
                "ISO code (FR-63), commune:INSEE, epci:SIREN, département number, "
                "postal code, name, or a team territory's id."
            ),
        ),
    ],
    as_json: JsonOpt = False,
    data: DataOpt = None,
    lang: LangOpt = None,
) -> None:
    """Resolve territories as people write them: the canonical code, the name, the kind
    and everything each lies within."""
    from callwatch.services.territory import territory as run

    exit_with(run(settings(ctx, None, data, lang), queries, as_json))
