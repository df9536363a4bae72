"""Issue 11's remaining gaps: `add` checks team ids like `validate`, every problem of a
call in one run, French names of the overseas régions, territory messages in French,
and the user's own values never translated."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Invoke, WriteCalls

TODAY = {"CALLWATCH_TODAY": "2026-12-04"}


# ---------------------------------------------------------------- L: values kept


def test_french_keeps_the_users_values(cli: Invoke, write_calls: WriteCalls) -> None:
    """'none' and 'deadline' are catalog words ("aucun", "Échéance"): as an id, a
    territory or a title they are the user's and stay as written."""
    path = write_calls(
        """
        [[calls]]
        id = "none"
        title = "none"
        territory = ["zz"]
        ongoing = true
        """
    )
    shown = cli("--lang", "fr", "--data", str(path), "show", "deadline", env=TODAY)
    assert "aucun appel d'id 'deadline'" in shown.stderr
    missing = cli("--lang", "fr", "show", "none", env=TODAY)
    assert "aucun appel d'id 'none'" in missing.stderr
    listed = cli("--lang", "fr", "list", "--territory", "none", env=TODAY)
    assert "code de territoire inconnu 'none'" in listed.stderr
    assert "'aucun'" not in listed.stderr
    checked = cli("--lang", "fr", "validate", str(path), env=TODAY)
    assert "appel 'none' : territory[0] : code de territoire inconnu 'zz'" in checked.stdout


def test_localize_translates_messages_inside_blanks_but_not_values() -> None:
    from callwatch.i18n import localize

    text = "no call with id 'none'"
    assert localize(text, "fr") == "aucun appel d'id 'none'"
    # {hint} holds one of our messages: still translated
    assert localize("no call with id 'x' (see `callwatch list --all`)", "fr").endswith(
        "(voir `callwatch list --all`)"
    )


# ---------------------------------------------------------------- A: add checks team ids

TEAM = """
[[territories]]
id = "gal-livradois-forez"
name = "GAL Livradois-Forez"
members = ["epci:200070761"]
"""
ADD = ["add", "--id", "z", "--title", "T", "--deadline", "2027-02-01"]


def test_add_refuses_a_team_id_defined_nowhere(cli: Invoke, tmp_path: Path) -> None:
    """`ambrt` looks like a team id; nothing defines it: refused, nothing written,
    where it used to be "added" and then break validate and list."""
    target = tmp_path / "e.toml"
    target.write_text("")
    result = cli(*ADD[:1], str(target), *ADD[1:], "--territory", "ambrt", env=TODAY)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "territory[0]: unknown territory code 'ambrt'" in result.stderr
    assert "did you mean commune:63003 Ambert (FR-63)?" in result.stderr
    assert target.read_text() == ""
    french = cli("--lang", "fr", "add", str(target), *ADD[1:], "--territory", "ambrt", env=TODAY)
    assert "code de territoire inconnu 'ambrt' (vouliez-vous dire" in french.stderr


def test_add_accepts_a_team_id_of_the_file_or_the_data(cli: Invoke, tmp_path: Path) -> None:
    own = tmp_path / "own.toml"
    own.write_text(TEAM)
    added = cli("add", str(own), *ADD[1:], "--territory", "gal-livradois-forez", env=TODAY)
    assert added.exit_code == 0, added.stderr
    assert cli("validate", str(own), env=TODAY).exit_code == 0
    typo = cli(
        "add", str(own), "--id", "y", *ADD[3:], "--territory", "gal-livradois-forex", env=TODAY
    )
    assert typo.exit_code == 2
    assert "(did you mean gal-livradois-forez?)" in typo.stderr
    # defined in the data in use, the call going to another file
    other = tmp_path / "other.toml"
    other.write_text("")
    data = ["--data", str(own), "--data", str(other)]
    ok = cli(
        *data,
        "add",
        str(other),
        "--id",
        "w",
        *ADD[3:],
        "--territory",
        "gal-livradois-forez",
        env=TODAY,
    )
    assert ok.exit_code == 0, ok.stderr
    assert cli(*data, "validate", env=TODAY).exit_code == 0


def test_add_accepts_a_team_id_of_the_team_files_data(
    cli: Invoke, tmp_path: Path, monkeypatch: object
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "teams.toml").write_text(TEAM)
    (tmp_path / "callwatch.toml").write_text('data = ["data"]\n')
    env = {**TODAY, "CALLWATCH_TEAM": str(tmp_path / "callwatch.toml")}
    target = tmp_path / "data" / "calls.toml"
    ok = cli("add", str(target), *ADD[1:], "--territory", "gal-livradois-forez", env=env)
    assert ok.exit_code == 0, ok.stderr
    bad = cli("add", str(target), "--id", "y", *ADD[3:], "--territory", "gal-nope", env=env)
    assert bad.exit_code == 2


# ---------------------------------------------------------------- J: every problem


def test_validate_reports_a_team_id_beside_another_territory_problem(
    cli: Invoke, write_calls: WriteCalls
) -> None:
    path = write_calls(
        """
        [[calls]]
        id = "x"
        title = "x"
        territory = ["gal-nope", "zz"]
        ongoing = true

        [[calls]]
        id = "y"
        title = "y"
        territory = ["gal-other"]
        deadlines = [{ date = 2027-02-01 }, { date = 2027-02-01 }]
        """
    )
    result = cli("validate", str(path), env=TODAY)
    assert result.exit_code == 1
    assert "territory[0]: unknown territory code 'gal-nope'" in result.stdout
    assert "territory[1]: unknown territory code 'zz'" in result.stdout
    assert "call 'y': deadlines[1]: same deadline as deadlines[0]" in result.stdout
    assert "call 'y': territory[0]: unknown territory code 'gal-other'" in result.stdout


# ---------------------------------------------------------------- H: overseas by name


def test_overseas_names_read_as_the_french_subdivision(
    cli: Invoke, write_calls: WriteCalls
) -> None:
    from callwatch.domain.territories import resolve

    expected = {
        "Reunion": "FR-974",
        "Réunion": "FR-974",
        "Martinique": "FR-972",
        "Mayotte": "FR-976",
        "Guadeloupe": "FR-971",
        "French Guiana": "FR-973",
        "New Caledonia": "FR-NC",
    }
    for query, code in expected.items():
        found = resolve(query)
        assert [m.code for m in found] == [code], query
        assert found[0].within[-1] == "FR"
    assert [m.code for m in resolve("RE")] == ["RE"]  # a code stays the code written
    assert [m.code for m in resolve("Germany")] == ["DE"]
    # a commune is really named La Réunion (Lot-et-Garonne): still both, never a guess
    assert [m.code for m in resolve("La Réunion")] == ["FR-974", "commune:47222"]
    path = write_calls(
        """
        [[calls]]
        id = "france"
        title = "France"
        territory = ["FR"]
        ongoing = true

        [[calls]]
        id = "reunion"
        title = "Réunion"
        territory = ["Réunion"]
        ongoing = true
        """
    )
    data = ("--data", str(path))
    by_name = cli(*data, "list", "--territory", "Reunion", "--json", env=TODAY)
    by_number = cli(*data, "list", "--territory", "974", "--json", env=TODAY)
    assert by_name.exit_code == 0, by_name.stderr
    assert by_name.stdout == by_number.stdout
    assert '"france"' in by_name.stdout and '"reunion"' in by_name.stdout
    shown = cli("--lang", "fr", "territory", "Martinique", env=TODAY)
    assert shown.exit_code == 0
    assert "FR-972" in shown.stdout and "subdivision française" in shown.stdout


# ---------------------------------------------------------------- G: French wording

TEAM_PROBLEMS = """
[[territories]]
id = "gal-a"
name = "A"
members = ["gal-b"]

[[territories]]
id = "gal-b"
name = "B"
members = ["gal-a"]

[[territories]]
id = "gal-b"
name = "B again"
members = ["FR-63"]

[[territories]]
id = "Bad"
name = "Bad"
members = ["FR-63"]

[[territories]]
id = "ambert"
name = "Ambert's"
members = ["FR-63"]

[[territories]]
id = "gal-c"
name = "C"
members = []
"""


def test_team_territory_problems_in_french(cli: Invoke, write_calls: WriteCalls) -> None:
    path = write_calls(TEAM_PROBLEMS)
    english = cli("validate", str(path), env=TODAY).stdout
    assert "territory 'gal-a' contains itself through its members" in english
    assert "territories[5]: members: list at least one member" in english
    french = cli("--lang", "fr", "validate", str(path), env=TODAY).stdout
    for words in (
        "le territoire 'gal-a' se contient lui-même par ses membres",
        "id de territoire en double 'gal-b'",
        "id de territoire 'Bad' : des mots en minuscules reliés par - attendus",
        "l'id de territoire 'ambert' désigne déjà commune:63003 Ambert (FR-63) : choisissez-en",
        "territories[5] : members : donnez au moins un membre",
    ):
        assert words in french
    for english_words in ("contains itself", "duplicate", "expected", "already names", "list "):
        assert english_words not in french


def test_reading_notes_in_french(cli: Invoke, write_calls: WriteCalls) -> None:
    """Notes are worded when a file is validated (and cached): shown in French all the
    same, the second time from the cache too."""
    path = write_calls('[[calls]]\nid = "p"\ntitle = "p"\nterritory = ["FR-75"]\nongoing = true\n')
    for _ in range(2):
        french = cli("--lang", "fr", "validate", str(path), env=TODAY).stdout
        assert "« FR-75 » se lit FR-75C (Paris) ; le code ISO 3166-2 de Paris est FR-75C" in french
    english = cli("validate", str(path), env=TODAY).stdout
    assert "'FR-75' reads as FR-75C (Paris); the ISO 3166-2 code of Paris is FR-75C" in english


def test_ambiguity_points_to_the_territory_command(cli: Invoke) -> None:
    english = cli("list", "--territory", "63600", env=TODAY)
    assert english.exit_code == 2
    assert english.stderr.rstrip().endswith(
        "(and 2 more: `callwatch territory 63600` lists them all)"
    )
    french = cli("--lang", "fr", "list", "--territory", "63600", env=TODAY)
    assert french.stderr.rstrip().endswith(
        "(et 2 autres : `callwatch territory 63600` les donne toutes)"
    )
    everything = cli("territory", "63600", "--json", env=TODAY)
    assert everything.stdout.count('"code": "commune:') == 10


# ---------------------------------------------------------------- hints and wrapping


def test_corsica_old_number_and_former_communes_get_a_hint(cli: Invoke) -> None:
    from callwatch.domain.territories import resolve, table

    for query in ("20", "FR-20"):
        assert resolve(query) == []  # a hint, never a reading
        found = cli("territory", query, env=TODAY)
        assert found.exit_code == 1
        assert "(did you mean FR-2A Corse-du-Sud, FR-2B Haute-Corse?)" in found.stderr
    listed = cli("list", "--territory", "20", env=TODAY)
    assert "'20' (did you mean FR-2A Corse-du-Sud, FR-2B Haute-Corse?)" in listed.stderr
    # Annecy-le-Vieux merged into Annecy in 2017: the Etalab data lists it as a
    # commune déléguée of 74010
    assert resolve("Annecy-le-Vieux") == []
    part_of = "(a former commune, now part of commune:74010 Annecy (FR-74))"
    assert part_of in cli("territory", "Annecy-le-Vieux", env=TODAY).stderr
    assert part_of in cli("list", "--territory", "annecy le vieux", env=TODAY).stderr
    french = cli("--lang", "fr", "territory", "Annecy-le-Vieux", env=TODAY).stderr
    assert "(une ancienne commune, qui fait désormais partie de commune:74010 Annecy" in french
    # the former communes' lines are not names: they never resolve nor feed "did you mean"
    assert "annecy le vieux" not in table().names
    assert table().names["ambert"] == ["commune:63003"]


def test_territory_wraps_to_the_terminal(cli: Invoke) -> None:
    narrow = cli("territory", "Ambert", env={**TODAY, "COLUMNS": "60"}).stdout
    lines = narrow.splitlines()
    assert all(len(line) <= 60 for line in lines)
    assert lines[1].startswith("    within epci:200070761") and lines[2].startswith("    FR")
    assert "FR (France)" in narrow  # a code stays with its name
    wide = cli("territory", "Ambert", env={**TODAY, "COLUMNS": "200"}).stdout
    assert " ".join(narrow.split()) == " ".join(wide.split())
    assert len(wide.splitlines()) == 2
