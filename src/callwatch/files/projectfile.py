"""Reading project files: TOML, validation (:mod:`callwatch.files.projectspec`), the cache.

The domain's :class:`~callwatch.domain.project.Project` knows nothing of files;
this module turns a path into one, or into located problems.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path as FilePath
from typing import Any, NamedTuple

from callwatch.domain import codes
from callwatch.domain.errors import CallwatchError, Problem
from callwatch.domain.project import Project
from callwatch.files.loading import read_toml
from callwatch.store import cache


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

    from callwatch.files.projectspec import parse_project  # pydantic: only to validate

    return parse_project(data, text, str(path))[1]


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
    cached = None if when is None else cache.load_value(path, "project", when=when)
    if type(cached) is tuple and len(cached) == 2 and type(cached[0]) is Project:
        codes.remember_ancestries(cached[1])
        return StampedProject(cached[0], when), []

    from callwatch.files.projectspec import parse_project  # pydantic: only to validate

    try:
        text, data = read_toml(path)
    except CallwatchError as exc:
        return None, [Problem(str(path), exc.line, exc.message)]
    project, problems = parse_project(data, text, str(path))
    if project is None or problems:
        return None, problems
    if when is not None:
        places = [project.territory, *(p.territory for p in project.partners or ())]
        known = codes.ancestries(code for code in places if code is not None)
        cache.store_value(path, "project", (project, known), when=when)
    return StampedProject(project, when), []


def template_text() -> str:
    """The commented example project that ``callwatch init`` writes."""
    return resources.files("callwatch").joinpath("project_template.toml").read_text("utf-8")
