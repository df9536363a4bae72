"""Naming a function by ``"module:function"``, for the registries' built-in entries.

A registry (:mod:`~callwatch.services.portals`, :mod:`~callwatch.services.formats`)
is read by ``--help`` and must stay light, so its built-in entries name their
function instead of importing it; the module is imported when the entry is used.
An entry added by a contributor may give the function itself.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

Target = str | Callable[..., Any]


def load(target: Target) -> Callable[..., Any]:
    """The function *target* names (``"package.module:function"``), or *target* itself."""
    if not isinstance(target, str):
        return target
    module, _, function = target.partition(":")
    loaded: Callable[..., Any] = getattr(importlib.import_module(module), function)
    return loaded
