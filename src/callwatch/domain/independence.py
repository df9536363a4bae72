"""Who controls whom, and how many partners are independent (EU definition).

Two entities are independent when neither controls the other, directly or
indirectly, and no third entity (inside the partnership or not) controls both.
Control is more than 50 % of the shares or of the voting rights, or
decision-making power in fact or in law; 50 % exactly is not control.
Indirect control aggregates what a controller holds itself with what is held by
everything it controls. A common controller that is a public body does not by
itself make two entities dependent.

Everything is three-valued: with no ``control`` declaration every pair is
*unknown*; a common controller whose public status is unknown makes that pair
unknown. :func:`independence` gives the size of the largest set of pairwise
independent partners as a range: at least ``lower`` (pairs certainly
independent), at most ``upper`` (pairs not certainly dependent).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from callwatch.domain.project import ControlLink, Entity

HALF = Decimal("0.5")
# Branching steps one count may take before settling for bounds (a few tenths of
# a second): real partnerships never come close; a crafted graph gets "at least
# x, at most y" instead of an answer that takes minutes.
BUDGET = 200_000
# Holdings visited while building the control closure, and pairs of partners that
# control touches, before a count settles for bounds: a chain of N partners each
# controlling the next is N²/2 of both (1,000 partners: 0.5 million, about 2 s; 5,000
# took minutes). Real partnerships stay thousands of times below.
CLOSURE_BUDGET = 2_000_000
PAIR_BUDGET = 500_000


class _Budget:
    __slots__ = ("left",)

    def __init__(self, steps: int | None) -> None:
        self.left = steps

    def spend(self, steps: int = 1) -> bool:
        """One more branch (or *steps*); False once the budget is spent."""
        if self.left is None:
            return True
        self.left -= steps
        return self.left >= 0


class OutOfBudget(Exception):
    """A search or a closure past its budget: the caller settles for sound bounds."""


def control_closure(
    ids: Iterable[str], links: Sequence[ControlLink], budget: int | None = None
) -> dict[str, frozenset[str]]:
    """For each entity, every entity it controls directly or indirectly.

    The least fixed point, built per controller with a work list: an entity joins
    the group of what *name* controls as soon as the group's holdings in it pass
    half (or one holds decision power), and its own holdings are then added once.
    Cycles of cross-holdings terminate (two entities holding 60 % of each other
    control each other), and the cost is the holdings reached from each
    entity, not a pass over every entity per step of a chain (a 200-partner
    cycle of control took seconds that way). With a *budget* (holdings visited),
    :class:`OutOfBudget` once it is spent.
    """
    spent = _Budget(budget)
    names = sorted(set(ids) | {x for link in links for x in (link.controller, link.controlled)})
    holdings: dict[str, list[ControlLink]] = {name: [] for name in names}
    for link in links:
        holdings[link.controller].append(link)
    return {name: frozenset(_controlled_by(name, holdings, spent)) for name in names}


def _controlled_by(
    name: str, holdings: Mapping[str, list[ControlLink]], spent: _Budget
) -> set[str]:
    controlled: set[str] = set()
    totals: dict[tuple[str, str], Decimal] = {}
    pending = [name]
    while pending:
        holder = pending.pop()
        if not spent.spend(len(holdings[holder])):
            raise OutOfBudget
        for link in holdings[holder]:
            target = link.controlled
            if target == name or target in controlled:
                continue
            if link.basis == "decision_power":
                gained = True
            elif link.share is not None:
                key = (target, link.basis)
                totals[key] = totals.get(key, Decimal(0)) + link.share
                gained = totals[key] > HALF
            else:
                gained = False
            if gained:
                controlled.add(target)
                pending.append(target)
    return controlled


@dataclass(frozen=True, slots=True)
class Step:
    """One step of an indirect control: *holders* (each with its share, None for decision
    power) that together control *target*; *total* is their pooled share."""

    target: str
    holders: tuple[tuple[str, Decimal | None], ...]
    basis: str
    total: Decimal | None


def control_steps(controller: str, target: str, links: Sequence[ControlLink]) -> list[Step]:
    """How *controller* comes to control *target*: the steps, first to last, that an
    explanation needs (empty when it does not). Same rule as :func:`control_closure`,
    replayed for one controller, keeping which holdings gave each entity."""
    holdings: dict[str, list[ControlLink]] = {}
    for link in links:
        holdings.setdefault(link.controller, []).append(link)
    why: dict[str, Step] = {}
    changed = True
    while changed and target not in why:
        changed = False
        group = [controller, *why]
        pooled: dict[tuple[str, str], list[tuple[str, Decimal | None]]] = {}
        for holder in group:
            for link in holdings.get(holder, ()):
                if link.controlled in why or link.controlled == controller:
                    continue
                if link.basis == "decision_power":
                    why[link.controlled] = Step(
                        link.controlled, ((holder, None),), link.basis, None
                    )
                    changed = True
                elif link.share is not None:
                    pooled.setdefault((link.controlled, link.basis), []).append(
                        (holder, link.share)
                    )
        for (name, basis), parts in sorted(pooled.items()):
            total = sum((share or Decimal(0) for _h, share in parts), Decimal(0))
            if name not in why and total > HALF:
                why[name] = Step(name, tuple(parts), basis, total)
                changed = True
    if target not in why:
        return []
    needed: list[str] = []
    todo = [target]
    while todo:  # only the steps the target's derivation uses, each once
        name = todo.pop()
        if name in needed or name == controller:
            continue
        needed.append(name)
        todo.extend(holder for holder, _share in why[name].holders)
    order = list(why)
    return [why[name] for name in sorted(needed, key=order.index)]


@dataclass(frozen=True, slots=True)
class Link:
    """Why two partners are (or may be) dependent, for explanations.

    ``kind`` is ``controls`` (``a`` controls ``b``), ``common`` (``by`` controls
    both) or ``undeclared`` (no control declaration).
    """

    kind: str
    a: str
    b: str
    by: str | None = None


@dataclass(frozen=True, slots=True)
class Pair:
    """The independence of two partners: True, False or None (unknown), and why."""

    independent: bool | None
    reasons: tuple[Link, ...] = ()
    facts: tuple[str, ...] = ()  # what would settle an unknown pair


def pair_status(
    a: str,
    b: str,
    closure: Mapping[str, frozenset[str]] | None,
    entities: Mapping[str, Entity],
) -> Pair:
    """Are partners *a* and *b* independent? ``closure`` None: control not declared."""
    if closure is None:
        return Pair(None, (Link("undeclared", a, b),), ("control",))
    if b in closure.get(a, ()) or a in closure.get(b, ()):
        return _pair(a, b, closure, (), entities)  # control settles it: no holder needed
    controllers = _controllers(closure)
    both = set(controllers.get(b, ()))
    return _pair(a, b, closure, [h for h in controllers.get(a, ()) if h in both], entities)


_CONTROLLERS: list[tuple[Mapping[str, frozenset[str]], dict[str, list[str]]]] = []


def _controllers(closure: Mapping[str, frozenset[str]]) -> dict[str, list[str]]:
    """Who controls each entity, in id order: the closure read the other way, kept for
    the last closure asked (a consortium asks for every pair of one closure; scanning
    every controller per pair made a 1,000-partner chain take 76 s)."""
    if _CONTROLLERS and _CONTROLLERS[0][0] is closure:
        return _CONTROLLERS[0][1]
    controllers: dict[str, list[str]] = {}
    for holder in sorted(closure):
        for held in closure[holder]:
            controllers.setdefault(held, []).append(holder)
    _CONTROLLERS[:] = [(closure, controllers)]
    return controllers


def _pair(
    a: str,
    b: str,
    closure: Mapping[str, frozenset[str]],
    holders: Iterable[str],
    entities: Mapping[str, Entity],
) -> Pair:
    """:func:`pair_status` given *holders*, the entities that control both, in id order."""
    if b in closure.get(a, frozenset()):
        return Pair(False, (Link("controls", a, b),))
    if a in closure.get(b, frozenset()):
        return Pair(False, (Link("controls", b, a),))
    unknown: list[Link] = []
    facts: list[str] = []
    for holder in holders:
        if holder in (a, b):
            continue
        entity = entities.get(holder)
        public = entity.public if entity is not None else None
        if public is False:
            return Pair(False, (Link("common", a, b, holder),))
        if public is None:
            unknown.append(Link("common", a, b, holder))
            kind = "partners" if entity is not None and entity.partner else "entities"
            facts.append(f"{kind}[{holder}].public")
    if unknown:
        return Pair(None, tuple(unknown), tuple(facts))
    return Pair(True)


def _popcount(mask: int) -> int:
    return mask.bit_count()


def _bits(mask: int) -> Iterable[int]:
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def max_independent_set(candidates: int, conflicts: Sequence[int]) -> int:
    """A largest set (bit mask) of *candidates* with no two in conflict. Exact.

    :func:`largest_set` without a budget: each connected part of the conflict
    graph is solved alone, and a vertex whose conflicts all conflict with one
    another (a corner of a clique) is always taken, so the real shapes (groups
    under one holding, long chains) never branch at all.
    """
    found = largest_set(candidates, conflicts, budget=None)
    return found.chosen


@dataclass(frozen=True, slots=True)
class Found:
    """A set with no two in conflict, and what is known of the largest one: its size
    is in [``len(chosen)``, ``upper``], and exactly that when ``exact``."""

    chosen: int  # bit mask
    upper: int
    exact: bool


def largest_set(candidates: int, conflicts: Sequence[int], budget: int | None = BUDGET) -> Found:
    """The largest set of *candidates* with no two in *conflicts*, part by part.

    Exact while the budget lasts; past it, that part gets a greedy set (a lower
    bound) and a clique cover (an upper bound), and the answer says it is not exact.
    """
    spent = _Budget(budget)
    chosen, upper, exact = 0, 0, True
    for part in components(candidates, conflicts):
        try:
            best = _exact(part, conflicts, spent)
            chosen |= best
            upper += _popcount(best)
        except (OutOfBudget, RecursionError):
            exact = False
            chosen |= _greedy(part, conflicts)
            upper += _clique_cover(part, conflicts)
    return Found(chosen, upper, exact)


def components(candidates: int, conflicts: Sequence[int]) -> list[int]:
    """The connected parts (bit masks) of the conflict graph on *candidates*."""
    parts: list[int] = []
    left = candidates
    while left:
        seed = left & -left
        part, frontier = seed, seed
        while frontier:
            reach = 0
            for v in _bits(frontier):
                reach |= conflicts[v]
            frontier = reach & left & ~part
            part |= frontier
        parts.append(part)
        left &= ~part
    return parts


def _exact(candidates: int, conflicts: Sequence[int], spent: _Budget) -> int:
    """Branch and reduce on one part: take every vertex whose conflicts form a clique
    (simplicial: some largest set holds it), else branch on the vertex with the
    most conflicts (take it, or leave it)."""
    chosen = 0
    while candidates:
        pivot, pivot_degree = -1, -1
        for v in _bits(candidates):
            around = conflicts[v] & candidates
            if _is_clique(around, conflicts):
                chosen |= 1 << v
                candidates &= ~((1 << v) | around)
                break
            degree = _popcount(around)
            if degree > pivot_degree:
                pivot, pivot_degree = v, degree
        else:
            if not spent.spend():
                raise OutOfBudget
            taken = _exact(candidates & ~((1 << pivot) | conflicts[pivot]), conflicts, spent)
            taken |= 1 << pivot
            left = _exact(candidates & ~(1 << pivot), conflicts, spent)
            return chosen | (taken if _popcount(taken) >= _popcount(left) else left)
    return chosen


def _is_clique(vertices: int, conflicts: Sequence[int]) -> bool:
    return all(not vertices & ~conflicts[u] & ~(1 << u) for u in _bits(vertices))


def _greedy(candidates: int, conflicts: Sequence[int]) -> int:
    """A set with no two in conflict: repeatedly the vertex with the fewest conflicts."""
    chosen = 0
    while candidates:
        v = min(_bits(candidates), key=lambda u: _popcount(conflicts[u] & candidates))
        chosen |= 1 << v
        candidates &= ~((1 << v) | conflicts[v])
    return chosen


def _clique_cover(candidates: int, conflicts: Sequence[int]) -> int:
    """How many cliques cover *candidates* (greedily): no set without conflicts holds
    two vertices of one clique, so this bounds the largest set from above."""
    cliques = 0
    while candidates:
        v = candidates & -candidates
        clique = v
        common = conflicts[v.bit_length() - 1] & candidates
        while common:
            u = common & -common
            clique |= u
            common &= conflicts[u.bit_length() - 1]
        candidates &= ~clique
        cliques += 1
    return cliques


@dataclass(frozen=True, slots=True)
class Independence:
    """The largest number of pairwise-independent partners, as a certain range."""

    lower: int
    upper: int
    certain: tuple[str, ...]  # a largest set certainly pairwise independent
    dependencies: tuple[Link, ...]  # pairs certainly dependent, and why
    doubts: tuple[Link, ...]  # pairs whose independence is unknown, and why
    facts: tuple[str, ...]  # what would narrow the range
    # False: a crafted control graph outgrew the budget (:data:`BUDGET`); lower and
    # upper are then bounds of the true range, not its ends (three-valued, never wrong).
    exact: bool = True


def independence(
    sure: Sequence[str],
    maybe: Sequence[str],
    links: Sequence[ControlLink] | None,
    entities: Mapping[str, Entity],
) -> Independence:
    """Count pairwise-independent partners among *sure* (certainly counted) and
    *maybe* (possibly counted: a superset of *sure*).

    ``links`` None means control was not declared. Partners are ordered by id so
    the answer never depends on the order of the file.
    """
    members = sorted(set(maybe) | set(sure))
    if links is None:
        return _undeclared(members, set(sure))
    try:
        closure = control_closure(entities, links, CLOSURE_BUDGET)
        related = related_pairs(members, closure, PAIR_BUDGET)
    except OutOfBudget:
        return _unbounded(members, set(sure))
    index = {name: i for i, name in enumerate(members)}
    maybe_dep = [0] * len(members)  # not certainly independent
    sure_dep = [0] * len(members)  # certainly dependent
    dependencies: list[Link] = []
    doubts: list[Link] = []
    facts: dict[str, None] = {}
    for a, b in related:
        pair = pair_status(a, b, closure, entities)
        i, j = index[a], index[b]
        if pair.independent is not True:
            maybe_dep[i] |= 1 << j
            maybe_dep[j] |= 1 << i
        if pair.independent is False:
            sure_dep[i] |= 1 << j
            sure_dep[j] |= 1 << i
            dependencies.extend(pair.reasons)
        elif pair.independent is None:
            doubts.extend(pair.reasons)
            facts.update(dict.fromkeys(pair.facts))
    sure_mask = sum(1 << index[name] for name in set(sure))
    maybe_mask = sum(1 << index[name] for name in members)
    certain = largest_set(sure_mask, maybe_dep)
    possible = largest_set(maybe_mask, sure_dep)
    return Independence(
        lower=_popcount(certain.chosen),
        upper=possible.upper,
        certain=tuple(members[v] for v in _bits(certain.chosen)),
        dependencies=tuple(dependencies),
        doubts=tuple(doubts),
        facts=tuple(facts),
        exact=certain.exact and possible.exact,
    )


def _undeclared(members: list[str], sure: set[str]) -> Independence:
    """No control declared: every pair is unknown, so one sure partner is certainly
    "independent" alone, and all of them may be (what the pairwise search gave)."""
    certain = next((name for name in members if name in sure), None)
    return Independence(
        lower=0 if certain is None else 1,
        upper=len(members),
        certain=() if certain is None else (certain,),
        dependencies=(),
        doubts=(),
        facts=("control",) if len(members) > 1 else (),
    )


def _unbounded(members: list[str], sure: set[str]) -> Independence:
    """A control graph past the budgets: one sure partner is independent alone, and
    at most every partner may be; "could not be decided exactly" (never a wrong
    verdict), as when the search for the largest set runs out of budget."""
    found = _undeclared(members, sure)
    return Independence(found.lower, found.upper, found.certain, (), (), (), exact=False)


def related_pairs(
    members: list[str], closure: Mapping[str, frozenset[str]], budget: int | None = None
) -> list[tuple[str, str]]:
    """The pairs of *members* (in id order) that control links touch at all: one
    controls the other, or some entity controls both. Every other pair is
    certainly independent; listing only these keeps 999 unrelated partners cheap."""
    position = {name: i for i, name in enumerate(members)}
    if budget is not None:  # a member with k members under it is k distinct pairs
        controls = sum(len(held & position.keys()) for h, held in closure.items() if h in position)
        if controls > 2 * budget:
            raise OutOfBudget
    related = [0] * len(members)  # bit masks: who each member is related to
    for holder, held in closure.items():
        inside = [position[x] for x in held if x in position]
        group = sum(1 << x for x in inside)
        if holder in position:
            h = position[holder]
            related[h] |= group
            group |= 1 << h
        elif len(inside) < 2:
            continue
        for x in inside:
            related[x] |= group
    if budget is not None and sum(_popcount(mask) for mask in related) > 2 * budget:
        raise OutOfBudget
    return [
        (members[i], members[j])
        for i, mask in enumerate(related)
        for j in _bits(mask >> (i + 1) << (i + 1))
    ]


def at_least(
    n: int,
    sure: Sequence[str],
    maybe: Sequence[str],
    links: Sequence[ControlLink] | None,
    entities: Mapping[str, Entity],
) -> bool | None:
    """Are there at least *n* pairwise-independent partners? True, False, or None
    (unknown: undeclared control, a doubtful pair, or a graph past the budget).

    Decided from the bounds of :func:`independence`; for the small *n* of real
    calls (two or three partners from different countries) the greedy part of
    the search already answers.
    """
    found = independence(sure, maybe, links, entities)
    if found.lower >= n:
        return True
    if found.upper < n:
        return False
    return None
