"""``callwatch add FILE``: a call from options (or prompts), validated, appended to FILE."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from callwatch.domain.errors import CallwatchError, Exit
from callwatch.domain.slug import slugify
from callwatch.files.authoring import Draft, add_call, build_table, user_catalog

__all__ = ["Draft", "add"]
from callwatch.services.env import Env


def add(env: Env, file: Path, draft: Draft, *, interactive: bool | None) -> None:
    """Complete *draft* (asking for what is missing when *interactive*), append it to *file*.

    *interactive* None asks only when standard input is a terminal.
    """
    ask = sys.stdin.isatty() if interactive is None else interactive
    missing: list[str] = []
    if not draft.title and ask:
        draft.title = typer.prompt("Title")
    if not draft.id and ask:
        draft.id = typer.prompt("Id", default=slugify(draft.title or "") or None)
    if not draft.deadlines and not draft.ongoing and ask:
        answer = typer.prompt(
            "Deadlines (YYYY-MM-DD or YYYY-MM-DDTHH:MM, comma-separated; 'ongoing' if none)"
        )
        if answer.strip().lower() == "ongoing":
            draft.ongoing = True
        else:
            draft.deadlines = [d for d in (p.strip() for p in answer.split(",")) if d]
    if not draft.title:
        missing.append("--title")
    if not draft.id:
        missing.append("--id")
    if not draft.deadlines and not draft.ongoing:
        missing.append("--deadline (or --ongoing)")
    if missing:
        raise CallwatchError(
            "missing " + ", ".join(missing) + ("" if ask else " (no prompts: not a terminal)"),
            Exit.USAGE,
        )
    table = build_table(draft)
    add_call(file, table, user_catalog(env.data_paths(), exclude=file))
    typer.echo(f"added {table['id']} to {file}")
