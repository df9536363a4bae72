"""``callwatch validate``: every problem of the calls, project and team files, in one run."""

from __future__ import annotations

import sys
from pathlib import Path

from callwatch.domain.errors import CallwatchError, Exit, Problem
from callwatch.domain.territories import pending_problems
from callwatch.domain.text import clean
from callwatch.files import teamfile
from callwatch.files.loading import Catalog, data_sources, expand_files, load_catalog
from callwatch.files.projectfile import project_file_notes, project_file_problems
from callwatch.i18n import N_, _, current_lang, localize, ngettext, t
from callwatch.output.render import emit_json
from callwatch.services.env import Env
from callwatch.store.atomic import kind_of

VALIDATE_SCHEMA = "callwatch.validate/1"
FORMATS = ("text", "json", "github")


def validate(
    env: Env, paths: list[Path] | None, as_json: bool = False, output_format: str = "text"
) -> Exit:
    """Report every problem (as text, JSON or GitHub annotations); :data:`Exit.PROBLEM`
    when there is one."""
    env.language()  # problems in the chosen language (validate --lang fr)
    if as_json:
        output_format = "json"
    if output_format not in FORMATS:
        raise CallwatchError(
            "--format: "
            + N_("expected one of {names}, not {value!r}").format(
                names=", ".join(FORMATS), value=output_format
            ),
            Exit.USAGE,
        )
    calls_files: list[Path] = []
    project_files: list[Path] = []
    found: list[Problem] = []
    notes: list[Problem] = []  # territories written otherwise than canonically
    unreadable: list[Path] = []  # a FIFO or a device named *.toml inside a directory
    for path in expand_files(_targets(paths, env)):
        kind = kind_of(path)
        if kind is not None:
            unreadable.append(path)
            reason = N_("{kind}, not a regular file").format(kind=kind)
            found.append(
                Problem(str(path), None, N_("cannot read: {reason}").format(reason=reason))
            )
            continue
        if teamfile.is_team_file(path):
            project_files.append(path)
            found.extend(teamfile.read_team(path)[1])
            continue
        project = project_file_problems(path)
        if project is None:
            calls_files.append(path)
        else:
            project_files.append(path)
            found.extend(project)
            notes.extend(project_file_notes(path))
    # only project files given: no calls to load (not the shipped data either)
    catalog = load_catalog(calls_files) if calls_files else Catalog()
    if not calls_files:  # a project naming a team territory, and no calls file defining it
        found.extend(Problem(file, line, message) for file, line, message in pending_problems())
    problems = sorted([*catalog.problems, *found], key=lambda p: (p.file, p.line or 0))
    notes = sorted([*catalog.notes, *notes], key=lambda p: (p.file, p.line or 0))
    if output_format == "json":
        emit_json(
            {
                "schema": VALIDATE_SCHEMA,
                "files": [str(f) for f in [*catalog.files, *unreadable, *project_files]],
                "calls": len(catalog.calls),
                "project_files": [str(f) for f in project_files],
                "problems": [
                    {"file": p.file, "line": p.line, "message": p.message} for p in problems
                ],
                # Not problems: what was written otherwise than canonically, and how it reads.
                "notes": [{"file": n.file, "line": n.line, "message": n.message} for n in notes],
            }
        )
    else:
        for p in problems:
            shown = clean(localize(str(p)))
            line = github_annotation(p) if output_format == "github" else shown
            sys.stdout.write(line + "\n")
        for n in notes:
            if output_format == "github":
                line = github_annotation(n, "notice")
            else:
                note = t("territory.note", current_lang())
                line = clean(f"{n.file}:{n.line}: {note}{localize(n.message)}")
            sys.stdout.write(line + "\n")
        sys.stderr.write(
            _summary(
                len(problems),
                len(catalog.files) + len(unreadable),
                len(catalog.calls),
                project_files,
            )
        )
    return Exit.PROBLEM if problems else Exit.OK


def _summary(problems: int, calls_files: int, calls: int, project_files: list[Path]) -> str:
    """``2 problems in 3 files; 40 valid calls; 1 project file`` in the reader's language."""
    files = calls_files + len(project_files)
    summary = (
        ngettext("{n} problem", "{n} problems", problems).format(n=problems)
        + " "
        + ngettext("in {n} file", "in {n} files", files).format(n=files)
        + _("; ")
        + ngettext("{n} valid call", "{n} valid calls", calls).format(n=calls)
    )
    if project_files:
        n = len(project_files)
        summary += _("; ") + ngettext("{n} project file", "{n} project files", n).format(n=n)
    return summary + "\n"


def _targets(paths: list[Path] | None, env: Env) -> list[Path]:
    """What to check: the paths given, else the data in use; in a team's repository
    (no --data, no $CALLWATCH_DATA) also its callwatch.toml and its project files,
    even when the team file itself is broken (its problems are reported with the rest)."""
    if paths:
        return list(paths)
    if env.data_given():
        return data_sources(env.data)
    found = teamfile.find()
    if found.path is None:
        return data_sources(None)
    team, _ = teamfile.read_team(found.path)
    if team is None:  # not even TOML: validating the file says so
        return [found.path, *data_sources(None)]
    return [found.path, *(team.data_paths() or data_sources(None)), *team.project_paths()]


def github_annotation(problem: Problem, level: str = "error") -> str:
    """``::error file=F,line=N::message``: GitHub Actions shows it on the offending line.

    The message is untrusted text (it quotes the file): cleaned, then escaped as the
    workflow-command syntax requires, so it cannot start a command of its own.
    """

    def escape(text: str, *, prop: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if prop else text

    where = f"file={escape(problem.file, prop=True)}"
    if problem.line is not None:
        where += f",line={problem.line}"
    return f"::{level} {where}::{escape(clean(problem.message))}"
