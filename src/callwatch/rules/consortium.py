"""A consortium check, three-valued: what is certain and what is possible.

``{ count = "partners", independent = true, distinct = "partners.country", where = …,
including = …, at_least = 3 }`` asks for the largest set of partners matching
``where``, pairwise independent, with pairwise distinct countries, one of them
matching ``including``. Its size is known to lie between two numbers:

- **lower**: the largest set built only from certain facts (``where`` and
  ``including`` certainly hold, the country is given, each pair certainly
  independent);
- **upper**: the largest set not ruled out (``where`` possibly holds, an unknown
  country may be any country, a pair is left out only when certainly dependent).

Adding a fact can only enlarge the first and shrink the second, so the check is
monotonic. Both searches are exact for real consortia; when a pathological web of
control links exhausts the search budget, the bounds stay sound and the outcome says
it could not be decided exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from callwatch.domain.consortium import EVERY_PAIR, Candidate, EveryPair, largest
from callwatch.domain.criteria import Count, Tri
from callwatch.domain.independence import (
    CLOSURE_BUDGET,
    PAIR_BUDGET,
    Link,
    OutOfBudget,
    control_closure,
    pair_status,
    related_pairs,
)
from callwatch.domain.project import Partner, Project
from callwatch.rules import paths

Test = Callable[[Partner], tuple[Tri, tuple[str, ...]]]  # including: status, missing facts


@dataclass(frozen=True, slots=True)
class Outcome:
    """The bounds on the consortium's size, with what explains them."""

    lower: int
    upper: int
    members: tuple[tuple[str, str], ...]  # a largest certain consortium: (id, value)
    # When no candidate can satisfy ``including`` (the consortium is empty), what was
    # found all the same: the bounds of the largest set without it, whose members are
    # then ``members`` ("3 independent partners in distinct countries, none in a
    # Member State"); (0, 0) otherwise.
    without_including: tuple[int, int]
    values: tuple[str, ...]  # the distinct values possible among the candidates
    unknown_values: int  # candidates whose value is not given
    no_including: bool  # no candidate can satisfy ``including``
    dependencies: tuple[Link, ...]  # pairs certainly dependent, and why
    doubts: tuple[Link, ...]  # pairs whose independence is unknown, and why
    undeclared: bool  # control links not declared
    exact: bool
    facts: tuple[str, ...]  # what would narrow the bounds
    # partners certainly outside ``where`` (a country not associated for this topic),
    # with their value: never counted, so named with why
    left_out: tuple[tuple[str, str], ...] = ()


def evaluate(
    check: Count,
    matching: Sequence[tuple[Partner, Tri]],
    where_facts: tuple[str, ...],
    project: Project,
    including: Test,
    left_out: Sequence[Partner] = (),
) -> Outcome:
    """The consortium among *matching* partners (each with whether ``where`` holds:
    True, or None when unknown); *left_out*: the partners certainly outside ``where``,
    named in the explanation."""
    facts: dict[str, None] = dict.fromkeys(where_facts)
    values: dict[str, str | None] = {}
    incl: dict[str, Tri] = {}
    for partner, _ in matching:
        value = paths.item_value(check.distinct, partner) if check.distinct else partner.id
        values[partner.id] = None if value is None else str(value)
        if value is None and check.distinct:
            facts[paths.fact_key(check.distinct, partner)] = None
        status: Tri = True
        if check.including:
            status, missing = including(partner)
            if status is None:
                facts.update(dict.fromkeys(missing))
        incl[partner.id] = status
    doubtful, certain_dep, dependencies, doubts, complete = _pairs(check, matching, project, facts)
    need = bool(check.including)
    sure = [
        Candidate(p.id, values[p.id], incl[p.id] is True)
        for p, where in matching
        if where is True and values[p.id] is not None
    ]
    maybe = [Candidate(p.id, values[p.id], incl[p.id] is not False) for p, _ in matching]
    no_including = need and not any(c.including for c in maybe)
    certain = largest(sure, doubtful, need)
    possible = largest(maybe, certain_dep, need)
    exact = certain.exact and possible.exact and complete
    found: tuple[int, int] = (0, 0)
    if no_including:  # the consortium is empty: say what was found without `including`
        certain = largest(sure, doubtful, False)
        found = (len(certain.members), largest(maybe, certain_dep, False).bound)
    known = sorted({v for v in values.values() if v is not None})
    return Outcome(
        lower=0 if no_including else len(certain.members),
        upper=possible.bound,
        members=tuple((ident, values[ident] or "") for ident in certain.members),
        without_including=found,
        values=tuple(known) if check.distinct else (),
        unknown_values=sum(1 for v in values.values() if v is None),
        no_including=no_including,
        dependencies=tuple(dependencies),
        doubts=tuple(doubts),
        undeclared=check.independent and project.control is None,
        exact=exact,
        facts=tuple(facts),
        left_out=tuple((p.id, _shown(check, p)) for p in left_out),
    )


def _shown(check: Count, partner: Partner) -> str:
    """The partner's value at the ``distinct`` path, as said beside its id ("" if none)."""
    value = paths.item_value(check.distinct, partner) if check.distinct else None
    return "" if value is None else str(value)


def _pairs(
    check: Count,
    matching: Sequence[tuple[Partner, Tri]],
    project: Project,
    facts: dict[str, None],
) -> tuple[list[tuple[str, str]] | EveryPair, list[tuple[str, str]], list[Link], list[Link], bool]:
    """Pairs not certainly independent (:data:`EVERY_PAIR` rather than N²/2 of them),
    pairs certainly dependent, the links that explain them (none when independence is
    not asked), and whether they are complete: control links past the budgets of
    :mod:`callwatch.domain.independence` (a chain of thousands of
    partners) leave every pair unknown, as undeclared control does."""
    doubtful: list[tuple[str, str]] = []
    certain: list[tuple[str, str]] = []
    dependencies: list[Link] = []
    doubts: list[Link] = []
    if not check.independent:
        return doubtful, certain, dependencies, doubts, True
    ids = sorted(p.id for p, _ in matching)
    if project.control is None:  # every pair unknown: nothing else to learn
        facts["control"] = None
        return EVERY_PAIR, certain, dependencies, doubts, True
    entities = project.entities()
    try:
        closure = control_closure(entities, project.control, CLOSURE_BUDGET)
        linked = related_pairs(ids, closure, PAIR_BUDGET)
    except OutOfBudget:
        return EVERY_PAIR, certain, dependencies, doubts, False
    for a, b in linked:
        pair = pair_status(a, b, closure, entities)
        if pair.independent is True:
            continue
        doubtful.append((a, b))
        if pair.independent is False:
            certain.append((a, b))
            dependencies.extend(pair.reasons)
        else:
            facts.update(dict.fromkeys(pair.facts))
            doubts.extend(pair.reasons)
    return doubtful, certain, dependencies, doubts, True
