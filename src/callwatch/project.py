"""The project file (docs/project-format.md): what a group plans to do, and with whom.

Read by ``callwatch check`` to decide eligibility. A fact the file does not
give is *unknown*, never false or zero: an absent ``control`` key means "control
links not declared", while ``control = []`` declares that there are none; an
absent ``[[partners]]`` or ``[[budget]]`` is likewise unknown. The input model
(:class:`ProjectSpec`) is pydantic, strict, with unknown keys refused; the rest
of the program works on the light frozen dataclasses below.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from callwatch import codes
from callwatch.errors import CallwatchError, DataError, Problem
from callwatch.errtext import Lines, dotted, explain, suggest
from callwatch.model import Origin
from callwatch.schema import ID_PATTERN, BeneficiaryCode, Money, Rate, TerritoryCode, Text

Path = tuple[str | int, ...]

# Beneficiary codes that are public bodies (a common public owner does not by
# itself make two entities dependent), and codes that certainly are not. Other
# codes (``researcher``: a public lab or a private one) leave it unknown unless
# the file says ``public = true|false``.
PUBLIC_BODY_TYPES = frozenset({"commune", "epci", "department", "region", "special", "public_org"})
NOT_PUBLIC_BODY_TYPES = frozenset(
    {"association", "private_person", "farmer", "private_sector", "public_cies"}
)
BASES = ("shares", "voting_rights", "decision_power")

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


class ProjectSpec(_Strict):
    """A whole project file."""

    control: list[ControlSpec] | None = None
    project: ProjectInfoSpec
    partners: list[PartnerSpec] | None = None
    entities: list[EntitySpec] = []
    budget: list[BudgetSpec] | None = None
    answers: dict[str, Answer] = {}


# -- domain -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Partner:
    id: str
    name: str
    type: str | None = None
    legal_form: str | None = None
    roles: tuple[str, ...] | None = None
    territory: str | None = None
    lead: bool = False
    public: bool | None = None  # a public body? explicit, else derived from the type

    @property
    def country(self) -> str | None:
        """The country the partner's territory lies in (FR-63 → FR)."""
        if self.territory is None:
            return None
        return codes.territory_ancestry(self.territory)[-1]


@dataclass(frozen=True, slots=True)
class Entity:
    """Anything that may hold or be held: a partner or an outside entity."""

    id: str
    name: str | None = None
    public: bool | None = None
    partner: bool = False


@dataclass(frozen=True, slots=True)
class ControlLink:
    controller: str
    controlled: str
    basis: str  # shares | voting_rights | decision_power
    share: Decimal | None = None


@dataclass(frozen=True, slots=True)
class BudgetLine:
    label: str
    category: str
    amount: Decimal
    partner: str | None = None


@dataclass(frozen=True, slots=True)
class Project:
    title: str
    territory: str | None = None
    themes: tuple[str, ...] | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    submission: dt.date | None = None
    description: str | None = None
    partners: tuple[Partner, ...] | None = None  # None: not given (unknown)
    outside: tuple[Entity, ...] = ()  # [[entities]]
    control: tuple[ControlLink, ...] | None = None  # None: not declared (unknown)
    budget: tuple[BudgetLine, ...] | None = None  # None: not given (unknown)
    answers: dict[str, Any] = field(default_factory=dict)
    origin: Origin | None = None

    def entities(self) -> dict[str, Entity]:
        """Every entity that may appear in a control link, partners first."""
        out = {p.id: Entity(p.id, p.name, p.public, partner=True) for p in self.partners or ()}
        for e in self.outside:
            out.setdefault(e.id, e)
        return out

    def partner(self, ident: str) -> Partner | None:
        for p in self.partners or ():
            if p.id == ident:
                return p
        return None


def public_body(kind: str | None, declared: bool | None) -> bool | None:
    """Is an entity a public body? What the file says, else what its type implies."""
    if declared is not None:
        return declared
    if kind in PUBLIC_BODY_TYPES:
        return True
    if kind in NOT_PUBLIC_BODY_TYPES:
        return False
    return None


# -- loading ------------------------------------------------------------------------


def is_project_document(data: dict[str, Any]) -> bool:
    """A project file is recognised by its top-level ``[project]`` table."""
    return isinstance(data.get("project"), dict)


def project_file_problems(path: FilePath) -> list[Problem] | None:
    """For ``validate``: the problems of *path* if it is a project file, None if it is not
    one (or cannot be read as TOML at all: the calls loader reports that)."""
    from callwatch.loading import read_toml

    try:
        text, data = read_toml(path)
    except CallwatchError:
        return None
    if not is_project_document(data):
        return None
    return parse_project(data, text, str(path))[1]


def load_project(path: FilePath) -> Project:
    """Read a project file; a :class:`DataError` lists every problem with its line."""
    from callwatch.loading import read_toml

    try:
        text, data = read_toml(path)
    except CallwatchError as exc:
        raise DataError([Problem(str(path), exc.line, exc.message)]) from None
    project, problems = parse_project(data, text, str(path))
    if project is None or problems:
        raise DataError(problems)
    return project


def parse_project(
    data: dict[str, Any], text: str, filename: str
) -> tuple[Project | None, list[Problem]]:
    """Validate a parsed project document: the project, or the problems found."""
    from pydantic import ValidationError

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
    """What the shared wording of errors cannot know about a project's fields."""
    if loc and loc[-1] == "share":
        return " (a fraction: 0.6 for 60 %)"
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
        add(("project", "end"), f"the project ends ({info.end}) before it starts ({info.start})")

    ids: dict[str, Path] = {}
    leads = 0
    for i, p in enumerate(spec.partners or ()):
        if p.id in ids:
            add(("partners", i, "id"), f"duplicate id {p.id!r} (already {dotted(ids[p.id])})")
        ids.setdefault(p.id, ("partners", i))
        leads += p.lead
        if leads > 1 and p.lead:
            add(("partners", i, "lead"), "only one partner can be the lead (lead = true)")
    for i, e in enumerate(spec.entities):
        if e.id in ids:
            add(("entities", i, "id"), f"duplicate id {e.id!r} (already {dotted(ids[e.id])})")
        ids.setdefault(e.id, ("entities", i))

    held: dict[tuple[str, str], Decimal] = {}
    for i, link in enumerate(spec.control or ()):
        for end in ("controller", "controlled"):
            name = getattr(link, end)
            if name not in ids:
                add(
                    ("control", i, end),
                    f"unknown entity {name!r}: name a partner, or declare an outside "
                    "entity in [[entities]]",
                )
        if link.controller == link.controlled:
            add(("control", i, "controlled"), "an entity cannot control itself")
        if link.basis == "decision_power":
            if link.share is not None:
                add(("control", i, "share"), "decision_power takes no share (it is control)")
        elif link.share is None:
            add(("control", i), f"missing required field 'share' (basis {link.basis!r})")
        else:
            key = (link.controlled, link.basis)
            held[key] = held.get(key, Decimal(0)) + link.share
            if held[key] > 1:
                add(
                    ("control", i, "share"),
                    f"the {link.basis.replace('_', ' ')} of {link.controlled!r} add up to "
                    f"{(held[key] * 100).normalize():f} %, more than 100 %",
                )
    for i, line in enumerate(spec.budget or ()):
        if line.partner is not None and line.partner not in ids:
            add(("budget", i, "partner"), f"unknown partner {line.partner!r}")
    for name in spec.answers:
        if not name.strip():
            add(("answers",), "an answer needs the id of the criterion it answers")
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


def template_text() -> str:
    """The commented example project that ``callwatch init`` writes."""
    from importlib import resources

    return resources.files("callwatch").joinpath("project_template.toml").read_text("utf-8")
