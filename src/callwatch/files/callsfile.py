"""Writing calls files: appending new ``[[calls]]`` tables and checking the result.

Shared by ``import`` (new records) and ``add`` (one call). The existing text is
never re-rendered here: new tables are rendered with tomli-w and appended after
it, separated by one blank line, in the file's own line endings. Before any
write, :func:`check_loads` proves that the whole new text still parses and
that every call just written loads, so a bad edit never reaches the disk.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from callwatch.domain.errors import CallwatchError, Exit
from callwatch.domain.model import Origin
from callwatch.files.loading import parse_calls, parse_calls_text, table_problems
from callwatch.i18n import N_


def calls_document(text: str, where: str) -> dict[str, Any]:
    """Parse a calls document whose ``calls`` must be an array of tables."""
    try:
        data = parse_calls_text(text)
    except tomllib.TOMLDecodeError as exc:
        raise CallwatchError(
            N_("invalid TOML: {message}").format(message=exc), Exit.DATA, file=where
        ) from None
    calls = data.get("calls", [])
    if not isinstance(calls, list) or not all(isinstance(c, dict) for c in calls):
        raise CallwatchError(
            N_("`calls` must be an array of tables ([[calls]])"), Exit.DATA, file=where
        )
    return data


def appendix(before: str, tables: list[dict[str, Any]]) -> str:
    """The text to append to *before* so that it ends with *tables* as ``[[calls]]``."""
    if not tables:
        return ""
    rendered = "\n".join(render_call(t) for t in tables)
    if not before.strip():
        return rendered
    newline = "\r\n" if "\r\n" in before else "\n"
    if newline != "\n":
        rendered = rendered.replace("\n", newline)
    if before.endswith(newline * 2):
        return rendered
    return (newline if before.endswith(newline) else newline * 2) + rendered


_SUB_HEADER = re.compile(r"^(\[\[?)", re.MULTILINE)


def render_call(table: dict[str, Any]) -> str:
    """One ``[[calls]]`` table, always in that form.

    ``tomli_w.dumps({"calls": [...]})`` would write a short call as an inline
    ``calls = [{ ... }]`` array, which cannot follow ``[[calls]]`` tables; so
    the table is rendered as a document of its own and its sub-tables
    (``[funding]``, ``[[criteria]]``) renamed under ``calls.``. Strings are
    written on one line, so a line starting with ``[`` can only be a header.
    """
    # lazy: tomli-w only to write a call (add, import), not to show one
    import tomli_w

    body = tomli_w.dumps(table, indent=2)
    return "[[calls]]\n" + _SUB_HEADER.sub(lambda m: m.group(1) + "calls.", body)


def check_loads(
    text: str, where: str, ids: list[str], expected: dict[str, dict[str, Any]] | None = None
) -> None:
    """Refuse (exit 65) a new file text in which a call just written would not load.

    *expected*: the tables as validated before they were written, by id; a call that
    reads back exactly so is known to load and is not validated again (an import of
    thousands of records validates each once).
    """
    data = calls_document(text, where)
    if expected is not None:
        tables = data.get("calls", [])
        written = {t.get("id"): t for t in tables if t.get("id") in expected}
        if all(written.get(i) == expected.get(i) for i in ids):
            return
    calls, problems = parse_calls(data, text, where)
    loaded = {c.id for c in calls}
    missing = [i for i in ids if i not in loaded]
    if missing:
        detail = "; ".join(p.message for p in problems[:3]) or N_("unknown reason")
        raise CallwatchError(
            N_("the new file would not load ({ids}): {detail}; nothing written").format(
                ids=", ".join(missing), detail=detail
            ),
            Exit.DATA,
            file=where,
        )


def call_problems(table: dict[str, Any]) -> list[str]:
    """Why *table* would not load from a calls file (empty when it would).

    The very checks of the loader: the schema, the semantic checks, the rules.
    """
    return table_problems(table)


def where(origin: Origin | None) -> str:
    """``file:line`` of a loaded call, as messages write it."""
    if origin is None:
        return "?"
    return origin.file if origin.line is None else f"{origin.file}:{origin.line}"
