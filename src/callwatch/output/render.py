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
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple, TextIO

from callwatch.domain.text import clean, json_safe


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


class Cell(NamedTuple):
    """A piece of text and its style on a terminal (a tuple: tables make thousands)."""

    text: str
    style: str | None = None


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    justify: str = "left"  # left | right
    wrap: bool = False  # the one column that takes the free width and folds
    max_width: int | None = None  # on a terminal, fold longer values (ids)


# Marks and invisible format characters take no cell of their own (a decomposed "é"
# is one cell); neither do the emoji skin-tone modifiers nor the Hangul medial and
# final jamo, which join the character before them.
_ZERO_WIDTH_CATEGORIES = frozenset({"Mn", "Me", "Mc", "Cf", "Cc"})


def width(text: str) -> int:
    """Terminal cells taken by *text*, as Rich counts them (``rich.cells.cell_len``, the
    test's oracle): wide East Asian characters and emoji take two, marks none."""
    if text.isascii():
        return len(text)
    try:
        text.encode("latin-1")  # French text: every character below U+0100, one cell each
    except UnicodeEncodeError:
        if "\ufe0f" in text:
            # An emoji presentation sequence ("❤️", "1️⃣") takes two cells when its base is
            # an emoji: only Rich carries Unicode's emoji data here (a rare case).
            from rich.cells import cell_len

            return cell_len(text)
        return sum(_char_width(c) for c in text)
    return len(text)


@lru_cache(maxsize=4096)
def _char_width(char: str) -> int:
    if unicodedata.category(char) in _ZERO_WIDTH_CATEGORIES and char != "\xad":
        return 0
    if "\U0001f3fb" <= char <= "\U0001f3ff" or "\u1160" <= char <= "\u11ff":
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def table(
    columns: Sequence[Column], rows: Sequence[Sequence[Cell]], title: str | None = None
) -> None:
    """Print a table: Rich on a terminal, aligned plain text otherwise."""
    if plain_wanted():
        _plain_table(columns, [[clean(c.text) for c in row] for row in rows], title)
    else:
        _rich_table(columns, [[Cell(clean(c.text), c.style) for c in row] for row in rows], title)


def _plain_table(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], title: str | None
) -> None:
    """Aligned columns, two spaces apart; each cell measured once, a column at a time."""
    out = sys.stdout
    if title:
        out.write(clean(title) + "\n")
    last = len(columns) - 1
    padded: list[Sequence[str]] = []
    for i, (column, texts) in enumerate(
        zip(columns, zip(*[[c.header for c in columns], *rows], strict=True), strict=True)
    ):
        # Each distinct text measured once: a column often repeats a few values.
        measured = {t: width(t) for t in set(texts)}
        sizes = [measured[t] for t in texts]
        widest = max(sizes)
        right = column.justify == "right"
        if i == last and not right:
            padded.append(texts)  # nothing after it: no padding
            continue
        align = str.rjust if right else str.ljust
        padded.append([align(t, widest - n + len(t)) for t, n in zip(texts, sizes, strict=True)])
    out.write("\n".join("  ".join(parts).rstrip() for parts in zip(*padded, strict=True)) + "\n")


def _rich_table(
    columns: Sequence[Column], rows: Sequence[Sequence[Cell]], title: str | None
) -> None:
    from rich.table import Table
    from rich.text import Text

    grid = Table(title=Text(title) if title else None, header_style="bold", title_justify="left")
    for c in columns:
        grid.add_column(
            c.header,
            justify="right" if c.justify == "right" else "left",
            overflow="fold" if c.wrap or c.max_width else "ellipsis",
            no_wrap=not (c.wrap or c.max_width),
            ratio=1 if c.wrap else None,
            min_width=20 if c.wrap else None,
            max_width=c.max_width,
        )
    for row in rows:
        grid.add_row(*(Text(cell.text, style=cell.style or "") for cell in row))
    console().print(grid)


def console(stderr: bool = False) -> Any:
    """A Rich console that never interprets data as markup, emoji codes or highlights."""
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
    separators) are kept.
    """
    safe = [[Cell(_keep_spaces(c.text), c.style) for c in row] for row in rows]
    if plain_wanted():
        sys.stdout.write("".join("".join(c.text for c in row).rstrip() + "\n" for row in safe))
        return
    from rich.text import Text

    out = console()
    for row in safe:
        line = Text()
        for cell in row:
            line.append(cell.text, style=cell.style or "")
        out.print(line)


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
    """A one-line message on stderr (already composed; control characters removed)."""
    sys.stderr.write(clean(message) + "\n")


def heading(text: str, tag: str = "", style: str | None = None) -> None:
    """The first line of a detail view: the thing's name, and a status tag."""
    text, tag = clean(text), clean(tag)
    if plain_wanted():
        sys.stdout.write(f"{text} {tag}".rstrip() + "\n\n")
        return
    from rich.text import Text

    line = Text(text, style="bold")
    if tag:
        line.append(" ")
        line.append(tag, style=style or "")
    console().print(line)
    console().print()


def fields(pairs: Sequence[tuple[str, str]], title: str | None = None) -> None:
    """Label/value lines, aligned; values may wrap on a terminal."""
    if not pairs:
        return
    safe = [(clean(k), clean(v)) for k, v in pairs]
    if plain_wanted():
        out = sys.stdout
        if title:
            out.write(clean(title) + "\n")
        pad = max(width(k) for k, _ in safe)
        for k, v in safe:
            out.write(f"{k}:{' ' * (pad - width(k))}  {v}\n")
        out.write("\n")
        return
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for k, v in safe:
        grid.add_row(Text(k), Text(v))
    if title:
        console().print(Text(clean(title), style="bold underline"))
    console().print(grid)
    console().print()


def paragraph(title: str, body: str) -> None:
    """A titled block of multi-line text (descriptions)."""
    text = clean(body, multiline=True)
    if plain_wanted():
        sys.stdout.write(f"{clean(title)}\n{text}\n\n")
        return
    from rich.text import Text

    console().print(Text(clean(title), style="bold underline"))
    console().print(Text(text))
    console().print()
