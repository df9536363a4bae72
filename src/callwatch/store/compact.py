"""Cheap rebuilding and sharing of the domain's frozen dataclasses.

The validated-data cache (:mod:`callwatch.store.cache`) keeps calls as plain tuples
(:mod:`callwatch.store.codec`). :func:`restore` turns such values back into
a frozen dataclass without running ``__init__`` or ``__post_init__`` again (the
values were validated when the cache was written), far faster than the frozen
``__init__``. :class:`Interner` makes equal immutable values one object, so a
criterion or a funder list shared by a thousand calls is stored, and rebuilt,
once.
"""

from __future__ import annotations

from collections import deque
from dataclasses import fields
from functools import partial
from itertools import repeat
from typing import Any, TypeVar

T = TypeVar("T")

_SET = object.__setattr__
_drain: Any = partial(deque, maxlen=0)


_NAMES: dict[type, tuple[str, ...]] = {}


def _names(cls: type) -> tuple[str, ...]:
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def restore(cls: type[T], values: tuple[Any, ...]) -> T:
    """Build dataclass *cls* from its field values in order, skipping ``__init__``."""
    obj = object.__new__(cls)
    names = _names(cls)
    # map() over a builtin runs the loop in C: several times faster than a for loop.
    _drain(map(_SET, repeat(obj, len(names)), names, values))
    return obj


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
