"""The aid a project may expect from a call: eligible costs, rate, floor and ceiling.

Money is Decimal throughout. Eligible costs are the budget lines whose category
the call lists in ``eligible_costs`` (every category when the list is empty)
and not in ``ineligible_costs``. The base is the eligible total, capped by
``max_eligible_cost``; the aid is ``rate`` × base, capped by ``max_aid``, rounded
to the cent. Without a rate the aid is not estimated: no rate is ever invented.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from callwatch.domain.model import Funding
from callwatch.domain.project import BudgetLine

CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Ineligible:
    line: BudgetLine
    reason: str  # "excluded": in ineligible_costs; "not_listed": not in eligible_costs


@dataclass(frozen=True, slots=True)
class Estimate:
    """What the budget is worth under a call's funding rules."""

    currency: str
    eligible: tuple[BudgetLine, ...] | None  # None: no budget given
    ineligible: tuple[Ineligible, ...]
    eligible_total: Decimal | None
    base: Decimal | None  # the eligible total within max_eligible_cost
    rate: Decimal | None
    aid: Decimal | None  # None: cannot be estimated (see why_no_aid)
    capped: tuple[str, ...]  # which ceilings applied: max_eligible_cost, max_aid
    why_no_aid: str | None  # no_funding | no_rate | no_budget


def fold(category: str) -> str:
    return category.strip().casefold()


def classify(funding: Funding | None, line: BudgetLine) -> str | None:
    """Why *line* is not eligible under *funding*, or None when it is."""
    if funding is None:
        return None
    return _classify(fold(line.category), funding.eligible_costs, funding.ineligible_costs)


@lru_cache(maxsize=8192)
def _categories(costs: tuple[str, ...]) -> frozenset[str]:
    return frozenset(fold(c) for c in costs)


def _classify(category: str, eligible: tuple[str, ...], ineligible: tuple[str, ...]) -> str | None:
    if category in _categories(ineligible):
        return "excluded"
    if eligible and category not in _categories(eligible):
        return "not_listed"
    return None


Split = tuple[tuple[BudgetLine, ...], tuple[Ineligible, ...], Decimal]


def split(funding: Funding | None, budget: Sequence[BudgetLine]) -> Split:
    """The eligible lines, the others with the reason, and the eligible total."""
    eligible: list[BudgetLine] = []
    ineligible: list[Ineligible] = []
    for line in budget:
        reason = classify(funding, line)
        if reason is None:
            eligible.append(line)
        else:
            ineligible.append(Ineligible(line, reason))
    return tuple(eligible), tuple(ineligible), sum((line.amount for line in eligible), Decimal(0))


def estimate(
    funding: Funding | None,
    budget: Sequence[BudgetLine] | None,
    splits: dict[tuple[tuple[str, ...], ...], Split] | None = None,
) -> Estimate:
    """Apply a call's funding rules to a budget (None: the budget is not known).

    *splits* keeps the budget's split by the cost categories it was made with:
    checking one budget against thousands of calls, most of which list the same
    categories, classifies each line once per list, not once per call.
    """
    currency = funding.currency if funding is not None else "EUR"
    rate = funding.rate if funding is not None else None
    if budget is None:
        missing = "no_budget" if funding is not None else "no_funding"
        return Estimate(currency, None, (), None, None, rate, None, (), missing)
    splits = {} if splits is None else splits
    key = () if funding is None else (funding.eligible_costs, funding.ineligible_costs)
    found = splits.get(key)
    if found is None:
        found = splits[key] = split(funding, budget)
    eligible, ineligible, total = found
    capped: list[str] = []
    base = total
    ceiling = funding.max_eligible_cost if funding is not None else None
    if ceiling is not None and base > ceiling:
        base = ceiling
        capped.append("max_eligible_cost")
    aid: Decimal | None = None
    why: str | None = None
    if funding is None:
        why = "no_funding"
    elif rate is None:
        why = "no_rate"
    else:
        aid = (rate * base).quantize(CENT, rounding=ROUND_HALF_UP)
        if funding.max_aid is not None and aid > funding.max_aid:
            aid = funding.max_aid
            capped.append("max_aid")
    return Estimate(currency, eligible, ineligible, total, base, rate, aid, tuple(capped), why)
