"""What one subscriber should be told today: a pure function of calls, clock, reader and ledger.

Nothing here reads a file, a clock or the network, so every rule can be tested
directly (and property-tested over sequences of runs). The rules
(docs/digest.md):

- **Deadlines**: every round of a matching call closing between now and the
  reader's horizon, grouped this week / this month / later.
- **Reminders**: for each open round and each offset ``d`` of ``remind_days``
  (the call's own list wins over the subscriber's), a reminder is due on the
  round's closing day (in the reader's zone) minus ``d``. It is sent on that day
  or, if that run was missed, once, late, saying so. When several offsets of a
  round are pending, only the most urgent is sent, the others are superseded.
  A reminder is owed only from the day the reader first knew of the round.
- **News**: a matching, not-closed call the reader was never told about is new;
  one whose fingerprint (title, rounds, ongoing, url, rrule) changed is changed,
  with what changed. A brand-new subscriber gets a baseline instead: no call is
  "new" in their first digest.
- A digest is worth sending when it has a reminder, news, or a deadline never
  listed to this reader before. Otherwise nothing is sent.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from callwatch.digest.config import Subscriber
from callwatch.digest.ledger import (
    CallRecord,
    MessageRecord,
    ReminderRecord,
    SubscriberState,
    listed_key,
    reminder_key,
)
from callwatch.domain.clock import Clock, window_end, zone
from callwatch.domain.model import Call, Round, Status

REMINDER_REACH_DAYS = 367  # offsets are at most 366 days
PRUNE_AFTER_DAYS = 400  # forget reminders and listings of rounds closed this long ago
KEEP_MESSAGES = 100


@dataclass(frozen=True, slots=True)
class Deadline:
    call: Call
    round: Round
    days_left: int
    group: str  # "week" | "month" | "later"


@dataclass(frozen=True, slots=True)
class Reminder:
    call: Call
    round: Round
    offset: int
    due: date
    days_left: int

    @property
    def late(self) -> bool:
        """Sent after its day (the machine was off, the server down, or a weekly run)."""
        return self.days_left < self.offset


@dataclass(frozen=True, slots=True)
class Superseded:
    call_id: str
    round_key: str
    offset: int
    due: date


@dataclass(frozen=True, slots=True)
class Change:
    """One difference since the last digest; dates are ISO strings (round ids)."""

    kind: str  # new_round | moved | removed_round | reopened | title | url | ongoing | rrule
    old: str | None = None
    new: str | None = None


@dataclass(frozen=True, slots=True)
class News:
    call: Call
    is_new: bool
    changes: tuple[Change, ...]
    next_round: Round | None


@dataclass(frozen=True, slots=True)
class ProjectCall:
    """One call worth telling about a project: eligible, or incomplete with questions left."""

    call: Call
    eligible: bool
    questions: int
    next_round: Round | None
    # Told before as eligible (or incomplete), not eligible now: why, in the reader's words.
    no_longer: str | None = None


@dataclass(frozen=True, slots=True)
class ProjectReport:
    """What one digest tells about one of the team's projects
    (:mod:`callwatch.digest.projects` writes it; the plan only carries it)."""

    file: Path
    title: str
    calls: tuple[ProjectCall, ...]


@dataclass(frozen=True)
class Plan:
    """Everything one digest says, and what the ledger will remember once it is accepted."""

    subscriber: Subscriber
    clock: Clock
    horizon_end: datetime
    baseline: bool
    deadlines: tuple[Deadline, ...]
    reminders: tuple[Reminder, ...]
    superseded: tuple[Superseded, ...]
    news: tuple[News, ...]
    records: dict[str, CallRecord]
    fresh_deadlines: int  # deadlines never listed to this reader before
    # The team's projects (callwatch.digest.projects): what to tell about each, which
    # projects each reminded call qualifies, and every verdict to remember.
    projects: tuple[ProjectReport, ...] = ()
    qualifies: dict[str, tuple[str, ...]] = field(default_factory=dict)
    verdicts: dict[str, str] = field(default_factory=dict)

    @property
    def worth_sending(self) -> bool:
        return bool(self.reminders or self.news or self.fresh_deadlines or self.projects)

    @property
    def nearest(self) -> Deadline | None:
        return self.deadlines[0] if self.deadlines else None


def reader_clock(clock: Clock, subscriber: Subscriber) -> Clock:
    """The run's instant seen from the subscriber's time zone."""
    if subscriber.timezone is None:
        return clock
    return Clock(now=clock.now, tz=zone(subscriber.timezone))


def plan(calls: list[Call], clock: Clock, subscriber: Subscriber, state: SubscriberState) -> Plan:
    """Decide the digest for *subscriber* at *clock* given what the ledger remembers."""
    clock = reader_clock(clock, subscriber)
    today = clock.today
    baseline = state.since is None
    horizon_end = window_end(subscriber.horizon, clock)
    filters = subscriber.filters()
    matching = [c for c in calls if filters.matches(c)]

    records: dict[str, CallRecord] = {}
    news: list[News] = []
    deadlines: list[Deadline] = []
    reminders: list[Reminder] = []
    superseded: list[Superseded] = []
    for call in matching:
        previous = state.calls.get(call.id)
        status = call.status(clock)
        record = snapshot(call, today, previous, is_open=status is not Status.CLOSED)
        records[call.id] = record
        if status is Status.CLOSED:
            continue
        if not baseline:
            item = _news(call, clock, previous, record)
            if item is not None:
                news.append(item)
        for r in call.rounds_in(clock.now, horizon_end):
            days = clock.days_until(r.closes_at)
            deadlines.append(Deadline(call, r, days, _group(r, clock)))
        due, gone = _reminders(call, clock, subscriber, state, record)
        reminders.extend(due)
        superseded.extend(gone)

    deadlines.sort(key=lambda d: (d.round.closes_at, d.call.id))
    reminders.sort(key=lambda r: (r.round.closes_at, r.call.id, r.offset))
    news.sort(key=lambda n: (not n.is_new, _next_stamp(n), n.call.id))
    fresh = sum(1 for d in deadlines if listed_key(d.call.id, d.round.key) not in state.listed)
    return Plan(
        subscriber=subscriber,
        clock=clock,
        horizon_end=horizon_end,
        baseline=baseline,
        deadlines=tuple(deadlines),
        reminders=tuple(reminders),
        superseded=tuple(superseded),
        news=tuple(news),
        records=records,
        fresh_deadlines=fresh,
    )


def _next_stamp(item: News) -> float:
    return item.next_round.closes_at.timestamp() if item.next_round else float("inf")


def _group(r: Round, clock: Clock) -> str:
    day = clock.day_of(r.closes_at)
    today = clock.today
    end_of_week = today + timedelta(days=6 - today.weekday())
    if day <= end_of_week:
        return "week"
    if (day.year, day.month) == (today.year, today.month):
        return "month"
    return "later"


# -- fingerprints and changes -------------------------------------------------------------


def round_id(r: Round, call: Call) -> str:
    """A round as written: its day, its time if any, its zone if not the call's."""
    out = r.key
    if r.at is not None:
        out += "T" + r.at.strftime("%H:%M")
    if r.tz != call.timezone:
        out += " " + r.tz
    return out


def fingerprint(call: Call) -> str:
    """A short hash of what a reader cares about; status and descriptions are left out."""
    what = {
        "title": call.title,
        "rounds": sorted(round_id(r, call) for r in call.rounds),
        "ongoing": call.ongoing,
        "url": call.url,
        "rrule": call.rrule,
    }
    text = json.dumps(what, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def snapshot(call: Call, today: date, previous: CallRecord | None, *, is_open: bool) -> CallRecord:
    """The record to keep for *call*, carrying over when each round was first known."""
    known = previous.rounds if previous is not None else {}
    return CallRecord(
        fp=fingerprint(call),
        first_seen=previous.first_seen if previous is not None else today,
        title=call.title,
        rounds={rid: known.get(rid, today) for rid in (round_id(r, call) for r in call.rounds)},
        ongoing=call.ongoing,
        url=call.url,
        rrule=call.rrule,
        open=is_open,
    )


def _news(call: Call, clock: Clock, previous: CallRecord | None, record: CallRecord) -> News | None:
    nxt = call.next_round(clock.now)
    if previous is None:
        return News(call, True, (), nxt)
    if previous.fp == record.fp:
        return None
    return News(call, False, tuple(describe_changes(previous, record)), nxt)


def describe_changes(old: CallRecord, new: CallRecord) -> list[Change]:
    """What changed between two records, in the reader's terms."""
    out: list[Change] = []
    if not old.open:
        out.append(Change("reopened"))
    if old.ongoing != new.ongoing:
        out.append(Change("ongoing", str(old.ongoing).lower(), str(new.ongoing).lower()))
    removed = sorted(set(old.rounds) - set(new.rounds))
    added = sorted(set(new.rounds) - set(old.rounds))
    for before, after in zip(removed, added, strict=False):
        out.append(Change("moved", before, after))
    for after in added[len(removed) :]:
        out.append(Change("new_round", None, after))
    for before in removed[len(added) :]:
        out.append(Change("removed_round", before, None))
    if old.title != new.title:
        out.append(Change("title", old.title, new.title))
    if old.url != new.url:
        out.append(Change("url", old.url, new.url))
    if old.rrule != new.rrule:
        out.append(Change("rrule", old.rrule, new.rrule))
    return out


# -- reminders ------------------------------------------------------------------------------


def _reminders(
    call: Call,
    clock: Clock,
    subscriber: Subscriber,
    state: SubscriberState,
    record: CallRecord,
) -> tuple[list[Reminder], list[Superseded]]:
    offsets = call.remind_days if call.remind_days is not None else subscriber.remind_days
    if not offsets:
        return [], []
    today = clock.today
    since = state.since or today
    due_now: list[Reminder] = []
    gone: list[Superseded] = []
    reach = clock.now + timedelta(days=REMINDER_REACH_DAYS)
    for r in call.rounds_in(clock.now, reach):
        known = record.first_seen if r.recurring else record.rounds.get(round_id(r, call), today)
        owed_from = max(known, since)
        close_day = r.closes_at.astimezone(clock.tz).date()
        done = [d for d in offsets if reminder_key(call.id, r.key, d) in state.reminders]
        pending = [
            (d, close_day - timedelta(days=d))
            for d in offsets
            if d not in done and owed_from <= close_day - timedelta(days=d) <= today
        ]
        if not pending:
            continue
        # The most urgent pending offset is sent; any other (older) one is superseded,
        # and so is one less urgent than a reminder already sent.
        best_offset, best_due = min(pending)
        if done and best_offset > min(done):
            gone.extend(Superseded(call.id, r.key, d, due) for d, due in pending)
            continue
        due_now.append(Reminder(call, r, best_offset, best_due, (close_day - today).days))
        gone.extend(Superseded(call.id, r.key, d, due) for d, due in pending if d != best_offset)
    return due_now, gone


# -- the ledger after a send ---------------------------------------------------------------


def updated_state(
    state: SubscriberState, p: Plan, message: MessageRecord | None
) -> SubscriberState:
    """The subscriber's state once *p* was delivered (or, with no message, a silent baseline)."""
    clock = p.clock
    today = clock.today
    stamp = clock.now.isoformat(timespec="seconds")
    calls = dict(state.calls)
    calls.update(p.records)
    reminders = dict(state.reminders)
    listed = dict(state.listed)
    messages = list(state.messages)
    verdicts = state.verdicts
    if message is not None:
        for rem in p.reminders:
            reminders[reminder_key(rem.call.id, rem.round.key, rem.offset)] = ReminderRecord(
                "sent", rem.due, stamp, rem.late
            )
        for sup in p.superseded:
            reminders.setdefault(
                reminder_key(sup.call_id, sup.round_key, sup.offset),
                ReminderRecord("superseded", sup.due, stamp),
            )
        for d in p.deadlines:
            listed.setdefault(listed_key(d.call.id, d.round.key), today)
        verdicts = {**state.verdicts, **p.verdicts}
        messages = [*messages, message][-KEEP_MESSAGES:]
    horizon = today - timedelta(days=PRUNE_AFTER_DAYS)
    return replace(
        state,
        since=state.since or today,
        last_sent=stamp if message is not None else state.last_sent,
        calls=calls,
        reminders={k: v for k, v in reminders.items() if _round_day(k) >= horizon},
        listed={k: v for k, v in listed.items() if _round_day(k) >= horizon},
        messages=messages,
        verdicts=verdicts,
        pending=None if message is not None else state.pending,
    )


def _round_day(key: str) -> date:
    try:
        return date.fromisoformat(key.split("|")[1][:10])
    except (IndexError, ValueError):
        return date.max  # keep what we cannot date
