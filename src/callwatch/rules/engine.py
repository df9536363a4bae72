"""Evaluate a call's criteria against a project: three values, explained.

Every criterion ends ``met`` (True), ``not met`` (False) or ``unknown`` (None),
with the value found, the value required and its legal source. A missing fact
is unknown, never false or zero, and every rule is monotonic: adding a fact to
the project can settle an unknown criterion but never flips a settled one.

The verdict of a call is the ``all_of`` of its top-level criteria (those no
combinator refers to) and of the implicit built-in checks derived from the
call's own fields (filing date in an open round, territory, beneficiaries,
eligible costs), unless the call places those itself. When it is incomplete,
the questions listed are the facts that can still change it, each once, those
bearing on the most criteria first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache, partial
from typing import Any, cast

from callwatch.domain.clock import Clock
from callwatch.domain.criteria import (
    BUILTINS,
    Builtin,
    Combine,
    Compare,
    Count,
    Criterion,
    Distinct,
    ForEach,
    FundingCheck,
    Manual,
    Sum,
    Tri,
    bounds_check,
    tri_and,
    tri_implies,
    tri_not,
    tri_or,
)
from callwatch.domain.funding import Estimate, Split, estimate
from callwatch.domain.independence import Independence, independence
from callwatch.domain.model import Call, Funding, Round, local_instant_start
from callwatch.domain.project import BudgetLine, Partner, Project
from callwatch.rules import operators, paths
from callwatch.rules.consortium import Outcome as Consortium
from callwatch.rules.consortium import evaluate as evaluate_consortium
from callwatch.rules.paths import Kind
from callwatch.rules.phrases import Say
from callwatch.rules.wording import STATUS, CallTexts, Words

VERDICT = {True: "eligible", False: "not_eligible", None: "incomplete"}

Item = Partner | BudgetLine
Text = str | Callable[[], str]  # a text, or how to write it when it is first read
Outcome = tuple[Tri, Text, Text, tuple[str, ...]]  # status, found, required, missing facts


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why one criterion is met, not met or unknown.

    The found and required texts may be given as functions: ranking ten thousand
    calls needs only their statuses, so a text is written when it is first read.
    """

    id: str
    label: str
    source: str | None
    status: Tri
    found_text: Text
    required_text: Text
    implicit: bool = False
    combinator: bool = False
    children: tuple[Explanation, ...] = ()
    facts: tuple[str, ...] = ()  # unknown facts that could settle this criterion
    standard: str | None = None  # the standard condition of a type of action (its key)

    @property
    def status_name(self) -> str:
        return STATUS[self.status]

    @property
    def found(self) -> str:
        return self._text("found_text")

    @property
    def required(self) -> str:
        return self._text("required_text")

    def _text(self, name: str) -> str:
        text = getattr(self, name)
        if not isinstance(text, str):
            text = text()
            object.__setattr__(self, name, text)  # written once, then kept
        return cast(str, text)


@dataclass(frozen=True, slots=True)
class Question:
    """A fact still able to change the verdict, and the criteria it bears on."""

    key: str  # project.territory, partners[epicerie].legal_form, control, answers.<id>
    text: str
    criteria: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Verdict:
    call: Call
    status: Tri
    criteria: tuple[Explanation, ...]  # top level, implicit ones first
    questions: tuple[Question, ...]
    funding: Estimate
    general_only: bool  # the call encodes no criteria: only its general conditions were checked
    submission: date
    submission_default: bool  # no planned filing date: today was used
    filing_round: Round | None

    @property
    def name(self) -> str:
        return VERDICT[self.status]

    @property
    def failed(self) -> tuple[Explanation, ...]:
        return tuple(e for e in self.criteria if e.status is False)


@dataclass(frozen=True, slots=True)
class _Result:
    """A comparison on one subject: the outcome, the value shown, the facts missing."""

    status: Tri
    shown: str
    facts: tuple[str, ...] = ()


def evaluate(call: Call, project: Project, clock: Clock, lang: str = "en") -> Verdict:
    """Decide whether *project* is eligible to *call*, and explain why."""
    return _Engine(call, project, clock, Memo.new(lang)).verdict()


def evaluate_all(
    calls: Iterable[Call], project: Project, clock: Clock, lang: str = "en"
) -> list[Verdict]:
    """Evaluate *project* against every call, sharing the work calls have in common.

    What depends on the project alone (the largest set of independent partners,
    partner filters) and what depends on a criterion or a funding shared by many
    calls is computed once per run, not once per call. That memo is keyed on the
    identity of the call's criteria and funding objects: every verdict keeps its
    call, so those objects outlive the run and no identity is reused meanwhile.
    """
    shared = Memo.new(lang)
    return [_Engine(call, project, clock, shared).verdict() for call in calls]


def implicit_criteria(call: Call, say: Say) -> tuple[Criterion, ...]:
    """The built-in checks a call gets from its own fields, unless it places them."""
    placed = frozenset(c.check.name for c in call.criteria if isinstance(c.check, Builtin))
    applies = (True, bool(call.territory), bool(call.beneficiaries), call.funding is not None)
    return _implicit(placed, applies, say.fr)


@lru_cache(maxsize=256)
def _implicit(placed: frozenset[str], applies: tuple[bool, ...], fr: bool) -> tuple[Criterion, ...]:
    say = Say("fr" if fr else "en")
    return tuple(
        Criterion(id=name, label=say(f"label_{name}"), check=Builtin(name), implicit=True)
        for name, applied in zip(BUILTINS, applies, strict=True)
        if applied and name not in placed
    )


Filtered = tuple[list[tuple[Item, _Result]], tuple[str, ...]]  # items in a filter, facts missing
PerItem = tuple[Tri, str, tuple[str, ...]]  # every item passes: status, found, facts missing


@dataclass(slots=True)
class Memo:
    """What :func:`evaluate_all` computes once per run and shares between calls, one
    field per kind of entry.

    Entries keyed on ``id()`` of a call's criteria or funding are safe for the run:
    every verdict keeps its call, so no identity is reused meanwhile.
    """

    words: Words
    # A leaf criterion's explanation: (id of the criterion, what else it depends on).
    leaves: dict[tuple[int, object], Explanation] = field(default_factory=dict)
    # The funding estimate of a call's funding object, and the budget's splits by category.
    estimates: dict[int, Estimate] = field(default_factory=dict)
    splits: dict[tuple[tuple[str, ...], ...], Split] = field(default_factory=dict)
    # A call's criteria by id, keyed on the criteria tuple (kept to check identity).
    by_id: dict[int, tuple[tuple[Criterion, ...], dict[str, Criterion]]] = field(
        default_factory=dict
    )
    # The criteria a verdict is the all_of, by the criteria and which call fields apply.
    plans: dict[tuple[tuple[int, ...], tuple[bool, ...]], tuple[tuple[Criterion, int], ...]] = (
        field(default_factory=dict)
    )
    # A partner's admission by a list of beneficiary codes.
    admissions: dict[tuple[tuple[str, ...], int], _Result] = field(default_factory=dict)
    # Partners or budget lines through a ``where`` (and the currency amounts are shown in).
    filtered: dict[tuple[str, tuple[Compare, ...], str], Filtered | None] = field(
        default_factory=dict
    )
    independence: dict[tuple[frozenset[str], frozenset[str]], Independence] = field(
        default_factory=dict
    )
    consortia: dict[Count, Consortium] = field(default_factory=dict)
    # The first instant of the filing day, by time zone.
    filing: dict[str, datetime] = field(default_factory=dict)
    # Every partner admitted, by the set of codes a call admits.
    beneficiaries: dict[frozenset[str], PerItem] = field(default_factory=dict)
    # The kinds of partner (type, legal form) in the project.
    kinds: set[tuple[str | None, str | None]] | None = None
    round_required: str = ""

    @classmethod
    def new(cls, lang: str) -> Memo:
        say = Say(lang)
        return cls(Words(say), round_required=say("round_required"))

    @property
    def say(self) -> Say:
        return self.words.say


class _Engine:
    """One call checked against one project. It is dropped once the verdict is made:
    texts written when read refer to :class:`~callwatch.rules.wording.Words`, not here."""

    __slots__ = (
        "call",
        "clock",
        "currency",
        "estimate",
        "filing_round",
        "leaves",
        "memo",
        "project",
        "say",
        "shared",
        "submission",
        "texts",
        "values",
        "words",
    )

    def __init__(self, call: Call, project: Project, clock: Clock, shared: Memo) -> None:
        self.call = call
        self.project = project
        self.shared = shared
        self.clock = clock
        self.words = shared.words
        self.say = shared.say
        self.leaves = shared.leaves
        self.memo: dict[str, Explanation] = {}
        found = shared.estimates.get(id(call.funding))
        if found is None:
            found = estimate(call.funding, project.budget, shared.splits)
            shared.estimates[id(call.funding)] = found
        self.estimate: Estimate = found
        self.currency = found.currency
        self.submission = project.submission or clock.today
        self.filing_round = self._filing_round()
        self.texts = CallTexts(
            self.words,
            call,
            found,
            self.filing_round,
            self.submission,
            project.submission is None,
        )
        # What criteria outcomes depend on besides the project, by :func:`_depends`.
        self.values = (call.territory, call.beneficiaries, id(call.funding), self.currency)

    @property
    def by_id(self) -> dict[str, Criterion]:
        """The call's criteria by id (combinators refer to them by id)."""
        criteria = self.call.criteria
        found = self.shared.by_id.get(id(criteria))
        if found is None or found[0] is not criteria:
            found = self.shared.by_id[id(criteria)] = (criteria, {c.id: c for c in criteria})
        return found[1]

    # -- verdict ----------------------------------------------------------------

    def verdict(self) -> Verdict:
        explained = tuple([self.criterion(c, dep) for c, dep in self.plan()])
        del self.memo  # only combinators needed it; a text read later may keep the engine
        statuses = [e.status for e in explained]
        status = False if False in statuses else None if None in statuses else True
        return Verdict(
            call=self.call,
            status=status,
            criteria=explained,
            questions=self.questions(explained) if status is None else (),
            funding=self.estimate,
            general_only=not self.call.criteria,
            submission=self.submission,
            submission_default=self.project.submission is None,
            filing_round=self.filing_round,
        )

    def plan(self) -> tuple[tuple[Criterion, int], ...]:
        """The criteria the verdict is the ``all_of``: the implicit built-in checks, then
        the criteria no combinator refers to, each with what its outcome depends on
        (:func:`_depends`). The same for every call with the same criteria and the
        same fields filled in."""
        call = self.call
        applies = (bool(call.territory), bool(call.beneficiaries), call.funding is not None)
        key = (tuple(map(id, call.criteria)), applies)
        found = self.shared.plans.get(key)
        if found is None:
            referenced = {
                ref for c in call.criteria if isinstance(c.check, Combine) for ref in c.check.refs
            }
            top = [c for c in call.criteria if c.id not in referenced]
            found = self.shared.plans[key] = tuple(
                (c, _depends(c)) for c in (*implicit_criteria(call, self.say), *top)
            )
        return found

    def questions(self, explained: Sequence[Explanation]) -> tuple[Question, ...]:
        """Facts of the unknown leaves under unknown criteria: the ones that can still
        change the verdict (a settled criterion's unknowns cannot)."""
        bearing: dict[str, list[str]] = {}

        def collect(e: Explanation) -> None:
            if e.status is not None:
                return
            for child in e.children:
                collect(child)
            for fact in e.facts:
                ids = bearing.setdefault(fact, [])
                if e.id not in ids:
                    ids.append(e.id)

        for e in explained:
            collect(e)
        order = {fact: i for i, fact in enumerate(bearing)}
        ranked = sorted(bearing, key=lambda fact: (-len(bearing[fact]), order[fact]))
        entities = self.project.entities()
        return tuple(
            Question(f, self.words.question(f, self.call, entities), tuple(bearing[f]))
            for f in ranked
        )

    # -- criteria ---------------------------------------------------------------

    def criterion(self, c: Criterion, dep: int | None = None) -> Explanation:
        """*c* explained: from the per-call memo (a criterion two combinators refer to),
        the shared memo (:func:`_depends`; *dep* when the plan already knows it), or
        evaluated."""
        done = self.memo.get(c.id)
        if done is not None:
            return done
        if isinstance(c.check, Combine):
            result = self.combine(c, c.check)
        else:
            key = self.leaf_key(c, dep)
            cached = None if key is None else self.leaves.get(key)
            if cached is None:
                status, found, required, facts = self.leaf(c)
                cached = Explanation(
                    c.id,
                    c.label if c.standard is None else self.say(f"label_{c.standard}"),
                    c.source if c.standard is None else self.say("source_standard"),
                    status,
                    found,
                    required,
                    implicit=c.implicit,
                    facts=facts if status is None else (),
                    standard=c.standard,
                )
                if key is not None:
                    self.leaves[key] = cached
            result = cached
        self.memo[c.id] = result
        return result

    def leaf_key(self, c: Criterion, dep: int | None = None) -> tuple[int, object] | None:
        """A leaf's key in the shared memo: the criterion and what its outcome depends
        on besides the project (None: not shared, see :func:`_depends`)."""
        if dep is None:
            dep = _depends(c)
        return None if dep < 0 else (id(c), self.values[dep])

    def combine(self, c: Criterion, check: Combine) -> Explanation:
        children = tuple(self.criterion(self.by_id[ref]) for ref in check.refs)
        values = [child.status for child in children]
        if check.op == "not":
            status = tri_not(values[0])
        elif check.op == "all_of":
            status = tri_and(values)
        else:  # any_of, none_of
            anyone = tri_or(values)
            status = anyone if check.op == "any_of" else tri_not(anyone)
        return Explanation(
            c.id,
            c.label,
            c.source,
            status,
            partial(self.words.combine_found, check, children),
            partial(self.words.combine_required, check),
            implicit=c.implicit,
            combinator=True,
            children=children,
        )

    def leaf(self, c: Criterion) -> Outcome:
        check = c.check
        if isinstance(check, Compare):
            r = self.test(check, paths.kind_in(check.path, None), None)
            return r.status, r.shown, self.words.op(check), r.facts
        if isinstance(check, Manual):
            return self.manual(c)
        if isinstance(check, Builtin):
            return self.builtin(check.name)
        handlers: dict[type, Callable[[Any], Outcome]] = {
            ForEach: self.for_each,
            Count: self.count,
            Distinct: self.distinct,
            Sum: self.sum,
            FundingCheck: self.funding_check,
        }
        return handlers[type(check)](check)

    # -- comparisons ------------------------------------------------------------

    def test(self, check: Compare, kind: Kind, item: Item | None) -> _Result:
        """One comparison on the project (*item* None) or on one partner or budget line."""
        fact = paths.fact_key(check.path, item)
        if kind is Kind.CODE and isinstance(item, Partner):
            return self.test_type(check, item)
        if item is None:
            value = paths.project_value(check.path, self.project, self.clock)
        else:
            value = paths.item_value(check.path, item)
        if value is None:
            return _Result(None, self.say("not_given"), (fact,))
        wanted = check.value
        status = operators.get(check.op).compare(value, wanted)
        if status is None:
            return _Result(None, self.say("wrong_kind", value=self.say.value(value)), (fact,))
        if kind is Kind.TERRITORY:
            outers = wanted if check.op == "within" and isinstance(wanted, tuple) else ()
            return _Result(status, self.words.territory(value, outers))
        currency = self.currency if check.path == "budget.amount" else None
        return _Result(status, self.say.value(value, currency))

    def test_type(self, check: Compare, partner: Partner) -> _Result:
        """Beneficiary codes nest: ``legal_person`` admits a commune; a farmer's legal
        form decides whether the farm is a legal person."""
        wanted = check.value if isinstance(check.value, tuple) else (check.value,)
        return self.admission(tuple(str(w) for w in wanted), partner)

    def admission(self, wanted: tuple[str, ...], partner: Partner) -> _Result:
        key = (wanted, id(partner))
        found = self.shared.admissions.get(key)
        if found is None:
            found = self.shared.admissions[key] = self._admission(wanted, partner)
        return found

    def _admission(self, wanted: tuple[str, ...], partner: Partner) -> _Result:
        if partner.type is None:
            return _Result(None, self.say("not_given"), (f"partners[{partner.id}].type",))
        status = paths.admitted(wanted, partner.type, partner.legal_form)
        shown = partner.type + (f" ({partner.legal_form})" if partner.legal_form else "")
        if status is None:
            return _Result(None, shown, (f"partners[{partner.id}].legal_form",))
        return _Result(status, shown)

    # -- collections ------------------------------------------------------------

    def items(self, over: str) -> tuple[Item, ...] | None:
        found = self.project.partners if over == "partners" else self.project.budget
        return None if found is None else tuple(found)

    def all_tests(self, tests: Sequence[Compare], scope: str, item: Item) -> _Result:
        results = []
        for t in tests:
            results.append(self.test(t, paths.kind_in(t.path, scope), item))
        status = tri_and(r.status for r in results)
        shown = "; ".join(r.shown for r in results)
        facts = tuple(f for r in results if r.status is None for f in r.facts)
        return _Result(status, shown, facts)

    @staticmethod
    def name_of(item: Item) -> str:
        return item.id if isinstance(item, Partner) else item.label

    def per_item(self, over: str, outcome: list[tuple[Item, _Result]], noun_count: int) -> PerItem:
        """Every item must pass: the status, what was found, the facts still missing."""
        status = tri_and(r.status for _, r in outcome)
        failed = [f"{self.name_of(i)} ({r.shown})" for i, r in outcome if r.status is False]
        unknown = [f"{self.name_of(i)} ({r.shown})" for i, r in outcome if r.status is None]
        found = self.words.per_item(over, status, failed, unknown, noun_count)
        facts = tuple(f for _, r in outcome if r.status is None for f in r.facts)
        return status, found, facts

    def missing(self, over: str, required: Text) -> Outcome:
        return None, self.say("not_given"), required, (over,)

    def for_each(self, check: ForEach) -> Outcome:
        required = self.words.for_each_required(check)
        items = self.items(check.over)
        if items is None:
            return self.missing(check.over, required)
        outcome: list[tuple[Item, _Result]] = []
        concerned = 0
        for item in items:
            where = self.all_tests(check.where, check.over, item)
            if where.status is False:
                continue
            concerned += 1
            need = self.all_tests(check.require, check.over, item)
            status = tri_implies(where.status, need.status)
            facts = (where.facts if where.status is None else ()) + (
                need.facts if need.status is None else ()
            )
            outcome.append((item, _Result(status, need.shown, facts)))
        status, found, facts = self.per_item(check.over, outcome, concerned)
        return status, found, required, facts

    def filtered(self, over: str, where: tuple[Compare, ...]) -> Filtered | None:
        """Each item with the outcome of ``where`` (items certainly outside left out).

        It depends on the project alone (and the currency amounts are shown in), so
        it is computed once per distinct filter, however many calls use it.
        """
        key = (over, where, self.currency)
        if key not in self.shared.filtered:
            self.shared.filtered[key] = self._filtered(over, where)
        return self.shared.filtered[key]

    def _filtered(self, over: str, where: Sequence[Compare]) -> Filtered | None:
        items = self.items(over)
        if items is None:
            return None
        out = []
        for item in items:
            r = self.all_tests(where, over, item)
            if r.status is not False:
                out.append((item, r))
        facts = tuple(f for _, r in out if r.status is None for f in r.facts)
        return out, facts

    def independence(self, sure: tuple[str, ...], maybe: tuple[str, ...]) -> Independence:
        """The independence count of these partners, computed once per project."""
        key = (frozenset(sure), frozenset(maybe))
        found = self.shared.independence.get(key)
        if found is None:
            found = independence(sure, maybe, self.project.control, self.project.entities())
            self.shared.independence[key] = found
        return found

    def count(self, check: Count) -> Outcome:
        if check.consortium:
            return self.consortium(check)
        say = self.say
        noun_key = "independent" if check.independent else check.over
        required = self.words.count_required(check)
        got = self.filtered(check.over, check.where)
        if got is None:
            status = bounds_check(0, None, check.at_least, check.at_most)
            return status, say("not_given"), required, (check.over,) if status is None else ()
        matching, facts = got
        sure = [i for i, r in matching if r.status is True]
        if check.independent:
            ind = self.independence(
                tuple(self.name_of(i) for i in sure), tuple(self.name_of(i) for i, _ in matching)
            )
            low, high = ind.lower, ind.upper
            links = self.words.links(
                "control" in ind.facts,
                ind.dependencies,
                ind.doubts,
                self.project.control or (),
                ind.exact,
            )
            found = self.words.range(low, high, noun_key) + self.words.reasons(links)
            facts = facts + ind.facts
        else:
            low, high = len(sure), len(matching)
            found = self.words.range(low, high, noun_key)
        status = bounds_check(low, high, check.at_least, check.at_most)
        return status, found, required, facts if status is None else ()

    def consortium(self, check: Count) -> Outcome:
        """The largest set of partners that hold together (:mod:`.consortium`)."""
        required = self.words.count_required(check)
        got = self.filtered("partners", check.where)
        if got is None:
            status = bounds_check(0, None, check.at_least, check.at_most)
            facts: tuple[str, ...] = ("partners",) if status is None else ()
            return status, self.say("not_given"), required, facts
        found = self.shared.consortia.get(check)
        if found is None:
            matching = [(i, r.status) for i, r in got[0] if isinstance(i, Partner)]

            def including(partner: Partner) -> tuple[Tri, tuple[str, ...]]:
                r = self.all_tests(check.including, "partners", partner)
                return r.status, r.facts

            kept = {p.id for p, _ in matching}
            left_out = [p for p in self.items("partners") or () if isinstance(p, Partner)]
            left_out = [p for p in left_out if p.id not in kept]
            found = evaluate_consortium(check, matching, got[1], self.project, including, left_out)
            self.shared.consortia[check] = found
        status = bounds_check(found.lower, found.upper, check.at_least, check.at_most)
        # how many are independent at all, counted only if the text is read and needs it
        ids = [(p.id, r.status) for p, r in got[0] if isinstance(p, Partner)]
        count = partial(
            self.independence, tuple(i for i, s in ids if s is True), tuple(i for i, _ in ids)
        )
        text = partial(
            self.words.consortium, check, found, status, self.project.control or (), count
        )
        return status, text, required, found.facts if status is None else ()

    def distinct(self, check: Distinct) -> Outcome:
        say = self.say
        scope = check.path.split(".", 1)[0]
        required = self.words.distinct_required(check)
        got = self.filtered(scope, check.where)
        if got is None:
            status = bounds_check(0, None, check.at_least, check.at_most)
            return status, say("not_given"), required, (scope,) if status is None else ()
        matching, facts = got
        sure: set[Any] = set()
        maybe: set[Any] = set()
        unknown_values = 0
        value_facts: list[str] = []
        for item, r in matching:
            value = paths.item_value(check.path, item)
            if value is None:
                unknown_values += 1
                value_facts.append(paths.fact_key(check.path, item))
            elif r.status is True:
                sure.add(value)
            else:
                maybe.add(value)
        low, high = len(sure), len(sure | maybe) + unknown_values
        found = self.words.distinct_found(low, high, sure)
        status = bounds_check(low, high, check.at_least, check.at_most)
        return status, found, required, (facts + tuple(value_facts)) if status is None else ()

    def sum(self, check: Sum) -> Outcome:
        required = self.words.sum_required(check, self.currency)
        got = self.filtered("budget", check.where)
        if got is None:
            return self.missing("budget", required)
        matching, facts = got
        low = sum(
            (i.amount for i, r in matching if r.status is True and isinstance(i, BudgetLine)),
            Decimal(0),
        )
        high = sum((i.amount for i, _ in matching if isinstance(i, BudgetLine)), Decimal(0))
        status = bounds_check(low, high, check.at_least, check.at_most)
        found = self.words.amount_range(low, high, self.currency)
        return status, found, required, facts if status is None else ()

    def funding_check(self, check: FundingCheck) -> Outcome:
        required = self.words.funding_check_required(check, self.currency)
        value = (
            self.estimate.eligible_total if check.quantity == "eligible_cost" else self.estimate.aid
        )
        if self.project.budget is None or value is None:
            return None, self.say("not_given"), required, ("budget",)
        status = bounds_check(value, value, check.at_least, check.at_most)
        return status, self.words.funding_check_found(check, value, self.currency), required, ()

    def manual(self, c: Criterion) -> Outcome:
        say = self.say
        answer = self.project.answers.get(c.id)
        required = say("manual_required")
        if answer is None:
            return None, say("not_answered"), required, (f"answers.{c.id}",)
        if not isinstance(answer, bool):
            return None, say("wrong_kind", value=say.value(answer)), required, (f"answers.{c.id}",)
        return answer, say.value(answer), required, ()

    # -- built-in checks ----------------------------------------------------------

    def builtin(self, name: str) -> Outcome:
        if name == "call.rounds":
            return self.rounds()
        if name == "call.territory":
            return self.call_territory()
        if name == "call.beneficiaries":
            return self.beneficiaries()
        return self.funding()

    def _filing_round(self) -> Round | None:
        tz = self.call.timezone
        instant = self.shared.filing.get(tz)
        if instant is None:
            instant = self.shared.filing[tz] = local_instant_start(self.submission, tz)
        return self.call.next_round(instant)

    def rounds(self) -> Outcome:
        status, self.texts.why = self.round_status()
        return status, self.texts.rounds, self.shared.round_required, ()

    def round_status(self) -> tuple[bool, str]:
        """Can the project file on its filing day, and the phrase that says why."""
        call = self.call
        if call.opens is not None and self.submission < call.opens:
            return False, "call_not_yet"
        r = self.filing_round
        if r is None:
            if call.ongoing:
                return True, "ongoing_open"
            return False, "rounds_over" if call.rounds else "no_round"
        if r.opens is not None and self.submission < r.opens:
            return (True, "ongoing_open") if call.ongoing else (False, "round_not_yet")
        return True, "round_open"

    def call_territory(self) -> Outcome:
        check = Compare("project.territory", "within", tuple(self.call.territory))
        r = self.test(check, Kind.TERRITORY, None)
        return r.status, r.shown, self.words.op(check), r.facts

    def beneficiaries(self) -> Outcome:
        wanted = tuple(self.call.beneficiaries)
        required = partial(self.say, "among", v=", ".join(wanted))
        partners = self.project.partners
        if partners is None:
            return self.missing("partners", required)
        # Whether every partner is admitted depends on the kinds of partner (type and
        # legal form), not on each partner: decided from those, explained when read.
        kinds = self.shared.kinds
        if kinds is None:
            kinds = self.shared.kinds = {(p.type, p.legal_form) for p in partners}
        status = tri_and(
            None if who is None else paths.admitted(wanted, who, form) for who, form in kinds
        )
        if status is not None:
            return status, partial(self.beneficiaries_text, wanted), required, ()
        _, found, facts = self.beneficiaries_outcome(wanted)
        return status, found, required, facts

    def beneficiaries_outcome(self, wanted: tuple[str, ...]) -> PerItem:
        """Each partner's admission: the status, what was found, the facts missing."""
        partners = self.project.partners or ()
        # What partners are admitted depends on the set of codes, not on their order.
        key = frozenset(wanted)
        found = self.shared.beneficiaries.get(key)
        if found is None:
            outcome: list[tuple[Item, _Result]] = [(p, self.admission(wanted, p)) for p in partners]
            found = self.shared.beneficiaries[key] = self.per_item(
                "partners", outcome, len(partners)
            )
        return found

    def beneficiaries_text(self, wanted: tuple[str, ...]) -> str:
        return self.beneficiaries_outcome(wanted)[1]

    def funding(self) -> Outcome:
        f = self.call.funding or Funding()
        est = self.estimate
        required = self.texts.funding_required
        if est.eligible_total is None:
            return None, self.say("not_given"), required, ("budget",)
        total = est.eligible_total
        checks: list[Tri] = [total > 0]
        if f.min_eligible_cost is not None:
            checks.append(total >= f.min_eligible_cost)
        if f.min_aid is not None and est.aid is not None:
            checks.append(est.aid >= f.min_aid)
        return tri_and(checks), self.texts.funding_found, required, ()


_BY_BUILTIN = {"call.territory": 0, "call.beneficiaries": 1, "call.funding": 2}


def _depends(c: Criterion) -> int:
    """What a criterion's outcome depends on besides the project, as a position in
    :attr:`_Engine.values`: 0 the call's territory, 1 its beneficiaries, 2 its
    funding, 3 its currency (amounts are shown in it); -1 when it is not shared
    between calls (a combinator, or the call's own rounds).

    Criteria are often the same from call to call (the same partnership rule, the
    same territory): their outcome is then computed once per run.
    """
    check = c.check
    if isinstance(check, Combine):
        return -1
    if isinstance(check, Builtin):
        return _BY_BUILTIN.get(check.name, -1)  # call.rounds: each call's own dates
    if isinstance(check, FundingCheck):
        return 2
    return 3


def order(v: Verdict) -> tuple[int, float]:
    """Where a verdict ranks: eligible first (soonest filing deadline first), then
    incomplete (fewest questions first), then not eligible (fewest failed criteria
    first); the call's id breaks ties."""
    if v.status is True:
        return (0, v.filing_round.closes_at.timestamp() if v.filing_round else float("inf"))
    if v.status is None:
        return (1, float(len(v.questions)))
    return (2, float(len(v.failed)))


def rank(verdicts: Sequence[Verdict]) -> list[Verdict]:
    """The verdicts in :func:`order`."""
    return sorted(verdicts, key=lambda v: (*order(v), v.call.id))
