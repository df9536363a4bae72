"""Compiled criteria: small frozen dataclasses, picklable and hashable.

A call's ``[[calls.criteria]]`` tables are compiled once, when the call loads
(:mod:`callwatch.rules.compiler`), into these objects; the engine
(:mod:`callwatch.rules.engine`) evaluates them against a project. Nothing here
runs code from the data: every check is one of a closed set of shapes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

Tri = bool | None  # True, False, or None for "unknown"
Scalar = str | bool | Decimal | date

# Named checks that use the call's own fields. A call gets each one that
# applies as an implicit criterion unless one of its criteria places it.
BUILTINS = ("call.rounds", "call.territory", "call.beneficiaries", "call.funding")
COMBINATORS = ("all_of", "any_of", "none_of", "not")


def tri_and(values: Iterable[Tri]) -> Tri:
    """Any false decides; else any unknown; else true."""
    seen_unknown = False
    for v in values:
        if v is False:
            return False
        if v is None:
            seen_unknown = True
    return None if seen_unknown else True


def tri_or(values: Iterable[Tri]) -> Tri:
    """Any true decides; else any unknown; else false."""
    seen_unknown = False
    for v in values:
        if v is True:
            return True
        if v is None:
            seen_unknown = True
    return None if seen_unknown else False


def tri_not(value: Tri) -> Tri:
    return None if value is None else not value


def tri_implies(condition: Tri, consequence: Tri) -> Tri:
    """``not condition or consequence``: an item outside a filter never fails a rule."""
    return tri_or((tri_not(condition), consequence))


def bounds_check(lower: Any, upper: Any, at_least: Any, at_most: Any) -> Tri:
    """Is a quantity known to lie in [lower, upper] (upper None: unbounded) within the
    required bounds? True when certainly, False when certainly not, else None."""
    verdicts: list[Tri] = []
    if at_least is not None:
        if lower >= at_least:
            verdicts.append(True)
        elif upper is not None and upper < at_least:
            verdicts.append(False)
        else:
            verdicts.append(None)
    if at_most is not None:
        if upper is not None and upper <= at_most:
            verdicts.append(True)
        elif lower > at_most:
            verdicts.append(False)
        else:
            verdicts.append(None)
    return tri_and(verdicts)


@dataclass(frozen=True, slots=True)
class Compare:
    """``{ path = "project.territory", within = ["FR-ARA"] }``."""

    path: str
    op: str  # eq | in | any_in | all_in | gte | lte | between | within
    value: Scalar | tuple[Scalar, ...]


@dataclass(frozen=True, slots=True)
class ForEach:
    """Every item (of those matching ``where``) satisfies ``require``."""

    over: str  # partners | budget
    where: tuple[Compare, ...]
    require: tuple[Compare, ...]


@dataclass(frozen=True, slots=True)
class Count:
    """The number of items matching ``where`` lies within the bounds.

    ``independent``: count the largest set of pairwise-independent partners.
    ``distinct`` (a path) and ``including`` make it a consortium: the largest set of
    partners whose values at that path differ pairwise (independent too, when asked),
    with at least one member satisfying ``including`` (:mod:`callwatch.domain.consortium`).
    """

    over: str
    where: tuple[Compare, ...]
    at_least: int | None
    at_most: int | None
    independent: bool = False
    distinct: str | None = None
    including: tuple[Compare, ...] = ()

    @property
    def consortium(self) -> bool:
        return self.distinct is not None or bool(self.including)


@dataclass(frozen=True, slots=True)
class Distinct:
    """The number of distinct values of ``path`` among matching items."""

    path: str
    where: tuple[Compare, ...]
    at_least: int | None
    at_most: int | None


@dataclass(frozen=True, slots=True)
class Sum:
    """The sum of ``path`` (budget.amount) over matching budget lines."""

    path: str
    where: tuple[Compare, ...]
    at_least: Decimal | None
    at_most: Decimal | None


@dataclass(frozen=True, slots=True)
class FundingCheck:
    """The funding computation: ``eligible_cost`` or ``aid`` within bounds."""

    quantity: str
    at_least: Decimal | None
    at_most: Decimal | None


@dataclass(frozen=True, slots=True)
class Manual:
    """Answered by the project in ``[answers] <criterion id> = true|false``."""


@dataclass(frozen=True, slots=True)
class Builtin:
    """A check that reads the call's own fields (see :data:`BUILTINS`)."""

    name: str


@dataclass(frozen=True, slots=True)
class Combine:
    """``all_of`` / ``any_of`` / ``none_of`` / ``not`` over other criteria, by id."""

    op: str
    refs: tuple[str, ...]


Check = Compare | ForEach | Count | Distinct | Sum | FundingCheck | Manual | Builtin | Combine


@dataclass(frozen=True, slots=True)
class Criterion:
    """One named criterion of a call, with where it comes from in law."""

    id: str
    label: str
    check: Check
    source: str | None = None
    question: str | None = None  # for manual checks (and answers.* comparisons)
    implicit: bool = False  # derived from the call's fields, not written as a criterion
    # The standard condition of a type of action (rules/standard.py), not the call's
    # own text: its key, which also names its label in the user's language.
    standard: str | None = None
    declared: str = "null"  # the check as written, as JSON (kept as text: hashable)

    def describe(self) -> dict[str, Any]:
        """The criterion as declared, JSON-ready (``show --json``)."""
        out = {
            "id": self.id,
            "label": self.label,
            "source": self.source,
            "check": json.loads(self.declared),
            "question": self.question,
            "implicit": self.implicit,
        }
        if self.standard is not None:
            out["standard"] = self.standard
        return out
