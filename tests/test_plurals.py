"""Counts agree with their words, in French and in English: "1 pays distinct", not
"1 pays distincts"; "(and 1 more problem)", not "problem(s)"."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Invoke
from tests.rules_support import call_from, criterion, find, partner, project, verdict
from tests.test_consortium import RIA_CALL, firm

DISTINCT = call_from(criterion("countries", '{ distinct = "partners.country", at_least = 2 }'))


@pytest.mark.parametrize(
    ("lang", "one", "two"),
    [
        ("fr", "1 distinct (FR)", "2 distincts (DE, FR)"),
        ("en", "1 distinct (FR)", "2 distinct (DE, FR)"),
    ],
)
def test_distinct_values_found_agree_with_their_count(lang: str, one: str, two: str) -> None:
    alone = project(partners=(partner("a", territory="FR"),))
    pair = project(partners=(partner("a", territory="FR"), partner("b", territory="DE")))
    assert find(verdict(DISTINCT, alone, lang=lang), "countries").found == one
    assert find(verdict(DISTINCT, pair, lang=lang), "countries").found == two


@pytest.mark.parametrize(
    ("lang", "one", "two"),
    [
        ("fr", "1 pays distinct seulement : FR", "2 pays distincts seulement : FR, NO"),
        ("en", "only 1 distinct country: FR", "only 2 distinct countries: FR, NO"),
    ],
)
def test_too_few_countries_agree_with_their_count(lang: str, one: str, two: str) -> None:
    same = (firm("a", "FR"), firm("b", "FR"), firm("c", "FR"))
    mixed = (firm("a", "FR"), firm("b", "NO"), firm("u", "US"))
    found_one = find(verdict(RIA_CALL, project(partners=same, control=()), lang=lang), "ria")
    found_two = find(verdict(RIA_CALL, project(partners=mixed, control=()), lang=lang), "ria")
    assert one in found_one.found
    assert two in found_two.found


@pytest.mark.parametrize(
    ("lang", "bad", "words"),
    [
        ("fr", 1, "(et 1 autre problème)"),
        ("fr", 2, "(et 2 autres problèmes)"),
        ("en", 1, "(and 1 more problem)"),
        ("en", 2, "(and 2 more problems)"),
    ],
)
def test_the_problems_left_out_of_a_config_error_are_counted_in_words(
    cli: Invoke, tmp_path: Path, lang: str, bad: int, words: str
) -> None:
    path = tmp_path / "digest.toml"
    extra = "".join(f"unknown{i} = 1\n" for i in range(bad))  # and no [[subscribers]]
    path.write_text(f'{extra}[smtp]\nhost = "x"\nfrom = "a@b.c"\n', encoding="utf-8")
    result = cli("digest", "--config", str(path), "--dry-run", "--lang", lang)
    assert result.exit_code == 78, result.stderr
    assert words in result.stderr
    assert "(s)" not in result.stderr


@pytest.mark.parametrize(
    ("lang", "one", "two"),
    [
        ("fr", "README.md : existe déjà ;", "README.md : existent déjà ;"),
        ("en", "README.md: already exists;", "README.md: already exist;"),
    ],
)
def test_new_refusing_existing_files_agrees_with_their_number(
    cli: Invoke, tmp_path: Path, lang: str, one: str, two: str
) -> None:
    (tmp_path / "README.md").write_text("mine\n", encoding="utf-8")
    first = cli("--lang", lang, "new", str(tmp_path))
    assert first.exit_code == 2 and one in first.stderr
    (tmp_path / "callwatch.toml").write_text("", encoding="utf-8")
    second = cli("--lang", lang, "new", str(tmp_path))
    assert second.exit_code == 2 and two in second.stderr
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", "--label : plus de libellés (2) que d'échéances (1) : chaque --label"),
        ("en", "--label: more labels (2) than deadlines (1): each --label"),
    ],
)
def test_too_many_labels_are_counted_without_a_plural_mark(
    cli: Invoke, tmp_path: Path, lang: str, words: str
) -> None:
    args = ("--id", "a", "--title", "A", "--deadline", "2027-01-15", "--label", "x", "--label", "y")
    result = cli("add", str(tmp_path / "c.toml"), *args, "--lang", lang)
    assert result.exit_code == 2 and words in result.stderr
