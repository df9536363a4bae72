"""``callwatch fetch``: calls from the portals' live APIs, merged as ``import`` merges."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from callwatch.cli.app import DataOpt, JsonOpt, LangOpt, TodayOpt, command_app, settings
from callwatch.cli.commands.importing import DryRunOpt, OutputOpt, VerboseOpt
from callwatch.i18n import _

cli = command_app(
    name="fetch",
    help=_(
        "Fetch current calls from the portals' live APIs into a calls file "
        "(callwatch docs fetch). Without a portal: every [[fetch]] of the team file."
    ),
    epilog=_("""\b
Examples:
  callwatch fetch                 the team file's [[fetch]] portals, each into its output
  callwatch fetch eu-portal -o data/eu.toml
  callwatch fetch aides-territoires -o data/aides.toml      (key: $CALLWATCH_AT_API_KEY)
"""),
    invoke_without_command=True,
)

BaseUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--base-url",
        metavar="URL",
        help=_(
            "Replace the portal's scheme and host (a mirror, a test server); "
            "plain http:// only on 127.0.0.1 / localhost."
        ),
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        metavar="FILE",
        help=_("Config naming the API key file ([fetch]); default $CALLWATCH_CONFIG."),
    ),
]

_STATUS = _("""\b
Exit status: 0 fetched and merged; 1 refused (API key, request) or the API changed;
2 bad option; 65 CALLS.toml unreadable; 75 the portal could not be read (network,
timeout, 429/5xx after retries): try later, nothing was written; 78 no API key or bad config.
""")


@cli.callback()
def team_portals(
    ctx: typer.Context,
    base_url: BaseUrlOpt = None,
    config: ConfigOpt = None,
    dry_run: DryRunOpt = False,
    verbose: VerboseOpt = False,
    today: TodayOpt = None,
    data: DataOpt = None,
    lang: LangOpt = None,
) -> None:
    """Without a portal: fetch every portal the team file lists ([[fetch]])."""
    if ctx.invoked_subcommand is not None:
        return
    from callwatch.services.fetch_team import fetch_team

    fetch_team(
        settings(ctx, today, data, lang),
        dry_run=dry_run,
        verbose=verbose,
        base_url=base_url,
        config=config,
    )


def _run(
    ctx: typer.Context,
    portal: str,
    common: tuple[Path | None, bool, bool, bool, str | None, str | None, list[Path] | None],
    **filters: object,
) -> None:
    from callwatch.services.fetch import fetch_calls

    output, dry_run, as_json, verbose, base_url, today, data = common
    fetch_calls(
        settings(ctx, today, data, None),
        portal,
        output,
        dry_run=dry_run,
        as_json=as_json,
        verbose=verbose,
        base_url=base_url,
        **filters,
    )


@cli.command(
    "aides-territoires",
    help=_(
        "Fetch every aid of Aides-territoires (API key required), following every page.\n\n"
        "A complete fetch (no filter) marks the aids it no longer returns as withdrawn."
    ),
    epilog=_("""\b
Examples:
  CALLWATCH_AT_API_KEY=KEY callwatch fetch aides-territoires -o data/aides.toml
  callwatch fetch aides-territoires --perimeter 70973 --text vélo -o data/aides.toml
  callwatch fetch aides-territoires -o data/aides.toml --dry-run --json
""")
    + _STATUS,
)
def aides_territoires(
    ctx: typer.Context,
    output: OutputOpt = None,
    text: Annotated[
        str | None, typer.Option("--text", metavar="WORDS", help=_("Full-text search (partial)."))
    ] = None,
    audience: Annotated[
        list[str] | None,
        typer.Option(
            "--audience",
            metavar="AUDIENCE",
            help=_("targeted_audiences filter, e.g. commune, epci (repeatable; partial)."),
        ),
    ] = None,
    perimeter: Annotated[
        str | None,
        typer.Option("--perimeter", metavar="ID", help=_("The API's perimeter filter (partial).")),
    ] = None,
    base_url: BaseUrlOpt = None,
    config: ConfigOpt = None,
    dry_run: DryRunOpt = False,
    as_json: JsonOpt = False,
    verbose: VerboseOpt = False,
    today: TodayOpt = None,
    data: DataOpt = None,
) -> None:
    """Fetch every aid of Aides-territoires (API key required), following every page.

    A complete fetch (no filter) marks the aids it no longer returns as withdrawn.
    """
    common = (output, dry_run, as_json, verbose, base_url, today, data)
    _run(
        ctx,
        "aides-territoires",
        common,
        config=config,
        text=text,
        audiences=tuple(audience or ()),
        perimeter=perimeter,
    )


@cli.command(
    "eu-portal",
    help=_(
        "Fetch the EU Funding & Tenders portal's forthcoming and open grant and cascade "
        "topics.\n\nA complete fetch (no --programme) marks the topics it no longer "
        "returns as withdrawn."
    ),
    epilog=_("""\b
Examples:
  callwatch fetch eu-portal -o data/eu.toml
  callwatch fetch eu-portal --programme "Horizon Europe" --programme LIFE -o data/eu.toml
  callwatch fetch eu-portal -o data/eu.toml --dry-run --json
""")
    + _STATUS,
)
def eu_portal(
    ctx: typer.Context,
    output: OutputOpt = None,
    programme: Annotated[
        list[str] | None,
        typer.Option(
            "--programme",
            metavar="NAME",
            help=_(
                'Only this programme, by name ("Horizon Europe", LIFE, CERV; repeatable; partial).'
            ),
        ),
    ] = None,
    base_url: BaseUrlOpt = None,
    dry_run: DryRunOpt = False,
    as_json: JsonOpt = False,
    verbose: VerboseOpt = False,
    today: TodayOpt = None,
    data: DataOpt = None,
) -> None:
    """Fetch the EU Funding & Tenders portal's forthcoming and open grant and cascade topics.

    A complete fetch (no --programme) marks the topics it no longer returns as withdrawn.
    """
    common = (output, dry_run, as_json, verbose, base_url, today, data)
    _run(ctx, "eu-portal", common, programmes=tuple(programme or ()))
