"""What a call looks like to a reader: JSON shapes and short human texts.

The JSON shapes here are a public contract (docs/json.md): add keys freely,
never rename or remove one without bumping the ``schema`` version.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from callwatch.domain.clock import Clock, iso
from callwatch.domain.freshness import is_stale, stale_days
from callwatch.domain.model import URGENT_DAYS, Call, Funding, Round, Status
from callwatch.i18n import t

LIST_SCHEMA = "callwatch.list/1"
SHOW_SCHEMA = "callwatch.show/1"


def money(value: Decimal | None) -> str | None:
    """Money and rates travel as strings in JSON so no reader rounds them."""
    return None if value is None else format(value, "f")


@lru_cache(maxsize=65536)
def round_json(r: Round, clock: Clock, call_opens: datetime | None = None) -> dict[str, Any]:
    """*call_opens*: the call's opening (a round is not open before it)."""
    return {
        "label": r.label,
        "date": r.day.isoformat(),
        "time": None if r.at is None else r.at.isoformat(timespec="minutes"),
        "timezone": r.tz,
        "all_day": r.all_day,
        "closes_at": iso(r.closes_at),
        "opens": None if r.opens is None else r.opens.isoformat(),
        "recurring": r.recurring,
        "invited": r.invited,
        "status": r.status(clock, call_opens).value,
        "days_left": clock.days_until(r.closes_at),
    }


def funding_json(f: Funding | None) -> dict[str, Any] | None:
    if f is None:
        return None
    return {
        "eligible_costs": list(f.eligible_costs),
        "ineligible_costs": list(f.ineligible_costs),
        "rate": money(f.rate),
        "min_eligible_cost": money(f.min_eligible_cost),
        "max_eligible_cost": money(f.max_eligible_cost),
        "min_aid": money(f.min_aid),
        "max_aid": money(f.max_aid),
        "currency": f.currency,
        "note": f.note,
    }


def call_summary_json(
    call: Call, clock: Clock, nxt: Round | None, stale_after: int | None = None
) -> dict[str, Any]:
    """*stale_after*: days after which a source counts as not checked for long
    (default: :func:`callwatch.domain.freshness.stale_days`)."""
    days = stale_days() if stale_after is None else stale_after
    return {
        "id": call.id,
        "title": call.title,
        "status": call.status(clock).value,
        "next_deadline": None if nxt is None else round_json(nxt, clock, call.opens_at()),
        "ongoing": call.ongoing,
        "programme": call.programme,
        "measure": call.measure,
        "funders": list(call.funders),
        "territory": list(call.territory),
        "beneficiaries": list(call.beneficiaries),
        "themes": list(call.themes),
        "url": call.url,
        "sources": list(call.sources),
        "action_type": call.action_type,
        "checked": None if call.checked is None else call.checked.isoformat(),
        "stale": is_stale(call, clock.today, days),
        "withdrawn": None if call.withdrawn is None else call.withdrawn.isoformat(),
    }


def call_detail_json(call: Call, clock: Clock) -> dict[str, Any]:
    nxt = call.next_round(clock.now)
    out = call_summary_json(call, clock, nxt)
    out.update(
        {
            "description": call.description,
            "opens": None if call.opens is None else call.opens.isoformat(),
            "timezone": call.timezone,
            "rrule": call.rrule,
            "recurrence": call.recurrence,
            "remind_days": None if call.remind_days is None else list(call.remind_days),
            "aid_types": list(call.aid_types),
            "rounds": [round_json(r, clock, call.opens_at()) for r in call.all_rounds(clock)],
            "funding": funding_json(call.funding),
            "criteria": [c.describe() for c in call.criteria],  # as declared
            "source_id": call.source_id,
            "call_for_projects": call.call_for_projects,
            "application_url": call.application_url,
            "perimeter": call.perimeter,
            "file": None if call.origin is None else call.origin.file,
            "line": None if call.origin is None else call.origin.line,
        }
    )
    return out


def deadline_text(r: Round, lang: str, reader_tz: str | None = None) -> str:
    """``2019-03-15`` for a whole day; ``2024-01-25 17:00 Europe/Brussels`` otherwise."""
    if r.at is None:
        return r.day.isoformat()
    text = f"{r.day.isoformat()} {r.at.strftime('%H:%M')}"
    return text if r.tz == reader_tz else f"{text} {r.tz}"


def days_text(days: int, lang: str) -> str:
    if days == 0:
        return t("today", lang)
    if days < 0:
        return t("days_ago", lang, n=-days)
    return str(days)


def urgency_style(days: int | None, status: Status) -> str | None:
    if status is Status.CLOSED:
        return "dim"
    if days is None:
        return None
    if days <= URGENT_DAYS:
        return "bold red"
    if status is Status.CLOSING_SOON:
        return "yellow"
    return "green"
