"""Line numbers for TOML key paths: what every `file:line` message relies on."""

from __future__ import annotations

import string
import tomllib
from datetime import date
from typing import Any

import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from callwatch.files.tomlpos import key_lines, line_of

DOC = '''\
# a comment with [[calls]] inside
title = """
multi [[line]]
"""
[[calls]]
id = "a"   # trailing comment
deadlines = [
  { date = 2019-03-15, label = "x" },   # first
  { date = 2019-05-29 },
]
"quoted key" = 'lit'
[calls.funding]
rate = 0.5
[[calls.criteria]]
id = "c1"
check = { count = "partners", at_least = 2 }
[[calls.criteria]]
id = "c2"

[[calls]]
id = "b"
tags = ["x",
  "y"]
dotted.key = 1
'''


def test_key_lines_follow_tables_arrays_and_inline_tables() -> None:
    tomllib.loads(DOC)  # the scanner only ever sees valid TOML
    lines = key_lines(DOC)
    assert lines[("title",)] == 2
    assert lines[("calls", 0)] == 5
    assert lines[("calls", 0, "id")] == 6
    assert lines[("calls", 0, "deadlines", 0)] == 8
    assert lines[("calls", 0, "deadlines", 1, "date")] == 9
    assert lines[("calls", 0, "quoted key")] == 11
    assert lines[("calls", 0, "funding", "rate")] == 13
    assert lines[("calls", 0, "criteria", 0, "check", "at_least")] == 16
    assert lines[("calls", 0, "criteria", 1, "id")] == 18
    assert lines[("calls", 1)] == 20
    assert lines[("calls", 1, "tags", 1)] == 23
    assert lines[("calls", 1, "dotted", "key")] == 24


def test_missing_key_falls_back_to_its_table() -> None:
    lines = key_lines(DOC)
    assert line_of(lines, ("calls", 1, "title")) == 20
    assert line_of(lines, ("calls", 0, "deadlines", 1, "time")) == 9
    assert line_of(lines, ("nothing",)) is None


_keys = st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=8)
_scalars = st.one_of(
    st.integers(-1000, 1000),
    st.text(max_size=20),
    st.booleans(),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)),
)
_values: st.SearchStrategy[Any] = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(_keys, children, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.dictionaries(_keys, _values, min_size=1, max_size=5), min_size=1, max_size=4))
def test_every_key_of_a_generated_document_is_found_on_a_line_naming_it(
    tables: list[dict[str, Any]],
) -> None:
    text = tomli_w.dumps({"calls": tables})
    lines = key_lines(text)
    source = text.split("\n")  # not splitlines(): TOML lines end at \n only
    for i, table in enumerate(tables):
        for key in table:
            line = lines.get(("calls", i, key))
            assert line is not None, (key, text)
            written = source[line - 1]
            assert key in written or f"calls.{key}" in written, (key, line, text)
