"""Choosing calls from their index entries never drops a call the exact selection keeps."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from callwatch.domain.clock import make_clock, window_end
from callwatch.domain.model import Call, Round, recurrence_index
from callwatch.domain.selection import Filters, may_list, select

RULES = st.sampled_from([None, None, "FREQ=YEARLY", "FREQ=MONTHLY;INTERVAL=2", "FREQ=WEEKLY"])
TZS = st.sampled_from(["Europe/Paris", "Europe/Brussels", "America/Cayenne"])


@st.composite
def calls(draw: st.DrawFn) -> Call:
    start = draw(st.dates(min_value=date(2015, 1, 1), max_value=date(2025, 1, 1)))
    days = draw(st.lists(st.integers(0, 900), max_size=4, unique=True))
    tz = draw(TZS)
    at = draw(st.sampled_from([None, time(17, 0), time(0, 0)]))
    rounds = tuple(
        sorted((Round(start + timedelta(days=d), at, tz) for d in days), key=lambda r: r.closes_at)
    )
    rule = draw(RULES)
    ongoing = draw(st.booleans()) if not rounds else draw(st.booleans() | st.just(False))
    if not rounds and rule is None:
        ongoing = True
    opens = draw(st.none() | st.just(start - timedelta(days=30)))
    call = Call(
        id="c", title="t", rounds=rounds, timezone=tz, rrule=rule, ongoing=ongoing, opens=opens
    )
    anchor = rounds[0].day if rounds else opens
    if rule is not None and anchor is not None:
        occurrences, through = recurrence_index(rule, anchor)
        call = replace(call, occurrences=occurrences, occurrences_through=through)
    return call


@settings(max_examples=300)
@given(
    call=calls(),
    today=st.dates(min_value=date(2014, 6, 1), max_value=date(2030, 1, 1)),
    window=st.sampled_from([None, "7d", "30d", "3m", "2y"]),
    include_closed=st.booleans(),
)
def test_pre_selection_is_conservative(
    call: Call, today: date, window: str | None, include_closed: bool
) -> None:
    clock = make_clock(today.isoformat(), "Europe/Paris")
    until = None if window is None else window_end(window, clock)
    kept = select([call], clock, until=until, include_closed=include_closed, filters=Filters())
    if kept:
        assert may_list(
            call.index(),
            clock.now.timestamp(),
            None if until is None else until.timestamp(),
            include_closed,
            Filters(),
        )
