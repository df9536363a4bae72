"""Aides-territoires perimeters ("Puy-de-Dôme (Département)") as territory codes.

The portal names an aid's perimeter; the calls format wants ISO 3166 codes.
A perimeter is always kept as written (``perimeter``, for the record and for
people), and mapped to ``territory`` only when the mapping is certain:

- with :func:`callwatch.domain.territories.resolve` when that module exists
  (communes, EPCI, départements, régions by name), a single match only;
- otherwise the country, régions and départements by their exact ISO names
  (pycountry); a commune, an EPCI or an ad hoc area stays unmapped.

An unmapped perimeter is never guessed: the call keeps no territory (not
stated) and the import report counts it.
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache
from typing import Any

from callwatch.domain.text import fold
from callwatch.importers import as_line

# "Name (Kind)" or "Name (Commune – 74700)"
_SHAPE = re.compile(r"^(?P<name>.+?)\s*\((?P<kind>[^()]+)\)\s*$")
_COUNTRY = {"france": "FR"}
# Régions and départements by name; collectivities with special status (Corse,
# Paris, Alsace, the overseas ones) are named either way, so any French
# subdivision of that exact name counts, provided it is the only one.
_ISO_KINDS = frozenset({"region", "departement"})


def perimeter_fields(value: Any) -> dict[str, Any]:
    """``perimeter`` as written and, when certain, ``territory``."""
    text = as_line(value)
    if not text:
        return {}
    code = territory_code(text)
    return {"perimeter": text, "territory": [code] if code else None}


@lru_cache(maxsize=4096)
def territory_code(perimeter: str) -> str | None:
    """The one territory code *perimeter* names, or None when not certain."""
    resolved = _with_resolver(perimeter)
    if resolved is not False:
        return resolved if isinstance(resolved, str) else None
    shape = _SHAPE.match(perimeter)
    if shape is None:
        return None
    name, kind = fold(shape["name"]).strip(), fold(shape["kind"]).split()[0]
    if kind == "pays":
        return _COUNTRY.get(name)
    if kind not in _ISO_KINDS:
        return None
    matches = _french_subdivisions().get(name, [])
    return matches[0] if len(matches) == 1 else None


def _with_resolver(perimeter: str) -> str | bool | None:
    """The territories module's answer (None: not certain), or False when it is absent."""
    try:
        module = importlib.import_module("callwatch.domain.territories")
    except ImportError:
        return False
    resolve = getattr(module, "resolve", None)
    if resolve is None:
        return False
    try:
        matches = resolve(perimeter)
    except Exception:  # a query the resolver refuses is simply not mapped
        return None
    if len(matches) == 1 and isinstance(getattr(matches[0], "code", None), str):
        return str(matches[0].code)
    return None


@lru_cache(maxsize=1)
def _french_subdivisions() -> dict[str, list[str]]:
    """French ISO 3166-2 subdivision codes by folded name."""
    import pycountry

    out: dict[str, list[str]] = {}
    for sub in pycountry.subdivisions.get(country_code="FR") or ():  # type: ignore[no-untyped-call]
        out.setdefault(fold(str(sub.name)).strip(), []).append(str(sub.code))
    return out
