"""The clock: --today parsing, windows, days left, end-of-day deadlines."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from callwatch.domain.clock import Clock, local_instant, make_clock, parse_moment, window_end, zone

PARIS = ZoneInfo("Europe/Paris")


def clock_at(text: str) -> Clock:
    return make_clock(text, "Europe/Paris")


def test_bare_date_today_is_the_start_of_that_day() -> None:
    c = clock_at("2019-03-01")
    assert c.now == datetime(2019, 3, 1, 0, 0, tzinfo=PARIS)
    assert c.today == date(2019, 3, 1)


def test_datetime_with_offset_is_kept_and_read_in_reader_zone() -> None:
    c = clock_at("2019-03-01T23:30:00+00:00")
    assert c.today == date(2019, 3, 2)  # 00:30 in Paris


def test_naive_datetime_is_read_in_reader_zone() -> None:
    assert parse_moment("2019-03-01T18:00", PARIS).utcoffset() == PARIS.utcoffset(
        datetime(2019, 3, 1, 18)
    )


def test_env_var_sets_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLWATCH_TODAY", "2020-02-29")
    assert make_clock().today == date(2020, 2, 29)


def test_option_wins_over_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLWATCH_TODAY", "2020-02-29")
    assert make_clock("2021-01-01").today == date(2021, 1, 1)


@pytest.mark.parametrize("bad", ["2019-02-30", "tomorrow", "01/03/2019", ""])
def test_invalid_today_is_a_value_error(bad: str) -> None:
    if not bad:
        # an empty value means "not set": the real clock is used
        assert isinstance(make_clock(bad).now, datetime)
        return
    with pytest.raises(ValueError, match="invalid date"):
        parse_moment(bad, PARIS)


def test_bare_date_deadline_is_end_of_day() -> None:
    instant = local_instant(date(2019, 3, 15), None, PARIS)
    assert instant == datetime(2019, 3, 15, 23, 59, 59, tzinfo=PARIS)


def test_time_in_spring_forward_gap_becomes_a_real_instant() -> None:
    # 02:30 does not exist in Paris on 31 March 2019 (clocks jump 02:00 -> 03:00).
    instant = local_instant(date(2019, 3, 31), time(2, 30), PARIS)
    assert instant.astimezone(ZoneInfo("UTC")).hour == 1  # 03:30 CEST == 01:30 UTC
    assert instant.utcoffset() is not None


@pytest.mark.parametrize(
    ("window", "end_day"),
    [
        ("14d", date(2019, 3, 15)),
        ("14", date(2019, 3, 15)),
        ("2w", date(2019, 3, 15)),
        ("1m", date(2019, 4, 1)),
        ("3m", date(2019, 6, 1)),
        ("1y", date(2020, 3, 1)),
        ("2019-04-30", date(2019, 4, 30)),
        ("0d", date(2019, 3, 1)),
    ],
)
def test_window_end_is_the_end_of_the_last_day(window: str, end_day: date) -> None:
    end = window_end(window, clock_at("2019-03-01"))
    assert end == datetime.combine(end_day, time(23, 59, 59), tzinfo=PARIS)


def test_month_window_clamps_to_month_end() -> None:
    assert window_end("1m", clock_at("2019-01-31")).date() == date(2019, 2, 28)


@pytest.mark.parametrize("bad", ["soon", "3x", "-3d", "2019-13-01", "d"])
def test_invalid_window_names_the_expected_forms(bad: str) -> None:
    with pytest.raises(ValueError, match=r"expected a number of days"):
        window_end(bad, clock_at("2019-03-01"))


def test_days_until_counts_calendar_days_across_dst_changes() -> None:
    # The week of the spring change (31 March 2019) and of the autumn change (27 October 2019):
    # a 23- or 25-hour day is still one day.
    spring = clock_at("2019-03-29")
    assert spring.days_until(local_instant(date(2019, 4, 1), None, PARIS)) == 3
    autumn = clock_at("2019-10-25")
    assert autumn.days_until(local_instant(date(2019, 10, 28), None, PARIS)) == 3
    late_evening = make_clock("2019-10-26T23:30", "Europe/Paris")
    assert late_evening.days_until(local_instant(date(2019, 10, 27), time(0, 30), PARIS)) == 1


@pytest.mark.parametrize("bad", ["Europe/Pariss", "", "../etc/passwd", "/etc/localtime"])
def test_unknown_zone(bad: str) -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        zone(bad)
