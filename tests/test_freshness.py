"""Stale and withdrawn calls: marked in `list` and `show`, never shown as open."""

from __future__ import annotations

import json

from tests.conftest import Invoke, WriteCalls
from tests.rules_support import EXAMPLES

CALLS = """
[[calls]]
id = "fresh"
title = "Checked last month"
checked = 2026-11-02
deadlines = [{ date = 2027-01-20 }]

[[calls]]
id = "old"
title = "Checked in 2022"
checked = 2022-11-07
ongoing = true

[[calls]]
id = "gone"
title = "No longer on the portal"
source_id = "eu-portal:GONE-01"
checked = 2026-10-01
withdrawn = 2026-11-20
deadlines = [{ date = 2027-01-10 }]
"""


def test_list_marks_calls_not_checked_for_long(cli: Invoke, write_calls: WriteCalls) -> None:
    data = str(write_calls(CALLS))
    human = cli("--today", "2026-12-04", "--lang", "en", "list", "--data", data)
    lines = human.stdout.splitlines()
    rows = {i: line for line in lines for i in ("fresh", "old") if f"  {i}  " in line}
    assert "verify" in rows["old"] and "verify" not in rows["fresh"]
    assert "gone" not in human.stdout  # withdrawn: never listed as open
    assert human.stdout.splitlines()[-1].startswith('"verify": source last checked more than 180')
    french = cli("--today", "2026-12-04", "--lang", "fr", "list", "--data", data)
    assert "à vérifier" in french.stdout
    listed = json.loads(cli("--today", "2026-12-04", "list", "--json", "--data", data).stdout)
    assert {c["id"]: c["stale"] for c in listed["calls"]} == {"fresh": False, "old": True}
    relaxed = cli(
        "--today",
        "2026-12-04",
        "list",
        "--json",
        "--data",
        data,
        env={"CALLWATCH_STALE_DAYS": "2000"},
    )
    assert not any(c["stale"] for c in json.loads(relaxed.stdout)["calls"])
    bad = cli("list", "--data", data, env={"CALLWATCH_STALE_DAYS": "soon"})
    assert bad.exit_code == 2 and "$CALLWATCH_STALE_DAYS: expected a whole number" in bad.stderr


def test_show_says_when_the_source_was_checked(cli: Invoke, write_calls: WriteCalls) -> None:
    data = str(write_calls(CALLS))
    old = cli("--today", "2026-12-04", "--lang", "en", "show", "old", "--data", data)
    assert "Checked at source:  2022-11-07 (1488 days ago: verify)" in old.stdout
    gone = json.loads(cli("--today", "2026-12-04", "show", "gone", "--json", "--data", data).stdout)
    assert (gone["status"], gone["withdrawn"], gone["checked"]) == (
        "closed",
        "2026-11-20",
        "2026-10-01",
    )


def test_a_withdrawn_call_leaves_checks_ranking(cli: Invoke, write_calls: WriteCalls) -> None:
    data = str(write_calls(CALLS))
    result = cli(
        "--today",
        "2026-12-04",
        "check",
        str(EXAMPLES / "legumerie-eligible.toml"),
        "--json",
        "--data",
        data,
    )
    ids = {r["id"] for r in json.loads(result.stdout)["results"]}
    assert ids == {"fresh", "old"}


def test_stage_two_for_invited_applicants_only(cli: Invoke, write_calls: WriteCalls) -> None:
    data = str(
        write_calls("""
[[calls]]
id = "two-stage"
title = "A two-stage topic"
timezone = "Europe/Brussels"
deadlines = [
  { date = 2027-02-17, time = 17:00:00, label = "stage 1" },
  { date = 2027-09-14, time = 17:00:00, label = "stage 2", invited = true },
]
""")
    )
    before = json.loads(cli("--today", "2027-02-01", "list", "--json", "--data", data).stdout)
    assert [c["status"] for c in before["calls"]] == ["open"]
    assert cli("--today", "2027-03-01", "list", "--json", "--data", data).stdout.count('"id"') == 0
    shown = cli("--today", "2027-03-01", "--lang", "en", "show", "two-stage", "--data", data)
    assert "stage 2 (invited only)" in shown.stdout and "[closed]" in shown.stdout
    detail = json.loads(
        cli("--today", "2027-03-01", "show", "two-stage", "--json", "--data", data).stdout
    )
    assert [r["invited"] for r in detail["rounds"]] == [False, True]
