"""The few words the listings speak, in French and English.

Call data stays in the language it was written in; only our own labels change.
"""

from __future__ import annotations

import os

LANG_ENV = "CALLWATCH_LANG"
LANGS = ("fr", "en")

_WORDS: dict[str, dict[str, str]] = {
    "upcoming": {"fr": "à venir", "en": "upcoming"},
    "open": {"fr": "ouvert", "en": "open"},
    "closing_soon": {"fr": "clôture proche", "en": "closing soon"},
    "closed": {"fr": "clos", "en": "closed"},
    "deadline": {"fr": "Échéance", "en": "Deadline"},
    "days": {"fr": "Jours", "en": "Days"},
    "status": {"fr": "Statut", "en": "Status"},
    "id": {"fr": "Id", "en": "Id"},
    "title": {"fr": "Intitulé", "en": "Title"},
    "round": {"fr": "Session", "en": "Round"},
    "today": {"fr": "aujourd'hui", "en": "today"},
    "permanent": {"fr": "permanent", "en": "ongoing"},
    "end_of_day": {"fr": "fin de journée", "en": "end of day"},
    "opens": {"fr": "ouvre le", "en": "opens"},
    "recurring": {"fr": "récurrent", "en": "recurring"},
    "nothing_due": {
        "fr": "Aucune échéance d'ici le {end}.",
        "en": "Nothing due by {end}.",
    },
    "nothing": {"fr": "Aucun appel ne correspond.", "en": "No call matches."},
    "days_ago": {"fr": "il y a {n} j", "en": "{n} d ago"},
}


def resolve_lang(option: str | None = None) -> str:
    """``--lang``, else ``CALLWATCH_LANG``, else French when the locale is French."""
    for candidate in (option, os.environ.get(LANG_ENV)):
        if candidate:
            code = candidate.strip().lower()[:2]
            if code in LANGS:
                return code
            raise ValueError(f"unknown language {candidate!r}: expected fr or en")
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def t(key: str, lang: str, **values: object) -> str:
    word = _WORDS[key].get(lang) or _WORDS[key]["en"]
    return word.format(**values) if values else word
