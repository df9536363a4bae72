"""Shell completion: call ids, codes and languages from the data in use; paths left to the shell."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from callwatch.cli import app
from tests.conftest import WriteCalls

CALLS = """\
[[calls]]
id = "leader-2025"
title = "Appel LEADER"
territory = ["FR-63"]
sources = ["Test"]
deadlines = [{ date = 2025-03-15 }]

[[calls]]
id = "Leader-Bis"
title = "Autre appel"
territory = ["FR-BRE", "FR-ARA"]
sources = ["Test"]
deadlines = [{ date = 2025-03-15 }]
"""


def complete(line: str, kind: str = "zsh", **env: str) -> list[str]:
    """What callwatch answers the shell for *line* (completing its last word)."""
    result = CliRunner().invoke(
        app,
        [],
        prog_name="callwatch",
        env={
            "_CALLWATCH_COMPLETE": f"complete_{kind}",
            "_TYPER_COMPLETE_ARGS": line,
            "_TYPER_COMPLETE_FISH_ACTION": "get-args",
            **env,
        },
    )
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def values(lines: list[str]) -> list[str]:
    """zsh's ``value:hint`` lines (inside ``_arguments``) reduced to the values."""
    return [line.split(":", 1)[0].strip("\"'(") for line in lines if ":" in line]


def test_call_ids_from_the_data_given(write_calls: WriteCalls) -> None:
    data = str(write_calls(CALLS))
    for line in (
        f"callwatch --data {data} show lea",
        f"callwatch show --data {data} lea",
        f"callwatch check p.toml --data {data} --call lea",
        f"callwatch export --data {data} --call lea",
    ):
        assert "leader-2025" in "\n".join(complete(line)), line
    assert "leader" not in "\n".join(complete(f"callwatch --data {data} show x"))


def test_call_ids_from_the_team_file(
    tmp_path: Path, write_calls: WriteCalls, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_calls(CALLS, name="data/calls.toml")
    (tmp_path / "callwatch.toml").write_text('data = ["data/"]\n', encoding="utf-8")
    monkeypatch.delenv("CALLWATCH_TEAM")
    monkeypatch.chdir(tmp_path)
    assert "leader-2025" in "\n".join(complete("callwatch show l", kind="fish"))
    # a broken team file completes nothing, and says nothing
    (tmp_path / "callwatch.toml").write_text("data = [", encoding="utf-8")
    assert complete("callwatch show l", kind="fish") == [""]


def test_codes_and_languages(write_calls: WriteCalls) -> None:
    data = str(write_calls(CALLS))
    codes = "\n".join(complete(f"callwatch --data {data} list --territory FR-"))
    assert "FR-63" in codes and "FR-ARA" in codes and "FR-BRE" in codes
    beneficiaries = "\n".join(complete("callwatch list --beneficiary ass"))
    assert "association" in beneficiaries and "commune" not in beneficiaries
    assert complete("callwatch --lang ", kind="fish") == ["fr\tfrançais", "en\tEnglish"]


def test_paths_are_left_to_the_shell() -> None:
    # no answer for a path argument: zsh is told to complete files
    assert complete("callwatch check ") == ["_files"]


def test_export_call_keeps_only_that_call(write_calls: WriteCalls) -> None:
    """`export --call` (whose ids completion offers) exports that call's rounds only."""
    import json

    from tests.io_support import cli

    data = str(write_calls(CALLS))
    result = cli(
        "--today", "2025-01-01", "--data", data, "export", "-f", "json", "-c", "Leader-Bis"
    )
    assert result.exit_code == 0, result.output
    assert {r["call_id"] for r in json.loads(result.stdout)["rounds"]} == {"Leader-Bis"}
    assert cli("--data", data, "export", "--call", "nope").exit_code == 2
