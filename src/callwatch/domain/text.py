"""Untrusted text made safe to show.

Call titles and descriptions come from files and portals we do not control.
They are shown, never interpreted: escape sequences and control characters are
removed (they could recolour or move the terminal, or fake output), bidi
overrides too (they reorder what the reader sees). Rich markup is never parsed
from data: renderers pass data as ``rich.text.Text``, not as markup strings.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), and other two-byte escapes.
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?")
# C0 (except tab and newline), DEL, C1, and bidi / zero-width controls.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
# Anything the slow path of :func:`clean` would change on one line.
_WORK = re.compile(
    r"[\x00-\x1f\x7f-\x9f\xa0\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]|  "
)
_BLANKS = re.compile(r"[ \t\r\n\f\v\u00a0\u2028\u2029]+")


def clean(text: str | None, *, multiline: bool = False) -> str:
    """Strip escapes and control characters; fold all white space unless *multiline*."""
    if not text:
        return ""
    if not multiline:
        # The usual case, checked at C speed: nothing to strip or fold. Every
        # character _WORK looks for is one str.isprintable() refuses.
        if text.isprintable():
            if "  " not in text and text[0] != " " and text[-1] != " ":
                return text
        elif not _WORK.search(text) and text == text.strip():
            return text
    return _clean(text, multiline)


def _clean(text: str, multiline: bool) -> str:
    text = _ANSI.sub("", text)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
        text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
        text = _CONTROL.sub("", text)
        lines = [" ".join(line.split()) for line in text.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    text = _BLANKS.sub(" ", text)
    return _CONTROL.sub("", text).strip()


_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"})


def fold(text: str) -> str:
    """Case- and accent-free form for matching: "Région" and "region" compare equal, and
    so do "Œuvre" and "oeuvre" (Unicode does not decompose the ligatures)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def suggest(name: str, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when *name* looks like a typo of a known name, else ``""``."""
    hint = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean {hint[0]!r}?)" if hint else ""
