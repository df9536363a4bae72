"""``callwatch add FILE``: a call from options (or prompts), validated, appended to FILE."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from callwatch.domain.errors import CallwatchError, Exit
from callwatch.domain.slug import slugify
from callwatch.files.authoring import Draft, add_call, build_table, parse_deadline, user_catalog
from callwatch.i18n import N_, _
from callwatch.output.render import warn

__all__ = ["Draft", "add"]
from callwatch.services.env import Env


def add(env: Env, file: Path, draft: Draft, *, interactive: bool | None) -> None:
    """Complete *draft* (asking for what is missing when *interactive*), append it to *file*.

    *interactive* None asks only when standard input is a terminal.
    """
    ask = sys.stdin.isatty() if interactive is None else interactive
    env.language()
    missing: list[str] = []
    if not draft.title and ask:
        draft.title = typer.prompt(_("Title"))
    if not draft.id and ask:
        draft.id = typer.prompt(_("Id"), default=slugify(draft.title or "") or None)
    if not draft.deadlines and not draft.ongoing and ask:
        _ask_deadlines(draft)
    if not draft.title:
        missing.append("--title")
    if not draft.id:
        missing.append("--id")
    if not draft.deadlines and not draft.ongoing:
        missing.append(N_("--deadline (or --ongoing)"))
    if missing:
        hint = "" if ask else N_(" (no prompts: not a terminal)")
        raise CallwatchError(
            N_("missing {options}{hint}").format(options=", ".join(missing), hint=hint),
            Exit.USAGE,
        )
    _warn_past(draft, env)
    table = build_table(draft)
    add_call(file, table, user_catalog(env.data_paths(), exclude=file))
    typer.echo(_("added {id} to {file}").format(id=table["id"], file=file))


TRIES = 5  # bad answers before giving up (input from a pipe must not loop forever)


def _ask_deadlines(draft: Draft) -> None:
    """Ask for the rounds until every one reads as a date: a typo costs one question,
    not the whole interactive run."""
    question = _("Deadlines (YYYY-MM-DD or YYYY-MM-DDTHH:MM, comma-separated; 'ongoing' if none)")
    for attempt in range(TRIES):
        answer = typer.prompt(question)
        if answer.strip().lower() in ("ongoing", "permanent"):
            draft.ongoing = True
            return
        given = [d for d in (p.strip() for p in answer.split(",")) if d]
        try:
            for text in given:
                parse_deadline(text)
        except CallwatchError as exc:
            if attempt == TRIES - 1:
                raise
            # worded whole in English, translated whole by warn (a French hint after
            # English words would stop localize from reading the message)
            warn(exc.message + N_(" (try again)"))
            continue
        draft.deadlines = given
        return


def _warn_past(draft: Draft, env: Env) -> None:
    """A deadline already past is most likely a typo (2024 for 2025): say so."""
    today = env.clock().today
    for text in draft.deadlines:
        try:
            day = parse_deadline(text)["date"]
        except CallwatchError:
            return  # reported by build_table, with the option's name
        if day < today:
            warn(
                _("warning: the deadline {day} is already past (today is {today})").format(
                    day=day.isoformat(), today=today.isoformat()
                )
            )
