"""Text hygiene (issue 13): links hold no invisible character, tables show none, and
``--json`` escapes them while keeping the exact value."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callwatch.domain.text import FILLERS, INVISIBLE, clean, json_safe
from tests.conftest import Invoke, WriteCalls

TODAY = {"CALLWATCH_TODAY": "2019-03-01", "NO_COLOR": "1"}
# Arabic letter mark, a tag character, the Hangul filler, RLO, NEL (C1), soft hyphen.
HIDDEN = "\u061c\U000e0041\u3164\u202e\x85\xad"


def toml_string(text: str) -> str:
    """*text* as a TOML basic string, every non-ASCII or control character escaped."""
    out = []
    for c in text:
        if c.isascii() and c.isprintable() and c not in '"\\':
            out.append(c)
        else:
            out.append(f"\\u{ord(c):04X}" if ord(c) < 0x10000 else f"\\U{ord(c):08X}")
    return '"' + "".join(out) + '"'


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/\x1b]8;;https://evil.example\x07x",
        "https://example.org/\u202egnp.exe",
        "https://exa\u3164mple.org/",
        "https://example.org/a\xadb",
        "https://example.org/\U000e0041",
        "https://example.org/\u2028",
    ],
)
@pytest.mark.parametrize("key", ["url", "application_url"])
def test_a_link_with_an_invisible_character_is_refused_at_its_line(
    cli: Invoke, write_calls: WriteCalls, url: str, key: str
) -> None:
    path = write_calls(
        f"""
        [[calls]]
        id = "x"
        title = "X"
        ongoing = true
        {key} = {toml_string(url)}
        """
    )
    result = cli("validate", str(path), env=TODAY)
    assert result.exit_code == 1
    assert f"{path}:5: call 'x': {key}: " in result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output


def test_tables_show_no_invisible_character(cli: Invoke, write_calls: WriteCalls) -> None:
    path = write_calls(
        f"""
        [[calls]]
        id = "x"
        title = {toml_string("Aide" + HIDDEN + " aux circuits")}
        deadlines = [{{ date = 2019-03-20 }}]
        """
    )
    for command in (("list",), ("show", "x")):
        result = cli("--data", str(path), *command, env=TODAY)
        assert result.exit_code == 0, result.output
        assert "Aide aux circuits" in result.output
        assert not any(c in result.output for c in HIDDEN)


def strings(value: object) -> list[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []


def test_json_escapes_controls_and_keeps_the_value(cli: Invoke, write_calls: WriteCalls) -> None:
    title = "Aide\u061c\U000e0041\u3164\u202e\x9b\xad\x1b[31m rouge"  # no white space: kept as is
    path = write_calls(
        f"""
        [[calls]]
        id = "x"
        title = {toml_string(title)}
        deadlines = [{{ date = 2019-03-20 }}]
        """
    )
    for command in (("list", "--json"), ("show", "x", "--json"), ("export", "-f", "json")):
        result = cli("--data", str(path), *command, env=TODAY)
        assert result.exit_code == 0, result.output
        assert not any(c in result.stdout for c in HIDDEN + "\x1b")
        document = json.loads(result.stdout)
        assert title in strings(document), command


def test_every_invisible_character_is_cleaned_and_json_escaped() -> None:
    invisible = [
        chr(c)
        for c in range(0x110000)
        if unicodedata.category(chr(c)) in INVISIBLE - {"Cs"} or chr(c) in FILLERS
    ]
    text = "a" + "".join(invisible) + "b"
    cleaned = clean(text)  # controls that are white space (tab, U+2028) become one space
    assert cleaned in ("ab", "a b")
    escaped = json_safe(json.dumps(text, ensure_ascii=False))
    assert escaped.isascii() or all(c not in escaped for c in invisible)
    assert json.loads(escaped) == text


@given(st.text())
def test_json_safe_output_is_the_same_json_value(text: str) -> None:
    document = json.dumps({"t": text}, ensure_ascii=False, indent=2)
    assert json.loads(json_safe(document)) == {"t": text}
