"""Exports of deadlines: a calendar (``ics``) and tables (``json``, ``csv``).

Every format works on the same selection, :func:`export_rounds`: one item per
round, chosen with the filters and the ``--due`` / ``--all`` semantics of ``list``
(see docs/export.md), and has one signature, :data:`Writer`; the formats are
registered in :mod:`callwatch.services.formats`. Nothing here imports typer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from callwatch.domain.clock import Clock
from callwatch.domain.model import RECURRENCE_HORIZON_DAYS, Call, Round
from callwatch.domain.selection import Filters


@dataclass(frozen=True, slots=True)
class Item:
    """One exported deadline: a round of a call."""

    call: Call
    round: Round


@dataclass(frozen=True, slots=True)
class Context:
    """What a format may need besides the items: the clock, the reader's language and
    the end of the ``--due`` window (None without ``--due``)."""

    clock: Clock
    language: str
    until: datetime | None = None


# One export format: the selected rounds, soonest first, to the bytes of a file.
Writer = Callable[[Sequence[Item], Context], bytes]


def export_rounds(
    calls: Iterable[Call],
    clock: Clock,
    *,
    until: datetime | None = None,
    include_closed: bool = False,
    filters: Filters | None = None,
) -> list[Item]:
    """The rounds to export, soonest first.

    By default every round still open (closing now or later); *until* keeps
    those closing by then (``--due``); *include_closed* adds the rounds already
    closed (``--all``). A call with an ``rrule`` also contributes the rule's
    next occurrence, or every occurrence up to *until*; past occurrences of a
    rule are never listed.
    Ongoing calls without a round have no deadline and give no item.
    """
    items: list[Item] = []
    for call in calls:
        if filters is not None and not filters.matches(call):
            continue
        for r in call.rounds:
            if (include_closed or r.closes_at >= clock.now) and (
                until is None or r.closes_at <= until
            ):
                items.append(Item(call, r))
        if call.rrule is None:
            continue
        if until is None:  # the rule's next occurrence, even after an explicit round
            horizon = clock.now + timedelta(days=RECURRENCE_HORIZON_DAYS)
            recurring = call.recurring_rounds(clock.now, horizon)[:1]
        else:
            recurring = call.recurring_rounds(clock.now, until)
        items.extend(Item(call, r) for r in recurring)
    return sorted(items, key=lambda i: (i.round.closes_at, i.call.id))
