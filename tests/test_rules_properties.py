"""Properties that must hold for every project: monotonicity and order independence."""

from __future__ import annotations

import dataclasses
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from callwatch.domain.model import Call
from callwatch.domain.project import BudgetLine, ControlLink, Entity, Partner, Project
from callwatch.files.loading import load_catalog
from callwatch.rules.engine import Explanation, Verdict, evaluate, evaluate_all
from tests.rules_support import FLAGSHIP, call_from, clock, criterion, manual

RICH_CRITERIA = (
    criterion(
        "ind",
        '{ count = "partners", independent = true, '
        'where = { path = "partners.type", in = ["legal_person"] }, at_least = 2 }',
    )
    + criterion(
        "roles",
        '{ for_each = "partners", where = { path = "partners.country", eq = "FR" }, '
        'require = { path = "partners.roles", any_in = ["producer", "retailer"] } }',
    )
    + criterion("countries", '{ distinct = "partners.country", at_least = 2 }')
    + criterion(
        "public",
        '{ count = "partners", where = { path = "partners.public", eq = true }, at_most = 1 }',
    )
    + criterion(
        "anim",
        '{ sum = "budget.amount", where = { path = "budget.category", eq = "animation" }, '
        "at_least = 2000 }",
    )
    + criterion("cost", '{ funding = "eligible_cost", at_least = 3000 }')
    + criterion("aid", '{ funding = "aid", at_most = 20000 }')
    + manual("m1")
    + manual("m2")
    + criterion("opt", '{ any_of = ["m1", "m2"] }')
    + criterion("nope", '{ none_of = ["m2", "ind"] }')
    + criterion("neg", '{ not = "m1" }')
    + criterion("start", '{ path = "project.start", between = [2019-01-01, 2020-12-31] }')
    + criterion("themes", '{ path = "project.themes", any_in = ["a"] }')
    + criterion("jobs", '{ path = "answers.jobs", gte = 2 }')
    + criterion("many", '{ count = "budget", at_least = 2, at_most = 3 }')
)
RICH = call_from(
    RICH_CRITERIA,
    fields="""deadlines = [{ date = 2019-06-30 }]
territory = ["FR-ARA", "IT"]
beneficiaries = ["legal_person", "farmer"]
[calls.funding]
eligible_costs = ["animation", "travel"]
ineligible_costs = ["staff"]
rate = 0.5
min_eligible_cost = 1000
min_aid = 600
max_eligible_cost = 80000
max_aid = 50000
""",
)


def calls() -> list[Call]:
    flagship = load_catalog(None).get(FLAGSHIP)
    assert flagship is not None
    return [RICH, flagship]


CALLS = calls()


def catalogue_calls() -> list[Call]:
    """Calls that share their criteria (one file, as a team's catalogue) but differ in
    deadlines, territory, beneficiaries and funding, with the flagship among them."""
    both = '["legal_person", "farmer"]'
    variants = []
    for i, (territory, who, rate, costs, deadline) in enumerate(
        [
            ('["FR-ARA", "IT"]', both, "0.5", '["animation"]', "2019-06-30"),
            ('["FR-ARA"]', '["farmer"]', "0.8", '["animation", "travel"]', "2019-03-01"),
            ('["FR"]', both, "0.5", '["animation"]', "2019-02-01"),
            ('["IT"]', '["association"]', "0.3", "[]", "2019-07-15"),
            ('["FR-63"]', '["farmer", "legal_person"]', "0.5", '["animation"]', "2019-06-30"),
        ]
        * 2
    ):
        variants.append(
            f'[[calls]]\nid = "v{i}"\ntitle = "Variant {i}"\n'
            f"deadlines = [{{ date = {deadline} }}]\nterritory = {territory}\n"
            f"beneficiaries = {who}\n[calls.funding]\neligible_costs = {costs}\n"
            f"rate = {rate}\nmax_aid = {10000 * (i + 1)}\n{RICH_CRITERIA}"
        )
    folder = Path(tempfile.mkdtemp(prefix="callwatch-catalogue-"))
    (folder / "calls.toml").write_text("\n".join(variants), encoding="utf-8")
    catalog = load_catalog([folder / "calls.toml", *load_catalog(None).files])
    assert not catalog.problems, [str(p) for p in catalog.problems]
    return catalog.calls


CATALOGUE = catalogue_calls()
TYPES = ["farmer", "private_sector", "commune", "association", "private_person", "researcher", None]
FORMS = ["GAEC", "EI", "SARL", "Autre", None]
ROLES = ["producer", "retailer", "processor", "transporter"]
PLACES = ["FR-63", "FR-42", "FR-21", "FR-ARA", "IT-21", "FR", None]
SHARES = [Decimal(s) for s in ("0.2", "0.3", "0.5", "0.6", "0.9")]
maybe_bool = st.sampled_from([True, False, None])


@st.composite
def partners(draw: st.DrawFn) -> tuple[Partner, ...]:
    n = draw(st.integers(1, 6))
    return tuple(
        Partner(
            id=f"p{i}",
            name=f"Partner {i}",
            type=draw(st.sampled_from(TYPES)),
            legal_form=draw(st.sampled_from(FORMS)),
            roles=draw(
                st.none() | st.lists(st.sampled_from(ROLES), max_size=2, unique=True).map(tuple)
            ),
            territory=draw(st.sampled_from(PLACES)),
            lead=draw(st.booleans()),
            public=draw(maybe_bool),
        )
        for i in range(n)
    )


@st.composite
def projects(draw: st.DrawFn) -> Project:
    people = draw(partners())
    outside = tuple(
        Entity(f"e{i}", f"Outside {i}", draw(maybe_bool)) for i in range(draw(st.integers(0, 2)))
    )
    names = [p.id for p in people] + [e.id for e in outside]
    control = None
    if draw(st.booleans()) or draw(st.booleans()):
        links = []
        for _ in range(draw(st.integers(0, 6))):
            a, b = draw(st.sampled_from(names)), draw(st.sampled_from(names))
            if a == b:
                continue
            basis = draw(st.sampled_from(["shares", "voting_rights", "decision_power"]))
            share = None if basis == "decision_power" else draw(st.sampled_from(SHARES))
            links.append(ControlLink(a, b, basis, share))
        control = tuple(links)
    budget = None
    if draw(st.booleans()) or draw(st.booleans()):
        budget = tuple(
            BudgetLine(
                f"line {i}",
                draw(st.sampled_from(["animation", "travel", "staff", "construction"])),
                Decimal(draw(st.integers(0, 30000))),
            )
            for i in range(draw(st.integers(0, 4)))
        )
    answers: dict[str, Any] = {}
    for key, values in (
        ("m1", st.booleans()),
        ("m2", st.booleans()),
        ("jobs", st.sampled_from([Decimal(0), Decimal(2), Decimal("3.5"), "x", True])),
        ("circuit-court", st.booleans()),
        ("marche-local", st.booleans()),
    ):
        if draw(st.booleans()):
            answers[key] = draw(values)
    return Project(
        title="Generated",
        territory=draw(st.sampled_from(PLACES)),
        themes=draw(
            st.none() | st.lists(st.sampled_from(["a", "b"]), max_size=2, unique=True).map(tuple)
        ),
        start=draw(st.sampled_from([date(2018, 6, 1), date(2019, 9, 1), date(2021, 1, 1), None])),
        submission=draw(st.sampled_from([date(2019, 3, 1), date(2019, 5, 20), date(2019, 7, 1)])),
        partners=people,
        outside=outside,
        control=control,
        budget=budget,
        answers=answers,
    )


@st.composite
def forgotten(draw: st.DrawFn, full: Project) -> Project:
    """*full* with some of its facts forgotten (made unknown): never a changed fact."""

    def lose() -> bool:
        return draw(st.booleans())

    people = full.partners
    if people is not None:
        if lose() and lose() and lose():
            people = None
        else:
            fields = ("type", "legal_form", "roles", "territory", "public")
            unknown: list[dict[str, Any]] = [{f: None for f in fields if lose()} for _ in people]
            people = tuple(
                dataclasses.replace(p, **gone) for p, gone in zip(people, unknown, strict=True)
            )
    return dataclasses.replace(
        full,
        territory=None if lose() else full.territory,
        themes=None if lose() else full.themes,
        start=None if lose() else full.start,
        partners=people,
        outside=tuple(dataclasses.replace(e, public=None) if lose() else e for e in full.outside),
        control=None if lose() else full.control,
        budget=None if lose() and lose() else full.budget,
        answers={k: v for k, v in full.answers.items() if not lose()},
    )


def statuses(v: Verdict) -> dict[str, bool | None]:
    out: dict[str, bool | None] = {"(verdict)": v.status}

    def walk(e: Explanation) -> None:
        out[e.id] = e.status
        for child in e.children:
            walk(child)

    for e in v.criteria:
        walk(e)
    return out


@given(st.data())
@settings(max_examples=400, deadline=None)
def test_adding_facts_never_flips_a_decided_criterion(data: st.DataObject) -> None:
    full = data.draw(projects())
    partial = data.draw(forgotten(full))
    for call in CALLS:
        known = statuses(evaluate(call, full, clock()))
        less = statuses(evaluate(call, partial, clock()))
        assert known.keys() == less.keys()
        for ident, value in less.items():
            if value is not None:
                assert known[ident] is value, (call.id, ident, partial, full)


@given(st.data())
@settings(max_examples=200, deadline=None)
def test_questions_are_facts_the_project_lacks(data: st.DataObject) -> None:
    full = data.draw(projects())
    partial = data.draw(forgotten(full))
    for call in CALLS:
        v = evaluate(call, partial, clock())
        if v.status is not None:
            assert v.questions == ()
        keys = [q.key for q in v.questions]
        assert len(keys) == len(set(keys))
        for key in keys:
            assert key in ("control", "partners", "budget") or "." in key
            if key == "control":
                assert partial.control is None
            if key.startswith("answers."):
                # not answered, or answered with a value of the wrong kind
                value = partial.answers.get(key.split(".", 1)[1])
                assert value is None or (key == "answers.jobs" and not isinstance(value, Decimal))


def summary(v: Verdict) -> tuple[Any, ...]:
    return (
        statuses(v),
        frozenset(q.key for q in v.questions),
        v.funding.eligible_total,
        v.funding.aid,
        frozenset((i.line.label, i.reason) for i in v.funding.ineligible),
    )


@given(st.data())
@settings(max_examples=300, deadline=None)
def test_the_order_of_partners_links_and_budget_lines_does_not_matter(data: st.DataObject) -> None:
    proj = data.draw(projects())
    shuffled = dataclasses.replace(
        proj,
        partners=None
        if proj.partners is None
        else tuple(data.draw(st.permutations(proj.partners))),
        outside=tuple(data.draw(st.permutations(proj.outside))),
        control=None if proj.control is None else tuple(data.draw(st.permutations(proj.control))),
        budget=None if proj.budget is None else tuple(data.draw(st.permutations(proj.budget))),
    )
    for call in CALLS:
        assert summary(evaluate(call, proj, clock())) == summary(evaluate(call, shuffled, clock()))


def explained(e: Explanation) -> tuple[Any, ...]:
    return (
        e.id,
        e.status,
        e.found,
        e.required,
        e.facts,
        tuple(explained(child) for child in e.children),
    )


def whole(v: Verdict) -> tuple[Any, ...]:
    return (
        v.call.id,
        v.status,
        tuple(explained(e) for e in v.criteria),
        v.questions,
        v.funding,
        v.filing_round,
        v.general_only,
    )


def test_the_catalogue_shares_criteria_objects() -> None:
    # What the next test relies on: the memo of evaluate_all is keyed on them.
    first, second = CATALOGUE[0], CATALOGUE[1]
    assert first.criteria[0] is second.criteria[0]


@given(st.data())
@settings(max_examples=150, deadline=None)
def test_checking_a_catalogue_at_once_explains_each_call_as_alone(data: st.DataObject) -> None:
    """evaluate_all shares work between calls (same criteria, same funding, same
    project): every verdict, text and question must be the one the call gets alone."""
    proj = data.draw(projects())
    lang = data.draw(st.sampled_from(["en", "fr"]))
    together = evaluate_all(CATALOGUE, proj, clock(), lang)
    assert [whole(v) for v in together] == [
        whole(evaluate(call, proj, clock(), lang)) for call in CATALOGUE
    ]
