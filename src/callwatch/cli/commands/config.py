"""``callwatch config``: write, locate and check the digest configuration."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from callwatch.cli.app import command_app, exit_with, settings
from callwatch.i18n import _

ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        metavar="FILE",
        help=_(
            "The digest config. Default: $CALLWATCH_CONFIG, else config.toml in the "
            "user config dir (see `callwatch config path`)."
        ),
    ),
]
StateOpt = Annotated[
    Path | None,
    typer.Option(
        "--state",
        metavar="DIR",
        help=_("Where the ledger lives. Default: $CALLWATCH_STATE, else the user state dir."),
    ),
]

cli = command_app(
    name="config",
    help=_("Write, locate and check the digest configuration (callwatch docs digest)."),
    epilog=_("""\b
Examples:
  callwatch config init                  write a commented config.toml (mode 0600)
  callwatch config show                  check it and show what it says
  callwatch config path                  where the config and the ledger are
"""),
    no_args_is_help=True,
)


@cli.command(
    "init",
    epilog=_("""\b
Examples:
  callwatch config init                  write a commented config.toml (mode 0600)
  callwatch config init --config ./digest.toml
  callwatch config init --force          replace an existing file
\b
Exit status: 0 written; 2 the file exists (without --force) or is not a regular
file; 73 it cannot be created.
"""),
    help=_("Write a commented config file to edit (mode 0600; it never holds the password)."),
)
def init(
    config: ConfigOpt = None,
    force: Annotated[bool, typer.Option("--force", help=_("Replace an existing file."))] = False,
) -> None:
    """Write a commented config file to edit (mode 0600; it never holds the password)."""
    from callwatch.services.config import init as run

    run(config, force=force)


@cli.command(
    "path",
    epilog=_("""\b
Examples:
  callwatch config path                  where the config and the ledger are
  callwatch config path --state /var/lib/callwatch
"""),
    help=_("Print where the config file and the ledger are (whether or not they exist)."),
)
def path(config: ConfigOpt = None, state: StateOpt = None) -> None:
    """Print where the config file and the ledger are (whether or not they exist)."""
    from callwatch.services.config import paths as run

    run(config, state)


@cli.command(
    "show",
    epilog=_("""\b
Examples:
  callwatch config show                  check the config and show what it says
  callwatch config show --config ./digest.toml
\b
Exit status: 0 valid, 78 the config has problems (each printed as file:line: message).
"""),
    help=_("Check the config and show it; the password is never shown, only where it comes from."),
)
def show(ctx: typer.Context, config: ConfigOpt = None) -> None:
    """Check the config and show it; the password is never shown, only where it comes from."""
    from callwatch.services.config import show as run

    exit_with(run(config, settings(ctx, None, None, None)))


@cli.command(
    "where",
    epilog=_("""\b
Examples:
  callwatch config where                 which team file, data and defaults are in use
  CALLWATCH_TEAM=none callwatch config where   as if there were no team file
"""),
    help=_(
        "Say which team file (callwatch.toml), data, projects and defaults are in use, and why."
    ),
)
def where(ctx: typer.Context) -> None:
    """Say which team file (callwatch.toml), data, projects and defaults are in use, and why."""
    from callwatch.services.where import where as run

    run(settings(ctx, None, None, None))
