"""How the engine's findings read: the *found* and *required* texts, and the questions.

The engine (:mod:`.engine`) decides; this module only writes, in the user's language,
from the words of :mod:`.phrases` and the operators' own words
(:mod:`.operators`). Texts a ranking never reads are written when first read: the
engine hands out ``partial(words.method, …)``, so a verdict keeps a reference to
these small :class:`Words`, not to the engine.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from itertools import islice
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from callwatch.domain import eu_countries, territories
from callwatch.domain.criteria import (
    Combine,
    Compare,
    Count,
    Distinct,
    ForEach,
    FundingCheck,
    Manual,
    Sum,
    Tri,
    tri_and,
    tri_or,
)
from callwatch.domain.funding import Estimate
from callwatch.domain.independence import (
    Independence,
    Link,
    Step,
    control_closure,
    control_steps,
)
from callwatch.domain.model import Call, Funding, Round
from callwatch.domain.project import ControlLink, Entity
from callwatch.i18n import percent_text
from callwatch.rules import operators
from callwatch.rules.phrases import Say

if TYPE_CHECKING:
    from callwatch.rules.consortium import Outcome as Consortium

T = TypeVar("T")
_DIGITS = re.compile(r"(\d+)")
MAX_REASONS = 3
MAX_NAMED = 6  # partners named in one sentence; past it, the first three and "N others"
MAX_VIA = 4  # steps of an indirect control named; past it, the first two and "N others"


def natural(name: str) -> tuple[tuple[int, str], ...]:
    """Sort key reading numbers as numbers: p2 before p10 (the first few named are the
    nearest in a chain p0, p1, p2…)."""
    return tuple((int(part), "") if part.isdigit() else (-1, part) for part in _DIGITS.split(name))


STATUS = {True: "met", False: "not_met", None: "unknown"}


class Finding(Protocol):
    """What the wording of a combinator reads of its children's explanations
    (:class:`callwatch.rules.engine.Explanation`): the engine builds on this module,
    so it names what it needs instead of importing the engine."""

    @property
    def id(self) -> str: ...

    @property
    def status(self) -> Tri: ...


class Words:
    """The engine's texts in one language (one per run, shared by every call)."""

    __slots__ = ("say",)

    def __init__(self, say: Say) -> None:
        self.say = say

    # -- comparisons ----------------------------------------------------------------

    def op(self, check: Compare, with_path: bool = False) -> str:
        """``within FR-ARA``; with the path: ``territory within FR-ARA``."""
        say = self.say
        if check.path == "partners.horizon_status" and with_path:
            values = check.value if isinstance(check.value, tuple) else (check.value,)
            return say("established_in", v=say("or").join(self.horizon_status(v) for v in values))
        text = operators.get(check.op).word(say, check.value)
        return f"{check.path.split('.', 1)[1]} {text}" if with_path else text

    def horizon_status(self, status: object) -> str:
        """A Horizon Europe status in words; the countries associated to Pillar II only
        are named, with why they count (a Pillar II topic: a cluster or a mission)."""
        if status == eu_countries.ASSOCIATED_PILLAR_2:
            shown = ", ".join(sorted(eu_countries.lists().pillar_2))
            return self.say("st_associated_pillar_2", codes=shown)
        return self.say(f"st_{status}")

    def conds(self, tests: Sequence[Compare]) -> str:
        return self.say("and").join(self.op(t, with_path=True) for t in tests)

    def territory(self, code: str, outers: Sequence[Any]) -> str:
        """A territory, and the one of *outers* it lies in (or its ancestry)."""
        ancestry = territories.ancestry(code)
        inside = [o for o in outers if o in ancestry and o != code]
        if inside:
            return self.say("in_territory", code=code, outer=inside[0])
        if len(ancestry) > 1:
            return self.say("outside", code=code, ancestry=", ".join(ancestry[1:]))
        return code

    # -- quantities -----------------------------------------------------------------

    def bounds(self, low: Any, high: Any, noun: str, currency: str | None = None) -> str:
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

    def range(self, low: int, high: int | None, noun_key: str) -> str:
        say = self.say
        if high == low:
            return say.count(noun_key, low)
        top = "?" if high is None else str(high)
        return f"{say('range', a=low, b=top)} {say.noun(noun_key)}"

    def per_item(
        self,
        over: str,
        status: Tri,
        failed: Sequence[str],
        unknown: Sequence[str],
        noun_count: int,
    ) -> str:
        """What was found when every item must pass."""
        say = self.say
        if status is True:
            if noun_count == 0:
                return say("none_items", noun=say.noun(over, 1))
            return say("all_items", n=noun_count, noun=say.noun(over, noun_count))
        if status is False:
            return say("failed_by", items=", ".join(failed))
        return say("unknown_for", items=", ".join(unknown))

    def for_each_required(self, check: ForEach) -> str:
        say = self.say
        noun = say.noun(check.over, 1)
        if check.where:
            return say(
                "every_with",
                noun=noun,
                where=self.conds(check.where),
                cond=self.conds(check.require),
            )
        return say("every", noun=noun, cond=self.conds(check.require))

    def count_required(self, check: Count) -> str:
        say = self.say
        noun_key = "independent" if check.independent else check.over
        noun = say.noun(noun_key, 2 if check.at_least != 1 else 1)
        if check.where:
            noun = say("with", noun=noun, cond=self.conds(check.where))
        text = self.bounds(check.at_least, check.at_most, noun)
        if check.distinct is not None:
            text += say("in_distinct", what=self.value_noun(check.distinct))
        if check.including:
            text += say("including", cond=self.conds(check.including))
        return text

    def distinct_required(self, check: Distinct) -> str:
        say = self.say
        noun = say("distinct", what=check.path.split(".", 1)[1])
        if check.where:
            noun = say("with", noun=noun, cond=self.conds(check.where))
        return self.bounds(check.at_least, check.at_most, noun)

    def sum_required(self, check: Sum, currency: str) -> str:
        required = self.bounds(check.at_least, check.at_most, "", currency)
        if check.where:
            required += " — " + self.conds(check.where)
        return required

    def funding_check_required(self, check: FundingCheck, currency: str) -> str:
        what = self.say(f"{check.quantity}_q")
        return f"{what} {self.bounds(check.at_least, check.at_most, '', currency)}"

    def funding_check_found(self, check: FundingCheck, value: Decimal, currency: str) -> str:
        return f"{self.say(f'{check.quantity}_q')} {self.say.value(value, currency)}"

    def value_noun(self, path: str, n: int | None = None) -> str:
        """What a path's values are called (countries; a country for *n* = 1), or the
        path's name."""
        name = path.split(".", 1)[1]
        return self.say.noun(name, n) if self.say.has_noun(name) else name

    def distinct_found(self, low: int, high: int, sure: set[Any]) -> str:
        say = self.say
        if low != high:
            return say("range", a=low, b=high)
        shown = ", ".join(sorted(say.value(v) for v in sure))
        return say.plural("distinct_of", low, values=shown)

    def amount_range(self, low: Decimal, high: Decimal, currency: str) -> str:
        say = self.say
        found = say.value(low, currency)
        if high != low:
            found = say("range", a=found, b=say.value(high, currency))
        return found

    # -- independence and consortia ----------------------------------------------------

    def links(
        self,
        undeclared: bool,
        dependencies: Sequence[Link],
        doubts: Sequence[Link],
        control: Sequence[ControlLink] = (),
        exact: bool = True,
    ) -> list[str]:
        """Why partners are not all independent: one sentence per controller (every
        partner it controls, with the path of an indirect control and the sum of pooled
        holdings, from the project's *control* links); two partners controlling each
        other in one sentence; and whether the count is only a range (``exact`` False)."""
        say = self.say
        texts = [say("undeclared")] if undeclared else []
        if not exact:
            texts.append(say("not_exact"))
        # One wording whatever the order the links were written in (duplicates included).
        control = sorted(control, key=lambda c: (c.controller, c.controlled, c.basis, c.share or 0))
        closure = control_closure((), control) if dependencies else {}
        # Every link is grouped, so a sentence counts all a controller holds; only what
        # is shown is worded (a holding over 999 partners is 498,501 pairs).
        groups: dict[str, dict[str, None]] = {}
        mutual: dict[tuple[str, str], None] = {}
        nothing: frozenset[str] = frozenset()
        for link in dependencies:  # a chain of 1,000 partners: 499,500 links, kept lean
            a, b = link.a, link.b
            if link.kind == "controls":
                if a in closure.get(b, nothing):
                    mutual[(min(a, b), max(a, b))] = None
                else:
                    groups.setdefault(a, {})[b] = None
            else:
                group = groups.setdefault(link.by or "", {})
                group[a] = group[b] = None
        texts.extend(say("mutual", a=a, b=b) for a, b in islice(mutual, MAX_REASONS + 1))
        for by, members in islice(groups.items(), MAX_REASONS + 1):
            targets = sorted(members, key=natural)
            shown = [self.controlled_text(by, m, control) for m in self.named(targets)]
            texts.append(say("controls", a=by, b=say.some(shown, len(targets))))
        pooled: dict[str, dict[str, None]] = {}
        for link in doubts:
            if link.kind == "common":
                pooled.setdefault(link.by or "", {}).update(dict.fromkeys((link.a, link.b)))
        for by, members in islice(pooled.items(), MAX_REASONS + 1):
            targets = sorted(members, key=natural)
            texts.append(
                say("maybe_public", by=by, items=say.some(self.named(targets), len(targets)))
            )
        return texts

    @staticmethod
    def named(names: Sequence[T], limit: int = MAX_NAMED) -> list[T]:
        """Every name when at most *limit*, else the first half of that (the rest are
        counted by ``Say.some``: a sentence never reads complete when it is not)."""
        return list(names) if len(names) <= limit else list(names[: limit // 2])

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
        through = steps[:-1]
        shown = [f"{s.target} ({holding(s)})" for s in self.named(through, MAX_VIA)]
        via = say.some(shown, len(through))
        return f"{target} ({say('through', via=via, last=last)})"

    @staticmethod
    def reasons(texts: Sequence[str]) -> str:
        """The first few reasons, in parentheses."""
        if not texts:
            return ""
        shown = [*texts[:MAX_REASONS], *(["…"] if len(texts) > MAX_REASONS else [])]
        return " (" + "; ".join(shown) + ")"

    def consortium(
        self,
        check: Count,
        o: Consortium,
        status: Tri,
        control: Sequence[ControlLink] = (),
        independent: Callable[[], Independence] | None = None,
    ) -> str:
        """The set found and its values; when not met, why (a partner left out by
        ``where``, no Member State, too few countries, a controlled partner).
        *independent*: how many partners are independent at all, so that "1 independent
        partner" is not said of three independent partners in one country."""
        say = self.say
        noun_key = "independent" if check.independent else "partners"
        members = ", ".join(f"{i} ({v})" if check.distinct else i for i, v in o.members)
        found = self.range(o.lower, o.upper, noun_key)
        texts = []
        if o.left_out:
            out = sorted(o.left_out, key=lambda item: natural(item[0]))
            named = [f"{i} ({v})" if v else i for i, v in self.named(out)]
            items = say.some(named, len(o.left_out))
            cond = self.conds(check.where)
            texts.append(say.plural("left_out", len(o.left_out), items=items, cond=cond))
        if (
            independent is not None
            and check.distinct
            and status is not True
            and not o.no_including
            and o.lower == o.upper
        ):
            ind = independent()
            if ind.lower > o.upper:  # more independent partners than the consortium holds
                head = self.range(ind.lower, ind.upper, noun_key)
                if len(o.values) == 1 and not o.unknown_values:
                    found, members = say("all_in", head=head, value=o.values[0]), ""
                else:
                    what = self.value_noun(check.distinct)
                    found = say("of_which", head=head, k=o.lower, what=what)
                    if check.including:
                        found += say("including", cond=self.conds(check.including))
        if o.no_including and o.without_including[1]:  # found, though none meets `including`
            low, high = o.without_including
            found = self.range(low, high, noun_key)
            if check.distinct and high > 1:
                found += say("in_distinct", what=self.value_noun(check.distinct))
            found = say("none_including", head=found, cond=self.conds(check.including))
        elif o.no_including:
            texts.append(say("no_including", cond=self.conds(check.including)))
        if members:
            found = say("members", head=found, members=members)
        if status is True:
            return found
        if check.distinct and check.at_least is not None:
            possible = len(o.values) + o.unknown_values
            if 0 < possible < check.at_least:  # none at all: the reasons above say why
                what = self.value_noun(check.distinct, possible)
                shown = ", ".join(o.values) or "—"
                texts.append(say.plural("few_values", possible, what=what, values=shown))
        if not o.exact:
            texts.append(say("not_decided"))
        texts.extend(self.links(o.undeclared, o.dependencies, o.doubts, control))
        return found + self.reasons(texts)

    # -- combinators ----------------------------------------------------------------

    def combine_required(self, check: Combine) -> str:
        return self.say(check.op, v=", ".join(check.refs))

    def combine_found(self, check: Combine, children: Sequence[Finding]) -> str:
        say = self.say

        def ids(status: Tri) -> str:
            return ", ".join(child.id for child in children if child.status is status)

        if check.op == "not":
            return f"{children[0].id}: {say('status_' + STATUS[children[0].status])}"
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

    # -- built-in checks ------------------------------------------------------------

    def round_found(
        self, why: str, call: Call, r: Round | None, submission: date, default_day: bool
    ) -> str:
        """Why the filing date is (or is not) in an open round (*why*: a phrase key), in
        words of the failure: ``filing on 30 May 2019, after the last round (29 May 2019)``."""
        say = self.say
        day = say.day(submission)
        if default_day:
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

    def funding_required(self, funding: Funding | None, currency: str) -> str:
        say = self.say
        f = funding or Funding()
        parts = [
            say("positive")
            if f.min_eligible_cost is None
            else say("floor", v=say.value(f.min_eligible_cost, currency))
        ]
        if f.min_aid is not None and f.rate is not None:
            parts.append(say("min_aid", v=say.value(f.min_aid, currency)))
        return "; ".join(parts)

    def funding_found(self, est: Estimate) -> str:
        say, currency = self.say, est.currency
        found = say("eligible_costs", v=say.value(est.eligible_total, currency))
        if est.ineligible:
            found += f" ({say('lines_out', lines=say.count('budget', len(est.ineligible)))})"
        if est.aid is not None:
            found += f"; {say('aid_is', v=say.value(est.aid, currency))}"
        return found

    # -- questions ------------------------------------------------------------------

    def question(self, fact: str, call: Call, entities: dict[str, Entity]) -> str:
        """The question that asks for a missing fact (keys: docs/rules.md, Questions)."""
        say = self.say
        if fact in ("control", "partners", "budget"):
            return say(f"q_{fact}")
        if fact.startswith("answers."):
            name = fact.split(".", 1)[1]
            for c in call.criteria:
                asks = c.id == name and isinstance(c.check, Manual)
                asks = asks or (isinstance(c.check, Compare) and c.check.path == fact)
                if asks and c.question:
                    return f"{c.question} ([answers] {name})"
            return say("q_answer", name=name)
        if fact.startswith("eu_countries."):
            return say("q_eu_country", country=fact.split(".", 1)[1])
        if fact.startswith("project."):
            key = f"q_{fact}"
            return say(key) if say.has(key) else fact
        head, _, field = fact.partition("].")
        collection, _, ident = head.partition("[")
        if collection == "budget":
            return say("q_budget.partner", name=f"« {ident} »")
        entity = entities.get(ident)
        name = f"« {entity.name} » ({ident})" if entity is not None and entity.name else ident
        key = f"q_partner.{field}"
        return (
            say(key, name=name) if say.has(key) else say("q_partner.other", field=field, name=name)
        )


class CallTexts:
    """The texts of one call's built-in checks, written when first read.

    One small object per call whose bound methods are the lazy texts: a ranking keeps
    ten thousand verdicts, and one object with three methods costs the collector less
    than three partials with their arguments.
    """

    __slots__ = ("call", "default_day", "estimate", "filing_round", "submission", "why", "words")

    def __init__(
        self,
        words: Words,
        call: Call,
        estimate: Estimate,
        filing_round: Round | None,
        submission: date,
        default_day: bool,
    ) -> None:
        self.words = words
        self.call = call
        self.estimate = estimate
        self.filing_round = filing_round
        self.submission = submission
        self.default_day = default_day
        self.why = ""  # the phrase that says why the filing date is in a round or not

    def rounds(self) -> str:
        return self.words.round_found(
            self.why, self.call, self.filing_round, self.submission, self.default_day
        )

    def funding_found(self) -> str:
        return self.words.funding_found(self.estimate)

    def funding_required(self) -> str:
        return self.words.funding_required(self.call.funding, self.estimate.currency)
