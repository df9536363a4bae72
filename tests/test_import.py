"""`callwatch import`: the shared samples, hostile records, re-imports and merges."""

from __future__ import annotations

import csv
import io
import json
import string
import tomllib
from collections import Counter
from datetime import date, time
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from callwatch.files.loading import load_catalog
from callwatch.importers import aides_territoires, html_to_text
from callwatch.importers.merge import merge
from tests.io_support import AT_CSV, EU_BULK, EU_SEARCH, SHIPPED, cli

AT = "https://aides-territoires.beta.gouv.fr/aides/"
HEADER = [
    "Nom",
    "Lien",
    "Financeurs",
    "Bénéficiaire",
    "Types d'aides",
    "AAP/AMI",
    "Récurrence",
    "Descriptif",
    "Date Clôture",
]


def run_import(*args: str, env: dict[str, str | None] | None = None) -> dict[str, Any]:
    """Run an import with --json and return the report."""
    result = cli("import", *args, "--json", env=env or {})
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.stdout)
    assert report["schema"] == "callwatch.import/1"
    return report


def calls_of(path: Path) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = tomllib.loads(path.read_text(encoding="utf-8"))["calls"]
    return calls


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def row(
    name: str = "Aider les communes",
    link: str = AT + "abcd-aider-les-communes/",
    audiences: str = "Communes",
    recurrence: str = "Ponctuelle",
    description: str = "Texte.",
    closing: str = "15/03/2025",
    aid_types: str = "Subvention",
) -> list[str]:
    return [name, link, "Région", audiences, aid_types, "", recurrence, description, closing]


def skipped_reasons(report: dict[str, Any]) -> dict[str, str]:
    return {s["where"]: s["reason"] for s in report["skipped"]}


# -- the shared samples -------------------------------------------------------


def test_aides_territoires_whole_sample(tmp_path: Path) -> None:
    out = tmp_path / "aides.toml"
    report = run_import("aides-territoires", str(AT_CSV), "-o", str(out))
    # The data README: 183 records, 14 with a closing date; the Récurrence column
    # holds 169 "Permanente", 9 "Ponctuelle" and 5 "Récurrente".
    assert report["counts"] == {
        "read": 183,
        "added": 183,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "withdrawn": 0,
    }
    calls = calls_of(out)
    assert len(calls) == 183
    assert len({c["id"] for c in calls}) == 183
    assert sum(1 for c in calls if c.get("ongoing")) == 169
    assert sum(1 for c in calls if "deadlines" in c) == 14
    assert Counter(c["recurrence"] for c in calls) == {
        "permanent": 169,
        "one_off": 9,
        "recurring": 5,
    }
    assert all(c["source_id"] == "aides-territoires:" + c["url"].split("/")[-2] for c in calls)
    assert not any("rrule" in c for c in calls)  # never invented

    validated = cli("validate", str(out), "--lang", "en")
    assert validated.exit_code == 0, validated.output
    assert "183 valid calls" in validated.stderr
    listed = cli("--today", "2022-11-01", "--data", str(out), "list", "--due", "--json")
    assert listed.exit_code == 0, listed.output
    assert [c["id"] for c in json.loads(listed.stdout)["calls"]] == [
        "at-2607-aider-municipalites-groupements-developper-concepts"  # 30/11/2022
    ]


def test_sample_matches_the_shipped_calls(tmp_path: Path) -> None:
    """data/calls.toml was written from the same records: nothing of it changes."""
    target = tmp_path / "calls.toml"
    original = SHIPPED.read_bytes()
    target.write_bytes(original)
    at = run_import("aides-territoires", str(AT_CSV), "-o", str(target))
    assert at["counts"]["unchanged"] == 24  # the 24 at-* calls of the shipped file
    assert at["counts"]["added"] == 183 - 24
    assert at["counts"]["updated"] == 0
    assert target.read_bytes().startswith(original)

    target.write_bytes(original)
    eu = run_import("eu-portal", str(EU_BULK), "-o", str(target))
    assert eu["counts"] == {
        "read": 6,
        "added": 0,
        "updated": 0,
        "unchanged": 2,
        "skipped": 4,
        "withdrawn": 0,
    }
    assert target.read_bytes() == original


def test_reimport_never_duplicates_and_keeps_bytes(tmp_path: Path) -> None:
    out = tmp_path / "aides.toml"
    run_import("aides-territoires", str(AT_CSV), "-o", str(out))
    first = out.read_bytes()
    again = run_import("aides-territoires", str(AT_CSV), "-o", str(out))
    assert again["counts"]["unchanged"] == 183
    assert again["counts"]["added"] == 0
    assert out.read_bytes() == first


def test_eu_portal_bulk_sample(tmp_path: Path) -> None:
    out = tmp_path / "eu.toml"
    report = run_import("eu-portal", str(EU_BULK), "-o", str(out))
    assert report["counts"] == {
        "read": 6,
        "added": 2,
        "updated": 0,
        "unchanged": 0,
        "skipped": 4,
        "withdrawn": 0,
    }
    assert all("tenders" in s["reason"] for s in report["skipped"])
    shipped = {c["id"]: c for c in calls_of(SHIPPED)}
    for call in calls_of(out):
        assert call["deadlines"] == shipped[call["id"]]["deadlines"]
        assert call["timezone"] == "Europe/Brussels"
        assert call["source_id"] == "eu-portal:" + call["id"]
        assert call["opens"] == shipped[call["id"]]["opens"]
    erasmus = next(c for c in calls_of(out) if c["id"].startswith("ERASMUS"))
    # 1651536000000 ms is 2022-05-03T00:00Z: the cut-off day, at 17:00 Brussels time.
    assert erasmus["deadlines"][0] == {"date": date(2022, 5, 3), "time": time(17, 0)}
    assert len(erasmus["deadlines"]) == 5


def test_eu_portal_tenders_on_request(tmp_path: Path) -> None:
    out = tmp_path / "eu.toml"
    report = run_import("eu-portal", str(EU_BULK), "-o", str(out), "--tenders")
    assert report["counts"]["added"] == 4
    assert [s["reason"] for s in report["skipped"]] == [
        "no deadline (deadlineDatesLong is empty): nothing to watch yet"
    ] * 2
    tender = next(c for c in calls_of(out) if c["source_id"].endswith("0177-PIN"))
    assert tender["id"] == "INTPA-2023-EA-RP-0177-PIN"  # the identifier has slashes
    # 1727560740000 ms is 2024-09-28T21:59Z, 23:59 in Brussels (summer time).
    assert tender["deadlines"] == [{"date": date(2024, 9, 28), "time": time(23, 59)}]
    assert tender["url"].startswith("https://etendering.ted.europa.eu/")


def test_eu_portal_search_record(tmp_path: Path) -> None:
    out = tmp_path / "eu.toml"
    report = run_import("eu-portal", str(EU_SEARCH), "-o", str(out))
    assert report["counts"]["added"] == 1
    (call,) = calls_of(out)
    assert call["id"] == "HORIZON-CL5-2024-D2-01-03"
    assert call["deadlines"] == [{"date": date(2024, 4, 18), "time": time(17, 0)}]
    assert call["opens"] == date(2023, 12, 7)
    assert "batteries" in call["themes"]


def test_without_output_the_toml_goes_to_stdout(tmp_path: Path) -> None:
    result = cli("import", "eu-portal", str(EU_BULK), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert [c["id"] for c in tomllib.loads(result.stdout)["calls"]] == [
        "ERASMUS-EDU-2022-ECHE-CERT-FP",
        "ESC-HUMAID-2021-QUAL-LABEL-FP",
    ]
    assert "6 read: 2 added, 0 updated, 0 unchanged, 4 skipped" in result.stderr
    assert "skipped record 3" in result.stderr


# -- hostile records ----------------------------------------------------------


def test_hostile_csv_rows(tmp_path: Path) -> None:
    source = write_csv(
        tmp_path / "hostile.csv",
        [
            row(name="   "),  # line 2
            row(  # line 3
                link=AT + "1111-html/",
                description="<p>Aide <b>forte</b></p><script>alert(1)</script>"
                "<ul><li>un</li><li>deux &amp; trois</li></ul>",
            ),
            row(link=AT + "2222-fevrier/", closing="31/02/2022"),  # line 4
            row(link=AT + "3333-mixte/", audiences="Communes;Martiens"),  # line 5
            row(link=AT + "4444-inconnus/", audiences="Martiens;Vénusiens"),  # line 6
            row(link=AT + "5555-hebdo/", recurrence="Hebdomadaire"),  # line 7
            row(link=AT + "6666-sans-date/", closing=""),  # line 8
            row(link="javascript:alert(1)"),  # line 9
            row(link=AT + "1111-html/", name="Doublon"),  # line 10
            row(link=AT + "7777-permanente/", recurrence="Permanente"),  # line 11
            row(link=AT + "8888-iso/", closing="2022-13-45"),  # line 12
            row(link=AT + "9999-type/", aid_types="Subvention;Bon d'achat"),  # line 13
        ],
    )
    out = tmp_path / "calls.toml"
    report = run_import("aides-territoires", str(source), "-o", str(out))
    reasons = skipped_reasons(report)
    assert reasons["line 2"] == "empty title (Nom / name)"
    assert reasons["line 4"].startswith("impossible closing date '31/02/2022' (Date Clôture)")
    assert reasons["line 6"].startswith("no known beneficiary label (Bénéficiaire): 'Martiens'")
    assert reasons["line 8"].startswith("no closing date (Date Clôture) and not permanent")
    assert reasons["line 9"].startswith("no usable link")
    assert reasons["line 10"] == "same source id as line 3"
    assert reasons["line 12"] == (
        "unreadable closing date '2022-13-45' (Date Clôture): expected dd/mm/yyyy"
    )
    assert report["counts"] == {
        "read": 12,
        "added": 5,
        "updated": 0,
        "unchanged": 0,
        "skipped": 7,
        "withdrawn": 0,
    }

    calls = {c["source_id"].split(":")[1]: c for c in calls_of(out)}
    assert calls["1111-html"]["description"] == "Aide forte\n- un\n- deux & trois"
    assert calls["3333-mixte"]["beneficiaries"] == ["commune"]
    assert "recurrence" not in calls["5555-hebdo"]
    assert calls["7777-permanente"]["deadlines"] == [{"date": date(2025, 3, 15)}]
    assert "ongoing" not in calls["7777-permanente"]
    assert calls["9999-type"]["aid_types"] == ["Subvention", "Bon d'achat"]
    warnings = {c["where"]: c["warnings"] for c in report["calls"]}
    assert warnings["line 5"] == ["unknown beneficiary label(s) left out: 'Martiens'"]
    assert warnings["line 7"] == ["unknown recurrence label 'Hebdomadaire' left out (Récurrence)"]
    assert warnings["line 11"] == [
        "labelled Permanente but has a closing date: imported with its deadline"
    ]
    assert warnings["line 13"] == ['unknown aid type "Bon d\'achat" kept as written']
    assert cli("validate", str(out)).exit_code == 0


def test_human_report_names_every_skip(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "a.csv", [row(name=""), row(closing="31/02/2022")])
    result = cli(
        "import", "aides-territoires", str(source), "-o", str(tmp_path / "c.toml"), "--lang", "en"
    )
    assert result.exit_code == 0
    assert "a.csv: 2 read: 0 added, 0 updated, 0 unchanged, 2 skipped" in result.stderr
    assert "skipped line 2: empty title (Nom / name)" in result.stderr
    assert "skipped line 3 'Aider les communes': impossible closing date" in result.stderr


def test_hostile_api_json(tmp_path: Path) -> None:
    source = tmp_path / "aids.json"
    source.write_text(
        json.dumps(
            {
                "count": 5,
                "results": [
                    "not an object",
                    {"name": None, "url": "/aides/0000-rien/"},
                    {
                        "id": 42,
                        "slug": "1234-aide-valide",
                        "url": "/aides/1234-aide-valide/",
                        "name": "Soutenir les <em>tiers-lieux</em> ruraux",
                        "financers": [{"name": "Banque des Territoires"}, "Région"],
                        "targeted_audiences": ["commune", "Associations"],
                        "aid_types": ["grant", "Ingénierie technique"],
                        "recurrence": "Ponctuelle",
                        "description": "<p>Premier</p><p>Second</p>",
                        "origin_url": "https://example.org/aide",
                        "start_date": "2025-01-01",
                        "submission_deadline": "2025-06-30",
                    },
                    {
                        "name": "Date impossible",
                        "url": "/aides/abcd-x/",
                        "recurrence": "Ponctuelle",
                        "submission_deadline": "2022-02-31",
                    },
                    {"name": "Nombre", "slug": "ef01-y", "submission_deadline": 20220101},
                ],
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "calls.toml"
    report = run_import("aides-territoires", str(source), "-o", str(out))
    assert report["counts"]["read"] == 5
    assert report["counts"]["added"] == 1
    reasons = skipped_reasons(report)
    assert reasons["record 1"] == "not a JSON object"
    assert reasons["record 2"] == "empty title (Nom / name)"
    assert reasons["record 4"].startswith("impossible date '2022-02-31' (submission_deadline)")
    assert reasons["record 5"] == "submission_deadline: expected a date YYYY-MM-DD, got 20220101"
    (call,) = calls_of(out)
    assert call["id"] == "at-1234-soutenir-tiers-lieux-ruraux"
    assert call["title"] == "Soutenir les tiers-lieux ruraux"  # tags never survive
    assert call["url"] == AT + "1234-aide-valide/"
    assert call["source_id"] == "aides-territoires:42"  # the stable numeric id
    assert call["funders"] == ["Banque des Territoires", "Région"]
    assert call["beneficiaries"] == ["commune", "association"]
    assert call["aid_types"] == ["Subvention", "Ingénierie technique"]
    assert call["description"] == "Premier\nSecond"
    assert call["opens"] == date(2025, 1, 1)
    assert call["deadlines"] == [{"date": date(2025, 6, 30)}]
    assert "https://example.org/aide" in call["sources"]


def test_api_json_as_a_bare_list(tmp_path: Path) -> None:
    source = tmp_path / "aids.json"
    record = {"name": "Aide", "slug": "abcd-aide", "recurrence": "Permanente"}
    source.write_text(json.dumps([record]), encoding="utf-8")
    report = run_import("aides-territoires", str(source), "-o", str(tmp_path / "c.toml"))
    assert report["counts"]["added"] == 1
    assert calls_of(tmp_path / "c.toml")[0]["ongoing"] is True


def test_hostile_eu_records(tmp_path: Path) -> None:
    base = {"identifier": "X-1", "title": "Topic", "type": 1}
    source = tmp_path / "eu.json"
    source.write_text(
        json.dumps(
            [
                {**base, "type": 7, "deadlineDatesLong": [1651536000000]},
                {**base, "deadlineDatesLong": ["abc"]},
                {**base, "deadlineDatesLong": [10**20]},
                {"title": "No id", "type": 1, "deadlineDatesLong": [1651536000000]},
                {**base, "identifier": "DUP-1", "deadlineDatesLong": [1651536000000] * 2},
                {
                    **base,
                    "identifier": "LATE-1",
                    "plannedOpeningDateLong": 1700000000000,
                    "deadlineDatesLong": [1651536000000],
                },
                {**base, "identifier": "EMPTY-1", "title": "  "},
            ]
        ),
        encoding="utf-8",
    )
    report = run_import("eu-portal", str(source), "-o", str(tmp_path / "c.toml"))
    reasons = skipped_reasons(report)
    assert reasons["record 1"].startswith("unknown record type 7")
    assert reasons["record 2"] == "deadlineDatesLong: expected epoch milliseconds, got 'abc'"
    assert reasons["record 3"].startswith("impossible date 100000000000000000000")
    assert reasons["record 4"] == "no identifier"
    assert "before the call opens (2023-11-14)" in reasons["record 6"]
    assert reasons["record 7"] == "empty title"
    assert report["counts"]["added"] == 1
    (dup,) = [c for c in report["calls"] if c["id"] == "DUP-1"]
    assert dup["warnings"] == ["repeated cut-off dates listed once"]


def test_files_that_are_not_the_expected_format(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("Title,Link\nx,y\n", encoding="utf-8")
    result = cli("import", "aides-territoires", str(wrong), "--lang", "en")
    assert result.exit_code == 65
    assert "missing column(s) 'Nom', 'Lien'" in result.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"fundingData": ', encoding="utf-8")
    result = cli("import", "eu-portal", str(broken), "--lang", "en")
    assert result.exit_code == 65
    assert "broken.json:1: invalid JSON" in result.stderr
    other = tmp_path / "other.json"
    other.write_text('{"foo": 1}', encoding="utf-8")
    assert cli("import", "eu-portal", str(other)).exit_code == 65
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Nom,Lien\nAide é\n".encode("latin-1"))  # read as cp1252 (Excel)
    result = cli("import", "aides-territoires", str(latin), "--lang", "en")
    assert result.exit_code == 65
    assert "missing column(s) 'Financeurs'" in result.stderr
    binary = tmp_path / "binary.json"
    binary.write_bytes(b'{"results": [\x81\x8d]}')  # neither UTF-8 nor cp1252
    result = cli("import", "aides-territoires", str(binary), "--lang", "en")
    assert result.exit_code == 65
    assert "not UTF-8 text or cp1252" in result.stderr
    assert cli("import", "aides-territoires", str(tmp_path / "missing.csv")).exit_code == 2


# -- merging into an existing file ----------------------------------------------

EXISTING = """\
# Mes appels — commentaire en tête

[[calls]]
id = "main-faite"
title = "Appel écrit à la main"  # commentaire
deadlines = [{ date = 2025-01-01 }]

[[calls]]
id = "at-abcd-mon-id"
title = "Ancien titre"
territory = ["FR-63"]  # ajouté à la main
sources = ["Aides-territoires, ma note"]
source_id = "aides-territoires:abcd-aider-les-communes"
deadlines = [
  { date = 2025-03-15, label = "1re session" },
]

[[calls]]
id = "apres"
title = "Après"
ongoing = true
"""


def test_update_touches_only_the_portals_fields(tmp_path: Path) -> None:
    target = tmp_path / "calls.toml"
    target.write_text(EXISTING, encoding="utf-8")
    source = write_csv(tmp_path / "a.csv", [row(name="Nouveau titre")])
    report = run_import("aides-territoires", str(source), "-o", str(target))
    assert report["counts"]["updated"] == 1
    (outcome,) = report["calls"]
    assert outcome["id"] == "at-abcd-mon-id"
    assert outcome["fields"] == [
        "aid_types",
        "beneficiaries",
        "description",
        "funders",
        "recurrence",
        "title",
        "url",
    ]
    text = target.read_text(encoding="utf-8")
    second = EXISTING.index('[[calls]]\nid = "at-abcd')
    third = EXISTING.index('[[calls]]\nid = "apres"')
    assert text.startswith(EXISTING[:second])  # everything before: byte for byte
    assert text.endswith(EXISTING[third:])  # everything after: byte for byte
    assert 'territory = ["FR-63"]  # ajouté à la main' in text
    call = next(c for c in calls_of(target) if c["id"] == "at-abcd-mon-id")
    assert call["title"] == "Nouveau titre"
    assert call["territory"] == ["FR-63"]
    assert call["sources"] == ["Aides-territoires, ma note"]  # already cites the portal
    assert call["deadlines"] == [{"date": date(2025, 3, 15), "label": "1re session"}]

    updated = target.read_bytes()
    again = run_import("aides-territoires", str(source), "-o", str(target))
    assert again["counts"]["unchanged"] == 1
    assert target.read_bytes() == updated

    moved = write_csv(tmp_path / "b.csv", [row(name="Nouveau titre", closing="30/04/2025")])
    report = run_import("aides-territoires", str(moved), "-o", str(target))
    assert report["calls"][0]["fields"] == ["deadlines"]
    call = next(c for c in calls_of(target) if c["id"] == "at-abcd-mon-id")
    assert call["deadlines"] == [{"date": date(2025, 4, 30)}]
    assert "{ date = 2025-04-30 }" in target.read_text(encoding="utf-8")


def test_an_update_that_would_be_invalid_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "calls.toml"
    target.write_text(EXISTING.replace('territory = ["FR-63"]', "opens = 2025-06-01"), "utf-8")
    before = target.read_bytes()
    source = write_csv(tmp_path / "a.csv", [row()])
    report = run_import("aides-territoires", str(source), "-o", str(target))
    (skip,) = report["skipped"]
    assert skip["reason"].startswith("update of 'at-abcd-mon-id' refused:")
    assert "before the call opens" in skip["reason"]
    assert target.read_bytes() == before


def test_taken_ids_get_a_suffix(tmp_path: Path) -> None:
    target = tmp_path / "calls.toml"
    target.write_text(
        '[[calls]]\nid = "at-abcd-aider-communes"\ntitle = "À la main"\nongoing = true\n',
        encoding="utf-8",
    )
    report = run_import(
        "aides-territoires", str(write_csv(tmp_path / "a.csv", [row()])), "-o", str(target)
    )
    (outcome,) = report["calls"]
    assert outcome["id"] == "at-abcd-aider-communes-2"
    assert outcome["warnings"] == [
        "id 'at-abcd-aider-communes' is taken: written as 'at-abcd-aider-communes-2'"
    ]


def test_the_users_other_files_are_consulted(tmp_path: Path) -> None:
    other = tmp_path / "other.toml"
    other.write_text(
        '[[calls]]\nid = "deja"\ntitle = "Déjà là"\nongoing = true\n'
        'source_id = "aides-territoires:abcd-aider-les-communes"\n',
        encoding="utf-8",
    )
    source = write_csv(tmp_path / "a.csv", [row()])
    target = tmp_path / "new.toml"
    report = run_import(
        "aides-territoires", str(source), "-o", str(target), env={"CALLWATCH_DATA": str(tmp_path)}
    )
    assert skipped_reasons(report) == {"line 2": f"already in {other}:1 as 'deja'"}
    assert not target.exists()  # nothing to write: no file created
    # Without configured data, the shipped calls are not the user's: no check.
    report = run_import("aides-territoires", str(source), "-o", str(target))
    assert report["counts"]["added"] == 1
    # The target itself is part of the data now: its own calls are updated, not "elsewhere".
    report = run_import(
        "aides-territoires", str(source), "-o", str(target), env={"CALLWATCH_DATA": str(tmp_path)}
    )
    assert report["counts"]["unchanged"] == 1
    assert report["skipped"] == []


def test_dry_run_and_json_rules(tmp_path: Path) -> None:
    target = tmp_path / "calls.toml"
    target.write_text(EXISTING, encoding="utf-8")
    source = write_csv(tmp_path / "a.csv", [row(name="Nouveau titre")])
    report = run_import("aides-territoires", str(source), "-o", str(target), "--dry-run")
    assert report["dry_run"] is True
    assert report["counts"]["updated"] == 1
    assert target.read_text(encoding="utf-8") == EXISTING
    result = cli("import", "aides-territoires", str(source), "--json")
    assert result.exit_code == 2
    assert "--json" in result.stderr


def test_a_target_that_is_not_toml_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "calls.toml"
    target.write_text('[[calls]]\nid = "x"\ntitle = \n', encoding="utf-8")
    result = cli("import", "eu-portal", str(EU_BULK), "-o", str(target), "--lang", "en")
    assert result.exit_code == 65
    assert f"{target}:3: invalid TOML" in result.stderr


# -- properties -----------------------------------------------------------------

_texts = st.text(max_size=40)
_links = st.one_of(
    _texts,
    st.from_regex(r"[0-9a-f]{4}-[a-z-]{1,20}", fullmatch=True).map(lambda s: f"{AT}{s}/"),
)
_dates = st.one_of(
    _texts,
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    st.tuples(st.integers(0, 40), st.integers(0, 14), st.integers(1, 9999)).map(
        lambda t: f"{t[0]:02d}/{t[1]:02d}/{t[2]:04d}"
    ),
)
_labels = st.lists(
    st.one_of(st.sampled_from(["Communes", "Associations", "Agriculteurs"]), _texts), max_size=3
).map(";".join)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            _texts,
            _links,
            _labels,
            st.sampled_from(["Permanente", "Ponctuelle", "Récurrente", "", "??"]),
            _texts,
            _dates,
        ),
        max_size=6,
    )
)
def test_any_csv_is_accounted_for_and_loads(rows: list[tuple[str, ...]]) -> None:
    records = [row(n, link, aud, rec, desc, closing) for n, link, aud, rec, desc, closing in rows]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(records)
    batch = aides_territoires.read_csv(buffer.getvalue(), "fuzz.csv")
    assert batch.read == len(rows)
    text, report = merge(batch, "", None)
    assert len(report.outcomes) + len(report.skipped) == len(rows)
    assert all(s.reason for s in report.skipped)
    loaded = tomllib.loads(text).get("calls", []) if text else []
    assert len(loaded) == report.count("added")


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_no_tag_survives_html_to_text(fragment: str) -> None:
    out = html_to_text(fragment)
    assert "<script" not in out.lower()
    tag_start = set(string.ascii_letters + "/!?")
    assert not any(out[i] == "<" and out[i + 1 : i + 2] in tag_start for i in range(len(out)))


def test_imported_calls_load_like_hand_written_ones(tmp_path: Path) -> None:
    out = tmp_path / "aides.toml"
    run_import("aides-territoires", str(AT_CSV), "-o", str(out))
    catalog = load_catalog([out])
    assert catalog.problems == []
    flagship = catalog.get("at-05cd-accompagner-politiques-foncieres-espace-rural")
    assert flagship is not None
    assert flagship.ongoing and flagship.recurrence == "permanent"


# -- the export the site serves today, and Excel re-saves ------------------------------------

CURRENT_HEADER = (
    "Adresse de la fiche aide;Nom;Description complète de l’aide et de ses objectifs;"
    "Exemples de projets réalisables;État d’avancement du projet pour bénéficier du dispositif;"
    "Types d’aide;Types de dépenses / actions couvertes;Date d’ouverture;Date de clôture;"
    "Taux de subvention, min. et max. (en %, nombre entier);"
    "Taux de subvention (commentaire optionnel);Montant de l’avance récupérable;"
    "Montant du prêt maximum;Autre aide financière (commentaire optionnel);Contact;"
    "Récurrence;Appel à projet / Manifestation d’intérêt;Sous-thématiques;Porteurs d’aides;"
    "Instructeurs;Programmes;Périmètre de l'aide"
)
CURRENT_ROW = (
    "https://aides-territoires.beta.gouv.fr/aides/9f3a-renover-les-ecoles/;"
    "Rénover les écoles;<p>Travaux d'économie d'énergie.</p>;;;Subvention;;01/02/2027;"
    "30/06/2027;;;;;;;Ponctuelle;Oui;Bâtiments publics;Préfecture du Puy-de-Dôme;;"
    "Fonds vert;Puy-de-Dôme (Département)"
)


def test_the_current_csv_export_and_an_excel_resave(tmp_path: Path) -> None:
    text = CURRENT_HEADER + "\n" + CURRENT_ROW + "\n"
    utf8 = tmp_path / "export.csv"
    utf8.write_text(text, encoding="utf-8")
    # Excel on Windows re-saves as cp1252; the typographic apostrophe exists there too
    excel = tmp_path / "excel.csv"
    excel.write_bytes(text.encode("cp1252"))
    for source in (utf8, excel):
        out = tmp_path / f"{source.stem}.toml"
        report = run_import("aides-territoires", str(source), "-o", str(out))
        assert report["counts"]["added"] == 1, report
        (call,) = calls_of(out)
        assert call["title"] == "Rénover les écoles"
        assert call["deadlines"] == [{"date": date(2027, 6, 30)}]
        assert call["opens"] == date(2027, 2, 1)
        assert call["call_for_projects"] is True
        assert call["funders"] == ["Préfecture du Puy-de-Dôme"]
        assert call["programme"] == "Fonds vert"
        assert call["themes"] == ["Bâtiments publics"]
        assert (call["perimeter"], call["territory"]) == ("Puy-de-Dôme (Département)", ["FR-63"])
        assert "beneficiaries" not in call  # the export has no such column: not stated
        assert call["source_id"] == "aides-territoires:9f3a-renover-les-ecoles"


def test_the_report_totals_skips_by_reason_and_shows_twenty_details(tmp_path: Path) -> None:
    rows = [CURRENT_HEADER]
    for i in range(30):  # 25 aids without a usable link, 5 with an impossible date
        link, day = ("", "28/02/2027") if i < 25 else (f"{AT}{i:04x}-x/", "31/02/2027")
        rows.append(f"{link};Aide {i};;;;;;;{day};;;;;;;Ponctuelle;;;;;;")
    source = tmp_path / "export.csv"
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = str(tmp_path / "out.toml")
    short = cli("import", "aides-territoires", str(source), "-o", out, "--lang", "en")
    lines = short.stderr.strip().splitlines()
    assert lines[0].endswith("30 read: 0 added, 0 updated, 0 unchanged, 30 skipped → " + out)
    assert lines[1] == (
        "skipped by reason: no usable link to the aid's page (25); impossible closing date … (5)"
    )
    assert len(lines) == 2 + 20 + 1 and lines[-1] == "… and 10 more lines: use --verbose"
    full = cli("import", "aides-territoires", str(source), "-o", out, "--verbose", "--lang", "en")
    assert len(full.stderr.strip().splitlines()) == 2 + 30
    report = run_import("aides-territoires", str(source), "--dry-run")
    assert report["skipped_by_reason"] == {
        "no usable link to the aid's page": 25,
        "impossible closing date …": 5,
    }
    assert len(report["skipped"]) == 30
