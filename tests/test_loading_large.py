"""Large calls files are parsed one [[calls]] table at a time, with the same outcome."""

from __future__ import annotations

from pathlib import Path

import pytest

from callwatch.files import loading
from callwatch.files.loading import load_catalog, parse_document, read_toml
from tests.conftest import WriteCalls

VALID = '''
# A team's file: comments, blank lines, sub-tables and criteria.
[[calls]]
id = "one"
title = "First"
deadlines = [{ date = 2019-03-15 }]

[calls.funding]
rate = 0.8

[[calls.criteria]]
id = "two-partners"
label = "Two partners"
check = { count = "partners", at_least = 2 }

[[calls]]   # a comment on the header
id = "two"
title = """Second,
on two lines"""
ongoing = true
'''

INVALID_CALLS = (
    VALID
    + """
[[calls]]
id = "bad"
title = ""
deadlines = [
  { date = "2019-03-15" },
]
colour = "red"

[[calls]]
id = "one"
title = "Duplicate id"
ongoing = true
"""
)


def whole(path: Path) -> loading.FileResult:
    text, data = read_toml(path)
    return parse_document(data, text, str(path))


@pytest.mark.parametrize("document", [VALID, INVALID_CALLS], ids=["valid", "invalid calls"])
def test_table_by_table_gives_the_same_calls_and_problems(
    write_calls: WriteCalls, document: str
) -> None:
    path = write_calls(document)
    large = loading._load_large(path)
    assert large is not None  # the path under test really ran
    expected = whole(path)
    assert large.calls == expected.calls
    assert large.problems == expected.problems
    assert large.ids == expected.ids


@pytest.mark.parametrize(
    "document",
    [
        "version = 1\n" + VALID,  # a top-level key: reported by the whole-file path
        VALID + '\n[[calls]]\nid = "x"\ntitle = """\n[[calls]]\n"""\nongoing = true\n',
        VALID + '\n[[calls]]\nid = "x"\ntitle = "unterminated\n',
        "# no calls at all\n",
    ],
    ids=["top-level key", "header inside a string", "syntax error", "no table"],
)
def test_documents_that_cannot_be_cut_are_read_whole(
    write_calls: WriteCalls, document: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_calls(document)
    assert loading._load_large(path) is None
    monkeypatch.setattr(loading, "LARGE_FILE", 0)
    monkeypatch.setenv("CALLWATCH_CACHE", "off")
    catalog = load_catalog([path])
    monkeypatch.setattr(loading, "LARGE_FILE", 10**12)
    assert load_catalog([path]).problems == catalog.problems  # same as reading it whole
    if "unterminated" in document:
        (problem,) = catalog.problems
        assert problem.message.startswith("invalid TOML")
        assert problem.line is not None and problem.line > 20
    elif document.startswith("version"):
        assert any("unknown top-level key 'version'" in p.message for p in catalog.problems)
    elif '[[calls]]\n"""' in document:
        assert [c.id for c in catalog.calls] == ["one", "two", "x"]


def test_the_large_path_is_used_above_the_threshold(
    write_calls: WriteCalls, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_calls(INVALID_CALLS)
    monkeypatch.setattr(loading, "LARGE_FILE", 0)
    monkeypatch.setenv("CALLWATCH_CACHE", "off")

    def no_whole_file_parse(_: Path) -> None:
        raise AssertionError("read whole")

    original = loading.read_toml
    monkeypatch.setattr(loading, "read_toml", no_whole_file_parse)
    catalog = load_catalog([path])
    assert [c.id for c in catalog.calls] == ["one", "two"]
    monkeypatch.setattr(loading, "read_toml", original)
    monkeypatch.setattr(loading, "LARGE_FILE", 10**12)
    read_whole = load_catalog([path])
    assert catalog.problems == read_whole.problems
    messages = [str(p) for p in catalog.problems]
    assert any("call 'bad': title: must not be empty" in m for m in messages)
    assert any("duplicate id 'one'" in m for m in messages)
