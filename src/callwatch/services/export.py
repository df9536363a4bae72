"""``callwatch export``: the selected rounds as a calendar (.ics) or a table (JSON, CSV)."""

from __future__ import annotations

import sys
from pathlib import Path

from callwatch.domain.errors import CallwatchError, Exit
from callwatch.exporters import export_rounds
from callwatch.exporters.ics import to_ics
from callwatch.exporters.tabular import to_csv, to_json
from callwatch.i18n import ngettext
from callwatch.output.render import warn
from callwatch.services.env import Env, loaded
from callwatch.services.filtering import FilterLists, scope
from callwatch.store.atomic import write_user_file

FORMATS = ("ics", "json", "csv")


def export(
    env: Env,
    window: str | None,
    due: bool,
    include_closed: bool,
    filters: FilterLists,
    fmt: str | None,
    output: Path | None,
    call_ids: list[str] | None = None,
) -> Exit:
    """Write the rounds to *output* (atomically) or standard output; with *call_ids*,
    only those calls' rounds."""
    kind = _format(fmt, output)
    s = scope(env, window, due, filters)
    calls = [s.catalog.require(i) for i in call_ids] if call_ids else s.catalog.calls
    items = export_rounds(
        calls, s.clock, until=s.until, include_closed=include_closed, filters=s.filters
    )
    if kind == "ics":
        payload = to_ics(items, s.clock.now, s.language)
    elif kind == "json":
        payload = to_json(items, s.clock, s.until)
    else:
        payload = to_csv(items, s.clock)
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
    else:
        write_user_file(output, payload)
        rounds = len(items)
        warn(
            f"{output}: "
            + ngettext("{n} round exported", "{n} rounds exported", rounds).format(n=rounds)
        )
    return loaded(s.catalog)


def _format(fmt: str | None, output: Path | None) -> str:
    if fmt is not None:
        kind = fmt.strip().lower()
        if kind not in FORMATS:
            raise CallwatchError(
                f"--format: unknown format {fmt!r}: expected one of {', '.join(FORMATS)}",
                Exit.USAGE,
            )
        return kind
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    return suffix if suffix in FORMATS else "ics"
