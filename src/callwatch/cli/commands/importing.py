"""``callwatch import``: calls from Aides-territoires or the EU Funding & Tenders portal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from callwatch.cli.app import DataOpt, JsonOpt, command_app, settings

if TYPE_CHECKING:
    from callwatch.importers import Batch
    from callwatch.importers.merge import Report

cli = command_app(
    name="import",
    help="Import calls from public portals into a calls file (docs/import.md).",
    epilog="""\b
Examples:
  callwatch import aides-territoires export.csv -o data/aides.toml
  callwatch import eu-portal grantsTenders.json -o data/eu.toml
""",
    no_args_is_help=True,
)

SourceArg = Annotated[
    Path, typer.Argument(metavar="FILE", help="The file downloaded from the portal.")
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="CALLS.toml",
        help="Merge into this calls file (created if missing). Default: print the new "
        "calls as TOML on standard output.",
    ),
]
DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", "-n", help="Report what would change; write nothing.")
]
VerboseOpt = Annotated[
    bool,
    typer.Option(
        "--verbose", "-v", help="Every detail line of the report (default: the first 20)."
    ),
]

_STATUS = """\b
Exit status: 0 imported (skipped records are listed, with their reasons);
2 bad option or unreadable FILE; 65 FILE or CALLS.toml is not in the expected format.
"""


@cli.command(
    "aides-territoires",
    epilog="""\b
Examples:
  callwatch import aides-territoires export.csv -o data/aides.toml
  callwatch import aides-territoires aids.json -o data/aides.toml   (API JSON)
  callwatch import aides-territoires export.csv --dry-run -o data/aides.toml --json
"""
    + _STATUS,
)
def aides_territoires(
    ctx: typer.Context,
    source: SourceArg,
    output: OutputOpt = None,
    dry_run: DryRunOpt = False,
    as_json: JsonOpt = False,
    verbose: VerboseOpt = False,
    data: DataOpt = None,
) -> None:
    """Import an Aides-territoires CSV export or API JSON (results page or list of aids)."""
    from callwatch.importers import aides_territoires as at

    _run(ctx, lambda: at.read(source), output, dry_run, as_json, data, verbose)


@cli.command(
    "eu-portal",
    epilog="""\b
Examples:
  callwatch import eu-portal grantsTenders.json -o data/eu.toml
  callwatch import eu-portal search-results.json -o data/eu.toml --dry-run
"""
    + _STATUS,
)
def eu_portal(
    ctx: typer.Context,
    source: SourceArg,
    output: OutputOpt = None,
    tenders: Annotated[
        bool,
        typer.Option("--tenders", help="Also import calls for tenders (type 0)."),
    ] = False,
    dry_run: DryRunOpt = False,
    as_json: JsonOpt = False,
    verbose: VerboseOpt = False,
    data: DataOpt = None,
) -> None:
    """Import EU Funding & Tenders records: the bulk file (grantsTenders.json) or search results."""
    from callwatch.importers import eu_portal as eu

    _run(ctx, lambda: eu.read(source, tenders=tenders), output, dry_run, as_json, data, verbose)


def _run(
    ctx: typer.Context,
    read: Callable[[], Batch],
    output: Path | None,
    dry_run: bool,
    as_json: bool,
    data: list[Path] | None,
    verbose: bool = False,
) -> None:
    from callwatch.services.merging import check_json_target, merge_into

    check_json_target(as_json, output, dry_run)
    opts = settings(ctx, None, data, None)
    report = merge_into(read(), output, dry_run=dry_run, data_paths=opts.data_paths())
    if as_json:
        from callwatch.output.render import emit_json

        emit_json(report.to_json(dry_run))
    else:
        _print_report(report, dry_run, verbose)


def _print_report(report: Report, dry_run: bool, verbose: bool = False) -> None:
    from callwatch.output.render import warn

    for line in report.lines(dry_run, verbose):
        warn(line)
