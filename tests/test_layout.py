"""Tables that fit the terminal: at 60, 80, 100 and 200 columns nothing is cut without a
sign, ids are whole, every line fits, footnotes included (docs/output.md)."""

from __future__ import annotations

import fcntl
import json
import os
import re
import select
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from callwatch.output.layout import Cell, Column, fit, plain_rows, stacked, width, wrap
from tests.conftest import Invoke
from tests.rules_support import EXAMPLES

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
WIDTHS = (60, 80, 100, 200)
TODAY = "2019-03-01"


def listed_ids(cli: Invoke, *args: str) -> list[str]:
    result = cli("--today", TODAY, *args, "--json")
    return [c["id"] for c in json.loads(result.stdout)["calls"]]


def render(
    cli: Invoke, total: int, *args: str, rich: bool, today: str = TODAY, lang: str = "en"
) -> list[str]:
    env = {"COLUMNS": str(total), "CALLWATCH_TODAY": today, "CALLWATCH_LANG": lang}
    env.update({"FORCE_COLOR": "1"} if rich else {"NO_COLOR": "1"})
    result = cli(*args, env=env)
    assert result.exit_code in (0, 1), result.output
    return ANSI.sub("", result.stdout).splitlines()


def assert_fits(lines: list[str], total: int, ids: list[str]) -> None:
    """Every line fits, except a line that is one id longer than the terminal (ids are
    never cut); every id appears whole on some line."""
    for line in lines:
        if width(line) > total:
            assert line.strip() in ids, f"{width(line)} > {total}: {line!r}"
    text = "\n".join(lines)
    for call_id in ids:
        assert re.search(rf"(?<![\w-]){re.escape(call_id)}(?![\w-])", text), call_id


@pytest.mark.parametrize("rich", [True, False], ids=["rich", "plain"])
@pytest.mark.parametrize("total", WIDTHS)
def test_list_fits_and_shows_every_id_whole(cli: Invoke, total: int, rich: bool) -> None:
    ids = listed_ids(cli, "list")
    assert max(len(i) for i in ids) > 60  # the shipped data has ids longer than 60 columns
    lines = render(cli, total, "list", rich=rich)
    assert_fits(lines, total, ids)
    if total == 200:  # room for everything: one table, every column
        assert any("Status" in line and "Round" in line for line in lines[:3])


@pytest.mark.parametrize("rich", [True, False], ids=["rich", "plain"])
@pytest.mark.parametrize("total", WIDTHS)
def test_list_due_drops_columns_whole_and_says_so(cli: Invoke, total: int, rich: bool) -> None:
    ids = listed_ids(cli, "list", "--due")
    lines = render(cli, total, "list", "--due", rich=rich)
    assert_fits(lines, total, ids)
    header = next(line for line in lines if "Deadline" in line)
    for name in ("Deadline", "Days", "Id", "Title"):  # the first columns are always there
        assert name in header
    hidden = [name for name in ("Status", "Round") if name not in header]
    if hidden:
        assert f"(not shown, too narrow: {', '.join(hidden)})" in " ".join(lines)
    else:
        assert "not shown" not in "\n".join(lines)
    assert ("Round" in header) is (total >= 100)
    if total < 200:
        assert "…" in "\n".join(lines)  # the long title is visibly shortened


@pytest.mark.parametrize("rich", [True, False], ids=["rich", "plain"])
@pytest.mark.parametrize("total", WIDTHS)
def test_show_always_shows_its_criteria(cli: Invoke, total: int, rich: bool) -> None:
    lines = render(cli, total, "show", "feader-aura-2019-16-4", rich=rich)
    assert_fits(lines, total, ["feader-aura-2019-16-4", "circuit-court-ou-marche-local"])
    text = " ".join(" ".join(line.strip("│┃ ").split()) for line in lines)
    for criterion in ("beneficiaires", "territoire", "partenariat", "depenses"):
        assert re.search(rf"(?<![\w-]){criterion}(?![\w-])", text)
    assert "Circuit" in text and "Criterion" in text


@pytest.mark.parametrize("rich", [True, False], ids=["rich", "plain"])
@pytest.mark.parametrize("total", WIDTHS)
def test_check_table_fits(cli: Invoke, total: int, rich: bool) -> None:
    project = str(EXAMPLES / "legumerie-eligible.toml")
    result = cli("--today", TODAY, "check", project, "--json")
    ids = [c["id"] for c in json.loads(result.stdout)["results"]]
    assert_fits(render(cli, total, "check", project, rich=rich), total, ids)


def test_piped_without_a_width_is_one_record_per_line(cli: Invoke) -> None:
    result = cli("--today", TODAY, "list")
    lines = result.stdout.splitlines()
    assert len(lines) == len(listed_ids(cli, "list")) + 1
    assert "\t" not in result.stdout
    start = lines[0].index("Title")  # aligned: every title starts in the same cell
    assert all(width(line[:start]) == start and line[start - 2 : start] == "  " for line in lines)
    assert max(width(line) for line in lines) > 200  # nothing was shortened


def test_wrap_never_breaks_a_word_and_marks_what_it_leaves_out() -> None:
    text = "Coopération pour le développement des circuits d'approvisionnement courts"
    lines = wrap(text, 20)
    assert all(width(line) <= 20 for line in lines)
    assert " ".join(lines) == text
    short = wrap(text, 20, limit=2)
    assert len(short) == 2 and short[-1].endswith("…")
    assert all(word in text.split() for word in " ".join(short).rstrip("…").split())


def test_columns_are_dropped_by_priority_and_whole() -> None:
    columns = [
        Column("A"),
        Column("Low", priority=2),
        Column("Mid", priority=1),
        Column("T", wrap=True),
    ]
    rows = [["a" * 10, "l" * 10, "m" * 10, "word " * 20]]
    assert fit(columns, rows, 200, boxed=False) is not None
    narrow = fit(columns, rows, 60, boxed=False)
    assert narrow is not None and narrow.dropped == [1]  # the lowest priority goes first
    assert narrow.kept == [0, 2, 3] and sum(narrow.widths) + 2 * 2 <= 60
    assert fit(columns, rows, 20, boxed=False) is None  # must-haves do not fit: stacked


def test_stacked_records_fit_and_keep_the_key_whole() -> None:
    columns = [Column("Id", key=True), Column("Criterion", wrap=True)]
    rows = [[Cell("circuit-court-ou-marche-local"), Cell("mot " * 40)]]
    out = stacked(columns, rows, 40)
    texts = ["".join(c.text for c in line) for line in out]
    assert texts[0] == "circuit-court-ou-marche-local"
    assert all(width(t) <= 40 for t in texts)


@pytest.mark.parametrize("plain", [False, True], ids=["rich", "no-color"])
def test_a_real_terminal_of_80_columns(plain: bool) -> None:
    """`callwatch list` in a pseudo-terminal whose window is 80x40: the size is read from
    the terminal, by Rich and by the plain output (NO_COLOR) alike."""
    main, child = os.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 80, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    env.update(CALLWATCH_TODAY=TODAY, TERM="xterm-256color", CALLWATCH_LANG="en")
    if plain:
        env["NO_COLOR"] = "1"
    proc = subprocess.Popen(
        [sys.executable, "-m", "callwatch", "list", "--due"],
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
        cwd=Path(__file__).parents[1],
    )
    os.close(child)
    chunks = []
    while True:
        ready, _, _ = select.select([main], [], [], 30)
        if not ready:
            break
        try:
            data = os.read(main, 65536)
        except OSError:  # the child closed its side
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=30)
    os.close(main)
    lines = ANSI.sub("", b"".join(chunks).decode("utf-8")).replace("\r", "").splitlines()
    assert any("feader-aura-2019-16-4" in line for line in lines)
    assert all(width(line) <= 80 for line in lines), lines
    assert "(not shown, too narrow: Status, Round)" in lines
    if not plain:
        assert any(line.startswith("┏") for line in lines)  # Rich drew a table
        assert any(line.endswith("┓") for line in lines)  # the right border is there
    else:
        assert not any("┏" in line for line in lines)


# 2026 data: the shipped EU topics, some checked at source long ago ("verify" and its note).
LATE = "2026-12-04"
LEGUMERIE = str(EXAMPLES / "legumerie-eligible.toml")


def check_ids(cli: Invoke) -> list[str]:
    result = cli("--today", LATE, "check", LEGUMERIE, "--json")
    return [c["id"] for c in json.loads(result.stdout)["results"]]


@pytest.mark.parametrize("rich", [True, False], ids=["rich", "plain"])
def test_check_never_loses_title_nor_aid(cli: Invoke, rich: bool) -> None:
    """At every width, the title and the estimated aid are there, in the table or in
    every stacked record; nothing is "not shown" (issue 14: not Why kept, Title dropped)."""
    ids = check_ids(cli)
    for total in range(60, 201, 10):
        lines = render(cli, total, "check", LEGUMERIE, rich=rich, today=LATE)
        assert_fits(lines, total, ids)
        assert not any("not shown" in line for line in lines), total
        header = next((line for line in lines[:3] if "Verdict" in line and "Id" in line), None)
        if header is not None:  # a table: every column in its header
            for name in ("Title", "Why", "Estimated aid"):
                assert name in header, (total, header)
        else:  # stacked: every record has its title and its aid
            labels = [line.split("  ")[1] for line in lines if line.startswith("  ")]
            assert labels.count("Title") == labels.count("Estimated aid") == len(ids), total
        if total == 130:  # the width of the audit's tmux pane
            assert header is None


@pytest.mark.parametrize("rich", [True, False], ids=["rich", "plain"])
def test_check_in_french_ties_its_colons(cli: Invoke, rich: bool) -> None:
    """French puts a space before ":" and ";": a cell never starts a line with one of them
    ("exigé" on one line, ": dans" on the next)."""
    for total in (60, 160, 200):
        lines = render(cli, total, "check", LEGUMERIE, rich=rich, today=LATE, lang="fr")
        assert_fits(lines, total, check_ids(cli))
        pieces = [p.strip() for line in lines for p in re.split(r"[│┃]| {2,}", line)]
        assert not [p for p in pieces if p[:1] in (":", ";")], total
        assert any(" : " in line for line in lines)  # there are French colons to tie


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("rich", [True, False], ids=["rich", "plain"])
@pytest.mark.parametrize("total", WIDTHS)
def test_footnotes_fit_too(cli: Invoke, total: int, rich: bool, lang: str) -> None:
    """The stale-source note and the hidden-columns note wrap at the terminal's width,
    between words, and say all they say."""
    due = cli("--today", LATE, "list", "--due", "3m", "--json").stdout
    ids = [c["id"] for c in json.loads(due)["calls"]]
    lines = render(cli, total, "list", "--due", "3m", rich=rich, today=LATE, lang=lang)
    assert_fits(lines, total, ids)
    status_dropped = total in (80, 100)  # stacked at 60, every column at 200
    if status_dropped:  # the "verify" mark is not on screen: the note counts what it concerns
        wide = render(cli, 300, "list", "--due", "3m", rich=False, today=LATE, lang=lang)
        assert wide[-1].startswith(('"verify"', "« à vérifier »"))  # wide enough: the mark
        note = " ".join(lines[[i for i, x in enumerate(lines) if x.endswith(")")][-1] + 1 :])
        assert note.startswith(("2 calls shown were", "2 appels affichés ont"))
        assert ("Status" if lang == "en" else "Statut") in note and width(note) > 80
    else:
        note = cli("--today", LATE, "--lang", lang, "list", "--due", "3m").stdout.splitlines()[-1]
        assert note.startswith(('"verify"', "« à vérifier »")) and width(note) > 80
    tail = lines[-len(wrap(note, total)) :]
    assert " ".join(tail) == note  # broken between words only, nothing lost
    assert all(width(line) <= total for line in tail)
    hidden = [i for i, line in enumerate(lines) if line.startswith(("(not", "(non"))]
    assert bool(hidden) is status_dropped
    for i in hidden:
        assert lines[i].endswith(")") or lines[i + 1].endswith(")")


def test_footnotes_piped_stay_one_line(cli: Invoke) -> None:
    lines = cli("--today", LATE, "list", "--due", "3m").stdout.splitlines()
    assert lines[-1].startswith('"verify": ') and lines[-1].endswith("before relying on it.")


def test_plain_cells_justified_right_stay_right(cli: Invoke) -> None:
    """Days are right-aligned in the width-aware plain table, under their heading's end."""
    lines = render(cli, 100, "list", "--due", "3m", rich=False, today=LATE)
    end = lines[0].index("Days") + len("Days")
    table_rows = [line for line in lines[1:] if line[:4].isdigit()]  # not the notes after them
    days = [line[:end].split()[-1] for line in table_rows]
    assert days and {len(d) for d in days} != {len("Days")}  # narrower than the heading
    for line in table_rows:
        if line[:1].isdigit():
            assert line[end - 1] != " " and line[end : end + 2] == "  ", line
    columns = [Column("Id"), Column("Days", justify="right")]
    rows = [["a", "3"], ["b", "120"]]
    fitted = fit(columns, rows, 40, boxed=False)
    assert fitted is not None
    assert plain_rows(columns, rows, fitted) == ["Id  Days", "a      3", "b    120"]


def test_show_has_no_round_column_when_no_round_is_labelled(cli: Invoke) -> None:
    """The EU topic's one deadline has no label: no column of blanks (as in `list`)."""
    result = cli("--today", LATE, "show", "HORIZON-EIC-2026-ACCELERATOR-01")
    lines = result.stdout.splitlines()
    rounds = lines.index("Rounds")
    assert lines[rounds + 1].split() == ["Deadline", "Status", "Days"]
    assert lines[rounds + 2].startswith("2026-12-17 17:00")
    result = cli("--today", TODAY, "show", "feader-aura-2019-16-4")  # labelled: kept
    lines = result.stdout.splitlines()
    assert lines[lines.index("Rounds") + 1].split() == ["Round", "Deadline", "Status", "Days"]


def test_wrap_ties_french_punctuation_to_its_word() -> None:
    text = "bénéficiaires : non respecté ; exigé : « chaque partenaire » parmi : commune"
    for size in range(16, 40):
        lines = wrap(text, size)
        assert " ".join(lines) == text
        assert not [line for line in lines if line[:1] in ":;»" or line.endswith("«")], size


@pytest.mark.parametrize("rich", [True, False], ids=["rich", "plain"])
@pytest.mark.parametrize("total", WIDTHS)
def test_show_keeps_its_id_and_links_whole(cli: Invoke, total: int, rich: bool) -> None:
    """The heading's id is never cut nor broken (a line of its own when longer than the
    terminal); a link longer than a line is folded, every character kept, not cut."""
    call_id = "at-9ded-beneficier-accompagnement-acquisition-materiel-cyclomobile"
    url = json.loads(cli("--today", LATE, "show", call_id, "--json").stdout)["url"]
    lines = render(cli, total, "show", call_id, rich=rich, today=LATE)
    assert_fits(lines, total, [call_id])
    assert lines[0] == call_id if total < len(call_id) else lines[0].startswith(call_id + " ")
    sources = lines.index("Sources")
    block = [lines[sources + 1]]
    for line in lines[sources + 2 :]:
        if not line.startswith(" ") or not line.strip():
            break
        block.append(line)  # the link's continuation lines
    link = "".join(line.split()[-1] for line in block)
    assert link.startswith(url) and "…" not in link


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("rich", [True, False], ids=["rich", "plain"])
@pytest.mark.parametrize("total", WIDTHS)
def test_check_detail_wraps_under_its_own_start(
    cli: Invoke, total: int, rich: bool, lang: str
) -> None:
    """`check --call`'s explanations (found, required, source) wrap at the known width
    under where their text starts, every word kept; piped with no width, one line each."""
    args = ("check", str(EXAMPLES / "legumerie-eligible.toml"), "--call", "feader-aura-2019-16-4")
    lines = render(cli, total, *args, rich=rich, lang=lang)
    assert all(width(line) <= total for line in lines), max(lines, key=width)
    piped = cli("--today", TODAY, "--lang", lang, *args).stdout.splitlines()
    assert max(map(width, piped)) > 100  # the source quotes are long: something to wrap

    def criteria(out: list[str]) -> str:  # from its heading to the blank line after it
        start = next(i for i, line in enumerate(out) if line.strip() in ("Criteria", "Critères"))
        end = out.index("", start)
        return " ".join(" ".join(out[start:end]).split())

    assert criteria(lines) == criteria(piped)
    source = ("source:", "source :")[lang == "fr"]
    at = next(i for i, line in enumerate(lines) if source in line and "Note de ressources" in line)
    if width(piped[[i for i, p in enumerate(piped) if source in p][1]]) > total:
        start = lines[at].index("Note")
        assert lines[at + 1][:start].strip() == "" and lines[at + 1][start] != " "
