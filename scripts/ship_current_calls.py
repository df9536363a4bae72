"""Write ``data/eu-2027.toml`` from the curated current EU calls.

Input: ``current-calls.json`` (see ``/work/shared/data/current-calls/README.md``):
real EU topics with deadlines after 2026-12-01, each with its portal page, its
provenance (repository, path, commit, verbatim excerpt) and its caveats. Run::

    python scripts/ship_current_calls.py [current-calls.json] [-o data/eu-2027.toml]

What is shipped, and why (the README's caveats):

- every call except those whose dates the caveats put in doubt (CERV's 2024 topic,
  whose 2027-2028 dates are probably intermediaries' cascade calls);
- deadlines at 17:00 Europe/Brussels: the portal's convention, *not* in the records
  (each round's label and the call's ``notes`` say so);
- two-stage topics keep the one date the exports give (the last stage); the
  other stage's date is unknown and never invented;
- budgets only as a funding note (envelope or per-project: not stated), never ``max_aid``;
- no territory, beneficiaries or rates (not in the sources);
- ``checked``: the date of the latest dated export that lists the call
  (mlab's "lastUpdated 11.05.2026"); the dtt dump is undated, so a call found
  only there has no ``checked``.

The output is deterministic: the same input gives the same bytes.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

DEFAULT_INPUT = Path("/work/shared/data/current-calls/current-calls.json")
DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "data" / "eu-2027.toml"

# Left out, with the reason written in the output's header.
EXCLUDED = {
    "cerv-2024-citizens-values": (
        "CERV-2024-CITIZENS-VALUES : topic de 2024 encore listé « open » avec des dates "
        "2027-2028 qui sont probablement les appels en cascade des intermédiaires "
        "(une seule source) : dates en conflit avec la mise en garde, non livré"
    ),
}

# The dated exports: the day each was taken, from its own text.
EXPORT_DATES = {
    "deepblu0/mlabwebsitetest": date(2026, 5, 11),  # "lastUpdated 11.05.2026"
}
EXPORT_NAMES = {
    "deepblu0/mlabwebsitetest": "export hebdomadaire du portail, « lastUpdated 11.05.2026 »",
    "dtt-github/EU-Funding-Calls-Dashboard": (
        "extraction non datée de l'API de recherche du portail, antérieure à ~2026-10-16"
    ),
}
TIME_NOTE = (
    "Heure de clôture : 17:00 (Bruxelles) par convention du portail Funding & Tenders ; "
    "l'heure n'est pas dans les enregistrements sources."
)
PLAIN_DEADLINE = {"clôture"}
TWO_STAGE_LABEL = "2e étape (date de la 1re étape non connue : voir la page du topic)"


def toml_str(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def toml_list(items: list[str]) -> str:
    return "[" + ", ".join(toml_str(i) for i in items) + "]"


def budget_note(record: dict[str, Any]) -> str | None:
    given = record.get("budget_eur_as_given")
    if not given:
        return None
    amount = Decimal(given)
    whole = f"{int(amount):,}".replace(",", "\u202f") if amount == amount.to_integral() else given
    return (
        f"Budget indiqué par la source : {whole} EUR ; la source ne dit pas s'il s'agit de "
        "l'enveloppe du topic ou d'un montant par projet."
    )


def sources(record: dict[str, Any]) -> list[str]:
    out = [f"Portail Funding & Tenders de l'UE, page du topic : {record['url']}", TIME_NOTE]
    for p in record["provenance"]:
        repo = p["repository"]
        what = EXPORT_NAMES.get(repo, "export du portail")
        out.append(f"{repo}, fichier {p['path']}, commit {p['commit']} ({what})")
    return out


def checked(record: dict[str, Any]) -> date | None:
    days = [
        EXPORT_DATES[p["repository"]]
        for p in record["provenance"]
        if p["repository"] in EXPORT_DATES
    ]
    return max(days) if days else None


def notes(record: dict[str, Any]) -> str:
    parts = [TIME_NOTE]
    if record["deadline_model"] == "two-stage":
        parts.append(
            "Appel en deux étapes : les sources ne donnent qu'une date, celle de la dernière "
            "étape ; la date de la 1re étape n'est pas connue (voir la page du topic)."
        )
    parts.extend(f"À vérifier : {u}." for u in record["uncertain"])
    if not checked(record):
        parts.append("Source unique non datée : date de dernière vérification inconnue.")
    return " ".join(parts)


def deadline(record: dict[str, Any], d: dict[str, Any]) -> str:
    if (d["time"], d["timezone"]) != ("17:00", "Europe/Brussels"):
        raise SystemExit(f"{record['id']}: unexpected time {d['time']} {d['timezone']}")
    if record["deadline_model"] == "two-stage":
        label = f", label = {toml_str(TWO_STAGE_LABEL)}"
    elif d["label"] in PLAIN_DEADLINE:
        label = ""  # "clôture" on a topic's one deadline says nothing the column does not
    else:
        label = f", label = {toml_str(d['label'])}"
    return f"  {{ date = {d['date']}, time = 17:00:00{label} }},"


def call_table(record: dict[str, Any]) -> list[str]:
    topic = record["topic"]
    lines = [
        "[[calls]]",
        f"id = {toml_str(topic)}",
        f"title = {toml_str(record['title'])}",
        f"programme = {toml_str(record['programme'])}",
    ]
    if record["call_identifier"]:
        lines.append(f"measure = {toml_str(record['call_identifier'])}")
    lines += [
        f"url = {toml_str(record['url'])}",
        "sources = [",
        *(f"  {toml_str(s)}," for s in sources(record)),
        "]",
        f"funders = {toml_list(record['funders'])}",
        f"themes = {toml_list(record['themes_editorial'])}",
    ]
    if record["type_of_action"]:
        lines.append(f"action_type = {toml_str(record['type_of_action'])}")
    lines.append(f"source_id = {toml_str('eu-portal:' + topic)}")
    when = checked(record)
    if when is not None:
        lines.append(f"checked = {when.isoformat()}")
    lines.append('timezone = "Europe/Brussels"')
    if record["opens"]:
        lines.append(f"opens = {record['opens']}")
    lines += ["deadlines = [", *(deadline(record, d) for d in record["deadlines"]), "]"]
    lines.append(f"notes = {toml_str(notes(record))}")
    note = budget_note(record)
    if note:
        lines += ["", "[calls.funding]", f"note = {toml_str(note)}"]
    return lines


def render(document: dict[str, Any]) -> str:
    records = [r for r in document["calls"] if r["id"] not in EXCLUDED]
    records.sort(key=lambda r: (min(d["date"] for d in r["deadlines"]), r["topic"]))
    head = [
        "# Current EU calls shipped with callwatch: generated by scripts/ship_current_calls.py",
        "# from current-calls.json (as of " + document["as_of"] + "); do not edit by hand.",
        "#",
        "# Each call cites its topic page on the EU Funding & Tenders portal and the public",
        "# exports its facts were read from (repository, file, commit). Nothing is invented:",
        "# deadlines are at 17:00 Brussels time by the portal's convention (not in the records);",
        "# two-stage topics keep the one date the exports give; budgets are notes, never",
        "# ceilings; territory, beneficiaries and rates are not in the sources and are left out.",
        "# `checked` is the date of the latest dated export listing the call.",
        "#",
        f"# {len(records)} of {len(document['calls'])} calls. Left out:",
        *(f"# - {why}" for why in EXCLUDED.values()),
    ]
    body: list[str] = []
    for r in records:
        body += ["", *call_table(r)]
    return "\n".join(head + body) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("input", nargs="?", type=Path, default=DEFAULT_INPUT)
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    document = json.loads(args.input.read_text(encoding="utf-8"))
    text = render(document)
    args.output.write_text(text, encoding="utf-8")
    print(f"{args.output}: {text.count('[[calls]]')} calls", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
