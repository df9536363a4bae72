"""Loading calls files: every problem located by file and line, good calls kept."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from pathlib import Path

import pytest

from callwatch.domain.errors import CallwatchError
from callwatch.files.loading import data_sources, load_catalog, load_file, shipped_data_path
from tests.conftest import WriteCalls

GOOD = """
[[calls]]
id = "one"
title = "First call"
deadlines = [{ date = 2019-03-15, label = "1re session" }, { date = 2019-05-29, time = 12:00:00 }]
territory = ["FR-ARA"]
beneficiaries = ["association"]

[calls.funding]
rate = 0.8
max_aid = 100000
eligible_costs = ["animation"]
"""


def messages(path: Path) -> list[str]:
    return [str(p) for p in load_file(path)[1]]


def test_good_file_loads_into_domain_objects(write_calls: WriteCalls) -> None:
    calls, problems = load_file(write_calls(GOOD))
    assert problems == []
    (c,) = calls
    assert [r.day for r in c.rounds] == [date(2019, 3, 15), date(2019, 5, 29)]
    assert c.rounds[1].at == time(12, 0)
    assert c.funding is not None
    assert c.funding.rate == Decimal("0.8") and c.funding.max_aid == Decimal(100000)
    assert c.origin is not None and c.origin.line == 1


def test_empty_file_has_no_calls_and_no_problem(write_calls: WriteCalls) -> None:
    assert load_file(write_calls("")) == ([], [])


def test_syntax_error_names_file_and_line(write_calls: WriteCalls) -> None:
    path = write_calls('[[calls]]\nid = "x"\ntitle = "unterminated\n')
    (msg,) = messages(path)
    assert msg.startswith(f"{path}:3: invalid TOML")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('[[calls]]\nid = "x"\ntitle = "Région"\n'.encode("latin-1"))
    (msg,) = messages(path)
    assert msg == f"{path}:3: not UTF-8 text (save the file as UTF-8)"


@pytest.mark.parametrize(
    ("snippet", "line", "expected"),
    [
        ('deadlines = [{ date = "2019-03-15" }]', 4, "deadlines[0].date: expected a TOML date"),
        ('colour = "red"\ndeadlines = [{ date = 2019-03-15 }]', 4, "unknown field 'colour'"),
        ("deadline = [{ date = 2019-03-15 }]\nongoing = true", 4, "did you mean 'deadlines'?"),
        ('timezone = "Europe/Pariss"\nongoing = true', 4, "unknown time zone 'Europe/Pariss'"),
        ('territory = ["FR-ZZ"]\nongoing = true', 4, "unknown territory code 'FR-ZZ'"),
        ('beneficiaries = ["mayor"]\nongoing = true', 4, "unknown beneficiary code 'mayor'"),
        ("ongoing = 1", 4, "ongoing: expected true or false, got the number 1"),
        (
            "opens = 2019-06-01\ndeadlines = [\n  { date = 2019-05-29 },\n]",
            6,
            "before the call opens",
        ),
        ("deadlines = []", 4, "a call needs deadlines"),
        ('rrule = "FREQ=SOMETIMES"\nongoing = true', 4, "invalid rrule"),
        ("ongoing = true\n[calls.funding]\nrate = 1.5", 6, "funding.rate"),
        ("ongoing = true\n[calls.funding]\nmin_aid = 10\nmax_aid = 5", 5, "min_aid (10) is above"),
        ('ongoing = true\nurl = "javascript:alert(1)"', 5, "url: expected an http:// or https://"),
    ],
)
def test_each_kind_of_problem_is_located(
    write_calls: WriteCalls, snippet: str, line: int, expected: str
) -> None:
    path = write_calls(f'[[calls]]\nid = "x"\ntitle = "X"\n{snippet}\n')
    found = messages(path)
    assert any(m.startswith(f"{path}:{line}: call 'x': ") and expected in m for m in found), found


def test_all_problems_reported_in_one_run_and_good_calls_kept(write_calls: WriteCalls) -> None:
    path = write_calls(
        GOOD
        + """
[[calls]]
id = "bad one"
title = ""
ongoing = true

[[calls]]
id = "two"
title = "Second"
territory = ["XX-1"]
timezone = "Nowhere/City"
deadlines = [{ date = 2019-03-15, time = "17h" }]
"""
    )
    catalog = load_catalog([path])
    assert [c.id for c in catalog.calls] == ["one"]
    text = "\n".join(str(p) for p in catalog.problems)
    for expected in (
        "id: expected letters",
        "title: must not be empty",
        "XX-1",
        "Nowhere/City",
        "time",
    ):
        assert expected in text
    assert len(catalog.problems) == 5


def test_duplicate_ids_across_files(write_calls: WriteCalls) -> None:
    a = write_calls(GOOD, "a.toml")
    b = write_calls("# other" + GOOD.replace('"one"', '"ONE"'), "sub/b.toml")
    catalog = load_catalog([a.parent])
    assert len(catalog.calls) == 1
    (problem,) = catalog.problems
    assert str(problem) == f"{b}:2: duplicate id 'ONE': already defined at {a}:1"


def test_directory_is_read_recursively_and_sorted(write_calls: WriteCalls) -> None:
    write_calls(GOOD, "z.toml")
    write_calls(GOOD.replace('"one"', '"two"'), "a/b.toml")
    catalog = load_catalog([write_calls("", "empty.toml").parent])
    assert [c.id for c in catalog.calls] == ["two", "one"]


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(CallwatchError, match="no such file or directory"):
        load_catalog([tmp_path / "nope.toml"])


def test_unknown_top_level_key(write_calls: WriteCalls) -> None:
    path = write_calls('version = 2\n[[calls]]\nid = "x"\ntitle = "X"\nongoing = true\n')
    assert messages(path) == [
        f"{path}:1: unknown top-level key 'version': a calls file holds [[calls]] "
        "and [[territories]] tables"
    ]


def test_data_sources_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert data_sources() == [shipped_data_path()]
    monkeypatch.setenv("CALLWATCH_DATA", f"{tmp_path / 'a'}:{tmp_path / 'b'}")
    assert data_sources() == [tmp_path / "a", tmp_path / "b"]
    assert data_sources([tmp_path / "c"]) == [tmp_path / "c"]
