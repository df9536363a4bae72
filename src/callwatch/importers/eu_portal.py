"""EU Funding & Tenders portal: bulk records and search-API records (docs/import.md).

Bulk file (``fundingData.GrantTenderObj``): ``type`` 1 or 2 is a grant topic,
0 a call for tenders. A grant's ``deadlineDatesLong`` are epoch milliseconds
at midnight UTC of each cut-off day; the portal's deadline is 17:00 Brussels
time on that day, so each becomes one round ``{ date, time = 17:00 }`` in a
call whose time zone is Europe/Brussels. A value that is not midnight UTC is
an exact instant (tenders use those) and is kept as that instant's Brussels
date and time. ``plannedOpeningDateLong`` gives ``opens``. The portal's stored
``status`` is ignored: status is derived from the dates.

Search-API records (every metadata value is an array) are read too: their
``deadlineDate`` strings give the cut-off days (their clock time is not the
portal's 17:00, so only the date is used), ``startDate`` gives ``opens``.

Search-API records may carry ``actions`` (a JSON string): every
``deadlineDates`` entry of every action is a round; ``types[].typeOfAction``
gives ``action_type``; a two-stage topic (``deadlineModel`` ``two-stage``)
becomes two rounds labelled stage 1 and stage 2, the second marked
``invited = true`` (open only to applicants invited after stage 1, so the
topic is not shown as open to everyone once stage 1 has closed). A
forthcoming topic without a deadline yet is kept as ``upcoming`` with its
opening date (``plannedOpeningDate`` or ``startDate``). ``frameworkProgramme``
is a number in search results: :data:`PROGRAMMES` names it.

Calls for tenders are procurement, not funding: they are skipped with that
reason unless ``tenders=True``. Type 8 (cascade funding: calls run by
intermediaries with EU money) is kept, with ``aid_types = ["Cascade funding"]``.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time
from functools import partial
from pathlib import Path
from typing import Any

from callwatch.domain.clock import zone
from callwatch.domain.errors import CallwatchError, Exit
from callwatch.domain.model import ID_PATTERN
from callwatch.domain.slug import safe_id
from callwatch.i18n import N_
from callwatch.importers import (
    Batch,
    Record,
    Unreadable,
    as_line,
    html_to_text,
    http_url,
    load_json,
    read_text,
    split_labels,
)

SOURCE = "eu-portal"
CITE = "EU Funding & Tenders portal"
BRUSSELS = "Europe/Brussels"
PORTAL_TIME = time(17, 0)
TOPIC_URL = (
    "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/"
    "topic-details/{}"
)
FUNDER = "Union européenne"
OWNED = frozenset(
    {"title", "programme", "description", "url", "funders", "timezone", "opens", "themes"}
    | {"deadlines", "action_type", "aid_types"}
)
GRANT_TYPES = (1, 2)
CASCADE_TYPE = 8
TENDER_TYPE = 0
FORTHCOMING = "31094501"
# frameworkProgramme numbers of the search API (the portal's reference data).
PROGRAMMES = {
    "43108390": "Horizon Europe",
    "43252405": "LIFE",
    "43353764": "Erasmus+",
    "43251589": "CERV",
    "43251814": "Creative Europe",
    "43298664": "AGRIP",
    "44773066": "JTM",
    "44416173": "Interregional Innovation Investments",
    "43392145": "EMFAF",
    "43332642": "EU4Health",
    "43252476": "Single Market Programme",
    "43254019": "ESF+",
    "43152860": "Digital Europe",
    "43251567": "CEF",
    "43089234": "Innovation Fund",
    "43298916": "Euratom",
}
# Long names of Horizon Europe's types of action, as search records give them.
ACTION_TYPES = {
    "research and innovation actions": "RIA",
    "innovation actions": "IA",
    "coordination and support actions": "CSA",
    "programme co-fund actions": "CoFund",
}


def read(path: Path, *, tenders: bool = False) -> Batch:
    """Read a bulk file, a list of records, or search-API results."""
    filename = str(path)
    data = load_json(read_text(path), filename)
    records = _records(data)
    if records is None:
        raise CallwatchError(
            N_(
                "not an EU Funding & Tenders file: expected fundingData.GrantTenderObj, "
                "a list of records, or search-API results"
            ),
            Exit.DATA,
            file=filename,
        )
    return from_records(records, filename, tenders=tenders)


def from_records(records: list[Any], filename: str, *, tenders: bool = False) -> Batch:
    """The calls among portal records (search results or the bulk file's list)."""
    batch = Batch(SOURCE, filename, OWNED, CITE)
    for index, raw in enumerate(records, start=1):
        where = N_("record {n}").format(n=index)
        fields = _fields(raw) if isinstance(raw, dict) else {}
        identifier = as_line(fields.get("identifier"))
        batch.take(
            where,
            partial(_record, where, raw, tenders),
            f"{SOURCE}:{identifier}" if identifier else None,
            as_line(fields.get("title")) or None,
        )
    return batch


def _records(data: Any) -> list[Any] | None:
    if isinstance(data, dict):
        funding = data.get("fundingData")
        if isinstance(funding, dict) and isinstance(funding.get("GrantTenderObj"), list):
            return list(funding["GrantTenderObj"])
        if isinstance(data.get("results"), list):
            return list(data["results"])
        if isinstance(data.get("metadata"), dict):
            return [data]
        return None
    return list(data) if isinstance(data, list) else None


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _fields(raw: dict[str, Any]) -> dict[str, Any]:
    """A record's fields in the bulk shape, whichever shape it came in."""
    meta = raw.get("metadata")
    if not isinstance(meta, dict):
        return raw
    programme = _first(meta.get("frameworkProgramme"))
    if isinstance(programme, str | int) and str(programme) in PROGRAMMES:
        programme = {"description": PROGRAMMES[str(programme)]}
    keywords = _first(meta.get("keywords"))
    if isinstance(keywords, str):
        try:
            keywords = json.loads(keywords)
        except (ValueError, RecursionError):  # not JSON, too deep, a 5,000-digit number
            keywords = [keywords]
    deadlines = meta.get("deadlineDate")
    return {
        "identifier": _first(meta.get("identifier")),
        "title": _first(meta.get("title")) or raw.get("content"),
        "type": _first(meta.get("type")),
        "callIdentifier": _first(meta.get("callIdentifier")),
        "search_deadlines": deadlines if isinstance(deadlines, list) else [],
        "search_opens": _first(meta.get("startDate")),
        "frameworkProgramme": programme if isinstance(programme, dict) else None,
        "tags": keywords if isinstance(keywords, list) else [],
        "search": True,
        "actions": _actions(meta.get("actions")),
        "deadlineModel": as_line(_first(meta.get("deadlineModel"))),
        "status": as_line(_first(meta.get("status"))),
        "typesOfAction": _first(meta.get("typesOfAction")),
    }


def _actions(value: Any) -> list[dict[str, Any]]:
    """The ``actions`` of a search record: a JSON string (or list) of objects."""
    if isinstance(value, list) and value and isinstance(value[0], str):
        value = value[0]
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return []  # unreadable actions: the record's own deadlineDate is used
    if isinstance(value, dict):
        value = [value]
    return [a for a in value if isinstance(a, dict)] if isinstance(value, list) else []


def action_type(f: dict[str, Any]) -> str | None:
    """``RIA``, ``IA``, ``CSA``... from the actions' types or the record's types of action."""
    names: list[str] = []
    for action in f.get("actions") or []:
        for kind in action.get("types") or []:
            if isinstance(kind, dict) and isinstance(kind.get("typeOfAction"), str):
                names.append(kind["typeOfAction"])
    if not names and isinstance(f.get("typesOfAction"), str):
        names.append(f["typesOfAction"])
    for name in names:
        text = as_line(" ".join(name.split()))
        first = text.split(" ", 1)[0]
        if _ACTION_CODE.fullmatch(first):  # "HORIZON-RIA HORIZON Research and ..."
            return first.removeprefix("HORIZON-")
        long_name = re.sub(r"^HORIZON ", "", text)
        return ACTION_TYPES.get(long_name.casefold(), long_name or None)
    return None


_ACTION_CODE = re.compile(r"[A-Z0-9]+(?:-[A-Za-z0-9]+)+")


def _record(where: str, raw: Any, tenders: bool) -> Record:
    if not isinstance(raw, dict):
        raise Unreadable(N_("not a JSON object"))
    f = _fields(raw)
    identifier = as_line(f.get("identifier"))
    if not identifier:
        raise Unreadable(N_("no identifier"))
    raw_title = f.get("title")
    title = as_line(html_to_text(raw_title)) if isinstance(raw_title, str) else ""
    if not title:
        raise Unreadable(N_("empty title"))
    kind = _kind(f.get("type"))
    if kind == CASCADE_TYPE:
        table_extra: dict[str, Any] = {"aid_types": ["Cascade funding"]}
    else:
        table_extra = {}
    if kind == TENDER_TYPE and not tenders:
        raise Unreadable(
            N_(
                "call for tenders (type 0): procurement, not a funding call "
                "(use --tenders to import it)"
            )
        )
    warnings: list[str] = []
    call_id = identifier if re.fullmatch(ID_PATTERN, identifier) else safe_id(identifier)
    if not call_id:
        raise Unreadable(
            N_("identifier {identifier!r} gives no usable id").format(identifier=identifier)
        )
    if call_id != identifier:
        warnings.append(
            N_("identifier {identifier!r} written as id {ident!r}").format(
                identifier=identifier, ident=call_id
            )
        )
    table: dict[str, Any] = {"id": call_id, "title": title}
    programme = f.get("frameworkProgramme")
    if isinstance(programme, dict) and as_line(programme.get("description")):
        table["programme"] = as_line(programme.get("description"))
    description = _description(f, kind)
    if description:
        table["description"] = description
    own_url = http_url(f.get("url")) if kind == TENDER_TYPE else None
    table["url"] = own_url or TOPIC_URL.format(identifier)
    how = (
        "search API record" if f.get("search") else "bulk data record (fundingData.GrantTenderObj)"
    )
    table["sources"] = [f"{CITE}, {how}"]
    table["funders"] = [FUNDER]
    table["timezone"] = BRUSSELS
    opens = _opening(f)
    if opens is not None:
        table["opens"] = opens
    themes = split_labels(f.get("tags"))
    if themes:
        table["themes"] = themes
    kind_of_action = action_type(f)
    if kind_of_action:
        table["action_type"] = kind_of_action
    table.update(table_extra)
    table["source_id"] = f"{SOURCE}:{identifier}"
    deadlines = _deadlines(f, warnings)
    if not deadlines:
        if f.get("search") and f.get("status") == FORTHCOMING and opens is not None:
            warnings.append(
                N_("forthcoming, no deadline yet: kept as upcoming from its opening date")
            )
            return Record(where, table, warnings)
        raise Unreadable(N_("no deadline (deadlineDatesLong is empty): nothing to watch yet"))
    table["deadlines"] = deadlines
    return Record(where, table, warnings)


def _kind(value: Any) -> int:
    try:
        kind = int(value)
    except (TypeError, ValueError):
        raise Unreadable(N_("unknown record type {value!r}").format(value=value)) from None
    if kind not in (*GRANT_TYPES, CASCADE_TYPE, TENDER_TYPE):
        raise Unreadable(
            N_(
                "unknown record type {kind}: expected 1 or 2 (grant), 8 (cascade funding), "
                "0 (tender)"
            ).format(kind=kind)
        )
    return kind


def _description(f: dict[str, Any], kind: int) -> str:
    if kind == TENDER_TYPE:
        text = f.get("descriptionTender")
        return html_to_text(text) if isinstance(text, str) else ""
    call = as_line(f.get("callIdentifier"))
    call_title = as_line(f.get("callTitle"))
    if call_title and call:
        return f"Call: {call_title} ({call})."
    if call or call_title:
        return f"Call: {call or call_title}."
    return ""


def _instant(ms: Any, name: str) -> datetime:
    if isinstance(ms, str) and ms.strip().isdigit():
        ms = int(ms)
    if not isinstance(ms, int) or isinstance(ms, bool):
        raise Unreadable(
            N_("{name}: expected epoch milliseconds, got {value!r}").format(name=name, value=ms)
        )
    try:
        return datetime.fromtimestamp(ms / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        raise Unreadable(
            N_("impossible date {value!r} ({name})").format(value=ms, name=name)
        ) from None


def _opening(f: dict[str, Any]) -> date | None:
    if f.get("search"):
        planned = [a.get("plannedOpeningDate") for a in f.get("actions") or []]
        text = next((p for p in planned if isinstance(p, str) and p), None)
        if text:
            return _iso_day(text, "plannedOpeningDate")
        text = f.get("search_opens")
        return None if not text else _iso_day(text, "startDate")
    ms = f.get("plannedOpeningDateLong")
    return None if ms is None else _instant(ms, "plannedOpeningDateLong").date()


def _iso_day(text: Any, name: str) -> date:
    try:
        return datetime.fromisoformat(str(text)).date()
    except ValueError:
        raise Unreadable(
            N_("impossible date {value!r} ({name})").format(value=text, name=name)
        ) from None


def _deadlines(f: dict[str, Any], warnings: list[str]) -> list[dict[str, Any]]:
    """One round per cut-off, in order, without repeats."""
    cutoffs: list[tuple[date, time]] = []
    if f.get("search"):
        listed = [d for a in f.get("actions") or [] for d in (a.get("deadlineDates") or [])]
        if not listed:
            listed = list(f["search_deadlines"])
        cutoffs = [(_iso_day(t, "deadlineDates"), PORTAL_TIME) for t in listed]
    else:
        values = f.get("deadlineDatesLong") or []
        if not isinstance(values, list):
            raise Unreadable(
                N_("{name}: expected a list, got {value!r}").format(
                    name="deadlineDatesLong", value=values
                )
            )
        for ms in values:
            moment = _instant(ms, "deadlineDatesLong")
            if moment.time() == time(0):  # the bulk file's way of giving a cut-off day
                cutoffs.append((moment.date(), PORTAL_TIME))
            else:
                local = moment.astimezone(zone(BRUSSELS))
                cutoffs.append((local.date(), local.time().replace(microsecond=0)))
    unique = sorted(set(cutoffs))
    if len(unique) < len(cutoffs):
        warnings.append(N_("repeated cut-off dates listed once"))
    rounds: list[dict[str, Any]] = [{"date": d, "time": t} for d, t in unique]
    if "two-stage" in (f.get("deadlineModel") or "").casefold():
        if len(rounds) == 2:
            rounds[0]["label"] = "stage 1"
            rounds[1]["label"] = "stage 2 (invited applicants only)"
            rounds[1]["invited"] = True
        else:
            warnings.append(
                N_("two-stage topic with {n} deadline(s): stages not labelled").format(
                    n=len(rounds)
                )
            )
    return rounds
