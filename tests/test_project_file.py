"""Project files: the model, unknown versus empty, and `file:line` errors."""

from __future__ import annotations

import pickle
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callwatch.domain.errors import Problem
from callwatch.domain.project import Project
from callwatch.files.projectfile import read_project, template_text
from tests.rules_support import EXAMPLES, cli


def load_project(path: Path) -> Project:
    """A project file that must be valid."""
    project, problems = read_project(path)
    assert project is not None and problems == [], problems
    return project


def problems_of(path: Path) -> list[Problem]:
    """An invalid project file: no project, every problem."""
    project, problems = read_project(path)
    assert project is None and problems
    return problems


def write(tmp_path: Path, text: str, name: str = "p.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_brief_example_loads(tmp_path: Path) -> None:
    p = load_project(EXAMPLES / "legumerie-eligible.toml")
    assert p.title == "Légumerie partagée du Livradois"
    assert p.control == ()  # declared: none
    assert p.partners is not None and [x.id for x in p.partners][:2] == [
        "gaec-des-pres",
        "epicerie",
    ]
    assert p.partners[0].public is False  # a farm is not a public body
    assert p.partners[2].public is True  # a commune is
    assert p.budget is not None and p.budget[0].amount == Decimal(18000)
    assert p.answers == {"circuit-court": True}
    assert pickle.loads(pickle.dumps(p)) == p  # noqa: S301 (our own data)


def test_absent_means_unknown_and_empty_means_none(tmp_path: Path) -> None:
    p = load_project(write(tmp_path, '[project]\ntitle = "x"\n'))
    assert (p.control, p.partners, p.budget, p.territory) == (None, None, None, None)
    q = load_project(
        write(tmp_path, 'control = []\npartners = []\nbudget = []\n[project]\ntitle = "x"\n')
    )
    assert (q.control, q.partners, q.budget) == ((), (), ())


def test_control_links_and_outside_entities(tmp_path: Path) -> None:
    text = """
[project]
title = "x"
[[partners]]
id = "a"
name = "A"
[[entities]]
id = "region"
type = "region"
[[entities]]
id = "holding"
public = false
[[control]]
controller = "region"
controlled = "a"
basis = "voting_rights"
share = 0.75
[[control]]
controller = "holding"
controlled = "a"
basis = "decision_power"
"""
    p = load_project(write(tmp_path, text))
    assert p.control is not None and p.control[0].share == Decimal("0.75")
    assert p.entities()["region"].public is True  # derived from the type
    assert p.entities()["holding"].public is False
    assert p.entities()["a"].public is None  # no type, not said: unknown


def test_answers_numbers_are_decimals(tmp_path: Path) -> None:
    text = '[project]\ntitle = "x"\n[answers]\njobs = 2.5\nok = true\nwhen = 2019-01-01\n'
    p = load_project(write(tmp_path, text))
    assert p.answers["jobs"] == Decimal("2.5")
    assert p.answers["ok"] is True


HEAD = '[project]\ntitle = "x"\n'
A = '[[partners]]\nid = "a"\nname = "A"\n'
B = '[[partners]]\nid = "b"\nname = "B"\n'
BAD = [
    (HEAD + 'territory = "FR-99"\n', 3, "unknown territory code 'FR-99'"),
    (HEAD + 'start = "2019-01-01"\n', 3, "expected a TOML date"),
    (HEAD + 'titel = "y"\n', 3, "unknown field 'project.titel'"),
    ("[project]\n", 1, "missing required field 'project.title'"),
    (
        HEAD + A + "role = []\n",
        6,
        "did you mean 'roles'?",
    ),
    (
        HEAD + A + 'type = "farmr"\n',
        6,
        "did you mean 'farmer'?",
    ),
    (
        HEAD + A + '[[partners]]\nid = "a"\nname = "B"\n',
        7,
        "duplicate id 'a'",
    ),
    (
        HEAD
        + A
        + '[[control]]\ncontroller = "zz"\ncontrolled = "a"\nbasis = "shares"\nshare = 0.6\n',
        7,
        "unknown entity 'zz'",
    ),
    (
        HEAD + A + '[[control]]\ncontroller = "a"\ncontrolled = "a"\nbasis = "decision_power"\n',
        8,
        "cannot control itself",
    ),
    (
        HEAD
        + A
        + B
        + '[[control]]\ncontroller = "a"\ncontrolled = "b"\nbasis = "shares"\nshare = 60\n',
        13,
        "(a fraction: 0.6 for 60 %)",
    ),
    (
        HEAD + A + B + '[[control]]\ncontroller = "a"\ncontrolled = "b"\nbasis = "shares"\n',
        9,
        "missing required field 'share'",
    ),
    (
        HEAD + A + '[[entities]]\nid = "b"\n'
        '[[entities]]\nid = "c"\n'
        '[[control]]\ncontroller = "b"\ncontrolled = "a"\nbasis = "shares"\nshare = 0.6\n'
        '[[control]]\ncontroller = "c"\ncontrolled = "a"\nbasis = "shares"\nshare = 0.6\n',
        19,
        "add up to 120 %",
    ),
    (
        HEAD + '[[budget]]\nlabel = "a"\ncategory = "b"\namount = -1\n',
        6,
        "expected a number of at least 0, got the number -1",
    ),
    (
        HEAD + '[[budget]]\nlabel = "a"\ncategory = "b"\namount = "12"\n',
        6,
        "expected a number",
    ),
    (
        HEAD + '[[budget]]\nlabel = "a"\ncategory = "b"\namount = 1\npartner = "q"\n',
        7,
        "unknown partner 'q'",
    ),
    (
        HEAD + "start = 2020-01-01\nend = 2019-01-01\n",
        4,
        "ends (2019-01-01) before it starts",
    ),
    ('control = 3\n[project]\ntitle = "x"\n', 1, "control: expected an array"),
    ('[project\ntitle = "x"\n', 1, "invalid TOML"),
]


@pytest.mark.parametrize(("text", "line", "message"), BAD)
def test_bad_files_name_the_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = write(tmp_path, text)
    problems = problems_of(path)
    first = problems[0]
    assert (first.file, first.line) == (str(path), line), problems
    assert first.message.count(message) == 1, first.message  # once: no hint given twice
    result = cli("check", str(path), "--call", "feader-aura-2019-16-4")
    assert result.exit_code == 65
    assert result.stderr.startswith(f"{path}:{line}: ")
    assert "Traceback" not in result.output + result.stderr


def test_every_problem_is_reported_not_only_the_first(tmp_path: Path) -> None:
    text = (
        '[project]\ntitle = "x"\nterritory = "XX"\n[[partners]]\nid = "a"\nname = "A"\ntype = "x"\n'
    )
    assert [p.line for p in problems_of(write(tmp_path, text))] == [3, 7]


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_bytes('[project]\ntitle = "Légumerie"\n'.encode("latin-1"))
    result = cli("check", str(path))
    assert result.exit_code == 65
    assert result.stderr.startswith(f"{path}:2: not UTF-8")


LINES = st.sampled_from(
    [
        "[project]",
        'title = "x"',
        "title = 3",
        'territory = "FR-63"',
        'territory = "ZZ"',
        "start = 2019-01-01",
        "[[partners]]",
        'id = "a"',
        'id = "a b"',
        'name = "A"',
        'type = "farmer"',
        "share = 0.6",
        "[[control]]",
        'controller = "a"',
        'controlled = "b"',
        'basis = "shares"',
        "[[budget]]",
        "amount = 10",
        'category = "x"',
        'label = "y"',
        "control = []",
        "[answers]",
        "x = true",
        "= oops",
        '"unterminated',
    ]
)


@given(st.lists(LINES, max_size=14))
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_file_gives_a_verdict_or_located_errors_never_a_traceback(
    tmp_path: Path, lines: list[str]
) -> None:
    path = write(tmp_path, "\n".join(lines) + "\n", "fuzz.toml")
    result = cli("check", str(path), "--call", "feader-aura-2019-16-4")
    assert result.exit_code in (0, 1, 3, 65), result.output
    assert isinstance(result.exception, SystemExit), result.exception
    if result.exit_code == 65:
        for line in result.stderr.splitlines():
            assert re.match(rf"^{re.escape(str(path))}:\d+: \S", line), line


def test_the_init_template_is_a_valid_project(tmp_path: Path) -> None:
    p = load_project(write(tmp_path, template_text()))
    assert p.title
    assert p.control == ()


def test_a_valid_project_is_read_back_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from callwatch.files import projectspec

    path = tmp_path / "p.toml"
    path.write_bytes((EXAMPLES / "legumerie-eligible.toml").read_bytes())
    fresh = load_project(path)

    def no_validation(*_: object) -> None:
        raise AssertionError("the project was validated again")

    monkeypatch.setattr(projectspec, "parse_project", no_validation)
    assert load_project(path) == fresh
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="validated again"):
        load_project(path)  # changed: read and validated again


def test_an_invalid_project_is_never_cached(tmp_path: Path) -> None:
    path = write(tmp_path, '[project]\ntitle = "x"\nterritory = "FR-999"\n')
    for _ in range(2):
        assert "p.toml:3" in str(problems_of(path)[0])


def test_checking_a_cached_project_imports_no_pydantic_nor_pycountry(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    probe = (
        "import sys\nfrom callwatch.cli import app\n"
        "try:\n    app(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pydantic', 'pycountry') if m in sys.modules))\n"
    )
    env = {**os.environ, "CALLWATCH_CACHE": str(tmp_path / "cache")}
    args = ["--today", "2019-03-01", "check", str(EXAMPLES / "legumerie-eligible.toml")]

    def run() -> str:
        out = subprocess.run(
            [sys.executable, "-c", probe, *args], capture_output=True, text=True, env=env
        ).stdout
        return out.splitlines()[-1]

    assert run() == "['pycountry', 'pydantic']"  # first run: validated
    # Then the validated project and calls are read back, and the ancestry of the
    # project's territories (FR-63 → FR-ARA → FR) with the project.
    assert run() == "[]"


def test_a_project_edited_while_it_is_validated_is_validated_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from callwatch.files import projectspec

    path = write(tmp_path, '[project]\ntitle = "Before"\n')
    real = projectspec.parse_project

    def edited_meanwhile(*args: Any) -> Any:
        path.write_text('[project]\ntitle = "After, edited"\n', encoding="utf-8")
        return real(*args)

    monkeypatch.setattr(projectspec, "parse_project", edited_meanwhile)
    assert load_project(path).title == "Before"  # what was read
    monkeypatch.setattr(projectspec, "parse_project", real)
    assert load_project(path).title == "After, edited"
