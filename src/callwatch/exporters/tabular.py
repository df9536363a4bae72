"""Deadlines as JSON or CSV: one row per round (docs/export.md).

The row is the same dict in both formats; CSV joins lists with ``"; "``. A
CSV is made to be opened in a spreadsheet, where a cell starting with ``=``,
``+``, ``-`` or ``@`` is a formula: text cells that start so get a leading
apostrophe, as OWASP recommends, so a hostile title cannot run anything.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from callwatch.domain.clock import Clock, iso
from callwatch.domain.text import clean
from callwatch.exporters import Context, Item
from callwatch.output.render import json_text
from callwatch.output.views import round_json

EXPORT_SCHEMA = "callwatch.export/1"

COLUMNS = (
    "call_id",
    "title",
    "label",
    "date",
    "time",
    "timezone",
    "all_day",
    "closes_at",
    "opens",
    "recurring",
    "status",
    "days_left",
    "url",
    "programme",
    "funders",
    "territory",
    "beneficiaries",
    "source_id",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def row(item: Item, clock: Clock) -> dict[str, Any]:
    """The exported fields of one round, in :data:`COLUMNS` order."""
    call = item.call
    out: dict[str, Any] = {"call_id": call.id, "title": call.title}
    out.update(round_json(item.round, clock))
    out.update(
        {
            "url": call.url,
            "programme": call.programme,
            "funders": list(call.funders),
            "territory": list(call.territory),
            "beneficiaries": list(call.beneficiaries),
            "source_id": call.source_id,
        }
    )
    return {key: out[key] for key in COLUMNS}


def to_json(items: Sequence[Item], ctx: Context) -> bytes:
    """The ``callwatch.export/1`` document (docs/json.md)."""
    document = {
        "schema": EXPORT_SCHEMA,
        "now": iso(ctx.clock.now),
        "until": None if ctx.until is None else iso(ctx.until),
        "rounds": [row(i, ctx.clock) for i in items],
    }
    return json_text(document).encode("utf-8")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = "; ".join(clean(v) for v in value) if isinstance(value, list) else clean(str(value))
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(items: Sequence[Item], ctx: Context) -> bytes:
    """One row per round, the columns of the JSON export; cells safe for spreadsheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for item in items:
        values = row(item, ctx.clock)
        writer.writerow([_cell(values[key]) for key in COLUMNS])
    return buffer.getvalue().encode("utf-8")
