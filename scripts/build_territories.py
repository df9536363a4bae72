"""Build callwatch's table of French territories from Etalab's ``decoupage-administratif``.

Usage (from the repository root, with callwatch installed in the environment)::

    python scripts/build_territories.py \
        ../shared/data/territories/etalab-decoupage-administratif-6.0.0.tgz

writes ``src/callwatch/domain/data/territories.tsv`` (``-o`` to write elsewhere).
The input is the npm package tarball as ``npm pack @etalab/decoupage-administratif@X``
fetches it; the table's header names its version and sha256, so the next
millésime is one command and a reviewer can see where the table came from.

Why a TSV and not JSON: it is read line by line at run time without a JSON parse
of 35,000 objects, it diffs well between millésimes, and the build is byte for
byte reproducible (a test rebuilds it and compares).

Lines (tab-separated; the kinds of lines in this order, each sorted by code):

- ``#`` header lines: ``#format``, ``#source``, ``#sha256``, ``#built-by``;
- ``P  iso-code  number  kind  name  other-name``: a French ISO 3166-2 subdivision
  (région, département, collectivité), its département number when it has one
  (``63``, ``2A``, ``971``), its kind, its COG name and pycountry's name when they
  differ once folded;
- ``E  siren  name  within``: an EPCI à fiscalité propre and the smallest ISO
  subdivision holding all its member communes;
- ``C  insee  name  iso  epci  postal-codes  commune``: a commune (or a Paris,
  Lyon or Marseille arrondissement municipal, whose commune is the last field),
  the ISO code of its département or collectivity (FR-69M for the communes of the
  Métropole de Lyon, FR-75C for Paris), its EPCI's SIREN, its postal codes
  (space-separated);
- ``N  key  codes``: every name folded as callwatch compares names (no case,
  accents or hyphens), and the codes it names (an INSEE code for a commune, a
  SIREN for an EPCI, else ISO): a name is then found by one search of the text,
  not by folding 37,000 names at each run.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import tarfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "src" / "callwatch" / "domain" / "data" / "territories.tsv"
FORMAT = "callwatch.territories/1"

# INSEE région code → ISO 3166-2 (the overseas régions are also départements).
REGION_ISO = {
    "01": "FR-971",
    "02": "FR-972",
    "03": "FR-973",
    "04": "FR-974",
    "06": "FR-976",
    "11": "FR-IDF",
    "24": "FR-CVL",
    "27": "FR-BFC",
    "28": "FR-NOR",
    "32": "FR-HDF",
    "44": "FR-GES",
    "52": "FR-PDL",
    "53": "FR-BRE",
    "75": "FR-NAQ",
    "76": "FR-OCC",
    "84": "FR-ARA",
    "93": "FR-PAC",
    "94": "FR-20R",
}
# Overseas collectivities: one INSEE code serves as région and département.
COLLECTIVITY_ISO = {
    "975": "FR-PM",
    "977": "FR-BL",
    "978": "FR-MF",
    "984": "FR-TF",
    "986": "FR-WF",
    "987": "FR-PF",
    "988": "FR-NC",
    "989": "FR-CP",
}
# The ISO code of a département whose code is not FR-<number>.
DEPARTMENT_ISO = {"75": "FR-75C", **COLLECTIVITY_ISO}
LYON_EPCI_TYPE = "MET69"  # its communes form FR-69M, outside the Rhône collectivity
LYON_ISO = "FR-69M"


def department_iso(number: str) -> str:
    return DEPARTMENT_ISO.get(number, f"FR-{number}")


def read_package(tarball: Path) -> tuple[str, dict[str, Any]]:
    """The package version and its data files, parsed."""
    wanted = ("communes", "epci", "departements", "regions")
    data: dict[str, Any] = {}
    with tarfile.open(tarball, "r:gz") as archive:
        for name in ("package.json", *(f"data/{w}.json" for w in wanted)):
            member = archive.extractfile(f"package/{name}")
            if member is None:
                raise SystemExit(f"{tarball}: package/{name} is missing")
            data[name] = json.load(io.TextIOWrapper(member, encoding="utf-8"))
    version = str(data["package.json"]["version"])
    return version, {w: data[f"data/{w}.json"] for w in wanted}


def build(tarball: Path) -> str:
    """The table's text, from the tarball alone (and pycountry, for ISO nesting)."""
    import pycountry

    from callwatch.domain.codes import iso_ancestry, territory_kind
    from callwatch.domain.territories import compact, name_index
    from callwatch.domain.territories import fold_name as fold

    raw = tarball.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    version, data = read_package(tarball)
    lines = [
        f"#format\t{FORMAT}",
        f"#source\t@etalab/decoupage-administratif {version}",
        f"#sha256\t{digest}",
        "#built-by\tscripts/build_territories.py",
    ]

    cog_names: dict[str, str] = {}
    numbers: dict[str, str] = {}
    for region in data["regions"]:
        iso = REGION_ISO.get(region["code"]) or COLLECTIVITY_ISO[region["code"]]
        cog_names[iso] = region["nom"]
    for dep in data["departements"]:
        iso = department_iso(dep["code"])
        cog_names[iso] = dep["nom"]
        numbers[iso] = dep["code"]
    for sub in sorted(pycountry.subdivisions.get(country_code="FR"), key=lambda s: s.code):
        kind = territory_kind(sub.code)
        name = cog_names.pop(sub.code, sub.name)
        other = sub.name if fold(sub.name) != fold(name) else ""
        lines.append("\t".join(("P", sub.code, numbers.get(sub.code, ""), kind, name, other)))
    if cog_names:
        raise SystemExit(f"no ISO 3166-2 code in pycountry for {sorted(cog_names)}")

    epci_of: dict[str, str] = {}
    lyon: set[str] = set()
    for epci in data["epci"]:
        for member in epci["membres"]:
            epci_of[member["code"]] = epci["code"]
            if epci["type"] == LYON_EPCI_TYPE:
                lyon.add(member["code"])

    communes = [
        c for c in data["communes"] if c["type"] in ("commune-actuelle", "arrondissement-municipal")
    ]
    iso_of: dict[str, str] = {}
    rows = []
    for c in sorted(communes, key=lambda c: c["code"]):
        code = c["code"]
        parent = c.get("commune", "") if c["type"] == "arrondissement-municipal" else ""
        iso = LYON_ISO if (parent or code) in lyon else department_iso(c["departement"])
        iso_of[code] = iso
        postal = " ".join(sorted(set(c.get("codesPostaux", []))))
        rows.append(("C", code, c["nom"], iso, epci_of.get(code, ""), postal, parent))

    epcis = sorted(data["epci"], key=lambda e: e["code"])
    for epci in epcis:
        chains = [iso_ancestry(iso_of[m["code"]]) for m in epci["membres"]]
        common = [code for code in chains[0] if all(code in chain for chain in chains)]
        lines.append("\t".join(("E", epci["code"], epci["nom"], common[0])))
    lines.extend("\t".join(row) for row in rows)

    index = name_index(
        [
            (line.split("\t")[1], line.split("\t")[4], line.split("\t")[5])
            for line in lines
            if line.startswith("P\t")
        ],
        [(e["code"], e["nom"]) for e in epcis],
        [(row[1], row[2]) for row in rows],
    )
    for key, codes in sorted(index.items()):
        lines.append(f"N\t{key}\t{' '.join(compact(code) for code in codes)}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tarball", type=Path, help="etalab-decoupage-administratif-X.tgz")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    text = build(args.tarball)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8", newline="\n")
    count = text.count("\nC\t")
    print(f"{args.output}: {count} communes, {len(text.encode())} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
