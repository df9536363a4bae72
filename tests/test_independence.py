"""Independence by the EU control definition, and the largest independent set."""

from __future__ import annotations

import random
from decimal import Decimal
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from callwatch.domain.independence import control_closure, independence, max_independent_set
from callwatch.domain.project import ControlLink, Entity, Project
from tests.rules_support import call_from, criterion, find, partner, project, verdict

PARTNERSHIP = call_from(
    criterion("partnership", '{ count = "partners", independent = true, at_least = 2 }')
)


def link(
    controller: str, controlled: str, share: str | None = None, basis: str = "shares"
) -> ControlLink:
    if share is None:
        return ControlLink(controller, controlled, "decision_power")
    return ControlLink(controller, controlled, basis, Decimal(share))


def with_partners(
    ids: str, control: tuple[ControlLink, ...] | None, outside: tuple[Entity, ...] = ()
) -> Project:
    # private companies: not public bodies (what the loader derives from the type)
    partners = tuple(partner(i, type="private_sector", public=False) for i in ids.split())
    return project(partners=partners, control=control, outside=outside)


def count(proj: Project) -> tuple[int, int]:
    found = independence(
        [p.id for p in proj.partners or ()],
        [p.id for p in proj.partners or ()],
        proj.control,
        proj.entities(),
    )
    return found.lower, found.upper


def test_no_links_declared_means_all_independent() -> None:
    assert count(with_partners("a b c", ())) == (3, 3)


def test_undeclared_control_is_unknown_above_one() -> None:
    proj = with_partners("a b c", None)
    assert count(proj) == (1, 3)
    v = verdict(PARTNERSHIP, proj)
    assert find(v, "partnership").status is None
    assert [q.key for q in v.questions] == ["control"]
    assert "control links not declared" in find(v, "partnership").found


def test_one_partner_is_never_two_even_undeclared() -> None:
    v = verdict(PARTNERSHIP, with_partners("a", None))
    assert find(v, "partnership").status is False
    assert v.questions == ()


def test_majority_shareholder_controls() -> None:
    proj = with_partners("coop shop", (link("coop", "shop", "0.6"),))
    assert count(proj) == (1, 1)
    v = verdict(PARTNERSHIP, proj)
    assert find(v, "partnership").status is False
    assert find(v, "partnership").found == "1 independent partner (coop controls shop (60%))"


def test_exactly_half_is_not_control() -> None:
    assert count(with_partners("a b", (link("a", "b", "0.5"),))) == (2, 2)
    assert count(with_partners("a b", (link("a", "b", "0.5", "voting_rights"),))) == (2, 2)
    assert count(with_partners("a b", (link("a", "b", "0.5000001"),))) == (1, 1)


def test_voting_rights_alone_give_control() -> None:
    assert count(with_partners("a b", (link("a", "b", "0.51", "voting_rights"),))) == (1, 1)


def test_shares_and_votes_are_not_added_together() -> None:
    links = (link("a", "b", "0.3"), link("a", "b", "0.3", "voting_rights"))
    assert count(with_partners("a b", links)) == (2, 2)


def test_decision_power_is_control_without_shares() -> None:
    assert count(with_partners("a b", (link("a", "b"),))) == (1, 1)


def test_chain_of_control_is_indirect_control() -> None:
    # a controls b, b controls c: a controls c, so no two of them are independent
    links = (link("a", "b", "0.8"), link("b", "c", "0.7"))
    assert count(with_partners("a c", links)) == (1, 1)
    closure = control_closure(["a", "b", "c"], links)
    assert closure["a"] == {"b", "c"}
    assert closure["b"] == {"c"}
    assert closure["c"] == set()


def test_indirect_holdings_add_up() -> None:
    # a holds 30 % of c directly and, through b which it controls, 25 % more: 55 %
    links = (link("a", "b", "0.6"), link("a", "c", "0.3"), link("b", "c", "0.25"))
    assert "c" in control_closure(["a", "b", "c"], links)["a"]
    # without control of b, b's holding is not a's
    links = (link("a", "b", "0.4"), link("a", "c", "0.3"), link("b", "c", "0.25"))
    assert "c" not in control_closure(["a", "b", "c"], links)["a"]


def test_a_common_parent_outside_the_partnership() -> None:
    holding = Entity("holding", "Holding SA", public=False)
    links = (link("holding", "a", "0.51"), link("holding", "b", "0.9"))
    proj = with_partners("a b c", links, (holding,))
    assert count(proj) == (2, 2)  # {a, c} or {b, c}
    v = verdict(PARTNERSHIP, proj)
    assert "holding controls a (51%) and b (90%)" in find(v, "partnership").found


def test_a_common_public_owner_does_not_make_partners_dependent() -> None:
    region = Entity("region", "Région", public=True)
    links = (link("region", "a", "0.8"), link("region", "b", "0.8"))
    assert count(with_partners("a b", links, (region,))) == (2, 2)


def test_a_public_body_controlling_a_partner_directly_still_controls() -> None:
    # the commune is a partner and owns 80 % of the other: one entity in law
    partners = (partner("commune", type="commune", public=True), partner("spl", type="public_cies"))
    proj = project(partners=partners, control=(link("commune", "spl", "0.8"),))
    assert count(proj) == (1, 1)


def test_a_common_owner_of_unknown_status_leaves_the_pair_unknown() -> None:
    owner = Entity("owner", "Groupement X", public=None)
    links = (link("owner", "a", "0.8"), link("owner", "b", "0.8"))
    proj = with_partners("a b", links, (owner,))
    assert count(proj) == (1, 2)
    v = verdict(PARTNERSHIP, proj)
    assert [q.key for q in v.questions] == ["entities[owner].public"]
    assert "Groupement X" in v.questions[0].text


def test_a_cycle_of_cross_holdings_terminates() -> None:
    links = (link("a", "b", "0.6"), link("b", "a", "0.6"), link("b", "c", "0.2"))
    closure = control_closure(["a", "b", "c"], links)
    assert closure["a"] == {"b"}  # a never counts as controlling itself
    assert closure["b"] == {"a"}
    assert count(with_partners("a b c", links)) == (2, 2)  # {a, c} or {b, c}


def test_a_cycle_that_adds_up_through_itself() -> None:
    # b and c each hold 30 % of the other; a controls b, so a holds through b 30 % of c
    # plus its own 30 %: control of c, even though the links form a cycle.
    links = (
        link("a", "b", "0.6"),
        link("b", "c", "0.3"),
        link("c", "b", "0.3"),
        link("a", "c", "0.3"),
    )
    closure = control_closure(["a", "b", "c"], links)
    assert closure["a"] == {"b", "c"}
    assert count(with_partners("a b c", links)) == (1, 1)


def test_partners_under_one_controller_count_once() -> None:
    star = tuple(link("hub", x, "0.9") for x in ("x", "y", "z"))
    assert count(with_partners("hub x y z", star)) == (1, 1)


def test_the_largest_set_not_just_a_maximal_one() -> None:
    # x, y and z each have decision power over the hub: the hub depends on each of
    # them, but they are independent of one another. {hub} is maximal, {x, y, z} largest.
    star = tuple(link(x, "hub") for x in ("x", "y", "z"))
    assert count(with_partners("hub x y z", star)) == (3, 3)


def test_thirty_partners_with_many_links() -> None:
    ids = [f"p{i:02d}" for i in range(30)]
    # each partner holds 60 % of the next and 51 % of the one after (a dense cycle)
    links = tuple(link(ids[i], ids[(i + 1) % 30], "0.6") for i in range(30))
    closure = control_closure(ids, links)
    assert all(len(closure[i]) == 29 for i in ids)  # everyone controls everyone
    assert count(with_partners(" ".join(ids), links)) == (1, 1)
    # disjoint pairs: 15 controllers control 15 others, nothing else: 15 independent
    pairs = tuple(link(ids[i], ids[i + 1], "0.7") for i in range(0, 30, 2))
    assert count(with_partners(" ".join(ids), pairs)) == (15, 15)


def brute_force(n: int, edges: set[tuple[int, int]]) -> int:
    for size in range(n, 0, -1):
        for group in combinations(range(n), size):
            if not any((a, b) in edges or (b, a) in edges for a, b in combinations(group, 2)):
                return size
    return 0


@given(
    st.integers(min_value=0, max_value=9).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.sets(
                st.tuples(st.integers(0, max(n - 1, 0)), st.integers(0, max(n - 1, 0))).filter(
                    lambda e: e[0] != e[1]
                ),
                max_size=20,
            ),
        )
    )
)
@settings(max_examples=300, deadline=None)
def test_max_independent_set_is_exact(case: tuple[int, set[tuple[int, int]]]) -> None:
    n, edges = case
    conflicts = [0] * n
    for a, b in edges:
        conflicts[a] |= 1 << b
        conflicts[b] |= 1 << a
    chosen = max_independent_set((1 << n) - 1, conflicts)
    members = [v for v in range(n) if chosen >> v & 1]
    assert not any((a, b) in edges or (b, a) in edges for a, b in combinations(members, 2))
    assert len(members) == brute_force(n, edges)


def brute_force_masks(n: int, conflicts: list[int]) -> int:
    """The size of a largest independent set, by trying every subset (n ≤ 14)."""
    best = 0
    for subset in range(1 << n):
        if subset.bit_count() <= best:
            continue
        if all(not (conflicts[v] & subset) for v in range(n) if subset >> v & 1):
            best = subset.bit_count()
    return best


@given(
    st.integers(min_value=10, max_value=14).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.floats(min_value=0.05, max_value=0.6),
            st.randoms(use_true_random=False),
        )
    )
)
@settings(max_examples=40, deadline=None)
def test_max_independent_set_is_exact_on_larger_graphs(
    case: tuple[int, float, random.Random],
) -> None:
    n, density, rng = case
    conflicts = [0] * n
    for a, b in combinations(range(n), 2):
        if rng.random() < density:
            conflicts[a] |= 1 << b
            conflicts[b] |= 1 << a
    chosen = max_independent_set((1 << n) - 1, conflicts)
    assert all(not (conflicts[v] & chosen) for v in range(n) if chosen >> v & 1)
    assert chosen.bit_count() == brute_force_masks(n, conflicts)
