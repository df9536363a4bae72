"""``callwatch add FILE``: a call from options (or prompts), validated, appended to FILE."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from callwatch.domain import territories
from callwatch.domain.errors import CallwatchError, Exit
from callwatch.domain.slug import slugify
from callwatch.files.authoring import (
    Draft,
    add_call,
    build_table,
    existing_text,
    field_problem,
    id_in_use,
    id_used_text,
    parse_deadline,
    user_catalog,
)
from callwatch.files.loading import read_toml
from callwatch.i18n import N_, _, current_lang, t
from callwatch.output.render import warn

__all__ = ["Draft", "add"]
from callwatch.services.env import Env


def add(env: Env, file: Path, draft: Draft, *, interactive: bool | None) -> None:
    """Complete *draft* (asking for what is missing when *interactive*), append it to *file*.

    *interactive* None asks only when standard input is a terminal. Each answer is
    checked as it is typed, by the loader's own rules, and asked again when wrong: a
    typo costs one question, not the whole interactive run.
    """
    ask = sys.stdin.isatty() if interactive is None else interactive
    env.language()
    catalog = user_catalog(env.data_paths(), exclude=file)
    missing: list[str] = []
    if not draft.title and ask:
        draft.title = _ask(_("Title"), lambda answer: field_problem("title", answer))
    if not draft.id and ask:
        text = existing_text(file)

        def id_problem(answer: str) -> str | None:
            place = id_in_use(text, file, answer.strip(), catalog)
            found = field_problem("id", answer)
            return found or (None if place is None else id_used_text(answer.strip(), place))

        default = slugify(draft.title or "") or None
        draft.id = _ask(_("Id"), id_problem, default)
    if not draft.deadlines and not draft.ongoing and ask:
        _ask_deadlines(draft)
    if not draft.title:
        missing.append("--title")
    if not draft.id:
        missing.append("--id")
    if not draft.deadlines and not draft.ongoing:
        missing.append(_("--deadline (or --ongoing)"))
    if missing:
        hint = "" if ask else N_(" (no prompts: not a terminal)")
        raise CallwatchError(
            N_("missing {options}{hint}").format(options=", ".join(missing), hint=hint),
            Exit.USAGE,
        )
    _warn_past(draft, env)
    table = build_table(draft)
    _check_team_ids(table, file)
    add_call(file, table, catalog)
    typer.echo(_("added {id} to {file}").format(id=table["id"], file=file))


def _check_team_ids(table: dict[str, Any], file: Path) -> None:
    """Refuse a territory shaped like a team id ("ambrt", a typo of Ambert) that no
    ``[[territories]]`` of *file* or of the data in use defines, as ``validate`` would:
    the loader keeps such ids pending until every file is read, so the call alone
    looks valid."""
    suspects = []
    for i, written in enumerate(table.get("territory", [])):
        try:
            code, note = territories.read_code(written)
        except territories.TerritoryError:
            continue  # reported by add_call with the loader's other checks
        if note == territories.PENDING and code not in territories.teams():
            suspects.append((i, code))
    if not suspects:
        return
    defined = _team_ids_in(file)
    for i, code in suspects:
        if code not in defined:
            why = territories.error_text(code, [], extra=sorted(defined))
            raise CallwatchError(
                N_("invalid call: {problems}").format(
                    problems=f"call {table['id']!r}: territory[{i}]: {why}"
                ),
                Exit.USAGE,
            )


def _team_ids_in(file: Path) -> set[str]:
    """The ids of the ``[[territories]]`` *file* defines (none when it cannot be read:
    add_call says why)."""
    if not file.is_file():
        return set()
    try:
        _text, data = read_toml(file)
    except CallwatchError:
        return set()
    teams = data.get("territories")
    if not isinstance(teams, list):
        return set()
    return {t["id"].strip() for t in teams if isinstance(t, dict) and isinstance(t.get("id"), str)}


TRIES = 5  # bad answers before giving up (input from a pipe must not loop forever)


def _ask(question: str, problem: Callable[[str], str | None], default: str | None = None) -> str:
    """Ask until *problem* finds nothing wrong with the answer; after :data:`TRIES` bad
    answers, the last one's problem is the usage error."""
    attempt = 1
    while True:
        # French puts a space before the colon: "Intitulé : " (Click's own suffix is ": ").
        suffix = t("colon", current_lang())
        answer: str = typer.prompt(question, default=default, prompt_suffix=suffix)
        found = problem(answer)
        if found is None:
            return answer
        if attempt == TRIES:
            raise CallwatchError(found, Exit.USAGE)
        # Prefixed like an error, so that "id: …" is not taken for a file's name.
        warn(N_("{problem} (try again)").format(problem=f"callwatch: {found}"))
        attempt += 1


def _ask_deadlines(draft: Draft) -> None:
    """Ask for the rounds until every one reads as a date (or the call is ongoing)."""

    def problem(answer: str) -> str | None:
        given = _deadlines(answer)
        if not given and answer.strip().lower() not in ONGOING:
            given = [answer]  # nothing that reads as a date (","): say so
        try:
            for text in given:
                parse_deadline(text)
        except CallwatchError as exc:
            return exc.message
        return None

    question = _("Deadlines (YYYY-MM-DD or YYYY-MM-DDTHH:MM, comma-separated; 'ongoing' if none)")
    answer = _ask(question, problem)
    if answer.strip().lower() in ONGOING:
        draft.ongoing = True
    else:
        draft.deadlines = _deadlines(answer)


ONGOING = ("ongoing", "permanent")


def _deadlines(answer: str) -> list[str]:
    """The rounds of an answer: comma-separated; none for ``ongoing``."""
    if answer.strip().lower() in ONGOING:
        return []
    return [d for d in (p.strip() for p in answer.split(",")) if d]


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
