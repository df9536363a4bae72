"""Generate realistic, deterministic datasets for the benchmarks.

    python bench/generate.py --calls 10000 --out bench/out/calls-10k.toml
    python bench/generate.py --project 30 --out bench/out/project-30.toml

Calls look like the real ones (French titles and descriptions, several rounds
with bare dates or 17:00 Brussels cut-offs, territories, beneficiaries, funding,
eligibility criteria); the numbers are random but plausible, seeded, and never
shipped as data: they exist only to measure speed.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import tomli_w

WORDS = [
    "coopération",
    "circuits",
    "courts",
    "alimentation",
    "agriculture",
    "territoire",
    "rural",
    "développement",
    "transition",
    "écologique",
    "innovation",
    "sociale",
    "tiers-lieux",
    "mobilité",
    "patrimoine",
    "paysage",
    "énergie",
    "renouvelable",
    "biodiversité",
    "eau",
    "forêt",
    "tourisme",
    "culture",
    "jeunesse",
    "emploi",
    "insertion",
    "numérique",
    "santé",
    "habitat",
    "logement",
    "revitalisation",
    "centre-bourg",
    "commerce",
    "artisanat",
    "économie",
    "proximité",
    "solidarité",
    "association",
    "partenariat",
    "animation",
    "ingénierie",
    "étude",
    "investissement",
    "filière",
    "producteurs",
    "transformateurs",
    "distributeurs",
    "restauration",
    "collective",
    "marchés",
    "locaux",
]

VERBS = [
    "Soutenir",
    "Accompagner",
    "Financer",
    "Développer",
    "Favoriser",
    "Structurer",
    "Encourager",
    "Renforcer",
    "Valoriser",
    "Créer",
    "Améliorer",
    "Expérimenter",
]

FUNDERS = (
    "Union européenne (FEADER)",
    "Région Auvergne-Rhône-Alpes",
    "Région Occitanie",
    "Banque des Territoires",
    "ADEME",
    "Agence nationale de la cohésion des territoires (ANCT)",
    "Conseil départemental du Puy-de-Dôme",
    "Ministère de l'Agriculture et de la Souveraineté alimentaire",
    "Fondation de France",
)

TERRITORIES = (
    "FR", "FR-ARA", "FR-OCC", "FR-BRE", "FR-NAQ", "FR-PDL", "FR-63", "FR-15", "FR-43",
    "FR-03", "FR-69", "FR-38", "FR-31", "FR-34", "FR-29", "FR-35",
)  # fmt: skip

BENEFICIARIES = (
    "legal_person", "commune", "epci", "department", "region", "association",
    "private_person", "farmer", "private_sector", "public_cies", "public_org", "researcher",
)  # fmt: skip

COSTS = ("animation", "travel", "advice", "communication", "promotion", "studies", "equipment")
ROLES = ("producer", "processor", "distributor", "transporter", "retailer", "restaurant")
FORMS = ("GAEC", "EARL", "SCEA", "SARL", "SAS", "association", "EI", "")
TYPES = ("farmer", "association", "private_sector", "commune", "epci", "public_org")


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def make_call(rng: random.Random, i: int, start: date) -> dict[str, Any]:
    title = f"{rng.choice(VERBS)} {' '.join(rng.choice(WORDS) for _ in range(rng.randint(4, 10)))}"
    call: dict[str, Any] = {
        "id": f"bench-{i:06d}",
        "title": title,
        "programme": rng.choice(
            ("PDR FEADER 2014-2020", "LEADER 2023-2027", "FEDER", "Horizon Europe")
        ),
        "description": " ".join(
            sentence(rng, rng.randint(6, 14)) for _ in range(rng.randint(1, 2))
        ),
        "url": f"https://example.org/appels/{i}",
        "sources": [f"Texte de l'appel n° {i}"],
        "funders": rng.sample(FUNDERS, rng.randint(1, 3)),
        "territory": rng.sample(TERRITORIES, rng.randint(1, 2)),
        "beneficiaries": rng.sample(BENEFICIARIES, rng.randint(1, 4)),
        "themes": rng.sample(WORDS, rng.randint(1, 4)),
    }
    kind = rng.random()
    if kind < 0.1:
        call["ongoing"] = True
    else:
        first = start + timedelta(days=rng.randint(-400, 500))
        rounds = []
        brussels = rng.random() < 0.25
        for k in range(rng.randint(1, 3)):
            day = first + timedelta(days=90 * k + rng.randint(0, 20))
            entry: dict[str, Any] = {"date": day, "label": f"Session {k + 1}"}
            if brussels:
                entry["time"] = time(17, 0)
                entry["timezone"] = "Europe/Brussels"
            rounds.append(entry)
        call["deadlines"] = rounds
        if kind > 0.95:
            call["rrule"] = "FREQ=YEARLY"
    if rng.random() < 0.7:
        call["criteria"] = make_criteria(rng)
    call["funding"] = {
        "eligible_costs": rng.sample(COSTS, rng.randint(2, len(COSTS))),
        "rate": rng.choice((0.3, 0.5, 0.6, 0.8)),
        "max_aid": rng.choice((20000, 50000, 100000, 250000)),
    }
    return call


def make_criteria(rng: random.Random) -> list[dict[str, Any]]:
    """Criteria shaped like the flagship's: built-ins, counts, independence, manual questions."""
    criteria: list[dict[str, Any]] = [
        {
            "id": "beneficiaires",
            "label": "Bénéficiaires éligibles",
            "source": "Texte de l'appel",
            "check": "call.beneficiaries",
        },
        {
            "id": "territoire",
            "label": "Territoire de l'appel",
            "source": "Texte de l'appel",
            "check": "call.territory",
        },
        {
            "id": "partenariat",
            "label": "Partenariat d'au moins deux entités indépendantes",
            "source": "Règlement (UE) n° 1305/2013, article 35",
            "check": {"count": "partners", "independent": True, "at_least": rng.choice((2, 3))},
        },
        {
            "id": "acteurs",
            "label": "Acteurs de la chaîne d'approvisionnement",
            "source": "Texte de l'appel",
            "check": {
                "count": "partners",
                "where": {"path": "partners.roles", "any_in": rng.sample(ROLES, 3)},
                "at_least": 2,
            },
        },
    ]
    if rng.random() < 0.5:
        criteria.append(
            {
                "id": "engagement",
                "label": "Engagement à ne pas cumuler les aides",
                "source": "Texte de l'appel",
                "check": "manual",
                "question": "Le projet reçoit-il d'autres aides publiques pour ces dépenses ?",
            }
        )
    return criteria


def make_calls(n: int, seed: int = 1, start: date = date(2019, 3, 1)) -> dict[str, Any]:
    rng = random.Random(seed)
    return {"calls": [make_call(rng, i, start) for i in range(n)]}


def make_project(partners: int, seed: int = 1) -> dict[str, Any]:
    rng = random.Random(seed)
    people = []
    for k in range(partners):
        people.append(
            {
                "id": f"p{k:02d}",
                "name": f"Partenaire {k}",
                "type": rng.choice(TYPES),
                "legal_form": rng.choice(FORMS) or "SARL",
                "roles": rng.sample(ROLES, rng.randint(1, 2)),
                "territory": rng.choice(("FR-63", "FR-15", "FR-43", "FR-03")),
                "lead": k == 0,
            }
        )
    control = []
    for k in range(1, partners):
        if rng.random() < 0.2:
            control.append(
                {
                    "controller": f"p{rng.randrange(k):02d}",
                    "controlled": f"p{k:02d}",
                    "basis": "shares",
                    "share": rng.choice((0.3, 0.5, 0.6)),
                }
            )
    budget = [
        {
            "label": f"Ligne {k}",
            "category": rng.choice((*COSTS, "land")),
            "amount": rng.randint(1, 40) * 1000,
        }
        for k in range(rng.randint(3, 12))
    ]
    return {
        "control": control,
        "project": {
            "title": "Projet de banc d'essai",
            "territory": "FR-63",
            "themes": ["alimentation"],
            "start": date(2019, 9, 1),
            "submission": date(2019, 5, 20),
        },
        "partners": people,
        "budget": budget,
        "answers": {},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--calls", type=int, help="number of calls")
    what.add_argument("--project", type=int, help="number of partners of a project")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    data = (
        make_calls(args.calls, args.seed) if args.calls else make_project(args.project, args.seed)
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(tomli_w.dumps(data, indent=2), encoding="utf-8")
    size = args.out.stat().st_size
    print(f"{args.out}: {size / 1e6:.1f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
