"""Three-valued logic: every operator's truth table, unknowns included."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import product

import pytest

from callwatch.domain.criteria import bounds_check, tri_and, tri_implies, tri_not, tri_or
from callwatch.domain.project import BudgetLine
from tests.rules_support import (
    call_from,
    criterion,
    find,
    manual,
    partner,
    project,
    status,
    verdict,
)

T, F, U = True, False, None
VALUES = (T, F, U)

# Kleene's strong three-valued logic, written out by hand.
AND = {
    (T, T): T, (T, F): F, (T, U): U,
    (F, T): F, (F, F): F, (F, U): F,
    (U, T): U, (U, F): F, (U, U): U,
}  # fmt: skip
OR = {
    (T, T): T, (T, F): T, (T, U): T,
    (F, T): T, (F, F): F, (F, U): U,
    (U, T): T, (U, F): U, (U, U): U,
}  # fmt: skip
NOT = {T: F, F: T, U: U}


@pytest.mark.parametrize(("a", "b"), list(product(VALUES, VALUES)))
def test_connectives(a: bool | None, b: bool | None) -> None:
    assert tri_and([a, b]) is AND[a, b]
    assert tri_or([a, b]) is OR[a, b]
    assert tri_implies(a, b) is OR[NOT[a], b]


def test_not_and_empty() -> None:
    assert [tri_not(v) for v in VALUES] == [F, T, U]
    assert tri_and([]) is T  # nothing required: met
    assert tri_or([]) is F


@pytest.mark.parametrize(
    ("low", "high", "at_least", "at_most", "expected"),
    [
        (2, 2, 2, None, T),
        (1, 3, 2, None, U),  # the unknown ones might reach the bound
        (1, 1, 2, None, F),  # even counting every unknown one, too few
        (0, None, 1, None, U),  # unbounded above: cannot fail at_least
        (0, None, 0, None, T),
        (1, 1, None, 1, T),
        (1, 2, None, 1, U),
        (2, 3, None, 1, F),
        (0, None, None, 5, U),
        (2, 4, 2, 4, T),
        (1, 4, 2, 4, U),
        (2, 5, 2, 4, U),
        (5, 6, 2, 4, F),
    ],
)
def test_bounds(
    low: int, high: int | None, at_least: int | None, at_most: int | None, expected: bool | None
) -> None:
    assert bounds_check(low, high, at_least, at_most) is expected


def answers_for(a: bool | None, b: bool | None) -> dict[str, bool]:
    return {k: v for k, v in (("a", a), ("b", b)) if v is not None}


COMBINED = call_from(
    manual("a")
    + manual("b")
    + criterion("all", '{ all_of = ["a", "b"] }')
    + criterion("any", '{ any_of = ["a", "b"] }')
    + criterion("none", '{ none_of = ["a", "b"] }')
    + criterion("not-a", '{ not = "a" }')
)


@pytest.mark.parametrize(("a", "b"), list(product(VALUES, VALUES)))
def test_combinators(a: bool | None, b: bool | None) -> None:
    v = verdict(COMBINED, project(answers=answers_for(a, b)))
    assert find(v, "all").status is AND[a, b]
    assert find(v, "any").status is OR[a, b]
    assert find(v, "none").status is NOT[OR[a, b]]
    assert find(v, "not-a").status is NOT[a]
    # the children are the referenced criteria, explained in full
    assert [c.id for c in find(v, "all").children] == ["a", "b"]


def test_combinator_explanations_name_the_deciding_children() -> None:
    v = verdict(COMBINED, project(answers={"a": True, "b": False}))
    assert find(v, "all").found == "not met: b"
    assert find(v, "any").found == "met: a"
    assert find(v, "all").required == "all of: a, b"
    v = verdict(COMBINED, project(answers={"a": False}))
    assert find(v, "all").found == "not met: a"
    assert find(v, "any").found == "unknown: b"


def test_only_unreferenced_criteria_decide_the_verdict() -> None:
    call = call_from(manual("a") + manual("b") + criterion("either", '{ any_of = ["a", "b"] }'))
    v = verdict(call, project(answers={"a": True, "b": False}))
    ids = [e.id for e in v.criteria if not e.implicit]
    assert ids == ["either"]  # b is not met, but only as one option of "either"
    assert v.status is True


def compare_call(check: str) -> object:
    return call_from(criterion("x", check))


@pytest.mark.parametrize(
    ("check", "value", "expected"),
    [
        ('{ path = "project.territory", within = ["FR-ARA"] }', "FR-63", T),
        ('{ path = "project.territory", within = "FR-ARA" }', "FR-ARA", T),
        ('{ path = "project.territory", within = ["FR-ARA"] }', "FR-21", F),
        ('{ path = "project.territory", within = ["FR-ARA"] }', "FR", F),  # wider than the call
        ('{ path = "project.territory", within = ["FR-ARA", "FR-BFC"] }', "FR-21", T),
        ('{ path = "project.territory", within = ["FR-ARA"] }', None, U),
        ('{ path = "project.territory", in = ["FR-ARA"] }', "FR-63", F),  # `in` is exact
        ('{ path = "project.territory", eq = "FR-63" }', "FR-63", T),
    ],
)
def test_territory_operators(check: str, value: str | None, expected: bool | None) -> None:
    call = call_from(criterion("x", check))
    assert status(call, project(territory=value), "x") is expected


@pytest.mark.parametrize(
    ("op", "themes", "expected"),
    [
        ("any_in", ("b", "c"), T),
        ("any_in", ("c",), F),
        ("any_in", (), F),
        ("any_in", None, U),
        ("all_in", ("a",), T),
        ("all_in", ("a", "c"), F),
        ("all_in", (), T),  # nothing outside the list
        ("all_in", None, U),
    ],
)
def test_list_operators(op: str, themes: tuple[str, ...] | None, expected: bool | None) -> None:
    call = call_from(criterion("x", f'{{ path = "project.themes", {op} = ["a", "b"] }}'))
    assert status(call, project(themes=themes), "x") is expected


@pytest.mark.parametrize(
    ("check", "start", "expected"),
    [
        ('{ path = "project.start", gte = 2019-06-01 }', date(2019, 6, 1), T),
        ('{ path = "project.start", gte = 2019-06-01 }', date(2019, 5, 31), F),
        ('{ path = "project.start", lte = 2019-06-01 }', date(2019, 6, 1), T),
        ('{ path = "project.start", lte = 2019-06-01 }', date(2019, 6, 2), F),
        ('{ path = "project.start", between = [2019-01-01, 2019-12-31] }', date(2019, 12, 31), T),
        ('{ path = "project.start", between = [2019-01-01, 2019-12-31] }', date(2020, 1, 1), F),
        ('{ path = "project.start", eq = 2019-01-01 }', date(2019, 1, 1), T),
        ('{ path = "project.start", gte = 2019-06-01 }', None, U),
        ('{ path = "project.start", between = [2019-01-01, 2019-12-31] }', None, U),
    ],
)
def test_date_operators(check: str, start: date | None, expected: bool | None) -> None:
    call = call_from(criterion("x", check))
    assert status(call, project(start=start), "x") is expected


@pytest.mark.parametrize(
    ("check", "answer", "expected"),
    [
        ('{ path = "answers.jobs", gte = 3 }', Decimal(3), T),
        ('{ path = "answers.jobs", gte = 3 }', Decimal("2.5"), F),
        ('{ path = "answers.jobs", lte = 2.5 }', Decimal("2.5"), T),
        ('{ path = "answers.jobs", between = [1, 2] }', Decimal(3), F),
        ('{ path = "answers.jobs", gte = 3 }', None, U),
        ('{ path = "answers.jobs", gte = 3 }', True, U),  # a boolean is not a number
        ('{ path = "answers.jobs", gte = 3 }', "three", U),
        ('{ path = "answers.jobs", eq = "oui" }', "oui", T),
        ('{ path = "answers.jobs", eq = "oui" }', "non", F),
        ('{ path = "answers.jobs", in = ["a", "b"] }', "b", T),
        ('{ path = "answers.jobs", in = ["a", "b"] }', "c", F),
        ('{ path = "answers.jobs", eq = true }', True, T),
        ('{ path = "answers.jobs", eq = true }', Decimal(1), U),  # 1 is not true
    ],
)
def test_answer_operators(check: str, answer: object, expected: bool | None) -> None:
    call = call_from(criterion("x", check))
    answers = {} if answer is None else {"jobs": answer}
    v = verdict(call, project(answers=answers))
    assert find(v, "x").status is expected
    if expected is None:
        assert [q.key for q in v.questions] == ["answers.jobs"]


def test_manual_criterion_asks_its_question() -> None:
    call = call_from(manual("a"))
    v = verdict(call, project())
    assert v.status is None
    assert [(q.key, q.text) for q in v.questions] == [("answers.a", "a? ([answers] a)")]
    assert verdict(call, project(answers={"a": "yes"})).status is None  # not a boolean
    assert verdict(call, project(answers={"a": False})).status is False


TYPE_CALL = call_from(
    criterion(
        "x",
        '{ for_each = "partners", require = { path = "partners.type", in = ["legal_person"] } }',
    )
)


@pytest.mark.parametrize(
    ("kind", "legal_form", "expected", "fact"),
    [
        ("commune", None, T, None),  # a commune is a legal person
        ("association", None, T, None),
        ("farmer", "GAEC", T, None),  # a GAEC is a legal person
        ("farmer", "EI", F, None),  # a farmer in person is not
        ("farmer", None, U, "partners[p].legal_form"),
        ("private_person", None, F, None),
        (None, None, U, "partners[p].type"),
    ],
)
def test_beneficiary_codes_nest(
    kind: str | None, legal_form: str | None, expected: bool | None, fact: str | None
) -> None:
    proj = project(partners=(partner("p", type=kind, legal_form=legal_form),))
    v = verdict(TYPE_CALL, proj)
    assert find(v, "x").status is expected
    assert [q.key for q in v.questions] == ([fact] if fact else [])


ROLE = '{ path = "partners.roles", any_in = ["producer"] }'


@pytest.mark.parametrize(
    ("roles", "at_least", "at_most", "expected"),
    [
        ((("producer",), ("producer",)), 2, None, T),
        ((("producer",), None), 2, None, U),  # the unknown one may be a producer
        ((("producer",), ("retailer",)), 2, None, F),
        ((("producer",), None), None, 1, U),
        ((("producer",), ("producer",)), None, 1, F),
        ((("producer",), ("retailer",)), None, 1, T),
        ((None, None), 0, None, T),
    ],
)
def test_count_with_unknowns(
    roles: tuple[tuple[str, ...] | None, ...],
    at_least: int | None,
    at_most: int | None,
    expected: bool | None,
) -> None:
    bounds = ", ".join(
        f"{k} = {v}" for k, v in (("at_least", at_least), ("at_most", at_most)) if v is not None
    )
    call = call_from(criterion("x", f'{{ count = "partners", where = {ROLE}, {bounds} }}'))
    partners = tuple(partner(f"p{i}", roles=r) for i, r in enumerate(roles))
    assert status(call, project(partners=partners), "x") is expected


def test_undeclared_partners_are_unknown_not_zero() -> None:
    call = call_from(criterion("x", '{ count = "partners", at_least = 1 }'))
    v = verdict(call, project())
    assert find(v, "x").status is None
    assert [q.key for q in v.questions] == ["partners"]
    assert status(call, project(partners=()), "x") is False


def test_for_each_with_a_filter() -> None:
    call = call_from(
        criterion(
            "x",
            '{ for_each = "partners", where = { path = "partners.type", eq = "farmer" }, '
            'require = { path = "partners.territory", within = ["FR-ARA"] } }',
        )
    )
    outside = partner("b", type="private_sector", territory="FR-21")
    farmer = partner("a", type="farmer", legal_form="GAEC", territory="FR-63")
    assert status(call, project(partners=(farmer, outside)), "x") is True  # b is not a farmer
    far = partner("c", type="farmer", territory="FR-21")
    v = verdict(call, project(partners=(farmer, far)))
    assert find(v, "x").status is False
    assert find(v, "x").found == "not met by c (FR-21 (in FR-BFC, FR))"
    # unknown type, failing requirement: it depends on whether c is a farmer
    unsure = partner("c", territory="FR-21")
    v = verdict(call, project(partners=(farmer, unsure)))
    assert find(v, "x").status is None
    assert [q.key for q in v.questions] == ["partners[c].type"]


@pytest.mark.parametrize(
    ("territories", "expected"),
    [(("FR-63", "IT-21"), T), (("FR-63", "FR-42"), F), (("FR-63", None), U), ((None,), F)],
)
def test_distinct_countries(territories: tuple[str | None, ...], expected: bool | None) -> None:
    call = call_from(criterion("x", '{ distinct = "partners.country", at_least = 2 }'))
    partners = tuple(partner(f"p{i}", territory=t) for i, t in enumerate(territories))
    assert status(call, project(partners=partners), "x") is expected


def test_sum_over_budget_lines() -> None:
    call = call_from(
        criterion(
            "x",
            '{ sum = "budget.amount", where = { path = "budget.category", eq = "animation" }, '
            "at_least = 10000 }",
        )
    )
    lines = (
        BudgetLine("a", "animation", Decimal(6000)),
        BudgetLine("b", "animation", Decimal("4000.00")),
        BudgetLine("c", "equipment", Decimal(90000)),
    )
    assert status(call, project(budget=lines), "x") is True
    assert status(call, project(budget=lines[1:]), "x") is False
    assert status(call, project(), "x") is None


def test_questions_only_when_they_can_change_the_verdict() -> None:
    call = call_from(
        manual("a")
        + manual("b")
        + criterion("t", '{ path = "project.territory", within = ["FR-ARA"] }')
    )
    # b is not met: the verdict is settled; a and the territory would change nothing
    v = verdict(call, project(answers={"b": False}))
    assert v.status is False
    assert v.questions == ()
    v = verdict(call, project(answers={"b": True}))
    assert v.status is None
    assert [q.key for q in v.questions] == ["answers.a", "project.territory"]


def test_questions_deciding_more_criteria_come_first() -> None:
    call = call_from(
        manual("first")
        + criterion("t1", '{ path = "project.start", gte = 2019-01-01 }')
        + criterion("t2", '{ path = "project.start", lte = 2020-01-01 }')
    )
    v = verdict(call, project())
    assert [(q.key, q.criteria) for q in v.questions] == [
        ("project.start", ("t1", "t2")),
        ("answers.first", ("first",)),
    ]


def test_an_unknown_option_of_a_met_any_of_is_not_asked() -> None:
    call = call_from(manual("a") + manual("b") + criterion("any", '{ any_of = ["a", "b"] }'))
    v = verdict(call, project(answers={"a": True}))
    assert v.status is True
    assert v.questions == ()
    assert find(v, "b").status is None  # still shown as unknown in the detail


def test_a_shared_criterion_is_evaluated_once_and_shown_under_each_parent() -> None:
    call = call_from(
        manual("a")
        + manual("b")
        + criterion("x", '{ all_of = ["a", "b"] }')
        + criterion("y", '{ any_of = ["a"] }')
    )
    v = verdict(call, project(answers={"b": True}))
    assert [q.key for q in v.questions] == ["answers.a"]
    assert [q.criteria for q in v.questions] == [("a",)]
