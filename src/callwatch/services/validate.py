"""``callwatch validate``: every problem of the calls files (and project files), in one run."""

from __future__ import annotations

import sys
from pathlib import Path

from callwatch.domain.errors import Exit, Problem
from callwatch.domain.text import clean
from callwatch.files.loading import Catalog, data_sources, expand_files, load_catalog
from callwatch.files.projectfile import project_file_problems
from callwatch.output.render import emit_json
from callwatch.services.env import Env

VALIDATE_SCHEMA = "callwatch.validate/1"


def validate(env: Env, paths: list[Path] | None, as_json: bool) -> Exit:
    """Report every problem; :data:`Exit.PROBLEM` when there is one."""
    calls_files: list[Path] = []
    project_files: list[Path] = []
    found: list[Problem] = []
    for path in expand_files(data_sources(paths or env.data)):
        project = project_file_problems(path)
        if project is None:
            calls_files.append(path)
        else:
            project_files.append(path)
            found.extend(project)
    # only project files given: no calls to load (not the shipped data either)
    catalog = load_catalog(calls_files) if calls_files else Catalog()
    problems = sorted([*catalog.problems, *found], key=lambda p: (p.file, p.line or 0))
    if as_json:
        emit_json(
            {
                "schema": VALIDATE_SCHEMA,
                "files": [str(f) for f in [*catalog.files, *project_files]],
                "calls": len(catalog.calls),
                "project_files": [str(f) for f in project_files],
                "problems": [
                    {"file": p.file, "line": p.line, "message": p.message} for p in problems
                ],
            }
        )
    else:
        for p in problems:
            sys.stdout.write(clean(str(p)) + "\n")
        files = len(catalog.files) + len(project_files)
        summary = (
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
            f" in {files} file{'s' if files != 1 else ''}; {len(catalog.calls)} valid call"
            f"{'s' if len(catalog.calls) != 1 else ''}"
        )
        if project_files:
            summary += f"; {len(project_files)} project file{'s' if len(project_files) > 1 else ''}"
        sys.stderr.write(summary + "\n")
    return Exit.PROBLEM if problems else Exit.OK
