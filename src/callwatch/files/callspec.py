"""The calls file format, validated with pydantic, and its conversion to the domain.

Strict by design: TOML has native dates, times, numbers and booleans, so a quoted
date or a ``"yes"`` is a mistake worth reporting, not coercing. Unknown keys are
errors (a typo must not silently drop a deadline). Checks that pydantic cannot
express (time zones, territory codes, recurrence rules, dates in order) live in
:func:`semantic_problems`, which reports a path for every problem so the loader
can point at the line.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from callwatch.domain import codes
from callwatch.domain.clock import DEFAULT_TZ, zone
from callwatch.domain.criteria import Criterion
from callwatch.domain.model import (
    ID_PATTERN,
    RRULE_FIRST_DAY,
    RRULE_LAST_DAY,
    Call,
    Funding,
    Origin,
    Round,
    check_rrule,
    recurrence_index,
)
from callwatch.domain.territories import TerritoryError, read_code
from callwatch.domain.text import link_problem
from callwatch.i18n import N_
from callwatch.store.compact import Interner

Path = tuple[str | int, ...]


def _to_decimal(value: Any) -> Any:
    """Money and rates: TOML numbers become exact Decimals (0.8 stays 0.8)."""
    if isinstance(value, bool):
        return value  # rejected by the Decimal check with a clear message
    if isinstance(value, int | float):
        return Decimal(str(value))
    return value


def _no_items() -> Any:
    """An empty list by default, made afresh for each call: pydantic deep-copies a
    ``[]`` default on every validation, which costs more (the schema still says [])."""
    return Field(default_factory=list, json_schema_extra={"default": []})


Money = Annotated[Decimal, BeforeValidator(_to_decimal), Field(ge=0)]
Rate = Annotated[Decimal, BeforeValidator(_to_decimal), Field(gt=0, le=1)]
Text = Annotated[str, Field(min_length=1)]


def _check_link(url: str) -> str:
    why = link_problem(url)
    if why:
        raise ValueError(why)
    return url


Link = Annotated[str, Field(pattern=r"^https?://\S+$"), AfterValidator(_check_link)]


def _check_zone(name: str) -> str:
    zone(name)  # raises ValueError("unknown time zone ...")
    return name


def _check_territory(code: str) -> str:
    """What people write (FR-63, 63, Ambert, 63600, commune:63003) becomes the canonical
    code; a lower-case id naming nothing yet is kept for the loader to check against
    the team's own territories (:func:`callwatch.domain.territories.read_code`)."""
    try:
        return read_code(code)[0]
    except TerritoryError as exc:
        raise ValueError(str(exc)) from None


def _check_beneficiary(code: str) -> str:
    if not codes.is_beneficiary(code):
        raise ValueError(
            N_("unknown beneficiary code {code!r}: expected one of {codes}").format(
                code=code, codes=", ".join(codes.BENEFICIARIES)
            )
        )
    return code


def _check_rrule(text: str) -> str:
    why = check_rrule(text)
    if why:
        raise ValueError(why)
    return text


TimeZone = Annotated[str, AfterValidator(_check_zone)]
TerritoryCode = Annotated[str, AfterValidator(_check_territory)]
BeneficiaryCode = Annotated[str, AfterValidator(_check_beneficiary)]
RRule = Annotated[str, AfterValidator(_check_rrule)]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class DeadlineSpec(_Strict):
    """A round: ``{ date = 2019-03-15, time = 17:00:00, timezone = "Europe/Brussels" }``."""

    date: dt.date
    time: dt.time | None = None
    timezone: TimeZone | None = None
    label: str | None = None
    opens: dt.date | None = None
    invited: bool = False


class FundingSpec(_Strict):
    eligible_costs: list[Text] = _no_items()
    ineligible_costs: list[Text] = _no_items()
    rate: Rate | None = None
    min_eligible_cost: Money | None = None
    max_eligible_cost: Money | None = None
    min_aid: Money | None = None
    max_aid: Money | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "EUR"
    note: str | None = None

    @model_validator(mode="after")
    def _ranges(self) -> FundingSpec:
        for low, high in (("min_eligible_cost", "max_eligible_cost"), ("min_aid", "max_aid")):
            lo, hi = getattr(self, low), getattr(self, high)
            if lo is not None and hi is not None and lo > hi:
                raise ValueError(
                    N_("{low} ({lo}) is above {high} ({hi})").format(
                        low=low, lo=lo, high=high, hi=hi
                    )
                )
        overlap = sorted(set(self.eligible_costs) & set(self.ineligible_costs))
        if overlap:
            raise ValueError(
                N_("costs listed as both eligible and ineligible: {costs}").format(
                    costs=", ".join(overlap)
                )
            )
        return self


class CallSpec(_Strict):
    """One ``[[calls]]`` table, as written in a calls file."""

    id: Annotated[str, Field(pattern=ID_PATTERN)]
    title: Text
    programme: str | None = None
    measure: str | None = None
    description: str | None = None
    url: Link | None = None
    sources: list[Text] = _no_items()
    funders: list[Text] = _no_items()
    territory: list[TerritoryCode] = _no_items()
    beneficiaries: list[BeneficiaryCode] = _no_items()
    themes: list[Text] = _no_items()
    aid_types: list[Text] = _no_items()
    recurrence: Literal["permanent", "one_off", "recurring"] | None = None
    timezone: TimeZone = DEFAULT_TZ
    remind_days: list[Annotated[int, Field(ge=0, le=366)]] | None = None
    ongoing: bool = False
    rrule: RRule | None = None
    opens: dt.date | None = None
    deadlines: list[DeadlineSpec] = _no_items()
    funding: FundingSpec | None = None
    criteria: list[dict[str, Any]] = _no_items()
    source_id: str | None = None
    action_type: Text | None = None
    checked: dt.date | None = None
    withdrawn: dt.date | None = None
    call_for_projects: bool | None = None
    application_url: Link | None = None
    perimeter: Text | None = None
    notes: str | None = None


class TerritorySpec(_Strict):
    """One ``[[territories]]`` table: the team's own territory (a Pays, a PNR, a GAL).
    Members are checked against every file's territories by the loader."""

    id: Text
    name: Text
    members: Annotated[list[Text], Field(min_length=1)]


def semantic_problems(spec: CallSpec) -> list[tuple[Path, str]]:
    """Problems across fields of a call that type-checked, each with the offending path."""
    problems: list[tuple[Path, str]] = []
    if spec.rrule is not None and not spec.deadlines and spec.opens is None:
        problems.append(
            (("rrule",), N_("a recurrence needs a start: give a first deadline or `opens`"))
        )
    if spec.rrule is not None:
        problems.extend(_recurrence_start(spec))
    if not spec.deadlines and not spec.ongoing and spec.rrule is None and spec.opens is None:
        problems.append(
            (("deadlines",), N_("a call needs deadlines, `ongoing = true`, an `rrule` or `opens`"))
        )
    seen: dict[tuple[dt.date, dt.time | None], int] = {}
    for i, d in enumerate(spec.deadlines):
        key = (d.date, d.time)
        if key in seen:
            problems.append(
                (
                    ("deadlines", i),
                    N_("same deadline as deadlines[{n}] ({day})").format(n=seen[key], day=d.date),
                )
            )
        seen.setdefault(key, i)
        if spec.opens is not None and d.date < spec.opens:
            problems.append(
                (
                    ("deadlines", i, "date"),
                    N_("round closes on {day}, before the call opens ({opens})").format(
                        day=d.date, opens=spec.opens
                    ),
                )
            )
        if d.opens is not None and d.opens > d.date:
            problems.append(
                (
                    ("deadlines", i, "opens"),
                    N_("round opens on {opens}, after it closes ({day})").format(
                        opens=d.opens, day=d.date
                    ),
                )
            )
    return problems


def _recurrence_start(spec: CallSpec) -> list[tuple[Path, str]]:
    """A recurrence starts from the first deadline (else ``opens``): that day must lie
    where rules are evaluated, so that no search runs for millennia."""
    low, high = RRULE_FIRST_DAY, RRULE_LAST_DAY
    starts: list[tuple[Path, dt.date]] = [
        (("deadlines", i, "date"), d.date) for i, d in enumerate(spec.deadlines)
    ]
    if spec.opens is not None:
        starts.append((("opens",), spec.opens))
    return [
        (
            where,
            N_("{day} is outside {low}–{high}, where a recurrence (rrule) is computed").format(
                day=day, low=low.year, high=high.year
            ),
        )
        for where, day in starts
        if not low <= day <= high
    ]


def to_domain(
    spec: CallSpec,
    origin: Origin | None = None,
    criteria: tuple[Criterion, ...] = (),
    share: Interner | None = None,
) -> Call:
    """Convert a validated spec into the domain object every command uses.

    *share* makes equal values (funder lists, criteria, time zones) one object
    across the calls of a file: less memory, and a smaller, faster cache.
    """
    if share is None:
        share = Interner()
    rounds = tuple(
        sorted(
            (
                Round(
                    day=d.date,
                    at=d.time,
                    tz=share(d.timezone or spec.timezone),
                    label=share(d.label),
                    opens=d.opens,
                    invited=d.invited,
                )
                for d in spec.deadlines
            ),
            key=lambda r: r.closes_at,
        )
    )
    funding = None
    if spec.funding is not None:
        f = spec.funding
        funding = share(
            Funding(
                eligible_costs=share(tuple(f.eligible_costs)),
                ineligible_costs=share(tuple(f.ineligible_costs)),
                rate=f.rate,
                min_eligible_cost=f.min_eligible_cost,
                max_eligible_cost=f.max_eligible_cost,
                min_aid=f.min_aid,
                max_aid=f.max_aid,
                currency=f.currency,
                note=f.note,
            )
        )
    occurrences, through = None, 0
    start = rounds[0].day if rounds else spec.opens
    if spec.rrule is not None and start is not None:
        occurrences, through = recurrence_index(spec.rrule, start)
    return Call(
        id=spec.id,
        title=_one_line(spec.title),
        rounds=rounds,
        timezone=share(spec.timezone),
        programme=share(spec.programme),
        measure=share(spec.measure),
        description=spec.description,
        url=spec.url,
        sources=share(tuple(spec.sources)),
        funders=share(tuple(spec.funders)),
        territory=share(tuple(spec.territory)),
        beneficiaries=share(tuple(spec.beneficiaries)),
        themes=share(tuple(spec.themes)),
        aid_types=share(tuple(spec.aid_types)),
        recurrence=spec.recurrence,
        remind_days=None
        if spec.remind_days is None
        else share(tuple(sorted(set(spec.remind_days), reverse=True))),
        ongoing=spec.ongoing,
        rrule=share(spec.rrule),
        opens=spec.opens,
        funding=funding,
        criteria=share(tuple(share(c) for c in criteria)),
        source_id=spec.source_id,
        action_type=share(spec.action_type),
        checked=spec.checked,
        withdrawn=spec.withdrawn,
        call_for_projects=spec.call_for_projects,
        application_url=spec.application_url,
        perimeter=spec.perimeter,
        origin=origin,
        occurrences=occurrences,
        occurrences_through=through,
    )


_SPACES = re.compile(r"\s+")


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def describe_type(value: Any) -> str:
    """How a TOML value reads to a person, for error messages."""
    if isinstance(value, bool):
        return N_("the boolean {value}").format(value=str(value).lower())
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return N_("the string {value!r}").format(value=shown)
    if isinstance(value, dt.datetime):
        return N_("a date-time")
    if isinstance(value, dt.date):
        return N_("a date")
    if isinstance(value, dt.time):
        return N_("a time")
    if isinstance(value, int | float):
        return N_("the number {value}").format(value=value)
    if isinstance(value, list):
        return N_("an array")
    if isinstance(value, dict):
        return N_("a table")
    return type(value).__name__
