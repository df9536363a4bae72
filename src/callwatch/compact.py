"""Cheap pickling and sharing for the domain's frozen dataclasses.

The validated-data cache (:mod:`callwatch.cache`) pickles thousands of calls.
By default a frozen slots dataclass unpickles through ``dataclasses``' own
``__setstate__``, which rebuilds the list of fields for every object: most of
the time of a warm start went there. :func:`fast_pickle` gives a class a
``__reduce__`` that restores the slots directly, without running ``__init__``
or ``__post_init__`` again (the values were validated when the cache was
written). :class:`Interner` makes equal immutable values one object, so a
criterion or a funder list shared by a thousand calls is stored, and
unpickled, once.
"""

from __future__ import annotations

from collections import deque
from dataclasses import fields
from functools import partial
from itertools import repeat
from typing import Any, TypeVar

T = TypeVar("T")

_FIELDS: dict[type, tuple[str, ...]] = {}
_SET = object.__setattr__
_drain: Any = partial(deque, maxlen=0)


def restore(cls: type[T], values: tuple[Any, ...]) -> T:
    """Build a :func:`fast_pickle` class from its field values, skipping ``__init__``."""
    obj = object.__new__(cls)
    names = _FIELDS[cls]
    # map() over a builtin runs the loop in C: several times faster than a for loop.
    _drain(map(_SET, repeat(obj, len(names)), names, values))
    return obj


def fast_pickle(cls: type[T]) -> type[T]:
    """Class decorator (after ``@dataclass(frozen=True, slots=True)``)."""
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
    _FIELDS[cls] = names

    def __reduce__(self: Any) -> tuple[Any, ...]:
        return (restore, (cls, tuple(getattr(self, name) for name in names)))

    cls.__reduce__ = __reduce__  # type: ignore[method-assign]
    return cls


class Interner:
    """Hand back one shared object for equal hashable values."""

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[Any, Any] = {}

    def __call__(self, value: T) -> T:
        try:
            return self._seen.setdefault(value, value)  # type: ignore[no-any-return]
        except TypeError:  # unhashable: keep as is
            return value
