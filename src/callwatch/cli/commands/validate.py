"""``callwatch validate``: every problem of the calls files, in one run."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from callwatch.cli.app import DataOpt, JsonOpt, command_app, settings

if TYPE_CHECKING:
    from callwatch.cli.app import Settings
    from callwatch.domain.errors import Problem

VALIDATE_SCHEMA = "callwatch.validate/1"


cli = command_app()


FORMATS = ("text", "json", "github")


@cli.command(
    "validate",
    epilog="""\b
Examples:
  callwatch validate                     the data in use, and the team's file and projects
  callwatch validate data/ extra.toml    files and directories of *.toml
  callwatch validate --json data/        problems as JSON, for programs
  callwatch validate --format github     ::error annotations on the offending lines (CI)
  callwatch validate projet.toml         a project file (it has a [project] table)
\b
Exit status: 0 no problem, 1 problems found, 2 a path does not exist.
""",
)
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PATH]...", help="Calls files or directories (default: the data in use)."
        ),
    ] = None,
    as_json: JsonOpt = False,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="text|json|github",
            help="text (default), json (--json), or github: workflow-command annotations.",
        ),
    ] = "text",
    data: DataOpt = None,
) -> None:
    """Check calls files (syntax, types, unknown fields, codes, dates, duplicate ids,
    eligibility rules), project files (recognised by their [project] table) and
    team files (callwatch.toml)."""
    from callwatch.domain.errors import CallwatchError, Exit
    from callwatch.files.loading import Catalog, expand_files, load_catalog
    from callwatch.files.projectfile import project_file_problems
    from callwatch.files.teamfile import is_team_file
    from callwatch.files.teamfile import problems_of as team_problems

    if output_format not in FORMATS:
        raise CallwatchError(
            f"--format: expected one of {', '.join(FORMATS)}, not {output_format!r}", Exit.USAGE
        )
    if as_json:
        output_format = "json"
    opts = settings(ctx, None, data, None)
    calls_files: list[Path] = []
    project_files: list[Path] = []
    found = []
    for path in expand_files(_targets(paths, opts)):
        if is_team_file(path):
            project_files.append(path)
            found.extend(team_problems(path))
            continue
        project = project_file_problems(path)
        if project is None:
            calls_files.append(path)
        else:
            project_files.append(path)
            found.extend(project)
    # only project files given: no calls to load (not the shipped data either)
    catalog = load_catalog(calls_files) if calls_files else Catalog()
    problems = sorted([*catalog.problems, *found], key=lambda p: (p.file, p.line or 0))
    if output_format == "json":
        from callwatch.output.render import emit_json

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
        from callwatch.domain.text import clean

        for p in problems:
            line = github_annotation(p) if output_format == "github" else clean(str(p))
            sys.stdout.write(line + "\n")
        files = len(catalog.files) + len(project_files)
        summary = (
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
            f" in {files} file{'s' if files != 1 else ''}; {len(catalog.calls)} valid call"
            f"{'s' if len(catalog.calls) != 1 else ''}"
        )
        if project_files:
            summary += f"; {len(project_files)} project file{'s' if len(project_files) > 1 else ''}"
        sys.stderr.write(summary + "\n")
    if problems:
        raise typer.Exit(int(Exit.PROBLEM))


def _targets(paths: list[Path] | None, opts: Settings) -> list[Path]:
    """What to check: the paths given, else the data in use; in a team's repository
    (no --data, no $CALLWATCH_DATA) also its callwatch.toml and its project files,
    even when the team file itself is broken (its problems are reported with the rest)."""
    from callwatch.domain.errors import CallwatchError
    from callwatch.files import teamfile
    from callwatch.files.loading import data_sources

    if paths:
        return list(paths)
    if opts.data_given():
        return data_sources(opts.data)
    found = teamfile.find()
    if found.path is None:
        return data_sources(None)
    try:
        team, _ = teamfile.parse(found.path)
    except CallwatchError:  # not even TOML: validating the file says so
        return [found.path, *data_sources(None)]
    return [found.path, *(team.data_paths() or data_sources(None)), *team.project_paths()]


def github_annotation(problem: Problem) -> str:
    """``::error file=F,line=N::message``: GitHub Actions shows it on the offending line.

    The message is untrusted text (it quotes the file): cleaned, then escaped as the
    workflow-command syntax requires, so it cannot start a command of its own.
    """
    from callwatch.domain.text import clean

    def escape(text: str, *, prop: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if prop else text

    where = f"file={escape(problem.file, prop=True)}"
    if problem.line is not None:
        where += f",line={problem.line}"
    return f"::error {where}::{escape(clean(problem.message))}"
