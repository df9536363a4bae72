"""``callwatch init [PATH]``: a commented example project file to start from."""

from __future__ import annotations

from pathlib import Path

import typer

from callwatch.domain.errors import CallwatchError, Exit
from callwatch.files.projectfile import template_text
from callwatch.i18n import N_, _
from callwatch.store.atomic import create_new, refuse_target


def init(path: Path) -> None:
    """Write the example to *path* (never over an existing file), or print it for ``-``."""
    text = template_text()
    if str(path) == "-":
        typer.echo(text, nl=False)
        return
    refuse_target(path)  # a FIFO, a device, a directory: exit 2, nothing written
    try:
        create_new(path, text.encode("utf-8"))
    except FileExistsError:
        raise CallwatchError(
            N_("{path} already exists: not overwritten").format(path=path), Exit.USAGE
        ) from None
    except OSError as exc:
        raise CallwatchError(
            N_("{path}: cannot write: {reason}").format(path=path, reason=exc.strerror or exc),
            Exit.CANTCREAT,
        ) from None
    typer.echo(_("wrote {path}; next: callwatch check {path}").format(path=path), err=True)
