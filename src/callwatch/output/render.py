"""Output for people and for programs.

On a terminal: Rich tables with an urgency colour. Piped, or with ``NO_COLOR``:
plain aligned text (and Rich is not even imported). ``--json``: a stable,
documented shape (docs/json.md). Data always goes in as plain text, never as
markup.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from callwatch.domain.text import clean, json_safe
from callwatch.i18n import current_lang, localize, t
from callwatch.output import layout
from callwatch.output.layout import Cell, Column, width

__all__ = ["Cell", "Column", "width"]


def plain_wanted(stream: TextIO | None = None) -> bool:
    """Plain text unless writing to a terminal that may show colour.

    ``FORCE_COLOR`` forces the terminal rendering (useful in tests and pagers).
    """
    if os.environ.get("NO_COLOR"):
        return True
    if os.environ.get("FORCE_COLOR"):
        return False
    if os.environ.get("TERM") == "dumb":
        return True
    stream = stream or sys.stdout
    try:
        return not stream.isatty()
    except (AttributeError, ValueError):
        return True


def terminal_width(stream: TextIO | None = None) -> int | None:
    """The width plain text should fit: ``$COLUMNS``, else the terminal's; None when unknown
    (a pipe), and then tables stay one record per line."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    stream = stream or sys.stdout
    try:
        if stream.isatty():
            return os.get_terminal_size(stream.fileno()).columns or None
    except (AttributeError, ValueError, OSError):
        return None
    return None


def table(
    columns: Sequence[Column], rows: Sequence[Sequence[Cell]], title: str | None = None
) -> tuple[int, ...]:
    """Print a table that fits the terminal: Rich on a terminal, aligned plain text otherwise.

    Columns that do not fit are dropped whole and named in a note after the table
    (:func:`callwatch.output.layout.fit`); their indexes are returned, so that a caller
    whose footnote explains a dropped column's mark can say it otherwise.
    """
    safe = [[Cell(clean(c.text), c.style) for c in row] for row in rows]
    texts = [[c.text for c in row] for row in safe]
    out = sys.stdout
    if plain_wanted():
        total = terminal_width()
        if title:
            out.write(clean(title) + "\n")
        if total is None:
            out.write("\n".join(layout.unbounded_rows(columns, texts)) + "\n")
            return ()
        fitted = layout.fit(columns, texts, total, boxed=False)
        if fitted is None:
            _write_records(layout.stacked(columns, safe, total))
            return ()
        out.write("\n".join(layout.plain_rows(columns, texts, fitted)) + "\n")
    else:
        con = console()
        fitted = layout.fit(columns, texts, con.width, boxed=True)
        if fitted is None:
            if title:
                _rich_title(con, title)
            _write_records(layout.stacked(columns, safe, con.width))
            return ()
        _rich_table(con, columns, safe, fitted, title)
    if fitted.dropped:
        hidden = ", ".join(columns[i].header for i in fitted.dropped)
        note(t("hidden_columns", _lang(), names=hidden))
    return tuple(fitted.dropped)


def note(text: str) -> None:
    """A footnote (after a table, a legend): wrapped at the terminal's width when it is
    known, so a narrow terminal does not cut it mid-word; one line when piped."""
    text = clean(text)
    if plain_wanted():
        total = terminal_width()
        sys.stdout.write("\n".join([text] if total is None else layout.wrap(text, total)) + "\n")
        return
    # lazy: Rich only on a terminal (pipes, --json and cron load none)
    from rich.text import Text

    con = console()
    for line in layout.wrap(text, con.width):
        con.print(Text(line, style="dim"), no_wrap=True, crop=False, overflow="ignore")


def _colon() -> str:
    """``:`` after a label, `` :`` in French (a space before the colon)."""
    return t("colon", _lang()).rstrip()


def _lang() -> str:
    return current_lang()


def _write_records(records: list[list[Cell]]) -> None:
    """Stacked records (:func:`callwatch.output.layout.stacked`), styled on a terminal."""
    if plain_wanted():
        sys.stdout.write("".join("".join(c.text for c in r).rstrip() + "\n" for r in records))
        return
    # lazy: Rich only on a terminal (pipes, --json and cron load none)
    from rich.text import Text

    con = console()
    for record in records:
        line = Text()
        for cell in record:
            line.append(cell.text, style=cell.style or "")
        con.print(line, no_wrap=True, crop=False, overflow="ignore")


def _rich_title(con: Any, title: str) -> None:
    # lazy: Rich only on a terminal (pipes, --json and cron load none)
    from rich.text import Text

    con.print(Text(clean(title), style="italic"))


def _rich_table(
    con: Any,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    fitted: layout.Fitted,
    title: str | None,
) -> None:
    # lazy: Rich only on a terminal (pipes, --json and cron load none)
    from rich.table import Table
    from rich.text import Text

    grid = Table(title=Text(title) if title else None, header_style="bold", title_justify="left")
    for i, size in zip(fitted.kept, fitted.widths, strict=True):
        c = columns[i]
        grid.add_column(
            c.header,
            justify="right" if c.justify == "right" else "left",
            width=size,
            min_width=size,
            max_width=size,
            no_wrap=True,
            overflow="crop",
        )
    for row in rows:
        grid.add_row(
            *(
                Text(
                    "\n".join(layout.cell_lines(columns[i], row[i].text, size)), row[i].style or ""
                )
                for i, size in zip(fitted.kept, fitted.widths, strict=True)
            )
        )
    con.print(grid)


def console(stderr: bool = False) -> Any:
    """A Rich console that never interprets data as markup, emoji codes or highlights."""
    # lazy: Rich only on a terminal (pipes, --json and cron load none)
    from rich.console import Console

    return Console(
        file=sys.stderr if stderr else sys.stdout,
        markup=False,
        emoji=False,
        highlight=False,
        no_color=bool(os.environ.get("NO_COLOR")),
    )


def lines(texts: Sequence[str]) -> None:
    """Plain lines of already composed text, cleaned."""
    out = sys.stdout
    for text in texts:
        out.write(clean(text, multiline=True) + "\n")


def styled_lines(rows: Sequence[Sequence[Cell]]) -> None:
    """Lines made of styled pieces (a coloured mark, then text); plain when piped.

    Each piece is cleaned, but its leading and trailing spaces (indentation,
    separators) are kept. When the terminal's width is known, a row's last piece wraps
    between words under its own start (a hanging indent), so a long explanation is not
    cut by the terminal nor run back to the left margin.
    """
    safe = [[Cell(_keep_spaces(c.text), c.style) for c in row] for row in rows]
    if plain_wanted():
        total = terminal_width()
        lines = (
            [list(row) for row in safe]
            if total is None
            else [line for row in safe for line in _hanging(row, total)]
        )
        sys.stdout.write("".join("".join(c.text for c in line).rstrip() + "\n" for line in lines))
        return
    # lazy: Rich only on a terminal (pipes, --json and cron load none)
    from rich.text import Text

    out = console()
    for row in safe:
        for pieces in _hanging(row, out.width):
            line = Text()
            for cell in pieces:
                line.append(cell.text, style=cell.style or "")
            out.print(line, no_wrap=True, crop=False, overflow="ignore")


def _hanging(row: Sequence[Cell], total: int) -> list[list[Cell]]:
    """*row* as lines of at most *total* cells: its last piece wrapped under its start."""
    if not row:
        return [[]]
    *head, last = row
    indent = sum(layout.width(c.text) for c in head)
    if indent + layout.width(last.text) <= total or total - indent < layout.MIN_FLEX:
        return [list(row)]
    lead = last.text[: len(last.text) - len(last.text.lstrip(" "))]
    words = layout.words(last.text.strip(" "))
    room = total - indent - len(lead)  # on the first line, after the row's head
    used, fit = -1, 0  # the words that fit on the first line, each after one space
    for word in words:
        used += 1 + layout.width(word)
        if used > room:
            break
        fit += 1
    taken, words = words[:fit], words[fit:]
    indent += len(lead)
    rest = " ".join(words)
    if max((layout.width(w) for w in words), default=0) > total - indent:
        indent = min(indent, HANGING)  # a word would not fit under the text: a shallower indent
    first = [*head, Cell(lead + " ".join(taken), last.style)]
    more = [
        [Cell(" " * indent), Cell(part, last.style)]
        for part in (layout.wrap(rest, total - indent, fold=True) if rest else [])
    ]
    return [first, *more]


HANGING = 8  # cells of indent under a row whose text starts too far right to wrap under it


def _keep_spaces(text: str) -> str:
    body = clean(text)
    if not body:
        return " " * len(text) if not text.strip(" ") else ""
    return (
        " " * (len(text) - len(text.lstrip(" "))) + body + " " * (len(text) - len(text.rstrip(" ")))
    )


def json_text(data: Any) -> str:
    """Every JSON document callwatch writes: UTF-8 text, indented, keys in the documented
    order; controls and format characters escaped (:func:`callwatch.domain.text.json_safe`)."""
    return json_safe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


def emit_json(data: Any) -> None:
    sys.stdout.write(json_text(data))


def warn(message: str) -> None:
    """A one-line message on stderr (already composed; control characters removed), in
    the reader's language (:func:`callwatch.i18n.localize`)."""
    sys.stderr.write(clean(localize(message)) + "\n")


def heading(text: str, tag: str = "", style: str | None = None) -> None:
    """The first line of a detail view: the thing's name, and a status tag."""
    text, tag = clean(text), clean(tag)
    plain = f"{text} {tag}".rstrip()
    if plain_wanted():
        total = terminal_width()
        lines = [plain] if total is None else _heading_lines(plain, total)
        sys.stdout.write("\n".join(lines) + "\n\n")
        return
    # lazy: Rich only on a terminal (pipes, --json and cron load none)
    from rich.text import Text

    whole = Text(text, style="bold")
    if tag:
        whole.append(" ")
        whole.append(tag, style=style or "")
    con = console()
    start = 0
    for line in _heading_lines(plain, con.width):  # each a piece of *plain*, in order
        start = plain.index(line, start)
        con.print(whole[start : start + len(line)], no_wrap=True, crop=False, overflow="ignore")
        start += len(line)
    con.print()


def _heading_lines(plain: str, total: int) -> list[str]:
    """A heading wrapped at *total* cells, its first word (the id) never cut nor broken:
    longer than the line, it has a line of its own."""
    name, _, rest = plain.partition(" ")
    if width(name) > total:
        return [name, *(layout.wrap(rest, total, fold=True) if rest else [])]
    return layout.wrap(plain, total, fold=True)


def fields(pairs: Sequence[tuple[str, str]], title: str | None = None) -> None:
    """Label/value lines, aligned; values may wrap on a terminal."""
    if not pairs:
        return
    safe = [(clean(k), clean(v)) for k, v in pairs]
    if plain_wanted():
        out = sys.stdout
        if title:
            out.write(clean(title) + "\n")
        pad = max(width(k) for k, _ in safe) + len(_colon()) + 2
        total = terminal_width()
        colon = _colon()
        for k, v in safe:
            parts = (
                [v]
                if total is None
                else layout.wrap(v, max(total - pad, layout.MIN_FLEX), fold=True)
            )
            label = k + colon
            out.write(f"{label}{' ' * (pad - width(label))}{parts[0]}\n")
            out.write("".join(f"{' ' * pad}{part}\n" for part in parts[1:]))
        out.write("\n")
        return
    # lazy: Rich only on a terminal (pipes, --json and cron load none)
    from rich.table import Table
    from rich.text import Text

    # Wrapped here, not by Rich: the same breaks as plain text (French ":" tied to its word).
    room = max(console().width - max(width(k) for k, _ in safe) - 2, layout.MIN_FLEX)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(no_wrap=True, overflow="ignore")
    for k, v in safe:
        grid.add_row(Text(k), Text("\n".join(layout.wrap(v, room, fold=True))))
    if title:
        console().print(Text(clean(title), style="bold underline"))
    console().print(grid)
    console().print()


def paragraph(title: str, body: str) -> None:
    """A titled block of multi-line text (descriptions)."""
    text = clean(body, multiline=True)
    if plain_wanted():
        total = terminal_width()
        if total is not None:
            text = "\n".join(layout.wrap(text, total, fold=True))
        sys.stdout.write(f"{clean(title)}\n{text}\n\n")
        return
    # lazy: Rich only on a terminal (pipes, --json and cron load none)
    from rich.text import Text

    console().print(Text(clean(title), style="bold underline"))
    console().print(Text(text))
    console().print()
