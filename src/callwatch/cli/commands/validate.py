"""``callwatch validate``: every problem of the calls files, in one run."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from callwatch.cli.app import DataOpt, JsonOpt, LangOpt, command_app, settings
from callwatch.i18n import _, ngettext

VALIDATE_SCHEMA = "callwatch.validate/1"


cli = command_app()


@cli.command(
    "validate",
    epilog=_("""\b
Examples:
  callwatch validate                     the data in use ($CALLWATCH_DATA or shipped)
  callwatch validate data/ extra.toml    files and directories of *.toml
  callwatch validate --json data/        problems as JSON, for CI annotations
  callwatch validate projet.toml         a project file (it has a [project] table)
\b
Exit status: 0 no problem, 1 problems found, 2 a path does not exist.
"""),
    help=_("""Check calls files (syntax, types, unknown fields, codes, dates, duplicate ids,
eligibility rules) and project files (recognised by their [project] table)."""),
)
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PATH]...", help=_("Calls files or directories (default: the data in use).")
        ),
    ] = None,
    as_json: JsonOpt = False,
    data: DataOpt = None,
    lang: LangOpt = None,
) -> None:
    """Check calls files (syntax, types, unknown fields, codes, dates, duplicate ids,
    eligibility rules) and project files (recognised by their [project] table)."""
    from callwatch.domain.errors import Exit
    from callwatch.files.loading import Catalog, data_sources, expand_files, load_catalog
    from callwatch.files.projectfile import project_file_problems

    opts = settings(ctx, None, data, lang)
    opts.language()  # messages in the chosen language (--lang fr)
    calls_files: list[Path] = []
    project_files: list[Path] = []
    found = []
    for path in expand_files(data_sources(paths or opts.data)):
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
        from callwatch.i18n import localize

        for p in problems:
            sys.stdout.write(clean(localize(str(p))) + "\n")
        files = len(catalog.files) + len(project_files)
        parts = [
            ngettext("{n} problem", "{n} problems", len(problems)).format(n=len(problems)),
            ngettext("in {n} file", "in {n} files", files).format(n=files),
        ]
        summary = (
            " ".join(parts)
            + "; "
            + ngettext("{n} valid call", "{n} valid calls", len(catalog.calls)).format(
                n=len(catalog.calls)
            )
        )
        if project_files:
            n = len(project_files)
            summary += "; " + ngettext("{n} project file", "{n} project files", n).format(n=n)
        sys.stderr.write(summary + "\n")
    if problems:
        raise typer.Exit(int(Exit.PROBLEM))
