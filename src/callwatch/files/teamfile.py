"""The team file, ``callwatch.toml``: where a team's repository says what its data is.

Found as git finds its repository (docs/team.md): in the current directory, else
in the nearest parent that has one. The search stops at the first directory that
holds a ``.git`` entry (the root of the repository the user stands in: a team
file above it belongs to another project) and at the filesystem root.
``$CALLWATCH_TEAM`` names a file directly, or ``none`` to not look at all.

Every path in the file is relative to the file, so a command works the same from
any subdirectory. Validation is by hand, without pydantic: the file is read by
every command (and by shell completion), so it must cost next to nothing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from callwatch.domain.clock import make_clock, window_end
from callwatch.domain.errors import CallwatchError, DataError, Problem
from callwatch.domain.text import suggest
from callwatch.files.errtext import Lines, dotted
from callwatch.files.loading import read_toml
from callwatch.files.teamfind import NO_TEAM, TEAM_ENV, TEAM_FILE, Found, find
from callwatch.i18n import N_

__all__ = ["NO_TEAM", "TEAM_ENV", "TEAM_FILE", "Found", "find"]  # found in teamfind (lean)

LANGS = ("fr", "en")
_PORTAL = re.compile(r"^[a-z][a-z0-9-]*$")
_GLOB = re.compile(r"[*?\[]")
_TOP = {"data": "list", "projects": "list", "defaults": "table", "fetch": "tables"}
_DEFAULTS = ("lang", "territory", "remind_days", "horizon")
# What a [[fetch]] table may hold besides portal and output: the portal's own
# parameters (perimeter, keywords...), checked by the fetch command that knows them.
_OPTION_TYPES = (str, int, bool, list)


@dataclass(frozen=True)
class Portal:
    """One ``[[fetch]]`` table: which portal, where its calls go, with what parameters."""

    portal: str
    output: Path
    options: dict[str, Any] = field(default_factory=dict)
    line: int | None = None  # of the table's header, for the fetch command's messages


@dataclass(frozen=True)
class Defaults:
    """The team's defaults: a command-line option or environment variable still wins."""

    lang: str | None = None
    territory: str | None = None
    remind_days: tuple[int, ...] | None = None
    horizon: str | None = None


@dataclass(frozen=True)
class TeamFile:
    path: Path
    data: tuple[str, ...] = ()  # as written: files, directories or globs
    # the file has a `data` key, valid or not: validate then checks none of the
    # shipped calls, which are not the team's
    names_data: bool = False
    projects: tuple[str, ...] = ()
    defaults: Defaults = field(default_factory=Defaults)
    fetch: tuple[Portal, ...] = ()

    @property
    def root(self) -> Path:
        return self.path.parent

    def data_paths(self) -> list[Path]:
        """The data entries as paths; a glob stands for the files it matches, sorted."""
        return expand(self.data, self.root)

    def project_paths(self) -> list[Path]:
        return expand(self.projects, self.root)


def expand(entries: tuple[str, ...], root: Path) -> list[Path]:
    """Entries relative to *root*: a glob expands to its matches (none is fine), a plain
    path is kept as is (a missing one is reported by the loader that reads it)."""
    out: list[Path] = []
    for entry in entries:
        path = _path(entry, root)
        if _GLOB.search(entry):
            anchor = Path(path.anchor)
            out.extend(sorted(anchor.glob(str(path.relative_to(anchor)))))
        else:
            out.append(path)
    return out


def _path(entry: str, root: Path) -> Path:
    path = Path(entry).expanduser()
    return path if path.is_absolute() else root / path


def is_team_file(path: Path) -> bool:
    return path.name == TEAM_FILE


def read_team(path: Path, *, full: bool = True) -> tuple[TeamFile | None, list[Problem]]:
    """The team file and every problem, located, like the other loaders: the caller
    decides what is fatal (a command: any problem; ``validate``: reports them with the
    rest and still checks the files it names). The team is None only when the file
    cannot be read as TOML; with problems, it holds what was valid.

    Without *full*, a territory code's shape is checked but not looked up in ISO 3166
    (shell completion must not load pycountry)."""
    try:
        text, doc = read_toml(path)
    except CallwatchError as exc:
        return None, [Problem(str(path), exc.line, exc.message)]
    return _Checker(path, text, full).team(doc)


class _Checker:
    """Checks a parsed team file key by key; each problem names its line and field path."""

    def __init__(self, path: Path, text: str, full: bool = True) -> None:
        self.path = path
        self.full = full
        self.lines = Lines(text)
        self.problems: list[Problem] = []

    def add(self, loc: tuple[str | int, ...], message: str) -> None:
        self.problems.append(Problem(str(self.path), self.lines(loc), f"{dotted(loc)}: {message}"))

    def team(self, doc: dict[str, Any]) -> tuple[TeamFile, list[Problem]]:
        for key in doc:
            if key not in _TOP:
                self.add(
                    (key,),
                    N_("unknown key{hint}; expected one of {names}").format(
                        hint=suggest(key, _TOP), names=", ".join(_TOP)
                    ),
                )
        team = TeamFile(
            path=self.path,
            data=self.strings(doc, "data"),
            names_data="data" in doc,
            projects=self.strings(doc, "projects"),
            defaults=self.defaults(doc.get("defaults", {})),
            fetch=self.portals(doc.get("fetch", [])),
        )
        return team, self.problems

    def strings(self, doc: dict[str, Any], key: str) -> tuple[str, ...]:
        value = doc.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.add(
                (key,),
                N_("expected an array of paths, such as {example}").format(
                    example='["data/", "imports/*.toml"]'
                ),
            )
            return ()
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.add((key, i), N_("expected a path (a non-empty string)"))
            elif not _GLOB.search(item) and not os.path.lexists(_path(item, self.path.parent)):
                # located here, and left out: the rest of the data is still read
                where = _path(item, self.path.parent)
                self.add((key, i), N_("no such file or directory: {path}").format(path=where))
            else:
                out.append(item)
        return tuple(out)

    def defaults(self, table: Any) -> Defaults:
        if not isinstance(table, dict):
            self.add(("defaults",), N_("expected a table: [defaults]"))
            return Defaults()
        for key in table:
            if key not in _DEFAULTS:
                hint = suggest(key, _DEFAULTS)
                self.add(
                    ("defaults", key),
                    N_("unknown key{hint}; expected one of {names}").format(
                        hint=hint, names=", ".join(_DEFAULTS)
                    ),
                )
        return Defaults(
            lang=self.lang(table.get("lang")),
            territory=self.territory(table.get("territory")),
            remind_days=self.days(table.get("remind_days")),
            horizon=self.horizon(table.get("horizon")),
        )

    def lang(self, value: Any) -> str | None:
        if value is None or value in LANGS:
            return value  # type: ignore[no-any-return]
        self.add(
            ("defaults", "lang"), N_('expected "fr" or "en", not {value!r}').format(value=value)
        )
        return None

    def territory(self, value: Any) -> str | None:
        if value is None:
            return None
        text = value.strip() if isinstance(value, str) else ""
        if text and not self.full:
            return text  # read as `--territory` reads it (FR-63, 63, Ambert) where it is used
        if text:
            # lazy: territories only when the team file names one (--beneficiary completion: none)
            from callwatch.domain.territories import TerritoryError, read_code

            try:
                # a team territory id is kept as written: `territory_problems` checks it
                # once the team's data is read
                return read_code(text)[0]
            except TerritoryError as exc:
                self.add(("defaults", "territory"), str(exc))
                return None
        self.add(
            ("defaults", "territory"),
            N_(
                "expected a territory: an ISO 3166 code (FR-63), commune:INSEE, epci:SIREN, "
                "a name, a postal code or a team territory id, not {value!r}"
            ).format(value=value),
        )
        return None

    def days(self, value: Any) -> tuple[int, ...] | None:
        if value is None:
            return None
        if isinstance(value, list) and all(
            isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 366 for d in value
        ):
            return tuple(sorted(set(value), reverse=True))
        self.add(
            ("defaults", "remind_days"), N_("expected days before a deadline, such as [30, 7, 1]")
        )
        return None

    def horizon(self, value: Any) -> str | None:
        if value is None:
            return None

        if not isinstance(value, str):
            self.add(
                ("defaults", "horizon"), N_("expected a string, not {value!r}").format(value=value)
            )
            return None
        try:
            window_end(value, make_clock("2000-01-01"))
        except ValueError:
            # the wording of `--due` (services.filtering), which the horizon stands in for
            self.add(
                ("defaults", "horizon"),
                N_(
                    "invalid window {value!r}: expected a number of days (30, 14d, 14j), "
                    "weeks (2w, 2sem), months (3m, 3mois), years (1y, 1an) or a date (YYYY-MM-DD)"
                ).format(value=value),
            )
            return None
        return value

    def portals(self, tables: Any) -> tuple[Portal, ...]:
        if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
            self.add(("fetch",), N_("expected an array of tables: [[fetch]]"))
            return ()
        out = []
        for i, table in enumerate(tables):
            base: tuple[str | int, ...] = ("fetch", i)
            portal, output = table.get("portal"), table.get("output")
            ok = True
            if not isinstance(portal, str) or not _PORTAL.match(portal):
                self.add(
                    (*base, "portal"), N_('expected a portal name, such as "aides-territoires"')
                )
                ok = False
            if not isinstance(output, str) or not output.strip():
                self.add(
                    (*base, "output"),
                    N_('expected the calls file to write, such as "data/aides.toml"'),
                )
                ok = False
            options = {k: v for k, v in table.items() if k not in ("portal", "output")}
            for key, value in options.items():
                if not isinstance(value, _OPTION_TYPES):
                    self.add(
                        (*base, key), N_("expected a string, a number, true/false or an array")
                    )
                    ok = False
            if ok:
                assert isinstance(portal, str) and isinstance(output, str)  # noqa: S101 - checked
                out.append(
                    Portal(
                        portal, expand((output,), self.path.parent)[0], options, self.lines(base)
                    )
                )
        return tuple(out)


def territory_problems(team: TeamFile) -> list[Problem]:
    """``[defaults] territory`` naming a team territory that the team's data does not
    define: checked once the data is read (its territories are known then)."""
    # lazy: the territory table, only for the commands that filter by the default
    from callwatch.domain import territories

    code = team.defaults.territory
    if not code or not territories.is_team_id(code) or code in territories.teams():
        return []
    if territories.resolve(code):  # a name or code read as one (an EPCI called so)
        return []
    text, _doc = read_toml(team.path)
    line = Lines(text)(("defaults", "territory"))
    message = territories.error_text(code, [])
    return [Problem(str(team.path), line, f"defaults.territory: {message}")]


def fetch_sources(
    team: TeamFile, known: Mapping[str, Collection[str]] | None = None
) -> list[Portal]:
    """The ``[[fetch]]`` tables, for the fetch command. With *known* (each portal's
    name and the keys of its parameters), an unknown portal or parameter is a
    :class:`DataError` naming the file and line, with the closest name."""
    if known is not None:
        bad = []
        for i, p in enumerate(team.fetch):
            if p.portal not in known:
                message = N_("unknown portal {name!r}{hint}; expected one of {names}").format(
                    name=p.portal, hint=suggest(p.portal, known), names=", ".join(known)
                )
                bad.append(Problem(str(team.path), p.line, f"fetch[{i}].portal: {message}"))
                continue
            for key in p.options:
                if key not in known[p.portal]:
                    names = ", ".join(("portal", "output", *known[p.portal]))
                    message = N_("unknown key{hint}; expected one of {names}").format(
                        hint=suggest(key, known[p.portal]), names=names
                    )
                    bad.append(Problem(str(team.path), p.line, f"fetch[{i}].{key}: {message}"))
        if bad:
            raise DataError(bad)
    return list(team.fetch)
