"""The one clock, and the date arithmetic every command shares.

Deadlines are aware datetimes. A deadline given as a bare date means the *end*
of that day in the call's time zone, so "due today" is still open all day.
Days left are counted in calendar days in the reader's zone, which keeps them
right across daylight-saving changes (a 23- or 25-hour day is still one day).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TZ = "Europe/Paris"
END_OF_DAY = time(23, 59, 59)
TODAY_ENV = "CALLWATCH_TODAY"
TZ_ENV = "CALLWATCH_TZ"
DEFAULT_WINDOW = "30d"  # `list --due` without a window, and the digest's horizon


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    """Return the IANA zone *name*; ``ValueError`` when it does not exist."""
    if not name or name != name.strip() or ".." in name or name.startswith("/"):
        raise ValueError(f"unknown time zone {name!r}: expected an IANA name such as Europe/Paris")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(
            f"unknown time zone {name!r}: expected an IANA name such as Europe/Paris"
        ) from None


def local_instant(day: date, at: time | None, tz: ZoneInfo) -> datetime:
    """The aware instant of a deadline: *at* on *day*, or the end of *day*.

    A wall-clock time skipped by a DST jump (02:30 on the spring change) is
    normalised through UTC, so the result is always a real instant.
    """
    wall = datetime.combine(day, at if at is not None else END_OF_DAY, tzinfo=tz)
    if wall.utcoffset() == wall.replace(fold=1).utcoffset():
        return wall  # the usual case: the wall time exists exactly once
    return wall.astimezone(UTC).astimezone(tz)


def day_in(instant: datetime, tz: ZoneInfo) -> date:
    """The day of *instant* in *tz*, stopping at the first or last day Python knows.

    A deadline on 9999-12-31 is legal, and its end in New York is already the
    year 10000 in Paris: seen from there it is on the last day, not an overflow
    that breaks every command reading the shared folder.
    """
    try:
        return instant.astimezone(tz).date()
    except OverflowError:
        return date.max if instant.year > 1 else date.min


def shift(day: date, days: int) -> date:
    """*day* moved by *days*, stopping at the first or last day Python knows."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


@dataclass(frozen=True, slots=True)
class Clock:
    """The current instant and the reader's time zone; everything else derives."""

    now: datetime
    tz: ZoneInfo

    @property
    def today(self) -> date:
        return self.now.astimezone(self.tz).date()

    def days_until(self, instant: datetime) -> int:
        """Calendar days from today to the day of *instant*, in the reader's zone."""
        return (self.day_of(instant) - self.today).days

    def day_of(self, instant: datetime) -> date:
        """The day of *instant* in the reader's zone (see :func:`day_in`)."""
        return day_in(instant, self.tz)

    def end_of(self, day: date) -> datetime:
        return local_instant(day, None, self.tz)


def parse_moment(text: str, tz: ZoneInfo) -> datetime:
    """Parse ``YYYY-MM-DD`` (the start of that day) or an ISO 8601 date-time.

    A date-time without an offset is read in *tz*.
    """
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return datetime.combine(date.fromisoformat(text), time(0, 0), tzinfo=tz)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"invalid date {text!r}: expected YYYY-MM-DD or an ISO 8601 date-time"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment


def make_clock(today: str | None = None, tz_name: str | None = None) -> Clock:
    """Build the clock from ``--today``, else ``CALLWATCH_TODAY``, else the system time."""
    tz = zone(tz_name or os.environ.get(TZ_ENV) or DEFAULT_TZ)
    text = today if today is not None else os.environ.get(TODAY_ENV) or None
    now = parse_moment(text, tz) if text else datetime.now(tz)
    return Clock(now=now, tz=tz)


_WINDOW = re.compile(r"(\d{1,4})\s*([a-z]*)", re.IGNORECASE)
# Units of a window, in English and in French: 14d / 14j, 2w / 2sem, 3m / 3mois, 1y / 1an.
_UNITS = {
    **dict.fromkeys(("", "d", "day", "days", "j", "jour", "jours"), "d"),
    **dict.fromkeys(("w", "week", "weeks", "sem", "semaine", "semaines"), "w"),
    **dict.fromkeys(("m", "month", "months", "mois"), "m"),
    **dict.fromkeys(("y", "year", "years", "a", "an", "ans"), "y"),
}


def window_end(text: str, clock: Clock) -> datetime:
    """The end of a horizon such as ``30`` / ``14d`` / ``2w`` / ``3m`` / ``1y`` (or in French
    ``14j`` / ``2sem`` / ``3mois`` / ``1an``) or a date.

    The window is inclusive: ``14d`` seen on 1 March reaches the end of 15 March.
    """
    # lazy: dateutil only for a --due window (a plain list needs none)
    from dateutil.relativedelta import relativedelta

    raw = text.strip()
    match = _WINDOW.fullmatch(raw)
    unit = _UNITS.get(match.group(2).lower()) if match else None
    if match and unit:
        count = int(match.group(1))
        step = {
            "d": relativedelta(days=count),
            "w": relativedelta(weeks=count),
            "m": relativedelta(months=count),
            "y": relativedelta(years=count),
        }[unit]
        return clock.end_of(clock.today + step)
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise ValueError(
            f"invalid window {text!r}: expected a number of days (30, 14d), "
            "weeks (2w), months (3m), years (1y) or a date (YYYY-MM-DD)"
        ) from None
    return clock.end_of(day)


def iso(moment: datetime) -> str:
    """ISO 8601 with offset, to the second: the JSON form of every instant."""
    return moment.isoformat(timespec="seconds")


__all__ = [
    "DEFAULT_TZ",
    "Clock",
    "day_in",
    "iso",
    "local_instant",
    "make_clock",
    "parse_moment",
    "shift",
    "window_end",
    "zone",
]
