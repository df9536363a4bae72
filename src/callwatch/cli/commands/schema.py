"""``callwatch schema calls|project``: JSON Schema for editors (docs/editor.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from callwatch.cli.app import command_app

cli = command_app()


@cli.command(
    "schema",
    epilog="""\b
Examples:
  callwatch schema calls > calls.schema.json
  callwatch schema calls -o data/calls.schema.json
  callwatch schema project -o project.schema.json
\b
Then put `#:schema ./calls.schema.json` on the first line of a calls file, or
add a rule to .taplo.toml (docs/editor.md).
""",
)
def schema(
    kind: Annotated[str, typer.Argument(metavar="calls|project", help="Which file format.")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (atomically)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the -o file if it exists.")
    ] = False,
) -> None:
    """Print the JSON Schema of calls files or project files, for editor validation."""
    from callwatch.files.json_schema import schema as make
    from callwatch.output.render import json_text

    if output is not None:
        from callwatch.store.atomic import check_output

        check_output(output, force=force)
    text = json_text(make(kind.strip().lower()))
    if output is None:
        sys.stdout.write(text)
    else:
        from callwatch.store.atomic import write_user_file

        write_user_file(output, text.encode("utf-8"))
