"""Fitting a table into a terminal of a known width, the same way for Rich and plain text.

Why our own layout rather than Rich's: Rich shrinks every column in proportion,
so ids fold into two-letter strips and narrow columns lose their border off the
right edge without a sign. Here the rules are issue 14's (docs/output.md):

- columns have a priority (0: must be shown); when space runs out the
  least important column is dropped whole, and the caller says which;
- only *flexible* columns (titles, explanations) shrink: their words wrap, at
  most ``lines`` lines, the last ending with "…"; other cells (ids, dates)
  are never cut nor wrapped;
- when the priority-0 columns cannot fit side by side, each row becomes a
  stacked record (its key on a line of its own, then ``Header  value`` lines).

Everything here is pure: text in, lines of (text, style) pieces out.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

ELLIPSIS = "…"
MIN_FLEX = 12  # a flexible column narrower than this is not worth showing
COMFORT = 30  # optional columns are dropped before a title gets narrower than this
GAP = 2  # spaces between plain columns


class Cell(NamedTuple):
    """A piece of text and its style on a terminal (a tuple: tables make thousands)."""

    text: str
    style: str | None = None


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    justify: str = "left"  # left | right
    wrap: bool = False  # flexible: takes the free width, its words wrap
    priority: int = 0  # 0 must be shown; the highest number is dropped first
    lines: int | None = None  # flexible cells: at most this many lines ("…" after)
    key: bool = False  # names the row in stacked records (the id)
    breakable: bool = False  # short values that may break once at a space when narrow
    least: int = 0  # a title narrower than this is not worth showing (0: MIN_FLEX)

    @property
    def flexible(self) -> bool:
        return self.wrap or self.breakable


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
            # lazy: Rich (its emoji data) only for an emoji sequence; plain output loads none
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


def cut(text: str, size: int) -> str:
    """*text* in at most *size* cells, ending with "…" when something was left out."""
    if width(text) <= size:
        return text
    return text[: _fitting(text, size - 1)].rstrip() + ELLIPSIS


def _fitting(text: str, size: int) -> int:
    """How many characters of *text*, from its start, fit in *size* cells: one pass
    adding up each character's cells (measuring every prefix again was quadratic)."""
    try:
        text.encode("latin-1")  # one cell per character, as width() counts it
    except UnicodeEncodeError:
        pass
    else:
        return max(min(size, len(text)), 0)
    used, end = 0, len(text)
    for at, char in enumerate(text):
        used += width(char)
        if used > size:
            end = at
            break
    while end and width(text[:end]) > size:  # an emoji sequence counts more than its parts
        end -= 1
    return end


# French sets these apart with a space that must not break ("exigé : …", "« mot »"):
# cleaned text has only plain spaces left, so wrapping ties them to their word.
_TIED_BEFORE = tuple(":;!?»")
_TIED_AFTER = "«"


def words(paragraph: str) -> list[str]:
    """The units a line may break between: words, with French punctuation tied on."""
    out: list[str] = []
    for word in paragraph.split(" "):
        if not word:
            continue
        if out and (word.startswith(_TIED_BEFORE) or out[-1] == _TIED_AFTER):
            out[-1] += " " + word
        else:
            out.append(word)
    return out


def wrap(text: str, size: int, limit: int | None = None, *, fold: bool = False) -> list[str]:
    """Lines of at most *size* cells, broken between words only (:func:`words`).

    A word longer than a line is shortened with "…" (it cannot be shown whole), or
    with *fold* broken across lines, whole (a link in a detail view is copied, not
    read); past *limit* lines the last kept line ends with "…".
    """
    size = max(size, 1)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in words(paragraph):
            if width(word) <= size:
                pieces = [word]
            else:
                pieces = _folded(word, size) if fold else [cut(word, size)]
            for piece in pieces:
                candidate = f"{line} {piece}" if line else piece
                if width(candidate) <= size:
                    line = candidate
                else:
                    lines.append(line)
                    line = piece
        lines.append(line)
    if limit is not None and len(lines) > limit:
        lines = lines[:limit]
        last = lines[-1]
        lines[-1] = last + ELLIPSIS if width(last) < size else cut(last + ELLIPSIS, size)
    return lines


def _folded(word: str, size: int) -> list[str]:
    """*word* in pieces of at most *size* cells, nothing left out."""
    pieces = []
    while word:
        end = max(_fitting(word, size), 1)  # a character wider than the line still goes
        pieces.append(word[:end])
        word = word[end:]
    return pieces or [""]


@dataclass(frozen=True, slots=True)
class Fitted:
    """The columns kept (indices, in display order), their widths, and those dropped."""

    kept: list[int]
    widths: list[int]
    dropped: list[int]


def natural(columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> list[int]:
    """Each column's width when nothing is shortened (headers included)."""
    out = []
    for i, column in enumerate(columns):
        measured = {r[i] for r in rows}
        longest = max((width(line) for t in measured for line in t.split("\n")), default=0)
        out.append(max(width(column.header), longest))
    return out


def fit(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], total: int, *, boxed: bool
) -> Fitted | None:
    """Which columns fit in *total* cells and how wide each is; None: use stacked records.

    *boxed*: Rich's table, with a border and a padding cell either side of every
    column (3 cells per column and one more); plain text puts :data:`GAP` spaces
    between columns.
    """
    full = natural(columns, rows)
    least = [_least(c, [r[i] for r in rows], full[i]) for i, c in enumerate(columns)]
    comfy = [
        min(full[i], max(least[i], COMFORT)) if c.wrap else least[i] for i, c in enumerate(columns)
    ]

    def frame(n: int) -> int:
        return 3 * n + 1 if boxed else GAP * max(n - 1, 0)

    kept = [i for i, c in enumerate(columns) if c.priority == 0]
    if sum(least[k] for k in kept) + frame(len(kept)) > total:
        return None
    dropped: list[int] = []
    for i in sorted(
        (i for i, c in enumerate(columns) if c.priority), key=lambda i: (columns[i].priority, i)
    ):
        if sum(comfy[k] for k in kept) + comfy[i] + frame(len(kept) + 1) <= total:
            kept.append(i)
        else:
            dropped.append(i)
    kept.sort()
    sizes = {i: least[i] for i in kept}
    spare = total - frame(len(kept)) - sum(sizes.values())
    # A short value (date, verdict) that can fit on one line gets its whole width before
    # titles grow: a title shortened with "…" reads better than a date on two lines.
    for i in kept:
        if columns[i].breakable and full[i] - sizes[i] <= spare:
            spare -= full[i] - sizes[i]
            sizes[i] = full[i]
    _share(sizes, kept, full, spare)
    return Fitted(kept, [sizes[i] for i in kept], sorted(dropped))


def _share(sizes: dict[int, int], among: Sequence[int], full: Sequence[int], spare: int) -> None:
    """Widen the columns *among* towards their natural width, in proportion to what each
    lacks, with at most *spare* cells."""
    wanting = [i for i in among if full[i] > sizes[i]]
    need = sum(full[i] - sizes[i] for i in wanting)
    if need <= spare:
        for i in wanting:
            sizes[i] = full[i]
        return
    given = 0
    for i in wanting:
        share = (full[i] - sizes[i]) * spare // need
        sizes[i] += share
        given += share
    for i in wanting[: spare - given]:  # the cells rounding left over
        sizes[i] += 1


def _least(column: Column, texts: Sequence[str], full: int) -> int:
    """The narrowest a column may get: fixed columns never shrink, breakable ones down to
    two lines, titles down to their ``least`` (:data:`MIN_FLEX` cells)."""
    if column.breakable:
        return max(_two_lines(t) for t in {*texts, column.header})
    if column.wrap:
        return min(full, max(width(column.header), column.least or MIN_FLEX))
    return full


def _two_lines(text: str) -> int:
    """The narrowest width at which *text* wraps to at most two lines (a short value
    broken further, "≈ / conditions / only", no longer reads as one)."""
    units = words(text)
    return min(
        max(width(" ".join(units[:k])), width(" ".join(units[k:]))) for k in range(len(units) + 1)
    )


def cell_lines(column: Column, text: str, size: int) -> list[str]:
    """A cell's lines in a column *size* cells wide."""
    if column.flexible:
        return wrap(text, size, column.lines)
    return text.split("\n")


def plain_rows(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], fitted: Fitted
) -> list[str]:
    """Aligned plain lines: header, then each row (wrapped cells continue below)."""
    out: list[str] = []
    for texts in ([c.header for c in columns], *rows):
        parts = [
            cell_lines(columns[i], texts[i], w)
            for i, w in zip(fitted.kept, fitted.widths, strict=True)
        ]
        for n in range(max(len(p) for p in parts)):
            line = []
            for (i, w), part in zip(
                zip(fitted.kept, fitted.widths, strict=True), parts, strict=True
            ):
                piece = part[n] if n < len(part) else ""
                pad = " " * (w - width(piece))
                line.append(pad + piece if columns[i].justify == "right" else piece + pad)
            out.append((" " * GAP).join(line).rstrip())
    return out


def unbounded_rows(columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> list[str]:
    """One record per line, aligned, nothing shortened (the width is unknown).

    Callers put their longest column (the title) last, so no line is padded to it.
    """
    heads = [c.header for c in columns]
    sizes = natural(columns, [heads, *rows])
    out = []
    for texts in (heads, *rows):
        line = []
        for column, size, text in zip(columns, sizes, texts, strict=True):
            pad = " " * (size - width(text))
            line.append(pad + text if column.justify == "right" else text + pad)
        out.append((" " * GAP).join(line).rstrip())
    return out


def stacked(
    columns: Sequence[Column], rows: Sequence[Sequence[Cell]], total: int
) -> list[list[Cell]]:
    """Each row as a record: its key on its own line, then ``Header  value`` lines.

    A key longer than the terminal is still printed whole (an id is never cut);
    every other line fits in *total* cells.
    """
    key = next((i for i, c in enumerate(columns) if c.key), 0)
    pad = max((width(c.header) for i, c in enumerate(columns) if i != key), default=0) + 2
    indent = 2
    out: list[list[Cell]] = []
    for n, row in enumerate(rows):
        if n:
            out.append([])
        out.append([Cell(row[key].text, "bold")])
        for i, column in enumerate(columns):
            if i == key or not row[i].text:
                continue
            label = " " * indent + column.header
            label += " " * (indent + pad - width(label))
            room = total - indent - pad
            if room < MIN_FLEX:  # no room beside the label: the value goes under it
                out.append([Cell(" " * indent + column.header, "dim")])
                label, room = " " * (2 * indent), total - 2 * indent
            texts = wrap(row[i].text, room, fold=True)
            out.append([Cell(label, "dim"), Cell(texts[0], row[i].style)])
            out.extend([Cell(" " * width(label)), Cell(t, row[i].style)] for t in texts[1:])
    return out
