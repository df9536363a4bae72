"""``callwatch add``: a call built from options, validated, appended to a calls file.

The new call is validated exactly like a calls file is loaded (schema,
semantic checks, rules), its id is checked against the target file and the
user's other calls files, and it is appended as one ``[[calls]]`` table
rendered with tomli-w. Every byte already in the file is kept as it was; the
write is atomic and keeps the file's mode; a missing file is created.
Nothing here imports typer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from callwatch.domain.errors import CallwatchError, Exit
from callwatch.files.callsfile import appendix, call_problems, calls_document, check_loads, where
from callwatch.files.loading import load_catalog, read_toml
from callwatch.files.tomlpos import key_lines, line_of
from callwatch.i18n import N_
from callwatch.store.atomic import refuse_target, write_user_file

if TYPE_CHECKING:
    from callwatch.files.loading import Catalog

_DEADLINE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


@dataclass
class Draft:
    """A call as given on the command line (or answered at the prompts)."""

    id: str
    title: str
    deadlines: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    ongoing: bool = False
    timezone: str | None = None
    url: str | None = None
    programme: str | None = None
    description: str | None = None
    opens: str | None = None
    sources: list[str] = field(default_factory=list)
    funders: list[str] = field(default_factory=list)
    territory: list[str] = field(default_factory=list)
    beneficiaries: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)


def parse_deadline(text: str) -> dict[str, Any]:
    """``2025-03-15`` → a whole-day round; ``2025-03-15T17:00`` → a timed one."""
    match = _DEADLINE.fullmatch(text.strip())
    try:
        if match is None:
            raise ValueError(N_("expected YYYY-MM-DD or YYYY-MM-DDTHH:MM"))
        out: dict[str, Any] = {"date": date.fromisoformat(match.group(1))}
        if match.group(2):
            hour, minute, second = (int(g or 0) for g in match.groups()[1:])
            out["time"] = time(hour, minute, second)
    except ValueError as exc:
        message = N_("invalid {text!r}: {reason}").format(text=text, reason=exc)
        raise CallwatchError(f"--deadline: {message}", Exit.USAGE) from None
    return out


def build_table(draft: Draft) -> dict[str, Any]:
    """The ``[[calls]]`` table for *draft*, keys in the order of the shipped calls."""
    if len(draft.labels) > len(draft.deadlines):
        raise CallwatchError(
            "--label: "
            + N_(
                "more labels ({labels}) than deadlines ({deadlines}): "
                "each --label names the --deadline at the same position"
            ).format(labels=len(draft.labels), deadlines=len(draft.deadlines)),
            Exit.USAGE,
        )
    table: dict[str, Any] = {"id": draft.id.strip(), "title": draft.title.strip()}
    for key in ("programme", "description", "url"):
        value = getattr(draft, key)
        if value:
            table[key] = value.strip()
    for key in ("sources", "funders", "territory", "beneficiaries", "themes"):
        values = [v.strip() for v in getattr(draft, key) if v.strip()]
        if values:
            table[key] = values
    if draft.timezone:
        table["timezone"] = draft.timezone.strip()
    if draft.opens:
        try:
            table["opens"] = date.fromisoformat(draft.opens.strip())
        except ValueError:
            raise CallwatchError(
                "--opens: "
                + N_("invalid date {text!r}: expected YYYY-MM-DD").format(text=draft.opens),
                Exit.USAGE,
            ) from None
    if draft.ongoing:
        table["ongoing"] = True
    rounds = [parse_deadline(d) for d in draft.deadlines]
    for round_, label in zip(rounds, draft.labels, strict=False):
        if label.strip():
            round_["label"] = label.strip()
    if rounds:
        table["deadlines"] = rounds
    return table


def user_catalog(data: Sequence[str | Path] | None, exclude: Path | None = None) -> Catalog | None:
    """The calls of the data the user configured, without those of *exclude*.

    *data*: the paths of ``--data`` (empty: ``$CALLWATCH_DATA``); None when neither is
    set: the shipped
    calls are what callwatch reads *instead of* the user's files, never with
    them, so an id they use is no conflict.
    """
    if data is None:
        return None
    catalog = load_catalog(list(data) or None)
    if exclude is not None:
        catalog.without_file(exclude)
    return catalog


def field_problem(name: str, value: str) -> str | None:
    """Why *value* (stripped, as it would be written) cannot be the new call's *name*
    (``id`` or ``title``), by the loader's own checks; None when it can. For a prompt,
    which asks again instead of refusing the whole call."""
    table: dict[str, Any] = {"id": "x", "title": "x", "ongoing": True, name: value.strip()}
    problems = call_problems(table)
    if not problems:
        return None
    label = N_("call {ident!r}").format(ident=table["id"]) if table["id"] else "calls[0]"
    return problems[0].removeprefix(label + ": ")


def existing_text(path: Path) -> str:
    """The text of the calls file *path* about to be appended to ("" when it does not
    exist yet); a FIFO or a device is refused before it is read."""
    refuse_target(path)  # a FIFO would block the read below, a device be replaced
    if not path.exists():
        return ""
    return read_toml(path)[0]


def id_in_use(text: str, path: Path, call_id: str, catalog: Catalog | None) -> str | None:
    """Where *call_id* is already used, case aside: ``file:line`` in *path* (whose text
    is *text*) or the place of a call of *catalog*; None when it is free."""
    for index, other in enumerate(calls_document(text, str(path)).get("calls", [])):
        if str(other.get("id", "")).casefold() == call_id.casefold():
            line = line_of(key_lines(text), ("calls", index, "id"))
            return f"{path}:{line}" if line else str(path)
    taken = None if catalog is None else catalog.get(call_id)  # case-insensitive too
    return None if taken is None else where(taken.origin)


def id_used_text(call_id: str, place: str) -> str:
    return N_("id {ident!r} is already used in {place}").format(ident=call_id, place=place)


def add_call(path: Path, table: dict[str, Any], catalog: Catalog | None = None) -> None:
    """Append *table* to the calls file *path*, or refuse with the reason.

    Exit codes of the refusals: 2 the call is invalid; 1 its id is taken;
    65 the file is not a calls file that can be appended to.
    """
    problems = call_problems(table)
    if problems:
        raise CallwatchError(
            N_("invalid call: {problems}").format(problems="; ".join(problems)), Exit.USAGE
        )
    call_id = str(table["id"])
    text = existing_text(path)
    place = id_in_use(text, path, call_id, catalog)
    if place is not None:
        raise CallwatchError(id_used_text(call_id, place), Exit.PROBLEM)
    added = appendix(text, [table])
    check_loads(text + added, str(path), [call_id])
    write_user_file(path, (text + added).encode("utf-8"))
