"""``callwatch schema calls|project``: JSON Schema for editors (docs/editor.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from callwatch.cli.app import command_app
from callwatch.i18n import _

cli = command_app()


@cli.command(
    "schema",
    epilog=_("""\b
Examples:
  callwatch schema calls > calls.schema.json
  callwatch schema calls -o data/calls.schema.json
  callwatch schema project -o project.schema.json
\b
Then put `#:schema ./calls.schema.json` on the first line of a calls file, or
add a rule to .taplo.toml (callwatch docs editor).
\b
Exit status: 0; 2 unknown kind, FILE exists (without --force) or is not a regular
file; 73 FILE cannot be created.
"""),
    help=_("Print the JSON Schema of calls files or project files, for editor validation."),
)
def schema(
    kind: Annotated[str, typer.Argument(metavar="calls|project", help=_("Which file format."))],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help=_("Write to FILE (atomically).")),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help=_("Replace the -o file if it exists."))
    ] = False,
) -> None:
    """Print the JSON Schema of calls files or project files, for editor validation."""
    from callwatch.services.schema import schema as run

    run(kind, output, force=force)
