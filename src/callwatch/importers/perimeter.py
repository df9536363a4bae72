"""Aides-territoires perimeters ("Puy-de-Dôme (Département)") as territory codes.

The portal names an aid's perimeter; the calls format wants territory codes. A
perimeter is always kept as written (``perimeter``, for the record and for
people), and mapped to ``territory`` only when the mapping is certain: the name
is resolved with :func:`callwatch.domain.territories.resolve`, the matches are
narrowed to the kind the portal states (Pays, Région, Département,
Intercommunalité, Commune) and, for a commune, to its postal code; exactly one
match gives the code. Anything else (an ad hoc area such as "Massif central",
"Europe", two communes of that name) stays unmapped: the call keeps no
territory (not stated) and the import report counts it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from callwatch.domain import territories
from callwatch.domain.text import fold
from callwatch.importers import as_line

# "Name (Kind)" or "Sallanches (Commune – 74700)"
_SHAPE = re.compile(r"^(?P<name>.+?)\s*\((?P<kind>[^()]+)\)\s*$")
_POSTAL = re.compile(r"\b(\d{5})\b")
# The portal's kinds (folded, first word) → the resolver's kinds.
_KINDS = {
    "pays": {"country"},
    "region": {"region", "collectivity"},
    "departement": {"department", "collectivity"},
    "commune": {"commune"},
    "intercommunalite": {"epci"},
    "epci": {"epci"},
    "metropole": {"epci", "collectivity"},
}


def perimeter_fields(value: Any) -> dict[str, Any]:
    """``perimeter`` as written and, when certain, ``territory``."""
    text = as_line(value)
    if not text:
        return {}
    code = territory_code(text)
    return {"perimeter": text, "territory": [code] if code else None}


@lru_cache(maxsize=4096)
def territory_code(perimeter: str) -> str | None:
    """The one territory code *perimeter* names, or None when that is not certain."""
    shape = _SHAPE.match(perimeter)
    name, said = (shape["name"], shape["kind"]) if shape else (perimeter, "")
    try:
        matches = territories.resolve(name.strip())
    except Exception:  # a name the resolver refuses is simply not mapped
        return None
    words = fold(said).replace("–", " ").split()
    kinds = _KINDS.get(words[0]) if words else None
    if kinds is not None:
        matches = [m for m in matches if m.kind in kinds]
    postal = _POSTAL.search(said)
    if postal and len(matches) > 1:
        near = {m.code for m in territories.resolve(postal.group(1))}
        matches = [m for m in matches if m.code in near]
    return matches[0].code if len(matches) == 1 else None
