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
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache, partial
from typing import Any, cast

from callwatch.domain.clock import Clock
from callwatch.domain.funding import Estimate, estimate
from callwatch.domain.independence import (
    Independence,
    Step,
    control_closure,
    control_steps,
    independence,
)
from callwatch.domain.model import Call, Funding, Round, local_instant_start
from callwatch.domain.project import BudgetLine, ControlLink, Partner, Project
from callwatch.i18n import percent_text
from callwatch.rules import paths
from callwatch.rules.checks import (
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
from callwatch.rules.paths import Kind
from callwatch.rules.phrases import Say

STATUS = {True: "met", False: "not_met", None: "unknown"}
VERDICT = {True: "eligible", False: "not_eligible", None: "incomplete"}
MAX_REASONS = 3

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
    return _Engine(call, project, clock, lang, {}).verdict()


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
    shared: dict[Any, Any] = {}
    return [_Engine(call, project, clock, lang, shared).verdict() for call in calls]


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


class _Engine:
    """One call checked against one project. Texts written when read keep a reference
    to it, so it is kept small: slots, and no per-call memo once the verdict is made."""

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
        "values",
        "why",
    )

    def __init__(
        self,
        call: Call,
        project: Project,
        clock: Clock,
        lang: str,
        shared: dict[Any, Any],
    ) -> None:
        self.call = call
        self.project = project
        self.shared = shared
        self.clock = clock
        say = shared.get("say")
        if say is None:
            say = shared["say"] = Say(lang)
        self.say: Say = say
        self.memo: dict[str, Explanation] = {}
        leaves = shared.get("leaves")
        if leaves is None:
            leaves = shared["leaves"] = {}
        self.leaves: dict[tuple[Any, ...], Explanation] = leaves
        key = ("estimate", id(call.funding))
        found = shared.get(key)
        if found is None:
            splits = shared.setdefault("splits", {})
            found = shared[key] = estimate(call.funding, project.budget, splits)
        self.estimate: Estimate = found
        self.currency = self.estimate.currency
        self.submission = project.submission or clock.today
        self.filing_round = self._filing_round()
        self.why = ""  # the phrase that says why the filing date is in a round or not
        # What criteria outcomes depend on besides the project, by :func:`_depends`.
        self.values = (call.territory, call.beneficiaries, id(call.funding), self.currency)

    @property
    def by_id(self) -> dict[str, Criterion]:
        """The call's criteria by id (combinators refer to them by id)."""
        key = ("by_id", id(self.call.criteria))
        found = self.shared.get(key)
        if found is None or found[0] is not self.call.criteria:
            found = self.shared[key] = (self.call.criteria, {c.id: c for c in self.call.criteria})
        return cast(dict[str, Criterion], found[1])

    # -- verdict ----------------------------------------------------------------

    def verdict(self) -> Verdict:
        explained = tuple([self.criterion(c, dep) for c, dep in self.plan()])
        del self.memo  # only combinators needed it; the texts read later do not
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
        key = ("plan", tuple(map(id, call.criteria)), applies)
        found = self.shared.get(key)
        if found is None:
            referenced = {
                ref for c in call.criteria if isinstance(c.check, Combine) for ref in c.check.refs
            }
            top = [c for c in call.criteria if c.id not in referenced]
            found = self.shared[key] = tuple(
                (c, _depends(c)) for c in (*implicit_criteria(call, self.say), *top)
            )
        return cast(tuple[tuple[Criterion, int], ...], found)

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
        return tuple(Question(f, self.question_text(f), tuple(bearing[f])) for f in ranked)

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
                    c.label,
                    c.source,
                    status,
                    found,
                    required,
                    implicit=c.implicit,
                    facts=facts if status is None else (),
                )
                if key is not None:
                    self.leaves[key] = cached
            result = cached
        self.memo[c.id] = result
        return result

    def leaf_key(self, c: Criterion, dep: int | None = None) -> tuple[Any, ...] | None:
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
            partial(self.combine_text, check, children),
            partial(self.say, check.op, v=", ".join(check.refs)),
            implicit=c.implicit,
            combinator=True,
            children=children,
        )

    def combine_text(self, check: Combine, children: tuple[Explanation, ...]) -> str:
        say = self.say

        def ids(status: Tri) -> str:
            return ", ".join(child.id for child in children if child.status is status)

        if check.op == "not":
            return f"{children[0].id}: {say('status_' + children[0].status_name)}"
        if check.op == "all_of":
            status = tri_and(child.status for child in children)
            return {
                True: say("all_met"),
                False: say("not_met_list", v=ids(False)),
                None: say("unknown_list", v=ids(None)),
            }[status]
        anyone = tri_or(child.status for child in children)
        return {
            True: say("met_list", v=ids(True)),
            False: say("none_met"),
            None: say("unknown_list", v=ids(None)),
        }[anyone]

    def leaf(self, c: Criterion) -> Outcome:
        check = c.check
        if isinstance(check, Compare):
            r = self.test(check, paths.kind_in(check.path, None), None)
            return r.status, r.shown, self.op_text(check), r.facts
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
        status = paths.compare(check.op, value, wanted, kind)
        if status is None:
            return _Result(None, self.say("wrong_kind", value=self.say.value(value)), (fact,))
        if kind is Kind.TERRITORY:
            outers = wanted if check.op == "within" and isinstance(wanted, tuple) else ()
            return _Result(status, self.territory_text(value, outers))
        currency = self.currency if check.path == "budget.amount" else None
        return _Result(status, self.say.value(value, currency))

    def test_type(self, check: Compare, partner: Partner) -> _Result:
        """Beneficiary codes nest: ``legal_person`` admits a commune; a farmer's legal
        form decides whether the farm is a legal person."""
        wanted = check.value if isinstance(check.value, tuple) else (check.value,)
        return self.admission(tuple(str(w) for w in wanted), partner)

    def admission(self, wanted: tuple[str, ...], partner: Partner) -> _Result:
        key = ("admission", wanted, id(partner))
        found = self.shared.get(key)
        if found is None:
            found = self.shared[key] = self._admission(wanted, partner)
        return cast(_Result, found)

    def _admission(self, wanted: tuple[str, ...], partner: Partner) -> _Result:
        if partner.type is None:
            return _Result(None, self.say("not_given"), (f"partners[{partner.id}].type",))
        status = paths.admitted(wanted, partner.type, partner.legal_form)
        shown = partner.type + (f" ({partner.legal_form})" if partner.legal_form else "")
        if status is None:
            return _Result(None, shown, (f"partners[{partner.id}].legal_form",))
        return _Result(status, shown)

    def territory_text(self, code: str, outers: Sequence[Any]) -> str:
        from callwatch.domain import codes

        ancestry = codes.territory_ancestry(code)
        inside = [o for o in outers if o in ancestry and o != code]
        if inside:
            return self.say("in_territory", code=code, outer=inside[0])
        if len(ancestry) > 1:
            return self.say("outside", code=code, ancestry=", ".join(ancestry[1:]))
        return code

    def op_text(self, check: Compare, with_path: bool = False) -> str:
        say = self.say
        if check.op == "between" and isinstance(check.value, tuple):
            low, high = check.value
            text = say("op_between", a=say.value(low), b=say.value(high))
        else:
            text = say(f"op_{check.op}", v=say.value(check.value))
        return f"{check.path.split('.', 1)[1]} {text}" if with_path else text

    def conds_text(self, tests: Sequence[Compare]) -> str:
        return self.say("and").join(self.op_text(t, with_path=True) for t in tests)

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

    def per_item(
        self, over: str, outcome: list[tuple[Item, _Result]], noun_count: int
    ) -> tuple[Tri, str, tuple[str, ...]]:
        """Every item must pass: the status, what was found, the facts still missing."""
        say = self.say
        status = tri_and(r.status for _, r in outcome)
        failed = [f"{self.name_of(i)} ({r.shown})" for i, r in outcome if r.status is False]
        unknown = [f"{self.name_of(i)} ({r.shown})" for i, r in outcome if r.status is None]
        if status is True:
            found = say("all_items", n=noun_count, noun=say.noun(over, noun_count))
            if noun_count == 0:
                found = say("none_items", noun=say.noun(over, 1))
        elif status is False:
            found = say("failed_by", items=", ".join(failed))
        else:
            found = say("unknown_for", items=", ".join(unknown))
        facts = tuple(f for _, r in outcome if r.status is None for f in r.facts)
        return status, found, facts

    def missing(self, over: str, required: Text) -> Outcome:
        return None, self.say("not_given"), required, (over,)

    def for_each(self, check: ForEach) -> Outcome:
        say = self.say
        noun = say.noun(check.over, 1)
        if check.where:
            required = say(
                "every_with",
                noun=noun,
                where=self.conds_text(check.where),
                cond=self.conds_text(check.require),
            )
        else:
            required = say("every", noun=noun, cond=self.conds_text(check.require))
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

    def bounds_text(self, low: Any, high: Any, noun: str, currency: str | None = None) -> str:
        say = self.say

        def show(v: Any) -> str:
            return say.value(v, currency) if isinstance(v, Decimal) else str(v)

        if low is not None and high is not None:
            text = say("between_bounds", a=show(low), b=show(high))
        elif low is not None:
            text = say("at_least", v=show(low))
        else:
            text = say("at_most", v=show(high))
        return f"{text} {noun}".rstrip()

    def range_text(self, low: int, high: int | None, noun_key: str) -> str:
        say = self.say
        if high == low:
            return say.count(noun_key, low)
        top = "?" if high is None else str(high)
        return f"{say('range', a=low, b=top)} {say.noun(noun_key)}"

    def filtered(
        self, over: str, where: Sequence[Compare]
    ) -> tuple[list[tuple[Item, _Result]], tuple[str, ...]] | None:
        """Each item with the outcome of ``where`` (items certainly outside left out).

        It depends on the project alone (and the currency amounts are shown in), so
        it is computed once per distinct filter, however many calls use it.
        """
        key = ("filtered", over, tuple(where), self.currency)
        if key not in self.shared:
            self.shared[key] = self._filtered(over, where)
        return cast("tuple[list[tuple[Item, _Result]], tuple[str, ...]] | None", self.shared[key])

    def _filtered(
        self, over: str, where: Sequence[Compare]
    ) -> tuple[list[tuple[Item, _Result]], tuple[str, ...]] | None:
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
        key = ("independence", frozenset(sure), frozenset(maybe))
        found = self.shared.get(key)
        if found is None:
            found = independence(sure, maybe, self.project.control, self.project.entities())
            self.shared[key] = found
        return cast(Independence, found)

    def count(self, check: Count) -> Outcome:
        say = self.say
        noun_key = "independent" if check.independent else check.over
        noun = say.noun(noun_key, 2 if check.at_least != 1 else 1)
        if check.where:
            noun = say("with", noun=noun, cond=self.conds_text(check.where))
        required = self.bounds_text(check.at_least, check.at_most, noun)
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
            found = self.range_text(low, high, noun_key) + self.reasons(ind)
            facts = facts + ind.facts
        else:
            low, high = len(sure), len(matching)
            found = self.range_text(low, high, noun_key)
        status = bounds_check(low, high, check.at_least, check.at_most)
        return status, found, required, facts if status is None else ()

    def reasons(self, ind: Independence) -> str:
        """Why partners are not all independent, one sentence per controller (every
        partner it controls, with the path of an indirect control and the sum of
        pooled holdings); two partners controlling each other in one sentence."""
        say = self.say
        texts = []
        if "control" in ind.facts:
            texts.append(say("undeclared"))
        if not ind.exact:
            texts.append(say("not_exact"))
        links = self.project.control or ()
        closure = control_closure((), links) if ind.dependencies else {}
        groups: dict[str, list[str]] = {}
        mutual: list[tuple[str, str]] = []
        # Only what is shown is worded: a holding over 999 partners is 498,501 pairs.
        for link in ind.dependencies[: MAX_REASONS + 1]:
            if link.kind == "controls" and link.a in closure.get(link.b, frozenset()):
                pair = (min(link.a, link.b), max(link.a, link.b))
                if pair not in mutual:
                    mutual.append(pair)
                continue
            held: tuple[str, ...] = (link.b,) if link.kind == "controls" else (link.a, link.b)
            group = groups.setdefault((link.a if link.kind == "controls" else link.by) or "", [])
            group.extend(m for m in held if m not in group)
        texts.extend(say("mutual", a=a, b=b) for a, b in mutual)
        for by, targets in groups.items():
            shown = [self.controlled_text(by, m, links) for m in targets]
            texts.append(say("controls", a=by, b=say.items(shown)))
        doubts: dict[str, list[str]] = {}
        for link in ind.doubts[: MAX_REASONS + 1]:
            if link.kind == "common":
                group = doubts.setdefault(link.by or "", [])
                group.extend(m for m in (link.a, link.b) if m not in group)
        texts.extend(say("maybe_public", by=by, items=say.items(m)) for by, m in doubts.items())
        if not texts:
            return ""
        shown = texts[:MAX_REASONS] + (["…"] if len(texts) > MAX_REASONS else [])
        return " (" + "; ".join(shown) + ")"

    def controlled_text(self, by: str, target: str, links: Sequence[ControlLink]) -> str:
        """``fromagerie (60 %)``, or with its path: ``transports (through holding-a (60 %)
        and holding-b (70 %): holding-a 30 % + holding-b 25 % = 55 %)``."""
        say = self.say
        steps = control_steps(by, target, links)
        if not steps:
            return target

        def holding(step: Step) -> str:
            if step.total is None:
                return say("power")
            parts = [percent_text(share or Decimal(0), say.lang) for _h, share in step.holders]
            if len(parts) == 1:
                return parts[0]
            named = [f"{h} {p}" for (h, _s), p in zip(step.holders, parts, strict=True)]
            return " + ".join(named) + " = " + percent_text(step.total, say.lang)

        last = holding(steps[-1])
        if len(steps) == 1:  # direct: the share, nothing to add for decision power
            return target if steps[0].total is None else f"{target} ({last})"
        via = say.items([f"{s.target} ({holding(s)})" for s in steps[:-1]])
        return f"{target} ({say('through', via=via, last=last)})"

    def distinct(self, check: Distinct) -> Outcome:
        say = self.say
        scope = check.path.split(".", 1)[0]
        what = check.path.split(".", 1)[1]
        noun = say("distinct", what=what)
        if check.where:
            noun = say("with", noun=noun, cond=self.conds_text(check.where))
        required = self.bounds_text(check.at_least, check.at_most, noun)
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
        shown = ", ".join(sorted(say.value(v) for v in sure))
        found = (
            say("distinct_of", n=low, values=shown) if low == high else say("range", a=low, b=high)
        )
        status = bounds_check(low, high, check.at_least, check.at_most)
        return status, found, required, (facts + tuple(value_facts)) if status is None else ()

    def sum(self, check: Sum) -> Outcome:
        say = self.say
        required = self.bounds_text(check.at_least, check.at_most, "", self.currency)
        if check.where:
            required += " — " + self.conds_text(check.where)
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
        found = say.value(low, self.currency)
        if high != low:
            found = say("range", a=found, b=say.value(high, self.currency))
        return status, found, required, facts if status is None else ()

    def funding_check(self, check: FundingCheck) -> Outcome:
        say = self.say
        what = say(f"{check.quantity}_q")
        required = f"{what} " + self.bounds_text(check.at_least, check.at_most, "", self.currency)
        value = (
            self.estimate.eligible_total if check.quantity == "eligible_cost" else self.estimate.aid
        )
        if self.project.budget is None or value is None:
            return None, say("not_given"), required, ("budget",)
        status = bounds_check(value, value, check.at_least, check.at_most)
        return status, f"{what} {say.value(value, self.currency)}", required, ()

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
        key = ("filing", self.call.timezone)
        instant = self.shared.get(key)
        if instant is None:
            instant = self.shared[key] = local_instant_start(self.submission, self.call.timezone)
        return self.call.next_round(instant)

    def rounds(self) -> Outcome:
        status, self.why = self.round_status()
        required = self.shared.get("round_required")
        if required is None:
            required = self.shared["round_required"] = self.say("round_required")
        return status, self.round_text, required, ()

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

    def round_text(self) -> str:
        say, why = self.say, self.why
        call, r = self.call, self.filing_round
        day = say.day(self.submission)
        if self.project.submission is None:
            day = say("filing_today", day=day)
        if why == "call_not_yet" and call.opens is not None:
            return say(why, day=day, opens=say.day(call.opens))
        if why == "rounds_over":
            return say(why, day=day, closes=say.day(call.rounds[-1].day))
        if r is None or why in ("ongoing_open", "no_round"):
            return say(why, day=day)
        name = r.label or say("the_round")
        if why == "round_not_yet" and r.opens is not None:
            return say(why, day=day, round=name, opens=say.day(r.opens))
        closes = say.day(r.day) + ("" if r.at is None else f" {r.at.strftime('%H:%M')} {r.tz}")
        return say("round_open", day=day, round=name, closes=closes)

    def call_territory(self) -> Outcome:
        check = Compare("project.territory", "within", tuple(self.call.territory))
        r = self.test(check, Kind.TERRITORY, None)
        return r.status, r.shown, self.op_text(check), r.facts

    def beneficiaries(self) -> Outcome:
        wanted = tuple(self.call.beneficiaries)
        required = partial(self.say, "among", v=", ".join(wanted))
        partners = self.project.partners
        if partners is None:
            return self.missing("partners", required)
        # Whether every partner is admitted depends on the kinds of partner (type and
        # legal form), not on each partner: decided from those, explained when read.
        kinds = self.shared.get("kinds")
        if kinds is None:
            kinds = self.shared["kinds"] = {(p.type, p.legal_form) for p in partners}
        status = tri_and(
            None if who is None else paths.admitted(wanted, who, form) for who, form in kinds
        )
        if status is not None:
            return status, partial(self.beneficiaries_text, wanted), required, ()
        _, found, facts = self.beneficiaries_outcome(wanted)
        return status, found, required, facts

    def beneficiaries_outcome(self, wanted: tuple[str, ...]) -> tuple[Tri, str, tuple[str, ...]]:
        """Each partner's admission: the status, what was found, the facts missing."""
        partners = self.project.partners or ()
        # What partners are admitted depends on the set of codes, not on their order.
        key = ("beneficiaries", frozenset(wanted))
        if key not in self.shared:
            outcome: list[tuple[Item, _Result]] = [(p, self.admission(wanted, p)) for p in partners]
            self.shared[key] = self.per_item("partners", outcome, len(partners))
        return cast("tuple[Tri, str, tuple[str, ...]]", self.shared[key])

    def beneficiaries_text(self, wanted: tuple[str, ...]) -> str:
        return self.beneficiaries_outcome(wanted)[1]

    def funding(self) -> Outcome:
        f = self.call.funding or Funding()
        est = self.estimate
        if est.eligible_total is None:
            return None, self.say("not_given"), self.funding_required, ("budget",)
        total = est.eligible_total
        checks: list[Tri] = [total > 0]
        if f.min_eligible_cost is not None:
            checks.append(total >= f.min_eligible_cost)
        if f.min_aid is not None and est.aid is not None:
            checks.append(est.aid >= f.min_aid)
        return tri_and(checks), self.funding_found, self.funding_required, ()

    def funding_required(self) -> str:
        say = self.say
        f = self.call.funding or Funding()
        parts = [
            say("positive")
            if f.min_eligible_cost is None
            else say("floor", v=say.value(f.min_eligible_cost, self.currency))
        ]
        if f.min_aid is not None and f.rate is not None:
            parts.append(say("min_aid", v=say.value(f.min_aid, self.currency)))
        return "; ".join(parts)

    def funding_found(self) -> str:
        say, est = self.say, self.estimate
        found = say("eligible_costs", v=say.value(est.eligible_total, self.currency))
        if est.ineligible:
            found += f" ({say('lines_out', lines=say.count('budget', len(est.ineligible)))})"
        if est.aid is not None:
            found += f"; {say('aid_is', v=say.value(est.aid, self.currency))}"
        return found

    # -- questions ----------------------------------------------------------------

    def question_text(self, fact: str) -> str:
        say = self.say
        if fact in ("control", "partners", "budget"):
            return say(f"q_{fact}")
        if fact.startswith("answers."):
            name = fact.split(".", 1)[1]
            for c in self.call.criteria:
                asks = c.id == name and isinstance(c.check, Manual)
                asks = asks or (isinstance(c.check, Compare) and c.check.path == fact)
                if asks and c.question:
                    return f"{c.question} ([answers] {name})"
            return say("q_answer", name=name)
        if fact.startswith("project."):
            key = f"q_{fact}"
            return say(key) if say.has(key) else fact
        head, _, field = fact.partition("].")
        collection, _, ident = head.partition("[")
        if collection == "budget":
            return say("q_budget.partner", name=f"« {ident} »")
        entity = self.project.entities().get(ident)
        name = f"« {entity.name} » ({ident})" if entity is not None and entity.name else ident
        key = f"q_partner.{field}"
        return (
            say(key, name=name) if say.has(key) else say("q_partner.other", field=field, name=name)
        )


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
