"""``callwatch init [PATH]``: write a commented example project to start from."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from callwatch.cli.app import command_app
from callwatch.i18n import _

DEFAULT_NAME = "project.toml"


cli = command_app()


@cli.command(
    "init",
    epilog=_("""\b
Examples:
  callwatch init                         writes ./project.toml
  callwatch init projet-legumerie.toml
  callwatch init - | less                print the example instead
\b
Exit status: 0 written; 2 PATH exists (never overwritten) or is not a regular
file; 73 PATH cannot be created.
"""),
    help=_("Write a commented example project file (callwatch docs project) to edit."),
)
def init(
    path: Annotated[
        Path,
        typer.Argument(
            metavar="PATH",
            help=_("Where to write it (default {name}; - for stdout).").format(name=DEFAULT_NAME),
        ),
    ] = Path(DEFAULT_NAME),
) -> None:
    """Write a commented example project file (callwatch docs project) to edit."""
    from callwatch.services.init import init as run

    run(path)
