"""`callwatch add`: a validated call appended, every existing byte kept."""

from __future__ import annotations

import stat
import tomllib
from datetime import date, time
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from callwatch.files.loading import load_catalog
from tests.io_support import SHIPPED, cli

FLAGSHIP_ID_LINE = 15  # data/calls.toml: `id = "feader-aura-2019-16-4"`


def add(path: Path, *args: str, stdin: str | None = None, **env: str | None) -> Any:
    """`callwatch add`, in English, on a day before the example deadlines (2025)."""
    base: dict[str, str | None] = {"CALLWATCH_TODAY": "2025-01-01", "CALLWATCH_LANG": "en"}
    return cli("add", str(path), *args, stdin=stdin, env={**base, **env})


def last_call(path: Path) -> dict[str, Any]:
    calls: list[dict[str, Any]] = tomllib.loads(path.read_text(encoding="utf-8"))["calls"]
    return calls[-1]


def test_appends_to_the_shipped_file_keeping_every_byte(tmp_path: Path) -> None:
    target = tmp_path / "calls.toml"
    original = SHIPPED.read_bytes()
    target.write_bytes(original)
    target.chmod(0o600)
    result = add(
        target,
        "--id", "leader-2025",
        "--title", "Appel à projets LEADER 2025",
        "--deadline", "2025-03-15",
        "--deadline", "2025-05-29T17:00",
        "--label", "1re session",
        "--label", "2e session",
        "--territory", "FR-63",
        "--beneficiary", "association",
        "--funder", "Union européenne (FEADER)",
        "--source", "Délibération du GAL",
        "--url", "https://example.org/leader",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == f"added leader-2025 to {target}\n"
    data = target.read_bytes()
    assert data.startswith(original)
    assert data[len(original) :].startswith(b"\n[[calls]]\n")  # one blank line between
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["calls.toml"]
    assert last_call(target) == {
        "id": "leader-2025",
        "title": "Appel à projets LEADER 2025",
        "url": "https://example.org/leader",
        "sources": ["Délibération du GAL"],
        "funders": ["Union européenne (FEADER)"],
        "territory": ["FR-63"],
        "beneficiaries": ["association"],
        "deadlines": [
            {"date": date(2025, 3, 15), "label": "1re session"},
            {"date": date(2025, 5, 29), "time": time(17, 0), "label": "2e session"},
        ],
    }
    catalog = load_catalog([target])
    assert catalog.problems == []
    assert len(catalog.calls) == 28


def test_a_file_without_final_newline_or_with_crlf(tmp_path: Path) -> None:
    bare = tmp_path / "bare.toml"
    bare.write_bytes(b'[[calls]]\nid = "a"\ntitle = "A"\nongoing = true')
    assert add(bare, "--id", "b", "--title", "B", "--ongoing").exit_code == 0
    assert bare.read_bytes().startswith(b'[[calls]]\nid = "a"\ntitle = "A"\nongoing = true\n\n[[')
    crlf = tmp_path / "crlf.toml"
    crlf.write_bytes(b'# note\r\n[[calls]]\r\nid = "a"\r\ntitle = "A"\r\nongoing = true\r\n')
    assert add(crlf, "--id", "b", "--title", "B", "--ongoing").exit_code == 0
    data = crlf.read_bytes()
    assert data.startswith(b'# note\r\n[[calls]]\r\nid = "a"\r\ntitle = "A"\r\nongoing = true\r\n')
    assert b"\n" not in data.replace(b"\r\n", b"")  # no lone LF mixed in
    assert [c.id for c in load_catalog([crlf]).calls] == ["a", "b"]


def test_a_missing_file_is_created(tmp_path: Path) -> None:
    target = tmp_path / "new.toml"
    result = add(target, "--id", "x", "--title", "X", "--deadline", "2025-01-31")
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == (
        '[[calls]]\nid = "x"\ntitle = "X"\ndeadlines = [\n  { date = 2025-01-31 },\n]\n'
    )


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    target = tmp_path / "calls.toml"
    target.write_bytes(SHIPPED.read_bytes())
    result = add(target, "--id", "FEADER-aura-2019-16-4", "--title", "X", "--ongoing")
    assert result.exit_code == 1
    assert result.stderr == (
        f"callwatch: id 'FEADER-aura-2019-16-4' is already used in {target}:{FLAGSHIP_ID_LINE}\n"
    )
    assert target.read_bytes() == SHIPPED.read_bytes()
    other = tmp_path / "data" / "other.toml"
    other.parent.mkdir()
    other.write_text('[[calls]]\nid = "taken"\ntitle = "T"\nongoing = true\n', encoding="utf-8")
    mine = tmp_path / "mine.toml"
    refused = add(mine, "--id", "taken", "--title", "X", "--ongoing", CALLWATCH_DATA=str(other))
    assert refused.exit_code == 1
    assert f"already used in {other}:1" in refused.stderr
    assert not mine.exists()
    # The shipped calls are not the user's data: their ids are free in the user's files.
    assert add(mine, "--id", "feader-aura-2019-16-4", "--title", "X", "--ongoing").exit_code == 0


def test_invalid_calls_are_refused_with_the_reason(tmp_path: Path) -> None:
    target = tmp_path / "calls.toml"
    target.write_text("# mes appels\n", encoding="utf-8")
    cases = {
        ("--territory", "XX"): "unknown territory code 'XX'",
        ("--deadline", "2025-02-30"): "--deadline: invalid '2025-02-30': day is out of range",
        ("--deadline", "15/03/2025"): "expected YYYY-MM-DD or YYYY-MM-DDTHH:MM",
        ("--url", "ftp://example.org"): "url: expected an http:// or https:// address",
        ("--timezone", "Mars/Olympus"): "unknown time zone 'Mars/Olympus'",
        ("--beneficiary", "martian"): "unknown beneficiary code 'martian'",
        ("--label", "a", "--label", "b"): "--label: more labels (2) than deadlines (1)",
        ("--opens", "2025-04-01"): "round closes on 2025-03-15, before the call opens",
    }
    for extra, reason in cases.items():
        base = ["--id", "x", "--title", "X"]
        if "--deadline" not in extra:
            base += ["--deadline", "2025-03-15"]
        result = add(target, *base, *extra)
        assert result.exit_code == 2, (extra, result.output)
        assert reason in result.stderr, (extra, result.stderr)
        assert result.stderr.count("\n") == 1  # one line
        assert target.read_text(encoding="utf-8") == "# mes appels\n"


def test_missing_fields_without_a_terminal(tmp_path: Path) -> None:
    result = add(tmp_path / "c.toml")
    assert result.exit_code == 2
    assert result.stderr == (
        "callwatch: missing --title, --id, --deadline (or --ongoing) (no prompts: not a terminal)\n"
    )


def test_prompts_for_what_is_missing(tmp_path: Path) -> None:
    target = tmp_path / "c.toml"
    answers = "Mon appel régional\n\n2025-03-15, 2025-05-29T17:00\n"
    result = add(target, "--interactive", "--territory", "FR-ARA", stdin=answers)
    assert result.exit_code == 0, result.output
    assert "Id [mon-appel-regional]" in result.stdout  # the slug is offered
    call = last_call(target)
    assert call["id"] == "mon-appel-regional"
    assert call["title"] == "Mon appel régional"
    assert [d["date"] for d in call["deadlines"]] == [date(2025, 3, 15), date(2025, 5, 29)]
    result = add(target, "--interactive", "--id", "perm", "--title", "P", stdin="ongoing\n")
    assert result.exit_code == 0, result.output
    assert last_call(target)["ongoing"] is True


def test_files_that_cannot_take_a_new_table(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('[[calls]]\nid = "a"\ntitle = \n', encoding="utf-8")
    result = add(broken, "--id", "b", "--title", "B", "--ongoing")
    assert result.exit_code == 65
    assert f"{broken}:3: invalid TOML" in result.stderr
    static = tmp_path / "static.toml"
    text = 'calls = [{ id = "a", title = "A", ongoing = true }]\n'
    static.write_text(text, encoding="utf-8")
    result = add(static, "--id", "b", "--title", "B", "--ongoing")
    assert result.exit_code == 65
    assert "nothing written" in result.stderr or "invalid TOML" in result.stderr
    assert static.read_text(encoding="utf-8") == text


_titles = st.text(min_size=0, max_size=60)


@settings(max_examples=40, deadline=None)
@given(title=_titles, description=st.text(max_size=80))
def test_any_title_is_either_added_or_refused_cleanly(
    tmp_path_factory: Any, title: str, description: str
) -> None:
    target = tmp_path_factory.mktemp("add") / "calls.toml"
    original = b'# keep me\n[[calls]]\nid = "a"\ntitle = "A"\nongoing = true\n'
    target.write_bytes(original)
    result = add(target, "--id", "b", "--title", title, "--description", description, "--ongoing")
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 0:
        assert target.read_bytes().startswith(original)
        catalog = load_catalog([target])
        assert catalog.problems == []
        assert [c.id for c in catalog.calls] == ["a", "b"]
    else:
        assert target.read_bytes() == original


def test_a_bad_date_is_asked_again_not_fatal(tmp_path: Path) -> None:
    target = tmp_path / "c.toml"
    answers = "15/03/2025\n2025-03-15\n"
    result = add(
        target, "--interactive", "--id", "a", "--title", "A", stdin=answers, CALLWATCH_LANG="en"
    )
    assert result.exit_code == 0, result.output
    assert "--deadline: invalid '15/03/2025'" in result.stderr and "(try again)" in result.stderr
    assert [d["date"] for d in last_call(target)["deadlines"]] == [date(2025, 3, 15)]


def test_a_bad_id_is_asked_again_in_english_and_french(tmp_path: Path) -> None:
    """Every prompted field is checked when typed: a bad id, a taken id (in FILE, case
    aside) and a blank title each cost one question, in the reader's language."""
    target = tmp_path / "c.toml"
    target.write_text('[[calls]]\nid = "taken"\ntitle = "T"\nongoing = true\n', encoding="utf-8")
    answers = "   \nMon appel\nBad Id!\nTAKEN\nmon-appel\n2025-03-15\n"
    result = add(target, "--interactive", stdin=answers)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "callwatch: title: must not be empty (try again)",
        "callwatch: id: expected letters, digits, '.', '_', ':' or '-' (at most 120, no spaces),"
        " got the string 'Bad Id!' (try again)",
        f"callwatch: id 'TAKEN' is already used in {target}:2 (try again)",
    ]
    assert last_call(target)["id"] == "mon-appel"
    answers = "Autre appel\nBad Id!\nautre\nongoing\n"
    result = add(target, "--interactive", stdin=answers, CALLWATCH_LANG="fr")
    assert result.exit_code == 0, result.output
    assert "Intitulé" in result.stdout
    assert result.stderr.startswith("callwatch: id : des lettres, chiffres"), result.stderr
    assert result.stderr.endswith("reçu la chaîne 'Bad Id!' (nouvel essai)\n"), result.stderr
    assert last_call(target) == {"id": "autre", "title": "Autre appel", "ongoing": True}


def test_an_answer_without_a_date_is_asked_again(tmp_path: Path) -> None:
    target = tmp_path / "c.toml"
    result = add(target, "--interactive", "--id", "a", "--title", "A", stdin=" , \n2025-03-15\n")
    assert result.exit_code == 0, result.output
    assert "--deadline: invalid ' , '" in result.stderr and "(try again)" in result.stderr


def test_endless_bad_answers_end_with_a_usage_error(tmp_path: Path) -> None:
    result = add(tmp_path / "c.toml", "--interactive", "--id", "a", "--title", "A", stdin="x\n" * 9)
    assert result.exit_code == 2
    assert result.stderr.count("(try again)") == 4


def test_a_past_deadline_is_warned_about(tmp_path: Path) -> None:
    target = tmp_path / "c.toml"
    result = add(
        target,
        "--id",
        "old",
        "--title",
        "Old",
        "--deadline",
        "2024-03-15",
        CALLWATCH_TODAY="2025-01-10",
        CALLWATCH_LANG="fr",
    )
    assert result.exit_code == 0, result.output
    assert "attention : l'échéance 2024-03-15 est déjà passée (nous sommes le 2025-01-10)" in (
        result.stderr
    )
    assert "old ajouté à" in result.stdout


def test_french_prompts_put_a_space_before_their_colon(tmp_path: Path) -> None:
    """French typography: "Intitulé : ", not Click's "Intitulé: "; English keeps ": "."""
    answers = "Mon appel\n\nongoing\n"
    result = add(tmp_path / "c.toml", "--interactive", stdin=answers, CALLWATCH_LANG="fr")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Intitulé : ") and "Id [mon-appel] : " in result.stdout
    result = add(tmp_path / "d.toml", "--interactive", stdin=answers)
    assert result.stdout.startswith("Title: ") and "Id [mon-appel]: " in result.stdout
