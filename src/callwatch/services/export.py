"""``callwatch export``: the selected rounds as a calendar (.ics) or a table (JSON, CSV)."""

from __future__ import annotations

import sys
from pathlib import Path

from callwatch.domain.errors import Exit
from callwatch.exporters import Context, export_rounds
from callwatch.i18n import ngettext
from callwatch.output.render import warn
from callwatch.services.env import Env, loaded
from callwatch.services.filtering import FilterLists, scope
from callwatch.services.formats import choose
from callwatch.store.atomic import check_output, write_user_file


def export(
    env: Env,
    window: str | None,
    due: bool,
    include_closed: bool,
    filters: FilterLists,
    fmt: str | None,
    output: Path | None,
    call_ids: list[str] | None = None,
    *,
    force: bool = False,
) -> Exit:
    """Write the rounds to *output* (atomically) or standard output, in the chosen format;
    with *call_ids*, only those calls' rounds. An existing *output* is replaced only with
    *force*, and never when it is one of the calls files read
    (:func:`callwatch.store.atomic.check_output`)."""
    chosen = choose(fmt, output)
    s = scope(env, window, due, filters)
    if output is not None:
        check_output(output, force=force, read=s.catalog.files)
    calls = [s.catalog.require(i) for i in call_ids] if call_ids else s.catalog.calls
    items = export_rounds(
        calls, s.clock, until=s.until, include_closed=include_closed, filters=s.filters
    )
    payload = chosen.write(items, Context(s.clock, s.language, s.until))
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
