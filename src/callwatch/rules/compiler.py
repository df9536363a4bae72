"""Compile a call's ``[[calls.criteria]]`` tables, reporting every mistake with its path.

Unknown keys and operators, values of the wrong kind, paths that a project
cannot have, references to unknown criteria and cycles are errors of the calls
file. Each problem carries its path within the call, such as
``("criteria", 2, "check", "at_least")``, so the loader can name the line.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from callwatch.domain import codes
from callwatch.domain.criteria import (
    BUILTINS,
    COMBINATORS,
    Builtin,
    Check,
    Combine,
    Compare,
    Count,
    Criterion,
    Distinct,
    ForEach,
    FundingCheck,
    Manual,
    Scalar,
    Sum,
)
from callwatch.domain.model import ID_PATTERN
from callwatch.domain.territories import TerritoryError, read_code
from callwatch.domain.text import suggest
from callwatch.i18n import N_
from callwatch.rules import operators
from callwatch.rules.paths import (
    ANSWER_PATH,
    COLLECTIONS,
    VALUES,
    Kind,
    kind_of,
    known_paths,
)

Path = tuple[str | int, ...]
Problems = list[tuple[Path, str]]

CRITERION_KEYS = ("id", "label", "source", "check", "question")
BOUNDS = ("at_least", "at_most")
# Limits that keep compiling and evaluating a call bounded (issue 13): criteria per
# call, and how deep all_of / any_of / none_of / not may refer to one another.
MAX_CRITERIA = 200
MAX_DEPTH = 32
# The keys of each kind of check (a comparison's operators come from the registry:
# :func:`shape`).
SHAPES: dict[str, tuple[str, ...]] = {
    "path": ("path",),
    "for_each": ("for_each", "where", "require"),
    "count": ("count", "where", *BOUNDS, "independent", "distinct", "including"),
    "distinct": ("distinct", "where", *BOUNDS),
    "sum": ("sum", "where", *BOUNDS),
    "funding": ("funding", *BOUNDS),
    **{op: (op,) for op in COMBINATORS},
}
FUNDING_QUANTITIES = ("eligible_cost", "aid")


def shape(head: str) -> tuple[str, ...]:
    """The keys a check of kind *head* may have."""
    return (*SHAPES[head], *operators.names()) if head == "path" else SHAPES[head]


NAMED_CHECKS = ("manual", *BUILTINS)


def compile_criteria(spec: Any) -> tuple[tuple[Criterion, ...], Problems]:
    """Compile a validated ``CallSpec``'s criteria; the criteria, or the problems."""
    compiler = _Compiler(spec)
    criteria = compiler.run(spec.criteria)
    if compiler.problems:
        return (), compiler.problems
    return criteria, []


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    raise TypeError(type(value).__name__)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


class _Compiler:
    def __init__(self, spec: Any) -> None:
        self.territory = bool(spec.territory)
        self.beneficiaries = bool(spec.beneficiaries)
        self.funding = spec.funding is not None
        self.rate = spec.funding is not None and spec.funding.rate is not None
        self.problems: Problems = []

    def err(self, path: Path, message: str) -> None:
        self.problems.append((path, message))

    def unknown_keys(self, table: dict[str, Any], allowed: tuple[str, ...], at: Path) -> None:
        for key in table:
            if key not in allowed:
                self.err(
                    (*at, key),
                    N_("unknown key {key!r}{hint}; expected {names}").format(
                        key=key, hint=suggest(key, allowed), names=", ".join(allowed)
                    ),
                )

    # -- criteria ---------------------------------------------------------------

    def run(self, entries: list[dict[str, Any]]) -> tuple[Criterion, ...]:
        if len(entries) > MAX_CRITERIA:
            self.err(
                ("criteria",),
                N_("{n} criteria: at most {limit} per call").format(
                    n=len(entries), limit=MAX_CRITERIA
                ),
            )
            return ()
        out: list[Criterion] = []
        positions: dict[str, int] = {}
        for i, entry in enumerate(entries):
            crit = self.criterion(entry, ("criteria", i))
            if crit is None:
                continue
            if crit.id in positions:
                self.err(
                    ("criteria", i, "id"),
                    N_("duplicate criterion id {ident!r} (already criteria[{index}])").format(
                        ident=crit.id, index=positions[crit.id]
                    ),
                )
                continue
            positions[crit.id] = i
            out.append(crit)
        self.references(out, positions)
        return tuple(out)

    def criterion(self, entry: dict[str, Any], at: Path) -> Criterion | None:
        self.unknown_keys(entry, CRITERION_KEYS, at)
        before = len(self.problems)
        ident = entry.get("id")
        if not isinstance(ident, str):
            self.err((*at, "id"), N_("a criterion needs an `id` (a string)"))
        else:
            if not re.match(ID_PATTERN, ident):
                self.err(
                    (*at, "id"),
                    N_("expected letters, digits, '.', '_', ':' or '-', got {ident!r}").format(
                        ident=ident
                    ),
                )
            elif ident.startswith("call."):
                self.err(
                    (*at, "id"), N_("ids starting with 'call.' are reserved for built-in checks")
                )
        label = entry.get("label")
        if not isinstance(label, str) or not label.strip():
            self.err((*at, "label"), N_("a criterion needs a `label` (a non-empty string)"))
        source = entry.get("source")
        if source is not None and (not isinstance(source, str) or not source.strip()):
            self.err((*at, "source"), N_("expected the legal source as a non-empty string"))
        question = entry.get("question")
        if question is not None and (not isinstance(question, str) or not question.strip()):
            self.err((*at, "question"), N_("expected the question as a non-empty string"))
        if "check" not in entry:
            self.err(at, N_("a criterion needs a `check`"))
            return None
        check = self.check(entry["check"], (*at, "check"))
        if isinstance(check, Manual) and question is None:
            self.err(
                at, N_("a manual check needs a `question` (answered in the project's [answers])")
            )
        reads_answers = isinstance(check, Compare) and ANSWER_PATH.match(check.path)
        if question is not None and not (isinstance(check, Manual) or reads_answers):
            self.err(
                (*at, "question"),
                N_("a question belongs to a manual check or to a comparison on answers.*"),
            )
        if check is None or len(self.problems) > before:
            return None
        if not isinstance(ident, str) or not isinstance(label, str):
            return None  # reported above
        return Criterion(
            id=ident,
            label=label.strip(),
            check=check,
            source=source.strip() if isinstance(source, str) else None,
            question=question.strip() if isinstance(question, str) else None,
            declared=json.dumps(entry["check"], default=_jsonable, ensure_ascii=False),
        )

    # -- checks -----------------------------------------------------------------

    def check(self, raw: Any, at: Path) -> Check | None:
        if isinstance(raw, str):
            if raw == "manual":
                return Manual()
            if raw in BUILTINS:
                return self.builtin(raw, at)
            self.err(
                at,
                N_(
                    "unknown check {name!r}{hint}: expected {names} or a table such as {example}"
                ).format(
                    example='{ path = "project.territory", within = ["FR-ARA"] }',
                    name=raw,
                    hint=suggest(raw, NAMED_CHECKS),
                    names=", ".join(repr(n) for n in NAMED_CHECKS),
                ),
            )
            return None
        if not isinstance(raw, dict):
            self.err(
                at,
                N_('expected a table {example} or the name of a check such as "manual"').format(
                    example="{ ... }"
                ),
            )
            return None
        heads = [key for key in SHAPES if key in raw]
        if "count" in heads and "distinct" in heads:
            heads.remove("distinct")  # a consortium: a count whose members' values differ
        if not heads:
            ops = [k for k in raw if k in operators.REGISTRY]
            hint = N_(" (a comparison needs `path`)") if ops else ""
            self.err(
                at,
                N_("a check needs one of: {names}{hint}").format(
                    names=", ".join(SHAPES), hint=hint
                ),
            )
            self.unknown_keys(raw, tuple(k for head in SHAPES for k in shape(head)), at)
            return None
        if len(heads) > 1:
            self.err(at, N_("a check has one kind; found {kinds}").format(kinds=", ".join(heads)))
            return None
        head = heads[0]
        self.unknown_keys(raw, shape(head), at)
        if head == "path":
            return self.compare(raw, at, None)
        if head == "for_each":
            return self.for_each(raw, at)
        if head == "count":
            return self.count(raw, at)
        if head == "distinct":
            return self.distinct(raw, at)
        if head == "sum":
            return self.sum(raw, at)
        if head == "funding":
            return self.funding_check(raw, at)
        return self.combine(head, raw[head], (*at, head))

    def builtin(self, name: str, at: Path) -> Check | None:
        missing = {
            "call.territory": (self.territory, N_("the call states no `territory`")),
            "call.beneficiaries": (self.beneficiaries, N_("the call states no `beneficiaries`")),
            "call.funding": (self.funding, N_("the call has no [calls.funding]")),
        }.get(name)
        if missing is not None and not missing[0]:
            self.err(
                at, N_("{name} cannot be checked: {reason}").format(name=name, reason=missing[1])
            )
            return None
        return Builtin(name)

    def combine(self, op: str, raw: Any, at: Path) -> Check | None:
        if op == "not":
            if not isinstance(raw, str):
                self.err(at, N_("expected the id of one criterion (a string)"))
                return None
            return Combine(op, (raw,))
        if not isinstance(raw, list) or not raw or not all(isinstance(r, str) for r in raw):
            self.err(at, N_("expected a non-empty array of criterion ids"))
            return None
        return Combine(op, tuple(raw))

    def collection(self, raw: dict[str, Any], key: str, at: Path) -> str | None:
        over = raw[key]
        if over not in COLLECTIONS:
            self.err(
                (*at, key),
                N_("expected one of {names}, got {value!r}").format(
                    names=", ".join(COLLECTIONS), value=over
                ),
            )
            return None
        return str(over)

    def conditions(self, raw: Any, at: Path, scope: str, required: bool) -> tuple[Compare, ...]:
        """``where`` / ``require``: one comparison table, or an array of them (all hold)."""
        if raw is None:
            if required:
                self.err(
                    at,
                    N_("missing: a comparison such as {example}").format(
                        example='{ path = "partners.type", eq = "farmer" }'
                    ),
                )
            return ()
        tables = raw if isinstance(raw, list) else [raw]
        out = []
        for k, table in enumerate(tables):
            where = (*at, k) if isinstance(raw, list) else at
            if not isinstance(table, dict):
                self.err(
                    where,
                    N_("expected a comparison table {example}").format(
                        example="{ path = ..., <operator> = ... }"
                    ),
                )
                continue
            if "path" not in table:
                self.err(where, N_("a comparison needs a `path`"))
                continue
            self.unknown_keys(table, shape("path"), where)
            test = self.compare(table, where, scope)
            if test is not None:
                out.append(test)
        if required and not tables:
            self.err(at, N_("expected at least one comparison"))
        return tuple(out)

    def for_each(self, raw: dict[str, Any], at: Path) -> Check | None:
        over = self.collection(raw, "for_each", at)
        if over is None:
            return None
        where = self.conditions(raw.get("where"), (*at, "where"), over, required=False)
        require = self.conditions(raw.get("require"), (*at, "require"), over, required=True)
        return ForEach(over, where, require)

    def count(self, raw: dict[str, Any], at: Path) -> Check | None:
        over = self.collection(raw, "count", at)
        independent = raw.get("independent", False)
        if not isinstance(independent, bool):
            self.err((*at, "independent"), N_("expected true or false"))
            independent = False
        if independent and over != "partners":
            self.err((*at, "independent"), N_("independence applies to partners only"))
        low, high = self.int_bounds(raw, at)
        if over is None:
            return None
        where = self.conditions(raw.get("where"), (*at, "where"), over, required=False)
        distinct = None
        if "distinct" in raw:
            distinct = self.distinct_path(raw["distinct"], (*at, "distinct"), over)
        including = self.conditions(raw.get("including"), (*at, "including"), over, False)
        if (distinct is not None or including) and over != "partners":
            self.err(at, N_("`distinct` and `including` in a count apply to partners only"))
        return Count(over, where, low, high, independent, distinct, including)

    def distinct_path(self, path: Any, at: Path, scope: str) -> str | None:
        """The path whose values a consortium's members must not share."""
        kind = kind_of(path, scope) if isinstance(path, str) else None
        if kind is None or kind is Kind.TEXT_LIST:
            choices = [p for p in known_paths(scope) if kind_of(p, scope) is not Kind.TEXT_LIST]
            self.err(
                at,
                N_("expected the path of a single value of a partner{hint}: {names}").format(
                    hint=suggest(str(path), choices), names=", ".join(choices)
                ),
            )
            return None
        return str(path)

    def distinct(self, raw: dict[str, Any], at: Path) -> Check | None:
        path = raw["distinct"]
        scope = path.split(".", 1)[0] if isinstance(path, str) else None
        kind = kind_of(path, scope) if scope in COLLECTIONS else None
        if kind is None or kind is Kind.TEXT_LIST or scope is None:
            choices = [
                p
                for s in COLLECTIONS
                for p in known_paths(s)
                if kind_of(p, s) is not Kind.TEXT_LIST
            ]
            self.err(
                (*at, "distinct"),
                N_(
                    "expected the path of a single value of a partner or budget line{hint}: {names}"
                ).format(hint=suggest(str(path), choices), names=", ".join(choices)),
            )
            return None
        low, high = self.int_bounds(raw, at)
        where = self.conditions(raw.get("where"), (*at, "where"), scope, required=False)
        return Distinct(str(path), where, low, high)

    def sum(self, raw: dict[str, Any], at: Path) -> Check | None:
        if raw["sum"] != "budget.amount":
            self.err(
                (*at, "sum"),
                N_("only budget.amount can be summed, got {value!r}").format(value=raw["sum"]),
            )
            return None
        low, high = self.money_bounds(raw, at)
        where = self.conditions(raw.get("where"), (*at, "where"), "budget", required=False)
        return Sum("budget.amount", where, low, high)

    def funding_check(self, raw: dict[str, Any], at: Path) -> Check | None:
        quantity = raw["funding"]
        if quantity not in FUNDING_QUANTITIES:
            self.err(
                (*at, "funding"),
                N_("expected one of {names}, got {value!r}").format(
                    names=", ".join(FUNDING_QUANTITIES), value=quantity
                ),
            )
            return None
        if not self.funding:
            self.err((*at, "funding"), N_("the call has no [calls.funding] to compute with"))
            return None
        if quantity == "aid" and not self.rate:
            self.err((*at, "funding"), N_("the call gives no rate: the aid cannot be computed"))
            return None
        low, high = self.money_bounds(raw, at)
        return FundingCheck(str(quantity), low, high)

    def int_bounds(self, raw: dict[str, Any], at: Path) -> tuple[int | None, int | None]:
        values: list[int | None] = []
        for key in BOUNDS:
            value = raw.get(key)
            if value is not None and (
                not isinstance(value, int) or isinstance(value, bool) or value < 0
            ):
                self.err(
                    (*at, key), N_("expected a whole number ≥ 0, got {value!r}").format(value=value)
                )
                value = None
            values.append(value)
        return self.ordered(values[0], values[1], raw, at)

    def money_bounds(self, raw: dict[str, Any], at: Path) -> tuple[Decimal | None, Decimal | None]:
        values: list[Decimal | None] = []
        for key in BOUNDS:
            value = raw.get(key)
            if value is not None and not _is_number(value):
                self.err((*at, key), N_("expected a number, got {value!r}").format(value=value))
                value = None
            values.append(None if value is None else Decimal(str(value)))
        return self.ordered(values[0], values[1], raw, at)

    def ordered(self, low: Any, high: Any, raw: dict[str, Any], at: Path) -> tuple[Any, Any]:
        if not any(key in raw for key in BOUNDS):
            self.err(at, N_("expected at_least and/or at_most"))
        if low is not None and high is not None and low > high:
            self.err(
                (*at, "at_most"),
                N_("at_most ({high}) is below at_least ({low})").format(high=high, low=low),
            )
        return low, high

    # -- comparisons ------------------------------------------------------------

    def compare(self, raw: dict[str, Any], at: Path, scope: str | None) -> Compare | None:
        path = raw["path"]
        kind = kind_of(path, scope) if isinstance(path, str) else None
        if kind is None:
            where = (
                N_("at the top of a check")
                if scope is None
                else N_("inside {scope}").format(scope=scope)
            )
            names = known_paths(scope)
            self.err(
                (*at, "path"),
                N_("unknown path {path!r} {where}{hint}: expected {names}").format(
                    path=path, where=where, hint=suggest(str(path), names), names=", ".join(names)
                ),
            )
            return None
        ops = [key for key in raw if key in operators.REGISTRY]
        allowed_ops = operators.for_kind(kind)
        if not ops and any(key not in shape("path") for key in raw):
            return None  # a misspelt operator, already reported as an unknown key
        if len(ops) != 1:
            self.err(
                at,
                N_("a comparison has exactly one operator ({names}){found}").format(
                    names=", ".join(allowed_ops),
                    found=N_("; found {ops}").format(ops=", ".join(ops)) if ops else "",
                ),
            )
            return None
        op = ops[0]
        if op not in allowed_ops:
            self.err(
                (*at, op),
                N_("{op} does not apply to {path} (a {kind}): use {names}").format(
                    op=op, path=path, kind=kind.value, names=", ".join(allowed_ops)
                ),
            )
            return None
        value = operators.get(op).parse(self, kind, raw[op], (*at, op))
        if value is None:
            return None
        allowed = VALUES.get(path)
        if allowed is not None:
            wrong = [
                v for v in (value if isinstance(value, tuple) else (value,)) if v not in allowed
            ]
            if wrong:
                self.err(
                    (*at, op),
                    N_("unknown value {value!r} for {path}{hint}: expected {names}").format(
                        value=wrong[0],
                        path=path,
                        hint=suggest(str(wrong[0]), allowed),
                        names=", ".join(allowed),
                    ),
                )
                return None
        return Compare(path, op, value)

    def scalar(self, kind: Kind, raw: Any, at: Path, ordered: bool = False) -> Scalar | None:
        """One value of *kind*: numbers become Decimals; codes are checked."""
        if isinstance(raw, datetime | time):
            self.err(at, N_("expected a date without a time, such as 2019-03-15"))
            return None
        if kind is Kind.ANSWER:
            if ordered and not (_is_number(raw) or isinstance(raw, date)):
                self.err(at, N_("expected a number or a date, got {value!r}").format(value=raw))
                return None
            if isinstance(raw, bool | str | date):
                return raw
            if _is_number(raw):
                return Decimal(str(raw))
            self.err(
                at,
                N_("expected a string, number, date or boolean, got {value!r}").format(value=raw),
            )
            return None
        if kind is Kind.NUMBER:
            if _is_number(raw):
                return Decimal(str(raw))
            self.err(at, N_("expected a number, got {value!r}").format(value=raw))
            return None
        if kind is Kind.DATE:
            if isinstance(raw, date):
                return raw
            self.err(
                at,
                N_(
                    "expected a TOML date such as 2019-03-15 (without quotes), got {value!r}"
                ).format(value=raw),
            )
            return None
        if kind is Kind.BOOL:
            if isinstance(raw, bool):
                return raw
            self.err(at, N_("expected true or false, got {value!r}").format(value=raw))
            return None
        if not isinstance(raw, str) or not raw:
            self.err(at, N_("expected a string, got {value!r}").format(value=raw))
            return None
        if kind is Kind.TERRITORY:
            try:
                return read_code(raw)[0]  # FR-63, 63, Ambert: the canonical code
            except TerritoryError as exc:
                self.err(at, str(exc))
                return None
        if kind is Kind.CODE and not codes.is_beneficiary(raw):
            self.err(
                at,
                N_("unknown beneficiary code {code!r}{hint}: expected {names}").format(
                    code=raw,
                    hint=suggest(raw, codes.BENEFICIARIES),
                    names=", ".join(codes.BENEFICIARIES),
                ),
            )
            return None
        return raw

    # -- references -------------------------------------------------------------

    def references(self, criteria: list[Criterion], positions: dict[str, int]) -> None:
        """Every id a combinator names exists, and no criterion depends on itself."""
        graph: dict[str, tuple[str, ...]] = {}
        for crit in criteria:
            if not isinstance(crit.check, Combine):
                continue
            at: Path = ("criteria", positions[crit.id], "check", crit.check.op)
            for k, ref in enumerate(crit.check.refs):
                if ref not in positions:
                    where = at if crit.check.op == "not" else (*at, k)
                    self.err(
                        where,
                        N_("unknown criterion {ref!r}{hint}").format(
                            ref=ref, hint=suggest(ref, positions)
                        ),
                    )
            graph[crit.id] = tuple(r for r in crit.check.refs if r in positions)
        reported: set[frozenset[str]] = set()
        state: dict[str, int] = {}  # 1: on the stack, 2: done

        def visit(node: str, stack: list[str]) -> None:
            state[node] = 1
            stack.append(node)
            for ref in graph.get(node, ()):
                if state.get(ref) == 1:
                    cycle = stack[stack.index(ref) :]
                    if frozenset(cycle) not in reported:
                        reported.add(frozenset(cycle))
                        self.err(
                            ("criteria", positions[node], "check"),
                            N_("cycle between criteria: {cycle}").format(
                                cycle=" → ".join([*cycle, ref])
                            ),
                        )
                elif ref not in state:
                    visit(ref, stack)
            stack.pop()
            state[node] = 2

        for crit in criteria:
            if crit.id not in state:
                visit(crit.id, [])
        if not reported:
            self.depths(graph, positions)

    def depths(self, graph: dict[str, tuple[str, ...]], positions: dict[str, int]) -> None:
        """Combinations nest at most :data:`MAX_DEPTH` deep (a bounded evaluation, and an
        explanation a person can read); *graph* has no cycle."""
        depth: dict[str, int] = {}
        for node in graph:
            pending = [node]
            while pending:  # iterative: a long chain must not hit Python's recursion limit
                top = pending[-1]
                missing = [r for r in graph.get(top, ()) if r not in depth]
                if missing:
                    pending.extend(missing)
                    continue
                pending.pop()
                depth[top] = 1 + max((depth[r] for r in graph.get(top, ())), default=0)
            if depth[node] > MAX_DEPTH:
                self.err(
                    ("criteria", positions[node], "check"),
                    N_("combinations nest {n} deep: at most {limit}").format(
                        n=depth[node], limit=MAX_DEPTH
                    ),
                )
                return


__all__ = ["compile_criteria"]
