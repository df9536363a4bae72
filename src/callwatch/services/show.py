"""``callwatch show ID``: every field of one call, its rounds and its sources."""

from __future__ import annotations

from decimal import Decimal

from callwatch.domain.clock import Clock
from callwatch.domain.errors import Exit
from callwatch.domain.freshness import is_stale, stale_days
from callwatch.domain.model import Call
from callwatch.files.callsfile import where
from callwatch.i18n import (
    amount_text,
    beneficiary_text,
    cost_text,
    percent_text,
    t,
    territory_text,
)
from callwatch.output.render import Cell, Column, emit_json, fields, heading, paragraph, table
from callwatch.output.views import (
    SHOW_SCHEMA,
    call_detail_json,
    days_text,
    deadline_text,
    urgency_style,
)
from callwatch.rules.phrases import Say
from callwatch.rules.standard import shown_label, shown_source, standard_note
from callwatch.services.env import Env, loaded


def show_call(env: Env, call_id: str, as_json: bool) -> Exit:
    """Print one call (fields, or JSON); usage error when no call has that id."""
    clock = env.clock()
    language = env.language()
    catalog = env.catalog()
    call = catalog.require(call_id)
    if as_json:
        detail = call_detail_json(call, clock)
        # a standard condition's label is callwatch's words: in --lang, like check --json
        # (its stable key is ``standard``); a call's own labels stay as written
        detail["criteria"] = [
            {**d, "label": shown_label(c, language), "source": shown_source(c, language)}
            for d, c in zip(detail["criteria"], call.criteria, strict=True)
        ]
        emit_json({"schema": SHOW_SCHEMA, **detail})
    else:
        _print_human(call, clock, language)
    return loaded(catalog)


def _print_human(call: Call, clock: Clock, lang: str) -> None:
    status = call.status(clock)
    shown = t("withdrawn", lang) if call.withdrawn is not None else t(status.value, lang)
    heading(f"{call.id} — {call.title}", f"[{shown}]", urgency_style(None, status))

    rows: list[tuple[str, str]] = [
        (t("show.programme", lang), call.programme or ""),
        (t("show.measure", lang), call.measure or ""),
        (t("show.funders", lang), "; ".join(call.funders)),
        (
            t("show.territory", lang),
            "; ".join(territory_text(c, lang) for c in call.territory)
            or t("show.not_stated", lang),
        ),
        (
            t("show.beneficiaries", lang),
            "; ".join(beneficiary_text(c, lang) for c in call.beneficiaries)
            or t("show.not_stated", lang),
        ),
        (t("show.themes", lang), ", ".join(call.themes)),
        (t("show.aid_types", lang), ", ".join(call.aid_types)),
        (t("show.opens", lang), call.opens.isoformat() if call.opens else ""),
        (
            t("show.recurrence", lang),
            " ".join(x for x in (call.recurrence or "", call.rrule or "") if x),
        ),
        (t("show.ongoing", lang), t("yes", lang) if call.ongoing else ""),
        (t("show.perimeter", lang), call.perimeter or ""),
        (
            t("show.call_for_projects", lang),
            ""
            if call.call_for_projects is None
            else t("yes" if call.call_for_projects else "no", lang),
        ),
        (t("show.action_type", lang), call.action_type or ""),
        (t("show.checked", lang), _checked_text(call, clock, lang, stale_days())),
        (
            t("withdrawn", lang).capitalize(),
            t("show.withdrawn", lang, day=call.withdrawn.isoformat()) if call.withdrawn else "",
        ),
        (t("show.timezone", lang), call.timezone),
        (
            t("show.remind_days", lang),
            ", ".join(str(d) for d in call.remind_days) if call.remind_days is not None else "",
        ),
    ]
    fields([(k, v) for k, v in rows if v])

    rounds = call.all_rounds(clock)
    if rounds:
        body = []
        for r in rounds:
            rs = r.status(clock, call.opens_at())
            days = clock.days_until(r.closes_at)
            style = urgency_style(days, rs)
            label = r.label or ""
            if r.recurring:
                label = f"{label} ({t('recurring', lang)})".strip()
            if r.invited:
                label = f"{label} ({t('invited', lang)})".strip()
            when = deadline_text(r, lang)
            if r.all_day:
                when += f" ({t('end_of_day', lang)})"
            body.append(
                [
                    Cell(label),
                    Cell(when, style),
                    Cell(t(rs.value, lang), style),
                    Cell(days_text(days, lang), style),
                ]
            )
        columns = [
            Column(t("round", lang), key=True),
            Column(t("deadline", lang), breakable=True, key=True),  # when no round is labelled
            Column(t("status", lang), priority=1),
            Column(t("days", lang), justify="right"),
        ]
        if not any(row[0].text for row in body):  # no round is labelled: no column of blanks
            columns, body = columns[1:], [row[1:] for row in body]
        table(columns, body, title=t("show.rounds", lang))

    f = call.funding
    if f is not None:
        frows = [
            (
                t("show.eligible_costs", lang),
                ", ".join(cost_text(c, lang) for c in f.eligible_costs),
            ),
            (
                t("show.ineligible_costs", lang),
                ", ".join(cost_text(c, lang) for c in f.ineligible_costs),
            ),
            (t("show.rate", lang), percent_text(f.rate, lang) if f.rate is not None else ""),
            (
                t("show.min_eligible_cost", lang),
                _amount(f.min_eligible_cost, f.currency),
            ),
            (
                t("show.max_eligible_cost", lang),
                _amount(f.max_eligible_cost, f.currency),
            ),
            (t("show.min_aid", lang), _amount(f.min_aid, f.currency)),
            (t("show.max_aid", lang), _amount(f.max_aid, f.currency)),
            (t("show.note", lang), f.note or ""),
        ]
        fields([(k, v) for k, v in frows if v], title=t("show.funding", lang))

    if call.criteria:
        table(
            [
                Column("Id", key=True),
                Column(t("show.criterion", lang), wrap=True),
                Column("Source", wrap=True, priority=1),
            ],
            [
                [Cell(c.id), Cell(shown_label(c, lang)), Cell(shown_source(c, lang) or "")]
                for c in call.criteria
            ],
            title=t("show.criteria", lang),
        )
        notes = [n for c in call.criteria if (n := standard_note(c, call.action_type, lang))]
        if notes:
            fields([(Say(lang)("standard_mark"), note) for note in notes])

    if call.description:
        paragraph(t("show.description", lang), call.description)
    links = ([call.url] if call.url else []) + list(call.sources)
    rows = [
        (t("show.url" if i == 0 and call.url else "show.source", lang), s)
        for i, s in enumerate(links)
    ]
    if call.application_url:
        rows.insert(1 if call.url else 0, (t("show.apply", lang), call.application_url))
    fields(rows, title=t("show.sources", lang))
    if call.origin is not None:
        fields([(t("show.defined_in", lang), where(call.origin))])


def _amount(value: object, currency: str) -> str:
    return amount_text(value, currency) if isinstance(value, Decimal) else ""


def _checked_text(call: Call, clock: Clock, lang: str, stale_after: int) -> str:
    """The day the source was last checked, marked when that is long ago."""
    if call.checked is None:
        return ""
    if is_stale(call, clock.today, stale_after):
        n = (clock.today - call.checked).days
        return t("show.checked_stale", lang, day=call.checked.isoformat(), n=n)
    return call.checked.isoformat()
