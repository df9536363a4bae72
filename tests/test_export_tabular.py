"""`callwatch export --format json|csv`: one row per round, parsed back."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from callwatch.exporters.tabular import COLUMNS, EXPORT_SCHEMA
from tests.io_support import SHIPPED, cli


def export(*args: str) -> bytes:
    result = cli("--today", "2019-03-01", "export", *args)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def test_json_rows() -> None:
    doc = json.loads(export("--data", str(SHIPPED), "--format", "json"))
    assert doc["schema"] == EXPORT_SCHEMA
    assert doc["now"] == "2019-03-01T00:00:00+01:00"
    assert doc["until"] is None
    rows = doc["rounds"]
    assert len(rows) == 29  # see test_export_ics: every shipped round is open on 2019-03-01
    first = rows[0]
    assert list(first) == list(COLUMNS)
    assert first["call_id"] == "feader-aura-2019-16-4"
    assert first["label"] == "1re session"
    assert first["all_day"] is True
    assert first["closes_at"] == "2019-03-15T23:59:59+01:00"  # a bare date: end of that day
    assert first["days_left"] == 14
    assert first["status"] == "closing_soon"
    assert first["funders"] == ["Union européenne (FEADER)", "Région Auvergne-Rhône-Alpes"]
    eu = next(r for r in rows if r["call_id"] == "ESC-HUMAID-2021-QUAL-LABEL-FP")
    assert (eu["date"], eu["time"], eu["timezone"]) == ("2021-09-22", "17:00", "Europe/Brussels")
    assert eu["closes_at"] == "2021-09-22T17:00:00+02:00"
    assert eu["source_id"] == "eu-portal:ESC-HUMAID-2021-QUAL-LABEL-FP"
    closes = [r["closes_at"] for r in rows]
    assert closes == sorted(closes, key=lambda c: c[:10])  # soonest first


def test_json_due_window() -> None:
    doc = json.loads(export("--data", str(SHIPPED), "--format", "json", "--due", "2019-06-01"))
    assert doc["until"] == "2019-06-01T23:59:59+02:00"
    assert [(r["call_id"], r["date"]) for r in doc["rounds"]] == [
        ("feader-aura-2019-16-4", "2019-03-15"),
        ("feader-aura-2019-16-4", "2019-05-29"),
    ]


def test_csv_matches_json_and_neutralises_formulas(tmp_path: Path) -> None:
    calls = tmp_path / "calls.toml"
    calls.write_text(
        """
[[calls]]
id = "formula"
title = "=HYPERLINK(\\"http://evil\\",\\"x\\")"
funders = ["@SUM(1)", "Région"]
deadlines = [{ date = 2019-04-01, label = "+1" }]
""",
        encoding="utf-8",
    )
    out = tmp_path / "rounds.csv"
    result = cli("--today", "2019-03-01", "--data", str(calls), "export", "-o", str(out))
    assert result.exit_code == 0, result.output  # the format comes from the suffix
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 1
    row = rows[0]
    assert tuple(row) == COLUMNS
    assert row["title"] == '\'=HYPERLINK("http://evil","x")'
    assert row["funders"] == "'@SUM(1); Région"
    assert row["label"] == "'+1"
    assert row["days_left"] == "31"
    assert row["all_day"] == "true"


def test_csv_of_shipped_data() -> None:
    data = export("--data", str(SHIPPED), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    doc = json.loads(export("--data", str(SHIPPED), "--format", "json"))
    assert [(r["call_id"], r["date"]) for r in rows] == [
        (r["call_id"], r["date"]) for r in doc["rounds"]
    ]


def test_unknown_format_is_a_usage_error() -> None:
    result = cli("export", "--format", "xml", "--lang", "en")
    assert result.exit_code == 2
    assert "expected one of ics, json, csv" in result.stderr


def test_list_keeps_its_options_after_the_refactoring() -> None:
    result = cli("--today", "2019-03-01", "--data", str(SHIPPED), "list", "--due", "--json")
    assert result.exit_code == 0, result.output
    assert [c["id"] for c in json.loads(result.stdout)["calls"]] == ["feader-aura-2019-16-4"]
    bad = cli("list", "--due", "soon", env={"CALLWATCH_LANG": "en"})
    assert bad.exit_code == 2
    assert "--due: invalid window 'soon'" in bad.stderr


def test_csv_and_json_keys_do_not_follow_the_language() -> None:
    """The header row and the JSON keys are a data contract (docs/export.md): the same
    under --lang fr as under --lang en, coded values included."""
    french, english = export("--format", "csv", "--lang", "fr"), export("--format", "csv")
    assert french == english
    assert french.split(b"\r\n", 1)[0].decode() == ",".join(COLUMNS)
    as_json = [export("--format", "json", "--lang", lang) for lang in ("fr", "en")]
    assert as_json[0] == as_json[1]
