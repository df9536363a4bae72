"""`callwatch show` and `callwatch validate`."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Invoke, WriteCalls

FLAGSHIP = "feader-aura-2019-16-4"


def test_show_flagship_every_field_and_both_rounds(cli: Invoke) -> None:
    result = cli("show", FLAGSHIP, "--today", "2019-03-16")
    assert result.exit_code == 0
    out = result.stdout
    for expected in (
        "Coopération pour le développement des circuits",
        "PDR FEADER 2014-2020 Auvergne et Rhône-Alpes",
        "16.4",
        "FR-ARA (Auvergne-Rhône-Alpes)",
        "legal_person",
        "farmer",
        "Union européenne (FEADER)",
        "animation, travel, advice",
        "Règlement (UE) n° 1305/2013, article 35",
        "Defined in:",
    ):
        assert expected in out, expected
    rounds = [line for line in out.splitlines() if "session" in line and "2019-" in line]
    assert len(rounds) == 2
    assert "closed" in rounds[0] and "1 d ago" in rounds[0]
    assert "open" in rounds[1] and rounds[1].rstrip().endswith("74")


def test_show_json(cli: Invoke) -> None:
    doc = json.loads(cli("show", FLAGSHIP, "--json", "--today", "2019-03-16").stdout)
    assert doc["schema"] == "callwatch.show/1"
    assert [r["status"] for r in doc["rounds"]] == ["closed", "open"]
    assert [r["days_left"] for r in doc["rounds"]] == [-1, 74]
    assert doc["next_deadline"]["date"] == "2019-05-29"
    assert doc["funding"]["rate"] is None  # the source gives no rate: none is invented
    assert doc["file"].endswith("calls.toml") and isinstance(doc["line"], int)


def test_show_is_case_insensitive_and_suggests(cli: Invoke) -> None:
    assert cli("show", FLAGSHIP.upper(), "--today", "2019-03-01").exit_code == 0
    result = cli("show", "feader-aura-2019-16", "--today", "2019-03-01")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "callwatch: no call with id 'feader-aura-2019-16' (did you mean feader-aura-2019-16-4?)"
    )


def test_show_recurring_call_lists_next_occurrence(cli: Invoke, write_calls: WriteCalls) -> None:
    path = write_calls(
        """
        [[calls]]
        id = "yearly"
        title = "Yearly call"
        rrule = "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15"
        deadlines = [{ date = 2019-03-15 }]
        """
    )
    doc = json.loads(
        cli("show", "yearly", "--json", "-d", str(path), "--today", "2020-12-31").stdout
    )
    assert [(r["date"], r["recurring"]) for r in doc["rounds"]] == [
        ("2019-03-15", False),
        ("2021-03-15", True),
    ]
    assert doc["status"] == "open"


def test_validate_shipped_data_is_clean(cli: Invoke) -> None:
    result = cli("validate")
    assert result.exit_code == 0, result.stdout
    assert result.stdout == ""
    assert "0 problems in 2 files;" in result.stderr


def test_validate_reports_every_problem_and_exits_1(cli: Invoke, write_calls: WriteCalls) -> None:
    a = write_calls('[[calls]]\nid = "a"\ntitle = "A"\nongoing = true\nfoo = 1\n', "a.toml")
    b = write_calls('[[calls]]\nid = "a"\ntitle = "A again"\nongoing = true\n', "b.toml")
    c = write_calls("[[calls]\n", "c.toml")
    result = cli("validate", str(a), str(b), str(c))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{a}:5: call 'a': unknown field 'foo'",
        f"{b}:1: duplicate id 'a': already defined at {a}:1",
        f"{c}:1: invalid TOML: expected ']]' at the end of an array declaration (column 8)",
    ]


def test_validate_json(cli: Invoke, write_calls: WriteCalls) -> None:
    a = write_calls('[[calls]]\nid = "a"\ntitle = "A"\n', "a.toml")
    doc = json.loads(cli("validate", "--json", str(a)).stdout)
    assert doc == {
        "schema": "callwatch.validate/1",
        "files": [str(a)],
        "project_files": [],
        "calls": 0,
        "problems": [
            {
                "file": str(a),
                "line": 1,
                "message": (
                    "call 'a': deadlines: a call needs deadlines, `ongoing = true`, "
                    "an `rrule` or `opens`"
                ),
            }
        ],
        "notes": [],
    }


def test_validate_missing_path(cli: Invoke, tmp_path: Path) -> None:
    result = cli("validate", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"callwatch: {tmp_path / 'nope'}: no such file or directory"
