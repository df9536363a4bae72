"""Merging a batch of portal records into the user's calls file: what ``import``
and ``fetch`` share (same report, same merge by source id, atomic write)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from callwatch.domain.errors import CallwatchError, Exit
from callwatch.files.authoring import user_catalog
from callwatch.files.callsfile import where as where_of
from callwatch.files.loading import read_calls_toml
from callwatch.i18n import N_
from callwatch.importers import Batch
from callwatch.importers.merge import Report, merge
from callwatch.store.atomic import refuse_target, write_user_file


def check_json_target(as_json: bool, output: Path | None, dry_run: bool) -> None:
    """``--json`` prints the report: the calls need a file (or nothing to write)."""
    if as_json and output is None and not dry_run:
        raise CallwatchError(
            N_("--json prints the report on standard output: give -o CALLS.toml or --dry-run"),
            Exit.USAGE,
        )


def merge_into(
    batch: Batch,
    output: Path | None,
    *,
    dry_run: bool,
    data_paths: list[str | Path] | None,
    seen_on: date | None = None,
    complete: bool = False,
) -> Report:
    """Merge *batch* into *output* (or print the new calls as TOML when there is none)."""
    text, parsed = "", None
    if output is not None:
        refuse_target(output)  # before reading it: a FIFO would block, a device be replaced
    if output is not None and output.exists():
        text, parsed = read_calls_toml(output)
    elsewhere, other_ids = user_data(data_paths, output)
    result, report = merge(
        batch,
        text,
        None if output is None else str(output),
        elsewhere=elsewhere,
        other_ids=other_ids,
        seen_on=seen_on,
        complete=complete,
        parsed=parsed,
    )
    if output is None:
        if not dry_run:
            sys.stdout.write(result)
    elif not dry_run and result != text:  # nothing new: the file is not even touched
        write_user_file(output, result.encode("utf-8"))
    return report


def user_data(
    data_paths: list[str | Path] | None, output: Path | None
) -> tuple[dict[str, str], dict[str, str]]:
    """Source ids and ids in the user's other calls files (see docs/import.md).

    Only data the user configured (--data, $CALLWATCH_DATA) counts: the shipped
    calls are an alternative to the user's own files, never loaded with them.
    """
    catalog = user_catalog(data_paths, exclude=output)
    elsewhere: dict[str, str] = {}
    ids: dict[str, str] = {}
    for call in catalog.calls if catalog is not None else []:
        where = where_of(call.origin)
        ids[call.id.casefold()] = where
        if call.source_id:
            elsewhere.setdefault(
                call.source_id, N_("{where} as {ident!r}").format(where=where, ident=call.id)
            )
    return elsewhere, ids
