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
_BLANKS = re.compile(r"[ \t\r\n\f\v\u00a0\u2028\u2029]+")
# Letters that show as nothing (Hangul and braille fillers): printable to Python, but
# a title made of them looks empty, or hides where one word ends.
FILLERS = "\u115f\u1160\u3164\uffa0\u2800"
_FILLER = re.compile(f"[{FILLERS}]")
# Unicode categories never shown: controls, format characters (bidi marks, U+061C,
# tag characters, soft hyphen...), line and paragraph separators, surrogates.
INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
# What ``--json`` writes as ``\u`` escapes rather than raw (json.dumps escapes C0
# itself): C1 controls, DEL, every format character (bidi overrides and isolates
# included), the separators U+2028/9 and the fillers.
_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f" + FILLERS + "]"
)


def clean(text: str | None, *, multiline: bool = False) -> str:
    """Strip escapes and control characters; fold all white space unless *multiline*."""
    if not text:
        return ""
    # The usual case, checked at C speed: nothing to strip or fold. Every character
    # the slow path removes but a filler is one str.isprintable() refuses.
    if (
        not multiline
        and text.isprintable()
        and not _FILLER.search(text)
        and "  " not in text
        and text[0] != " "
        and text[-1] != " "
    ):
        return text
    if multiline and _clean_lines(text):
        return text
    return _clean(text, multiline)


def _clean_lines(text: str) -> bool:
    """Whether multi-line *text* is already as :func:`_clean` leaves it (checked at C
    speed): printable lines, white space only single ASCII spaces inside them, at most
    one blank line in a row, nothing blank at either end."""
    return (
        text.replace("\n", "").isprintable()
        and not _FILLER.search(text)
        and "  " not in text
        and " \n" not in text
        and "\n " not in text
        and "\n\n\n" not in text
        and text[0] not in " \n"
        and text[-1] not in " \n"
    )


def _clean(text: str, multiline: bool) -> str:
    text = _ANSI.sub("", text)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
        text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
        text = _visible(_CONTROL.sub("", text), keep="\n")
        lines = [" ".join(line.split()) for line in text.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    text = _BLANKS.sub(" ", text)
    # Removing invisible characters may bring two blanks together: fold them again.
    return _BLANKS.sub(" ", _visible(_CONTROL.sub("", text))).strip()


def _visible(text: str, keep: str = "") -> str:
    """*text* without the characters of :data:`INVISIBLE` categories and the fillers."""
    category = unicodedata.category
    return "".join(
        c for c in text if c in keep or (category(c) not in INVISIBLE and c not in FILLERS)
    )


def json_safe(document: str) -> str:
    """A JSON *document* with every control, format character and filler written as a
    ``\\u`` escape: the same JSON value, but nothing a terminal or an editor would act on
    or hide (an OSC sequence, a bidi override) when the output is viewed raw."""
    return _JSON_UNSAFE.sub(_escape, document)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def link_problem(url: str) -> str | None:
    """Why *url* cannot be a link callwatch shows and exports (None: it can).

    A link is written to terminals and calendars as it is, so it may hold no
    control, format or separator character, no space, and no filler: an OSC
    sequence in a URL would reach the terminal, a bidi override would disguise it.
    """
    # The usual case at C speed: str.isprintable() refuses every category below
    # (and Zs) but the ASCII space; the fillers are printable letters.
    if url.isprintable() and " " not in url and not _FILLER.search(url):
        return None
    for position, c in enumerate(url):
        if c in FILLERS or unicodedata.category(c) in INVISIBLE | {"Zs"}:
            return f"character U+{ord(c):04X} at position {position + 1} is not allowed in a link"
    return None


_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"})


def fold(text: str) -> str:
    """Case- and accent-free form for matching: "Région" and "region" compare equal, and
    so do "Œuvre" and "oeuvre" (Unicode does not decompose the ligatures)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES).casefold())
    if decomposed.isascii():
        return decomposed  # no combining mark to drop
    return _NON_ASCII.sub(_uncombined, decomposed)  # only non-ASCII letters looked at


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _uncombined(match: re.Match[str]) -> str:
    c = match.group()
    return "" if unicodedata.combining(c) else c


def suggest(name: str, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when *name* looks like a typo of a known name, else ``""``."""
    hint = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean {hint[0]!r}?)" if hint else ""
