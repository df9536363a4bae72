"""The shipped calls are real, sourced, and agree with the public records they come from."""

from __future__ import annotations

import csv
import importlib.util
import json
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest

from callwatch.domain.model import Call
from callwatch.files.loading import load_catalog, shipped_data_path
from tests.conftest import Invoke

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def calls() -> dict[str, Call]:
    catalog = load_catalog([shipped_data_path()])
    assert catalog.problems == []
    return {c.id: c for c in catalog.calls}


def test_at_least_25_calls_each_citing_a_source(calls: dict[str, Call]) -> None:
    assert len(calls) >= 25
    for call in calls.values():
        assert call.url or call.sources, call.id
        assert call.sources, call.id


def test_flagship_call_matches_the_resource_note(calls: dict[str, Call]) -> None:
    c = calls["feader-aura-2019-16-4"]
    assert [(r.day, r.at) for r in c.rounds] == [
        (date(2019, 3, 15), None),
        (date(2019, 5, 29), None),
    ]
    assert c.territory == ("FR-ARA",)
    assert set(c.beneficiaries) == {"legal_person", "farmer"}
    assert c.measure == "16.4"
    assert c.url is None  # the note has no link of its own: none is invented
    assert c.funding is not None
    assert (c.funding.rate, c.funding.min_eligible_cost, c.funding.max_aid) == (None, None, None)


def test_eu_topics_have_every_cut_off_at_17h_brussels(calls: dict[str, Call]) -> None:
    records = json.loads((FIXTURES / "grantsTenders-sample.json").read_text())["fundingData"][
        "GrantTenderObj"
    ]
    grants = [r for r in records if r["type"] in (1, 2)]
    assert len(grants) == 2
    for record in grants:
        call = calls[record["identifier"]]
        expected = [
            datetime.fromtimestamp(ms / 1000, UTC).date() for ms in record["deadlineDatesLong"]
        ]
        assert [r.day for r in call.rounds] == expected
        assert {(r.at, r.tz) for r in call.rounds} == {(time(17, 0), "Europe/Brussels")}
        assert call.title == " ".join(record["title"].split())
        assert call.source_id == f"eu-portal:{record['identifier']}"


def test_aides_territoires_calls_match_the_export(calls: dict[str, Call]) -> None:
    with (FIXTURES / "aides-periurbain-sample.csv").open(encoding="utf-8") as f:
        rows = {row["Lien"]: row for row in csv.DictReader(f)}
    imported = [
        c for c in calls.values() if c.source_id and c.source_id.startswith("aides-territoires:")
    ]
    dated = [r for r in rows.values() if r["Date Clôture"]]
    assert len([c for c in imported if c.rounds]) == len(dated) == 14
    assert len([c for c in imported if c.ongoing]) >= 5
    for call in imported:
        row = rows[call.url or ""]
        assert call.title == " ".join(row["Nom"].split())
        if row["Date Clôture"]:
            d, m, y = (int(x) for x in row["Date Clôture"].split("/"))
            assert [r.day for r in call.rounds] == [date(y, m, d)]
        else:
            assert call.ongoing and row["Récurrence"] == "Permanente"
        assert call.territory == ()  # the export gives none; none is guessed


# -- the current EU calls (data/eu-2027.toml) ------------------------------------

CURRENT = json.loads((FIXTURES / "current-calls.json").read_text(encoding="utf-8"))
SHIPPED = [r for r in CURRENT["calls"] if r["id"] != "cerv-2024-citizens-values"]
BRUSSELS_17H = (time(17, 0), "Europe/Brussels")


def _ship_script() -> Any:
    path = Path(__file__).parents[1] / "scripts" / "ship_current_calls.py"
    spec = importlib.util.spec_from_file_location("ship_current_calls", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_file_is_what_the_script_writes_from_the_records() -> None:
    shipped = shipped_data_path() / "eu-2027.toml"
    assert _ship_script().render(CURRENT) == shipped.read_text(encoding="utf-8")


def test_every_current_call_but_the_doubtful_cerv_one_is_shipped(calls: dict[str, Call]) -> None:
    assert len(SHIPPED) == 86
    assert "CERV-2024-CITIZENS-VALUES" not in calls
    for record in SHIPPED:
        call = calls[record["topic"]]
        assert call.title == " ".join(record["title"].split())
        assert call.url == record["url"]
        assert call.source_id == "eu-portal:" + record["topic"]
        assert call.url is not None and call.url in call.sources[0]
        for p in record["provenance"]:
            assert any(p["repository"] in s and p["commit"] in s for s in call.sources)
        assert call.action_type == record["type_of_action"]
        assert call.themes == tuple(record["themes_editorial"])
        assert call.opens == (date.fromisoformat(record["opens"]) if record["opens"] else None)
        assert [r.day.isoformat() for r in call.rounds] == sorted(
            d["date"] for d in record["deadlines"]
        )
        assert {(r.at, r.tz) for r in call.rounds} == {BRUSSELS_17H}
        # not in the sources: never set
        assert (call.territory, call.beneficiaries) == ((), ())
        if call.funding is not None:
            f = call.funding
            assert (f.rate, f.min_aid, f.max_aid, f.max_eligible_cost) == (None,) * 4
            assert f.note and "enveloppe du topic ou d'un montant par projet" in f.note


def test_two_stage_topics_keep_their_one_known_date(calls: dict[str, Call]) -> None:
    two_stage = [r for r in SHIPPED if r["deadline_model"] == "two-stage"]
    assert len(two_stage) == 11
    for record in two_stage:
        (only,) = calls[record["topic"]].rounds
        assert only.day.isoformat() == record["deadlines"][0]["date"]
        assert only.label and "1re étape non connue" in only.label


def test_checked_is_the_dated_export_and_the_2022_aids_are_marked(calls: dict[str, Call]) -> None:
    for record in SHIPPED:
        dated = any(p["repository"] == "deepblu0/mlabwebsitetest" for p in record["provenance"])
        assert calls[record["topic"]].checked == (date(2026, 5, 11) if dated else None)
    aids = [c for c in calls.values() if (c.source_id or "").startswith("aides-territoires:")]
    assert len(aids) == 24
    assert {c.checked for c in aids} == {date(2022, 11, 7)}


def test_on_2026_12_04_the_main_job_shows_real_calls(cli: Invoke) -> None:
    due = cli("--today", "2026-12-04", "list", "--due", "--json")
    ids = [c["id"] for c in json.loads(due.stdout)["calls"]]
    assert ids == ["HORIZON-EIC-2026-ACCELERATOR-01"]  # the only deadline by 2027-01-03
    quarter = json.loads(cli("--today", "2026-12-04", "list", "--due", "3m", "--json").stdout)
    assert [c["id"] for c in quarter["calls"]] == [
        "HORIZON-EIC-2026-ACCELERATOR-01",
        "JTM-2026-PSLF-FRAMEWORK-LOANS",
        "JTM-2026-PSLF-STANDALONE-PROJECTS",
        "HORIZON-CL5-2027-01-D1-10",
    ]
    listed = json.loads(cli("--today", "2026-12-04", "list", "--json").stdout)["calls"]
    statuses = {c["id"]: c["status"] for c in listed}
    assert statuses["HORIZON-CL6-2027-03-GOVERNANCE-01"] == "upcoming"  # opens 2027-02-04
    assert statuses["JTM-2026-PSLF-FRAMEWORK-LOANS"] == "open"
    assert len([s for s in statuses.values() if s in ("open", "closing_soon", "upcoming")]) >= 86
    # the 2022 aids still show, marked as not checked for long; the EU topics of May 2026 too
    stale = {c["id"] for c in listed if c["stale"]}
    assert "at-b33b-creer-tiers-lieux-innovation-sociale" in stale
    assert "JTM-2026-PSLF-FRAMEWORK-LOANS" not in stale  # no dated source: unknown, not stale
