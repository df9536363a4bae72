"""The cache's form of a call: plain tuples, rebuilt without validating again.

Unpickling tuples costs next to nothing; objects are rebuilt (with
:func:`callwatch.store.compact.restore`, skipping ``__init__``) only for the
calls a command uses. The domain's :class:`~callwatch.domain.model.Call` knows
nothing of this form.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Final

from callwatch.domain.model import (
    CALL_FIELDS,
    FUNDING_FIELDS,
    INDEX,
    ORIGIN_FIELDS,
    ROUND_FIELDS,
    Call,
    Funding,
    Origin,
    Round,
)
from callwatch.store.compact import restore


class ROW:
    """Positions in a call row (:func:`to_row`): the call's fields in order."""

    rounds: Final = CALL_FIELDS.index("rounds")
    origin: Final = CALL_FIELDS.index("origin")
    funding: Final = CALL_FIELDS.index("funding")
    criteria: Final = CALL_FIELDS.index("criteria")


def _values(obj: Any, names: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(getattr(obj, name) for name in names)


def to_row(call: Call) -> tuple[Any, ...]:
    """*call* as plain tuples (see :class:`ROW`)."""
    values = [getattr(call, name) for name in CALL_FIELDS]
    values[ROW.rounds] = tuple(_values(r, ROUND_FIELDS) for r in call.rounds)
    values[ROW.origin] = None if call.origin is None else _values(call.origin, ORIGIN_FIELDS)
    values[ROW.funding] = None if call.funding is None else _values(call.funding, FUNDING_FIELDS)
    return tuple(values)


def from_row(row: tuple[Any, ...]) -> Call:
    """Rebuild a call from :func:`to_row`, without validating again."""
    values = list(row)
    values[ROW.rounds] = tuple(restore(Round, r) for r in values[ROW.rounds])
    if values[ROW.origin] is not None:
        values[ROW.origin] = restore(Origin, values[ROW.origin])
    if values[ROW.funding] is not None:
        values[ROW.funding] = _shared_funding(values[ROW.funding])
    return restore(Call, tuple(values))


def index_origin(entry: tuple[Any, ...]) -> Origin | None:
    """Where the call of an index entry was defined, without building the call."""
    values = entry[INDEX.origin]
    return None if values is None else restore(Origin, values)


@lru_cache(maxsize=4096)
def _shared_funding(values: tuple[Any, ...]) -> Funding:
    """Equal funding terms become one object, as they were when the calls loaded."""
    return restore(Funding, values)
