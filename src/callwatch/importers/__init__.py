"""Importers: public portals' records turned into calls (docs/import.md).

Each importer reads a file into a :class:`Batch`: the records it could turn
into a call table, and the records it skipped, each with its reason. Nothing
is dropped silently and no record can crash an import: a record the importer
cannot read becomes a :class:`Skip`. Every call table is validated exactly as
the loader validates a calls file before it is kept. Nothing here imports typer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from callwatch.domain.errors import CallwatchError, Exit
from callwatch.domain.text import clean, fold, link_problem
from callwatch.files.callsfile import call_problems
from callwatch.i18n import N_
from callwatch.store.atomic import read_regular


class Unreadable(Exception):
    """A record that cannot become a call; the message is the reason shown to the user."""


@dataclass
class Record:
    """One record turned into a call table (TOML-ready: dates are ``date`` objects)."""

    where: str  # "line 12" (CSV) or "record 3" (JSON): where to look in the source file
    table: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    # Earlier source ids of the same record (an Aides-territoires slug before its
    # numeric id was used): a call filed under one of them is this record's.
    aliases: tuple[str, ...] = ()

    @property
    def source_id(self) -> str:
        return str(self.table["source_id"])

    @property
    def call_id(self) -> str:
        return str(self.table["id"])


@dataclass(frozen=True)
class Skip:
    """A record left out, and why."""

    where: str
    reason: str
    source_id: str | None = None
    title: str | None = None


@dataclass
class Batch:
    """What one importer read from one file."""

    source: str  # "aides-territoires" | "eu-portal"
    file: str
    owned: frozenset[str]  # fields the portal supplies: a re-import overwrites only these
    cite: str  # text that a call's `sources` contains when it already cites the portal
    records: list[Record] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    read: int = 0

    def unmapped_perimeters(self) -> int:
        """Records whose perimeter could not be mapped to a territory code (kept as written)."""
        return sum(1 for r in self.records if "perimeter" in r.table and "territory" not in r.table)

    def take(
        self,
        where: str,
        build: Callable[[], Record],
        source_id: str | None = None,
        title: str | None = None,
    ) -> None:
        """Build one record; any failure becomes a skip with its reason, never a crash.

        The call table is validated later, by the merge, only when it is added or
        changes a call (:func:`record_problems`): a re-import of thousands of
        unchanged records validates none of them again.
        """
        self.read += 1
        try:
            record = build()
        except Unreadable as exc:
            self.skipped.append(Skip(where, str(exc), source_id, title))
        except Exception as exc:  # a hostile record must not stop the others
            reason = N_("unreadable record ({kind}: {detail})").format(
                kind=type(exc).__name__, detail=exc
            )
            self.skipped.append(Skip(where, reason, source_id, title))
        else:
            self.records.append(record)


def record_problems(table: dict[str, Any]) -> list[str]:
    """Why a record's call table would not load (the loader's own checks); never raises."""
    try:
        return call_problems(table)
    except Exception as exc:  # a hostile record must not stop the others
        return [
            N_("unreadable record ({kind}: {detail})").format(kind=type(exc).__name__, detail=exc)
        ]


# -- files --------------------------------------------------------------------


def read_text(path: Path, fallback: str | None = None) -> str:
    """A source file's text; a file that cannot be read stops the import (nothing to skip).

    UTF-8 (with or without a byte-order mark); when that fails and *fallback* is
    given (``cp1252``: a CSV re-saved by Excel on Windows), that encoding.
    """
    try:
        raw = read_regular(path)  # a FIFO is refused, not waited on
    except OSError as exc:
        raise CallwatchError(
            N_("cannot read: {reason}").format(reason=exc.strerror or exc), Exit.USAGE, file=path
        ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if fallback is not None:
            try:
                return raw.decode(fallback)
            except UnicodeDecodeError:
                pass
        line = raw[: exc.start].count(b"\n") + 1
        message = (
            N_("not UTF-8 text or {encoding}").format(encoding=fallback)
            if fallback
            else N_("not UTF-8 text")
        )
        raise CallwatchError(message, Exit.DATA, file=path, line=line) from None


def load_json(text: str, filename: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CallwatchError(
            N_("invalid JSON: {reason} (column {n})").format(reason=exc.msg, n=exc.colno),
            Exit.DATA,
            file=filename,
            line=exc.lineno,
        ) from None
    except RecursionError:  # nesting deeper than the parser's stack
        raise CallwatchError(
            N_("invalid JSON: nested too deeply to be an export"), Exit.DATA, file=filename
        ) from None
    except ValueError:  # an integer of more than 4,300 digits
        raise CallwatchError(
            N_("invalid JSON: a number with more than 4,300 digits"), Exit.DATA, file=filename
        ) from None


# -- text ---------------------------------------------------------------------

# fmt: off
_BLOCKS = frozenset({
    "address", "article", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "footer",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "pre", "section",
    "table", "td", "th", "tr", "ul",
})
# fmt: on
_HIDDEN = frozenset({"script", "style", "template", "head", "title"})


class _Text(HTMLParser):
    """Collects the text of an HTML fragment: block elements become line breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n- " if tag == "li" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (or of plain text): tags never survive.

    Paragraphs and list items become lines; runs of blanks fold to one space.
    What could still read as a tag (an unclosed ``<p``, an escaped ``&lt;b&gt;``)
    gets its ``<`` replaced by ``‹``, so no renderer can take it for markup.
    """
    if "<" in fragment or "&" in fragment:
        parser = _Text()
        parser.feed(fragment)
        parser.close()
        raw = "".join(parser.parts)
    else:  # plain text (most titles): the parser would hand it back as it is
        raw = fragment
    lines = (" ".join(line.split()) for line in raw.split("\n"))
    text = clean("\n".join(line for line in lines if line), multiline=True)
    return _TAG_START.sub("‹", text)


def as_line(value: Any) -> str:
    """A clean single line from an untrusted value (non-strings give an empty line)."""
    return clean(value) if isinstance(value, str) else ""


def split_labels(value: Any, sep: str = ";") -> list[str]:
    """``"Communes;Intercommunalités / Pays"`` or a JSON list → clean, unique labels."""
    if isinstance(value, str):
        raw: Iterable[Any] = value.split(sep)
    elif isinstance(value, list):
        raw = (v.get("name") if isinstance(v, dict) else v for v in value)
    else:
        raw = ()
    out: list[str] = []
    for item in raw:
        label = as_line(item)
        if label and label not in out:
            out.append(label)
    return out


_LABEL_SPACES = re.compile(r"\s+")


def label_key(label: str) -> str:
    """How labels are compared: case, accents, apostrophes and spacing do not matter."""
    text = fold(label).replace("’", "'").replace("‘", "'")
    return _LABEL_SPACES.sub(" ", text).strip()


def http_url(value: Any) -> str | None:
    """*value* when it is a usable http(s) address (as the calls format requires)."""
    if isinstance(value, str) and re.fullmatch(r"https?://\S+", value.strip()):
        url = value.strip()
        return url if link_problem(url) is None else None
    return None
