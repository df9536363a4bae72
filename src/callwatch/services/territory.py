"""``callwatch territory QUERY…``: what each query names, and everything it lies within.

The reading itself is :mod:`callwatch.domain.territories`; this module shapes it for
people (one block per match, in their language) and for scripts (``--json``,
schema ``callwatch.territory/1``).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from callwatch.domain.errors import Exit
from callwatch.domain.territories import PART_OF, Match, describe, hints, name, resolve
from callwatch.domain.text import clean
from callwatch.i18n import FORMER_COMMUNE, gettext_in, place_name_text, t, territory_note
from callwatch.output.layout import wrap
from callwatch.output.render import json_text, terminal_width
from callwatch.services.env import Env

SCHEMA = "callwatch.territory/1"


@dataclass(frozen=True)
class Reading:
    """One query and every territory it may name (none: unknown; several: ambiguous)."""

    query: str
    matches: tuple[Match, ...]


def read(queries: Sequence[str]) -> list[Reading]:
    return [Reading(q, tuple(resolve(q))) for q in queries]


def as_json(readings: Sequence[Reading]) -> dict[str, Any]:
    """The ``--json`` document; ``note`` appears only on a match that has one."""
    return {
        "schema": SCHEMA,
        "results": [
            {"query": r.query, "matches": [_match_json(m) for m in r.matches]} for r in readings
        ],
    }


def _match_json(m: Match) -> dict[str, Any]:
    out: dict[str, Any] = {"code": m.code, "name": m.name, "kind": m.kind, "within": list(m.within)}
    if m.note is not None:
        out["note"] = m.note
    return out


INDENT = "    "
NARROWEST = 20  # cells a wrapped line keeps, however narrow the terminal: codes stay whole


def text(readings: Sequence[Reading], lang: str, columns: int | None = None) -> str:
    """One block per match: the query, the code, the name and kind, then what it lies
    within; lines wrapped between words to *columns* (None: not wrapped, for a pipe)."""
    lines: list[str] = []
    for r in readings:
        for m in r.matches:
            kind = t(f"territory.kind.{m.kind}", lang)
            block = [f"{clean(r.query)} → {m.code} {clean(_named(m.code, m.name, lang))} ({kind})"]
            if m.within:
                # a no-break space keeps a code with its name when the line is wrapped
                outer = ", ".join(
                    f"{code}\u00a0({clean(_named(code, name(code), lang))})" for code in m.within
                )
                block.append(f"{t('territory.within', lang)} {outer}")
            if m.note is not None:
                block.append(territory_note(m.note, lang))
            lines.append(block[0])
            lines.extend(_indented(line, columns) for line in block[1:])
    return "".join(line.replace("\u00a0", " ") + "\n" for line in lines)


def _named(code: str, known: str, lang: str) -> str:
    """A foreign country or subdivision in the reader's language (pycountry's catalogs);
    French divisions, communes, EPCI and team territories by the name the table gives."""
    if code.startswith(("FR-", "commune:", "epci:")):
        return known
    return place_name_text(code, lang)


def _indented(line: str, columns: int | None) -> str:
    """*line* under its match, indented, wrapped to *columns* when known."""
    if columns is None:
        return INDENT + line
    size = max(columns - len(INDENT), NARROWEST)
    return "\n".join(INDENT + part for part in wrap(line, size))


def unknown(query: str, lang: str) -> str:
    """``no territory matches 'x' (did you mean …?)``, for stderr."""
    how, close = hints(query)
    names = ", ".join(map(describe, close))
    if how == PART_OF:
        hint = gettext_in(lang, FORMER_COMMUNE).format(names=names)
    else:
        hint = t("territory.did_you_mean", lang, names=names) if close else ""
    return t("territory.no_match", lang, query=query, hint=hint)


def territory(env: Env, queries: Sequence[str], json_wanted: bool) -> Exit:
    """Print every query's reading; :data:`Exit.PROBLEM` when one names nothing.

    The user's data is read first when there is some (``--data``, ``$CALLWATCH_DATA``,
    a team file): the team's own territories are defined there.
    """
    if env.data_given() or env.team() is not None:
        env.catalog()
    return report(queries, env.language(), json_wanted, sys.stdout, sys.stderr)


def report(queries: Sequence[str], lang: str, json_wanted: bool, out: TextIO, err: TextIO) -> Exit:
    """Write the readings of *queries* to *out*, the queries naming nothing to *err*."""
    readings = read(queries)
    if json_wanted:
        out.write(json_text(as_json(readings)))
    else:
        out.write(text(readings, lang, terminal_width(out)))
    missing = [r.query for r in readings if not r.matches]
    for query in missing:
        err.write(clean(f"callwatch: {unknown(query, lang)}") + "\n")
    return Exit.PROBLEM if missing else Exit.OK
