"""``callwatch import``: calls from Aides-territoires or the EU Funding & Tenders portal."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from callwatch.cli.app import DataOpt, JsonOpt, command_app, settings
from callwatch.i18n import _

if TYPE_CHECKING:
    from callwatch.cli.app import Settings
    from callwatch.importers import Batch
    from callwatch.importers.merge import Report

cli = command_app(
    name="import",
    help=_("Import calls from public portals into a calls file (docs/import.md)."),
    epilog=_("""\b
Examples:
  callwatch import aides-territoires export.csv -o data/aides.toml
  callwatch import eu-portal grantsTenders.json -o data/eu.toml
"""),
    no_args_is_help=True,
)

SourceArg = Annotated[
    Path, typer.Argument(metavar="FILE", help=_("The file downloaded from the portal."))
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="CALLS.toml",
        help=_(
            "Merge into this calls file (created if missing). Default: print the new "
            "calls as TOML on standard output."
        ),
    ),
]
DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", "-n", help=_("Report what would change; write nothing."))
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
    help=_("Import an Aides-territoires CSV export or API JSON (results page or list of aids)."),
)
def aides_territoires(
    ctx: typer.Context,
    source: SourceArg,
    output: OutputOpt = None,
    dry_run: DryRunOpt = False,
    as_json: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Import an Aides-territoires CSV export or API JSON (results page or list of aids)."""
    from callwatch.importers import aides_territoires as at

    _run(ctx, lambda: at.read(source), output, dry_run, as_json, data)


@cli.command(
    "eu-portal",
    epilog="""\b
Examples:
  callwatch import eu-portal grantsTenders.json -o data/eu.toml
  callwatch import eu-portal search-results.json -o data/eu.toml --dry-run
"""
    + _STATUS,
    help=_(
        "Import EU Funding & Tenders records: the bulk file (grantsTenders.json) or search results."
    ),
)
def eu_portal(
    ctx: typer.Context,
    source: SourceArg,
    output: OutputOpt = None,
    tenders: Annotated[
        bool,
        typer.Option("--tenders", help=_("Also import calls for tenders (type 0).")),
    ] = False,
    dry_run: DryRunOpt = False,
    as_json: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Import EU Funding & Tenders records: the bulk file (grantsTenders.json) or search results."""
    from callwatch.importers import eu_portal as eu

    _run(ctx, lambda: eu.read(source, tenders=tenders), output, dry_run, as_json, data)


def _run(
    ctx: typer.Context,
    read: Callable[[], Batch],
    output: Path | None,
    dry_run: bool,
    as_json: bool,
    data: list[Path] | None,
) -> None:
    from callwatch.domain.errors import CallwatchError, Exit
    from callwatch.importers.merge import merge

    if as_json and output is None and not dry_run:
        raise CallwatchError(
            "--json prints the report on standard output: give -o CALLS.toml or --dry-run",
            Exit.USAGE,
        )
    opts = settings(ctx, None, data, None)
    batch = read()
    text = ""
    if output is not None and output.exists():
        from callwatch.files.loading import read_toml

        text, _parsed = read_toml(output)
    elsewhere, other_ids = _user_data(opts, output)
    result, report = merge(
        batch,
        text,
        None if output is None else str(output),
        elsewhere=elsewhere,
        other_ids=other_ids,
    )
    if output is None:
        if not dry_run:
            sys.stdout.write(result)
    elif not dry_run and result != text:  # nothing new: the file is not even touched
        from callwatch.store.atomic import write_user_file

        write_user_file(output, result.encode("utf-8"))
    if as_json:
        from callwatch.output.render import emit_json

        emit_json(report.to_json(dry_run))
    else:
        _print_report(report, dry_run)


def _user_data(opts: Settings, output: Path | None) -> tuple[dict[str, str], dict[str, str]]:
    """Source ids and ids in the user's other calls files (see docs/import.md).

    Only data the user configured (--data, $CALLWATCH_DATA) counts: the shipped
    calls are an alternative to the user's own files, never loaded with them.
    """
    from callwatch.files.authoring import user_catalog
    from callwatch.files.callsfile import where as where_of

    catalog = user_catalog(opts.data_paths(), exclude=output)
    elsewhere: dict[str, str] = {}
    ids: dict[str, str] = {}
    for call in catalog.calls if catalog is not None else []:
        where = where_of(call.origin)
        ids[call.id.casefold()] = where
        if call.source_id:
            elsewhere.setdefault(call.source_id, f"{where} as {call.id!r}")
    return elsewhere, ids


def _print_report(report: Report, dry_run: bool) -> None:
    from callwatch.output.render import warn

    target = f" → {report.target}" if report.target else ""
    note = " (dry run: nothing written)" if dry_run else ""
    warn(f"{Path(report.batch.file).name}: {report.summary()}{target}{note}")
    for o in report.outcomes:
        if o.action == "updated":
            warn(f"updated {o.call_id} ({o.where}): {', '.join(o.fields)}")
        for warning in o.warnings:
            warn(f"warning {o.where} ({o.call_id}): {warning}")
    for s in report.skipped:
        what = f" {s.title!r}" if s.title else ""
        warn(f"skipped {s.where}{what}: {s.reason}")
