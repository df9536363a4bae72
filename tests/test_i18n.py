"""`callwatch.i18n`: one table of words, complete in both languages."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from callwatch import i18n
from callwatch.i18n import t

SRC = Path(__file__).resolve().parents[1] / "src" / "callwatch"


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(i18n._WORDS))
def test_every_word_has_both_languages_with_the_same_blanks(key: str) -> None:
    english, french = i18n._WORDS[key], t(key, "fr")
    assert french and (french != english or key in SAME_IN_BOTH)
    grammar = {"s", "x"}  # plural endings: French agrees in more places than English
    assert placeholders(french) - grammar == placeholders(english) - grammar


# Words that are the same in French: a translation equal to the English is no oversight.
SAME_IN_BOTH = {
    "id",
    "ics.programme",
    "ics.sources",
    "territory.kind.commune",  # French words, the same in English
    "territory.kind.department",
} | {f"show.{k}" for k in ("note", "programme", "source", "sources", "description")}


def literal_keys() -> set[tuple[str, str]]:
    """Every ``t("key", ...)`` written with a literal key in the sources."""
    found = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "t"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add((path.relative_to(SRC).as_posix(), node.args[0].value))
    return found


def test_every_key_the_code_asks_for_exists() -> None:
    used = literal_keys()
    assert len(used) > 50  # the scan does see the calls
    assert sorted(u for u in used if u[1] not in i18n._WORDS) == []


def test_lookup_falls_back_to_english_and_fills_blanks() -> None:
    assert t("days_before", "fr", n=7) == "J-7"
    assert t("days_before", "de", n=7) == "D-7"
    assert t("colon", "fr") == " : "
    assert i18n.babel_locale("fr") == "fr_FR"
    assert i18n.babel_locale("xx") == "en_GB"


def test_keys_built_at_run_time_exist() -> None:
    from callwatch.domain.model import Status

    built = [s.value for s in Status]
    built += [f"digest.{group}" for group in ("week", "month", "later")]
    kinds = ("new_round", "moved", "removed_round", "reopened", "title", "url", "rrule")
    built += [f"digest.{kind}" for kind in kinds]
    assert [key for key in built if key not in i18n._WORDS] == []
