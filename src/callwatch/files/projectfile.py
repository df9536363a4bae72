"""Reading project files: TOML, validation (:mod:`callwatch.files.projectspec`), the cache.

The domain's :class:`~callwatch.domain.project.Project` knows nothing of files;
this module turns a path into one, or into located problems.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path as FilePath
from typing import Any

from callwatch.domain import codes
from callwatch.domain.errors import CallwatchError, DataError, Problem
from callwatch.domain.model import Origin
from callwatch.domain.project import Project
from callwatch.files.loading import read_toml
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

    from callwatch.files.projectspec import parse_project  # pydantic: only to validate

    return parse_project(data, text, str(path))[1]


def load_project(path: FilePath) -> Project:
    """Read a project file; a :class:`DataError` lists every problem with its line.

    A file that validated is cached (keyed like calls files: path, size, times,
    inode, callwatch's code); an invalid one is read again each time, so its
    problems are always reported.
    """
    return load_stamped_project(path)[0]


def load_stamped_project(path: FilePath) -> tuple[Project, dict[str, Any] | None]:
    """:func:`load_project`, and the file's cache stamp taken before it was read (for
    what is derived from the project and cached: check's rows)."""

    when = cache.stamp(path)
    cached = None if when is None else cache.load_value(path, "project", _codec(), when=when)
    if type(cached) is tuple and len(cached) == 2 and type(cached[0]) is Project:
        codes.remember_ancestries(cached[1])
        return cached[0], when

    from callwatch.files.projectspec import parse_project  # pydantic: only to validate

    try:
        text, data = read_toml(path)
    except CallwatchError as exc:
        raise DataError([Problem(str(path), exc.line, exc.message)]) from None
    project, problems = parse_project(data, text, str(path))
    if project is None or problems:
        raise DataError(problems)
    if when is not None:
        places = [project.territory, *(p.territory for p in project.partners or ())]
        known = codes.ancestries(code for code in places if code is not None)
        cache.store_value(path, "project", (project, known), _codec(), when=when)
    return project, when


def _codec() -> Codec:
    """A project's cache entry holds the project's dataclasses and nothing else."""
    from callwatch.domain import project as domain_project

    return Codec([*classes_in(domain_project), Origin])


def template_text() -> str:
    """The commented example project that ``callwatch init`` writes."""
    return resources.files("callwatch").joinpath("project_template.toml").read_text("utf-8")
