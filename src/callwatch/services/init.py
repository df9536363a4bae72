"""``callwatch init [PATH]``: a commented example project file to start from."""

from __future__ import annotations

from pathlib import Path

import typer

from callwatch.domain.errors import CallwatchError, Exit
from callwatch.files.projectfile import template_text
from callwatch.store.atomic import create_new


def init(path: Path) -> None:
    """Write the example to *path* (never over an existing file), or print it for ``-``."""
    text = template_text()
    if str(path) == "-":
        typer.echo(text, nl=False)
        return
    try:
        create_new(path, text.encode("utf-8"))
    except FileExistsError:
        raise CallwatchError(f"{path} already exists: not overwritten", Exit.USAGE) from None
    except OSError as exc:
        raise CallwatchError(f"{path}: cannot write: {exc.strerror or exc}", Exit.USAGE) from None
    typer.echo(f"wrote {path}; next: callwatch check {path}", err=True)
