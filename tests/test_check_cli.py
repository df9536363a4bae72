"""`callwatch check` and `callwatch init` end to end, on the shipped data and examples."""

from __future__ import annotations

import io
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from callwatch.files.loading import load_catalog, shipped_data_path
from callwatch.services import check as check_command
from tests.rules_support import EXAMPLES, FLAGSHIP, cli


def detail(name: str, *extra: str) -> tuple[int, dict[str, Any]]:
    result = cli("check", str(EXAMPLES / name), "--call", FLAGSHIP, "--json", *extra)
    return result.exit_code, json.loads(result.stdout)


def statuses(data: dict[str, Any]) -> dict[str, str]:
    out = {}
    todo = list(data["criteria"])
    while todo:
        e = todo.pop()
        out[e["id"]] = e["status"]
        todo.extend(e["children"])
    return out


def test_eligible_example() -> None:
    code, data = detail("legumerie-eligible.toml")
    assert code == 0
    assert data["schema"] == "callwatch.check.call/1"
    assert data["verdict"] == "eligible"
    assert data["general_only"] is False
    assert data["questions"] == []
    assert data["filing_round"]["label"] == "2e session"  # filed 2019-05-20
    assert statuses(data)["partenariat"] == "met"
    # the building is not an eligible cost; no rate, so no aid figure
    funding = data["funding"]
    assert funding["eligible_total"] == "26500"
    assert funding["ineligible_lines"] == [
        {
            "label": "Construction du bâtiment",
            "category": "construction",
            "amount": "40000",
            "reason": "not_listed",
        }
    ]
    assert (funding["aid"], funding["why_no_aid"]) == (None, "no_rate")


def test_independence_failure_example() -> None:
    code, data = detail("cooperative-controlled.toml")
    assert code == 1
    assert data["verdict"] == "not_eligible"
    assert data["failed"] == ["partenariat"]
    partnership = next(e for e in data["criteria"] if e["id"] == "partenariat")
    assert partnership["found"] == "1 independent partner (coop-forez controls fromagerie (60%))"
    assert partnership["required"] == "at least 2 independent partners"
    assert partnership["source"].startswith("Règlement (UE) n° 1305/2013, article 35")
    assert data["questions"] == []  # not eligible: no question can change that


def test_incomplete_example_asks_only_for_control() -> None:
    code, data = detail("control-undeclared.toml")
    assert code == 3
    assert data["verdict"] == "incomplete"
    assert [q["key"] for q in data["questions"]] == ["control"]
    assert data["questions"][0]["criteria"] == ["partenariat"]
    assert statuses(data)["partenariat"] == "unknown"


def test_outside_territory_example() -> None:
    code, data = detail("outside-territory.toml")
    assert code == 1
    assert data["failed"] == ["territoire"]
    territory = next(e for e in data["criteria"] if e["id"] == "territoire")
    assert (territory["found"], territory["required"]) == ("FR-21 (in FR-BFC, FR)", "within FR-ARA")


def test_human_detail_is_readable_when_piped() -> None:
    result = cli("check", str(EXAMPLES / "cooperative-controlled.toml"), "--call", FLAGSHIP)
    assert result.exit_code == 1
    out = result.stdout
    assert "✗ NOT ELIGIBLE" in out.splitlines()[0]
    assert "✗ not met  partenariat — Partenariat entre au moins deux entités indépendantes" in out
    assert "      found: 1 independent partner (coop-forez controls fromagerie (60%))" in out
    assert "      required: at least 2 independent partners" in out
    assert "✓ met  territoire" in out
    assert "\x1b[" not in out  # no colour codes in a pipe


def test_human_detail_in_french_with_questions() -> None:
    result = cli(
        "check", str(EXAMPLES / "control-undeclared.toml"), "--call", FLAGSHIP, "--lang", "fr"
    )
    assert result.exit_code == 3
    out = result.stdout
    assert "? INCOMPLET" in out.splitlines()[0]
    assert "Questions à renseigner" in out
    assert " 1. Quels liens de contrôle existent entre les partenaires" in out
    assert "[control] concerne : partenariat" in out
    assert "non estimée : l'appel ne donne pas de taux" in out


def test_budget_lines_not_eligible_are_listed() -> None:
    out = cli("check", str(EXAMPLES / "legumerie-eligible.toml"), "--call", FLAGSHIP).stdout
    assert "Budget lines not eligible" in out
    line = next(x for x in out.splitlines() if x.startswith("Construction du bâtiment"))
    assert "€40,000.00" in line
    assert "category not among the call's eligible costs" in line


def test_ranking_of_all_calls() -> None:
    result = cli("check", str(EXAMPLES / "control-undeclared.toml"), "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["schema"] == "callwatch.check/1"
    assert data["project"]["submission"] == "2019-05-20"
    results = data["results"]
    order = {"eligible": 0, "incomplete": 1, "not_eligible": 2}
    ranks = [order[r["verdict"]] for r in results]
    assert ranks == sorted(ranks)
    incomplete = [r for r in results if r["verdict"] == "incomplete"]
    assert [r["question_count"] for r in incomplete] == sorted(
        r["question_count"] for r in incomplete
    )
    flagship = next(r for r in results if r["id"] == FLAGSHIP)
    assert (flagship["verdict"], flagship["question_count"]) == ("incomplete", 1)
    # the shipped Horizon topics of type RIA, IA or CSA carry their standard condition
    # (docs/rules.md); every other shipped call encodes no criteria: it must say so
    shipped = load_catalog([shipped_data_path()])
    standard = {c.id for c in shipped.calls if any(k.standard for k in c.criteria)}
    assert len(standard) == 38 + 32 + 9  # RIA, IA, CSA in data/eu-2027.toml
    others = [r for r in results if r["id"] != FLAGSHIP]
    assert all(r["general_only"] == (r["id"] not in standard) for r in others)
    assert len(results) == len(shipped.calls) == 27 + 86  # data/calls.toml + data/eu-2027.toml


def test_human_ranking_gives_general_only_calls_their_own_verdict() -> None:
    result = cli("check", str(EXAMPLES / "legumerie-eligible.toml"))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:2] == ["Verdict", "Id"]
    flagship = next(x for x in lines if FLAGSHIP in x)
    assert flagship.startswith("✓ eligible")  # it encodes criteria: a full verdict
    data = json.loads(cli("check", str(EXAMPLES / "legumerie-eligible.toml"), "--json").stdout)
    verdicts = {r["id"]: r for r in data["results"]}
    shown = {
        "✓": "eligible",
        "≈": "general_only",
        "?": "incomplete",
        "✗": "not_eligible",
    }
    seen = set()
    for line in lines[1:]:
        if not line.strip() or line.startswith("("):
            continue
        mark, *words = line.split()
        ident = words[{"general_only": 3, "not_eligible": 2}.get(shown[mark], 1)]
        r = verdicts[ident]
        general = r["general_only"] and r["verdict"] == "eligible"
        assert shown[mark] == ("general_only" if general else r["verdict"]), line
        if general:
            assert "general conditions only" in line and "no criteria encoded" in line
        seen.add(shown[mark])
    assert {"general_only", "not_eligible"} <= seen


def test_a_not_eligible_row_says_why_in_words_of_the_failure_and_shows_no_aid() -> None:
    result = cli("check", str(EXAMPLES / "outside-territory.toml"), env={"COLUMNS": "250"})
    row = next(x for x in result.stdout.splitlines() if x.startswith("✗") and FLAGSHIP in x)
    assert "territoire: FR-21 (in FR-BFC, FR); required: within FR-ARA" in row
    assert row.rstrip().endswith("—")  # no aid estimate on a not-eligible row
    assert "Project within the call's territory" not in result.stdout
    lines = result.stdout.splitlines()
    at = next(i for i, x in enumerate(lines) if "ERASMUS-EDU-2022" in x)
    record = [lines[at], *(x for x in lines[at + 1 : at + 3] if x.startswith(" "))]
    words = " ".join(" ".join(record).split())  # a row may wrap within its cells
    assert "filing on 1 March 2019, before the call opens (23" in words and "2022)" in words
    french = cli("check", str(EXAMPLES / "outside-territory.toml"), "--lang", "fr")
    assert "dépôt le 1 mars 2019, avant l'ouverture de l'appel (23 février 2022)" in french.stdout
    assert "territoire : FR-21 (dans FR-BFC, FR) ; exigé : dans FR-ARA" in " ".join(
        french.stdout.split()
    )


def test_a_call_without_criteria_says_so(tmp_path: Path) -> None:
    calls = tmp_path / "calls.toml"
    calls.write_text('[[calls]]\nid = "plain"\ntitle = "Plain"\nongoing = true\n', encoding="utf-8")
    result = cli(
        "check", str(EXAMPLES / "legumerie-eligible.toml"), "--call", "plain", "--data", str(calls)
    )
    assert result.exit_code == 4  # its own exit status: general conditions only
    assert "≈ GENERAL CONDITIONS ONLY" in result.stdout
    assert "This call encodes no eligibility criteria" in result.stdout
    data = json.loads(
        cli(
            "check",
            str(EXAMPLES / "legumerie-eligible.toml"),
            "--call",
            "plain",
            "--data",
            str(calls),
            "--json",
        ).stdout
    )
    assert data["general_only"] is True
    assert [e["id"] for e in data["criteria"]] == ["call.rounds"]


def project_filed(tmp_path: Path, submission: str | None) -> Path:
    text = (EXAMPLES / "legumerie-eligible.toml").read_text(encoding="utf-8")
    text = text.replace(
        "submission = 2019-05-20\n", "" if submission is None else f"submission = {submission}\n"
    )
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("submission", "expected", "found"),
    [
        ("2019-03-15", 0, "15 March 2019: 1re session open until 15 March 2019"),  # deadline day
        ("2019-03-16", 0, "16 March 2019: 2e session open until 29 May 2019"),
        ("2019-05-29", 0, "29 May 2019: 2e session open until 29 May 2019"),
        ("2019-05-30", 1, "filing on 30 May 2019, after the last round (29 May 2019)"),
    ],
)
def test_the_filing_date_must_fall_in_an_open_round(
    tmp_path: Path, submission: str, expected: int, found: str
) -> None:
    result = cli("check", str(project_filed(tmp_path, submission)), "--call", FLAGSHIP, "--json")
    assert result.exit_code == expected
    rounds = json.loads(result.stdout)["criteria"][0]
    assert (rounds["id"], rounds["implicit"], rounds["found"]) == ("call.rounds", True, found)


def test_without_a_filing_date_today_is_used(tmp_path: Path) -> None:
    path = project_filed(tmp_path, None)
    result = cli("check", str(path), "--call", FLAGSHIP, "--json", "--today", "2019-06-01")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["submission_is_default"] is True
    found = data["criteria"][0]["found"]
    assert found == "filing on 1 June 2019 (today), after the last round (29 May 2019)"
    assert cli("check", str(path), "--call", FLAGSHIP, "--today", "2019-04-01").exit_code == 0


def test_a_round_that_has_not_opened_yet(tmp_path: Path) -> None:
    calls = tmp_path / "calls.toml"
    calls.write_text(
        '[[calls]]\nid = "later"\ntitle = "Later"\n'
        'deadlines = [{ date = 2019-09-30, opens = 2019-06-01, label = "Automne" }]\n',
        encoding="utf-8",
    )
    path = project_filed(tmp_path, "2019-05-20")
    result = cli("check", str(path), "--call", "later", "--data", str(calls), "--json")
    assert result.exit_code == 1
    found = json.loads(result.stdout)["criteria"][0]["found"]
    assert found == "filing on 20 May 2019, before Automne opens (1 June 2019)"


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    result = cli(
        "check", str(EXAMPLES / "legumerie-eligible.toml"), "--call", "feader-aura-2019-16-5"
    )
    assert result.exit_code == 2
    assert "did you mean feader-aura-2019-16-4" in result.stderr
    result = cli("check", str(tmp_path / "missing.toml"))
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_a_broken_calls_file_is_reported_after_the_ranking(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[calls]]\nid = "x"\ntitle = "X"\nongoing = "yes"\n', encoding="utf-8")
    good = tmp_path / "good.toml"
    good.write_text('[[calls]]\nid = "g"\ntitle = "G"\nongoing = true\n', encoding="utf-8")
    result = cli("check", str(EXAMPLES / "legumerie-eligible.toml"), "--data", str(tmp_path))
    assert result.exit_code == 65
    assert f"{bad}:4: call 'x': ongoing: expected true or false" in result.stderr
    rows = [line.split() for line in result.stdout.splitlines()[1:]]
    assert rows == [
        ["≈", "general", "conditions", "only", "g", "G", "no", "criteria", "encoded", "—"]
    ]


def test_marks_fall_back_to_ascii(monkeypatch: pytest.MonkeyPatch) -> None:
    ascii_out = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    monkeypatch.setattr("sys.stdout", ascii_out)
    assert check_command._marks() == {True: "+", False: "x", None: "?"}
    utf8_out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    monkeypatch.setattr("sys.stdout", utf8_out)
    assert check_command._marks()[True] == "✓"


# -- init -------------------------------------------------------------------------


def test_init_writes_a_project_that_checks(tmp_path: Path) -> None:
    path = tmp_path / "projet.toml"
    result = cli("init", str(path))
    assert result.exit_code == 0
    assert f"next: callwatch check {path}" in result.stderr
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["projet.toml"]  # no temporary file left
    checked = cli("check", str(path), "--call", FLAGSHIP)
    assert checked.exit_code == 0, checked.stdout


def test_init_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "project.toml"
    path.write_text("mine\n", encoding="utf-8")
    result = cli("init", str(path))
    assert result.exit_code == 2
    assert "already exists: not overwritten" in result.stderr
    assert path.read_text(encoding="utf-8") == "mine\n"
    assert [p.name for p in tmp_path.iterdir()] == ["project.toml"]


def test_init_to_stdout() -> None:
    result = cli("init", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("# A callwatch project file")


def test_init_default_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli("init").exit_code == 0
    assert (tmp_path / "project.toml").is_file()


# -- validate ---------------------------------------------------------------------


def test_validate_recognises_project_files(tmp_path: Path) -> None:
    result = cli("validate", str(EXAMPLES))
    assert result.exit_code == 0
    assert "7 project files" in result.stderr
    bad = tmp_path / "p.toml"
    bad.write_text('[project]\ntitle = "x"\nterritory = "FR-99"\n', encoding="utf-8")
    result = cli("validate", str(tmp_path), "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["project_files"] == [str(bad)]
    assert data["problems"][0]["line"] == 3
    assert "unknown territory code 'FR-99'" in data["problems"][0]["message"]


def test_untrusted_text_is_shown_never_interpreted(tmp_path: Path) -> None:
    calls = tmp_path / "calls.toml"
    calls.write_text(
        '[[calls]]\nid = "c"\ntitle = "T \\u001b]0;pwned\\u0007"\nongoing = true\n'
        '[[calls.criteria]]\nid = "who"\nlabel = "Legal persons \\u001b[2J"\n'
        'check = { for_each = "partners", '
        'require = { path = "partners.type", in = ["legal_person"] } }\n',
        encoding="utf-8",
    )
    project = tmp_path / "p.toml"
    project.write_text(
        '[project]\ntitle = "\\u001b[31mEvil\\u001b[0m"\n'
        '[[partners]]\nid = "f"\nname = "Ferme \\u202eeciffo\\u001b[1A"\ntype = "farmer"\n',
        encoding="utf-8",
    )
    for env in ({}, {"FORCE_COLOR": "1", "NO_COLOR": ""}):
        result = cli("check", str(project), "--call", "c", "--data", str(calls), env=env)
        assert result.exit_code == 3
        out = result.stdout
        assert "Ferme eciffo" in out  # the partner's name, in the question
        for injected in ("\x1b]0;", "\x1b[2J", "\x1b[31mEvil", "\x1b[1A", "\u202e"):
            assert injected not in out
        if not env:
            assert "\x1b" not in out


def test_an_answer_no_criterion_asks_is_reported_as_a_likely_typo(tmp_path: Path) -> None:
    project = tmp_path / "projet.toml"
    text = (EXAMPLES / "legumerie-eligible.toml").read_text(encoding="utf-8")
    project.write_text(
        text.replace("circuit-court = true", "circuit-cour = true"), encoding="utf-8"
    )
    result = cli("--today", "2019-03-01", "check", str(project), "--call", FLAGSHIP)
    assert (
        f"{project}: [answers] circuit-cour: no criterion of the calls checked asks it "
        "(did you mean 'circuit-court'?)"
    ) in result.stderr
    clean = cli("--today", "2019-03-01", "check", str(EXAMPLES / "legumerie-eligible.toml"))
    assert "[answers]" not in clean.stderr


def test_the_ranking_keeps_its_why_short_when_piped(tmp_path: Path) -> None:
    """Thirty partners the call does not admit: the table's "why" is shortened with "…"
    (check --call gives them all), so no piped line is padded to a list of thirty."""
    partners = "".join(
        f'[[partners]]\nid = "p{n:02}"\nname = "P{n}"\ntype = "private_person"\n'
        f'roles = ["producer"]\nterritory = "FR-63"\n\n'
        for n in range(30)
    )
    project = tmp_path / "many.toml"
    project.write_text(
        'control = []\n[project]\ntitle = "Trente"\nterritory = "FR-63"\n'
        "submission = 2019-05-20\n\n" + partners,
        encoding="utf-8",
    )
    result = cli("check", str(project))
    lines = result.stdout.splitlines()
    row = next(line for line in lines if FLAGSHIP in line)
    assert "p00" in row and "p29" not in row and "…" in row
    assert max(len(line) for line in lines) < 400
    full = cli("check", str(project), "--call", FLAGSHIP).stdout
    assert "p29" in full  # the whole explanation is one command away
