"""The cache's form of a call: one JSON array per call, shaped by the domain's field types.

Each call is kept on its own (a command builds only the calls it uses) as a
JSON array of its fields in order, each written as its declared type says: a
date as its ISO text, a tuple as an array, a round, funding terms or an origin
as an array of their own fields, a criterion as its position in the file's list
of distinct criteria. Knowing the types, neither side tags anything: encoding is
one pass over the fields and pydantic-core's ``to_json`` (compiled; the calls
are written when they were just validated, so it is loaded), decoding
``json.loads`` (in C) and a pass that turns texts back into dates. Like
:mod:`callwatch.store.datacodec`, it is data only: decoding builds dates,
decimals and the domain's dataclasses (with :func:`callwatch.store.compact.restore`,
skipping ``__init__``: the values were validated when the entry was written),
never anything an entry names.

A field whose declared type is not in :data:`_CONVERTERS` stops the import of
this module: a new kind of field must be taught here, never guessed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import fields
from datetime import date, time
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter
from typing import Any

from callwatch.domain.criteria import Criterion
from callwatch.domain.model import INDEX, Call, Funding, Origin, Round
from callwatch.store.compact import restore
from callwatch.store.datacodec import decode_datetime, encode_datetime

Convert = Callable[[Any], Any] | None  # None: the value is written and read as it is


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _time(value: str | None) -> time | None:
    if value is None:
        return None
    moment = time.fromisoformat(value)
    if moment.tzinfo is not None:
        raise ValueError("an aware time")
    return moment


def _decimal(value: str | None) -> Decimal | None:
    if value is None:
        return None
    if type(value) is not str:
        raise ValueError("not a decimal")
    return Decimal(value)


def _as_tuple(value: list[Any] | None) -> tuple[Any, ...] | None:
    if value is None:
        return None
    if type(value) is not list:
        raise ValueError("not an array")
    return tuple(value)


def _must_be_list(value: Any) -> None:
    if type(value) is not list:
        raise ValueError("not an array")


class _Shape:
    """How one dataclass is written: its fields in order, each with its converters."""

    def __init__(self, cls: type, known: dict[str, tuple[Convert, Convert]]) -> None:
        self.cls = cls
        self.names = tuple(f.name for f in fields(cls))
        self.fields = attrgetter(*self.names)  # every field at once, in C
        pairs = [known[str(f.type)] for f in fields(cls)]
        self.encoders = [(i, enc) for i, (enc, _) in enumerate(pairs) if enc is not None]
        self.decoders = [(i, dec) for i, (_, dec) in enumerate(pairs) if dec is not None]

    def values(self, obj: Any) -> list[Any]:
        """*obj*'s fields, written."""
        values = list(self.fields(obj))
        for i, enc in self.encoders:
            values[i] = enc(values[i])
        return values

    def read(self, values: Any) -> tuple[Any, ...]:
        """The fields read back from :meth:`values`; ``ValueError`` for another shape."""
        _must_be_list(values)
        if len(values) != len(self.names):
            raise ValueError(f"not a {self.cls.__name__}")
        for i, dec in self.decoders:
            values[i] = dec(values[i])
        return tuple(values)

    def build(self, values: Any) -> Any:
        return restore(self.cls, self.read(values))


# (encode, decode) by declared type. ``to_json`` itself writes a date or a time as
# its ISO text, a Decimal as its text and a tuple as an array: no encoder for those.
_SCALARS: dict[str, tuple[Convert, Convert]] = {
    "str": (None, None),
    "str | None": (None, None),
    "int": (None, None),
    "int | None": (None, None),
    "bool": (None, None),
    "bool | None": (None, None),
    "date": (None, _date),
    "date | None": (None, _date),
    "time | None": (None, _time),
    "datetime": (encode_datetime, decode_datetime),  # with its zone's name, not an offset
    "Decimal | None": (None, _decimal),
    "tuple[str, ...]": (None, _as_tuple),
    "tuple[int, ...] | None": (None, _as_tuple),
}

_ROUND = _Shape(Round, _SCALARS)
_FUNDING = _Shape(Funding, _SCALARS)
_ORIGIN = _Shape(Origin, _SCALARS)


@lru_cache(maxsize=4096)
def _shared_funding(values: tuple[Any, ...]) -> Funding:
    """Equal funding terms become one object, as they were when the calls loaded."""
    return restore(Funding, values)


def _rounds(values: Any) -> tuple[Round, ...]:
    _must_be_list(values)
    return tuple(_ROUND.build(v) for v in values)


def _funding(values: Any) -> Funding | None:
    return None if values is None else _shared_funding(_FUNDING.read(values))


def _origin(values: Any) -> Origin | None:
    return None if values is None else _ORIGIN.build(values)


# The criteria are written as positions (:func:`dumps_call`), read as such here.
_CONVERTERS: dict[str, tuple[Convert, Convert]] = {
    **_SCALARS,
    "tuple[Round, ...]": (lambda v: [_ROUND.values(r) for r in v], _rounds),
    "Funding | None": (lambda v: None if v is None else _FUNDING.values(v), _funding),
    "Origin | None": (lambda v: None if v is None else _ORIGIN.values(v), _origin),
    "tuple[Criterion, ...]": (None, _as_tuple),
}
_CALL = _Shape(Call, _CONVERTERS)
_CRITERIA = _CALL.names.index("criteria")


def dumps_call(call: Call, criteria: tuple[int, ...]) -> bytes:
    """*call* as bytes, its criteria written as their positions *criteria* in the file's
    list of distinct criteria."""
    # lazy: pydantic-core only when calls were just validated (loaded already then)
    from pydantic_core import to_json

    values = _CALL.values(call)
    values[_CRITERIA] = criteria
    return to_json(values)


def loads_call(data: bytes | bytearray | memoryview, shared: Sequence[Criterion]) -> Call:
    """The call :func:`dumps_call` wrote, its criteria taken from *shared*, without
    validating again; ``ValueError`` if *data* is not one."""
    try:
        values = _CALL.read(json.loads(bytes(data)))
        values = (
            *values[:_CRITERIA],
            tuple(shared[i] for i in values[_CRITERIA]),
            *values[_CRITERIA + 1 :],
        )
        return restore(Call, values)
    except (TypeError, KeyError, AttributeError, IndexError) as exc:
        raise ValueError(f"not a cached call: {exc}") from None


def dumps_index(entries: Sequence[tuple[Any, ...]]) -> bytes:
    """A file's index entries (:meth:`Call.index`: tuples of strings, numbers, None and
    tuples of those) as one JSON array, written by the standard encoder in one call
    (it writes tuples as arrays, and ``inf`` as ``Infinity``, which it reads back)."""
    return json.dumps(entries, separators=(",", ":"), ensure_ascii=False).encode()


def loads_index(data: bytes | bytearray | memoryview) -> list[tuple[Any, ...]]:
    """The entries :func:`dumps_index` wrote, every array a tuple again; ``ValueError``
    for anything else."""
    entries = json.loads(bytes(data))
    _must_be_list(entries)
    for i, entry in enumerate(entries):  # in place: each array is freed as it is read
        entries[i] = _index_entry(entry)
    return entries  # type: ignore[no-any-return]


def _index_entry(values: Any) -> tuple[Any, ...]:
    _must_be_list(values)
    if len(values) != _INDEX_LENGTH or type(values[INDEX.id]) is not str:
        raise ValueError("not an index entry")
    return tuple([tuple(v) if type(v) is list else v for v in values])


_INDEX_LENGTH = INDEX.origin + 1  # the last position of an entry


def index_origin(entry: tuple[Any, ...]) -> Origin | None:
    """Where the call of an index entry was defined, without building the call."""
    values = entry[INDEX.origin]
    return None if values is None else restore(Origin, values)
