"""Merging imported calls into a calls file, by source id (docs/import.md).

Rules:
- A record whose ``source_id`` is already in the file updates that call: the
  fields the portal supplies (``Batch.owned``) are replaced (removed when the
  portal no longer gives them); every other field, the call's ``id``, and the
  comments stay as they are. Deadlines that are still listed keep the labels
  written by hand. The portal's citation is added to ``sources`` only when no
  source cites the portal yet.
- A call whose fields come out equal is *unchanged*: its bytes are not touched.
- New records are appended as ``[[calls]]`` tables rendered with tomli-w.
- A record whose source id is in another file of the user's data is skipped.
- A record also matches a call filed under one of its ``aliases`` (an
  Aides-territoires slug, before the numeric id): the call's ``source_id`` is
  updated, never duplicated.
- A fetch (``seen_on``) records the day each returned call was seen
  (``checked``) and clears a ``withdrawn`` mark; a *complete* fetch (every page,
  no filter) marks ``withdrawn = <day>`` on each call of that portal in the file
  that it no longer returned. A partial fetch never withdraws anything.

The file is edited by splicing: the text of every call that does not change
is copied byte for byte; only the ``[[calls]]`` table of an updated call is
re-rendered, with tomlkit (style-preserving: comments and key order survive).
tomlkit alone would not do for the whole file: it drops the space in
``{ date = 2022-11-30 }`` when it writes a document back (the space is kept as
comment padding, which inline tables do not render); :func:`_repair` puts it back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import tomli_w
import tomlkit
from tomlkit import items
from tomlkit.container import Container

from callwatch.domain.slug import MAX_ID
from callwatch.files.callsfile import appendix, call_problems, calls_document, check_loads
from callwatch.files.loading import CALLS_HEADER
from callwatch.i18n import N_, _, current_lang, localize, ngettext, t
from callwatch.importers import Batch, Record, Skip, record_problems

IMPORT_SCHEMA = "callwatch.import/1"
DETAIL_LINES = 20  # detail lines of a report shown without --verbose


@dataclass(frozen=True)
class Outcome:
    """What became of one readable record."""

    action: str  # "added" | "updated" | "unchanged" | "withdrawn"
    call_id: str
    source_id: str
    where: str
    fields: tuple[str, ...] = ()  # for "updated": the fields that changed
    warnings: tuple[str, ...] = ()


@dataclass
class Report:
    batch: Batch
    target: str | None
    outcomes: list[Outcome] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    def summary(self) -> str:
        """``12 read: 3 added, …`` in the reader's language."""
        withdrawn = self.count("withdrawn")
        text = _(
            "{read} read: {added} added, {updated} updated, {unchanged} unchanged, "
            "{skipped} skipped"
        ).format(
            read=self.batch.read,
            added=self.count("added"),
            updated=self.count("updated"),
            unchanged=self.count("unchanged"),
            skipped=len(self.skipped),
        )
        return text + (_(", {n} withdrawn").format(n=withdrawn) if withdrawn else "")

    def skipped_by_reason(self, shown: bool = False) -> list[tuple[str, int]]:
        """How many records were skipped for each kind of reason, most frequent first
        (*shown*: kinds in the reader's language; the JSON report keeps them in English)."""
        counts: dict[str, int] = {}
        for s in self.skipped:
            kind = reason_kind(localize(s.reason) if shown else s.reason)
            counts[kind] = counts.get(kind, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def lines(self, dry_run: bool, verbose: bool = False) -> list[str]:
        """The report for people, in their language: the summary, totals of skips by
        reason, then details (at most :data:`DETAIL_LINES` of them unless *verbose*).
        Reasons and warnings are worded in English when found (the JSON report keeps
        them so) and translated here."""
        target = f" → {self.target}" if self.target else ""
        note = _(" (dry run: nothing written)") if dry_run else ""
        colon = t("colon", current_lang())
        out = [f"{localize(Path(self.batch.file).name)}{colon}{self.summary()}{target}{note}"]
        if self.skipped:
            out.append(
                _("skipped by reason: {totals}").format(
                    totals=_("; ").join(
                        f"{kind} ({n})" for kind, n in self.skipped_by_reason(shown=True)
                    )
                )
            )
        unmapped = self.batch.unmapped_perimeters()
        if unmapped:
            out.append(
                ngettext(
                    "{n} perimeter not mapped to a territory code: kept as `perimeter`",
                    "{n} perimeters not mapped to a territory code: kept as `perimeter`",
                    unmapped,
                ).format(n=unmapped)
            )
        details: list[str] = []
        for o in self.outcomes:
            where = localize(o.where)
            if o.action == "updated":
                details.append(
                    _("updated {id} ({where}): {fields}").format(
                        id=o.call_id, where=where, fields=", ".join(o.fields)
                    )
                )
            elif o.action == "withdrawn":
                details.append(
                    _("withdrawn {id}: no longer returned by {source}").format(
                        id=o.call_id, source=self.batch.source
                    )
                )
            for warning in o.warnings:
                details.append(
                    _("warning {where} ({id}): {warning}").format(
                        where=where, id=o.call_id, warning=localize(warning)
                    )
                )
        for s in self.skipped:
            what = f" {s.title!r}" if s.title else ""
            details.append(
                _("skipped {where}{title}: {reason}").format(
                    where=localize(s.where), title=what, reason=localize(s.reason)
                )
            )
        if verbose or len(details) <= DETAIL_LINES:
            return out + details
        hidden = len(details) - DETAIL_LINES
        more = ngettext(
            "… and {n} more line: use --verbose", "… and {n} more lines: use --verbose", hidden
        ).format(n=hidden)
        return [*out, *details[:DETAIL_LINES], more]

    def to_json(self, dry_run: bool) -> dict[str, Any]:
        return {
            "schema": IMPORT_SCHEMA,
            "source": self.batch.source,
            "file": self.batch.file,
            "target": self.target,
            "dry_run": dry_run,
            "counts": {
                "read": self.batch.read,
                "added": self.count("added"),
                "updated": self.count("updated"),
                "unchanged": self.count("unchanged"),
                "skipped": len(self.skipped),
                "withdrawn": self.count("withdrawn"),
            },
            "skipped_by_reason": dict(self.skipped_by_reason()),
            "unmapped_perimeters": self.batch.unmapped_perimeters(),
            "calls": [
                {
                    "action": o.action,
                    "id": o.call_id,
                    "source_id": o.source_id,
                    "where": o.where,
                    "fields": list(o.fields),
                    "warnings": list(o.warnings),
                }
                for o in self.outcomes
            ],
            "skipped": [
                {"where": s.where, "source_id": s.source_id, "title": s.title, "reason": s.reason}
                for s in self.skipped
            ],
        }


def reason_kind(reason: str) -> str:
    """A skip reason without its specifics: what totals are counted by."""
    head = reason.split(":", 1)[0].split(" (", 1)[0]
    return re.sub(r"'[^']*'|\"[^\"]*\"|\d+", "…", head).strip()


def merge(
    batch: Batch,
    text: str,
    target: str | None,
    *,
    elsewhere: Mapping[str, str] | None = None,
    other_ids: Mapping[str, str] | None = None,
    seen_on: date | None = None,
    complete: bool = False,
    parsed: dict[str, Any] | None = None,
) -> tuple[str, Report]:
    """The new text of the calls file *text* with *batch* merged in, and the report.

    *elsewhere* maps source ids found in the user's other calls files to where
    they are; *other_ids* maps their (case-folded) call ids likewise. *seen_on*:
    the day of a fetch (each returned call gets ``checked``); *complete*: the
    fetch returned the portal's every record, so a call it did not return is
    marked withdrawn. *parsed*: *text* already parsed (it is not parsed again).
    """
    where = target or "(new file)"
    data = calls_document(text, where) if parsed is None else parsed
    if not isinstance(data.get("calls", []), list):
        data = calls_document(text, where)  # says what is wrong
    existing: list[dict[str, Any]] = data.get("calls", [])
    report = Report(batch, target, skipped=list(batch.skipped))
    by_source: dict[str, int] = {}
    for index, table in enumerate(existing):
        sid = table.get("source_id")
        if isinstance(sid, str):
            by_source.setdefault(sid, index)
    taken = {str(t.get("id", "")).casefold() for t in existing} | set(other_ids or {})
    offsets = [m.start() for m in CALLS_HEADER.finditer(text)]
    in_place = len(offsets) == len(existing)
    seen: dict[str, str] = {}
    edits: dict[int, str] = {}  # index of an updated call -> its new [[calls]] text
    added: list[dict[str, Any]] = []

    def skip(record: Record, reason: str) -> None:
        report.skipped.append(
            Skip(record.where, reason, record.source_id, str(record.table.get("title")))
        )

    owned = batch.owned | {"source_id"}
    if seen_on is not None:
        owned |= {"checked", "withdrawn"}
    matched: set[int] = set()
    written: dict[str, dict[str, Any]] = {}  # every call added or rewritten, as validated
    for record in batch.records:
        sid = record.source_id
        if sid in seen:
            skip(record, N_("same source id as {where}").format(where=seen[sid]))
            continue
        seen[sid] = record.where
        if seen_on is not None:
            record.table["checked"] = seen_on
        warnings = tuple(record.warnings)
        keys = (sid, *record.aliases)
        index_of = next(
            (by_source[k] for k in keys if k in by_source and by_source[k] not in matched), None
        )
        if index_of is not None:
            index = index_of
            matched.add(index)
            old = existing[index]
            new, changed = _updated(old, record.table, owned, batch.cite)
            call_id = str(old.get("id"))
            if not changed:
                report.outcomes.append(
                    Outcome("unchanged", call_id, sid, record.where, (), warnings)
                )
                continue
            # a new `checked` day alone is not a change of the call
            action = "unchanged" if set(changed) <= {"checked"} else "updated"
            own = record_problems(record.table)
            problems = own or call_problems(new)
            if own:
                skip(record, "; ".join(own))
            elif problems:
                skip(
                    record,
                    N_("update of {ident!r} refused: {problems}").format(
                        ident=call_id, problems="; ".join(problems)
                    ),
                )
            elif not in_place:
                skip(
                    record,
                    N_("cannot update {ident!r} in place: {reason}").format(
                        ident=call_id, reason=N_("its [[calls]] table was not found")
                    ),
                )
            else:
                try:
                    edits[index] = _rewrite(_segment(text, offsets, index), new, changed)
                    written[call_id] = new
                except Exception as exc:  # tomlkit could not edit it: leave the call as is
                    skip(
                        record,
                        N_("cannot update {ident!r} in place: {reason}").format(
                            ident=call_id, reason=exc
                        ),
                    )
                    continue
                shown = () if action == "unchanged" else changed
                report.outcomes.append(Outcome(action, call_id, sid, record.where, shown, warnings))
        elif any(k in (elsewhere or {}) for k in keys):
            key = next(k for k in keys if k in (elsewhere or {}))
            skip(record, N_("already in {where}").format(where=(elsewhere or {})[key]))
        else:
            problems = record_problems(record.table)
            if problems:
                skip(record, "; ".join(problems))
                continue
            table = dict(record.table)
            call_id = _unique(str(table["id"]), taken)
            if call_id != table["id"]:
                warnings += (
                    N_("id {ident!r} is taken: written as {new!r}").format(
                        ident=table["id"], new=call_id
                    ),
                )
                table["id"] = call_id
            taken.add(call_id.casefold())
            added.append(table)
            written[call_id] = table
            report.outcomes.append(Outcome("added", call_id, sid, record.where, (), warnings))

    if complete and seen_on is not None and in_place:
        _withdraw(existing, matched, batch.source, seen_on, text, offsets, edits, report, written)
    spliced = _splice(text, offsets, edits)
    result = spliced + appendix(spliced, added)
    if result != text:
        changed_ids = [o.call_id for o in report.outcomes if o.call_id in written]
        check_loads(result, where, changed_ids, expected=written)
    return result, report


def _withdraw(
    existing: list[dict[str, Any]],
    matched: set[int],
    source: str,
    day: date,
    text: str,
    offsets: list[int],
    edits: dict[int, str],
    report: Report,
    written: dict[str, dict[str, Any]],
) -> None:
    """Mark ``withdrawn = day`` on each call of *source* the complete fetch did not return."""
    prefix = f"{source}:"
    for index, table in enumerate(existing):
        sid = table.get("source_id")
        if index in matched or not isinstance(sid, str) or not sid.startswith(prefix):
            continue
        if "withdrawn" in table:
            continue  # already withdrawn: the first day it went missing is kept
        new = {**table, "withdrawn": day}
        edits[index] = _rewrite(_segment(text, offsets, index), new, ("withdrawn",))
        written[str(table.get("id"))] = new
        report.outcomes.append(
            Outcome("withdrawn", str(table.get("id")), sid, N_("not returned"), ("withdrawn",))
        )


def _empty(value: Any) -> bool:
    return value is None or value is False or value == [] or value == ""


def _updated(
    old: dict[str, Any], imported: dict[str, Any], owned: frozenset[str], cite: str
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """*old* with the portal's fields from *imported*; the names of the fields that changed.

    A shallow copy: values are replaced, never changed in place, so *old* stays as read.
    """
    new = dict(old)
    for key in _in_order(owned):
        value = imported.get(key)
        if key == "deadlines":
            value = _deadlines(old.get("deadlines"), value)
        if _empty(value):
            if not _empty(old.get(key)):
                new.pop(key, None)
        elif value != old.get(key):
            new[key] = value
    sources = _sources(old.get("sources"), imported.get("sources") or [], cite)
    if sources != (old.get("sources") or []):
        new["sources"] = sources
    # Only the portal's fields and the sources can differ: the rest was copied.
    changed = tuple(k for k in _in_order(owned | {"sources"}) if old.get(k) != new.get(k))
    return new, changed


@lru_cache(maxsize=16)
def _in_order(names: frozenset[str]) -> tuple[str, ...]:
    """*names* sorted, once per set (the same few sets for thousands of calls)."""
    return tuple(sorted(names))


def _deadlines(old: Any, imported: Any) -> Any:
    """The imported rounds; one still listed keeps the entry written in the file (its label)."""
    if not isinstance(imported, list):
        return imported
    previous = old if isinstance(old, list) else []
    out = []
    for new in imported:
        same = [
            e
            for e in previous
            if isinstance(e, dict)
            and e.get("date") == new.get("date")
            and e.get("time") == new.get("time")
        ]
        out.append(same[0] if same else new)
    return out


def _sources(old: Any, imported: list[str], cite: str) -> list[str]:
    out = [s for s in old if isinstance(s, str)] if isinstance(old, list) else []
    cited = any(cite in s for s in out)
    for source in imported:
        if source not in out and not (cited and cite in source):
            out.append(source)
    return out


def _unique(base: str, taken: set[str]) -> str:
    if base.casefold() not in taken:
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = base[: MAX_ID - len(suffix)] + suffix
        if candidate.casefold() not in taken:
            return candidate
        n += 1


def _segment(text: str, offsets: list[int], index: int) -> str:
    """The text of the *index*-th ``[[calls]]`` table, up to the next header."""
    end = offsets[index + 1] if index + 1 < len(offsets) else len(text)
    return text[offsets[index] : end]


def _splice(text: str, offsets: list[int], edits: dict[int, str]) -> str:
    """*text* with the edited ``[[calls]]`` tables replaced and the rest copied as is."""
    if not edits:
        return text
    parts = [text[: offsets[0]]]
    for index in range(len(offsets)):
        parts.append(edits.get(index) or _segment(text, offsets, index))
    return "".join(parts)


_DAY_KEYS = frozenset({"checked", "withdrawn"})


def _rewrite(segment: str, table: dict[str, Any], changed: tuple[str, ...]) -> str:
    if set(changed) <= _DAY_KEYS:
        quick = _set_days(segment, table, changed)
        if quick is not None:
            return quick

    doc = tomlkit.parse(segment)
    _repair(doc)
    target = doc["calls"][0]
    for key in changed:
        if key in table:
            target[key] = _item(table[key])
        elif key in target:
            del target[key]
    return tomlkit.dumps(doc)


def _set_days(segment: str, table: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    """*segment* with ``checked`` / ``withdrawn`` set, removed or added as one line each,
    the rest untouched; None when the table is not laid out plainly enough for that
    (tomlkit then rewrites it). A fetch touches every call's ``checked``: with
    tomlkit, a re-fetch of 10,000 calls took half a minute."""
    lines = segment.splitlines(keepends=True)
    newline = "\r\n" if segment.endswith("\r\n") else "\n"
    for key in keys:
        value = table.get(key)
        if value is not None and not isinstance(value, date):
            return None
        found = [
            i
            for i, line in enumerate(lines)
            if _KEY_LINE.match(line) and line.split("=")[0].strip() == key
        ]
        if len(found) > 1:
            return None
        text = None if value is None else f"{key} = {value.isoformat()}{newline}"
        if found:
            if text is None:
                del lines[found[0]]
            else:
                lines[found[0]] = text
        elif text is not None:
            anchor = [i for i, line in enumerate(lines) if line.startswith("source_id = ")]
            if len(anchor) != 1:
                return None
            lines.insert(anchor[0] + 1, text)
    return "".join(lines)


_KEY_LINE = re.compile(r"^(checked|withdrawn) = \S+\s*$")


def _item(value: Any) -> Any:
    """A tomlkit item for *value*, written the way tomli-w writes new tables."""
    doc = tomlkit.parse(tomli_w.dumps({"value": value}, indent=2))
    _repair(doc)
    return doc["value"]


def _repair(node: Any) -> None:
    """Give back the space tomlkit drops after a date that ends an inline table."""
    if isinstance(node, Container):
        for _key, value in node.body:
            _repair(value)
    elif isinstance(node, items.Table | items.InlineTable):
        for key, value in node.value.body:
            if key is None:  # whitespace and comments
                continue
            if isinstance(node, items.InlineTable) and isinstance(value, items.Date):
                trivia = value.trivia
                if trivia.comment_ws and not trivia.comment:
                    trivia.trail = trivia.comment_ws + trivia.trail
                    trivia.comment_ws = ""
            _repair(value)
    elif isinstance(node, items.AoT):
        for table in node.body:
            _repair(table)
    elif isinstance(node, items.Array):
        for value in node:
            _repair(value)
