"""The largest consortium: partners pairwise independent, with pairwise distinct values
(countries), at least one of them satisfying a condition (established in a Member State).

Checking "three independent partners" and "three countries" apart is wrong: three
independent French partners plus a German and an Italian partner both controlled by
one of them pass both, yet no three of them are independent *and* from different
countries. This module answers the conjunction exactly for real consortia.

How: partners that are not independent are grouped into classes (connected
components of the dependence graph). When every class is a clique (every two of its
members dependent: a group of companies), a consortium takes at most one partner per
class and one per country, which is a bipartite matching between classes and
countries: exact and polynomial. A class that is not a clique (a public body directly
controlling two partners that are independent of each other) is split by branching on
its most connected partner: taken, or left out. The branching is bounded by a budget
of steps; beyond it the answer found is kept as a witness (a lower bound), the count
of distinct countries as an upper bound, and the result is marked not exact.

Pure logic over identifiers: which partners are candidates, their countries and the
dependence between them are decided by the caller (three-valued reasoning makes two
calls: one for what is certain, one for what is possible).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Work allowed (partners and links visited) before giving up exactness. A real
# consortium of 50 needs a few thousand; a random web of links between 50 partners
# a few million at most; this stops any input within about a second.
BUDGET = 5_000_000


@dataclass(frozen=True, slots=True)
class Candidate:
    """A partner that may be in the consortium.

    ``key`` is the value that must differ between members (the country); None means
    unknown, which may be any value, so it never collides with another.
    """

    id: str
    key: str | None
    including: bool = False


@dataclass(frozen=True, slots=True)
class Found:
    """A largest consortium (ids, sorted), or the best one found within the budget."""

    members: tuple[str, ...]
    bound: int  # no consortium is larger (== len(members) when exact)
    exact: bool


class _OutOfBudget(Exception):
    pass


class EveryPair:
    """Every two candidates dependent (control undeclared, or too intricate to follow):
    said without listing the N²/2 pairs, which for 5,000 partners took seconds."""


EVERY_PAIR = EveryPair()


def largest(
    candidates: Sequence[Candidate],
    dependent: Iterable[tuple[str, str]] | EveryPair,
    need_including: bool,
    budget: int | None = None,
) -> Found:
    """The largest set of *candidates*, no two *dependent*, no two with the same key,
    and (when *need_including*) at least one ``including`` member; empty when none.
    *budget*: work allowed (default :data:`BUDGET`)."""
    if isinstance(dependent, EveryPair):  # one clique: any one partner, exactly
        pool = [c.id for c in candidates if c.including or not need_including]
        return Found((min(pool),), 1, True) if pool else Found((), 0, True)
    search = _Search(candidates, dependent, need_including, BUDGET if budget is None else budget)
    return search.run()


class _Search:
    def __init__(
        self,
        candidates: Sequence[Candidate],
        dependent: Iterable[tuple[str, str]],
        need_including: bool,
        budget: int,
    ) -> None:
        self.order = sorted(candidates, key=lambda c: c.id)
        self.dependent = dependent
        self.adj: list[set[int]] = [set() for _ in self.order]
        self.keys = [c.key if c.key is not None else f"\0{i}" for i, c in enumerate(self.order)]
        self.incl = [c.including for c in self.order]
        self.need = need_including
        self.budget = budget
        self.steps = 0
        self.best: tuple[int, ...] = ()

    def links(self) -> None:
        """The dependence graph, each pair paid from the budget: a web of links too
        large to search is too large to build as well."""
        index = {c.id: i for i, c in enumerate(self.order)}
        for a, b in self.dependent:
            self.spend(1)
            i, j = index.get(a), index.get(b)
            if i is not None and j is not None and i != j:
                self.adj[i].add(j)
                self.adj[j].add(i)

    def run(self) -> Found:
        alive = frozenset(range(len(self.order)))
        bound = len({self.keys[v] for v in alive})
        if self.need and not any(self.incl):
            bound = 0
        try:
            self.links()
            self.solve(alive, (), False)
        except _OutOfBudget:
            return Found(self.ids(self.best), max(bound, len(self.best)), False)
        return Found(self.ids(self.best), len(self.best), True)

    def ids(self, chosen: Iterable[int]) -> tuple[str, ...]:
        return tuple(sorted(self.order[v].id for v in chosen))

    # -- branching ------------------------------------------------------------------

    def spend(self, work: int) -> None:
        self.steps += work
        if self.steps > self.budget:
            raise _OutOfBudget

    def solve(self, alive: frozenset[int], forced: tuple[int, ...], has_incl: bool) -> None:
        self.spend(1 + len(alive))
        if len(forced) + len({self.keys[v] for v in alive}) <= len(self.best):
            return  # even one member per remaining country would not beat the best
        if self.need and not has_incl and not any(self.incl[v] for v in alive):
            return
        pivot = self.pivot(alive)
        if pivot is None:
            rest = self.matching(alive, self.need and not has_incl)
            if rest is not None and len(forced) + len(rest) > len(self.best):
                self.best = forced + rest
            return
        key = self.keys[pivot]
        taken = frozenset(
            v for v in alive if v != pivot and v not in self.adj[pivot] and self.keys[v] != key
        )
        self.solve(taken, (*forced, pivot), has_incl or self.incl[pivot])
        self.solve(alive - {pivot}, forced, has_incl)

    def classes(self, alive: frozenset[int]) -> list[list[int]]:
        """Connected components of the dependence graph among *alive*, in index order."""
        seen: set[int] = set()
        out = []
        for start in sorted(alive):
            if start in seen:
                continue
            seen.add(start)
            component, todo = [start], [start]
            while todo:
                links = self.adj[todo.pop()]
                self.spend(len(links))
                for w in links:
                    if w in alive and w not in seen:
                        seen.add(w)
                        component.append(w)
                        todo.append(w)
            out.append(sorted(component))
        return out

    def pivot(self, alive: frozenset[int]) -> int | None:
        """The most connected partner of the first class that is not a clique, if any."""
        for component in self.classes(alive):
            size = len(component)
            degrees = [(len(self.adj[v] & alive), -v) for v in component]
            if min(d for d, _ in degrees) < size - 1:
                return -max(degrees)[1]
        return None

    # -- matching (every class a clique) -----------------------------------------------

    def matching(self, alive: frozenset[int], need: bool) -> tuple[int, ...] | None:
        """At most one partner per class and per key, as many as possible; with *need*,
        one of them ``including`` (None when no including partner is left)."""
        plain = self.match(alive)
        if not need or any(self.incl[v] for v in plain):
            return plain
        best: tuple[int, ...] | None = None
        for p in sorted(v for v in alive if self.incl[v]):
            cls = next(c for c in self.classes(alive) if p in c)
            rest = frozenset(v for v in alive if v not in cls and self.keys[v] != self.keys[p])
            found = (p, *self.match(rest))
            if best is None or len(found) > len(best):
                best = found
                if len(best) == len(plain):
                    break
        return best

    def match(self, alive: frozenset[int]) -> tuple[int, ...]:
        """Maximum bipartite matching between classes and keys (augmenting paths)."""
        classes = self.classes(alive)
        owner: dict[str, tuple[int, int]] = {}  # key -> (class number, partner)

        def augment(c: int, visited: set[str]) -> bool:
            self.spend(len(classes[c]))
            for v in classes[c]:
                key = self.keys[v]
                if key in visited:
                    continue
                visited.add(key)
                if key not in owner or augment(owner[key][0], visited):
                    owner[key] = (c, v)
                    return True
            return False

        for c in range(len(classes)):
            augment(c, set())
        return tuple(sorted(v for _, v in owner.values()))
