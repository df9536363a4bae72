"""The domain: calls, their rounds and funding, and the status derived from dates.

These are plain frozen dataclasses, not pydantic models: input is validated once
by :mod:`callwatch.files.callspec`, and everything after that (listing, digests, the
cache) works on these light, picklable objects without importing pydantic.
Status is never stored; it is computed from the dates and the clock.
"""

from __future__ import annotations

import math
import re
import warnings
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Any, Final

from callwatch.domain.clock import DEFAULT_TZ, Clock, day_in, local_instant, shift, zone
from callwatch.domain.criteria import Criterion

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

    def status(self, clock: Clock, not_before: datetime | None = None) -> Status:
        """*not_before*: the call's own opening, which no round is open before."""
        if self.closes_at < clock.now:
            return Status.CLOSED
        start = self.opens_at()
        if not_before is not None and (start is None or start < not_before):
            start = not_before
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
    criteria: tuple[Criterion, ...] = ()  # compiled from the file by callwatch.rules
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
        last = shift(day_in(end, tz), 1)
        out = []
        for r in self._occurrence_rounds(anchor, shift(day_in(start, tz), -1)):
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
        # One pass of the rule: ``after`` per occurrence rescans from the rule's start,
        # so a daily rule from 1900 took 75 s to export (quadratic).
        cursor = datetime.combine(first, time(0, 0))
        for occurrence in _rule(self.rrule, start).xafter(cursor, inc=True):
            yield occurrence.date()

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
        first = shift(day_in(now, zone(anchor.tz)), -2)
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


# A recurrence is evaluated only between these days (both included): whatever a rule
# says, no command searches further, so an impossible or endless rule costs at most
# one scan of these three centuries (a tenth of a second for a daily rule).
RRULE_FIRST_DAY: Final = date(1900, 1, 1)
RRULE_LAST_DAY: Final = date(2200, 12, 31)
_FREQUENCIES = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY")
_RRULE_PARTS = frozenset(
    {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO"}
    | {"BYDAY", "BYSETPOS", "WKST"}
)
_SUB_DAILY = frozenset({"BYHOUR", "BYMINUTE", "BYSECOND"})
# A daily or weekly rule filtered by month days or year days is a monthly or yearly
# rule written the slow way (dateutil then walks every day or week): refused, with
# the way to write it.
_FILTERS_ALLOWED = {
    "DAILY": frozenset({"BYDAY"}),
    "WEEKLY": frozenset({"BYDAY", "BYMONTH"}),
}
_BY_RANGES = {
    "BYMONTH": (1, 12),
    "BYMONTHDAY": (1, 31),
    "BYYEARDAY": (1, 366),
    "BYWEEKNO": (1, 53),
    "BYSETPOS": (1, 366),
}
_MONTH_DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_WEEKDAY = re.compile(r"^([+-]?)(\d{0,2})(MO|TU|WE|TH|FR|SA|SU)$")
_MAX_INTERVAL = 1000
_MAX_COUNT = 10_000


@lru_cache(maxsize=1024)
def _rule(text: str, dtstart: date) -> Any:
    """The dateutil rule of a validated *text* from *dtstart*, ending by
    :data:`RRULE_LAST_DAY` at the latest (so every search stops there)."""
    # lazy: dateutil only for a call with recurring deadlines
    from dateutil.rrule import rrulestr

    rule: Any = rrulestr(text, dtstart=datetime.combine(dtstart, time(0, 0)))
    last = datetime.combine(RRULE_LAST_DAY, time(23, 59, 59))
    until = rule._until  # dateutil has no public getter
    kwargs = {
        "freq": rule._freq,
        "dtstart": rule._dtstart,
        "interval": rule._interval,
        "wkst": rule._wkst,
        "count": rule._count,
        "until": last if until is None or until > last else until,
        **rule._original_rule,  # the BY parts as written
    }
    with warnings.catch_warnings():  # COUNT with UNTIL: "deprecated", still honoured
        warnings.simplefilter("ignore")
        return _bounded_rule_class()(**kwargs)


class _PastLastDay(Exception):
    """Raised inside dateutil's iteration once it passes :data:`RRULE_LAST_DAY`."""


@lru_cache(maxsize=1)
def _bounded_rule_class() -> type:
    """A dateutil ``rrule`` whose iteration stops after :data:`RRULE_LAST_DAY` even when
    nothing matches: dateutil checks UNTIL only on an occurrence, so a rule whose parts
    match no day scanned every month up to the year 9999 (a third of a second each
    time). dateutil steps through the calendar with its ``_iterinfo.rebuild``; ours
    stops there for these rules only (every other rrule in the process is untouched)."""
    # lazy: dateutil only for a call with recurring deadlines
    import dateutil.rrule

    du: Any = dateutil.rrule  # private parts: _iterinfo is the one hook into its stepping
    stop_year = RRULE_LAST_DAY.year + 1
    plain: Any = getattr(du, "_iterinfo", None)
    base: Any = du.rrule
    if not isinstance(plain, type):  # another dateutil: UNTIL still bounds every match
        return base  # type: ignore[no-any-return]

    class BoundedRule(base):  # type: ignore[misc]
        def _iter(self) -> Iterator[datetime]:
            try:
                yield from super()._iter()
            except _PastLastDay:
                return

    class BoundedInfo(plain):  # type: ignore[misc]
        # No __slots__ here: dateutil's __init__ fills in ``self.__slots__``, the parent's.
        def rebuild(self, year: int, month: int) -> None:
            if year > stop_year and isinstance(self.rrule, BoundedRule):
                raise _PastLastDay
            super().rebuild(year, month)

    if not (isinstance(du._iterinfo, type) and du._iterinfo.__name__ == "BoundedInfo"):
        du._iterinfo = BoundedInfo
    return BoundedRule


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


@lru_cache(maxsize=4096)
def check_rrule(text: str) -> str | None:
    """Return why *text* is not a usable recurrence rule, or None when it is.

    A funding call recurs at most daily: one ``RRULE`` line (RFC 5545) with FREQ
    YEARLY, MONTHLY, WEEKLY or DAILY, an INTERVAL of 1 to 1000, a COUNT of at most
    10,000, an UNTIL within 1900–2200, and no DTSTART or TZID (the call's first
    deadline starts the rule; dateutil would open a file named by a TZID).
    """
    why = _rrule_shape(text)
    if why is not None:
        return f"invalid rrule {text!r}: {why}"
    # lazy: dateutil only when a calls file is validated
    from dateutil.rrule import rrulestr

    start = datetime.combine(RRULE_FIRST_DAY, time(0, 0))
    try:
        rrulestr(text, dtstart=start)  # the syntax of each value
        first = _rule(text, RRULE_FIRST_DAY).after(start, inc=True)
    except (ValueError, TypeError, IndexError, KeyError, OverflowError) as exc:
        return f"invalid rrule {text!r}: {exc or type(exc).__name__}"
    if first is None:
        return f"invalid rrule {text!r}: it never occurs between 1900 and 2200"
    return None


def _rrule_shape(text: str) -> str | None:
    """Why the parts of *text* are not a rule a funding call can mean (None: they are)."""
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[len("RRULE:") :]
    if not body or any(c in body for c in "\r\n") or ":" in body:
        return "give one rule such as FREQ=YEARLY;BYMONTH=3 (no DTSTART, TZID or other line)"
    seen: dict[str, str] = {}
    for part in body.split(";"):
        key, sep, value = part.partition("=")
        key = key.strip().upper()
        if not sep or not value.strip():
            return f"{part!r} is not NAME=VALUE"
        if key in ("DTSTART", "TZID"):
            return f"{key} is not allowed: the call's first deadline or `opens` starts the rule"
        if key in _SUB_DAILY:
            return f"{key} is not allowed: a call recurs at most daily"
        if key not in _RRULE_PARTS:
            return f"unknown part {key}"
        if key in seen:
            return f"{key} is given twice"
        seen[key] = value.strip().upper()
    return _rrule_values(seen)


def _by_values(key: str, values: list[str]) -> str | None:
    """Why the values of a BY part are out of their range (None: they are in it)."""
    for value in values:
        if key == "BYDAY":
            match = _WEEKDAY.match(value.strip())
            ok = match is not None and int(match.group(2) or 1) in range(1, 54)
        else:
            low, high = _BY_RANGES[key]
            number = value.strip().removeprefix("-").removeprefix("+")
            ok = number.isdigit() and low <= int(number[:4]) <= high
        if not ok:
            return f"{key}={','.join(values)} is not allowed: {value!r} is out of range"
    return None


def _rrule_values(parts: dict[str, str]) -> str | None:
    freq = parts.get("FREQ")
    if freq is None:
        return "FREQ is missing"
    if freq not in _FREQUENCIES:
        return f"FREQ={freq} is not allowed: expected one of {', '.join(_FREQUENCIES)}"
    for key, top in (("INTERVAL", _MAX_INTERVAL), ("COUNT", _MAX_COUNT)):
        value = parts.get(key)
        if value is not None and not (value.isdigit() and 1 <= int(value[:6]) <= top):
            return f"{key}={value} is not allowed: expected a whole number from 1 to {top}"
    for key in set(parts) - {"FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST"}:
        if key not in _FILTERS_ALLOWED.get(freq, _RRULE_PARTS):
            return f"{key} is not allowed with FREQ={freq}: write a MONTHLY or YEARLY rule"
        why = _by_values(key, parts[key].split(","))
        if why is not None:
            return why
    if "BYMONTH" in parts and "BYMONTHDAY" in parts:
        longest = max(_MONTH_DAYS[int(m)] for m in parts["BYMONTH"].split(","))
        if all(abs(int(d)) > longest for d in parts["BYMONTHDAY"].split(",")):
            return "no such day in those months: it never occurs"
    until = parts.get("UNTIL")
    if until is not None and "COUNT" in parts:
        return "give COUNT or UNTIL, not both (RFC 5545)"
    if until is not None:
        year = until[:4]
        if not (year.isdigit() and RRULE_FIRST_DAY.year <= int(year) <= RRULE_LAST_DAY.year):
            return f"UNTIL={until} is not allowed: expected a date between 1900 and 2200"
    return None
