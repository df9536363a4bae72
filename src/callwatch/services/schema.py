"""``callwatch schema calls|project``: JSON Schema for editors (docs/editor.md)."""

from __future__ import annotations

import sys
from pathlib import Path

from callwatch.files.json_schema import schema as make
from callwatch.output.render import json_text
from callwatch.store.atomic import write_user_file


def schema(kind: str, output: Path | None) -> None:
    """Print the schema of *kind* files, or write it to *output* atomically."""
    text = json_text(make(kind.strip().lower()))
    if output is None:
        sys.stdout.write(text)
    else:
        write_user_file(output, text.encode("utf-8"))
