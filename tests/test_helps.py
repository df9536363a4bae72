"""Small helps: hints for the usual slips, French windows, errors in the reader's language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Invoke, WriteCalls

CALL = '[[calls]]\nid = "x"\ntitle = "X"\n'


def validate(cli: Invoke, path: Path, *extra: str) -> str:
    result = cli("validate", str(path), *extra, env={"CALLWATCH_CACHE": "off"})
    assert result.exit_code == 1
    return result.stdout


def test_a_french_date_gets_the_iso_form(cli: Invoke, write_calls: WriteCalls) -> None:
    path = write_calls(CALL + "deadlines = [{ date = 15/01/2027 }]\n")
    out = validate(cli, path)
    assert f"{path}:4: invalid TOML:" in out
    assert "(dates are written YYYY-MM-DD, without quotes: 2027-01-15)" in out


def test_a_missing_comma_is_reported_on_its_own_line(cli: Invoke, write_calls: WriteCalls) -> None:
    path = write_calls(
        CALL + "deadlines = [\n  { date = 2019-03-15 }\n  { date = 2019-05-29 },\n]\n"
    )
    out = validate(cli, path)
    assert f"{path}:5: invalid TOML:" in out  # the line without its comma, not the next one
    assert "(a comma is missing at the end of this line)" in out


@pytest.mark.parametrize(
    "text",
    [
        CALL + "[[calls]\n",  # a table header missing a bracket, not an item missing a comma
        CALL + 'note = "[" # {\n[[calls]\n',  # brackets in strings and comments do not count
        CALL + 'note = """\n[\n"""\n[[calls]\n',
    ],
)
def test_a_broken_table_header_gets_no_comma_hint(
    cli: Invoke, write_calls: WriteCalls, text: str
) -> None:
    path = write_calls(text)
    out = validate(cli, path)
    header = text.splitlines().index("[[calls]") + 1
    assert f"{path}:{header}: invalid TOML: expected ']]'" in out
    assert "comma" not in out


def test_a_project_file_header_and_comma(tmp_path: Path) -> None:
    """The same two slips in a project file: a broken ``[[partners]`` header is reported
    on its own line without a comma hint; a missing comma on the line that lacks it."""
    from callwatch.files.projectfile import read_project

    head = '[project]\ntitle = "x"\n[[partners]]\nid = "a"\nname = "A"\n'
    broken = tmp_path / "broken.toml"
    broken.write_text(head + "[[partners]\n", encoding="utf-8")
    project, problems = read_project(broken)
    assert project is None and [p.line for p in problems] == [6]
    assert "expected ']]'" in problems[0].message and "comma" not in problems[0].message
    comma = tmp_path / "comma.toml"
    comma.write_text(head + 'roles = [\n  "lead"\n  "partner",\n]\n', encoding="utf-8")
    project, problems = read_project(comma)
    assert project is None and [p.line for p in problems] == [7]
    assert "(a comma is missing at the end of this line)" in problems[0].message


def test_a_rate_written_as_a_percentage_gets_the_fraction(
    cli: Invoke, write_calls: WriteCalls
) -> None:
    path = write_calls(CALL + "ongoing = true\n[calls.funding]\nrate = 60\n")
    assert "(a fraction: 0.6 for 60 %)" in validate(cli, path)


PROJECT = (
    '[project]\ntitle = "x"\n[[partners]]\nid = "a"\nname = "A"\n[[partners]]\nid = "b"\n'
    'name = "B"\n[[control]]\ncontroller = "a"\ncontrolled = "b"\nbasis = "shares"\nshare = '
)
FRACTION_HINTS = [
    ("60", "(a fraction: 0.6 for 60 %)", "(une fraction : 0.6 pour 60 %)"),
    # Not a percentage (1.5 % is no aid rate) nor one it can be (150 %): the rule alone.
    ("1.5", "(a fraction: 1 is 100 %)", "(une fraction : 1 vaut 100 %)"),
    ("150", "(a fraction: 1 is 100 %)", "(une fraction : 1 vaut 100 %)"),
]


@pytest.mark.parametrize(("value", "english", "french"), FRACTION_HINTS)
def test_a_share_or_rate_above_one_gets_one_hint_in_the_readers_language(
    cli: Invoke, write_calls: WriteCalls, value: str, english: str, french: str
) -> None:
    calls = write_calls(CALL + f"ongoing = true\n[calls.funding]\nrate = {value}\n")
    project = write_calls(PROJECT + value + "\n", name="projet.toml")
    for lang, hint in (("en", english), ("fr", french)):
        env = {"CALLWATCH_CACHE": "off"}
        rate = cli("--lang", lang, "validate", str(calls), env=env).stdout
        share = cli("--lang", lang, "check", str(project), "--call", "x", "--data", str(calls))
        assert share.exit_code == 65
        for out in (rate, share.stderr):
            assert out.count("(") == 1 and hint in out, out  # one hint, in one language
            assert ("expected a number at most 1" if lang == "en" else "au plus 1") in out


def test_a_fraction_gets_no_hint(cli: Invoke, write_calls: WriteCalls) -> None:
    calls = write_calls(CALL + "ongoing = true\n[calls.funding]\nrate = 0.6\n")
    project = write_calls(PROJECT + "0.6\n", name="projet.toml")
    assert cli("validate", str(calls), env={"CALLWATCH_CACHE": "off"}).exit_code == 0
    result = cli("check", str(project), "--call", "x", "--data", str(calls))
    assert result.exit_code != 65 and result.stderr == "", result.stderr  # a verdict
    assert "(a fraction" not in result.output


def test_validate_speaks_french(cli: Invoke, write_calls: WriteCalls) -> None:
    path = write_calls('[[calls]]\nid = "x"\ntitl = "X"\n')
    result = cli("validate", str(path), "--lang", "fr", env={"CALLWATCH_CACHE": "off"})
    assert result.exit_code == 1
    assert f"{path}:1: appel 'x' : champ obligatoire manquant 'title'" in result.stdout
    assert "champ inconnu 'titl' (vouliez-vous dire 'title' ?)" in result.stdout
    assert "2 problèmes dans 1 fichier ; 0 appel valide" in result.stderr


def test_an_error_read_back_from_the_cache_follows_the_reader(
    cli: Invoke, write_calls: WriteCalls
) -> None:
    """Problems are cached as worded when the file was read; they are shown translated."""
    path = write_calls(CALL + "ongoing = maybe\n")
    english = cli("validate", str(path))
    french = cli("validate", str(path), "--lang", "fr")
    assert "invalid TOML" in english.stdout
    assert "TOML invalide" in french.stdout


@pytest.mark.parametrize(
    ("window", "same_as"), [("14j", "14d"), ("2sem", "2w"), ("3mois", "3m"), ("1an", "1y")]
)
def test_due_takes_french_units(cli: Invoke, window: str, same_as: str) -> None:
    def until(w: str) -> str:
        result = cli("--today", "2019-03-01", "list", "--due", w, "--json")
        assert result.exit_code == 0, result.output
        return str(json.loads(result.stdout)["until"])

    assert until(window) == until(same_as)


def test_a_bad_window_is_explained_in_french(cli: Invoke) -> None:
    result = cli("list", "--due", "bientôt", "--lang", "fr")
    assert result.exit_code == 2
    assert "fenêtre invalide 'bientôt'" in result.stderr
    assert "14j" in result.stderr
