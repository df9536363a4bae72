"""Territories as French people name them, resolved to one canonical code each.

Canonical codes: ISO 3166 (``FR``, ``FR-ARA``, ``FR-63``, ``FR-75C``, ``DE``, ``IT-21``),
``commune:63003`` (INSEE code), ``epci:200070761`` (SIREN) and the ids of the
team's own territories (``gal-livradois-forez``). What people write is wider:
département numbers, old ISO codes, names with or without accents, postal codes.
:func:`resolve` lists every reading of a query (several: ambiguous, never a
guess); :func:`canonical` wants exactly one.

The communes and EPCI come from a table built from INSEE's Code officiel
géographique (``scripts/build_territories.py``), read on first use only: a
command that meets only ISO codes never loads it. ISO names and nesting are
pycountry's (:mod:`callwatch.domain.codes`, which this module builds on); the
nesting of every kind of code, with the team's own territories, is here.
"""

from __future__ import annotations

import difflib
import re
import shlex
import unicodedata
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from callwatch.domain import codes

SEARCHES = 64  # communes looked up by a search of the file before it is indexed
KINDS = ("country", "region", "department", "collectivity", "epci", "commune", "territory")
TABLE = Path(__file__).with_name("data") / "territories.tsv"
COMMUNE, EPCI = "commune:", "epci:"

# Codes people still write, and the code that replaced them (with the note's key).
ALIASES: dict[str, tuple[str, str]] = {
    "FR-75": ("FR-75C", "paris"),  # Paris: ISO writes the collectivity FR-75C
    "FR-COR": ("FR-20R", "corsica"),  # Corse: ISO's former code
}

# Codes that no longer name one territory, and what to write instead: Corsica's
# département 20 was split into 2A and 2B in 1976 (a hint, never a reading).
SPLIT = {"20": ("FR-2A", "FR-2B"), "FR-20": ("FR-2A", "FR-2B")}

# French overseas territories are also countries in ISO 3166-1 (RE, MQ…): by name, a
# French user means the French subdivision, which lies within FR ("Réunion" is FR-974).
OVERSEAS = {
    "GP": "FR-971",
    "MQ": "FR-972",
    "GF": "FR-973",
    "RE": "FR-974",
    "YT": "FR-976",
    "BL": "FR-BL",
    "MF": "FR-MF",
    "NC": "FR-NC",
    "PF": "FR-PF",
    "PM": "FR-PM",
    "TF": "FR-TF",
    "WF": "FR-WF",
}
# Communes that are one territory with a collectivity, read as it by name: the commune
# of Paris is the Ville de Paris, FR-75C (commune:75056 stays accepted as written).
SAME_AS = {COMMUNE + "75056": ("FR-75C", "paris_commune")}

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
    """The shipped table, parsed on first use; its indexes are built when a query needs them.

    The communes stay in the file's bytes until many are looked up: the first few
    are found by a search of them (a fraction of a millisecond each), so that
    ``list --territory commune:63003`` does not pay for a dictionary of 35,000.
    """

    header: dict[str, str]
    subdivisions: dict[str, list[str]]  # ISO code → [number, kind, name, other name]
    epcis: dict[str, list[str]]  # SIREN → [name, within]
    raw: bytes = field(repr=False)  # the file: searched as bytes, decoded line by line
    start: int = 0  # where the communes' lines start in *raw*
    names_start: int = 0  # where the names' lines start
    former_start: int = 0  # where the lines of former communes (D) start
    _communes: dict[str, str] | None = field(default=None, repr=False)
    _found: dict[str, list[str] | None] = field(default_factory=dict, repr=False)
    _names: dict[str, list[str]] | None = field(default=None, repr=False)
    _postal: dict[str, list[str]] | None = field(default=None, repr=False)

    def _line(self, prefix: str, since: int) -> str | None:
        """The line starting with *prefix* (a tag and a key, with its tab), or None."""
        at = self.raw.find(b"\n" + prefix.encode(), since - 1)
        if at < 0:
            return None
        return self.raw[at + 1 : self.raw.find(b"\n", at + 1)].decode("utf-8")

    @property
    def communes(self) -> dict[str, str]:
        """INSEE code → the commune's line (split when used)."""
        if self._communes is None:
            lines = self.raw[self.start : self.names_start].decode("utf-8").splitlines()
            self._communes = {line[2:7]: line for line in lines if line.startswith("C\t")}
        return self._communes

    def commune(self, insee: str) -> list[str] | None:
        """[name, iso, epci, postal codes, parent commune] or None."""
        if insee in self._found:
            return self._found[insee]
        if self._communes is None and len(self._found) < SEARCHES:
            line = self._line(f"C\t{insee}\t", self.start)
        else:
            line = self.communes.get(insee)
        row = self._found[insee] = None if line is None else line.split("\t")[2:]
        return row

    def numbers(self) -> dict[str, str]:
        return {row[0]: iso for iso, row in self.subdivisions.items() if row[0]}

    @property
    def names(self) -> dict[str, list[str]]:
        """Folded name → canonical codes (régions and départements first): every name,
        for a "did you mean"."""
        if self._names is None:
            self._names = {}
            lines = self.raw[self.names_start : self.former_start].decode("utf-8")
            for line in lines.splitlines():
                _, key, found = line.split("\t")
                self._names[key] = [_expand(code) for code in found.split()]
        return self._names

    def named(self, key: str) -> list[str]:
        """The codes of the territories whose folded name is *key*: one search of the text."""
        if self._names is not None:
            return self._names.get(key, [])
        line = self._line(f"N\t{key}\t", self.names_start)
        return [] if line is None else [_expand(code) for code in line.split("\t")[2].split()]

    def now_part_of(self, key: str) -> list[str]:
        """The communes a former commune (déléguée, associée) of folded name *key* is
        now part of: empty when no such name."""
        line = self._line(f"D\t{key}\t", self.former_start)
        return [] if line is None else [COMMUNE + code for code in line.split("\t")[2].split()]

    @property
    def postal(self) -> dict[str, list[str]]:
        if self._postal is None:
            postal: dict[str, list[str]] = {}
            for insee, line in self.communes.items():
                for number in line.split("\t")[5].split():
                    postal.setdefault(number, []).append(insee)
            self._postal = postal
        return self._postal


def _expand(code: str) -> str:
    """A code as the ``N`` lines write it: an INSEE code (5 characters) is a commune, a
    SIREN (9 digits) an EPCI, anything else an ISO code."""
    if "-" in code:
        return code
    return (COMMUNE if len(code) == 5 else EPCI) + code


def compact(code: str) -> str:
    """The reverse of :func:`_expand`, for the build."""
    return code.split(":", 1)[-1]


def name_index(
    subdivisions: Iterable[tuple[str, str, str]],
    epcis: Iterable[tuple[str, str]],
    communes: Sequence[tuple[str, str]],
) -> dict[str, list[str]]:
    """Folded name → codes, régions and départements first, then EPCI, then communes:
    what the table's ``N`` lines hold (built by ``scripts/build_territories.py``).

    *subdivisions*: (ISO code, name, other name or ""); *epcis*: (SIREN, name);
    *communes*: (INSEE code, name).
    """
    names: dict[str, list[str]] = {}

    def add(key: str, code: str) -> None:
        found = names.setdefault(key, [])
        if code not in found:
            found.append(code)

    for iso, name, other in subdivisions:
        add(fold_name(name), iso)
        if other:
            add(fold_name(other), iso)
    for siren, name in epcis:
        for key in _epci_keys(fold_name(name)):
            add(key, EPCI + siren)
    folded = fold_names([name for _, name in communes])
    for (insee, _), key in zip(communes, folded, strict=True):
        add(key, COMMUNE + insee)
        if key.endswith(" arrondissement"):  # "Paris 15e"
            add(key.removesuffix(" arrondissement"), COMMUNE + insee)
    return names


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
    """The table shipped with callwatch, loaded once (2.5 MB, read as bytes: lines are
    decoded when they are used)."""
    return parse_table(TABLE.read_bytes())


def parse_table(raw: bytes) -> _Table:
    header: dict[str, str] = {}
    subdivisions: dict[str, list[str]] = {}
    epcis: dict[str, list[str]] = {}
    start = raw.find(b"\nC\t") + 1 or len(raw)
    names_start = raw.find(b"\nN\t", start - 1) + 1 or len(raw)
    former_start = raw.find(b"\nD\t", names_start - 1) + 1 or len(raw)
    for line in raw[:start].decode("utf-8").splitlines():
        tag = line[:1]
        if tag == "E":
            _, siren, *rest = line.split("\t")
            epcis[siren] = rest
        elif tag == "P":
            _, iso, *rest = line.split("\t")
            subdivisions[iso] = rest
        elif tag == "#":
            key, _, value = line[1:].partition("\t")
            header[key] = value
    return _Table(header, subdivisions, epcis, raw, start, names_start, former_start)


def source() -> str:
    """Where the table comes from: ``@etalab/decoupage-administratif 6.0.0``."""
    return table().header.get("source", "?")


# ---------------------------------------------------------------- team territories

_TEAMS: dict[str, Team] = {}
_CLOSURES: dict[str, frozenset[str]] = {}
_FULL: dict[str, tuple[str, ...]] = {}  # ancestries with the team territories
# Team-id-like values read before the team territories were known: (value, file, line).
_PENDING: list[tuple[str, str, int | None]] = []
TEAM_ID = re.compile(r"^[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)*$")


def set_teams(teams: Iterable[Team]) -> None:
    """Make the team's own territories known (validated by the loader: members exist,
    no cycles). Replaces any known before."""
    _TEAMS.clear()
    _CLOSURES.clear()
    _FULL.clear()
    _TEAMS.update({team.id: team for team in teams})


def teams() -> Mapping[str, Team]:
    return _TEAMS


def team_fingerprint() -> str:
    """What the known team territories are, in a few characters: results cached across
    runs that depend on them (check's rows) are keyed by it. Empty when there are none."""
    if not _TEAMS:
        return ""

    text = repr(sorted((t.id, t.members) for t in _TEAMS.values()))
    return f"{zlib.crc32(text.encode()):08x}"


def closure(team_id: str) -> frozenset[str]:
    """Every code a team territory holds as a member, through its member territories."""
    found = _CLOSURES.get(team_id)
    if found is None:
        members: set[str] = set()
        pending = list(_TEAMS[team_id].members)
        while pending:
            member = pending.pop()
            if member not in members:
                members.add(member)
                if member in _TEAMS:
                    pending.extend(_TEAMS[member].members)
        found = _CLOSURES[team_id] = frozenset(members)
    return found


def _with_teams(code: str) -> tuple[str, ...]:
    """The ancestry of *code* with the team territories holding it (or anything it lies
    in) after its communes and EPCI, so that the country stays last."""
    found = _FULL.get(code)
    if found is not None:
        return found
    base = _team_base(code) if code in _TEAMS else base_ancestry(code)
    holders = [t for t in _TEAMS if t != code and not _holds(code, t) and _holds_any(t, base)]
    at = 1
    while at < len(base) and base[at].startswith((COMMUNE, EPCI)):
        at += 1
    found = _FULL[code] = (*base[:at], *holders, *base[at:])
    return found


def _holds(inner: str, team_id: str) -> bool:
    """Does *inner* (a team territory) hold *team_id* among its members? (no cycles)"""
    return inner in _TEAMS and team_id in closure(inner)


def _holds_any(team_id: str, chain: Iterable[str]) -> bool:
    members = closure(team_id)
    return any(c in members for c in chain)


def _team_base(team_id: str) -> tuple[str, ...]:
    """A team territory lies within what every one of its members lies within."""
    chains = [
        tuple(c for c in base_ancestry(m) if c not in _TEAMS)
        for m in closure(team_id)
        if m not in _TEAMS
    ]
    common = [c for c in chains[0] if all(c in chain for chain in chains[1:])] if chains else []
    return (team_id, *common)


def is_team_id(value: str) -> bool:
    """Lower-case words joined by hyphens, and not shaped like an ISO code (fr-xx)."""
    return bool(TEAM_ID.match(value)) and not _ISO.match(value)


def note_pending(value: str, file: str, line: int | None) -> None:
    """Remember a reference to a team territory not known yet (a project file read
    before the calls files): :func:`pending_problems` checks it once they are."""
    _PENDING.append((value, file, line))


def pending_problems() -> list[tuple[str, int | None, str]]:
    """(file, line, message) for each remembered reference that names no territory."""
    out = [(f, line, error_text(v, [])) for v, f, line in _PENDING if v not in _TEAMS]
    _PENDING.clear()
    return out


def read_code(value: str) -> tuple[str, str | None]:
    """What a document stores for what its author wrote: (canonical code, note key).

    A lower-case id that names nothing yet is kept as written: it may be a team
    territory defined in another file, checked once every file is read (the
    caller keeps it pending). Raises :class:`TerritoryError` otherwise.
    """
    if codes.is_iso_territory(value):
        return value, None  # the usual case, and the cheapest: already canonical
    # Team territories are settled by the loader (by id), whatever is known now.
    found = [m for m in resolve(value) if m.kind != "territory"]
    if len(found) == 1:
        return found[0].code, found[0].note
    if not found and is_team_id(value.strip()):
        return value.strip(), PENDING
    raise TerritoryError(error_text(value, found))


PENDING = "pending"  # the note of a reference :func:`read_code` could not check yet


def check_teams(defined: Sequence[Team]) -> tuple[list[Team], list[tuple[int, str]]]:
    """The team territories as written (members in any form people write) checked
    together: the ones to make known, with canonical members, and the problems by
    position in *defined*: bad or duplicate ids, members that name nothing or several
    territories, cycles.

    A territory whose only fault is a member (unknown, ambiguous, or closing a cycle)
    stays known without it: the calls naming it are right, and its problem is
    reported once, at its own line, not again on every call."""
    problems: list[tuple[int, str]] = []
    ids: dict[str, int] = {}
    bad: set[int] = set()  # not made known: the id itself is wrong
    for i, team in enumerate(defined):
        if team.id in ids:
            problems.append((i, f"duplicate territory id {team.id!r}"))
            bad.add(i)
            continue
        ids[team.id] = i
        if not is_team_id(team.id):
            problems.append((i, f"territory id {team.id!r}: expected lower-case words joined by -"))
            bad.add(i)
            continue
        taken = [m for m in resolve(team.id) if m.code not in ids and m.code != team.id]
        if taken:
            problems.append(
                (i, f"territory id {team.id!r} already names {describe(taken[0])}: choose another")
            )
            bad.add(i)
    resolved: dict[int, Team] = {}
    for i, team in enumerate(defined):
        members = []
        for member in team.members:
            if member in ids:
                members.append(member)
                continue
            found = [m for m in resolve(member) if m.kind != "territory"]
            if len(found) == 1:
                members.append(found[0].code)
                continue
            hint = "" if found else _did_you_mean(member, list(ids))
            why = error_text(member, found) if found else f"unknown member {member!r}{hint}"
            problems.append((i, why.replace("ambiguous territory", "ambiguous member")))
        resolved[i] = Team(team.id, team.name, tuple(members))
    graph = {
        t.id: [m for m in t.members if m in ids] for i, t in resolved.items() if ids[t.id] == i
    }
    for team_id, i in ids.items():
        if _cycle(team_id, graph):
            problems.append((i, f"territory {team_id!r} contains itself through its members"))
            # known without its team members: the nesting must stay free of cycles
            team = resolved[i]
            resolved[i] = Team(team.id, team.name, tuple(m for m in team.members if m not in ids))
    return [t for i, t in resolved.items() if i not in bad], problems


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
        return table().commune(code[len(COMMUNE) :]) is not None
    if code.startswith(EPCI):
        return code[len(EPCI) :] in table().epcis
    return codes.is_iso_territory(code)


# ---------------------------------------------------------------- nesting


def is_known(code: str) -> bool:
    """A canonical code that is not ISO: a commune, an EPCI or a known team territory."""
    return code in _TEAMS or ((code.startswith((COMMUNE, EPCI))) and _exists(code))


def is_territory(code: str) -> bool:
    """A canonical territory code: ISO 3166, ``commune:63003``, ``epci:200070761`` or
    the id of one of the team's own territories."""
    if codes.is_iso_territory(code):
        return True
    if code == code.upper() and ":" not in code:
        return False
    return is_known(code)


# Ancestries without the team's own territories, which a document may define
# differently from one run to the next: these never change, so they are kept.
_ANCESTRY: dict[str, tuple[str, ...]] = {}


def ancestry(code: str) -> tuple[str, ...]:
    """*code* followed by every territory it lies in: FR-63 → (FR-63, FR-ARA, FR);
    commune:63003 → (commune:63003, epci:200070761, FR-63, FR-ARA, FR), with the
    team's own territories holding it after its communes and EPCI."""
    return _with_teams(code) if _TEAMS else base_ancestry(code)


def base_ancestry(code: str) -> tuple[str, ...]:
    """:func:`ancestry` leaving out the team's own territories: ISO codes from
    pycountry, communes and EPCI from the shipped table."""
    found = _ANCESTRY.get(code)
    if found is None:
        found = _ANCESTRY[code] = _table_ancestry(code)
    return found


def _table_ancestry(code: str) -> tuple[str, ...]:
    if code.startswith(COMMUNE):
        row = table().commune(code[len(COMMUNE) :])
        if row is None:
            return (code,)
        _name, iso, epci, _postal, parent = row
        if parent:
            return (code, *base_ancestry(COMMUNE + parent))
        inner = (EPCI + epci,) if epci else ()
        return (code, *inner, *base_ancestry(iso))
    if code.startswith(EPCI):
        found = table().epcis.get(code[len(EPCI) :])
        return (code,) if found is None else (code, *base_ancestry(found[1]))
    if codes.is_iso_territory(code):
        return codes.iso_ancestry(code)
    return (code,)


def ancestries(known: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The ancestry of each code, to keep beside a validated document (see
    :func:`remember_ancestries`)."""
    return {code: base_ancestry(code) for code in known}


def remember_ancestries(known: Mapping[str, tuple[str, ...]]) -> None:
    """Ancestries computed when a document was validated, read back from the cache:
    checking a cached project then never loads pycountry's database (a tenth of a
    second) nor the communes' table, which it would need only to find them again."""
    _ANCESTRY.update(known)


def ancestors(code: str) -> tuple[str, ...]:
    """Everything *code* lies within, smallest first: commune:63003 → (epci:200070761,
    FR-63, FR-ARA, FR)."""
    return ancestry(code)[1:]


def within(code: str, other: str) -> bool:
    """True when *code* lies within *other* (or is it)."""
    return other in ancestry(code)


def overlap(a: str, b: str) -> bool:
    """Listing filter: one of the two territories contains the other."""
    return within(a, b) or within(b, a)


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
    found: dict[str, str | None] = {}
    for code, note in _readings(query.strip()):
        if found.get(code) is None:
            found[code] = note  # read twice: the reading with a note says more
    return [match(code, note) for code, note in found.items()]


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
        yield (OVERSEAS[code], "overseas") if code in OVERSEAS else (code, None)
    for code in table().named(key):
        yield SAME_AS.get(code, (code, None))


@lru_cache(maxsize=1)
def _countries_by_name() -> dict[str, list[str]]:
    """Country names (English, as ISO writes them) → alpha-2 codes: "Germany" is DE."""
    # lazy: pycountry only when a place is looked up by country name
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


DID_YOU_MEAN, PART_OF = "did_you_mean", "part_of"


def hints(query: str) -> tuple[str, list[Match]]:
    """What to suggest for a query that names nothing, and how (:data:`DID_YOU_MEAN`
    or :data:`PART_OF`): the parts of a split département (20: FR-2A, FR-2B), the
    commune a former commune is now part of (Annecy-le-Vieux: Annecy), else the
    closest names."""
    split = SPLIT.get(query.strip().upper())
    if split is not None:
        return DID_YOU_MEAN, [match(code) for code in split]
    key = fold_name(query)
    now = table().now_part_of(key) if key else []
    if now:
        return PART_OF, [match(code) for code in now]
    return DID_YOU_MEAN, suggestions(query)


def describe(m: Match) -> str:
    """``commune:63003 Ambert (FR-63)``: a candidate in an error message."""
    place = next((c for c in m.within if "-" in c and c.isupper()), None)  # an ISO subdivision
    return f"{m.code} {m.name}" + (f" ({place})" if place and m.kind in ("commune", "epci") else "")


def _did_you_mean(query: str, extra: Sequence[str] = ()) -> str:
    """`` (did you mean …?)`` listing close team ids and names, or ``""``. Team ids
    first, compared case-folded: GAL-LIVRADOIS-FOREZ means gal-livradois-forez, not
    the EPCI whose name is close."""
    folded = {team_id.casefold(): team_id for team_id in extra}
    close = [folded[c] for c in difflib.get_close_matches(query.casefold(), list(folded), n=1)]
    if not close and (not _ISO.match(query) or query.upper() in SPLIT):
        how, found = hints(query)
        names = ", ".join(describe(m) for m in found)
        if how == PART_OF:
            return f" (a former commune, now part of {names})"
        close = [names] if found else []
    return f" (did you mean {', '.join(close)}?)" if close else ""


EXPECTED = (
    "expected an ISO 3166 code (FR, FR-ARA, FR-63), commune:INSEE, epci:SIREN, "
    "a département number, a postal code, a name or a team territory id"
)
MAX_CANDIDATES = 8


def canonical(query: str) -> str:
    """The one canonical code *query* names; a :class:`TerritoryError` when it names
    none (with the closest names) or several (with every candidate's code)."""
    found = resolve(query)
    if len(found) == 1:
        return found[0].code
    raise TerritoryError(error_text(query, found))


def error_text(query: str, found: Sequence[Match], extra: Sequence[str] = ()) -> str:
    """Why *query* is not one territory, on one line; *extra*: team ids defined but not
    known yet, for the "did you mean"."""
    if not found:
        hint = _did_you_mean(query.strip(), [*_TEAMS, *extra])
        return f"unknown territory code {query!r}{hint}: {EXPECTED}"
    shown = "; ".join(describe(m) for m in found[:MAX_CANDIDATES])
    more = len(found) - MAX_CANDIDATES
    tail = ""
    if more > 0:
        command = f"callwatch territory {shlex.quote(query.strip())}"
        tail = f" (and {more} more: `{command}` lists them all)"
    return f"ambiguous territory {query!r}: {len(found)} candidates: {shown}{tail}"
