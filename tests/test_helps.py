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


def test_a_rate_written_as_a_percentage_gets_the_fraction(
    cli: Invoke, write_calls: WriteCalls
) -> None:
    path = write_calls(CALL + "ongoing = true\n[calls.funding]\nrate = 60\n")
    assert "(a fraction: 0.6 for 60 %)" in validate(cli, path)


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
