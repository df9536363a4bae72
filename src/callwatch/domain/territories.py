"""Territories as French people name them, resolved to one canonical code each.

Canonical codes: ISO 3166 (``FR``, ``FR-ARA``, ``FR-63``, ``FR-75C``, ``DE``, ``IT-21``),
``commune:63003`` (INSEE code), ``epci:200070761`` (SIREN) and the ids of the
team's own territories (``gal-livradois-forez``). What people write is wider:
département numbers, old ISO codes, names with or without accents, postal codes.
:func:`resolve` lists every reading of a query (several: ambiguous, never a
guess); :func:`canonical` wants exactly one.

The communes and EPCI come from a table built from INSEE's Code officiel
géographique (``scripts/build_territories.py``), read on first use only: a
command that meets only ISO codes never loads it. ISO nesting stays with
pycountry (:mod:`callwatch.domain.codes`).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from callwatch.domain import codes

KINDS = ("country", "region", "department", "collectivity", "epci", "commune", "territory")
TABLE = Path(__file__).with_name("data") / "territories.tsv"
COMMUNE, EPCI = "commune:", "epci:"

# Codes people still write, and the code that replaced them (with the note's key).
ALIASES: dict[str, tuple[str, str]] = {
    "FR-75": ("FR-75C", "paris"),  # Paris: a collectivity with special status since 2019
    "FR-COR": ("FR-20R", "corsica"),  # Corse: ISO's code until 2019
}

_ISO = re.compile(r"^[A-Za-z]{2}(?:-[A-Za-z0-9]{1,3})?$")
_DEPARTMENT_NUMBER = re.compile(r"^(?:\d{2,3}|2[ABab])$")
_INSEE = re.compile(r"^(?:\d{5}|2[ABab]\d{3})$")
_FR_INSEE = re.compile(r"^[Ff][Rr]-(\d{5}|2[ABab]\d{3})$")
_PREFIXED = re.compile(r"^(commune|epci)\s*:\s*(\S+)$", re.IGNORECASE)
_NOT_ALNUM = re.compile(r"[^0-9a-z\n]+")
_COMBINING = re.compile("[\u0300-\u036f]+")  # accents, once decomposed
_EDGES = re.compile(r" *\n *")
_LIGATURES = {"œ": "oe", "æ": "ae"}
# Abbreviations in names: "St-Flour" is "Saint-Flour".
_WORDS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_ABBREVIATION = re.compile(r"\b(?:st|ste|sts|stes)\b")
_EPCI_PREFIXES = {
    "cc": "communaute de communes",
    "ca": "communaute d agglomeration",
    "cu": "communaute urbaine",
}


class TerritoryError(ValueError):
    """A query that names no territory, or several: one line, with the candidates."""


@dataclass(frozen=True, slots=True)
class Match:
    """One reading of a query: a canonical code and what it lies within (largest last).

    *note*: the key of a remark on how the query was read (``paris``: FR-75 is
    written FR-75C), worded by the caller in the user's language.
    """

    code: str
    name: str
    kind: str
    within: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Team:
    """One of the team's own territories (a Pays, a PNR, a GAL): canonical member codes."""

    id: str
    name: str
    members: tuple[str, ...]


def fold_name(text: str) -> str:
    """Names compared without case, accents, hyphens or apostrophes: "Puy-de-Dôme",
    "puy de dome" and "PUY DE DÔME" are one key; "St-Flour" is "Saint-Flour"."""
    return fold_names([text])[0]


def fold_names(texts: Sequence[str]) -> list[str]:
    """:func:`fold_name` of many names at once: one Unicode decomposition of them all
    (the table's 37,000 names in a few milliseconds, not one call each)."""
    joined = "\n".join(t.replace("\n", " ") for t in texts).casefold()
    for ligature, letters in _LIGATURES.items():
        joined = joined.replace(ligature, letters)
    ascii_text = _COMBINING.sub("", unicodedata.normalize("NFKD", joined))
    spaced = _NOT_ALNUM.sub(" ", ascii_text)
    spaced = _ABBREVIATION.sub(lambda m: _WORDS[m.group(0)], _EDGES.sub("\n", spaced))
    return spaced.strip(" ").split("\n")


# ---------------------------------------------------------------- the table


@dataclass
class _Table:
    """The shipped table, parsed on first use; its indexes are built when a query needs them."""

    header: dict[str, str]
    subdivisions: dict[str, list[str]]  # ISO code → [number, kind, name, other name]
    epcis: dict[str, list[str]]  # SIREN → [name, within]
    communes: dict[str, str]  # INSEE → its line, split when used
    _names: dict[str, list[str]] | None = field(default=None, repr=False)
    _postal: dict[str, list[str]] | None = field(default=None, repr=False)

    def commune(self, insee: str) -> list[str] | None:
        """[name, iso, epci, postal codes, parent commune] or None."""
        line = self.communes.get(insee)
        return None if line is None else line.split("\t")[2:]

    def numbers(self) -> dict[str, str]:
        return {row[0]: iso for iso, row in self.subdivisions.items() if row[0]}

    @property
    def names(self) -> dict[str, list[str]]:
        """Folded name → canonical codes (régions and départements first)."""
        if self._names is None:
            names: dict[str, list[str]] = {}

            def add(key: str, code: str) -> None:
                found = names.setdefault(key, [])
                if code not in found:
                    found.append(code)

            for iso, (_n, _k, name, other) in self.subdivisions.items():
                add(fold_name(name), iso)
                if other:
                    add(fold_name(other), iso)
            for siren, (name, _w) in self.epcis.items():
                for key in _epci_keys(fold_name(name)):
                    add(key, EPCI + siren)
            insees = list(self.communes)
            folded = fold_names([self.communes[i].split("\t", 3)[2] for i in insees])
            for insee, key in zip(insees, folded, strict=True):
                add(key, COMMUNE + insee)
                if key.endswith(" arrondissement"):  # "Paris 15e"
                    add(key.removesuffix(" arrondissement"), COMMUNE + insee)
            self._names = names
        return self._names

    @property
    def postal(self) -> dict[str, list[str]]:
        if self._postal is None:
            postal: dict[str, list[str]] = {}
            for insee, line in self.communes.items():
                for number in line.split("\t")[5].split():
                    postal.setdefault(number, []).append(insee)
            self._postal = postal
        return self._postal


def _epci_keys(key: str) -> list[str]:
    """An EPCI is found by its full name, without its type ("Ambert Livradois Forez")
    and with it spelt out ("communaute de communes ambert livradois forez")."""
    keys = [key]
    first, _, rest = key.partition(" ")
    if first in _EPCI_PREFIXES and rest:
        keys += [rest, f"{_EPCI_PREFIXES[first]} {rest}"]
    return keys


@lru_cache(maxsize=1)
def table() -> _Table:
    """The table shipped with callwatch, loaded once (about 1 MB of text)."""
    return parse_table(TABLE.read_text(encoding="utf-8"))


def parse_table(text: str) -> _Table:
    header: dict[str, str] = {}
    subdivisions: dict[str, list[str]] = {}
    epcis: dict[str, list[str]] = {}
    communes: dict[str, str] = {}
    for line in text.splitlines():
        tag = line[:1]
        if tag == "C":
            communes[line[2:7]] = line
        elif tag == "E":
            _, siren, *rest = line.split("\t")
            epcis[siren] = rest
        elif tag == "P":
            _, iso, *rest = line.split("\t")
            subdivisions[iso] = rest
        elif tag == "#":
            key, _, value = line[1:].partition("\t")
            header[key] = value
    return _Table(header, subdivisions, epcis, communes)


def source() -> str:
    """Where the table comes from: ``@etalab/decoupage-administratif 6.0.0``."""
    return table().header.get("source", "?")


# ---------------------------------------------------------------- team territories

_TEAMS: dict[str, Team] = {}
_CLOSURES: dict[str, frozenset[str]] = {}


def set_teams(teams: Iterable[Team]) -> None:
    """Make the team's own territories known (validated by the loader: members exist,
    no cycles). Replaces any known before."""
    _TEAMS.clear()
    _CLOSURES.clear()
    _TEAMS.update({team.id: team for team in teams})
    codes.team_hook = _with_teams if _TEAMS else None


def teams() -> Mapping[str, Team]:
    return _TEAMS


def closure(team_id: str, _seen: frozenset[str] = frozenset()) -> frozenset[str]:
    """Every code a team territory holds as a member, through its member territories."""
    found = _CLOSURES.get(team_id)
    if found is not None:
        return found
    members: set[str] = set()
    for member in _TEAMS[team_id].members:
        members.add(member)
        if member in _TEAMS and member not in _seen:
            members |= closure(member, _seen | {team_id})
    found = _CLOSURES[team_id] = frozenset(members)
    return found


def _with_teams(code: str, base: tuple[str, ...]) -> tuple[str, ...]:
    """*base* with the team territories holding *code* (or any territory *code* lies in)
    inserted after the communes and EPCI: the country stays last."""
    holders = [t for t in _TEAMS if t != code and any(c in closure(t) for c in base)]
    if not holders:
        return base
    at = 1
    while at < len(base) and base[at].startswith((COMMUNE, EPCI)):
        at += 1
    return (*base[:at], *(t for t in holders if t not in base), *base[at:])


def team_problems(defined: Sequence[Team]) -> list[tuple[int, str]]:
    """What is wrong with a set of team territories, by position in *defined*:
    duplicate ids, members that name nothing, cycles."""
    problems: list[tuple[int, str]] = []
    ids: dict[str, int] = {}
    for i, team in enumerate(defined):
        if team.id in ids:
            problems.append((i, f"duplicate territory id {team.id!r}"))
        else:
            ids.setdefault(team.id, i)
    for i, team in enumerate(defined):
        for member in team.members:
            if member not in ids and not _exists(member):
                hint = _did_you_mean(member, [*ids, *_TEAMS])
                problems.append((i, f"unknown member {member!r}{hint}"))
    graph = {
        t.id: [m for m in t.members if m in ids] for i, t in enumerate(defined) if ids[t.id] == i
    }
    for i, team in enumerate(defined):
        if ids.get(team.id) == i and _cycle(team.id, graph):
            problems.append((i, f"territory {team.id!r} contains itself through its members"))
    return problems


def _cycle(start: str, graph: Mapping[str, list[str]]) -> bool:
    pending, seen = list(graph.get(start, ())), set()
    while pending:
        node = pending.pop()
        if node == start:
            return True
        if node not in seen:
            seen.add(node)
            pending.extend(graph.get(node, ()))
    return False


def _exists(code: str) -> bool:
    """A canonical code of the table or of ISO 3166 (members are written canonically)."""
    if code.startswith(COMMUNE):
        return code[len(COMMUNE) :] in table().communes
    if code.startswith(EPCI):
        return code[len(EPCI) :] in table().epcis
    return codes.is_iso_territory(code)


# ---------------------------------------------------------------- nesting


def is_known(code: str) -> bool:
    """A canonical code that is not ISO: a commune, an EPCI or a known team territory."""
    return code in _TEAMS or ((code.startswith((COMMUNE, EPCI))) and _exists(code))


def base_ancestry(code: str) -> tuple[str, ...]:
    """*code* and what it lies within, team territories aside."""
    if code.startswith(COMMUNE):
        row = table().commune(code[len(COMMUNE) :])
        if row is None:
            return (code,)
        _name, iso, epci, _postal, parent = row
        if parent:
            return (code, *codes.territory_ancestry(COMMUNE + parent))
        inner = (EPCI + epci,) if epci else ()
        return (code, *inner, *codes.territory_ancestry(iso))
    if code.startswith(EPCI):
        found = table().epcis.get(code[len(EPCI) :])
        return (code,) if found is None else (code, *codes.territory_ancestry(found[1]))
    team = _TEAMS.get(code)
    if team is None or not team.members:
        return (code,)
    # What every member lies within (the members' own team territories aside).
    chains = [_plain(codes.territory_ancestry(m)) for m in team.members if m != code]
    common = [c for c in chains[0] if all(c in chain for chain in chains[1:])] if chains else []
    return (code, *common)


def _plain(chain: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(c for c in chain if c not in _TEAMS)


def ancestors(code: str) -> tuple[str, ...]:
    """Everything *code* lies within, smallest first: commune:63003 → (epci:200070761,
    FR-63, FR-ARA, FR)."""
    return codes.territory_ancestry(code)[1:]


def within(code: str, other: str) -> bool:
    """True when *code* lies within *other* (or is it)."""
    return codes.territory_within(code, other)


# ---------------------------------------------------------------- reading queries


def name(code: str) -> str:
    """The name of a canonical code, or the code itself when it names nothing known."""
    if code.startswith(COMMUNE):
        row = table().commune(code[len(COMMUNE) :])
        return code if row is None else row[0]
    if code.startswith(EPCI):
        found = table().epcis.get(code[len(EPCI) :])
        return code if found is None else found[0]
    if code in _TEAMS:
        return _TEAMS[code].name
    return codes.territory_name(code) or code


def kind(code: str) -> str:
    if code.startswith(COMMUNE):
        return "commune"
    if code.startswith(EPCI):
        return "epci"
    if code in _TEAMS:
        return "territory"
    return codes.territory_kind(code)


def match(code: str, note: str | None = None) -> Match:
    return Match(code, name(code), kind(code), ancestors(code), note)


def resolve(query: str) -> list[Match]:
    """Every territory *query* may name, each once; empty when it names none."""
    found: list[tuple[str, str | None]] = []
    for code, note in _readings(query.strip()):
        if all(code != seen for seen, _ in found):
            found.append((code, note))
    return [match(code, note) for code, note in found]


def _readings(q: str) -> Iterable[tuple[str, str | None]]:
    """(code, note) for each reading of *q*, most literal first; may repeat codes."""
    if not q:
        return
    prefixed = _PREFIXED.match(q)
    if prefixed:
        kind_, number = prefixed.group(1).lower(), prefixed.group(2).upper()
        code = f"{kind_}:{number}"
        if _exists(code):
            yield code, None
        return
    if _ISO.match(q):
        upper = q.upper()
        if upper in ALIASES:
            yield ALIASES[upper]
            return
        if codes.territory_name(upper) is not None:
            yield upper, None
        if "-" in q or q == upper:
            return  # FR-63 or DE: a code, never a name
    fr_insee = _FR_INSEE.match(q)
    if fr_insee:
        code = COMMUNE + fr_insee.group(1).upper()
        if _exists(code):
            yield code, "commune_code"
        return
    if _DEPARTMENT_NUMBER.match(q):
        yield from _department(q.upper())
        return
    if _INSEE.match(q):
        yield from _commune_or_postal(q.upper())
        return
    if q in _TEAMS:
        yield q, None
    yield from _by_name(fold_name(q))


def _department(number: str) -> Iterable[tuple[str, str | None]]:
    """63 → FR-63; 75 → FR-75C; 971 → FR-971; 975 → FR-PM (from the table)."""
    iso = "FR-75C" if number == "75" else f"FR-{number}"
    if codes.territory_name(iso) is not None:
        yield iso, None
        return
    found = table().numbers().get(number)
    if found is not None:
        yield found, None


def _commune_or_postal(number: str) -> Iterable[tuple[str, str | None]]:
    """A five-digit number is an INSEE code or a postal code, perhaps both. A postal
    code of an arrondissement municipal (75015) names it, not its whole commune."""
    data = table()
    if number in data.communes:
        yield COMMUNE + number, None
    postal = data.postal.get(number, [])
    parents = {data.commune(insee)[4] for insee in postal}  # type: ignore[index]
    for insee in postal:
        if insee not in parents:
            yield COMMUNE + insee, None


def _by_name(key: str) -> Iterable[tuple[str, str | None]]:
    if not key:
        return
    for team in _TEAMS.values():
        if fold_name(team.name) == key or fold_name(team.id) == key:
            yield team.id, None
    for code in _countries_by_name().get(key, ()):
        yield code, None
    for code in table().names.get(key, ()):
        yield code, None


@lru_cache(maxsize=1)
def _countries_by_name() -> dict[str, list[str]]:
    """Country names (English, as ISO writes them) → alpha-2 codes: "Germany" is DE."""
    import pycountry

    found: dict[str, list[str]] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                found.setdefault(fold_name(value), []).append(country.alpha_2)
    return {key: sorted(set(values)) for key, values in found.items()}


def suggestions(query: str, n: int = 3) -> list[Match]:
    """Territories whose name is close to *query*, for a "did you mean"."""
    key = fold_name(query)
    if not key:
        return []
    names = table().names
    close = difflib.get_close_matches(key, names.keys(), n=n, cutoff=0.8)
    out: list[Match] = []
    for found in close:
        out.extend(match(code) for code in names[found][:n])
    return out[:n]


def describe(m: Match) -> str:
    """``commune:63003 Ambert (FR-63)``: a candidate in an error message."""
    place = next((c for c in m.within if not c.startswith((COMMUNE, EPCI)) and c != "FR"), None)
    return f"{m.code} {m.name}" + (f" ({place})" if place and m.kind in ("commune", "epci") else "")


def _did_you_mean(query: str, extra: Sequence[str] = ()) -> str:
    """`` (did you mean …?)`` listing close team ids and names, or ``""``."""
    hints = difflib.get_close_matches(query, list(extra), n=1)
    if not hints and not _ISO.match(query):
        hints = [describe(m) for m in suggestions(query)]
    return f" (did you mean {', '.join(hints)}?)" if hints else ""


EXPECTED = (
    "expected an ISO 3166 code (FR, FR-ARA, FR-63), commune:INSEE, epci:SIREN, "
    "a département number, a postal code or a name"
)
MAX_CANDIDATES = 8


def canonical(query: str) -> str:
    """The one canonical code *query* names; a :class:`TerritoryError` when it names
    none (with the closest names) or several (with every candidate's code)."""
    found = resolve(query)
    if len(found) == 1:
        return found[0].code
    raise TerritoryError(error_text(query, found))


def error_text(query: str, found: Sequence[Match]) -> str:
    """Why *query* is not one territory, on one line."""
    if not found:
        return (
            f"unknown territory {query!r}{_did_you_mean(query.strip(), list(_TEAMS))}: {EXPECTED}"
        )
    shown = "; ".join(describe(m) for m in found[:MAX_CANDIDATES])
    more = len(found) - MAX_CANDIDATES
    tail = f"; and {more} more" if more > 0 else ""
    return f"ambiguous territory {query!r}: {len(found)} candidates: {shown}{tail}"
