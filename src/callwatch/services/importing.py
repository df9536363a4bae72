"""``callwatch import PORTAL FILE``: calls from a portal's file, merged into a calls file."""

from __future__ import annotations

import sys
from pathlib import Path

from callwatch.domain.errors import CallwatchError, Exit
from callwatch.files.authoring import user_catalog
from callwatch.files.callsfile import where as where_of
from callwatch.files.loading import read_toml
from callwatch.importers.merge import Report, merge
from callwatch.output.render import emit_json, warn
from callwatch.services.env import Env
from callwatch.services.portals import PORTALS
from callwatch.store.atomic import write_user_file


def import_calls(
    env: Env,
    portal: str,
    source: Path,
    output: Path | None,
    *,
    dry_run: bool,
    as_json: bool,
    flags: dict[str, bool] | None = None,
) -> None:
    """Read *source* with the *portal*'s reader and merge its calls into *output* (or print)."""
    if as_json and output is None and not dry_run:
        raise CallwatchError(
            "--json prints the report on standard output: give -o CALLS.toml or --dry-run",
            Exit.USAGE,
        )
    batch = PORTALS[portal].read(source, **(flags or {}))
    text = ""
    if output is not None and output.exists():
        text, _parsed = read_toml(output)
    elsewhere, other_ids = _user_data(env, output)
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
        write_user_file(output, result.encode("utf-8"))
    if as_json:
        emit_json(report.to_json(dry_run))
    else:
        _print_report(report, dry_run)


def _user_data(env: Env, output: Path | None) -> tuple[dict[str, str], dict[str, str]]:
    """Source ids and ids in the user's other calls files (see docs/import.md).

    Only data the user configured (--data, $CALLWATCH_DATA) counts: the shipped
    calls are an alternative to the user's own files, never loaded with them.
    """
    catalog = user_catalog(env.data_paths(), exclude=output)
    elsewhere: dict[str, str] = {}
    ids: dict[str, str] = {}
    for call in catalog.calls if catalog is not None else []:
        where = where_of(call.origin)
        ids[call.id.casefold()] = where
        if call.source_id:
            elsewhere.setdefault(call.source_id, f"{where} as {call.id!r}")
    return elsewhere, ids


def _print_report(report: Report, dry_run: bool) -> None:
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
