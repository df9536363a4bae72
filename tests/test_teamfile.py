"""The team file (callwatch.toml): found from where you stand, checked, and obeyed in order."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from callwatch.domain.errors import CallwatchError, DataError
from callwatch.domain.territories import EXPECTED
from callwatch.files import teamfile
from tests.conftest import Invoke
from tests.io_support import ROOT, SHIPPED

OWN_CALL = """\
[[calls]]
id = "team-call"
title = "Appel de l'équipe"
sources = ["Test"]
deadlines = [{ date = 2030-06-30 }]
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A team repository (a .git directory, a callwatch.toml, data/), entered from a subdir."""
    monkeypatch.delenv("CALLWATCH_TEAM")
    root = tmp_path / "equipe"
    (root / ".git").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "data" / "calls.toml").write_text(OWN_CALL, encoding="utf-8")
    (root / "callwatch.toml").write_text('data = ["data/"]\n', encoding="utf-8")
    (root / "notes" / "deep").mkdir(parents=True)
    monkeypatch.chdir(root / "notes" / "deep")
    return root


def test_found_in_a_parent_and_paths_are_relative_to_it(repo: Path, cli: Invoke) -> None:
    found = teamfile.find()
    assert found.path == repo / "callwatch.toml"
    assert found.reason == "found in a parent directory"
    result = cli("--today", "2030-01-01", "show", "team-call")
    assert result.exit_code == 0, result.output
    assert "Appel de l'équipe" in result.stdout


def test_the_search_stops_at_the_repository_root(tmp_path: Path, repo: Path) -> None:
    # a callwatch.toml above the repository belongs to another project
    (tmp_path / "callwatch.toml").write_text('data = ["nowhere/"]\n', encoding="utf-8")
    (repo / "callwatch.toml").unlink()
    found = teamfile.find()
    assert found.path is None
    assert "repository root" in found.reason


def test_order_option_then_environment_then_team_file(
    repo: Path, cli: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    where = cli("config", "where")
    assert f"from data in {repo / 'callwatch.toml'}" in where.stdout
    monkeypatch.setenv("CALLWATCH_DATA", str(SHIPPED))
    assert "from $CALLWATCH_DATA" in cli("config", "where").stdout
    # the environment replaces the team's data: its call is not there
    assert cli("show", "team-call").exit_code == 2
    assert "(from --data)" in cli("--data", str(SHIPPED), "config", "where").stdout
    monkeypatch.setenv("CALLWATCH_TEAM", "none")
    assert "no team file is read" in cli("config", "where").stdout


def test_globs_projects_defaults_and_fetch(repo: Path) -> None:
    (repo / "imports").mkdir()
    for name in ("b.toml", "a.toml", "skip.txt"):
        (repo / "imports" / name).write_text("", encoding="utf-8")
    (repo / "callwatch.toml").write_text(
        """
data = ["data/calls.toml", "imports/*.toml"]
projects = ["projects/*.toml"]

[defaults]
lang = "fr"
territory = "fr-63"
remind_days = [7, 30, 7]
horizon = "2w"

[[fetch]]
portal = "aides-territoires"
output = "data/aides.toml"
perimeter = "FR-63"
""",
        encoding="utf-8",
    )
    team, problems = teamfile.read_team(repo / "callwatch.toml")
    assert team is not None and problems == []
    assert team.data_paths() == [
        repo / "data" / "calls.toml",
        repo / "imports" / "a.toml",
        repo / "imports" / "b.toml",
    ]
    assert team.project_paths() == []  # a glob that matches nothing is no error
    assert team.defaults == teamfile.Defaults("fr", "FR-63", (30, 7), "2w")
    known = {"aides-territoires": ("perimeter", "text"), "eu-portal": ("programme",)}
    (portal,) = teamfile.fetch_sources(team, known=known)
    assert portal.output == repo / "data" / "aides.toml"
    assert portal.options == {"perimeter": "FR-63"}
    assert portal.line == 11
    with pytest.raises(DataError, match=r"fetch\[0\]\.portal: unknown portal"):
        teamfile.fetch_sources(team, known={"eu-portal": ()})
    with pytest.raises(DataError, match=r"fetch\[0\]\.perimeter: unknown key \(did you"):
        teamfile.fetch_sources(team, known={"aides-territoires": ("perimetre",)})


def test_every_problem_names_its_line_and_field(repo: Path, cli: Invoke) -> None:
    (repo / "callwatch.toml").write_text(
        """data = "data/"
projet = ["x"]

[defaults]
lang = "de"
territory = "XX-999"
remind_days = [-1]
horizont = "2w"

[[fetch]]
output = 3
""",
        encoding="utf-8",
    )
    problems = [str(p) for p in teamfile.read_team(repo / "callwatch.toml")[1]]
    file = str(repo / "callwatch.toml")
    assert problems == [
        f"{file}:2: projet: unknown key (did you mean 'projects'?); "
        "expected one of data, projects, defaults, fetch",
        f"{file}:8: defaults.horizont: unknown key (did you mean 'horizon'?); "
        "expected one of lang, territory, remind_days, horizon",
        f'{file}:5: defaults.lang: expected "fr" or "en", not \'de\'',
        f"{file}:6: defaults.territory: unknown territory code 'XX-999': {EXPECTED}",
        f"{file}:7: defaults.remind_days: expected days before a deadline, such as [30, 7, 1]",
        f'{file}:10: fetch[0].portal: expected a portal name, such as "aides-territoires"',
        f'{file}:11: fetch[0].output: expected the calls file to write, such as "data/aides.toml"',
    ]
    # every command stops on a broken team file, with those lines and exit 65
    result = cli("list")
    assert result.exit_code == 65
    assert f"{file}:5: defaults.lang" in result.stderr
    assert "Traceback" not in result.output
    # validate reports them (exit 1) like any other file's problems
    result = cli("validate")
    assert result.exit_code == 1
    assert f"{file}:7: defaults.remind_days" in result.stdout


def test_a_named_team_file_must_exist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLWATCH_TEAM", str(tmp_path / "missing.toml"))
    with pytest.raises(CallwatchError, match="no such file"):
        teamfile.find()


def test_defaults_apply_below_options(
    repo: Path, cli: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "data" / "calls.toml").write_text(
        OWN_CALL
        + """
[[calls]]
id = "ailleurs"
title = "Appel breton"
territory = ["FR-BRE"]
sources = ["Test"]
deadlines = [{ date = 2030-01-10 }]
""",
        encoding="utf-8",
    )
    (repo / "callwatch.toml").write_text(
        'data = ["data/"]\n[defaults]\nlang = "fr"\nterritory = "FR-63"\nhorizon = "1y"\n',
        encoding="utf-8",
    )
    monkeypatch.delenv("CALLWATCH_LANG")
    result = cli("--today", "2030-01-01", "list", "--due")
    assert result.exit_code == 0, result.output
    assert "team-call" in result.stdout  # within the team's horizon of a year
    assert "ailleurs" not in result.stdout  # outside the team's territory
    assert "Échéance" in result.stdout  # the team's language
    result = cli("--today", "2030-01-01", "--lang", "en", "list", "--territory", "FR-BRE")
    assert "ailleurs" in result.stdout and "Deadline" in result.stdout


def test_the_readme_sequence_works_from_the_repository(
    tmp_path: Path, cli: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    """README: `callwatch add data/calls.toml --id leader-2025 …` then `callwatch show
    leader-2025`, in a copy of this repository (its own callwatch.toml), without --data."""
    monkeypatch.delenv("CALLWATCH_TEAM")
    copy = tmp_path / "callwatch"
    (copy / ".git").mkdir(parents=True)
    shutil.copy(ROOT / "callwatch.toml", copy / "callwatch.toml")
    shutil.copytree(ROOT / "data", copy / "data")
    monkeypatch.chdir(copy)
    added = cli(
        "add", "data/calls.toml", "--id", "leader-2025", "--title", "Appel LEADER",
        "--deadline", "2025-03-15", "--source", "Délibération du GAL",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    shown = cli("--today", "2025-01-01", "show", "leader-2025")
    assert shown.exit_code == 0, shown.output
    assert "Appel LEADER" in shown.stdout


def test_an_unknown_team_territory_stops_only_what_uses_it(repo: Path, cli: Invoke) -> None:
    """Its shape is checked by every command, its existence (ISO 3166, which costs a
    database) only by the commands that filter by it, and by `validate`."""
    team = repo / "callwatch.toml"
    team.write_text('data = ["data/"]\n[defaults]\nterritory = "FR-99"\n', encoding="utf-8")
    assert cli("--today", "2030-01-01", "show", "team-call").exit_code == 0
    result = cli("--today", "2030-01-01", "list")
    assert result.exit_code == 65
    assert f"{team}:3: defaults.territory: unknown territory code 'FR-99'" in result.stderr
    assert cli("validate").exit_code == 1
    assert cli("config", "where").exit_code == 65


def test_a_team_file_that_is_not_toml_is_a_located_problem_not_an_exception(
    repo: Path, cli: Invoke
) -> None:
    """Like every loader, read_team returns its problems; the command decides (65)."""
    path = repo / "callwatch.toml"
    path.write_text("data = [\n", encoding="utf-8")
    team, problems = teamfile.read_team(path)
    assert team is None and [(p.file, p.line) for p in problems] == [(str(path), 2)]
    assert "invalid TOML" in problems[0].message
    result = cli("list")
    assert result.exit_code == 65
    assert result.stderr.startswith(f"{path}:2: invalid TOML")
