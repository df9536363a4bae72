"""The project file (docs/project-format.md): what a group plans to do, and with whom.

Read by ``callwatch check`` to decide eligibility. A fact the file does not
give is *unknown*, never false or zero: an absent ``control`` key means "control
links not declared", while ``control = []`` declares that there are none; an
absent ``[[partners]]`` or ``[[budget]]`` is likewise unknown. The input model
(:mod:`callwatch.files.projectspec`) is pydantic, strict, with unknown keys refused; the
rest of the program works on the light frozen dataclasses below, and a project
file that validated is cached as those (:mod:`callwatch.store.cache`), so checking it
again imports no pydantic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from callwatch.domain.eu_countries import horizon_status
from callwatch.domain.model import Origin
from callwatch.domain.territories import ancestry

Path = tuple[str | int, ...]

# Beneficiary codes that are public bodies (a common public owner does not by
# itself make two entities dependent), and codes that certainly are not. Other
# codes (``researcher``: a public lab or a private one) leave it unknown unless
# the file says ``public = true|false``.
PUBLIC_BODY_TYPES = frozenset({"commune", "epci", "department", "region", "special", "public_org"})
NOT_PUBLIC_BODY_TYPES = frozenset(
    {"association", "private_person", "farmer", "private_sector", "public_cies"}
)

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
        return ancestry(self.territory)[-1]

    @property
    def horizon_status(self) -> str | None:
        """Member State, Associated Country… of the partner's country (None: unknown)."""
        return horizon_status(self.country)


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
