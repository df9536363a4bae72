"""Rule operators, in one table: what each applies to, reads, compares and says.

A comparison in a calls file is ``{ path = "...", <operator> = <value> }``. Each
operator is one :class:`Operator` registered here:

- ``kinds``: the kinds of path it applies to (others are refused when the file loads);
- ``parse``: how its value is read from the file, reporting mistakes with their path;
- ``compare``: found value, wanted value → True, False, or None when the found value
  is of another kind (only possible for ``answers.*``, and it settles nothing);
- ``word``: how "<operator> <value>" reads to a person, in the user's language.

The compiler (:mod:`.compiler`), the engine (:mod:`.engine`) and the wording
(:mod:`.wording`) read only this table. Adding an operator is one :func:`register`
call (docs/contributing.md, "A rule operator").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from callwatch.domain import territories
from callwatch.domain.criteria import Scalar
from callwatch.rules.paths import Kind
from callwatch.rules.phrases import Say

Path = tuple[str | int, ...]


class Reader(Protocol):
    """What a parser may use from the compiler: one value of a kind, and errors."""

    def scalar(self, kind: Kind, raw: Any, at: Path, ordered: bool = False) -> Scalar | None: ...

    def err(self, at: Path, message: str) -> None: ...


Parse = Callable[[Reader, Kind, Any, Path], Any]  # the compiled value, or None (reported)
Compare = Callable[[Any, Any], "bool | None"]
Word = Callable[[Say, Any], str]


@dataclass(frozen=True, slots=True)
class Operator:
    name: str
    kinds: frozenset[Kind]
    parse: Parse
    compare: Compare
    word: Word


REGISTRY: dict[str, Operator] = {}


def register(op: Operator) -> Operator:
    """Add (or replace) an operator; the compiler accepts it from then on."""
    REGISTRY[op.name] = op
    return op


def get(name: str) -> Operator:
    return REGISTRY[name]


def names() -> tuple[str, ...]:
    """Every operator, in the order they were registered."""
    return tuple(REGISTRY)


def for_kind(kind: Kind) -> tuple[str, ...]:
    """The operators that apply to a kind of path, in the order of the table."""
    return tuple(name for name, op in REGISTRY.items() if kind in op.kinds)


# -- parsers --------------------------------------------------------------------------


def one(reader: Reader, kind: Kind, raw: Any, at: Path) -> Any:
    """A single value of the path's kind."""
    return reader.scalar(kind, raw, at)


def ordered(reader: Reader, kind: Kind, raw: Any, at: Path) -> Any:
    """A single value that can be ordered (a number or a date)."""
    return reader.scalar(kind, raw, at, ordered=True)


def many(reader: Reader, kind: Kind, raw: Any, at: Path) -> Any:
    """A non-empty array of values (texts, for a list of texts)."""
    if not isinstance(raw, list) or not raw:
        reader.err(at, "expected a non-empty array [...]")
        return None
    element = Kind.TEXT if kind is Kind.TEXT_LIST else kind
    out = [reader.scalar(element, item, (*at, k)) for k, item in enumerate(raw)]
    return None if any(v is None for v in out) else tuple(out)


def one_or_many(reader: Reader, kind: Kind, raw: Any, at: Path) -> Any:
    """One value or a non-empty array of them, kept as an array."""
    return many(reader, kind, [raw] if isinstance(raw, str) else raw, at)


def pair(reader: Reader, kind: Kind, raw: Any, at: Path) -> Any:
    """``[low, high]``, of one kind, in order."""
    if not isinstance(raw, list) or len(raw) != 2:
        reader.err(at, "expected [low, high]")
        return None
    low, high = (reader.scalar(kind, v, (*at, k), ordered=True) for k, v in enumerate(raw))
    if low is None or high is None:
        return None
    if type(low) is not type(high):
        reader.err(at, "low and high must be of the same kind")
        return None
    if low > high:  # type: ignore[operator]
        reader.err(at, f"low ({raw[0]}) is above high ({raw[1]})")
        return None
    return (low, high)


# -- comparisons ------------------------------------------------------------------------


def comparable(a: Any, b: Any) -> bool:
    """Two values of the same kind (a bool is not a number here)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool)
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return True
    if isinstance(a, date) and isinstance(b, date):
        return True
    return isinstance(a, str) and isinstance(b, str)


def _eq(found: Any, wanted: Any) -> bool | None:
    return bool(found == wanted) if comparable(found, wanted) else None


def _in(found: Any, wanted: Any) -> bool | None:
    if not all(comparable(found, w) for w in wanted):
        return None
    return found in wanted


def _gte(found: Any, wanted: Any) -> bool | None:
    return bool(found >= wanted) if comparable(found, wanted) else None


def _lte(found: Any, wanted: Any) -> bool | None:
    return bool(found <= wanted) if comparable(found, wanted) else None


def _between(found: Any, wanted: Any) -> bool | None:
    low, high = wanted
    return bool(low <= found <= high) if comparable(found, low) else None


def _within(found: Any, wanted: Any) -> bool | None:
    return any(territories.within(found, outer) for outer in wanted)


# -- words ------------------------------------------------------------------------------


def phrase(key: str) -> Word:
    """Words from :mod:`.phrases`: ``key`` formatted with the value as ``{v}``."""

    def word(say: Say, value: Any) -> str:
        return say(key, v=say.value(value))

    return word


def words(en: str, fr: str) -> Word:
    """Words given with the operator (``{v}``: the value), for an operator added outside
    :mod:`.phrases`."""

    def word(say: Say, value: Any) -> str:
        return (fr if say.fr else en).format(v=say.value(value))

    return word


def _between_words(say: Say, value: Any) -> str:
    low, high = value
    return say("op_between", a=say.value(low), b=say.value(high))


_ORDERED = frozenset({Kind.DATE, Kind.NUMBER, Kind.ANSWER})
for _op in (
    Operator(
        "eq",
        frozenset(set(Kind) - {Kind.TEXT_LIST}),
        one,
        _eq,
        phrase("op_eq"),
    ),
    Operator(
        "in",
        frozenset({Kind.TEXT, Kind.CODE, Kind.TERRITORY, Kind.ANSWER}),
        many,
        _in,
        phrase("op_in"),
    ),
    Operator(
        "any_in",
        frozenset({Kind.TEXT_LIST}),
        many,
        lambda found, wanted: bool(set(found) & set(wanted)),
        phrase("op_any_in"),
    ),
    Operator(
        "all_in",
        frozenset({Kind.TEXT_LIST}),
        many,
        lambda found, wanted: set(found) <= set(wanted),
        phrase("op_all_in"),
    ),
    Operator("gte", _ORDERED, ordered, _gte, phrase("op_gte")),
    Operator("lte", _ORDERED, ordered, _lte, phrase("op_lte")),
    Operator("between", _ORDERED, pair, _between, _between_words),
    Operator("within", frozenset({Kind.TERRITORY}), one_or_many, _within, phrase("op_within")),
):
    register(_op)
