"""The project file's input model: pydantic, strict, unknown keys refused.

Kept apart from the domain (:mod:`callwatch.domain.project`) so that what only reads a
validated project (``check`` on a cached project) never imports pydantic.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from callwatch.domain import codes
from callwatch.domain.errors import Problem
from callwatch.domain.model import ID_PATTERN, Origin
from callwatch.domain.project import (
    BudgetLine,
    ControlLink,
    Entity,
    Partner,
    Path,
    Project,
    public_body,
)
from callwatch.files.callspec import BeneficiaryCode, Money, Rate, TerritoryCode, Text
from callwatch.files.errtext import Lines, dotted, explain, suggest
from callwatch.i18n import N_

Ident = Annotated[str, Field(pattern=ID_PATTERN)]
Answer = bool | int | float | str | dt.date


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class ProjectInfoSpec(_Strict):
    """The ``[project]`` table."""

    title: Text
    territory: TerritoryCode | None = None
    themes: list[Text] | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    submission: dt.date | None = None
    description: str | None = None


class PartnerSpec(_Strict):
    """One ``[[partners]]`` table: an entity of the partnership."""

    id: Ident
    name: Text
    type: BeneficiaryCode | None = None
    legal_form: Text | None = None
    roles: list[Text] | None = None
    territory: TerritoryCode | None = None
    lead: bool = False
    public: bool | None = None


class EntitySpec(_Strict):
    """One ``[[entities]]`` table: an entity outside the partnership that controls or is
    controlled (a parent company, a cooperative, a commune)."""

    id: Ident
    name: Text | None = None
    type: BeneficiaryCode | None = None
    public: bool | None = None


class ControlSpec(_Strict):
    """One ``[[control]]`` table: *controller* holds *share* of *controlled*."""

    controller: Ident
    controlled: Ident
    basis: Literal["shares", "voting_rights", "decision_power"]
    share: Rate | None = None


class BudgetSpec(_Strict):
    """One ``[[budget]]`` line; amounts in the call's currency."""

    label: Text
    category: Text
    amount: Money
    partner: Ident | None = None


# How many partners, entities, control links and budget lines a project file may
# hold: far above any real partnership, low enough that checking stays bounded.
MAX_ITEMS = 5000


class ProjectSpec(_Strict):
    """A whole project file."""

    control: Annotated[list[ControlSpec], Field(max_length=MAX_ITEMS)] | None = None
    project: ProjectInfoSpec
    partners: Annotated[list[PartnerSpec], Field(max_length=MAX_ITEMS)] | None = None
    entities: Annotated[list[EntitySpec], Field(max_length=MAX_ITEMS)] = []
    budget: Annotated[list[BudgetSpec], Field(max_length=MAX_ITEMS)] | None = None
    answers: dict[str, Answer] = {}


def parse_project(
    data: dict[str, Any], text: str, filename: str
) -> tuple[Project | None, list[Problem]]:
    """Validate a parsed project document: the project, or the problems found."""
    lines = Lines(text)
    try:
        spec = ProjectSpec.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            message = explain(err, loc, _known_fields()) + _hint(err, loc)
            problems.append(Problem(filename, lines(loc) or 1, message))
        return None, problems
    found = semantic_problems(spec)
    if found:
        located = [
            Problem(filename, lines(loc) or 1, f"{dotted(loc)}: {message}")
            for loc, message in found
        ]
        return None, sorted(located, key=lambda p: p.line or 0)
    return to_domain(spec, Origin(filename, 1)), []


def _known_fields() -> list[str]:
    names: set[str] = set()
    for model in (ProjectSpec, ProjectInfoSpec, PartnerSpec, EntitySpec, ControlSpec, BudgetSpec):
        names.update(model.model_fields)
    return sorted(names)


def _hint(err: Any, loc: Path) -> str:
    """What the shared wording of errors cannot know about a project's fields (a
    share written as a percentage is :func:`~callwatch.files.errtext.fraction_hint`'s,
    as for a call's rate)."""
    if loc and loc[-1] == "type" and err["type"] == "value_error":
        return suggest(str(err.get("input")), codes.BENEFICIARIES)  # a mistyped code
    return ""


def semantic_problems(spec: ProjectSpec) -> list[tuple[Path, str]]:
    """What pydantic cannot see: references between tables, shares, dates."""
    out: list[tuple[Path, str]] = []

    def add(path: Path, message: str) -> None:
        out.append((path, message))

    info = spec.project
    if info.start and info.end and info.start > info.end:
        add(
            ("project", "end"),
            N_("the project ends ({end}) before it starts ({start})").format(
                end=info.end, start=info.start
            ),
        )

    ids: dict[str, Path] = {}
    leads = 0
    for i, p in enumerate(spec.partners or ()):
        if p.id in ids:
            add(("partners", i, "id"), _duplicate(p.id, dotted(ids[p.id])))
        ids.setdefault(p.id, ("partners", i))
        leads += p.lead
        if leads > 1 and p.lead:
            add(("partners", i, "lead"), N_("only one partner can be the lead (lead = true)"))
    for i, e in enumerate(spec.entities):
        if e.id in ids:
            add(("entities", i, "id"), _duplicate(e.id, dotted(ids[e.id])))
        ids.setdefault(e.id, ("entities", i))

    held: dict[tuple[str, str], Decimal] = {}
    for i, link in enumerate(spec.control or ()):
        for end in ("controller", "controlled"):
            name = getattr(link, end)
            if name not in ids:
                add(
                    ("control", i, end),
                    N_(
                        "unknown entity {name!r}: name a partner, or declare an outside "
                        "entity in [[entities]]"
                    ).format(name=name),
                )
        if link.controller == link.controlled:
            add(("control", i, "controlled"), N_("an entity cannot control itself"))
        if link.basis == "decision_power":
            if link.share is not None:
                add(("control", i, "share"), N_("decision_power takes no share (it is control)"))
        elif link.share is None:
            add(
                ("control", i),
                N_("missing required field 'share' (basis {basis!r})").format(basis=link.basis),
            )
        else:
            key = (link.controlled, link.basis)
            held[key] = held.get(key, Decimal(0)) + link.share
            if held[key] > 1:
                add(
                    ("control", i, "share"),
                    N_("the {basis} of {name!r} add up to {percent} %, more than 100 %").format(
                        basis=link.basis.replace("_", " "),
                        name=link.controlled,
                        percent=f"{(held[key] * 100).normalize():f}",
                    ),
                )
    for i, line in enumerate(spec.budget or ()):
        if line.partner is not None and line.partner not in ids:
            add(("budget", i, "partner"), N_("unknown partner {name!r}").format(name=line.partner))
    for name in spec.answers:
        if not name.strip():
            add(("answers",), N_("an answer needs the id of the criterion it answers"))
    return out


def _number(value: Answer) -> Any:
    """Numbers in answers become exact Decimals, as thresholds in criteria are."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    return value


def to_domain(spec: ProjectSpec, origin: Origin | None = None) -> Project:
    info = spec.project
    partners = None
    if spec.partners is not None:
        partners = tuple(
            Partner(
                id=p.id,
                name=p.name,
                type=p.type,
                legal_form=p.legal_form,
                roles=None if p.roles is None else tuple(p.roles),
                territory=p.territory,
                lead=p.lead,
                public=public_body(p.type, p.public),
            )
            for p in spec.partners
        )
    control = None
    if spec.control is not None:
        control = tuple(
            ControlLink(c.controller, c.controlled, c.basis, c.share) for c in spec.control
        )
    budget = None
    if spec.budget is not None:
        budget = tuple(BudgetLine(b.label, b.category, b.amount, b.partner) for b in spec.budget)
    return Project(
        title=info.title,
        territory=info.territory,
        themes=None if info.themes is None else tuple(info.themes),
        start=info.start,
        end=info.end,
        submission=info.submission,
        description=info.description,
        partners=partners,
        outside=tuple(Entity(e.id, e.name, public_body(e.type, e.public)) for e in spec.entities),
        control=control,
        budget=budget,
        answers={k: _number(v) for k, v in spec.answers.items()},
        origin=origin,
    )


def _duplicate(ident: str, where: str) -> str:
    return N_("duplicate id {ident!r} (already {where})").format(ident=ident, where=where)
