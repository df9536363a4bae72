"""Rounds, status and recurrences: derived from the dates and the clock, never stored."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callwatch.domain.clock import Clock, make_clock
from callwatch.domain.model import Call, Round, Status

PARIS = ZoneInfo("Europe/Paris")


def clock(text: str) -> Clock:
    return make_clock(text, "Europe/Paris")


def call(*rounds: Round, **kw: object) -> Call:
    return Call(id="c", title="t", rounds=tuple(sorted(rounds, key=lambda r: r.closes_at)), **kw)  # type: ignore[arg-type]


def test_deadline_today_is_open_with_zero_days_left_until_the_end_of_the_day() -> None:
    r = Round(day=date(2019, 3, 15), at=None, tz="Europe/Paris")
    morning = clock("2019-03-15T08:00")
    assert r.status(morning) is Status.CLOSING_SOON
    assert morning.days_until(r.closes_at) == 0
    assert r.status(clock("2019-03-15T23:59:58")) is Status.CLOSING_SOON
    assert r.status(clock("2019-03-16T00:00:00")) is Status.CLOSED


def test_17h_brussels_deadline_seen_from_paris() -> None:
    r = Round(day=date(2024, 1, 25), at=time(17, 0), tz="Europe/Brussels")
    assert r.status(clock("2024-01-25T16:59")) is Status.CLOSING_SOON
    assert r.status(clock("2024-01-25T17:00")) is Status.CLOSING_SOON  # the last moment
    assert r.status(clock("2024-01-25T18:00")) is Status.CLOSED


def test_17h_brussels_deadline_seen_from_another_zone() -> None:
    r = Round(day=date(2024, 1, 25), at=time(17, 0), tz="Europe/Brussels")
    # 16:30 UTC is 17:30 in Brussels: closed, even though it is "before 17:00" in London.
    assert r.status(make_clock("2024-01-25T16:30", "Europe/London")) is Status.CLOSED
    assert r.status(make_clock("2024-01-25T15:59", "Europe/London")) is Status.CLOSING_SOON


def test_deadline_during_dst_weeks() -> None:
    # Deadline on the Sunday of the spring change, end of day: 23:59:59 CEST (+02:00).
    r = Round(day=date(2019, 3, 31), at=None, tz="Europe/Paris")
    assert r.closes_at.utcoffset() == timedelta(hours=2)
    assert clock("2019-03-25").days_until(r.closes_at) == 6
    # Autumn: 27 October 2019, 02:30 happens twice; the deadline is still one instant.
    r2 = Round(day=date(2019, 10, 27), at=time(2, 30), tz="Europe/Paris")
    assert r2.status(clock("2019-10-27T02:00+02:00")) is Status.CLOSING_SOON
    assert r2.status(clock("2019-10-27T03:00+01:00")) is Status.CLOSED


def test_status_progression() -> None:
    r = Round(day=date(2019, 5, 29), at=None, tz="Europe/Paris", opens=date(2019, 4, 1))
    assert r.status(clock("2019-03-01")) is Status.UPCOMING
    assert r.status(clock("2019-04-01")) is Status.OPEN
    assert r.status(clock("2019-05-15")) is Status.CLOSING_SOON
    assert r.status(clock("2019-05-30")) is Status.CLOSED


def test_second_round_is_next_once_the_first_has_passed() -> None:
    c = call(
        Round(date(2019, 3, 15), None, "Europe/Paris", "1re session"),
        Round(date(2019, 5, 29), None, "Europe/Paris", "2e session"),
    )
    first = c.next_round(clock("2019-03-01").now)
    second = c.next_round(clock("2019-03-16").now)
    assert first is not None and first.label == "1re session"
    assert second is not None and second.label == "2e session"
    assert c.next_round(clock("2019-05-30").now) is None
    assert c.status(clock("2019-05-30")) is Status.CLOSED


def test_call_opening_later_is_upcoming() -> None:
    c = call(Round(date(2019, 5, 29), None, "Europe/Paris"), opens=date(2019, 4, 1))
    assert c.status(clock("2019-03-01")) is Status.UPCOMING
    assert c.status(clock("2019-04-02")) is Status.OPEN


def test_ongoing_call_without_rounds_stays_open() -> None:
    c = call(ongoing=True)
    assert c.status(clock("1999-01-01")) is Status.OPEN
    assert c.next_round(clock("1999-01-01").now) is None


def test_rrule_rolls_over_the_year_end() -> None:
    c = call(
        Round(date(2019, 3, 15), None, "Europe/Paris"),
        rrule="FREQ=MONTHLY;BYMONTHDAY=15",
    )
    nxt = c.next_round(clock("2019-12-20").now)
    assert nxt is not None and nxt.day == date(2020, 1, 15) and nxt.recurring
    assert c.status(clock("2019-12-20")) is Status.OPEN


def test_yearly_rrule_next_occurrence_and_explicit_round_wins() -> None:
    c = call(
        Round(date(2019, 3, 15), time(12, 0), "Europe/Paris", "session"),
        rrule="FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15",
    )
    nxt = c.next_round(clock("2019-03-16").now)
    assert nxt is not None
    assert (nxt.day, nxt.at, nxt.label, nxt.recurring) == (
        date(2020, 3, 15),
        time(12, 0),
        "session",
        True,
    )
    # Before the explicit round, the explicit round itself is next (not a duplicate occurrence).
    first = c.next_round(clock("2019-03-01").now)
    assert first is not None and first.day == date(2019, 3, 15) and not first.recurring


def test_rrule_with_until_ends() -> None:
    c = call(
        Round(date(2019, 3, 15), None, "Europe/Paris"),
        rrule="FREQ=YEARLY;UNTIL=20210316",
    )
    assert c.next_round(clock("2021-03-01").now) is not None
    assert c.next_round(clock("2021-03-16").now) is None
    assert c.status(clock("2021-03-16")) is Status.CLOSED


def test_rrule_anchored_on_opening_day() -> None:
    c = call(opens=date(2019, 1, 1), rrule="FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=30")
    nxt = c.next_round(clock("2019-07-01").now)
    assert nxt is not None and nxt.day == date(2020, 6, 30)


def test_rounds_in_window_merges_explicit_and_recurring() -> None:
    c = call(Round(date(2019, 1, 10), None, "Europe/Paris"), rrule="FREQ=MONTHLY")
    start = clock("2019-01-01").now
    days = [r.day for r in c.rounds_in(start, start + timedelta(days=70))]
    assert days == [date(2019, 1, 10), date(2019, 2, 10), date(2019, 3, 10)]


@given(
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
    offset=st.integers(min_value=-400, max_value=400),
    tz=st.sampled_from(["Europe/Paris", "Europe/Brussels", "America/Cayenne", "Indian/Reunion"]),
)
def test_bare_date_round_is_open_exactly_through_its_day(day: date, offset: int, tz: str) -> None:
    """For every day and zone: open on and before the deadline day, closed after it."""
    r = Round(day=day, at=None, tz=tz)
    today = day + timedelta(days=offset)
    seen = Clock(now=datetime.combine(today, time(12, 0), tzinfo=ZoneInfo(tz)), tz=ZoneInfo(tz))
    closed = r.status(seen) is Status.CLOSED
    assert closed == (offset > 0)
    if not closed:
        assert seen.days_until(r.closes_at) == -offset


@pytest.mark.parametrize("rule", ["FREQ=SOMETIMES", "NOT A RULE", "FREQ=YEARLY;BYMONTH=13"])
def test_bad_rrules_are_reported(rule: str) -> None:
    from callwatch.domain.model import check_rrule

    assert check_rrule(rule) is not None


_RULES = st.sampled_from(
    [
        "FREQ=YEARLY",
        "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15",
        "FREQ=MONTHLY;BYMONTHDAY=31",
        "FREQ=MONTHLY;INTERVAL=2",
        "FREQ=WEEKLY;INTERVAL=3",
        "FREQ=DAILY;INTERVAL=5",
        "FREQ=DAILY",
        "FREQ=YEARLY;COUNT=3",
        "FREQ=MONTHLY;UNTIL=20230101",
        "FREQ=YEARLY;INTERVAL=4",
    ]
)


@given(
    rule=_RULES,
    anchor=st.dates(min_value=date(2010, 1, 1), max_value=date(2030, 12, 31)),
    later=st.integers(min_value=-400, max_value=365 * 15),
    extra=st.lists(st.integers(min_value=0, max_value=800), max_size=3),
    at=st.sampled_from([None, time(17, 0), time(0, 30)]),
)
def test_precomputed_occurrences_agree_with_dateutil(
    rule: str, anchor: date, later: int, extra: list[int], at: time | None
) -> None:
    """The occurrence index built at validation never changes an answer."""
    from dataclasses import replace

    from callwatch.domain.model import recurrence_index

    rounds = [Round(anchor, at, "Europe/Brussels")] + [
        Round(anchor + timedelta(days=d), at, "Europe/Brussels") for d in extra if d
    ]
    unique = {r.day: r for r in rounds}.values()
    plain = call(*unique, rrule=rule)
    days, through = recurrence_index(rule, anchor)
    indexed = replace(plain, occurrences=days, occurrences_through=through)
    seen = clock((anchor + timedelta(days=later)).isoformat())
    assert indexed.next_round(seen.now) == plain.next_round(seen.now)
    end = seen.now + timedelta(days=400)
    assert indexed.rounds_in(seen.now, end) == plain.rounds_in(seen.now, end)
