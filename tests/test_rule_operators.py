"""The operator registry: a small operator registered the way docs/contributing.md says
("A rule operator") is read by the compiler, evaluated by the engine and worded in both
languages, through the command line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from callwatch.rules import operators
from callwatch.rules.paths import Kind
from tests.rules_support import cli, problems_of


def _starts_with(found: Any, wanted: Any) -> bool | None:
    return found.startswith(wanted) if isinstance(found, str) else None


STARTS_WITH = operators.Operator(
    name="starts_with",
    kinds=frozenset({Kind.TEXT}),
    parse=operators.one,
    compare=_starts_with,
    word=operators.words("starting with {v}", "commençant par {v}"),
)


@pytest.fixture
def starts_with() -> Iterator[None]:
    operators.register(STARTS_WITH)
    yield
    del operators.REGISTRY["starts_with"]


CALLS = """[[calls]]
id = "fermes"
title = "Farms only"
ongoing = true

[[calls.criteria]]
id = "names"
label = "Partners are farms"
check = { for_each = "partners", require = { path = "partners.name", starts_with = "Ferme" } }
"""

PROJECT = """control = []

[project]
title = "T"

[[partners]]
id = "a"
name = "Ferme des Combes"

[[partners]]
id = "b"
name = "{second}"
"""


def check(tmp_path: Path, second: str, lang: str = "en") -> tuple[int, dict[str, Any]]:
    calls = tmp_path / "calls.toml"
    calls.write_text(CALLS, encoding="utf-8")
    project = tmp_path / "project.toml"
    project.write_text(PROJECT.format(second=second), encoding="utf-8")
    result = cli(
        "--data", str(calls), "--lang", lang, "check", str(project), "--call", "fermes", "--json"
    )
    (names,) = [c for c in json.loads(result.stdout)["criteria"] if c["id"] == "names"]
    return result.exit_code, names


def test_a_registered_operator_runs_through_the_cli(tmp_path: Path, starts_with: None) -> None:
    code, names = check(tmp_path, "Ferme du Bourg")
    assert (code, names["status"]) == (0, "met")
    assert names["required"] == "every partner: name starting with Ferme"
    code, names = check(tmp_path, "Épicerie du Bourg", lang="fr")
    assert (code, names["status"]) == (1, "not_met")
    assert names["required"] == "chaque partenaire : name commençant par Ferme"
    assert names["found"] == "non respecté par b (Épicerie du Bourg)"


def test_a_registered_operator_applies_only_to_its_kinds(starts_with: None) -> None:
    (problem,) = problems_of(
        '[[calls.criteria]]\nid = "x"\nlabel = "x"\n'
        'check = { path = "project.start", starts_with = "2019" }\n'
    )
    assert "starts_with does not apply to project.start (a date): use eq, gte, lte" in problem
    (problem,) = problems_of(
        '[[calls.criteria]]\nid = "x"\nlabel = "x"\n'
        'check = { path = "project.title", starts_with = 3 }\n'
    )
    assert "expected a string, got 3" in problem


def test_without_registration_the_operator_is_unknown() -> None:
    (problem,) = problems_of(
        '[[calls.criteria]]\nid = "x"\nlabel = "x"\n'
        'check = { path = "project.title", starts_with = "A" }\n'
    )
    assert "unknown key 'starts_with'" in problem


def test_the_table_gives_each_kind_its_operators() -> None:
    assert operators.for_kind(Kind.TERRITORY) == ("eq", "in", "within")
    assert operators.for_kind(Kind.DATE) == ("eq", "gte", "lte", "between")
    assert operators.for_kind(Kind.TEXT_LIST) == ("any_in", "all_in")
    assert operators.names() == ("eq", "in", "any_in", "all_in", "gte", "lte", "between", "within")
