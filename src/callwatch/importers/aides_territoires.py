"""Aides-territoires: its CSV export and its API JSON (docs/import.md).

The CSV has French column names (Nom, Lien, Financeurs, Bénéficiaire, Types
d'aides, AAP/AMI, Récurrence, Descriptif, Date Clôture); the API gives the same
French labels under ``name``, ``targeted_audiences``, ``aid_types``,
``recurrence``, ``financers``, ``submission_deadline``... Both become the same
call table, shaped like the Aides-territoires calls shipped in
``data/calls.toml`` (which were written from that CSV): an import of a shipped
record gives the same id and the same fields.

Mapping decisions:
- ``Récurrence``: Permanente → ``recurrence = "permanent"``, ``ongoing = true``;
  Ponctuelle → ``"one_off"``; Récurrente → ``"recurring"``. No ``rrule`` is ever
  invented: the portal does not say when a recurring aid comes back.
- A closing date always wins: a "Permanente" aid with a date is imported with
  that deadline, not as ongoing (with a warning).
- An aid with no closing date that is not permanent has no deadline to watch:
  skipped, with that reason.
- Unknown beneficiary labels are dropped with a warning; if none is left the
  record is skipped (an empty list would mean "open to everyone").
- Unknown aid-type labels are kept as written, with a warning (they are
  descriptive only).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from callwatch.domain import codes
from callwatch.domain.errors import CallwatchError, Exit
from callwatch.domain.slug import MAX_ID, slugify
from callwatch.i18n import N_
from callwatch.importers import (
    Batch,
    Record,
    Unreadable,
    as_line,
    html_to_text,
    http_url,
    label_key,
    load_json,
    read_text,
    split_labels,
)
from callwatch.importers.perimeter import perimeter_fields

SOURCE = "aides-territoires"
SITE = "https://aides-territoires.beta.gouv.fr"
CITE = "Aides-territoires"
CSV_OWNED = frozenset(
    {
        "title",
        "description",
        "url",
        "funders",
        "beneficiaries",
        "aid_types",
        "recurrence",
        "ongoing",
        "deadlines",
        "call_for_projects",
    }
)
# The current CSV export and the API also give the opening date, themes
# (categories), programmes and the perimeter.
CURRENT_CSV_OWNED = CSV_OWNED | {"opens", "themes", "programme", "perimeter", "territory"}
API_OWNED = CURRENT_CSV_OWNED | {"application_url"}

COLUMNS = (
    "Nom",
    "Lien",
    "Financeurs",
    "Bénéficiaire",
    "Types d'aides",
    "Récurrence",
    "Descriptif",
    "Date Clôture",
)
# The export the site serves since 2024 (`;`-separated, d/m/Y dates): what each
# of our fields is read from. It has no beneficiaries column.
CURRENT_COLUMNS = {
    "link": "Adresse de la fiche aide",
    "name": "Nom",
    "description": "Description complète de l’aide et de ses objectifs",
    "aid_types": "Types d’aide",
    "opens": "Date d’ouverture",
    "deadline": "Date de clôture",
    "recurrence": "Récurrence",
    "call_for_projects": "Appel à projet / Manifestation d’intérêt",
    "themes": "Sous-thématiques",
    "funders": "Porteurs d’aides",
    "programme": "Programmes",
    "perimeter": "Périmètre de l'aide",
}
_REQUIRED_CURRENT = ("link", "name", "deadline")

# Récurrence labels (and the portal's own codes) → our recurrence codes.
RECURRENCE = {
    label_key("Permanente"): "permanent",
    label_key("Ponctuelle"): "one_off",
    label_key("Récurrente"): "recurring",
    "ongoing": "permanent",
    "oneoff": "one_off",
    "recurring": "recurring",
}

# Aid types as Aides-territoires labels them; its internal codes map to the label.
AID_TYPES = {
    "grant": "Subvention",
    "loan": "Prêt",
    "recoverable_advance": "Avance récupérable",
    "cee": "Certificat d'économie d'énergie (CEE)",
    "other": "Autre aide financière",
    "technical_engineering": "Ingénierie technique",
    "financial_engineering": "Ingénierie financière",
    "legal_engineering": "Ingénierie Juridique / administrative",
    "strategic_engineering": "Ingénierie de planification et stratégie",
    "diagnostic_engineering": "Ingénierie d’études et diagnostiques",
    "AMOA_engineering": "AMOA / MOD",
    "MOE_engineering": "MOE / MOE déléguée",
}
_AID_TYPE_BY_KEY = {label_key(v): v for v in AID_TYPES.values()} | {
    label_key(k): v for k, v in AID_TYPES.items()
}
# Labels the portal used before or after a renaming, beyond today's French labels.
BENEFICIARY_ALIASES = {
    # since March 2024, for "Établissements publics (écoles, bibliothèques…) / Services de l'État"
    "Etablissement public dont services de l'Etat": "public_org",
}
_BENEFICIARY_BY_KEY = (
    {label_key(label): code for label, code in codes.BENEFICIARY_BY_FRENCH_LABEL.items()}
    | {label_key(label): code for label, code in BENEFICIARY_ALIASES.items()}
    | {code: code for code in codes.BENEFICIARIES}
)
_YES = frozenset({"oui", "yes", "true", "1", "vrai"})
_NO = frozenset({"non", "no", "false", "0", "faux"})

_HEX_PREFIX = re.compile(r"^([0-9a-f]{4})-")
_FRENCH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def read(path: Path) -> Batch:
    """Read a CSV export or an API JSON file (told apart by the first character).

    A CSV re-saved by Excel on Windows is cp1252, not UTF-8: it is read as such.
    """
    text = read_text(path, fallback="cp1252")
    if text.lstrip()[:1] in ("[", "{"):
        return read_api(text, str(path))
    return read_csv(text, str(path))


# -- CSV ----------------------------------------------------------------------


def read_csv(text: str, filename: str) -> Batch:
    batch = Batch(SOURCE, filename, CSV_OWNED, CITE)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip() for _line, names in _rows(reader, filename, header=True) for h in names]
    current = {label_key(CURRENT_COLUMNS[k]) for k in _REQUIRED_CURRENT}
    if current <= {label_key(h) for h in header}:
        return _read_current_csv(reader, header, filename)
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise CallwatchError(
            N_("not an Aides-territoires CSV export: missing column(s) {names}").format(
                names=", ".join(repr(c) for c in missing)
            ),
            Exit.DATA,
            file=filename,
            line=1,
        )
    reader.fieldnames = header
    cite = f"Aides-territoires, fiche de l'aide (export CSV « {Path(filename).name} »)"
    for line, row in _rows(reader, filename):
        where = N_("line {n}").format(n=line)
        source_id = _source_id_or_none(row.get("Lien"))
        batch.take(
            where, partial(_csv_record, where, row, cite), source_id, as_line(row.get("Nom"))
        )
    return batch


def _rows(
    reader: csv.DictReader[str], filename: str, header: bool = False
) -> Iterator[tuple[int, Any]]:
    """Each row with the line it starts on (a quoted field may span lines), or with
    *header* only the column names; a csv error (a cell over the csv module's limit of
    131,072 characters...) is one ``file:line:`` error, not a traceback."""
    line = reader.line_num + 1
    try:
        if header:
            yield line, reader.fieldnames or []
            return
        for row in reader:
            yield line, row
            line = reader.line_num + 1
    except csv.Error as exc:
        raise CallwatchError(
            N_("not a readable CSV export: {reason}").format(reason=exc),
            Exit.DATA,
            file=filename,
            line=line,
        ) from None


def _csv_record(where: str, row: dict[str, Any], cite: str) -> Record:
    return _record(
        where,
        name=row.get("Nom"),
        link=row.get("Lien"),
        funders=row.get("Financeurs"),
        audiences=row.get("Bénéficiaire"),
        aid_types=row.get("Types d'aides"),
        recurrence=row.get("Récurrence"),
        description=row.get("Descriptif"),
        deadline=_csv_date(row.get("Date Clôture")),
        opens=None,
        sources=[cite],
        extra={"call_for_projects": _yes_no(row.get("AAP/AMI"))},
    )


def _read_current_csv(reader: csv.DictReader[str], header: list[str], filename: str) -> Batch:
    """The export served since 2024 (see :data:`CURRENT_COLUMNS`)."""
    batch = Batch(SOURCE, filename, CURRENT_CSV_OWNED, CITE)
    by_key = {label_key(h): h for h in header}
    column = {k: by_key.get(label_key(v)) for k, v in CURRENT_COLUMNS.items()}
    reader.fieldnames = header
    cite = f"Aides-territoires, fiche de l'aide (export CSV « {Path(filename).name} »)"
    for line, row in _rows(reader, filename):
        where = N_("line {n}").format(n=line)
        cell = {k: (row.get(c) if c else None) for k, c in column.items()}
        batch.take(
            where,
            partial(_current_csv_record, where, cell, cite),
            _source_id_or_none(cell["link"]),
            as_line(cell["name"]),
        )
    return batch


def _current_csv_record(where: str, cell: dict[str, Any], cite: str) -> Record:
    return _record(
        where,
        name=cell["name"],
        link=cell["link"],
        funders=cell["funders"],
        audiences=None,
        aid_types=cell["aid_types"],
        recurrence=cell["recurrence"],
        description=cell["description"],
        deadline=_csv_date(cell["deadline"], "Date de clôture"),
        opens=_csv_date(cell["opens"], "Date d’ouverture"),
        sources=[cite],
        extra={
            "call_for_projects": _yes_no(cell["call_for_projects"]),
            "themes": split_labels(cell["themes"]) or None,
            "programme": "; ".join(split_labels(cell["programme"])) or None,
            **perimeter_fields(cell["perimeter"]),
        },
    )


def _yes_no(value: Any) -> bool | None:
    """``Oui`` / ``Non`` (or the API's booleans); anything else is not stated."""
    if isinstance(value, bool):
        return value
    text = label_key(as_line(value))
    return True if text in _YES else False if text in _NO else None


def _csv_date(value: Any, column: str = "Date Clôture") -> date | None:
    text = as_line(value)
    if not text:
        return None
    match = _FRENCH_DATE.fullmatch(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError as exc:
        opening = column == "Date d’ouverture"
        if match:
            impossible = (
                N_("impossible opening date {text!r} ({column}): {reason}")
                if opening
                else N_("impossible closing date {text!r} ({column}): {reason}")
            )
            raise Unreadable(impossible.format(text=text, column=column, reason=exc)) from None
        unreadable = (
            N_("unreadable opening date {text!r} ({column}): expected dd/mm/yyyy")
            if opening
            else N_("unreadable closing date {text!r} ({column}): expected dd/mm/yyyy")
        )
        raise Unreadable(unreadable.format(text=text, column=column)) from None


# -- API JSON -----------------------------------------------------------------


def read_api(text: str, filename: str) -> Batch:
    data = load_json(text, filename)
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        records = data["results"]
    elif isinstance(data, list):
        records = data
    else:
        raise CallwatchError(
            N_(
                "not an Aides-territoires API response: expected a list of aids or a page {page}"
            ).format(page='{"results": [...]}'),
            Exit.DATA,
            file=filename,
        )
    return from_records(records, filename)


def from_records(records: list[Any], filename: str) -> Batch:
    """The aids of an API response (its ``results``), read from *filename* or fetched:
    each kept or skipped with its reason."""
    batch = Batch(SOURCE, filename, API_OWNED, CITE)
    cite = "Aides-territoires, fiche de l'aide (API)"
    for index, raw in enumerate(records, start=1):
        where = N_("record {n}").format(n=index)
        obj = raw if isinstance(raw, dict) else {}
        source_id = _api_source_id(obj) or _source_id_or_none(_api_link(obj))
        batch.take(
            where, partial(_api_record, where, raw, cite), source_id, as_line(obj.get("name"))
        )
    return batch


def _api_record(where: str, raw: Any, cite: str) -> Record:
    if not isinstance(raw, dict):
        raise Unreadable(N_("not a JSON object"))
    origin = http_url(raw.get("origin_url"))
    record = _record(
        where,
        name=raw.get("name"),
        link=_api_link(raw),
        funders=raw.get("financers"),
        audiences=raw.get("targeted_audiences"),
        aid_types=raw.get("aid_types"),
        recurrence=raw.get("recurrence"),
        description=raw.get("description"),
        deadline=_api_date(raw.get("submission_deadline"), "submission_deadline"),
        opens=_api_date(raw.get("start_date"), "start_date"),
        sources=[cite, origin] if origin else [cite],
        extra={
            "call_for_projects": _yes_no(raw.get("is_call_for_project")),
            "themes": split_labels(raw.get("categories")) or None,
            "programme": "; ".join(split_labels(raw.get("programs"))) or None,
            "application_url": http_url(raw.get("application_url")),
            **perimeter_fields(raw.get("perimeter")),
        },
    )
    numeric = _api_source_id(raw)
    if numeric is not None:
        # the numeric id is stable; the slug-based id of earlier imports still matches
        record.aliases = (record.source_id,)
        record.table["source_id"] = numeric
    return record


def _api_source_id(raw: dict[str, Any]) -> str | None:
    """``aides-territoires:<numeric id>``: stable when the aid's slug is renamed."""
    value = raw.get("id")
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return f"{SOURCE}:{value}"
    if isinstance(value, str) and value.strip().isdigit():
        return f"{SOURCE}:{int(value)}"
    return None


def _api_link(raw: dict[str, Any]) -> str | None:
    """The aid's own page: ``url`` (often relative), else built from ``slug``."""
    url = raw.get("url")
    if isinstance(url, str) and url.startswith("/"):
        return SITE + url
    if http_url(url):
        return str(url)
    slug = raw.get("slug")
    if isinstance(slug, str) and slug.strip():
        return f"{SITE}/aides/{slug.strip()}/"
    return None


def _api_date(value: Any, name: str) -> date | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise Unreadable(
            N_("{name}: expected a date YYYY-MM-DD, got {value!r}").format(name=name, value=value)
        )
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError as exc:
        raise Unreadable(
            N_("impossible date {value!r} ({name}): {reason}").format(
                value=value, name=name, reason=exc
            )
        ) from None


# -- shared -------------------------------------------------------------------


def _slug(link: Any) -> str | None:
    url = http_url(link)
    if url is None:
        return None
    parts = [p for p in urlsplit(url).path.split("/") if p]
    return parts[-1] if parts else None


def _source_id_or_none(link: Any) -> str | None:
    slug = _slug(link)
    return None if slug is None else f"{SOURCE}:{slug}"


def call_id(title: str, slug: str) -> str:
    """``at-<4 hex of the aid's slug>-<five words of the title>``, as in the shipped data."""
    match = _HEX_PREFIX.match(slug)
    words = slugify(title) or slugify(slug)
    parts = ["at", match.group(1)] if match else ["at"]
    if words:
        parts.append(words)
    return "-".join(parts)[:MAX_ID].rstrip("-")


def _record(
    where: str,
    *,
    name: Any,
    link: Any,
    funders: Any,
    audiences: Any,
    aid_types: Any,
    recurrence: Any,
    description: Any,
    deadline: date | None,
    opens: date | None,
    sources: list[str],
    extra: dict[str, Any] | None = None,
) -> Record:
    """The call table of one aid; *extra*: more fields (None values are left out)."""
    warnings: list[str] = []
    title = as_line(html_to_text(name)) if isinstance(name, str) else ""
    if not title:
        raise Unreadable(N_("empty title (Nom / name)"))
    url = http_url(link)
    slug = _slug(link)
    if url is None or slug is None:
        raise Unreadable(
            N_("no usable link to the aid's page (Lien / url): {link!r}").format(link=as_line(link))
        )
    table: dict[str, Any] = {"id": call_id(title, slug), "title": title}
    text = html_to_text(description) if isinstance(description, str) else ""
    if text:
        table["description"] = text
    table["url"] = url
    table["sources"] = sources
    _put(table, "funders", split_labels(funders))
    _put(table, "beneficiaries", _beneficiaries(audiences, warnings))
    _put(table, "aid_types", _aid_types(aid_types, warnings))
    code = _recurrence(recurrence, warnings)
    if code is not None:
        table["recurrence"] = code
    if opens is not None:
        table["opens"] = opens
    for key, value in (extra or {}).items():
        if value is not None:
            table[key] = value
    table["source_id"] = f"{SOURCE}:{slug}"
    if deadline is not None:
        if code == "permanent":
            warnings.append(
                N_("labelled Permanente but has a closing date: imported with its deadline")
            )
        table["deadlines"] = [{"date": deadline}]
    elif code == "permanent":
        table["ongoing"] = True
    else:
        said = as_line(recurrence) or N_("none")
        raise Unreadable(
            N_(
                "no closing date (Date Clôture) and not permanent (Récurrence: {said}): "
                "no deadline to watch"
            ).format(said=said)
        )
    return Record(where, table, warnings)


def _put(table: dict[str, Any], key: str, values: list[str]) -> None:
    if values:
        table[key] = values


def _beneficiaries(value: Any, warnings: list[str]) -> list[str]:
    labels = split_labels(value)
    out: list[str] = []
    unknown: list[str] = []
    for label in labels:
        code = _BENEFICIARY_BY_KEY.get(label_key(label))
        if code is None:
            unknown.append(label)
        elif code not in out:
            out.append(code)
    if unknown and not out:
        raise Unreadable(
            N_(
                "no known beneficiary label (Bénéficiaire): {labels} "
                "(an empty list would mean everyone)"
            ).format(labels=", ".join(repr(u) for u in unknown))
        )
    if unknown:
        warnings.append(
            N_("unknown beneficiary label(s) left out: {labels}").format(
                labels=", ".join(repr(u) for u in unknown)
            )
        )
    return out


def _aid_types(value: Any, warnings: list[str]) -> list[str]:
    out: list[str] = []
    for label in split_labels(value):
        known = _AID_TYPE_BY_KEY.get(label_key(label))
        if known is None:
            warnings.append(N_("unknown aid type {label!r} kept as written").format(label=label))
        if (known or label) not in out:
            out.append(known or label)
    return out


def _recurrence(value: Any, warnings: list[str]) -> str | None:
    label = as_line(value)
    if not label:
        return None
    code = RECURRENCE.get(label_key(label))
    if code is None:
        warnings.append(
            N_("unknown recurrence label {label!r} left out (Récurrence)").format(label=label)
        )
    return code
