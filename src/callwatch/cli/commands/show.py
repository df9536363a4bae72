"""``callwatch show ID``: everything about one call."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from callwatch.cli.app import DataOpt, JsonOpt, LangOpt, TodayOpt, command_app, finish, settings
from callwatch.i18n import _

if TYPE_CHECKING:
    from callwatch.domain.clock import Clock
    from callwatch.domain.model import Call


cli = command_app()


@cli.command(
    "show",
    epilog=_("""\b
Examples:
  callwatch show feader-aura-2019-16-4
  callwatch --today 2019-03-16 show feader-aura-2019-16-4   (the 2nd round is next)
  callwatch show ERASMUS-EDU-2022-ECHE-CERT-FP --json
"""),
    help=_(
        "Show every field of one call, each round with its status and days left, and the sources."
    ),
)
def show_call(
    ctx: typer.Context,
    call_id: Annotated[
        str, typer.Argument(metavar="ID", help=_("The call's id (see `callwatch list`)."))
    ],
    as_json: JsonOpt = False,
    today: TodayOpt = None,
    data: DataOpt = None,
    lang: LangOpt = None,
) -> None:
    """Show every field of one call, each round with its status and days left, and the sources."""
    opts = settings(ctx, today, data, lang)
    clock = opts.clock()
    language = opts.language()
    catalog = opts.catalog()
    call = catalog.require(call_id)
    if as_json:
        from callwatch.output.render import emit_json
        from callwatch.output.views import SHOW_SCHEMA, call_detail_json

        emit_json({"schema": SHOW_SCHEMA, **call_detail_json(call, clock)})
    else:
        _print_human(call, clock, language)
    finish(catalog)


def _print_human(call: Call, clock: Clock, lang: str) -> None:
    from callwatch.i18n import beneficiary_text, cost_text, percent_text, t, territory_text
    from callwatch.output.render import Cell, Column, fields, heading, paragraph, table
    from callwatch.output.views import days_text, deadline_text, urgency_style

    status = call.status(clock)
    heading(f"{call.id} — {call.title}", f"[{t(status.value, lang)}]", urgency_style(None, status))

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
            rs = r.status(clock)
            days = clock.days_until(r.closes_at)
            style = urgency_style(days, rs)
            label = r.label or ""
            if r.recurring:
                label = f"{label} ({t('recurring', lang)})".strip()
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
        table(
            [
                Column(t("round", lang), key=True),
                Column(t("deadline", lang), breakable=True),
                Column(t("status", lang), priority=1),
                Column(t("days", lang), justify="right"),
            ],
            body,
            title=t("show.rounds", lang),
        )

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
            [[Cell(c.id), Cell(c.label), Cell(c.source or "")] for c in call.criteria],
            title=t("show.criteria", lang),
        )

    if call.description:
        paragraph(t("show.description", lang), call.description)
    links = ([call.url] if call.url else []) + list(call.sources)
    fields(
        [
            (t("show.url" if i == 0 and call.url else "show.source", lang), s)
            for i, s in enumerate(links)
        ],
        title=t("show.sources", lang),
    )
    if call.origin is not None:
        from callwatch.files.callsfile import where

        fields([(t("show.defined_in", lang), where(call.origin))])


def _amount(value: object, currency: str) -> str:
    from decimal import Decimal

    from callwatch.i18n import amount_text

    return amount_text(value, currency) if isinstance(value, Decimal) else ""
