"""Finding and loading calls files, with every problem located by file and line.

Where data comes from, in order: ``--data PATH`` (repeatable; a file or a
directory of ``*.toml``), else ``CALLWATCH_DATA`` (paths separated by
``os.pathsep``), else the calls file shipped with callwatch.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache, partial
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from callwatch.domain import criteria as domain_criteria
from callwatch.domain.criteria import Compare, Criterion
from callwatch.domain.errors import CallwatchError, Exit, Problem
from callwatch.domain.model import INDEX, Call, Origin
from callwatch.files.errtext import Lines as _Lines
from callwatch.files.errtext import dotted as _dotted
from callwatch.files.errtext import explain, toml_hint
from callwatch.i18n import N_, reading_note
from callwatch.store import gctune
from callwatch.store.codec import dumps_call, index_origin, loads_call
from callwatch.store.compact import Interner
from callwatch.store.datacodec import Codec, classes_in

if TYPE_CHECKING:
    from callwatch.domain.clock import Clock
    from callwatch.domain.selection import Entry, Filters
    from callwatch.domain.territories import Team

DATA_ENV = "CALLWATCH_DATA"


def shipped_data_path() -> Path:
    """The folder of calls files that ships with callwatch, installed or in a source checkout."""
    packaged = resources.files("callwatch").joinpath("data")
    if packaged.joinpath("calls.toml").is_file():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[3] / "data"
    if (checkout / "calls.toml").is_file():
        return checkout
    raise CallwatchError(N_("the shipped calls file is missing: reinstall callwatch"), Exit.DATA)


def data_sources(cli_paths: Sequence[str | Path] | None = None) -> list[Path]:
    """The paths to read: the command line wins, then the environment, then the shipped file."""
    if cli_paths:
        return [Path(p) for p in cli_paths]
    env = os.environ.get(DATA_ENV, "")
    if env.strip():
        return [Path(p) for p in env.split(os.pathsep) if p.strip()]
    return [shipped_data_path()]


def expand_files(paths: Iterable[Path]) -> list[Path]:
    """Files to read: a directory stands for every ``*.toml`` below it, sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            # Not only regular files: a FIFO or a device named *.toml is reported, not skipped.
            files.extend(sorted(p for p in path.rglob("*.toml") if not p.is_dir()))
        elif path.is_file():
            files.append(path)
        else:
            # lazy: store.atomic only to name what a path is when it is no file
            from callwatch.store.atomic import kind_of

            kind = kind_of(path) if os.path.lexists(path) else None
            message = (
                N_("{path}: {kind}, not a calls file").format(path=path, kind=kind)
                if kind
                else N_("{path}: no such file or directory").format(path=path)
            )
            raise CallwatchError(message, Exit.USAGE)
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


KEEP_BUILT = 20_000  # calls of a freshly read file kept built (see FileResult.built)


@dataclass
class FileResult:
    """One file's outcome: its valid calls, its problems, and every id it declares
    (valid or not). This is what the cache keeps, in a form cheap to read back:

    - ``index``: per call, what choosing calls needs (:meth:`Call.index`);
    - ``blobs``: per call, its fields (:func:`callwatch.store.codec.dumps_call`) on their own, so a
      command builds only the calls it uses;
    - ``shared``: the distinct criteria, which rows refer to by position (a rule
      used by a thousand calls is stored and rebuilt once).
    """

    problems: list[Problem] = field(default_factory=list)
    ids: list[tuple[str, str, int | None]] = field(default_factory=list)  # id, file, line
    index: list[tuple[Any, ...]] = field(default_factory=list)
    blobs: Sequence[bytes] = field(default_factory=list)
    shared: list[Any] = field(default_factory=list)
    # The file's cache stamp when it was read (None: not known); what it was read
    # from, for entries derived from it (check's rows, :mod:`callwatch.services.ranking`).
    stamp: dict[str, Any] | None = None
    # The team's own territories it defines, as written, with their lines.
    teams: list[tuple[Team, int | None]] = field(default_factory=list)
    # Territory ids its calls name that only the files read together can settle
    # (a team territory defined elsewhere): (id, call position, line, "call 'x': territory[0]").
    pending: list[tuple[str, int, int | None, str]] = field(default_factory=list)
    # What ``validate`` suggests without calling it a problem: "Ambert" is commune:63003.
    notes: list[Problem] = field(default_factory=list)
    # The first calls just validated, in order (a fresh result only): the command that
    # read the file uses them as they are instead of decoding their blobs again. At most
    # KEEP_BUILT: past that, keeping them costs more memory than decoding them costs time
    # (100k calls: +175 MB). Never cached.
    built: list[Call] = field(default_factory=list, repr=False, compare=False)

    def add(self, call: Call, positions: dict[int, int]) -> None:
        """Add a validated call; *positions* maps the id of each criterion already in
        ``shared`` to its place (equal criteria are one object: interned)."""
        refs = []
        for criterion in call.criteria:
            if id(criterion) not in positions:  # `shared` keeps it alive: ids stay its own
                positions[id(criterion)] = len(self.shared)
                self.shared.append(criterion)
            refs.append(positions[id(criterion)])
        self.index.append(call.index())
        assert isinstance(self.blobs, list)  # noqa: S101 - only a fresh result grows
        self.blobs.append(dumps_call(call, tuple(refs)))
        if len(self.built) < KEEP_BUILT:
            self.built.append(call)

    def call(self, position: int) -> Call:
        if position < len(self.built):
            return self.built[position]
        return loads_call(self.blobs[position], self.shared)

    @property
    def calls(self) -> list[Call]:
        return [self.call(i) for i in range(len(self.index))]


@dataclass
class Catalog:
    """Everything loaded: the valid calls and the problems found on the way.

    Calls stay in their files' results (index entries and blobs) and are built into
    :class:`Call` objects only when asked: ``list`` on a hundred thousand calls
    builds the few it shows (:meth:`select`), not all of them.
    """

    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    # Each file's result and the positions of its calls that count (duplicates left out).
    parts: list[tuple[FileResult, Sequence[int]]] = field(default_factory=list)
    _calls: list[Call] | None = field(default=None, repr=False)

    def members(self) -> Iterator[tuple[FileResult, int]]:
        for result, positions in self.parts:
            for i in positions:
                yield result, i

    @property
    def calls(self) -> list[Call]:
        if self._calls is None:
            self._calls = [result.call(i) for result, i in self.members()]
            gctune.settle()  # they live until the command ends
        return self._calls

    def ids(self) -> list[str]:
        return [result.index[i][INDEX.id] for result, i in self.members()]

    def get(self, call_id: str) -> Call | None:
        """The call with this id: exact match first, then ignoring case."""
        ids = self.ids()
        position = _find(ids, call_id)
        if position is None:
            position = _find([i.casefold() for i in ids], call_id.casefold())
        if position is None:
            return None
        if self._calls is not None:
            return self._calls[position]
        for n, (result, i) in enumerate(self.members()):
            if n == position:
                return result.call(i)
        return None  # pragma: no cover - position came from the same members

    def require(self, call_id: str) -> Call:
        """The call with this id, or a usage error that suggests close ids."""
        call = self.get(call_id)
        if call is not None:
            return call
        close = difflib.get_close_matches(call_id, self.ids(), n=3, cutoff=0.5)
        hint = (
            N_(" (did you mean {name}?)").format(name=", ".join(close))
            if close
            else N_(" (see `callwatch list --all`)")
        )
        raise CallwatchError(
            N_("no call with id {call_id!r}{hint}").format(call_id=call_id, hint=hint), Exit.USAGE
        )

    def select(
        self,
        clock: Clock,
        *,
        until: datetime | None = None,
        include_closed: bool = False,
        filters: Filters | None = None,
    ) -> list[Entry]:
        """:func:`callwatch.domain.selection.select` over the catalogue, building only the
        calls that their index entries show may be listed."""
        # lazy: selection only for list and export (show, check and completion load none)
        from callwatch.domain.selection import may_list, select

        if self._calls is not None:
            candidates = self._calls
        else:
            now, end = clock.now.timestamp(), None if until is None else until.timestamp()
            chosen = filters if filters is not None and filters.active else None
            candidates = [
                result.call(i)
                for result, positions in self.parts
                for i in positions
                if may_list(result.index[i], now, end, include_closed, chosen)
            ]
        return select(
            candidates, clock, until=until, include_closed=include_closed, filters=filters
        )

    def without_file(self, path: Path) -> None:
        """Forget the calls defined in *path* (``add`` checks ids against the others)."""
        skip = path.resolve()
        parts: list[tuple[FileResult, Sequence[int]]] = []
        for result, positions in self.parts:
            kept = []
            for i in positions:
                origin = index_origin(result.index[i])
                if origin is None or Path(origin.file).resolve() != skip:
                    kept.append(i)
            parts.append((result, kept))
        self.parts, self._calls = parts, None


def _find(values: list[str], wanted: str) -> int | None:
    try:
        return values.index(wanted)
    except ValueError:
        return None


def load_catalog(paths: Sequence[str | Path] | None = None) -> Catalog:
    """Load every calls file; a bad file or call never hides the good ones."""
    catalog = Catalog(files=expand_files(data_sources(paths)))
    first_seen: dict[str, tuple[str, int | None]] = {}
    duplicates: set[tuple[str, int | None]] = set()
    results = [load_file_result(path) for path in catalog.files]
    for result in results:
        catalog.problems.extend(result.problems)
        catalog.notes.extend(result.notes)
        # Ids of invalid calls count too: fixing one problem must not reveal another.
        for ident, file, line in result.ids:
            key = ident.casefold()
            earlier = first_seen.get(key)
            if earlier is None:
                first_seen[key] = (file, line)
                continue
            duplicates.add((file, line))
            catalog.problems.append(
                Problem(
                    file,
                    line,
                    N_("duplicate id {ident!r}: already defined at {where}").format(
                        ident=ident, where=_where(Origin(*earlier))
                    ),
                )
            )
    unsettled = _settle_territories(catalog, results)
    for n, result in enumerate(results):
        positions: Sequence[int] = range(len(result.index))
        if duplicates or unsettled:
            positions = [
                i
                for i, entry in enumerate(result.index)
                if tuple(entry[INDEX.origin] or ("?", None)) not in duplicates
                and (n, i) not in unsettled
            ]
        catalog.parts.append((result, positions))
    gctune.settle()  # the indexes live until the command ends
    return catalog


def _settle_territories(catalog: Catalog, results: Sequence[FileResult]) -> set[tuple[int, int]]:
    """Check the team's own territories of every file together and make them known;
    then the ids that calls (and a project file read before) name. Returns the calls
    naming no territory, as (file position, call position), left out like duplicates."""
    defined = [
        (team, str(path), line)
        for path, r in zip(catalog.files, results, strict=True)
        for team, line in r.teams
    ]
    pending = any(r.pending for r in results)
    # lazy: territories only when calls are read (--beneficiary completion loads none)
    from callwatch.domain import territories

    if not defined and not pending and not territories.teams():
        for file, line, message in territories.pending_problems():
            catalog.problems.append(Problem(file, line, message))
        return set()
    valid, problems = territories.check_teams([team for team, _, _ in defined])
    for i, message in problems:
        _, file, line = defined[i]
        catalog.problems.append(Problem(file, line, message))
    territories.set_teams(valid)
    unsettled: set[tuple[int, int]] = set()
    for n, (path, result) in enumerate(zip(catalog.files, results, strict=True)):
        for code, position, line, where in result.pending:
            if code not in territories.teams():
                catalog.problems.append(
                    Problem(str(path), line, f"{where}: {territories.error_text(code, [])}")
                )
                unsettled.add((n, position))
    for file, line, message in territories.pending_problems():
        catalog.problems.append(Problem(file, line, message))
    return unsettled


def _team_ids_in(check: Any) -> Iterator[str]:
    """The team territory ids a compiled check compares a territory with."""
    # lazy: territories only when calls are read (--beneficiary completion loads none)
    from callwatch.domain.territories import is_team_id

    pending = [check]
    while pending:
        node = pending.pop()
        if isinstance(node, Compare) and node.path.endswith("territory"):
            values = node.value if isinstance(node.value, tuple) else (node.value,)
            yield from (v for v in values if isinstance(v, str) and is_team_id(v))
        for name in ("where", "require"):
            pending.extend(getattr(node, name, ()))


def reading_of(written: str) -> str | None:
    """``'Ambert' reads as commune:63003 (Ambert)``: what ``validate`` notes about a
    territory written otherwise than by its canonical code (None: nothing to note)."""
    # lazy: territories only when calls are read (--beneficiary completion loads none)
    from callwatch.domain import territories

    found = [m for m in territories.resolve(written) if m.kind != "territory"]
    if len(found) != 1 or found[0].code == written:
        return None
    return reading_note(written, found[0].code, found[0].name, found[0].note, "en")


def _where(origin: Origin) -> str:
    return origin.file if origin.line is None else f"{origin.file}:{origin.line}"


_TOML_POS = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_END = re.compile(r"\s*\(at end of document\)\s*$")


def parse_toml(text: str) -> dict[str, Any]:
    """Parse TOML with rtoml (compiled, about 5x faster on large files) when it is
    installed, else with the standard library. A document rtoml rejects is parsed
    again by ``tomllib``, whose error messages give the line and column."""
    try:
        # lazy: rtoml only when a TOML file is read (a team file; calls on a cache miss)
        import rtoml
    except ImportError:  # pragma: no cover - rtoml is a dependency; keep working without it
        return tomllib.loads(text)
    try:
        return rtoml.loads(text)
    except rtoml.TomlParsingError:
        return tomllib.loads(text)


def read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    """Read and parse a TOML file; a ``CallwatchError`` names the file and line on failure."""
    # lazy: store.atomic only when a TOML file is read, never on a cache hit
    from callwatch.store.atomic import read_regular

    try:
        raw = read_regular(path)
    except OSError as exc:
        raise CallwatchError(
            N_("cannot read: {reason}").format(reason=exc.strerror or exc), Exit.DATA, file=path
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CallwatchError(
            N_("not UTF-8 text (save the file as UTF-8)"),
            Exit.DATA,
            file=path,
            line=raw[: exc.start].count(b"\n") + 1,
        ) from None
    try:
        return text, parse_toml(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        line: int | None = None
        match = _TOML_POS.search(message)
        if match:
            line = int(match.group(1))
            message = _TOML_POS.sub(N_(" (column {n})").format(n=match.group(2)), message)
        elif _TOML_END.search(message):
            line = text.count("\n") + 1
            message = _TOML_END.sub(N_(" (at the end of the file)"), message)
        line, hint = toml_hint(text, line, message)
        raise CallwatchError(
            N_("invalid TOML: {message}").format(message=message[0].lower() + message[1:] + hint),
            Exit.DATA,
            file=path,
            line=line,
        ) from None
    except RecursionError:
        raise CallwatchError(
            N_("invalid TOML: arrays or tables nested too deeply"),
            Exit.DATA,
            file=path,
            line=_deepest_line(text),
        ) from None
    except ValueError:  # tomllib's int() of a number over 4,300 digits
        long = _LONG_NUMBER.search(text)
        raise CallwatchError(
            N_("invalid TOML: a number with more than 4,300 digits"),
            Exit.DATA,
            file=path,
            line=None if long is None else text.count("\n", 0, long.start()) + 1,
        ) from None


# A value of more than 4,300 digits (Python's limit for int()), after `=`, `,` or `[`.
_LONG_NUMBER = re.compile(r"[=,\[]\s*[+-]?\d[\d_]{4300,}")


def _deepest_line(text: str) -> int | None:
    """The line where arrays and inline tables nest deepest (strings and comments
    skipped): where a document too deep for the parser goes wrong. One pass, run
    only once parsing has failed."""
    depth, deepest, line, found = 0, 0, 1, None
    quote: str | None = None
    comment = escaped = False
    for c in text:
        if c == "\n":
            line += 1
            comment = False
            if quote == "'" or quote == '"':
                quote = None  # a one-line string never spans lines
            continue
        if comment:
            continue
        if quote is not None:
            if escaped:
                escaped = False
            elif c == "\\" and quote == '"':
                escaped = True
            elif c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif c == "#":
            comment = True
        elif c in "[{":
            depth += 1
            if depth > deepest:
                deepest, found = depth, line
        elif c in "]}":
            depth -= 1
    return found


def load_file(path: Path) -> tuple[list[Call], list[Problem]]:
    """Load one calls file: the calls that validate, and a problem for each that does not."""
    result = load_file_result(path)
    return result.calls, result.problems


def load_file_result(path: Path) -> FileResult:
    """One file's calls and problems: from the cache when the file is unchanged."""
    # lazy: the cache module only when calls are read (--beneficiary completion loads none)
    from callwatch.store import cache

    when = cache.stamp(path)  # before reading: see cache.stamp
    cached = None if when is None else cache.load(path, entry_codec(), when)
    if type(cached) is FileResult:
        cached.stamp = when
        return cached
    result = _load_large(path) if _is_large(path) else None
    if result is None:
        try:
            text, data = read_toml(path)
        except CallwatchError as exc:
            return FileResult(problems=[Problem(str(path), exc.line, exc.message)])
        result = parse_document(data, text, str(path))
    if when is not None:
        cache.store(path, result, entry_codec(), when)
        result.stamp = when
    return result


def parse_calls(data: dict[str, Any], text: str, filename: str) -> tuple[list[Call], list[Problem]]:
    """Validate a parsed calls document: the valid calls and the problems."""
    result = parse_document(data, text, filename)
    return result.calls, result.problems


@lru_cache(maxsize=1)
def entry_codec() -> Codec:
    """What a calls file's cache entry may hold: its result, problems and compiled rules
    (data only: :mod:`callwatch.store.datacodec`)."""
    return Codec([FileResult, Problem, *classes_in(domain_criteria)])


LineOf = Callable[[tuple[str | int, ...]], int | None]


def parse_document(data: dict[str, Any], text: str, filename: str) -> FileResult:
    """Validate a parsed calls document (the part shared by every way of loading)."""
    lines = _Lines(text)
    problems: list[Problem] = []
    for key in data:
        if key not in ("calls", "territories"):
            problems.append(
                Problem(
                    filename,
                    lines((key,)),
                    N_(
                        "unknown top-level key {key!r}: a calls file holds [[calls]] "
                        "and [[territories]] tables"
                    ).format(key=key),
                )
            )
    raw_calls = data.get("calls", [])
    if not isinstance(raw_calls, list) or not all(isinstance(c, dict) for c in raw_calls):
        problems.append(
            Problem(
                filename, lines(("calls",)), N_("`calls` must be an array of tables ([[calls]])")
            )
        )
        return FileResult(problems=problems)

    headers = _header_lines(text)
    validator = _Validator(filename, FileResult(problems=problems))
    for index, raw in enumerate(raw_calls):
        base: tuple[str | int, ...] = ("calls", index)
        line = headers[index] if len(headers) == len(raw_calls) else lines(base)
        validator.add(index, raw, line, partial(_line_in, lines, base))
    _read_teams(data.get("territories"), lines, validator.result, filename)
    return validator.result


def _read_teams(raw: Any, lines: _Lines, result: FileResult, filename: str) -> None:
    """The ``[[territories]]`` tables, shape-checked; what their members name is checked
    with every file's (:func:`_settle_territories`)."""
    if raw is None:
        return
    if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
        message = N_("`territories` must be an array of tables ([[territories]])")
        result.problems.append(Problem(filename, lines(("territories",)), message))
        return
    # lazy: pydantic only on a cache miss
    from pydantic import ValidationError

    from callwatch.domain.territories import Team
    from callwatch.files import callspec as schema

    for index, table in enumerate(raw):
        base: tuple[str | int, ...] = ("territories", index)
        try:
            spec = schema.TerritorySpec.model_validate(table)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                loc = tuple(err["loc"])
                why = _explain(err, loc)
                if err["type"] == "too_short" and loc == ("members",):  # members = []
                    why = "members: " + N_(
                        "list at least one member: a commune, an EPCI, an ISO 3166 code "
                        "or the id of another of the team's territories"
                    )
                message = f"territories[{index}]: {why}"
                result.problems.append(Problem(filename, lines(base + loc), message))
            continue
        team = Team(spec.id.strip(), spec.name, tuple(m.strip() for m in spec.members))
        result.teams.append((team, lines(base)))


class _Validator:
    """Validates one raw ``[[calls]]`` table after another into a :class:`FileResult`."""

    def __init__(self, filename: str, result: FileResult, keep: bool = True) -> None:
        self.filename = filename
        self.result = result
        self.share = Interner()
        self.positions: dict[int, int] = {}  # id of a criterion -> its place in `shared`
        self.keep = keep  # False: only the problems are wanted (no call is built)
        # Imported once per file, not once per call (thousands of lookups otherwise).
        # lazy: pydantic only on a cache miss
        from pydantic import ValidationError

        from callwatch.files import callspec

        self.schema, self.invalid = callspec, ValidationError
        self.teams_in: dict[int, tuple[Criterion, tuple[str, ...]]] = {}

    def add(self, index: int, raw: dict[str, Any], line: int | None, line_of: LineOf) -> None:
        """*line_of* maps a path inside the call (``("deadlines", 1, "date")``) to a line."""
        schema, ValidationError = self.schema, self.invalid
        result, filename = self.result, self.filename
        label = _call_label(raw, index)
        origin = Origin(filename, line)
        if isinstance(raw.get("id"), str):
            result.ids.append((raw["id"], origin.file, origin.line))
        try:
            spec = schema.CallSpec.model_validate(raw)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                loc = tuple(err["loc"])
                result.problems.append(
                    Problem(filename, line_of(loc), f"{label}: {_explain(err, loc)}")
                )
            self.unchecked_teams(raw.get("territory"), label, line_of)
            return
        semantic = schema.semantic_problems(spec)
        criteria, rule_problems = compile_criteria(spec)
        semantic.extend(rule_problems)
        for loc, message in semantic:
            result.problems.append(
                Problem(filename, line_of(loc), f"{label}: {_dotted(loc)}: {message}")
            )
        if not semantic and self.keep:
            self.territories(raw.get("territory"), spec.territory, label, line_of)
            self.criteria_teams(criteria, label, line_of)
            result.add(schema.to_domain(spec, origin, criteria, self.share), self.positions)
        elif semantic:
            self.unchecked_teams(raw.get("territory"), label, line_of)

    def unchecked_teams(self, written: Any, label: str, line_of: LineOf) -> None:
        """The team ids of a call left out for another problem, settled all the same:
        ``territory = ["gal-nope", "zz"]`` reports both in one run. (Position -1: no
        call to leave out.)"""
        if not self.keep or not isinstance(written, list):
            return
        # lazy: territories only when calls are read (--beneficiary completion loads none)
        from callwatch.domain.territories import is_team_id, resolve

        for i, was in enumerate(written):
            if not isinstance(was, str) or not is_team_id(was.strip()):
                continue
            if not [m for m in resolve(was) if m.kind != "territory"]:
                where, at = f"{label}: territory[{i}]", line_of(("territory", i))
                self.result.pending.append((was.strip(), -1, at, where))

    def criteria_teams(self, criteria: tuple[Criterion, ...], label: str, line_of: LineOf) -> None:
        """A criterion may name a team territory (``within = ["gal-x"]``): settled with
        the call's own territory ids, once every file is read."""
        position = len(self.result.index)  # the call about to be added
        for i, criterion in enumerate(criteria):
            # Criteria are shared by many calls (interned): each is walked once.
            known = self.teams_in.get(id(criterion))
            if known is None or known[0] is not criterion:
                known = self.teams_in[id(criterion)] = (
                    criterion,
                    tuple(_team_ids_in(criterion.check)),
                )
            for code in known[1]:
                where = f"{label}: criteria[{i}]"
                self.result.pending.append((code, position, line_of(("criteria", i)), where))

    def territories(self, written: Any, read: list[str], label: str, line_of: LineOf) -> None:
        """Note what was written otherwise than canonically; keep team ids to settle."""
        if not read or not isinstance(written, list):
            return
        # lazy: territories only when calls are read (--beneficiary completion loads none)
        from callwatch.domain import territories

        position = len(self.result.index)  # the call about to be added
        for i, (was, code) in enumerate(zip(written, read, strict=True)):
            if was == code and not territories.is_team_id(code):
                continue  # canonical: nothing to note (and no line to look for)
            where, at = f"{label}: territory[{i}]", line_of(("territory", i))
            if territories.is_team_id(code):
                self.result.pending.append((code, position, at, where))
            elif (note := reading_of(was)) is not None:
                self.result.notes.append(Problem(self.filename, at, f"{where}: {note}"))


def table_problems(table: dict[str, Any], filename: str = "(new call)") -> list[str]:
    """Why one raw ``[[calls]]`` table would not load (empty when it would), without
    building the call: what an importer asks of each of thousands of records."""
    validator = _Validator(filename, FileResult(), keep=False)
    validator.add(0, table, None, lambda _loc: None)
    return [p.message for p in validator.result.problems]


# Files larger than this are parsed one [[calls]] table at a time: the parse tree of
# a whole 150 MB file takes gigabytes; one table at a time, next to nothing.
LARGE_FILE = 2_000_000
_HEADER_BYTES = re.compile(rb"^[ \t]*\[\[[ \t]*calls[ \t]*\]\][ \t]*(?:#[^\n]*)?$", re.MULTILINE)


def _is_large(path: Path) -> bool:
    try:
        return path.stat().st_size > LARGE_FILE
    except OSError:
        return False


def _load_large(path: Path) -> FileResult | None:
    """Parse and validate a large calls file one ``[[calls]]`` table at a time.

    None when the file cannot be cut that way (top-level keys, a header inside a
    multi-line string, a syntax error...): the caller then reads it whole, which
    also gives the usual error messages.
    """
    # lazy: store.atomic only on a cache miss
    from callwatch.store.atomic import read_regular

    try:
        raw = read_regular(path)
    except OSError:
        return None
    validator = _Validator(str(path), FileResult())
    try:
        for index, (line, chunk, table) in enumerate(_tables(raw)):
            validator.add(index, table, line, partial(_line_in_chunk, _Lines(chunk), line))
    except (_Uncut, ValueError, RecursionError):  # rtoml's and tomllib's errors are ValueErrors
        return None
    return validator.result


class _Uncut(Exception):
    """A calls file that cannot be read one ``[[calls]]`` table at a time."""


def _tables(raw: bytes) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """Each ``[[calls]]`` table of a calls file parsed on its own: its first line, its
    text and the table. Raises :class:`_Uncut` (or a parser's ``ValueError``) when the
    file is not made of such tables alone."""
    starts = [m.start() for m in _HEADER_BYTES.finditer(raw)]
    if not starts or parse_toml(raw[: starts[0]].decode("utf-8")):
        raise _Uncut  # no table, or top-level keys: the whole-file path reports them
    line = raw.count(b"\n", 0, starts[0]) + 1
    for start, end in zip(starts, [*starts[1:], len(raw)], strict=True):
        chunk = raw[start:end].decode("utf-8")
        data = parse_toml(chunk)
        tables = data.get("calls")
        if set(data) != {"calls"} or not isinstance(tables, list) or len(tables) != 1:
            raise _Uncut
        yield line, chunk, tables[0]
        line += chunk.count("\n")


def read_calls_toml(path: Path) -> tuple[str, dict[str, Any]]:
    """:func:`read_toml` for a calls file about to be rewritten (``import``, ``fetch``): a
    large one is parsed one table at a time (:func:`parse_calls_text`)."""
    if _is_large(path):
        # lazy: store.atomic only on a cache miss
        from callwatch.store.atomic import read_regular

        try:
            raw = read_regular(path)
            text = raw.decode("utf-8")
        except (OSError, ValueError):
            pass  # read_toml says what is wrong
        else:
            tables = _cut_tables(raw)
            if tables is not None:
                return text, {"calls": tables}
    return read_toml(path)


def parse_calls_text(text: str) -> dict[str, Any]:
    """:func:`parse_toml` for a calls document: a large one is parsed one table at a
    time, the same document for a fraction of the memory (rtoml's peak is about 20
    times the text's size). A document that cannot be cut so is parsed whole."""
    if len(text) > LARGE_FILE:
        tables = _cut_tables(text.encode("utf-8", "surrogatepass"))
        if tables is not None:
            return {"calls": tables}
    return parse_toml(text)


def _cut_tables(raw: bytes) -> list[dict[str, Any]] | None:
    try:
        return [table for _line, _chunk, table in _tables(raw)]
    except (_Uncut, ValueError, RecursionError):
        return None


def _line_in(lines: LineOf, base: tuple[str | int, ...], loc: tuple[str | int, ...]) -> int | None:
    return lines(base + loc)


def _line_in_chunk(lines: LineOf, first: int, loc: tuple[str | int, ...]) -> int | None:
    """The file line of *loc* in the one-table chunk that starts on line *first*."""
    line = lines(("calls", 0, *loc))
    return None if line is None else line + first - 1


def compile_criteria(spec: Any) -> tuple[tuple[Any, ...], list[tuple[tuple[str | int, ...], str]]]:
    """Turn a call's ``[[calls.criteria]]`` into rule objects (callwatch.rules), followed
    by the standard conditions of its type of action (:mod:`callwatch.rules.standard`)."""
    standard: tuple[Any, ...] = ()
    if spec.action_type is not None:
        # lazy: the rules compiler only on a cache miss
        from callwatch.rules.standard import standard_criteria

        standard = standard_criteria(spec.id, spec.action_type)
    if not spec.criteria:
        return standard, []
    # lazy: the rules compiler only on a cache miss
    from callwatch.rules.compiler import compile_criteria as compile_rules

    criteria, problems = compile_rules(spec)
    own = {c.id for c in criteria}
    return (*criteria, *(c for c in standard if c.id not in own)), problems


# A `[[calls]]` header line: where a calls file's tables start (lines, merge offsets).
CALLS_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*calls[ \t]*\]\]", re.MULTILINE)


def _header_lines(text: str) -> list[int]:
    """Lines of the ``[[calls]]`` headers: a regex, far cheaper than a full scan."""
    out: list[int] = []
    line, pos = 1, 0
    for match in CALLS_HEADER.finditer(text):
        line += text.count("\n", pos, match.start())
        pos = match.start()
        out.append(line)
    return out


def _call_label(raw: Any, index: int) -> str:
    ident = raw.get("id") if isinstance(raw, dict) else None
    if isinstance(ident, str) and ident:
        return N_("call {ident!r}").format(ident=ident)
    return f"calls[{index}]"


def _explain(err: Any, loc: tuple[str | int, ...]) -> str:
    """A pydantic error about a calls file, reworded (see :mod:`callwatch.files.errtext`)."""
    return explain(err, loc, _known_fields())


def _known_fields() -> list[str]:
    # lazy: pydantic (the calls schema) only to suggest a field name
    from callwatch.files import callspec as schema

    names: set[str] = set()
    for model in (schema.CallSpec, schema.DeadlineSpec, schema.FundingSpec):
        names.update(model.model_fields)
    return sorted(names)
