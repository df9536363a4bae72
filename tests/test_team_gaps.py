"""The team repository under real conditions (no $CALLWATCH_LANG, files given by a hook,
annotations read by GitHub): what `validate`, `list` and `fetch` make of the team file."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from callwatch.cli import app
from tests.conftest import Invoke
from tests.test_startup import command_paths
from tests.test_team_repo import BROKEN, TEAM_CALL, TERRITORIES


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A team repository (git root, callwatch.toml, a team territory), entered, with
    neither $CALLWATCH_TEAM nor $CALLWATCH_LANG: as a user or a CI runner has it."""
    monkeypatch.delenv("CALLWATCH_TEAM")
    monkeypatch.delenv("CALLWATCH_LANG")
    monkeypatch.setenv("LANG", "C.UTF-8")
    for var in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    root = tmp_path / "veille"
    (root / ".git").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "data" / "calls.toml").write_text(TEAM_CALL, encoding="utf-8")
    (root / "data" / "territoires.toml").write_text(TERRITORIES, encoding="utf-8")
    (root / "callwatch.toml").write_text('data = ["data/"]\n', encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def test_annotations_name_files_from_the_repository_root(team: Path, cli: Invoke) -> None:
    (team / "data" / "broken.toml").write_text(BROKEN, encoding="utf-8")
    result = cli("validate", "--format", "github")
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()
    assert line.startswith("::error file=data/broken.toml,line=5::call 'broken'")
    (team / "sub").mkdir()  # from a subdirectory too: GitHub reads paths from the root
    inner = cli("validate", "--format", "github", str(team / "data" / "broken.toml"))
    assert inner.stdout.startswith("::error file=data/broken.toml,line=5::")


def test_files_given_are_read_with_the_team_data_and_reported_alone(
    team: Path, cli: Invoke
) -> None:
    """The pre-commit hook passes only the staged files: calls.toml names a territory
    defined in territoires.toml, which was not staged."""
    (team / "data" / "broken.toml").write_text(BROKEN, encoding="utf-8")
    result = cli("validate", "data/calls.toml", "--json")
    assert result.exit_code == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["problems"] == [] and report["calls"] == 1
    assert report["files"] == ["data/calls.toml"]  # broken.toml: not given, not reported
    assert cli("validate", "data/broken.toml").exit_code == 1


def test_the_team_file_is_no_project_file(team: Path, cli: Invoke) -> None:
    report = json.loads(cli("validate", "--json").stdout)
    assert report["project_files"] == []
    assert str(team / "callwatch.toml") in report["files"]
    assert "project" not in cli("validate").stderr


def test_a_broken_team_file_is_reported_not_fatal(team: Path, cli: Invoke) -> None:
    """Deciding the language reads the team file: that must not stop validate."""
    (team / "callwatch.toml").write_text('data=["data/"]\ndefault=1\n', encoding="utf-8")
    github = cli("validate", "--format", "github")
    assert github.exit_code == 1
    assert github.stdout.startswith("::error file=callwatch.toml,line=2::default: unknown key")
    report = json.loads(cli("validate", "--json").stdout)
    assert [(p["file"], p["line"]) for p in report["problems"]] == [
        (str(team / "callwatch.toml"), 2)
    ]
    assert cli("list").exit_code == 65  # the other commands still stop on it


def test_the_team_language_applies_without_lang_options(team: Path, cli: Invoke) -> None:
    (team / "callwatch.toml").write_text(
        'data = ["data/"]\n[defaults]\nlang = "fr"\n', encoding="utf-8"
    )

    # help texts are worded as the commands load: in a process of their own
    def help_of(*args: str) -> str:
        run = [sys.executable, "-m", "callwatch", *args, "list", "--help"]
        return subprocess.run(run, capture_output=True, text=True, check=True).stdout

    assert "Exemples" in help_of()
    assert "Examples" in help_of("--lang", "en")
    assert "appel valide" in cli("validate").stderr
    assert "valid call" in cli("--lang", "en", "validate").stderr


def test_an_undefined_team_territory_default_is_located(team: Path, cli: Invoke) -> None:
    path = team / "callwatch.toml"
    path.write_text('data = ["data/"]\n[defaults]\nterritory = "gal-nope"\n', encoding="utf-8")
    checked = cli("validate")
    assert checked.exit_code == 1
    assert f"{path}:3: defaults.territory: unknown territory code 'gal-nope'" in checked.stdout
    listed = cli("--today", "2026-12-04", "list")
    assert listed.exit_code == 65
    assert listed.stderr.startswith(f"{path}:3: defaults.territory: unknown territory")
    assert "--territory" not in listed.stderr
    path.write_text('data = ["data/"]\n[defaults]\nterritory = "gal-lf"\n', encoding="utf-8")
    assert cli("validate").exit_code == 0
    assert "leader-1" in cli("--today", "2026-12-04", "list").stdout


def test_fetch_tables_name_known_portals(team: Path, cli: Invoke) -> None:
    path = team / "callwatch.toml"
    path.write_text(
        'data = ["data/"]\n\n[[fetch]]\nportal = "eu-portail"\noutput = "data/eu.toml"\n\n'
        '[[fetch]]\nportal = "aides-territoires"\noutput = "data/at.toml"\nperimetre = "1"\n',
        encoding="utf-8",
    )
    result = cli("validate")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}:3: fetch[0].portal: unknown portal 'eu-portail' (did you mean 'eu-portal'?); "
        "expected one of aides-territoires, eu-portal",
        f"{path}:7: fetch[1].perimetre: unknown key (did you mean 'perimeter'?); "
        "expected one of portal, output, text, audience, perimeter",
    ]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_help_points_at_a_file_a_wheel_lacks(cli: Invoke, lang: str) -> None:
    """`callwatch docs TOPIC` is in every install; docs/x.md only in a checkout."""
    for path in command_paths(typer.main.get_command(app)):
        shown = cli("--lang", lang, *path, "--help").stdout
        assert not re.search(r"docs/[\w-]+\.md", shown), (path, shown)
    template = (Path(__file__).parent.parent / "src/callwatch").glob("project_template*.toml")
    for file in template:
        assert "docs/" not in file.read_text(encoding="utf-8")


def test_config_show_says_which_data_the_digest_reads(team: Path, cli: Invoke) -> None:
    """No `data` in the digest config: the team file's, said so (in the team's language)."""
    (team / "callwatch.toml").write_text(
        'data = ["data/"]\n[defaults]\nlang = "fr"\n', encoding="utf-8"
    )
    assert cli("config", "init", "--config", "digest.toml").exit_code == 0
    shown = cli("config", "show", "--config", "digest.toml")
    assert shown.exit_code == 0, shown.output
    (line,) = [x for x in shown.stdout.splitlines() if x.startswith("data")]
    assert f"{team / 'data'} (source : data de {team / 'callwatch.toml'})" in line
    assert "serveur" in shown.stdout


def test_a_bad_member_is_reported_once_not_on_every_call(team: Path, cli: Invoke) -> None:
    """The territory is defined: the calls naming it are right, its member is not."""
    path = team / "data" / "territoires.toml"
    path.write_text(TERRITORIES.replace('"]', '", "commune:99999"]'), encoding="utf-8")
    result = cli("validate")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"{path}:1: unknown member 'commune:99999'"]
    assert "1 valid call" in result.stderr


def test_a_missing_data_path_is_located_and_the_rest_checked(team: Path, cli: Invoke) -> None:
    path = team / "callwatch.toml"
    path.write_text('data = ["data/", "missing/"]\n', encoding="utf-8")
    (team / "data" / "broken.toml").write_text(BROKEN, encoding="utf-8")
    missing = f"data[1]: no such file or directory: {team / 'missing'}"
    result = cli("validate")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == f"{path}:1: {missing}"
    assert f"{team / 'data' / 'broken.toml'}:5: call 'broken'" in result.stdout
    github = cli("validate", "--format", "github")
    assert github.exit_code == 1
    assert github.stdout.startswith("::error file=callwatch.toml,line=1::data[1]: no such file")
    report = json.loads(cli("validate", "--json").stdout)
    assert report["problems"][0] == {"file": str(path), "line": 1, "message": missing}
    assert report["calls"] == 1  # data/calls.toml still read
    listed = cli("--today", "2026-12-04", "list")  # the other commands stop on it, located
    assert listed.exit_code == 65
    assert listed.stderr.startswith(f"{path}:1: data[1]: no such file")


@pytest.mark.parametrize("text", ['data = ["data/"\n', "data = 3\n"])
def test_a_team_file_without_readable_data_checks_no_shipped_calls(
    team: Path, cli: Invoke, text: str
) -> None:
    path = team / "callwatch.toml"
    path.write_text(text, encoding="utf-8")
    result = cli("validate", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["files"] == [str(path)] and report["calls"] == 0
    assert [p["file"] for p in report["problems"]] == [str(path)]
    assert f"{path}: the team's calls were not checked" in result.stderr
    french = cli("--lang", "fr", "validate")
    assert "les appels de l'équipe n'ont pas été vérifiés" in french.stderr


@pytest.mark.parametrize("target", ["data/calls.toml", "data/territoires.toml"])
def test_a_team_id_in_capitals_suggests_the_team_id(team: Path, cli: Invoke, target: str) -> None:
    args = ["add", target, "--id", "x-1", "--title", "X", "--deadline", "2027-03-01"]
    result = cli(*args, "--territory", "GAL-LF", "--source", "Test")
    assert result.exit_code == 2
    assert "unknown territory code 'GAL-LF' (did you mean gal-lf?)" in result.stderr
    assert "epci:200070761" not in result.stderr
