"""The services behind the commands, called directly: no Typer, no CliRunner.

A command only parses its options and hands them to one service function; these
tests call that function with an :class:`~callwatch.services.env.Env` built in
Python and read what it printed and the exit code it returned.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from callwatch.cli.settings import Settings
from callwatch.domain.errors import CallwatchError, Exit
from callwatch.services.check import check
from callwatch.services.export import export
from callwatch.services.listing import list_calls
from callwatch.services.validate import validate
from tests.conftest import WriteCalls

ROOT = Path(__file__).resolve().parents[1]
NO_FILTERS: tuple[None, None, None, None] = (None, None, None, None)

BROKEN = """
[[calls]]
id = "ok-call"
title = "Valid"
deadlines = [{ date = 2019-03-15 }]

[[calls]]
id = "bad call"
title = "Invalid id"
deadlines = [{ date = 2019-03-15 }]
"""


def test_list_prints_json_and_says_ok(capsys: pytest.CaptureFixture[str]) -> None:
    env = Settings(today="2019-03-01")
    code = list_calls(env, "30", False, False, NO_FILTERS, as_json=True)
    doc = json.loads(capsys.readouterr().out)
    assert code is Exit.OK
    assert doc["now"].startswith("2019-03-01")
    assert "feader-aura-2019-16-4" in [c["id"] for c in doc["calls"]]


def test_list_returns_data_error_after_showing_the_valid_calls(
    write_calls: WriteCalls, capsys: pytest.CaptureFixture[str]
) -> None:
    env = Settings(today="2019-03-01", data=[write_calls(BROKEN)])
    code = list_calls(env, None, False, False, NO_FILTERS, as_json=True)
    out = capsys.readouterr()
    assert code is Exit.DATA
    assert [c["id"] for c in json.loads(out.out)["calls"]] == ["ok-call"]
    assert "calls.toml:" in out.err


def test_validate_counts_problems(
    write_calls: WriteCalls, capsys: pytest.CaptureFixture[str]
) -> None:
    code = validate(Settings(), [write_calls(BROKEN)], as_json=False)
    assert code is Exit.PROBLEM
    assert capsys.readouterr().err.startswith("1 problem in 1 file; 1 valid call")


def test_check_one_call_returns_the_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    env = Settings(today="2019-03-01", lang="en")
    project = ROOT / "examples" / "legumerie-eligible.toml"
    assert check(env, project, "feader-aura-2019-16-4", as_json=True) is Exit.OK
    assert json.loads(capsys.readouterr().out)["verdict"] == "eligible"
    outside = ROOT / "examples" / "outside-territory.toml"
    assert check(env, outside, "feader-aura-2019-16-4", as_json=False) is Exit.PROBLEM


def test_a_bad_option_is_an_error_value_not_an_exit(tmp_path: Path) -> None:
    with pytest.raises(CallwatchError) as err:
        export(Settings(today="2019-03-01"), None, False, False, NO_FILTERS, "pdf", None)
    assert err.value.code is Exit.USAGE
    assert "--format: unknown format 'pdf'" in str(err.value)


def test_export_writes_the_file_atomically(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "rounds.csv"
    code = export(Settings(today="2019-03-01"), None, False, False, NO_FILTERS, None, target)
    assert code is Exit.OK
    assert target.read_text(encoding="utf-8").splitlines()[0].startswith("call_id,")
    assert "rounds exported" in capsys.readouterr().err
