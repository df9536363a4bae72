"""Deadlines as an iCalendar file (RFC 5545), made with the ``icalendar`` library.

Choices (docs/export.md):

- One VEVENT per round. A bare-date round is an all-day event on the deadline
  day (DTSTART that DATE, DTEND the next day). A timed round is the hour
  *ending* at the deadline (DTEND = the deadline, with its TZID and the matching
  VTIMEZONE): RFC 5545 wants DTEND after DTSTART, and the alarms are counted
  back from the deadline itself (``RELATED=END``).
- UIDs are ``<call-id>/<yyyy-mm-dd>@callwatch`` (plus ``T<hhmm>`` when a call
  has two rounds on one day): the same on every run and machine, so a calendar
  that re-imports the file updates its events instead of duplicating them.
- A call with an ``rrule`` gives one VEVENT carrying the RRULE (UID
  ``<call-id>/rrule@callwatch``): the calendar application rolls it forward,
  which is what the rule means. Explicit rounds keep their own events; those
  exported in the same file are excluded from the series (EXDATE). A rule that
  RFC 5545 cannot carry as one RRULE line falls back to one event per exported
  occurrence.
- One VALARM (ACTION:DISPLAY) per reminder day of the call (``remind_days``,
  default J-30, J-7, J-1): a timed deadline is reminded N days before, at the
  same time; an all-day deadline at 09:00 on day D-N (floating, the reader's time).
- DTSTAMP is the clock's instant, so ``--today`` makes the output reproducible.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from icalendar import Alarm, Calendar, Event, vRecur

from callwatch import __version__
from callwatch.domain.model import (
    DEFAULT_REMIND_DAYS,
    RRULE_FIRST_DAY,
    RRULE_LAST_DAY,
    Call,
    Round,
    _rule,
)
from callwatch.domain.text import clean
from callwatch.exporters import Context, Item
from callwatch.i18n import t

ALARM_HOUR = 9  # all-day deadlines are reminded at 09:00 on the reminder day
TIMED_SPAN = timedelta(hours=1)


def to_ics(items: Sequence[Item], ctx: Context) -> bytes:
    """The calendar for *items*; the clock's instant stamps every event."""
    lang = ctx.language
    cal = Calendar()
    cal.add("prodid", f"-//callwatch//callwatch {__version__}//{lang.upper()}")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "callwatch")
    stamp = ctx.clock.now.astimezone(UTC)
    groups: dict[str, list[Item]] = {}
    for item in items:
        groups.setdefault(item.call.id, []).append(item)
    days: list[date] = []
    for group in groups.values():
        call = group[0].call
        per_day = Counter(r.day for r in call.rounds)
        explicit = [i.round for i in group if not i.round.recurring]
        recurring = [i.round for i in group if i.round.recurring]
        explicit_days = {r.day for r in explicit}
        series = _series(call, explicit_days, stamp, lang) if recurring else None
        if series is None:
            explicit += recurring  # no RRULE possible: one event per occurrence
        else:
            cal.add_component(series)
            start = series.get("dtstart").dt
            days.append(start.date() if isinstance(start, datetime) else start)
        for r in explicit:
            cal.add_component(_event(call, r, _uid(call, r, per_day), stamp, lang))
        days.extend(r.day for r in explicit + recurring)
    if days:
        cal.add_missing_timezones(
            # icalendar steps past its range: keep it within the years rules are computed
            first_date=_clamp(_shift(min(days), -366)),
            last_date=_clamp(_shift(max(days), 3 * 366)),
        )
    data: bytes = cal.to_ical()
    return data


def _uid(call: Call, r: Round, per_day: Counter[date]) -> str:
    key = r.key
    if per_day[r.day] > 1 and r.at is not None:
        key += f"T{r.at:%H%M}"
    return f"{call.id}/{key}@callwatch"


def _shift(day: date, days: int) -> date:
    """*day* moved by *days*, stopping at the first or last day Python knows (a
    deadline on 9999-12-31 is legal and must not overflow)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def _clamp(day: date) -> date:
    return min(max(day, RRULE_FIRST_DAY), RRULE_LAST_DAY)


def _span(r: Round) -> tuple[date | datetime, date | datetime | None]:
    """DTSTART and DTEND: the deadline day, or the hour ending at the deadline. No
    DTEND for an all-day deadline on the last day of the calendar: RFC 5545 reads
    an all-day event without one as that one day."""
    if r.all_day:
        return r.day, None if r.day == date.max else r.day + timedelta(days=1)
    return r.closes_at - TIMED_SPAN, r.closes_at


def _event(call: Call, r: Round, uid: str, stamp: datetime, lang: str) -> Any:
    title = clean(call.title)
    summary = t("ics.deadline", lang) + t("colon", lang) + title
    if r.label:
        summary += f" — {clean(r.label)}"
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    start, end = _span(r)
    event.add("dtstart", start)
    if end is not None:
        event.add("dtend", end)
    event.add("summary", summary)
    event.add("description", _description(call, r, lang))
    if call.url:
        event.add("url", call.url)
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    remind = DEFAULT_REMIND_DAYS if call.remind_days is None else call.remind_days
    for n in sorted(set(remind), reverse=True):
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", t("days_before", lang, n=n) + t("colon", lang) + title)
        alarm.add("trigger", _trigger(n, r.all_day), parameters={"RELATED": "END"})
        event.add_component(alarm)
    return event


def _trigger(days_before: int, all_day: bool) -> timedelta:
    """Offset from the event's end (the deadline) to the reminder."""
    if all_day:  # the end is midnight after the deadline day; remind at 09:00 on D-n
        return timedelta(days=-(days_before + 1), hours=ALARM_HOUR)
    return timedelta(days=-days_before)


def _description(call: Call, r: Round, lang: str) -> str:
    when = r.day.isoformat()
    if r.all_day:
        when += f" ({t('end_of_day', lang)}, {r.tz})"
    else:
        when += f" {r.at:%H:%M} ({r.tz})"
    colon = t("colon", lang)
    lines = [t("ics.when", lang) + colon + when]
    if call.programme:
        lines.append(t("ics.programme", lang) + colon + clean(call.programme))
    if call.url:
        lines.append(call.url)
    if call.sources:
        lines.append(t("ics.sources", lang) + colon.rstrip())
        lines.extend(f"- {clean(s)}" for s in call.sources)
    lines.append("callwatch" + colon + call.id)
    return "\n".join(lines)


def _series(call: Call, explicit_days: set[date], stamp: datetime, lang: str) -> Any | None:
    """One VEVENT with the call's RRULE, or None when the rule cannot be one RRULE line.

    Occurrences on the day of an explicit round exported as its own event are
    excluded (EXDATE), so no deadline shows twice.
    """
    anchor = call._anchor()
    text = (call.rrule or "").strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:") :]
    if anchor is None or not text or any(c in text for c in "\r\n:"):
        return None
    try:
        recur = vRecur.from_ical(text)
    except (ValueError, TypeError, KeyError):  # the loader's dateutil is more lenient
        return None
    rule = _rule(call.rrule or "", anchor.day)
    first = next(iter(rule), None)
    if first is None:
        return None
    start_round = Round(
        day=first.date(), at=anchor.at, tz=anchor.tz, label=anchor.label, recurring=True
    )
    event = _event(call, start_round, f"{call.id}/rrule@callwatch", stamp, lang)
    start = event.get("dtstart").dt
    if "UNTIL" in recur:  # RFC 5545: UNTIL has DTSTART's type, in UTC for a zoned time
        until = recur["UNTIL"][0]
        until_day = until.date() if isinstance(until, datetime) else until
        recur["UNTIL"] = [_like(start, until_day, utc=True)]
    event.add("rrule", recur)
    midnight = time(0)
    excluded = [
        _like(start, day)
        for day in sorted(explicit_days)
        if datetime.combine(day, midnight) in rule
    ]
    if excluded:
        event.add("exdate", excluded)
    return event


def _like(start: date | datetime, day: date, *, utc: bool = False) -> date | datetime:
    """*day* at the wall-clock time of *start* (in UTC if asked), or the bare date."""
    if isinstance(start, datetime):
        moment = datetime.combine(day, start.time(), tzinfo=start.tzinfo)
        return moment.astimezone(UTC) if utc else moment
    return day
