"""The team's projects in the digest: which new or changed calls each one qualifies for.

Each project (callwatch.toml's ``projects``, or a subscriber's own) is checked
against every new or changed call of the digest with the same engine as
``callwatch check``. A reader is told, per project, the calls it is eligible for
and those where it is incomplete, with the number of questions left; never the
calls it is not eligible for. A verdict is remembered in the ledger, so it is
told once, and again only when it changes (the call changed, or the project file
was completed); a call told before is checked again on every run for that reason.
Reminders of a call a project qualifies for say so (:attr:`Plan.qualifies`).

Pure, like :mod:`callwatch.digest.content`: the projects are read by the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from callwatch.digest.content import ProjectCall, ProjectReport
from callwatch.domain.model import Status
from callwatch.files.projectfile import read_project
from callwatch.files.teamfind import shown_path
from callwatch.output.checkviews import why_text
from callwatch.rules.engine import evaluate
from callwatch.rules.phrases import Say

if TYPE_CHECKING:
    from callwatch.digest.content import Plan
    from callwatch.digest.ledger import SubscriberState
    from callwatch.domain.errors import Problem
    from callwatch.domain.model import Call
    from callwatch.domain.project import Project

ELIGIBLE = "eligible"
NOT_ELIGIBLE = "not_eligible"
INCOMPLETE = "incomplete"


def verdict_key(file: Path, call_id: str, root: Path | None = None) -> str:
    """``projects/a.toml|call-id``: the file relative to the team's root when it lies
    below it, so that moving the checkout does not make every verdict news again."""
    return f"{shown_path(file, root)}|{call_id}"


def verdict_word(status: bool | None, questions: int) -> str:
    """What the ledger keeps: ``eligible``, ``not_eligible`` or ``incomplete:N``."""
    if status is True:
        return ELIGIBLE
    if status is False:
        return NOT_ELIGIBLE
    return f"{INCOMPLETE}:{questions}"


def with_projects(
    p: Plan,
    calls: Sequence[Call],
    projects: Sequence[tuple[Path, Project]],
    state: SubscriberState,
    root: Path | None = None,
) -> Plan:
    """*p* with what its reader should be told about *projects* (see the module docstring);
    *root*: the team's root, which the ledger keys and the commands shown are relative to."""
    if not projects:
        return p

    lang = p.subscriber.lang
    news = {n.call.id for n in p.news}
    told_before = {key.rpartition("|")[2] for key in state.verdicts}
    by_id = {c.id: c for c in calls}
    reminded = {r.call.id for r in p.reminders}
    chosen = {
        ident: by_id[ident]
        for ident, record in p.records.items()
        if record.open and ident in by_id and (ident in news or ident in told_before)
    }
    for r in p.reminders:
        chosen.setdefault(r.call.id, r.call)
    candidates = list(chosen.values())
    reports: list[ProjectReport] = []
    verdicts: dict[str, str] = {}
    qualifies: dict[str, list[str]] = {}
    for file, project in projects:
        items: list[ProjectCall] = []
        for call in candidates:
            if call.status(p.clock) is Status.CLOSED:
                continue
            v = evaluate(call, project, p.clock, lang)
            word = verdict_word(v.status, len(v.questions))
            if v.status is True and call.id in reminded:
                qualifies.setdefault(call.id, []).append(project.title)
            if call.id not in news and call.id not in told_before:
                continue  # only reminded: its reminder says so, no verdict to remember
            key = verdict_key(file, call.id, root)
            verdicts[key] = word
            # keys written before they were relative: an absolute path
            told = state.verdicts.get(key, state.verdicts.get(verdict_key(file, call.id)))
            if told == word or (word == NOT_ELIGIBLE and told is None):
                continue
            nxt = call.next_round(p.clock.now)
            why = why_text(v, Say(lang)) if word == NOT_ELIGIBLE else None
            items.append(ProjectCall(call, v.status is True, len(v.questions), nxt, why))
        if items:
            items.sort(
                key=lambda i: (i.no_longer is not None, not i.eligible, _closes(i), i.call.id)
            )
            shown = Path(shown_path(file, root))
            reports.append(ProjectReport(shown, project.title, tuple(items)))
    return replace(
        p,
        projects=tuple(reports),
        qualifies={k: tuple(v) for k, v in qualifies.items()},
        verdicts=verdicts,
    )


def _closes(item: ProjectCall) -> float:
    return item.next_round.closes_at.timestamp() if item.next_round else float("inf")


def read_projects(files: Sequence[Path]) -> tuple[dict[Path, Project] | None, list[Problem]]:
    """Read every project file once for the run: the projects, or None and the problems
    of the first invalid file, each on its line (the digest stops before sending)."""
    projects: dict[Path, Project] = {}
    for file in dict.fromkeys(files):
        project, problems = read_project(file)
        if project is None:
            return None, problems
        projects[file] = project
    return projects, []
