"""``callwatch schema calls|project``: JSON Schema for editors (docs/editor.md)."""

from __future__ import annotations

import sys
from pathlib import Path

from callwatch.files.json_schema import schema as make
from callwatch.output.render import json_text
from callwatch.store.atomic import check_output, write_user_file


def schema(kind: str, output: Path | None, *, force: bool = False) -> None:
    """Print the schema of *kind* files, or write it to *output* atomically (an existing
    *output* only with *force*)."""
    if output is not None:
        check_output(output, force=force)
    text = json_text(make(kind.strip().lower()))
    if output is None:
        sys.stdout.write(text)
    else:
        write_user_file(output, text.encode("utf-8"))
