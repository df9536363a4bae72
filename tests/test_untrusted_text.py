"""Call data is shown, never interpreted: no markup, no escape sequences, no control characters."""

from __future__ import annotations

import json

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from callwatch.domain.text import clean
from tests.conftest import Invoke, WriteCalls

HOSTILE_TITLE = (
    "[bold red]Free money[/bold red] \x1b[2J\x1b[31mRED\x1b[0m \x1b]0;pwned\x07 bell\x07 \u202eevil"
)


@pytest.fixture
def hostile(write_calls: WriteCalls) -> str:
    title = json.dumps(HOSTILE_TITLE)  # a valid TOML basic string with escapes
    description = json.dumps("Line one\n[link=file:///etc/passwd]click[/link]\x1b[1A\rLine two")
    return str(
        write_calls(
            f"""
            [[calls]]
            id = "hostile"
            title = {title}
            description = {description}
            deadlines = [{{ date = 2019-03-15, label = "[blink]x[/blink]" }}]
            """
        )
    )


@pytest.mark.parametrize("env", [{}, {"FORCE_COLOR": "1"}, {"NO_COLOR": "1"}])
def test_list_shows_markup_literally_and_strips_escapes(
    cli: Invoke, hostile: str, env: dict[str, str]
) -> None:
    result = cli("list", "-d", hostile, "--today", "2019-03-01", env={"COLUMNS": "250", **env})
    out = result.stdout
    assert "[bold red]Free money[/bold red]" in out
    assert "[blink]x[/blink]" in out
    for forbidden in ("\x1b[2J", "\x1b[31m", "\x1b]0;", "\x07", "\u202e", "pwned\x07"):
        assert forbidden not in out
    if env.get("FORCE_COLOR"):
        assert "\x1b[" in out  # Rich did colour the table, just not from the data
    else:
        assert "\x1b" not in out


def test_show_keeps_description_lines_but_no_control_characters(cli: Invoke, hostile: str) -> None:
    out = cli("show", "hostile", "-d", hostile, "--today", "2019-03-01").stdout
    assert "[link=file:///etc/passwd]click[/link]" in out
    assert "Line one\n" in out
    assert "\x1b" not in out and "\r" not in out


def test_json_keeps_the_data_exactly(cli: Invoke, hostile: str) -> None:
    doc = json.loads(
        cli("show", "hostile", "--json", "-d", hostile, "--today", "2019-03-01").stdout
    )
    assert doc["title"] == " ".join(
        HOSTILE_TITLE.split()
    )  # JSON is data: escaped by JSON, not altered


@given(st.text())
def test_clean_never_lets_a_control_character_through(text: str) -> None:
    out = clean(text)
    assert "\x1b" not in out
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in out)
    assert "\n" not in out
    multi = clean(text, multiline=True)
    assert not any((ord(c) < 32 and c != "\n") or 0x7F <= ord(c) <= 0x9F for c in multi)


def test_clean_keeps_ordinary_french_text() -> None:
    text = "Coopération « circuits courts » — 16.4 : l’appel ; 50 % [réf.]"
    assert clean(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a  b", "a b"),  # printable: the fast path must still fold double spaces
        (" a", "a"),
        ("a ", "a"),
        ("Appel  «  régional  »", "Appel « régional »"),
        ("a\u00a0 b", "a b"),
        ("a\t\tb", "a b"),
        ("Ré\u200bgion", "Région"),
    ],
)
def test_clean_folds_white_space_on_the_fast_path_too(text: str, expected: str) -> None:
    assert clean(text) == expected


@given(st.text())
@example("a  b")
@example("é  b")
@example("x\u00a0\u00a0y")
def test_the_fast_path_of_clean_changes_nothing_the_full_cleaning_would_change(text: str) -> None:
    from callwatch.domain.text import _clean

    assert clean(text) == _clean(text, False)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Région Auvergne", "region auvergne"), ("Œuvre commune", "oeuvre commune"), ("ÆR", "aer")],
)
def test_fold_matches_accents_case_and_ligatures(a: str, b: str) -> None:
    from callwatch.domain.text import fold

    assert fold(a) == fold(b) == b


# What titles hold beyond French: emoji (with skin tones and variation selectors),
# combining marks (decomposed accents), CJK ideographs, Hangul, full-width forms.
MEASURED = st.text(
    st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),  # cleaned text: no controls
        st.characters(min_codepoint=0xA0, max_codepoint=0xFF),
        st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF, categories=["So", "Sk"]),
        st.sampled_from("\u0300\u0301\u0308\u0327\u20dd\ufe0f"),  # no ZWJ: clean() drops it
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),
        st.characters(min_codepoint=0xFF01, max_codepoint=0xFF60),
        st.sampled_from("←✓✔✗★☆❤€—…«»’0123456789"),
    )
)


@given(MEASURED)
def test_plain_tables_measure_text_as_rich_does(text: str) -> None:
    """Plain tables align with the same widths as Rich's (rich.cells.cell_len is the oracle)."""
    from rich.cells import cell_len

    from callwatch.output.render import width

    assert width(text) == cell_len(text)


def test_width_of_known_texts() -> None:
    from callwatch.output.render import width

    assert width("Légumerie partagée") == 18
    assert width("農業") == 4
    assert width("aide 🌾") == 7
    assert width("🚀") == 2
    assert width("e\u0301") == 1  # a decomposed "é"
    assert width("👍🏽") == 2  # a skin-tone modifier joins the emoji
    assert width("❤\ufe0f 1\ufe0f\u20e3") == 5  # emoji presentation: two cells each
