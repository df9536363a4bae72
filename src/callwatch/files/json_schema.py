"""JSON Schema of callwatch's TOML files, for editors (Taplo / Even Better TOML).

Generated from the pydantic models the loader validates with, so an editor
and ``callwatch validate`` agree on field names and types. The schema is made
portable: JSON Schema draft-07 (``definitions`` rather than ``$defs``), which
Taplo and other validators read, and TOML local times are declared with the
``partial-time`` format (a time without offset) instead of ``time``, which
would demand an offset; TOML has no null, so "or null" alternatives go; money
is a number. Checks that need code (time zones, territory codes,
dates in order) stay with ``callwatch validate``. See docs/editor.md.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from callwatch.domain.errors import CallwatchError, Exit
from callwatch.files.callspec import CallSpec, TerritorySpec
from callwatch.files.projectspec import ProjectSpec
from callwatch.i18n import N_

DRAFT = "http://json-schema.org/draft-07/schema#"
KINDS = ("calls", "project")

# Hover texts for the fields of a call (the models carry none).
CALL_FIELDS = {
    "id": "Unique slug across all calls files: letters, digits, '.', '_', ':' or '-'.",
    "title": "The call's title, as published.",
    "programme": "Programme the call belongs to (e.g. PDR FEADER 2014-2020).",
    "measure": "Measure or action code within the programme (e.g. 16.4).",
    "description": "What the call funds, as published (plain text).",
    "url": "The call's text or page (http:// or https://). Never invent one: use `sources`.",
    "sources": "Where the call is published or described: titles of documents, links.",
    "funders": "Who pays.",
    "territory": "ISO 3166 codes (FR, FR-ARA, FR-63), commune:63003, epci:200070761, "
    "names (Ambert), département numbers, postal codes, team territory ids.",
    "beneficiaries": "Who may apply: commune, epci, department, region, special, association, "
    "private_person, farmer, private_sector, public_cies, public_org, researcher, legal_person.",
    "themes": "Free keywords, matched by `list --theme`.",
    "aid_types": "Kinds of aid, as the source labels them (Subvention, Prêt, Ingénierie...).",
    "recurrence": "How the source labels the call: permanent, one_off or recurring.",
    "timezone": "IANA time zone of the deadlines (default Europe/Paris).",
    "remind_days": "Days before each deadline when reminders are due (default 30, 7, 1).",
    "ongoing": "A permanent call without deadline.",
    "rrule": "Recurrence rule (RFC 5545), e.g. FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15.",
    "opens": "Opening date of the call.",
    "deadlines": "Rounds: { date = 2019-03-15 } (open until the end of that day) or "
    '{ date = 2024-01-25, time = 17:00:00, timezone = "Europe/Brussels" }; '
    "`invited = true` for a stage open only to invited applicants.",
    "funding": "Rate, floors and ceilings, eligible costs (only what the source says).",
    "criteria": "Eligibility criteria, read by `callwatch check` (docs/rules.md).",
    "source_id": "portal:id of an imported call; re-imports update the call with this id.",
    "action_type": "Type of action as the portal names it (Horizon Europe: RIA, IA, CSA...); "
    "standard eligibility conditions are derived from it.",
    "checked": "The last day the call's facts were seen at its source (export date, fetch); "
    "list and show mark calls not checked for long.",
    "withdrawn": "The day a complete fetch of its source no longer returned the call: "
    "kept for the record, never listed as open.",
    "call_for_projects": "true: an appel à projets / à manifestation d'intérêt (competitive); "
    "false: an aid granted on request; absent: not stated.",
    "application_url": "Where to apply, when it is not the call's page (http:// or https://).",
    "perimeter": "The area as the portal names it, kept as written (e.g. "
    "'Sallanches (Commune – 74700)'); `territory` holds the codes when certain.",
    "notes": "Your own notes.",
}


def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of a calls file (``calls``) or a project file (``project``)."""
    if kind == "calls":
        return calls_schema()
    if kind == "project":
        return project_schema()
    raise CallwatchError(
        N_("unknown schema {kind!r}: expected one of {names}").format(
            kind=kind, names=", ".join(KINDS)
        ),
        Exit.USAGE,
    )


def calls_schema() -> dict[str, Any]:
    class CallsDocument(BaseModel):
        """A calls file: [[calls]] tables, [[territories]] tables (the team's own
        territories) and nothing else."""

        model_config = ConfigDict(extra="forbid", title="callwatch calls file")
        calls: list[CallSpec] = []
        territories: list[TerritorySpec] = []

    out = portable(CallsDocument.model_json_schema())
    call = out.get("definitions", {}).get("CallSpec", {})
    for name, prop in call.get("properties", {}).items():
        if name in CALL_FIELDS:
            prop["description"] = CALL_FIELDS[name]
    return out


def project_schema() -> dict[str, Any]:
    return portable(ProjectSpec.model_json_schema())


def portable(generated: dict[str, Any]) -> dict[str, Any]:
    """Draft-07 form of a pydantic schema, readable by Taplo (see the module docstring)."""

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            node = _decimal(_without_null(node))
            out: dict[str, Any] = {}
            for key, value in node.items():
                if key == "$defs":
                    out["definitions"] = walk(value)
                elif key == "$ref" and isinstance(value, str):
                    out[key] = value.replace("#/$defs/", "#/definitions/")
                elif key == "format" and value == "time":
                    out[key] = "partial-time"
                else:
                    out[key] = walk(value)
            return out
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    body = walk(generated)
    return {"$schema": DRAFT, **body}


def _without_null(node: dict[str, Any]) -> dict[str, Any]:
    """TOML has no null: ``anyOf [X, null]`` becomes X, and ``default: null`` goes."""
    node = {k: v for k, v in node.items() if not (k == "default" and v is None)}
    choices = node.get("anyOf")
    if isinstance(choices, list):
        kept = [c for c in choices if c != {"type": "null"}]
        if len(kept) == 1 and isinstance(kept[0], dict):
            rest = {k: v for k, v in node.items() if k != "anyOf"}
            return {**kept[0], **rest}
        node["anyOf"] = kept
    return node


_BOUNDS = {"gt": "exclusiveMinimum", "ge": "minimum", "lt": "exclusiveMaximum", "le": "maximum"}


def _decimal(node: dict[str, Any]) -> dict[str, Any]:
    """Money and rates: a TOML number (the loader refuses quoted amounts).

    pydantic describes a constrained Decimal as "number or string" with its
    bounds under pydantic's own names (gt, le...); JSON Schema names them
    exclusiveMinimum, maximum...
    """
    if node.get("anyOf") != [{"type": "number"}, {"type": "string"}]:
        return node
    out = {k: v for k, v in node.items() if k != "anyOf" and k not in _BOUNDS}
    out["type"] = "number"
    out.update({_BOUNDS[k]: v for k, v in node.items() if k in _BOUNDS})
    return out
