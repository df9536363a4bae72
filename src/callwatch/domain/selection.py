"""Choosing and ordering calls: filters shared by list, export and the digest."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from callwatch.domain import codes
from callwatch.domain.clock import Clock
from callwatch.domain.errors import CallwatchError, Exit
from callwatch.domain.model import INDEX, Call, Round, Status
from callwatch.domain.territories import error_text, overlap, resolve
from callwatch.domain.text import fold, suggest

if TYPE_CHECKING:
    from callwatch.domain.territories import Match


@dataclass(frozen=True)
class Filters:
    """Repeating an option widens it (any of); different options narrow (all of)."""

    territory: Sequence[str] = field(default_factory=tuple)
    beneficiary: Sequence[str] = field(default_factory=tuple)
    theme: Sequence[str] = field(default_factory=tuple)
    funder: Sequence[str] = field(default_factory=tuple)
    # What was written for a territory and how it was read, when the reading has a
    # note worth showing (FR-75 is FR-75C).
    notes: tuple[tuple[str, Match], ...] = ()

    def validated(self) -> Filters:
        """Territories read as people write them (FR-63, 63, Ambert, commune:63003) into
        canonical codes; refuse what names no territory or several."""
        territories: list[str] = []
        notes: list[tuple[str, Match]] = []
        for written in self.territory:
            found = resolve(written)
            if len(found) != 1:
                raise CallwatchError(f"--territory: {error_text(written, found)}", Exit.USAGE)
            territories.append(found[0].code)
            if found[0].note is not None:
                notes.append((written, found[0]))
        beneficiaries = tuple(b.strip() for b in self.beneficiary)
        for code in beneficiaries:
            if not codes.is_beneficiary(code):
                starting = [known for known in codes.BENEFICIARIES if known.startswith(code)]
                hint = (
                    f" (did you mean {starting[0]!r}?)"
                    if len(starting) == 1 and code
                    else suggest(code, codes.BENEFICIARIES)
                )
                raise CallwatchError(
                    f"--beneficiary: unknown code {code!r}: expected one of "
                    + ", ".join(codes.BENEFICIARIES)
                    + hint,
                    Exit.USAGE,
                )
        return Filters(
            tuple(territories), beneficiaries, tuple(self.theme), tuple(self.funder), tuple(notes)
        )

    def matches(self, call: Call) -> bool:
        return self.matches_fields(call.territory, call.beneficiaries, call.themes, call.funders)

    def matches_fields(
        self,
        territory: tuple[str, ...],
        beneficiaries: tuple[str, ...],
        themes: tuple[str, ...],
        funders: tuple[str, ...],
    ) -> bool:
        if (
            self.territory
            and territory
            and not any(overlap(wanted, have) for wanted in self.territory for have in territory)
        ):
            return False
        if self.beneficiary and not any(
            codes.beneficiary_may_match(beneficiaries, who) for who in self.beneficiary
        ):
            return False
        if self.theme and not _any_contains(themes, self.theme):
            return False
        return not (self.funder and not _any_contains(funders, self.funder))

    @property
    def active(self) -> bool:
        return bool(self.territory or self.beneficiary or self.theme or self.funder)


# A second of slack: row timestamps are floats; the exact test on dates comes after.
_SLACK = 1.0


def may_list(
    entry: tuple[Any, ...],
    now: float,
    until: float | None,
    include_closed: bool,
    filters: Filters | None,
) -> bool:
    """Could :func:`select` keep this call? Decided on its index entry, without
    building the call (:meth:`Call.index`). *filters*: None when none is active.

    Never says no to a call that :func:`select` would keep: recurring and ongoing
    calls always pass (their rounds need the full object), and the timestamp
    comparisons keep a margin. :func:`select` then decides exactly.
    """
    if filters is not None and not filters.matches_fields(
        entry[INDEX.territory],
        entry[INDEX.beneficiaries],
        entry[INDEX.themes],
        entry[INDEX.funders],
    ):
        return False
    through = entry[INDEX.recurring]
    if through is not None and not (
        through == math.inf or (until is not None and until + _SLACK < through)
    ):
        return True  # occurrences beyond the precomputed ones: build the call
    closes = entry[INDEX.closes]
    if until is not None:
        upcoming = [c for c in closes if c >= now - _SLACK]
        return bool(upcoming) and upcoming[0] <= until + _SLACK
    if include_closed or entry[INDEX.ongoing]:
        return True
    return bool(closes) and closes[-1] >= now - _SLACK


def _any_contains(values: Iterable[str], wanted: Iterable[str]) -> bool:
    folded = [fold(v) for v in values]
    return any(fold(w) in v for w in wanted for v in folded)


@dataclass(frozen=True, slots=True)
class Entry:
    """A call as listed: its derived status and the round that matters now."""

    call: Call
    status: Status
    round: Round | None  # the next round; for a closed call, its last one
    days_left: int | None


def select(
    calls: Iterable[Call],
    clock: Clock,
    *,
    until: datetime | None = None,
    include_closed: bool = False,
    filters: Filters | None = None,
) -> list[Entry]:
    """Calls to show, most urgent first.

    *until*: only calls with a round closing by then (``--due``). Ongoing calls
    without a round come after dated ones; closed calls (``--all``) come last,
    most recently closed first.
    """
    entries: list[Entry] = []
    for call in calls:
        if filters is not None and not filters.matches(call):
            continue
        status, nxt = call.state(clock)
        if until is not None and (nxt is None or nxt.closes_at > until):
            continue
        if status is Status.CLOSED:
            if not include_closed:
                continue
            last = call.rounds[-1] if call.rounds else None
            entries.append(Entry(call, status, last, _days(clock, last)))
            continue
        entries.append(Entry(call, status, nxt, _days(clock, nxt)))
    return sorted(entries, key=_order)


def _days(clock: Clock, r: Round | None) -> int | None:
    return None if r is None else clock.days_until(r.closes_at)


def _order(entry: Entry) -> tuple[int, float, str]:
    if entry.status is Status.CLOSED:
        stamp = -entry.round.closes_at.timestamp() if entry.round else 0.0
        return (2, stamp, entry.call.id)
    if entry.round is None:
        return (1, 0.0, entry.call.id)
    return (0, entry.round.closes_at.timestamp(), entry.call.id)
