"""Short, readable ids made from French titles.

The ids of the shipped Aides-territoires calls were made this way (the first
five meaningful words of the title, accents folded, French articles and
prepositions left out), so an import of the same record gives the same id,
and ``callwatch add`` can suggest one.
"""

from __future__ import annotations

import re

from callwatch.domain.text import fold

# Words that carry no meaning in a title's slug: articles, contracted
# prepositions, possessives. "avec", "se", "sans" are kept: they change the sense.
# fmt: off
STOPWORDS = frozenset({
    "a", "au", "aux", "c", "ce", "ces", "cet", "cette", "d", "dans", "de", "des", "du",
    "en", "et", "l", "la", "le", "les", "leur", "leurs", "n", "nos", "notre", "ou", "par",
    "pour", "qu", "que", "qui", "s", "sa", "ses", "son", "sur", "un", "une", "vos", "votre",
})
# fmt: on

_NON_WORD = re.compile(r"[^a-z0-9]+")
_NOT_ID = re.compile(r"[^A-Za-z0-9._:\-]+")
MAX_ID = 120  # schema.ID_PATTERN allows 120 characters


def title_words(title: str, limit: int = 5) -> list[str]:
    """The first *limit* meaningful words of *title*, folded to ASCII."""
    words = [w for w in _NON_WORD.split(fold(title)) if w and w not in STOPWORDS]
    return words[:limit]


def slugify(title: str, limit: int = 5) -> str:
    """``"Valoriser le patrimoine bâti"`` → ``"valoriser-patrimoine-bati"``."""
    return "-".join(title_words(title, limit))


def safe_id(text: str) -> str:
    """*text* made acceptable as a call id: other characters become ``-``."""
    cleaned = _NOT_ID.sub("-", text.strip()).strip("-._:")
    return cleaned[:MAX_ID].rstrip("-._:")
