"""``callwatch new DIR``: scaffold a team repository (docs/team.md)."""

from __future__ import annotations

from pathlib import Path

import typer

from callwatch.domain.errors import Exit
from callwatch.files.scaffold import scaffold
from callwatch.i18n import _


def new(directory: Path) -> Exit:
    """Write the team repository's files (never over an existing one) and say what next."""
    for path in scaffold(directory):
        typer.echo(_("wrote {path}").format(path=path))
    typer.echo(
        _("next: {command}").format(
            command=f"cd {directory} && git init && pre-commit install && callwatch validate"
        ),
        err=True,
    )
    return Exit.OK
