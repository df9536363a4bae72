"""`check` on control graphs of crafted size (issue 13): same answers, polynomial shapes,
and bounds with "not exact" instead of a wrong verdict past the budget."""

from __future__ import annotations

import random
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from callwatch.domain.independence import (
    at_least,
    components,
    control_closure,
    independence,
    largest_set,
    max_independent_set,
)
from callwatch.domain.project import ControlLink, Entity, Partner, Project
from tests.rules_support import call_from, criterion, find, partner, project, verdict

PARTNERSHIP = call_from(
    criterion("partnership", '{ count = "partners", independent = true, at_least = 2 }')
)


def private(n: int) -> tuple[Partner, ...]:
    return tuple(partner(f"p{i:03}", type="private_sector", public=False) for i in range(n))


def counted(proj: Project) -> tuple[int, int, bool]:
    ids = [p.id for p in proj.partners or ()]
    found = independence(ids, ids, proj.control, proj.entities())
    return found.lower, found.upper, found.exact


def test_twenty_holdings_over_sixty_partners_count_twenty() -> None:
    holdings = tuple(Entity(f"h{k}", public=False) for k in range(20))
    links = tuple(
        ControlLink(f"h{k}", f"p{3 * k + j:03}", "shares", Decimal("0.6"))
        for k in range(20)
        for j in range(3)
    )
    proj = project(partners=private(60), control=links, outside=holdings)
    assert counted(proj) == (20, 20, True)


def test_a_control_cycle_through_200_partners_is_one_group() -> None:
    links = tuple(
        ControlLink(f"p{i:03}", f"p{(i + 1) % 200:03}", "shares", Decimal("0.6"))
        for i in range(200)
    )
    closure = control_closure([f"p{i:03}" for i in range(200)], links)
    assert all(len(held) == 199 for held in closure.values())
    proj = project(partners=private(200), control=links)
    assert counted(proj) == (1, 1, True)
    assert find(verdict(PARTNERSHIP, proj), "partnership").status is False


def test_999_partners_without_a_control_key_are_unknown_not_a_traceback() -> None:
    proj = project(partners=private(999), control=None)
    assert counted(proj) == (1, 999, True)
    v = verdict(PARTNERSHIP, proj)
    assert find(v, "partnership").status is None
    assert [q.key for q in v.questions] == ["control"]


def test_999_unrelated_partners_are_all_independent() -> None:
    proj = project(partners=private(999), control=())
    assert counted(proj) == (999, 999, True)
    assert at_least(2, ["p000", "p001"], ["p000", "p001"], (), proj.entities()) is True


def test_components_split_the_conflict_graph() -> None:
    conflicts = [0b10, 0b01, 0b1000, 0b0100, 0]
    assert sorted(components(0b11111, conflicts)) == [0b00011, 0b01100, 0b10000]


def random_graph(n: int, p: float, seed: int) -> list[int]:
    rng = random.Random(seed)  # noqa: S311 - a test graph, not a secret
    conflicts = [0] * n
    for i in range(n):
        for j in range(i + 1, n):
            if rng.random() < p:
                conflicts[i] |= 1 << j
                conflicts[j] |= 1 << i
    return conflicts


@given(st.integers(8, 40), st.floats(0.05, 0.6), st.integers(0, 10**6))
def test_past_the_budget_the_bounds_still_hold(n: int, p: float, seed: int) -> None:
    conflicts = random_graph(n, p, seed)
    everyone = (1 << n) - 1
    exact = max_independent_set(everyone, conflicts)
    size = exact.bit_count()
    tight = largest_set(everyone, conflicts, budget=0)
    assert tight.chosen.bit_count() <= size <= tight.upper
    for v in range(n):  # the set found has no conflict inside
        if tight.chosen >> v & 1:
            assert not tight.chosen & conflicts[v]
    if not tight.exact:
        assert tight.chosen.bit_count() <= tight.upper
    assert largest_set(everyone, conflicts).chosen.bit_count() == size


def test_a_graph_past_the_budget_says_so_and_gives_a_range() -> None:
    conflicts = random_graph(90, 0.1, 7)
    found = largest_set((1 << 90) - 1, conflicts, budget=10)
    assert not found.exact
    assert found.chosen.bit_count() < found.upper
