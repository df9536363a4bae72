"""Territories end to end: `callwatch territory`, `list --territory`, calls and project
files naming communes, EPCI and team territories, `validate`, `check`, digest filters."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from callwatch.domain.criteria import Compare
from tests.conftest import Invoke, WriteCalls


def call(ident: str, *places: str) -> str:
    where = ", ".join(json.dumps(p) for p in places)
    line = f"territory = [{where}]\n" if places else ""
    return f'[[calls]]\nid = "{ident}"\ntitle = "{ident}"\nongoing = true\n{line}\n'


CALLS = (
    call("ambert", "commune:63003")
    + call("clermont", "Clermont-Ferrand")
    + call("alf", "epci:200070761")
    + call("dep63", "FR-63")
    + call("ara", "FR-ARA")
    + call("france", "FR")
    + call("cantal", "FR-15")
    + call("nowhere")
    + call("saint-flour", "St-Flour")
    + call("paris", "FR-75")
)
TEAMS = """
[[territories]]
id = "gal-livradois-forez"
name = "GAL Livradois-Forez"
members = ["epci:200070761", "Thiers"]

[[territories]]
id = "pays-auvergne"
name = "Pays d'Auvergne"
members = ["gal-livradois-forez", "commune:15187"]
"""


def listed(cli: Invoke, data: Path, *args: str) -> list[str]:
    result = cli("--today", "2026-12-04", "list", "--data", str(data), "--json", *args)
    assert result.exit_code == 0, result.output
    return sorted(c["id"] for c in json.loads(result.stdout)["calls"])


def test_territory_json_as_the_issue_shows(cli: Invoke) -> None:
    result = cli("territory", "--json", "commune:63003")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "schema": "callwatch.territory/1",
        "results": [
            {
                "query": "commune:63003",
                "matches": [
                    {
                        "code": "commune:63003",
                        "name": "Ambert",
                        "kind": "commune",
                        "within": ["epci:200070761", "FR-63", "FR-ARA", "FR"],
                    }
                ],
            }
        ],
    }


def test_territory_text_notes_and_languages(cli: Invoke) -> None:
    result = cli("territory", "Ambert", "FR-75", "63")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Ambert → commune:63003 Ambert (commune)",
        "    within epci:200070761 (CC Ambert Livradois Forez), FR-63 (Puy-de-Dôme), "
        "FR-ARA (Auvergne-Rhône-Alpes), FR (France)",
        "FR-75 → FR-75C Paris (collectivity)",
        "    within FR-IDF (Île-de-France), FR (France)",
        "    the ISO 3166-2 code of Paris is FR-75C",
        "63 → FR-63 Puy-de-Dôme (département)",
        "    within FR-ARA (Auvergne-Rhône-Alpes), FR (France)",
    ]
    french = cli("--lang", "fr", "territory", "FR-COR")
    assert french.stdout.splitlines()[-1] == "    FR-COR est l'ancien code ISO 3166-2 de la Corse"
    data = json.loads(cli("territory", "--json", "FR-COR").stdout)
    assert data["results"][0]["matches"][0]["note"] == "corsica"
    # foreign countries and regions in the reader's language, as show gives them
    foreign_fr = cli("--lang", "fr", "territory", "DE", "IT-21").stdout.splitlines()
    assert foreign_fr == [
        "DE → DE Allemagne (pays)",
        "IT-21 → IT-21 Piémont (région)",
        "    dans IT (Italie)",
    ]
    english = cli("--lang", "en", "territory", "DE", "IT-21").stdout.splitlines()
    assert english == [
        "DE → DE Germany (country)",
        "IT-21 → IT-21 Piemonte (region)",
        "    within IT (Italy)",
    ]


def test_territory_ambiguous_lists_all_unknown_exits_1(cli: Invoke) -> None:
    result = cli("territory", "--json", "Saint-Martin", "Ambrt")
    assert result.exit_code == 1
    results = json.loads(result.stdout)["results"]
    assert len(results[0]["matches"]) == 6
    assert results[1] == {"query": "Ambrt", "matches": []}
    assert result.stderr == (
        "callwatch: no territory matches 'Ambrt' (did you mean commune:63003 Ambert (FR-63)?)\n"
    )
    assert cli("territory", "Saint-Martin").exit_code == 0


def test_list_by_commune_shows_what_holds_it(cli: Invoke, write_calls: WriteCalls) -> None:
    data = write_calls(CALLS)
    ambert = ["alf", "ambert", "ara", "dep63", "france", "nowhere"]
    for query in ("commune:63003", "Ambert", "ambert", "FR-63003"):
        assert listed(cli, data, "--territory", query) == ambert, query
    # A département: every call inside it or holding it.
    in63 = ["alf", "ambert", "ara", "clermont", "dep63", "france", "nowhere"]
    assert listed(cli, data, "--territory", "FR-63") == in63
    assert listed(cli, data, "--territory", "63") == listed(cli, data, "--territory", "FR-63")
    assert listed(cli, data, "--territory", "Cantal") == [
        "ara",
        "cantal",
        "france",
        "nowhere",
        "saint-flour",
    ]


def test_list_notes_old_codes_and_refuses_ambiguity(cli: Invoke, write_calls: WriteCalls) -> None:
    data = write_calls(CALLS)
    result = cli("--today", "2026-12-04", "list", "--data", str(data), "--territory", "FR-75")
    assert result.exit_code == 0
    assert "note: 'FR-75' reads as FR-75C (Paris); the ISO 3166-2 code of Paris is FR-75C\n" in (
        result.stderr
    )
    assert "paris" in result.stdout
    result = cli("list", "--data", str(data), "--territory", "63600")
    assert result.exit_code == 2
    assert result.stderr.startswith("callwatch: --territory: ambiguous territory '63600': 10 ")
    assert result.stderr.count("\n") == 1


def test_team_territories_in_lists(cli: Invoke, write_calls: WriteCalls) -> None:
    data = write_calls(
        CALLS + call("leader", "gal-livradois-forez") + call("pays", "pays-auvergne")
    )
    write_calls(TEAMS, name="territories.toml")
    folder = data.parent
    in_gal = listed(cli, folder, "--territory", "gal-livradois-forez")
    assert in_gal == ["alf", "ambert", "ara", "dep63", "france", "leader", "nowhere", "pays"]
    # Thiers is a member, Clermont is not; Saint-Flour is in the Pays, not the GAL.
    assert "leader" in listed(cli, folder, "--territory", "Thiers")
    assert "leader" not in listed(cli, folder, "--territory", "Clermont-Ferrand")
    assert "pays" in listed(cli, folder, "--territory", "St-Flour")
    assert "leader" not in listed(cli, folder, "--territory", "St-Flour")
    assert "leader" in listed(cli, folder, "--territory", "FR-63")  # all its members are
    result = cli("territory", "--data", str(folder), "--json", "commune:63003")
    within = json.loads(result.stdout)["results"][0]["matches"][0]["within"]
    assert within == [
        "epci:200070761",
        "gal-livradois-forez",
        "pays-auvergne",
        "FR-63",
        "FR-ARA",
        "FR",
    ]
    unknown = cli("list", "--data", str(folder), "--territory", "gal-nowhere")
    assert unknown.exit_code == 2
    assert "unknown territory code 'gal-nowhere'" in unknown.stderr


def test_validate_locates_team_problems_and_notes(cli: Invoke, write_calls: WriteCalls) -> None:
    data = write_calls(call("a", "gal-x") + call("b", "Ambert") + call("c", "gal-unknown"))
    write_calls(
        """
        [[territories]]
        id = "gal-x"
        name = "X"
        members = ["epci:200070761"]

        [[territories]]
        id = "gal-y"
        name = "Y"
        members = ["gal-z"]

        [[territories]]
        id = "gal-z"
        name = "Z"
        members = ["gal-y", "Saint-Martin", "commune:99999"]
        """,
        name="more/teams.toml",
    )
    write_calls('[[territories]]\nid = "gal-x"\nname = "again"\nmembers = ["FR"]\n', "z.toml")
    result = cli("validate", str(data.parent))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    teams, other = data.parent / "more/teams.toml", data.parent / "z.toml"
    assert f"{data}:17: call 'c': territory[0]: unknown territory code 'gal-unknown': " in (
        "\n".join(lines)
    )
    assert f"{other}:1: duplicate territory id 'gal-x'" in lines
    assert f"{teams}:6: territory 'gal-y' contains itself through its members" in lines
    assert f"{teams}:11: unknown member 'commune:99999'" in lines
    assert any(line.startswith(f"{teams}:11: ambiguous member 'Saint-Martin'") for line in lines)
    assert f"{data}:11: note: call 'b': territory[0]: 'Ambert' reads as commune:63003 (Ambert)" in (
        lines
    )
    data_json = json.loads(cli("validate", "--json", str(data.parent)).stdout)
    assert [n["line"] for n in data_json["notes"]] == [11]


def test_check_decides_the_territory_of_a_project_in_a_commune(
    cli: Invoke, write_calls: WriteCalls, tmp_path: Path
) -> None:
    data = write_calls(CALLS + call("leader", "gal-livradois-forez"), name="data/calls.toml")
    write_calls(TEAMS, name="data/territories.toml")
    project = tmp_path / "projet.toml"
    project.write_text('[project]\ntitle = "Épicerie"\nterritory = "63600"\n', encoding="utf-8")
    result = cli("check", str(project), "--data", str(data.parent))
    assert result.exit_code == 65
    assert "project.territory: ambiguous territory '63600'" in result.stderr

    def verdict(place: str, ident: str) -> tuple[int, str]:
        text = f'[project]\ntitle = "Épicerie"\nterritory = "{place}"\n'
        project.write_text(text, encoding="utf-8")
        args = ("--today", "2026-12-04", "check", str(project), "--data", str(data.parent))
        result = cli(*args, "--call", ident, "--json")
        return result.exit_code, json.loads(result.stdout)["verdict"]

    # These calls encode no criteria: eligible on their general conditions only (exit 4).
    assert verdict("Ambert", "dep63") == (4, "eligible")
    assert verdict("Ambert", "leader") == (4, "eligible")
    assert verdict("Ambert", "cantal") == (1, "not_eligible")
    assert verdict("commune:63113", "leader") == (1, "not_eligible")  # Clermont: not a member
    assert verdict("gal-livradois-forez", "ara") == (4, "eligible")
    assert verdict("pays-auvergne", "leader") == (1, "not_eligible")  # larger than the GAL


def test_project_naming_an_unknown_team_territory(
    cli: Invoke, write_calls: WriteCalls, tmp_path: Path
) -> None:
    data = write_calls(CALLS)
    project = tmp_path / "projet.toml"
    project.write_text('[project]\ntitle = "P"\nterritory = "gal-nowhere"\n', encoding="utf-8")
    result = cli("--today", "2026-12-04", "check", str(project), "--data", str(data))
    assert result.exit_code == 65
    assert f"{project}: unknown territory code 'gal-nowhere'" in result.stderr


def test_criteria_and_digest_filters_read_every_form(tmp_path: Path) -> None:
    from callwatch.files.loading import load_file
    from callwatch.services.config import load_config

    path = tmp_path / "calls.toml"
    path.write_text(
        call("x")
        + '[[calls.criteria]]\nid = "lieu"\nlabel = "Lieu"\n'
        + 'check = { path = "project.territory", within = ["63", "Cantal"] }\n',
        encoding="utf-8",
    )
    calls, problems = load_file(path)
    assert problems == []
    check = calls[0].criteria[0].check
    assert isinstance(check, Compare)
    assert check.value == ("FR-63", "FR-15")
    config = tmp_path / "config.toml"
    config.write_text(
        '[smtp]\nhost = "smtp.example.org"\nfrom = "cw@example.org"\n\n'
        '[[subscribers]]\nto = "claire@example.org"\nterritory = ["Ambert", "fr-63", "2A"]\n',
        encoding="utf-8",
    )
    sub = load_config(config).subscribers[0]
    assert sub.territory == ("commune:63003", "FR-63", "FR-2A")


PROBE = """
import sys
from callwatch.cli import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
from callwatch.domain import territories
print("TABLE:", territories.table.cache_info().currsize)
"""


@pytest.mark.parametrize(
    ("args", "loaded"),
    [
        (("list", "--territory", "FR-63"), 0),
        (("list", "--territory", "63"), 0),
        (("list", "--territory", "fr-75"), 0),
        (("list", "--territory", "commune:63003"), 1),
        (("territory", "Ambert"), 1),
    ],
)
def test_only_commune_and_epci_codes_load_the_table(
    write_calls: WriteCalls, args: tuple[str, ...], loaded: int
) -> None:
    data = write_calls(call("a", "FR-63") + call("b", "FR") + call("c"))
    out = subprocess.run(
        [sys.executable, "-c", PROBE, "--today", "2026-12-04", *args, "--data", str(data)],
        capture_output=True,
        text=True,
        check=True,
        env={"CALLWATCH_CACHE": str(data.parent / "cache"), "PATH": "/usr/bin:/bin"},
    ).stdout
    assert out.splitlines()[-1] == f"TABLE: {loaded}"


def test_validate_notes_the_canonical_code_of_a_project(cli: Invoke, tmp_path: Path) -> None:
    project = tmp_path / "projet.toml"
    project.write_text(
        '[project]\ntitle = "P"\nterritory = "FR-75"\n\n'
        '[[partners]]\nid = "a"\nname = "A"\nterritory = "St-Flour"\n\n'
        '[[partners]]\nid = "b"\nname = "B"\nterritory = "FR-63"\n',
        encoding="utf-8",
    )
    result = cli("validate", str(project))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{project}:3: note: project.territory: 'FR-75' reads as FR-75C (Paris); "
        "the ISO 3166-2 code of Paris is FR-75C",
        f"{project}:8: note: partners[0].territory: 'St-Flour' reads as commune:15187 "
        "(Saint-Flour)",
    ]


def test_the_team_file_default_territory_is_read_like_list_reads_it(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CALLWATCH_TEAM", raising=False)
    root = tmp_path / "equipe"
    (root / ".git").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "data" / "calls.toml").write_text(CALLS, encoding="utf-8")
    team = root / "callwatch.toml"
    team.write_text('data = ["data/"]\n[defaults]\nterritory = "Ambert"\n', encoding="utf-8")
    monkeypatch.chdir(root)
    result = cli("--today", "2026-12-04", "list", "--json")
    assert result.exit_code == 0, result.output
    ids = sorted(c["id"] for c in json.loads(result.stdout)["calls"])
    assert ids == ["alf", "ambert", "ara", "dep63", "france", "nowhere"]
    team.write_text('data = ["data/"]\n[defaults]\nterritory = "63600"\n', encoding="utf-8")
    result = cli("--today", "2026-12-04", "list")
    assert result.exit_code == 65
    assert f"{team}:3: defaults.territory: ambiguous territory '63600': 10 candidates" in (
        result.stderr
    )


def test_validate_checks_a_projects_team_territory(
    cli: Invoke, write_calls: WriteCalls, tmp_path: Path
) -> None:
    data = write_calls(CALLS)
    write_calls(TEAMS, name="territories.toml")
    project = tmp_path / "projet.toml"
    project.write_text('[project]\ntitle = "P"\nterritory = "gal-livradois-forez"\n', "utf-8")
    assert cli("validate", str(project), str(data.parent)).exit_code == 0
    project.write_text('[project]\ntitle = "P"\nterritory = "gal-nowhere"\n', "utf-8")
    for args in ((str(project), str(data.parent)), (str(project),)):
        result = cli("validate", *args)
        assert result.exit_code == 1
        assert f"{project}: unknown territory code 'gal-nowhere'" in result.stdout


def test_a_criterion_may_name_a_team_territory(
    cli: Invoke, write_calls: WriteCalls, tmp_path: Path
) -> None:
    criterion = (
        '[[calls.criteria]]\nid = "lieu"\nlabel = "Lieu"\n'
        'check = { path = "project.territory", within = ["{place}"] }\n\n'
    )
    data = write_calls(
        call("leader")
        + criterion.replace("{place}", "gal-livradois-forez")
        + call("typo")
        + criterion.replace("{place}", "gal-nowhere"),
        name="data/calls.toml",
    )
    write_calls(TEAMS, name="data/territories.toml")
    project = tmp_path / "projet.toml"
    project.write_text('[project]\ntitle = "P"\nterritory = "Ambert"\n', encoding="utf-8")
    args = ("--today", "2026-12-04", "check", str(project), "--data", str(data.parent))
    result = cli(*args, "--call", "leader", "--json")
    assert (result.exit_code, json.loads(result.stdout)["verdict"]) == (0, "eligible")
    project.write_text('[project]\ntitle = "P"\nterritory = "Clermont-Ferrand"\n', "utf-8")
    result = cli(*args, "--call", "leader", "--json")
    assert (result.exit_code, json.loads(result.stdout)["verdict"]) == (1, "not_eligible")
    assert f"{data}:16: call 'typo': criteria[0]: unknown territory code 'gal-nowhere'" in (
        result.stderr
    )
    assert cli(*args, "--call", "typo").exit_code == 2  # left out, like any invalid call
