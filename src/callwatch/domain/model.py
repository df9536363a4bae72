"""The domain: calls, their rounds and funding, and the status derived from dates.

These are plain frozen dataclasses, not pydantic models: input is validated once
by :mod:`callwatch.files.callspec`, and everything after that (listing, digests, the
cache) works on these light, picklable objects without importing pydantic.
Status is never stored; it is computed from the dates and the clock.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Any, Final

from callwatch.domain.clock import DEFAULT_TZ, Clock, local_instant, zone

CLOSING_SOON_DAYS = 14
# Reminders before each deadline when neither the call nor the reader says otherwise.
DEFAULT_REMIND_DAYS = (30, 7, 1)
URGENT_DAYS = 7
# How far ahead recurring calls are expanded when a caller asks for "all rounds".
RECURRENCE_HORIZON_DAYS = 3 * 366
# Occurrences that fall on an explicit round's day are skipped; past this many in a
# row, a rule is taken to have no further occurrence of its own.
MAX_SKIPPED_OCCURRENCES = 1000
# How much of a recurrence is computed when a call is validated (then cached).
# What a call id may be: also a file name, a URL part and a calendar UID.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,119}$"

INDEXED_YEARS = 10
INDEXED_OCCURRENCES = 128
ALL_OCCURRENCES = date.max.toordinal()


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
    # Open only to applicants invited after an earlier stage (a two-stage topic's
    # second stage): the call is not open to everyone while this round is next.
    invited: bool = False
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
    # The type of action as the portal names it (Horizon Europe: RIA, IA, CSA...);
    # standard eligibility conditions are derived from it.
    action_type: str | None = None
    # The last day the call's facts were seen at its source (an export's date, a
    # fetch): a call not checked for long may have changed or gone.
    checked: date | None = None
    # The day a complete fetch of its source no longer returned the call: kept in
    # the file for the record, never listed as open.
    withdrawn: date | None = None
    # Aides-territoires: an appel à projets / à manifestation d'intérêt (True), an
    # aid granted on request (False); None: not stated.
    call_for_projects: bool | None = None
    application_url: str | None = None  # where to apply, when it is not `url`
    perimeter: str | None = None  # the area as the portal names it ("Sallanches (Commune – 74700)")
    origin: Origin | None = None
    # The rrule's first occurrences (date ordinals) and the last day they cover,
    # computed once when the call is validated (:func:`recurrence_index`) so that
    # listing thousands of recurring calls does not run dateutil each time.
    # None: not computed; every occurrence comes from dateutil.
    occurrences: tuple[int, ...] | None = None
    occurrences_through: int = 0

    def index(self) -> tuple[Any, ...]:
        """What choosing calls needs, without building them (see :data:`INDEX`)."""
        closes = [r.closes_at.timestamp() for r in self.rounds]
        through = None
        if self.rrule is not None:
            through, known = self._indexed_occurrences()
            closes = sorted(set(closes) | set(known))
        # A call known only by its opening day (a forthcoming topic) is kept for the
        # exact test, like an ongoing one: its status comes from `opens`.
        undated = not self.rounds and self.rrule is None and self.opens is not None
        return (
            self.id,
            tuple(closes),
            self.ongoing or undated,
            through,
            self.territory,
            self.beneficiaries,
            self.themes,
            self.funders,
            None if self.origin is None else (self.origin.file, self.origin.line),
        )

    def _indexed_occurrences(self) -> tuple[float, list[float]]:
        """Closing instants (POSIX) of the precomputed occurrences, and the instant up to
        which they are complete (``inf``: the rule has no other; ``-inf``: none known)."""
        anchor = self._anchor()
        if anchor is None or self.occurrences is None:
            return -math.inf, []
        known = [
            local_instant(date.fromordinal(o), anchor.at, zone(anchor.tz)).timestamp()
            for o in self.occurrences
        ]
        if self.occurrences_through >= ALL_OCCURRENCES:
            return math.inf, known
        last = local_instant(date.fromordinal(self.occurrences_through), None, zone(anchor.tz))
        return last.timestamp(), known

    # -- rounds -----------------------------------------------------------------

    def opens_at(self) -> datetime | None:
        return None if self.opens is None else local_instant_start(self.opens, self.timezone)

    def recurring_rounds(self, start: datetime, end: datetime) -> tuple[Round, ...]:
        """Occurrences of the rrule closing in [start, end] that no explicit round covers."""
        anchor = self._anchor()
        if anchor is None:
            return ()
        tz = zone(anchor.tz)
        last = (end.astimezone(tz) + timedelta(days=1)).date()
        out = []
        for r in self._occurrence_rounds(anchor, (start.astimezone(tz) - timedelta(days=1)).date()):
            if r.day > last:
                break
            if start <= r.closes_at <= end:
                out.append(r)
        return tuple(out)

    def _occurrence_rounds(self, anchor: Round, first: date) -> Iterator[Round]:
        """Rounds of the rrule's occurrences on or after *first*, explicit days skipped."""
        explicit = {r.day for r in self.rounds}
        for day in self._occurrence_days(anchor.day, first):
            if day not in explicit:
                yield Round(day=day, at=anchor.at, tz=anchor.tz, label=anchor.label, recurring=True)

    def _occurrence_days(self, start: date, first: date) -> Iterator[date]:
        """The rrule's occurrence days on or after *first*: the precomputed ones, then
        dateutil's for what lies beyond them."""
        if self.rrule is None:
            return
        known = self.occurrences
        if known is not None and first.toordinal() <= self.occurrences_through:
            for ordinal in known[bisect_left(known, first.toordinal()) :]:
                yield date.fromordinal(ordinal)
            if self.occurrences_through >= ALL_OCCURRENCES:
                return
            first = max(first, date.fromordinal(self.occurrences_through + 1))
        rule = _rule(self.rrule, start)
        cursor = datetime.combine(first, time(0, 0))
        occurrence = rule.after(cursor, inc=True)
        while occurrence is not None:
            yield occurrence.date()
            occurrence = rule.after(occurrence, inc=False)

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
        nxt: Round | None = None
        for r in self.rounds:
            if r.closes_at >= now:
                nxt = r
                break
        if self.rrule is not None:
            recurring = self._next_recurring(now)
            if recurring is not None and (nxt is None or recurring.closes_at < nxt.closes_at):
                nxt = recurring
        return nxt

    def _next_recurring(self, now: datetime) -> Round | None:
        """The first occurrence of the rrule still open at *now*."""
        anchor = self._anchor()
        if anchor is None:
            return None
        # A round dated yesterday in the reader's zone may still be open in the call's.
        first = now.astimezone(zone(anchor.tz)).date() - timedelta(days=2)
        for seen, r in enumerate(self._occurrence_rounds(anchor, first)):
            if r.closes_at >= now:
                return r
            if seen >= MAX_SKIPPED_OCCURRENCES:
                break
        return None

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
        return self.state(clock)[0]

    def state(self, clock: Clock) -> tuple[Status, Round | None]:
        """The call's status and its next round, computed together (listing hot path)."""
        nxt = self.next_round(clock.now)
        if self.withdrawn is not None:
            return Status.CLOSED, nxt  # gone from its source: never open again
        if nxt is not None and nxt.invited:
            return Status.CLOSED, nxt  # only invited applicants are left
        start = self.opens_at()
        if start is not None and clock.now < start:
            return Status.UPCOMING, nxt
        if nxt is None:
            return (Status.OPEN if self.ongoing else Status.CLOSED), None
        return nxt.status(clock), nxt


CALL_FIELDS = tuple(f.name for f in fields(Call))
ROUND_FIELDS = tuple(f.name for f in fields(Round))
ORIGIN_FIELDS = tuple(f.name for f in fields(Origin))
FUNDING_FIELDS = tuple(f.name for f in fields(Funding))


class INDEX:
    """Positions in a call's index entry (:meth:`Call.index`). ``closes``: the POSIX
    closing instants of the rounds, in order (for a recurring call, with its
    precomputed occurrences); ``recurring``: None, or the instant up to which those
    occurrences are complete; ``origin``: ``(file, line)``."""

    id: Final = 0
    closes: Final = 1
    ongoing: Final = 2
    recurring: Final = 3
    territory: Final = 4
    beneficiaries: Final = 5
    themes: Final = 6
    funders: Final = 7
    origin: Final = 8


@lru_cache(maxsize=1024)
def _rule(text: str, dtstart: date) -> Any:
    from dateutil.rrule import rrulestr

    return rrulestr(text, dtstart=datetime.combine(dtstart, time(0, 0)))


def recurrence_index(text: str, start: date) -> tuple[tuple[int, ...], int]:
    """The first occurrences of a rule (date ordinals) and the last day they cover.

    At most :data:`INDEXED_OCCURRENCES` occurrences within :data:`INDEXED_YEARS`
    of *start*; when the rule ends within them, the day covered is
    :data:`ALL_OCCURRENCES` (nothing lies beyond).
    """
    horizon = datetime.combine(start, time(0, 0)) + timedelta(days=366 * INDEXED_YEARS)
    days: list[int] = []
    for occurrence in _rule(text, start):
        if occurrence > horizon:
            return tuple(days), horizon.date().toordinal()
        days.append(occurrence.date().toordinal())
        if len(days) >= INDEXED_OCCURRENCES:
            return tuple(days), days[-1]
    return tuple(days), ALL_OCCURRENCES


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
