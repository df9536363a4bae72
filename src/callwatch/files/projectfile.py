"""Reading project files: TOML, validation (:mod:`callwatch.files.projectspec`), the cache.

The domain's :class:`~callwatch.domain.project.Project` knows nothing of files;
this module turns a path into one, or into located problems.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path as FilePath
from typing import Any, NamedTuple

from callwatch.domain import project as domain_project
from callwatch.domain import territories
from callwatch.domain.errors import CallwatchError, Problem
from callwatch.domain.model import Origin
from callwatch.domain.project import Project
from callwatch.files.errtext import Lines, dotted
from callwatch.files.loading import read_toml, reading_of
from callwatch.i18n import current_lang
from callwatch.store import cache
from callwatch.store.datacodec import Codec, classes_in


def is_project_document(data: dict[str, Any]) -> bool:
    """A project file is recognised by its top-level ``[project]`` table."""
    return isinstance(data.get("project"), dict)


def project_file_problems(path: FilePath) -> list[Problem] | None:
    """For ``validate``: the problems of *path* if it is a project file, None if it is not
    one (or cannot be read as TOML at all: the calls loader reports that)."""

    try:
        text, data = read_toml(path)
    except CallwatchError:
        return None
    if not is_project_document(data):
        return None

    # lazy: pydantic only to validate (a cached project is read without it)
    from callwatch.files.projectspec import parse_project

    project, problems = parse_project(data, text, str(path))
    if project is not None:
        _team_references(project, path)  # checked by the catalog loaded next
    return problems


def project_file_notes(path: FilePath) -> list[Problem]:
    """For ``validate``: each territory of a project file written otherwise than by its
    canonical code, and how it reads (``Ambert`` is commune:63003). Not problems."""
    try:
        text, data = read_toml(path)
    except CallwatchError:
        return []
    if not is_project_document(data):
        return []

    places: list[tuple[tuple[str | int, ...], Any]] = [
        (("project", "territory"), data["project"].get("territory"))
    ]
    partners = data.get("partners")
    if isinstance(partners, list):
        places += [
            (("partners", i, "territory"), p.get("territory"))
            for i, p in enumerate(partners)
            if isinstance(p, dict)
        ]
    lines, notes = Lines(text), []
    for where, written in places:
        note = reading_of(written) if isinstance(written, str) else None
        if note is not None:
            notes.append(Problem(str(path), lines(where), f"{dotted(where)}: {note}"))
    return notes


class StampedProject(NamedTuple):
    """A valid project and its file's cache stamp, taken before the file was read (for
    what is derived from the project and cached: check's rows)."""

    project: Project
    stamp: dict[str, Any] | None


def read_project(path: FilePath) -> tuple[Project | None, list[Problem]]:
    """Read a project file: the project, or None and every problem with its line.

    The caller decides what is fatal (``check`` exits 65 with every problem).
    """
    found, problems = read_stamped_project(path)
    return (None if found is None else found.project), problems


def read_stamped_project(path: FilePath) -> tuple[StampedProject | None, list[Problem]]:
    """:func:`read_project`, with the file's cache stamp.

    A file that validated is cached (keyed like calls files: path, size, times,
    inode, callwatch's code); an invalid one is read again each time, so its
    problems are always reported.
    """
    when = cache.stamp(path)
    cached = None if when is None else cache.load_value(path, "project", _codec(), when=when)
    if type(cached) is tuple and len(cached) == 2 and type(cached[0]) is Project:
        territories.remember_ancestries(cached[1])
        _team_references(cached[0], path)
        return StampedProject(cached[0], when), []

    # lazy: pydantic only to validate (a cached project is read without it)
    from callwatch.files.projectspec import parse_project

    try:
        text, data = read_toml(path)
    except CallwatchError as exc:
        return None, [Problem(str(path), exc.line, exc.message)]
    project, problems = parse_project(data, text, str(path))
    if project is None or problems:
        return None, problems
    _team_references(project, path)
    if when is not None:
        places = [project.territory, *(p.territory for p in project.partners or ())]
        known = territories.ancestries(code for code in places if code is not None)
        cache.store_value(path, "project", (project, known), _codec(), when=when)
    return StampedProject(project, when), []


def _team_references(project: Project, path: FilePath) -> None:
    """A project may name one of the team's own territories, defined in the calls
    files read after it: the catalog checks the name then (a located problem)."""
    places = [project.territory, *(p.territory for p in project.partners or ())]
    teamish = [code for code in places if code is not None and ":" not in code and code.islower()]
    if teamish:
        for code in teamish:
            if territories.is_team_id(code):
                territories.note_pending(code, str(path), None)


def _codec() -> Codec:
    """A project's cache entry holds the project's dataclasses and nothing else."""
    return Codec([*classes_in(domain_project), Origin])


TEMPLATES = {"en": "project_template.toml", "fr": "project_template.fr.toml"}


def template_text(lang: str | None = None) -> str:
    """The commented example project that ``callwatch init`` (and ``new``) writes, its
    comments in *lang* (default: the current language); keys and values are the same."""
    name = TEMPLATES.get(lang or current_lang(), TEMPLATES["en"])
    return resources.files("callwatch").joinpath(name).read_text("utf-8")
