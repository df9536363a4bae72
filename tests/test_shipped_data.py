"""The shipped calls are real, sourced, and agree with the public records they come from."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from callwatch.domain.model import Call
from callwatch.files.loading import load_catalog, shipped_data_path

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
        assert call.title == record["title"]
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
