"""The domain: calls, their rounds and funding, and the status derived from dates.

These are plain frozen dataclasses, not pydantic models: input is validated once
by :mod:`callwatch.schema`, and everything after that (listing, digests, the
cache) works on these light, picklable objects without importing pydantic.
Status is never stored; it is computed from the dates and the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Any

from callwatch.clock import DEFAULT_TZ, Clock, local_instant, zone

CLOSING_SOON_DAYS = 14
URGENT_DAYS = 7
# How far ahead recurring calls are expanded when a caller asks for "all rounds".
RECURRENCE_HORIZON_DAYS = 3 * 366


class Status(StrEnum):
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSING_SOON = "closing_soon"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Round:
    """One deadline of a call (a session, cut-off or stage)."""

    day: date
    at: time | None
    tz: str
    label: str | None = None
    opens: date | None = None
    recurring: bool = False  # generated from the call's rrule, not written in the file
    closes_at: datetime = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "closes_at", local_instant(self.day, self.at, zone(self.tz)))

    @property
    def all_day(self) -> bool:
        """A bare date: open until the end of that day."""
        return self.at is None

    @property
    def key(self) -> str:
        """A stable identifier of this round within its call (ledger, calendar UIDs)."""
        return self.day.isoformat()

    def opens_at(self) -> datetime | None:
        return None if self.opens is None else local_instant_start(self.opens, self.tz)

    def status(self, clock: Clock) -> Status:
        if self.closes_at < clock.now:
            return Status.CLOSED
        start = self.opens_at()
        if start is not None and clock.now < start:
            return Status.UPCOMING
        if clock.days_until(self.closes_at) <= CLOSING_SOON_DAYS:
            return Status.CLOSING_SOON
        return Status.OPEN


def local_instant_start(day: date, tz: str) -> datetime:
    """The first instant of *day* in *tz* (an opening date opens at midnight)."""
    return local_instant(day, time(0, 0), zone(tz))


@dataclass(frozen=True, slots=True)
class Funding:
    """What the call pays for and how much. Money is Decimal; absent means not stated."""

    eligible_costs: tuple[str, ...] = ()
    ineligible_costs: tuple[str, ...] = ()
    rate: Decimal | None = None
    min_eligible_cost: Decimal | None = None
    max_eligible_cost: Decimal | None = None
    min_aid: Decimal | None = None
    max_aid: Decimal | None = None
    currency: str = "EUR"
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a call was read from, so every message can point at the file and line."""

    file: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Call:
    id: str
    title: str
    rounds: tuple[Round, ...] = ()  # explicit rounds, sorted by closing instant
    timezone: str = DEFAULT_TZ
    programme: str | None = None
    measure: str | None = None
    description: str | None = None
    url: str | None = None
    sources: tuple[str, ...] = ()
    funders: tuple[str, ...] = ()
    territory: tuple[str, ...] = ()
    beneficiaries: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    aid_types: tuple[str, ...] = ()
    recurrence: str | None = None  # as the source labels it: permanent / one_off / recurring
    remind_days: tuple[int, ...] | None = None
    ongoing: bool = False
    rrule: str | None = None
    opens: date | None = None
    funding: Funding | None = None
    criteria: tuple[Any, ...] = ()  # compiled by callwatch.rules; opaque here
    source_id: str | None = None  # "portal:id" of an imported call, for re-imports
    origin: Origin | None = None

    # -- rounds -----------------------------------------------------------------

    def opens_at(self) -> datetime | None:
        return None if self.opens is None else local_instant_start(self.opens, self.timezone)

    def recurring_rounds(self, start: datetime, end: datetime) -> tuple[Round, ...]:
        """Occurrences of the rrule closing in [start, end] that no explicit round covers."""
        if self.rrule is None:
            return ()
        anchor = self._anchor()
        if anchor is None:
            return ()
        explicit = {r.day for r in self.rounds}
        out = []
        tz = zone(anchor.tz)
        lo = (start.astimezone(tz) - timedelta(days=1)).replace(tzinfo=None)
        hi = (end.astimezone(tz) + timedelta(days=1)).replace(tzinfo=None)
        for occurrence in _expand(self.rrule, anchor.day, lo, hi):
            day = occurrence.date()
            if day in explicit:
                continue
            r = Round(day=day, at=anchor.at, tz=anchor.tz, label=anchor.label, recurring=True)
            if start <= r.closes_at <= end:
                out.append(r)
        return tuple(out)

    def _anchor(self) -> Round | None:
        """The round a recurrence starts from: the first explicit one, else the opening day."""
        if self.rounds:
            return self.rounds[0]
        if self.opens is not None:
            return Round(day=self.opens, at=None, tz=self.timezone)
        return None

    def rounds_in(self, start: datetime, end: datetime) -> tuple[Round, ...]:
        """Every round, explicit or recurring, closing in [start, end], in order."""
        explicit = [r for r in self.rounds if start <= r.closes_at <= end]
        merged = explicit + list(self.recurring_rounds(start, end))
        return tuple(sorted(merged, key=lambda r: r.closes_at))

    def next_round(self, now: datetime) -> Round | None:
        """The first round still open at *now* (closing at or after it), if any."""
        for r in self.rounds:
            if r.closes_at >= now:
                nxt: Round | None = r
                break
        else:
            nxt = None
        if self.rrule is not None:
            horizon = now + timedelta(days=RECURRENCE_HORIZON_DAYS)
            if nxt is not None:
                horizon = min(horizon, nxt.closes_at)
            recurring = self.recurring_rounds(now, horizon)
            if recurring and (nxt is None or recurring[0].closes_at < nxt.closes_at):
                nxt = recurring[0]
        return nxt

    def all_rounds(self, clock: Clock) -> tuple[Round, ...]:
        """Explicit rounds plus the next occurrence of a recurrence, for display."""
        rounds = list(self.rounds)
        if self.rrule is not None:
            nxt = self.next_round(clock.now)
            if nxt is not None and nxt.recurring:
                rounds.append(nxt)
        return tuple(sorted(rounds, key=lambda r: r.closes_at))

    # -- status -----------------------------------------------------------------

    def status(self, clock: Clock) -> Status:
        start = self.opens_at()
        if start is not None and clock.now < start:
            return Status.UPCOMING
        nxt = self.next_round(clock.now)
        if nxt is None:
            return Status.OPEN if self.ongoing else Status.CLOSED
        return nxt.status(clock)

    def is_open_or_upcoming(self, clock: Clock) -> bool:
        return self.status(clock) is not Status.CLOSED


@lru_cache(maxsize=1024)
def _rule(text: str, dtstart: date) -> Any:
    from dateutil.rrule import rrulestr

    return rrulestr(text, dtstart=datetime.combine(dtstart, time(0, 0)))


def _expand(text: str, dtstart: date, lo: datetime, hi: datetime) -> list[datetime]:
    rule = _rule(text, dtstart)
    return list(rule.between(lo, hi, inc=True))


def check_rrule(text: str) -> str | None:
    """Return why *text* is not a usable recurrence rule, or None when it is."""
    from dateutil.rrule import rrulestr

    try:
        rule = rrulestr(text, dtstart=datetime(1900, 1, 1))
        first = rule.after(datetime(1900, 1, 1), inc=True)
    except (ValueError, TypeError, IndexError, KeyError) as exc:
        return f"invalid rrule {text!r}: {exc or type(exc).__name__}"
    if first is None:
        return f"invalid rrule {text!r}: it never occurs"
    return None
