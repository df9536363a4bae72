"""check's table rows, cached per calls file: read back only when nothing they depend on
changed (the calls file, which of its calls count, the project, the filing day, the
language, callwatch's code), and then the same table as evaluating everything."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

from callwatch.domain.model import Call
from callwatch.rules import engine
from tests.conftest import Invoke
from tests.rules_support import EXAMPLES, FLAGSHIP

CRITERIA = """
[[calls.criteria]]
id = "deux"
label = "Two partners"
check = { count = "partners", at_least = 2 }
"""


def calls_text(*idents: str, deadline: str = "2019-06-30") -> str:
    return "".join(
        f'[[calls]]\nid = "{i}"\ntitle = "Call {i}"\ndeadlines = [{{ date = {deadline} }}]\n'
        f'territory = ["FR-ARA"]\n{CRITERIA}\n'
        for i in idents
    )


PROJECT = """
[project]
title = "Légumerie"
territory = "FR-63"
submission = 2019-05-20

[[partners]]
id = "a"
name = "A"
type = "farmer"
legal_form = "GAEC"
"""

SECOND_PARTNER = """
[[partners]]
id = "b"
name = "B"
type = "association"
"""


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The ids of the calls each evaluate_all of the run was given."""
    seen: list[list[str]] = []
    real = engine.evaluate_all

    def spy(calls: Iterable[Call], *args: object, **kwargs: object) -> list[engine.Verdict]:
        calls = list(calls)
        seen.append([c.id for c in calls])
        return real(calls, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "evaluate_all", spy)
    return seen


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    first = tmp_path / "data" / "a.toml"
    second = tmp_path / "data" / "b.toml"
    first.parent.mkdir()
    first.write_text(calls_text("a1", "a2"), encoding="utf-8")
    second.write_text(calls_text("b1", "b2", "b3"), encoding="utf-8")
    project = tmp_path / "projet.toml"
    project.write_text(PROJECT, encoding="utf-8")
    return first, second, project


def check(cli: Invoke, project: Path, *more: str, data: Path | None = None) -> str:
    where = ["--data", str(data)] if data is not None else []
    result = cli("--today", "2019-03-01", *where, "check", str(project), *more)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_repeated_check_reads_the_rows_back(
    cli: Invoke, files: tuple[Path, Path, Path], counted: list[list[str]]
) -> None:
    first, _, project = files
    out = check(cli, project, data=first.parent)
    assert counted == [["a1", "a2"], ["b1", "b2", "b3"]]
    assert (
        "not eligible" in out and "1 partner; required: at least 2 partners" in out
    )  # one partner only
    assert check(cli, project, data=first.parent) == out
    assert len(counted) == 2  # nothing evaluated again


def test_a_changed_project_is_evaluated_again(
    cli: Invoke, files: tuple[Path, Path, Path], counted: list[list[str]]
) -> None:
    first, _, project = files
    before = check(cli, project, data=first.parent)
    project.write_text(PROJECT + SECOND_PARTNER, encoding="utf-8")
    after = check(cli, project, data=first.parent)
    assert len(counted) == 4
    assert "at least 2 partners" in before and "at least 2 partners" not in after
    assert after.count("✓ eligible") == 5


def test_only_the_changed_calls_file_is_evaluated_again(
    cli: Invoke, files: tuple[Path, Path, Path], counted: list[list[str]]
) -> None:
    first, second, project = files
    check(cli, project, data=first.parent)
    second.write_text(calls_text("b1", "b2", "b3", "b4"), encoding="utf-8")
    out = check(cli, project, data=first.parent)
    assert counted[2:] == [["b1", "b2", "b3", "b4"]]
    assert "b4" in out


@pytest.mark.parametrize(
    "changed",
    [("--today", "2019-07-01"), ("--lang", "fr")],
    ids=["another day", "another language"],
)
def test_another_day_or_language_is_evaluated_again(
    cli: Invoke,
    files: tuple[Path, Path, Path],
    counted: list[list[str]],
    changed: tuple[str, str],
) -> None:
    first, _, project = files
    project.write_text(PROJECT.replace("submission = 2019-05-20\n", ""), encoding="utf-8")
    check(cli, project, data=first.parent)
    today = changed[1] if changed[0] == "--today" else "2019-03-01"
    lang = changed if changed[0] == "--lang" else ()
    result = cli("--today", today, *lang, "--data", str(first.parent), "check", str(project))
    assert result.exit_code == 0
    assert len(counted) == 4
    if changed[0] == "--today":  # filed today, 2019-07-01: the rounds are over
        assert result.stdout.count("✗ not eligible") == 5
    else:
        assert result.stdout.count("✗ non éligible") == 5


def test_a_duplicate_in_an_earlier_file_drops_a_call_of_an_unchanged_one(
    cli: Invoke, files: tuple[Path, Path, Path], counted: list[list[str]]
) -> None:
    first, _, project = files
    check(cli, project, data=first.parent)
    first.write_text(calls_text("a1", "a2", "b2"), encoding="utf-8")
    result = cli("--today", "2019-03-01", "--data", str(first.parent), "check", str(project))
    assert result.exit_code == 65  # the duplicate is reported, after the table
    assert "duplicate id 'b2'" in result.stderr
    assert counted[2:] == [["a1", "a2", "b2"], ["b1", "b3"]]
    assert [line.split()[3] for line in result.stdout.splitlines()[1:]].count("b2") == 1


def test_the_typo_warning_comes_from_the_cache_too(
    cli: Invoke, files: tuple[Path, Path, Path], counted: list[list[str]]
) -> None:
    first, _, project = files
    project.write_text(PROJECT + "[answers]\ndeuxx = true\n", encoding="utf-8")
    for _ in range(2):
        result = cli("--today", "2019-03-01", "--data", str(first.parent), "check", str(project))
        assert "[answers] deuxx: no criterion of the calls checked asks it" in result.stderr
        assert "(did you mean 'deux'?)" in result.stderr
    assert len(counted) == 2


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.toml")))
def test_the_cached_table_is_the_table(tmp_path: Path, example: str) -> None:
    """The shipped calls and each example project, in separate processes: evaluated
    with no cache, then cached, then read back — three times the same bytes."""
    env = {
        **os.environ,
        "CALLWATCH_TODAY": "2019-03-01",
        "CALLWATCH_LANG": "en",
        "NO_COLOR": "1",
    }

    def run(cache: str) -> bytes:
        done = subprocess.run(
            [sys.executable, "-m", "callwatch", "check", str(EXAMPLES / example)],
            capture_output=True,
            env={**env, "CALLWATCH_CACHE": cache},
            check=True,
        )
        return done.stdout

    fresh = run("off")
    assert FLAGSHIP.encode() in fresh
    assert run(str(tmp_path / "cache")) == fresh
    assert run(str(tmp_path / "cache")) == fresh


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.toml")))
def test_the_table_ranks_calls_as_the_json_does(cli: Invoke, example: str) -> None:
    import json

    project = EXAMPLES / example
    data = json.loads(cli("--today", "2019-03-01", "check", str(project), "--json").stdout)
    ids = [r["id"] for r in data["results"]]
    table = cli("--today", "2019-03-01", "check", str(project)).stdout.splitlines()[1:]
    assert [next(t for t in line.split() if t in ids) for line in table] == ids


def test_a_calls_file_edited_during_the_check_is_evaluated_again(
    cli: Invoke, files: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows are filed under the stamps the files had when they were read: rows from a
    file's former content are never taken for the edited file."""
    first, second, project = files
    real = engine.evaluate_all

    def edited_meanwhile(calls: Iterable[Call], *args: object) -> list[engine.Verdict]:
        second.write_text(calls_text("b1", "b2", "b3", "b9"), encoding="utf-8")
        return real(calls, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "evaluate_all", edited_meanwhile)
    assert "b9" not in check(cli, project, data=first.parent)  # what was read
    monkeypatch.setattr(engine, "evaluate_all", real)
    assert "b9" in check(cli, project, data=first.parent)


def test_a_project_edited_during_the_check_is_evaluated_again(
    cli: Invoke, files: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _, project = files
    real = engine.evaluate_all

    def edited_meanwhile(calls: Iterable[Call], *args: object) -> list[engine.Verdict]:
        project.write_text(PROJECT + SECOND_PARTNER, encoding="utf-8")
        return real(calls, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "evaluate_all", edited_meanwhile)
    assert "at least 2 partners" in check(cli, project, data=first.parent)  # one partner read
    monkeypatch.setattr(engine, "evaluate_all", real)
    assert "Two partners" not in check(cli, project, data=first.parent)
