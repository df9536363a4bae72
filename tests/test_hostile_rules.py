"""Every rule terminates quickly: recurrences and criteria that could hang or overflow
are refused at validation with a ``file:line:`` message (issue 13)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import pytest

from callwatch.domain.model import check_rrule
from tests.conftest import Invoke, WriteCalls

TODAY = {"CALLWATCH_TODAY": "2019-03-01"}


def recurring(rule: str, start: str = "2000-01-01") -> str:
    return f"""
    [[calls]]
    id = "r"
    title = "Recurring"
    deadlines = [{{ date = {start} }}]
    rrule = {rule!r}
    """


@pytest.mark.parametrize(
    ("rule", "why"),
    [
        ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL=0 is not allowed"),
        ("FREQ=SECONDLY", "FREQ=SECONDLY is not allowed"),
        ("FREQ=MINUTELY;COUNT=1000000000", "FREQ=MINUTELY is not allowed"),
        ("FREQ=HOURLY", "FREQ=HOURLY is not allowed"),
        ("FREQ=DAILY;BYHOUR=1,2,3", "a call recurs at most daily"),
        ("FREQ=YEARLY;COUNT=99999999", "COUNT=99999999 is not allowed"),
        ("FREQ=DAILY;UNTIL=99991231", "between 1900 and 2200"),
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "not allowed with FREQ=DAILY"),
        ("FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=SECONDLY is not allowed"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "it never occurs"),
        ("FREQ=MONTHLY;BYSETPOS=-1;BYMONTH=2;BYMONTHDAY=30", "it never occurs"),
        ("FREQ=YEARLY;BYMONTH=13", "out of range"),
        ("DTSTART;TZID=../../etc/passwd:20190101T000000\nRRULE:FREQ=DAILY", "no DTSTART, TZID"),
        ("DTSTART;TZID=/etc/passwd:20190101T000000\nRRULE:FREQ=DAILY", "no DTSTART, TZID"),
        ("FREQ=DAILY;TZID=/etc/passwd", "TZID is not allowed"),
        ("FREQ=YEARLY;FREQ=DAILY", "FREQ is given twice"),
        ("EXDATE:20190101", "no DTSTART, TZID or other line"),
        ("FREQ=YEARLY;COUNT=3;UNTIL=20200101", "COUNT or UNTIL, not both"),
    ],
)
def test_a_rule_that_could_hang_is_refused_at_its_line(
    cli: Invoke, write_calls: WriteCalls, rule: str, why: str
) -> None:
    path = write_calls(recurring(rule))
    for command in (["validate"], ["list", "--all"], ["show", "r"], ["export", "--format", "ics"]):
        result = cli("--data", str(path), *command, env=TODAY)
        assert result.exit_code in (1, 2, 65), command
        assert f"{path}:5: call 'r': rrule: " in result.output
        assert why in result.output


def test_a_recurrence_starting_before_1900_is_refused(cli: Invoke, write_calls: WriteCalls) -> None:
    path = write_calls(
        """
        [[calls]]
        id = "r"
        title = "Recurring"
        opens = 0001-01-01
        rrule = "FREQ=DAILY"
        """
    )
    result = cli("--data", str(path), "list", "--all", env=TODAY)
    assert result.exit_code == 65
    assert f"{path}:4: call 'r': opens: 0001-01-01 is outside 1900–2200" in result.output


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=YEARLY",
        "RRULE:FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20301231",
        "FREQ=YEARLY;BYMONTH=2,4;BYMONTHDAY=30,31",
        "FREQ=MONTHLY;BYDAY=-1FR",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE",
        "FREQ=YEARLY;COUNT=3",
    ],
)
def test_rules_a_funding_call_means_still_validate(rule: str) -> None:
    assert check_rrule(rule) is None


def test_a_rule_ending_before_the_last_deadline_searched_stops(
    cli: Invoke, write_calls: WriteCalls
) -> None:
    # Its last occurrence is in 1920; every later search stops at UNTIL, not in 9999.
    path = write_calls(
        recurring("FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;UNTIL=19250101", "1900-01-01")
    )
    result = cli("--data", str(path), "show", "r", env=TODAY)
    assert result.exit_code == 0, result.output
    assert cli("--data", str(path), "export", "--format", "ics", env=TODAY).exit_code == 0


def test_a_deadline_on_the_last_day_of_the_calendar_exports(
    cli: Invoke, write_calls: WriteCalls
) -> None:
    path = write_calls(
        """
        [[calls]]
        id = "far"
        title = "Far"
        deadlines = [{ date = 9999-12-31 }, { date = 9999-12-31, time = 23:59:00 }]
        """
    )
    for fmt in ("ics", "json", "csv"):
        result = cli("--data", str(path), "export", "--format", fmt, env=TODAY)
        assert result.exit_code == 0, result.output
    ics = cli("--data", str(path), "export", "--format", "ics", env=TODAY).output
    assert "DTSTART;VALUE=DATE:99991231" in ics
    assert cli("--data", str(path), "list", "--all", env=TODAY).exit_code == 0


def chain(n: int) -> str:
    """A call whose criteria form a chain of *n* combinations."""
    parts = ['[[calls]]\nid = "x"\ntitle = "X"\nongoing = true\n']
    for i in range(n):
        check = f'{{ all_of = ["c{i + 1}"] }}' if i < n - 1 else '"manual"\nquestion = "?"'
        parts.append(f'[[calls.criteria]]\nid = "c{i}"\nlabel = "C{i}"\ncheck = {check}\n')
    return "\n".join(parts)


@pytest.mark.parametrize(
    ("n", "why"),
    [(1000, "1000 criteria: at most 200 per call"), (100, "combinations nest 100 deep")],
)
def test_a_long_chain_of_criteria_is_an_error_not_a_recursion_error(
    cli: Invoke, write_calls: WriteCalls, n: int, why: str
) -> None:
    path = write_calls(chain(n))
    result = cli("--data", str(path), "validate", env=TODAY)
    assert result.exit_code == 1
    assert re.search(
        rf"^{re.escape(str(path))}:\d+: call 'x': criteria.*{why}", result.output, re.M
    )


def test_a_chain_within_the_limit_is_checked(
    cli: Invoke, write_calls: WriteCalls, tmp_path: object
) -> None:
    path = write_calls(chain(32))
    project = write_calls('[project]\ntitle = "P"\n', name="project.toml")
    result = cli("--data", str(path), "check", str(project), "--call", "x", env=TODAY)
    assert result.exit_code in (0, 1, 3), result.output
    assert "Traceback" not in result.output


def test_a_project_with_too_many_partners_is_an_error_at_its_line(
    cli: Invoke, write_calls: WriteCalls
) -> None:
    partners = "".join(f'[[partners]]\nid = "p{i}"\nname = "P"\n' for i in range(5001))
    path = write_calls('[project]\ntitle = "X"\n' + partners, name="project.toml")
    result = cli("validate", str(path), env=TODAY)
    assert result.exit_code == 1
    assert f"{path}:3: partners: expected at most 5000 items, got 5001" in result.output


def test_a_rule_matching_no_day_stops_searching_after_2200(monkeypatch: pytest.MonkeyPatch) -> None:
    import dateutil.rrule

    from callwatch.domain.model import _bounded_rule_class, _rule

    _bounded_rule_class()
    info = dateutil.rrule._iterinfo
    years: list[int] = []
    original = info.rebuild

    def spy(self: Any, year: int, month: int) -> None:
        years.append(year)
        original(self, year, month)

    monkeypatch.setattr(info, "rebuild", spy)
    _rule.cache_clear()
    # January has no 366th day of the year: dateutil alone walks every year to 9999.
    assert list(_rule("FREQ=YEARLY;BYYEARDAY=366;BYMONTH=1", date(1900, 1, 1))) == []
    assert max(years) <= 2202  # the first year past 2200 + 1 stops it
    assert len(years) < 400


def test_other_dateutil_rules_are_not_bounded() -> None:
    from dateutil.rrule import rrulestr

    from callwatch.domain.model import _bounded_rule_class

    _bounded_rule_class()
    rule = rrulestr("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", dtstart=datetime(2196, 1, 1))
    assert rule.after(datetime(2201, 1, 1)) == datetime(2204, 2, 29)
