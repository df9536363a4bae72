"""Naming a function by ``"module:function"``, for the registries' built-in entries.

A registry (:mod:`~callwatch.services.portals`, :mod:`~callwatch.services.formats`)
is read by ``--help`` and must stay light, so its built-in entries name their
function instead of importing it; the module is imported when the entry is used.
An entry added by a contributor may give the function itself.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, TypeVar, cast

F = TypeVar("F", bound=Callable[..., Any])


def load(target: str | F) -> F:
    """The function *target* names (``"package.module:function"``), or *target* itself.

    Typed by the registry's field (``writer: str | Writer`` gives a ``Writer``): a
    function given itself is checked by mypy where it is registered; a name is taken
    at its word, and the registries' tests run every built-in entry.
    """
    if not isinstance(target, str):
        return target
    module, _, function = target.partition(":")
    loaded = getattr(importlib.import_module(module), function)
    if not callable(loaded):
        raise TypeError(f"{target!r} names no function")
    return cast(F, loaded)
