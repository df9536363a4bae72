"""The closed path language over a project, and what each path may be compared with.

A path names one fact of a project file: ``project.territory``, ``project.start``;
inside ``for_each`` / ``count`` over partners, ``partners.type`` or
``partners.roles``; over the budget, ``budget.category``; and ``answers.<name>``
for a value the project states in ``[answers]``. Paths that a project cannot have
are errors of the calls file, found when it loads.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache
from typing import Any

from callwatch.domain import codes
from callwatch.domain.clock import Clock
from callwatch.domain.eu_countries import STATUSES
from callwatch.domain.project import BudgetLine, Partner, Project


class Kind(StrEnum):
    TEXT = "text"
    CODE = "beneficiary code"  # compared with nesting: a commune is a legal_person
    TERRITORY = "territory code"  # compared with nesting: FR-63 lies within FR-ARA
    TEXT_LIST = "list of texts"
    DATE = "date"
    NUMBER = "number"
    BOOL = "boolean"
    ANSWER = "answer"  # whatever the project writes in [answers]


PROJECT: dict[str, Kind] = {
    "project.title": Kind.TEXT,
    "project.territory": Kind.TERRITORY,
    "project.themes": Kind.TEXT_LIST,
    "project.start": Kind.DATE,
    "project.end": Kind.DATE,
    "project.submission": Kind.DATE,
}
PARTNERS: dict[str, Kind] = {
    "partners.id": Kind.TEXT,
    "partners.name": Kind.TEXT,
    "partners.type": Kind.CODE,
    "partners.legal_form": Kind.TEXT,
    "partners.roles": Kind.TEXT_LIST,
    "partners.territory": Kind.TERRITORY,
    "partners.country": Kind.TERRITORY,
    "partners.horizon_status": Kind.TEXT,
    "partners.lead": Kind.BOOL,
    "partners.public": Kind.BOOL,
}
BUDGET: dict[str, Kind] = {
    "budget.label": Kind.TEXT,
    "budget.category": Kind.TEXT,
    "budget.amount": Kind.NUMBER,
    "budget.partner": Kind.TEXT,
}
COLLECTIONS: dict[str, dict[str, Kind]] = {"partners": PARTNERS, "budget": BUDGET}
# Paths whose values form a closed set, checked when the calls file loads.
VALUES: dict[str, tuple[str, ...]] = {"partners.horizon_status": STATUSES}
ANSWER_PATH = re.compile(r"^answers\.([A-Za-z0-9][A-Za-z0-9._:\-]{0,119})$")


def kind_of(path: str, scope: str | None) -> Kind | None:
    """The kind of *path* where it is used (``scope``: None at the top, else the
    collection iterated), or None when no project has it there."""
    if scope is None:
        if path in PROJECT:
            return PROJECT[path]
        if ANSWER_PATH.match(path):
            return Kind.ANSWER
        return None
    return COLLECTIONS[scope].get(path)


def kind_in(path: str, scope: str | None) -> Kind:
    """The kind of a path already accepted by the compiler."""
    kind = kind_of(path, scope)
    if kind is None:
        raise ValueError(f"path {path!r} was not compiled")
    return kind


def known_paths(scope: str | None) -> list[str]:
    if scope is None:
        return [*PROJECT, "answers.<name>"]
    return list(COLLECTIONS[scope])


# -- reading a fact -------------------------------------------------------------------


def project_value(path: str, project: Project, clock: Clock) -> Any:
    """A top-level fact: the value, or None when the project does not give it."""
    if path == "project.submission":
        return project.submission or clock.today
    match = ANSWER_PATH.match(path)
    if match:
        return project.answers.get(match.group(1))
    return getattr(project, path.split(".", 1)[1])


def item_value(path: str, item: Partner | BudgetLine) -> Any:
    """A fact of one partner or budget line, or None when not given."""
    return getattr(item, path.split(".", 1)[1])


def fact_key(path: str, item: Partner | BudgetLine | None = None) -> str:
    """The fact a question asks for: ``project.territory``, ``partners[gaec].legal_form``."""
    if item is None:
        return path
    name = path.split(".", 1)[1]
    if isinstance(item, Partner):
        if name == "horizon_status" and item.country is not None:
            return f"eu_countries.{item.country}"  # a country the shipped list leaves pending
        if name in ("country", "horizon_status"):
            name = "territory"
        return f"partners[{item.id}].{name}"
    return f"budget[{item.label}].{name}"


# -- beneficiaries ---------------------------------------------------------------------


def admitted(call_codes: tuple[str, ...], who: str, legal_form: str | None) -> bool | None:
    """Is a partner of type *who* one of *call_codes*, nesting included?

    ``legal_person`` admits every organisation; for a farmer the legal form
    decides (a GAEC is a legal person, a farmer in person is not).
    """
    verdicts = _admissions(who, legal_form)
    unknown = False
    for code in call_codes:
        verdict = verdicts.get(code, False)
        if verdict is True:
            return True
        unknown = unknown or verdict is None
    return None if unknown else False


@lru_cache(maxsize=1024)
def _admissions(who: str, legal_form: str | None) -> dict[str, bool | None]:
    """Every beneficiary code's verdict for one kind of partner, computed once."""
    return {code: codes.beneficiary_admits(code, who, legal_form) for code in codes.BENEFICIARIES}
