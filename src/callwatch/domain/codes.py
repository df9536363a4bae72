"""Beneficiary codes, cost categories and ISO 3166 territory codes.

Beneficiary codes are Aides-territoires' ``targeted_audiences`` plus
``legal_person`` (any *personne morale*). ISO 3166 codes are pycountry's, which
knows which département lies in which région. Communes, EPCI, the team's own
territories and the nesting of every kind of code are
:mod:`callwatch.domain.territories`' business: it builds on this module, never the
reverse.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

# code -> (French label as Aides-territoires writes it, English label)
BENEFICIARIES: dict[str, tuple[str, str]] = {
    "legal_person": ("Personnes morales", "Legal persons (any organisation)"),
    "commune": ("Communes", "Municipalities"),
    "epci": ("Intercommunalités / Pays", "Inter-municipal bodies / Pays"),
    "department": ("Départements", "Départements"),
    "region": ("Régions", "Regions"),
    "special": (
        "Collectivités d'outre-mer à statuts particuliers",
        "Overseas authorities with special status",
    ),
    "association": ("Associations", "Associations"),
    "private_person": ("Particuliers", "Private persons"),
    "farmer": ("Agriculteurs", "Farmers"),
    "private_sector": ("Entreprises privées", "Private companies"),
    "public_cies": (
        "Entreprises publiques locales (Sem, Spl, SemOp)",
        "Local public companies (Sem, Spl, SemOp)",
    ),
    "public_org": (
        "Établissements publics (écoles, bibliothèques…) / Services de l'État",
        "Public bodies / State services",
    ),
    "researcher": ("Recherche", "Research"),
}

# Eligible-cost categories that calls files commonly use (free words in the files:
# a category not listed here is shown as written). Shown translated, in the
# catalog under context "cost" (callwatch.i18n).
COST_CATEGORIES: dict[str, str] = {
    name: name
    for name in (
        "animation",
        "travel",
        "advice",
        "communication",
        "promotion",
        "studies",
        "equipment",
        "construction",
        "staff",
        "training",
        "investment",
        "overheads",
        "subcontracting",
    )
}

# Codes that are always legal persons. A farmer may be one (GAEC, EARL) or a
# natural person: that is settled by the partner's legal form, not here.
LEGAL_PERSONS: frozenset[str] = frozenset(
    {
        "commune",
        "epci",
        "department",
        "region",
        "special",
        "association",
        "private_sector",
        "public_cies",
        "public_org",
        "researcher",
    }
)

# Legal forms (upper case) under which a farm is a legal person (personne morale),
# and those under which the farmer farms in person. Other forms are not guessed.
FARM_LEGAL_PERSON_FORMS: frozenset[str] = frozenset(
    {
        "GAEC",
        "EARL",
        "SCEA",
        "SCA",
        "CUMA",
        "GFA",
        "SARL",
        "EURL",
        "SAS",
        "SASU",
        "SA",
        "SNC",
        "SCI",
        "GIE",
        "SICA",
        "SCOP",
        "SCIC",
    }
)
NATURAL_PERSON_FORMS: frozenset[str] = frozenset(
    {
        "EI",
        "EIRL",
        "INDIVIDUEL",
        "EXPLOITANT INDIVIDUEL",
        "ENTREPRISE INDIVIDUELLE",
        "MICRO-ENTREPRISE",
        "AUTO-ENTREPRENEUR",
    }
)

BENEFICIARY_BY_FRENCH_LABEL: dict[str, str] = {
    fr: code for code, (fr, _en) in BENEFICIARIES.items()
}


def is_beneficiary(code: str) -> bool:
    return code in BENEFICIARIES


def beneficiary_admits(call_code: str, who: str, legal_form: str | None = None) -> bool | None:
    """Does a call open to *call_code* admit a beneficiary of type *who*?

    Returns ``None`` (unknown) for a farmer facing a legal-persons-only call
    when the legal form is not known: a GAEC qualifies, a farmer in person not.
    """
    if call_code == who:
        return True
    if call_code != "legal_person":
        return False
    if who in LEGAL_PERSONS:
        return True
    if who == "farmer":
        form = (legal_form or "").strip().upper()
        if form in FARM_LEGAL_PERSON_FORMS:
            return True
        if form in NATURAL_PERSON_FORMS:
            return False
        return None
    return False


def beneficiary_may_match(call_codes: tuple[str, ...] | list[str], who: str) -> bool:
    """Listing filter: could a beneficiary of type *who* apply to a call for *call_codes*?

    A call that names no beneficiary is not restricted and always matches.
    """
    if not call_codes:
        return True
    return any(beneficiary_admits(code, who) is not False for code in call_codes)


def _databases() -> tuple[Any, Any]:
    """pycountry's subdivision and country databases, imported on first use."""
    # lazy: pycountry only when a territory is named (a warm list loads none)
    import pycountry

    return pycountry.subdivisions, pycountry.countries


# Codes ISO 3166 leaves to its users (XA–XZ) that the EU writes for a country it lists:
# Kosovo is XK in the Commission's lists (a Horizon Europe associated country, see
# eu_countries.toml) and in most registries, but has no ISO code, so pycountry lacks it.
USER_ASSIGNED = {"XK": "Kosovo"}


@lru_cache(maxsize=4096)
def territory_name(code: str) -> str | None:
    """The name of an ISO 3166-1 alpha-2 country or ISO 3166-2 subdivision (or of a
    :data:`USER_ASSIGNED` country code), or None."""
    code = code.upper()
    if code in USER_ASSIGNED:
        return USER_ASSIGNED[code]
    subdivisions, countries = _databases()
    if "-" in code:
        sub = subdivisions.get(code=code)
        return None if sub is None else str(sub.name)
    country = countries.get(alpha_2=code)
    return None if country is None else str(country.name)


def is_iso_territory(code: str) -> bool:
    """An ISO 3166 country or subdivision code, written in capitals (FR, FR-63, IT-21)."""
    return code == code.upper() and ":" not in code and territory_name(code) is not None


@lru_cache(maxsize=4096)
def territory_kind(code: str) -> str:
    """``country``, ``region``, ``department`` or ``collectivity`` for an ISO code, by
    ISO's own subdivision type (FR-971 and FR-75C are collectivities)."""
    if "-" not in code:
        return "country"
    subdivisions, _ = _databases()
    sub = subdivisions.get(code=code.upper())
    kind = str(getattr(sub, "type", "")).casefold()
    if "department" in kind and "collectivity" not in kind:
        return "department"
    if any(word in kind for word in ("collectivity", "territory", "dependency")):
        return "collectivity"
    return "region"


def iso_ancestry(code: str) -> tuple[str, ...]:
    """An ISO code followed by every ISO territory it lies in, by pycountry's
    parents: FR-63 → (FR-63, FR-ARA, FR)."""
    subdivisions, _ = _databases()
    chain = [code]
    current = code
    while "-" in current:
        sub = subdivisions.get(code=current)
        parent = getattr(sub, "parent_code", None) if sub is not None else None
        current = parent if parent else current.split("-", 1)[0]
        if current in chain:  # defensive: the database should have no cycles
            break
        chain.append(current)
    return tuple(chain)
