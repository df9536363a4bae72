"""The funding computation: eligible costs, rate, floor and ceiling, in Decimal."""

from __future__ import annotations

from decimal import Decimal

from callwatch.domain.funding import estimate
from callwatch.domain.model import Funding
from callwatch.domain.project import BudgetLine
from tests.rules_support import call_from, criterion, find, project, verdict

BUDGET = (
    BudgetLine("Animation", "animation", Decimal("12345.67")),
    BudgetLine("Voyages", "Travel", Decimal("1000")),  # categories match without case
    BudgetLine("Bâtiment", "construction", Decimal("50000")),
    BudgetLine("Salaires de production", "staff", Decimal("8000")),
)


def test_eligible_lines_rate_and_exact_money() -> None:
    f = Funding(
        eligible_costs=("animation", "travel", "staff"),
        ineligible_costs=("staff",),
        rate=Decimal("0.8"),
    )
    est = estimate(f, BUDGET)
    assert est.eligible_total == Decimal("13345.67")
    assert [(i.line.label, i.reason) for i in est.ineligible] == [
        ("Bâtiment", "not_listed"),
        ("Salaires de production", "excluded"),
    ]
    # 0.8 × 13 345.67 = 10 676.536 → rounded half up to the cent
    assert est.aid == Decimal("10676.54")
    assert est.capped == ()


def test_without_a_list_every_category_not_excluded_is_eligible() -> None:
    est = estimate(Funding(ineligible_costs=("construction",), rate=Decimal("0.5")), BUDGET)
    assert est.eligible_total == Decimal("21345.67")
    assert est.aid == Decimal("10672.84")  # 10 672.835 rounds up


def test_ceilings() -> None:
    f = Funding(rate=Decimal("0.5"), max_eligible_cost=Decimal(20000), max_aid=Decimal(9000))
    est = estimate(f, BUDGET)
    assert est.base == Decimal(20000)  # 71 345.67 capped
    assert est.aid == Decimal(9000)  # 0.5 × 20 000 = 10 000, capped
    assert est.capped == ("max_eligible_cost", "max_aid")


def test_no_rate_means_no_estimate_never_an_invented_rate() -> None:
    est = estimate(Funding(eligible_costs=("animation",)), BUDGET)
    assert est.eligible_total == Decimal("12345.67")
    assert est.aid is None
    assert est.why_no_aid == "no_rate"


def test_unknown_budget_is_not_zero() -> None:
    est = estimate(Funding(rate=Decimal("0.5")), None)
    assert est.eligible_total is None
    assert est.aid is None
    assert est.why_no_aid == "no_budget"


FLOORED = call_from(
    fields="""ongoing = true
[calls.funding]
eligible_costs = ["animation", "travel"]
rate = 0.4
min_eligible_cost = 5000
min_aid = 2500
max_aid = 100000
"""
)


def test_the_floor_is_an_implicit_criterion() -> None:
    small = (BudgetLine("Animation", "animation", Decimal(4999)),)
    v = verdict(FLOORED, project(budget=small))
    check = find(v, "call.funding")
    assert check.implicit
    assert check.status is False
    assert check.required == "eligible costs ≥ €5,000.00; aid ≥ €2,500.00"
    assert v.status is False
    # 6 000 eligible, aid 0.4 × 6 000 = 2 400: above the cost floor, below the aid floor
    v = verdict(FLOORED, project(budget=(BudgetLine("Animation", "animation", Decimal(6000)),)))
    assert find(v, "call.funding").status is False
    v = verdict(FLOORED, project(budget=(BudgetLine("Animation", "animation", Decimal(7000)),)))
    assert find(v, "call.funding").status is True
    assert v.funding.aid == Decimal("2800.00")


def test_only_ineligible_lines_fail_the_funding_criterion() -> None:
    call = call_from(fields='ongoing = true\n[calls.funding]\neligible_costs = ["animation"]\n')
    v = verdict(call, project(budget=(BudgetLine("Bâtiment", "construction", Decimal(1)),)))
    assert find(v, "call.funding").status is False
    assert find(v, "call.funding").required == "eligible costs > 0"
    v = verdict(call, project())
    assert find(v, "call.funding").status is None
    assert [q.key for q in v.questions] == ["budget"]


def test_funding_checks_in_criteria() -> None:
    call = call_from(
        criterion("cost", '{ funding = "eligible_cost", at_least = 10000 }')
        + criterion("aid", '{ funding = "aid", at_most = 5000 }'),
        fields='ongoing = true\n[calls.funding]\nrate = 0.4\neligible_costs = ["animation"]\n',
    )
    v = verdict(call, project(budget=(BudgetLine("A", "animation", Decimal(12500)),)))
    assert find(v, "cost").status is True
    assert find(v, "aid").status is True  # 0.4 × 12 500 = 5 000
    v = verdict(call, project(budget=(BudgetLine("A", "animation", Decimal(12501)),)))
    assert find(v, "aid").status is False
    assert find(v, "aid").found == "aid €5,000.40"
