"""The example project of `init` and `new`, in the reader's language.

The French and English templates are the same project (same keys, same values):
only the comments differ, and both are valid project files.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from callwatch.files.projectfile import TEMPLATES, read_project, template_text
from tests.conftest import Invoke

# a commented-out line of TOML: a table header or a key = value
VALUES = re.compile(r"^[\w-]+(, [\w-]+)+…?$")  # the codes a key takes, as written
CODE = re.compile(r"^#\s*(\[\[?[\w.]+\]\]?\s*$|[\w-]+ = [^#]*)")


def comments(text: str) -> set[str]:
    """The prose of a template: its comments, without the commented-out TOML lines."""
    found = set()
    for line in text.splitlines():
        _code, sep, comment = line.partition("#")
        comment = comment.strip()
        if sep and comment and not CODE.match("#" + comment) and not VALUES.match(comment):
            found.add(comment)
    return found


@pytest.mark.parametrize("lang", sorted(TEMPLATES))
def test_each_template_is_a_valid_project(tmp_path: Path, lang: str) -> None:
    path = tmp_path / "p.toml"
    path.write_text(template_text(lang), encoding="utf-8")
    project, problems = read_project(path)
    assert problems == [] and project is not None
    assert project.title == "Légumerie partagée du Livradois"
    assert project.control == ()


def test_the_templates_are_the_same_project_with_comments_in_their_language() -> None:
    french, english = template_text("fr"), template_text("en")
    assert tomllib.loads(french) == tomllib.loads(english)
    # the commented-out [[entities]]/[[control]] example too, line for line
    assert [m[1].strip() for m in map(CODE.match, french.splitlines()) if m] == [
        m[1].strip() for m in map(CODE.match, english.splitlines()) if m
    ]
    assert comments(french) & comments(english) == set()
    assert "Une liste [[control]] est prise comme COMPLÈTE" in french
    assert "A [[control]] list is taken as COMPLETE" in english


@pytest.mark.parametrize(
    ("lang", "first"), [("fr", "# Un fichier de projet"), ("en", "# A callwatch")]
)
def test_init_writes_the_template_of_the_language(
    cli: Invoke, tmp_path: Path, lang: str, first: str
) -> None:
    printed = cli("init", "-", "--lang", lang)
    assert printed.exit_code == 0 and printed.stdout.startswith(first)
    by_env = cli("init", str(tmp_path / "p.toml"), env={"CALLWATCH_LANG": lang})
    assert by_env.exit_code == 0
    assert (tmp_path / "p.toml").read_text(encoding="utf-8").startswith(first)


@pytest.mark.parametrize(
    ("lang", "first"), [("fr", "# Un fichier de projet"), ("en", "# A callwatch")]
)
def test_new_writes_the_example_project_in_the_language(
    cli: Invoke, tmp_path: Path, lang: str, first: str
) -> None:
    result = cli("--lang", lang, "new", str(tmp_path / "veille"))
    assert result.exit_code == 0, result.stderr
    example = tmp_path / "veille" / "exemples" / "projet.toml"
    assert example.read_text(encoding="utf-8").startswith(first)
