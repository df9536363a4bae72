"""A data-only encoding for the cache: reading an entry can build values, never run code.

Pickle rebuilds whatever an entry names, so a planted entry runs code. This
encoding is JSON in which every object is one tagged value (``{"t": [...]}`` a
tuple, ``{"o": ["Call", [...]]}`` a dataclass...). Decoding builds only
built-in values and instances of the classes the *caller* allows (by name, from
the list it passes): a dataclass is rebuilt field by field without running
``__init__`` (:func:`callwatch.store.compact.restore`), an enum by its value, a
named tuple as a tuple. An unknown tag, class or shape is a :class:`ValueError`.

Why JSON, measured: the standard decoder is written in C, bounds its nesting
(a deep entry raises ``RecursionError``, never crashes the interpreter, where
``marshal`` segfaults on crafted bytes) and refuses integers over 4,300 digits; a
warm ``list --due`` on 10,000 calls stays far under its 0.35 s goal.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from enum import Enum
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

from callwatch.domain.clock import zone as named_zone
from callwatch.store.compact import restore

# Values JSON writes as they are (bool is not int: `type(True) is int` is false).
_PLAIN = frozenset({str, int, float, bool, type(None)})
# One encoder for every entry: ``json.dumps`` with options builds a new one per call.
_JSON = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


class Codec:
    """Encode and decode values made of built-ins and the classes in *allowed*."""

    def __init__(self, allowed: Iterable[type] = ()) -> None:
        self._by_name: dict[str, type] = {}
        for cls in allowed:
            self._by_name[cls.__qualname__] = cls
        self._decoders: dict[str, Callable[[Any], Any]] = {
            "t": tuple,
            "l": _as_list,
            "s": set,
            "f": frozenset,
            "m": dict,
            "D": Decimal,
            "da": date.fromisoformat,
            "ti": time.fromisoformat,
            "dt": decode_datetime,
            "b": base64.b64decode,
            "o": self._object,
            "e": self._enum,
            "n": self._named,
        }

    # -- encoding --------------------------------------------------------------

    def dumps(self, value: Any) -> bytes:
        """*value* as bytes; ``TypeError`` for a value of a class not allowed."""
        return _JSON.encode(self._encode(value)).encode()

    def _encode(self, v: Any) -> Any:
        kind = type(v)
        if kind in _PLAIN:
            return v
        if kind is tuple:
            return {"t": self._items(v)}
        if kind is list:
            return {"l": self._items(v)}
        if kind is set or kind is frozenset:
            return {"s" if kind is set else "f": self._items(v)}
        if kind is dict:
            return {"m": [[self._encode(k), self._encode(x)] for k, x in v.items()]}
        if kind is Decimal:
            return {"D": str(v)}
        if kind is date:
            return {"da": v.isoformat()}
        if kind is time:
            if v.tzinfo is not None:
                raise TypeError("an aware time")
            return {"ti": v.isoformat()}
        if kind is datetime:
            return {"dt": encode_datetime(v)}
        if kind is bytes:
            return {"b": base64.b64encode(v).decode()}
        return self._encode_object(v, kind)

    def _items(self, values: Iterable[Any]) -> list[Any]:
        """Encoded *values*: most are strings, numbers or None, kept without a call."""
        encode = self._encode
        return [x if type(x) in _PLAIN else encode(x) for x in values]

    def _encode_object(self, v: Any, kind: type) -> Any:
        name = kind.__qualname__
        if self._by_name.get(name) is not kind:
            raise TypeError(f"{name} is not allowed in the cache")
        if isinstance(v, Enum):
            return {"e": [name, self._encode(v.value)]}
        if isinstance(v, tuple):  # a named tuple
            return {"n": [name, self._items(v)]}
        if dataclasses.is_dataclass(v):
            return {"o": [name, self._items(getattr(v, f.name) for f in dataclasses.fields(v))]}
        raise TypeError(f"cannot encode {name}")

    # -- decoding --------------------------------------------------------------

    def loads(self, data: bytes | bytearray | memoryview) -> Any:
        """The value in *data*; ``ValueError`` (or ``RecursionError``) if it is not one."""
        try:
            return json.loads(bytes(data), object_pairs_hook=self._hook)
        except (TypeError, KeyError, AttributeError, IndexError) as exc:
            raise ValueError(f"not a cache value: {exc}") from None

    def _hook(self, pairs: list[tuple[str, Any]]) -> Any:
        if len(pairs) != 1:
            raise ValueError("not a tagged value")
        tag, value = pairs[0]
        if tag == "t":  # most values are tuples: no lookup for them
            return tuple(value)
        return self._decoders[tag](value)

    def _class(self, name: Any) -> type:
        cls = self._by_name.get(name) if isinstance(name, str) else None
        if cls is None:
            raise ValueError(f"class {name!r} is not allowed")
        return cls

    def _object(self, value: list[Any]) -> Any:
        name, values = value
        cls = self._class(name)
        if not dataclasses.is_dataclass(cls) or len(values) != len(dataclasses.fields(cls)):
            raise ValueError(f"not a {name}")
        return restore(cls, tuple(values))

    def _enum(self, value: list[Any]) -> Any:
        name, raw = value
        cls = self._class(name)
        if not issubclass(cls, Enum):
            raise ValueError(f"not an enum: {name}")
        return cls(raw)

    def _named(self, value: list[Any]) -> Any:
        name, values = value
        cls: Any = self._class(name)
        if not _is_named(cls) or len(cls._fields) != len(values):
            raise ValueError(f"not a {name}")
        return tuple.__new__(cls, values)


def _as_list(value: Any) -> list[Any]:
    if type(value) is not list:
        raise ValueError("not a list")
    return value


def encode_datetime(v: datetime) -> list[Any]:
    """A datetime as ``[naive ISO, zone, fold]``: zone a tz database key, an offset in
    seconds, or None (naive); the zone object comes back as it was."""
    tz = v.tzinfo
    naive = v.replace(tzinfo=None).isoformat()
    if tz is None:
        return [naive, None, v.fold]
    if isinstance(tz, ZoneInfo):
        return [naive, tz.key, v.fold]
    if isinstance(tz, timezone):
        offset = tz.utcoffset(None)
        return [naive, offset.total_seconds(), v.fold]
    raise TypeError(f"cannot encode the time zone {tz!r}")


def decode_datetime(value: list[Any]) -> datetime:
    naive, zone, fold = value
    moment = datetime.fromisoformat(naive).replace(fold=1 if fold else 0)
    if moment.tzinfo is not None:
        raise ValueError("not a naive datetime")
    if zone is None:
        return moment
    if isinstance(zone, str):
        return moment.replace(tzinfo=named_zone(zone))
    return moment.replace(tzinfo=timezone(timedelta(seconds=zone)))


def classes_in(*modules: ModuleType) -> list[type]:
    """The dataclasses, enums and named tuples defined in *modules*: what a caller
    allows when its values hold, say, any compiled rule."""
    found: list[type] = []
    for module in modules:
        for value in vars(module).values():
            if not isinstance(value, type) or value.__module__ != module.__name__:
                continue
            if dataclasses.is_dataclass(value) or issubclass(value, Enum) or _is_named(value):
                found.append(value)
    return found


def _is_named(cls: type) -> bool:
    return issubclass(cls, tuple) and hasattr(cls, "_fields")
