"""Standard conditions of a type of action, derived when a call loads.

The Horizon Europe General Annexes (part B, Eligibility) set the consortium a topic
requires unless its own text says otherwise: for Research and Innovation Actions and
Innovation Actions, at least three independent legal entities, each established in a
different Member State or Associated Country, one of them at least in a Member State;
for Coordination and Support Actions, at least one legal entity established in a
Member State or an Associated Country. Other types (EIC, MSCA, CoFund, PCP…) get no
criterion rather than a wrong one: ``check`` then says "general conditions only".

Derived at load from the call's ``action_type`` rather than written into each shipped
call, so that imported and fetched topics get them too, and a correction reaches every
call at once. Each derived criterion is marked ``standard`` (its key), so a reader can
tell it from a topic's own text; a call whose own criteria use the same id keeps its own.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from callwatch.domain.criteria import Criterion
from callwatch.domain.eu_countries import ASSOCIATED, ASSOCIATED_PILLAR_2, MEMBER_STATE
from callwatch.rules.compiler import compile_criteria
from callwatch.rules.phrases import Say

SOURCE = (
    "Horizon Europe, General Annexes to the Work Programme, part B (Eligibility) "
    "— Commission decisions C(2021)1940 and C(2022)7550; standard condition for this "
    "type of action, unless the topic says otherwise"
)
# Topics of Pillar II (clusters and missions), to which some countries are associated
# only (docs/rules.md, "Horizon Europe topics").
PILLAR_2 = re.compile(r"^HORIZON-(CL[1-6]|MISS)-")
# Types of action as codes (the shipped data) or as the portal's search API labels
# them in ``typesOfAction`` ("HORIZON  Research and Innovation Actions"), compared
# without case, spaces or the "HORIZON" prefix. Any other type gets no criterion.
RIA_IA = frozenset({"ria", "ia", "research and innovation actions", "innovation actions"})
CSA = frozenset({"csa", "coordination and support actions"})

# key -> id; the label is callwatch's words, not call data: phrases.py holds it in
# English (``label_`` + key), the catalog in French, and :func:`shown_label` words it
# in the reader's language wherever it is shown (check, show, show --json).
_RULES: dict[str, str] = {
    "horizon.ria_ia": "horizon.consortium",
    "horizon.csa": "horizon.consortium",
}


def shown_label(criterion: Criterion, lang: str) -> str:
    """A criterion's label for a reader: a standard condition's in the reader's language
    (callwatch wrote it); a call's own label as the call wrote it."""
    if criterion.standard is None:
        return criterion.label
    return Say(lang)(f"label_{criterion.standard}")


def shown_source(criterion: Criterion, lang: str) -> str | None:
    """A criterion's source for a reader: a standard condition's in the reader's language
    (as ``check`` words it); a call's own source as the call wrote it."""
    if criterion.standard is None:
        return criterion.source
    return Say(lang)("source_standard")


def standard_note(criterion: Criterion, action_type: str | None, lang: str) -> str | None:
    """Where a standard condition comes from, one line for ``show`` (None for a call's
    own criterion): derived from the type of action, not written in the topic."""
    if criterion.standard is None:
        return None
    return Say(lang)("standard_note", id=criterion.id, action=action_type or "?")


def action_kind(call_id: str, action_type: str | None) -> str | None:
    """Which standard condition a Horizon Europe topic gets from its type of action."""
    if action_type is None or not call_id.startswith("HORIZON-"):
        return None
    words = action_type.replace("-", " ").casefold().split()
    name = " ".join(words[1:] if words[:1] == ["horizon"] else words)
    if name in RIA_IA:
        return "horizon.ria_ia"
    if name in CSA:
        return "horizon.csa"
    return None


def standard_criteria(call_id: str, action_type: str | None) -> tuple[Criterion, ...]:
    """The standard criteria of a call (none for most calls)."""
    kind = action_kind(call_id, action_type)
    if kind is None:
        return ()
    return (_criterion(kind, bool(PILLAR_2.match(call_id))),)


def eligible_statuses(pillar_2: bool) -> list[str]:
    """Where a partner may be established to count: Member States and the countries
    associated to the programme (or to Pillar II, for a Pillar II topic)."""
    return [MEMBER_STATE, ASSOCIATED, *([ASSOCIATED_PILLAR_2] if pillar_2 else [])]


def checks(kind: str, pillar_2: bool) -> dict[str, Any]:
    """The check of a standard condition, as it would be written in a calls file."""
    where = {"path": "partners.horizon_status", "in": eligible_statuses(pillar_2)}
    if kind == "horizon.csa":
        return {"count": "partners", "where": where, "at_least": 1}
    return {
        "count": "partners",
        "independent": True,
        "distinct": "partners.country",
        "where": where,
        "including": {"path": "partners.horizon_status", "eq": MEMBER_STATE},
        "at_least": 3,
    }


@lru_cache(maxsize=8)
def _criterion(kind: str, pillar_2: bool) -> Criterion:
    """Compiled once per kind: every call with it shares one object (and its verdicts)."""
    entry = {
        "id": _RULES[kind],
        "label": Say("en")(f"label_{kind}"),
        "source": SOURCE,
        "check": checks(kind, pillar_2),
    }
    spec = SimpleNamespace(territory=(), beneficiaries=(), funding=None, criteria=[entry])
    compiled, problems = compile_criteria(spec)
    if problems:  # a mistake in this module, never in the user's data
        raise AssertionError(problems)
    return replace(compiled[0], standard=kind)
