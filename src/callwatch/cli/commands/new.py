"""``callwatch new DIR``: scaffold a team repository (docs/team.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from callwatch.cli.app import command_app, exit_with
from callwatch.i18n import _

cli = command_app()


@cli.command(
    "new",
    epilog=_("""\b
Examples:
  callwatch new veille-appels            a team repository in ./veille-appels
  cd veille-appels && git init && pre-commit install && callwatch validate
\b
Never overwrites a file: exit 2 (and nothing written) when one exists.
"""),
    help=_("""Create a team repository: callwatch.toml, data/, projects/, a pre-commit hook,
a CI workflow running `callwatch validate`, and a README in French."""),
)
def new(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help=_("Where to create it."))],
) -> None:
    """Create a team repository: callwatch.toml, data/, projects/, a pre-commit hook,
    a CI workflow running `callwatch validate`, and a README in French."""
    from callwatch.services.new import new as run

    exit_with(run(directory))
