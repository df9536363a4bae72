"""``callwatch validate``: every problem of the calls files, in one run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from callwatch.cli.app import DataOpt, JsonOpt, LangOpt, command_app, exit_with, settings
from callwatch.i18n import _

cli = command_app()


@cli.command(
    "validate",
    epilog=_("""\b
Examples:
  callwatch validate                     the data in use, and the team's file and projects
  callwatch validate data/ extra.toml    files and directories of *.toml
  callwatch validate --json data/        problems as JSON, for programs
  callwatch validate --format github     ::error annotations on the offending lines (CI)
  callwatch validate projet.toml         a project file (it has a [project] table)
  callwatch validate --team-files a.toml .taplo.toml   only the team's files among them
\b
Exit status: 0 no problem, 1 problems found, 2 a path does not exist.
"""),
    help=_("""Check calls files (syntax, types, unknown fields, codes, dates, duplicate ids,
eligibility rules), project files (recognised by their [project] table) and
team files (callwatch.toml)."""),
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
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="text|json|github",
            help=_("text (default), json (--json), or github: workflow-command annotations."),
        ),
    ] = "text",
    team_files: Annotated[
        bool,
        typer.Option(
            "--team-files",
            help=_(
                "Of the PATHs given, check only the team's own: callwatch.toml and what "
                "its data and projects cover (the pre-commit hook: other *.toml are skipped)."
            ),
        ),
    ] = False,
    data: DataOpt = None,
    lang: LangOpt = None,
) -> None:
    """Check calls files (syntax, types, unknown fields, codes, dates, duplicate ids,
    eligibility rules), project files (recognised by their [project] table) and
    team files (callwatch.toml)."""
    from callwatch.services.validate import validate as run

    exit_with(run(settings(ctx, None, data, lang), paths, as_json, output_format, team_files))
