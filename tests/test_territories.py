"""Territories as people write them: the shipped table, resolution, nesting, team territories."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from callwatch.domain import codes, territories
from callwatch.domain.territories import Match, Team, TerritoryError, canonical, resolve

ROOT = Path(__file__).resolve().parents[1]
TARBALL = (
    ROOT.parent.parent
    / "shared"
    / "data"
    / "territories"
    / "etalab-decoupage-administratif-6.0.0.tgz"
)
TARBALL_ALT = Path("/work/shared/data/territories/etalab-decoupage-administratif-6.0.0.tgz")


def codes_of(query: str) -> list[str]:
    return [m.code for m in resolve(query)]


# One commune per région (its chef-lieu), and the special cases: arrondissements
# municipaux, the Métropole de Lyon, Alsace, Corsica, overseas collectivities, an
# island commune in no EPCI.
NESTING = {
    "97105": ("epci:249710070", "FR-971", "FR"),  # Basse-Terre, Guadeloupe
    "97209": ("epci:249720061", "FR-972", "FR"),  # Fort-de-France, Martinique
    "97302": ("epci:249730045", "FR-973", "FR"),  # Cayenne, Guyane
    "97411": ("epci:249740119", "FR-974", "FR"),  # Saint-Denis, La Réunion
    "97611": ("epci:200060457", "FR-976", "FR"),  # Mamoudzou, Mayotte
    "75056": ("epci:200054781", "FR-75C", "FR-IDF", "FR"),  # Paris
    "75115": ("commune:75056", "epci:200054781", "FR-75C", "FR-IDF", "FR"),  # Paris 15e
    "45234": ("epci:244500468", "FR-45", "FR-CVL", "FR"),  # Orléans
    "21231": ("epci:242100410", "FR-21", "FR-BFC", "FR"),  # Dijon
    "76540": ("epci:200023414", "FR-76", "FR-NOR", "FR"),  # Rouen
    "59350": ("epci:200093201", "FR-59", "FR-HDF", "FR"),  # Lille
    "67482": ("epci:246700488", "FR-67", "FR-6AE", "FR-GES", "FR"),  # Strasbourg
    "68224": ("epci:200066009", "FR-68", "FR-6AE", "FR-GES", "FR"),  # Mulhouse
    "44109": ("epci:244400404", "FR-44", "FR-PDL", "FR"),  # Nantes
    "35238": ("epci:243500139", "FR-35", "FR-BRE", "FR"),  # Rennes
    "33063": ("epci:243300316", "FR-33", "FR-NAQ", "FR"),  # Bordeaux
    "31555": ("epci:243100518", "FR-31", "FR-OCC", "FR"),  # Toulouse
    "69123": ("epci:200046977", "FR-69M", "FR-ARA", "FR"),  # Lyon, Métropole de Lyon
    "69381": ("commune:69123", "epci:200046977", "FR-69M", "FR-ARA", "FR"),  # Lyon 1er
    "13201": ("commune:13055", "epci:200054807", "FR-13", "FR-PAC", "FR"),  # Marseille 1er
    "2A004": ("epci:242010056", "FR-2A", "FR-20R", "FR"),  # Ajaccio
    "2B033": ("epci:242000354", "FR-2B", "FR-20R", "FR"),  # Bastia
    "63003": ("epci:200070761", "FR-63", "FR-ARA", "FR"),  # Ambert
    "97501": ("FR-PM", "FR"),  # Miquelon-Langlade: no EPCI
    "98735": ("FR-PF", "FR"),  # Papeete
    "29155": ("FR-29", "FR-BRE", "FR"),  # Ouessant: an island in no EPCI
}


@pytest.mark.parametrize("insee", NESTING)
def test_commune_nesting(insee: str) -> None:
    code = f"commune:{insee}"
    expected = NESTING[insee]
    assert territories.ancestors(code) == expected
    for outer in expected:
        assert territories.within(code, outer)
        assert not territories.within(outer, code)
    assert territories.within(code, code)
    assert territories.ancestry(code) == (code, *expected)


def test_not_within_neighbours() -> None:
    assert not territories.within("commune:63003", "FR-15")
    assert not territories.within("commune:69123", "FR-69")  # the Rhône collectivity
    assert not territories.within("commune:63003", "epci:246300701")
    assert not territories.within("commune:75115", "commune:13055")


def test_epci_lies_within_what_all_its_communes_lie_within() -> None:
    assert territories.ancestors("epci:200070761") == ("FR-63", "FR-ARA", "FR")
    assert territories.ancestors("epci:200054781") == ("FR-IDF", "FR")  # Grand Paris: 6 dép.
    assert territories.ancestors("epci:200046977") == ("FR-69M", "FR-ARA", "FR")


def test_ambert_as_the_issue_shows_it() -> None:
    expected = Match(
        "commune:63003", "Ambert", "commune", ("epci:200070761", "FR-63", "FR-ARA", "FR")
    )
    for query in ("commune:63003", "Ambert", "ambert", "AMBERT", "FR-63003", "COMMUNE:63003"):
        found = resolve(query)
        assert [m.code for m in found] == ["commune:63003"], query
        assert found[0].within == expected.within
        assert found[0].name == "Ambert" and found[0].kind == "commune"
    assert resolve("FR-63003")[0].note == "commune_code"
    assert resolve("Ambert")[0] == expected


@pytest.mark.parametrize(
    ("query", "code", "kind"),
    [
        ("FR", "FR", "country"),
        ("FR-ARA", "FR-ARA", "region"),
        ("fr-ara", "FR-ARA", "region"),
        ("FR-63", "FR-63", "department"),
        ("FR-75C", "FR-75C", "collectivity"),
        ("FR-2A", "FR-2A", "department"),
        ("FR-971", "FR-971", "collectivity"),
        ("DE", "DE", "country"),
        ("IT-21", "IT-21", "region"),
        ("63", "FR-63", "department"),
        ("2A", "FR-2A", "department"),
        ("2b", "FR-2B", "department"),
        ("971", "FR-971", "collectivity"),
        ("975", "FR-PM", "collectivity"),
        ("75", "FR-75C", "collectivity"),
        ("puy-de-dome", "FR-63", "department"),
        ("Puy-de-Dôme", "FR-63", "department"),
        ("PUY DE DÔME", "FR-63", "department"),
        ("Auvergne-Rhône-Alpes", "FR-ARA", "region"),
        ("auvergne rhone alpes", "FR-ARA", "region"),
        ("Grand Est", "FR-GES", "region"),
        ("Corse", "FR-20R", "collectivity"),
        ("Alsace", "FR-6AE", "collectivity"),
        ("Guyane", "FR-973", "collectivity"),
        ("Clermont-Ferrand", "commune:63113", "commune"),
        ("clermont ferrand", "commune:63113", "commune"),
        ("St-Flour", "commune:15187", "commune"),
        ("epci:200070761", "epci:200070761", "epci"),
        ("Ambert Livradois Forez", "epci:200070761", "epci"),
        ("CC Ambert Livradois Forez", "epci:200070761", "epci"),
        ("75015", "commune:75115", "commune"),  # the arrondissement, not all of Paris
        ("Paris 15e", "commune:75115", "commune"),
        ("Lyon", "commune:69123", "commune"),
        ("Germany", "DE", "country"),
    ],
)
def test_one_reading(query: str, code: str, kind: str) -> None:
    found = resolve(query)
    assert [(m.code, m.kind) for m in found] == [(code, kind)], query
    assert canonical(query) == code


def test_old_codes_with_their_notes() -> None:
    (paris,) = resolve("FR-75")
    assert (paris.code, paris.note, paris.within) == ("FR-75C", "paris", ("FR-IDF", "FR"))
    (corsica,) = resolve("FR-COR")
    assert (corsica.code, corsica.note) == ("FR-20R", "corsica")
    assert canonical("fr-cor") == "FR-20R"
    assert territories.ancestors("FR-2A") == ("FR-20R", "FR")
    assert territories.ancestors("FR-67") == ("FR-6AE", "FR-GES", "FR")


def test_ambiguous_names_list_every_candidate() -> None:
    found = codes_of("Saint-Martin")
    assert found[0] == "FR-MF"  # the collectivity, then the communes
    assert {"commune:32389", "commune:54480", "commune:65392", "commune:97801"} <= set(found)
    with pytest.raises(TerritoryError) as err:
        canonical("Saint-Martin")
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith("ambiguous territory 'Saint-Martin': 6 candidates")
    assert "commune:32389 Saint-Martin (FR-32)" in message
    # Paris, the commune, is one territory with FR-75C: read as it, with a note
    assert [(m.code, m.note) for m in resolve("Paris")] == [("FR-75C", "paris_commune")]


def test_ambiguous_postal_codes_and_numbers() -> None:
    ambert_area = codes_of("63600")
    assert len(ambert_area) == 10 and "commune:63003" in ambert_area
    assert all(territories.within(c, "epci:200070761") for c in ambert_area)
    see_all = r" \(and 2 more: `callwatch territory 63600` lists them all\)$"
    with pytest.raises(TerritoryError, match=r"'63600': 10 candidates: .*" + see_all):
        canonical("63600")
    # An INSEE code that is also another commune's postal code: both, never a guess.
    assert codes_of("63113") == ["commune:63113", "commune:63279"]
    assert codes_of("69001") == ["commune:69001", "commune:69381"]


def test_unknown_queries_suggest() -> None:
    assert resolve("Ambrt") == []
    with pytest.raises(TerritoryError, match=r"did you mean commune:63003 Ambert \(FR-63\)"):
        canonical("Ambrt")
    for query in ("FR-XX", "commune:99999", "epci:1", "", "  ", "99", "00000"):
        assert resolve(query) == [], query
    with pytest.raises(TerritoryError, match=r"^unknown territory code 'FR-XX': expected an ISO"):
        canonical("FR-XX")


def test_iso_codes_do_not_load_the_table() -> None:
    probe = (
        "from callwatch.domain import territories as t\n"
        "for q in ('FR', 'FR-63', 'fr-ara', 'DE', 'IT-21', '63', '2A', 'FR-75', 'FR-COR'):\n"
        "    assert len(t.resolve(q)) == 1, q\n"
        "assert t.within('FR-63', 'FR') and t.ancestors('FR-67') == ('FR-6AE', 'FR-GES', 'FR')\n"
        "print(t.table.cache_info().currsize)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "0"


# ---------------------------------------------------------------- team territories


GAL = Team("gal-livradois-forez", "GAL Livradois-Forez", ("epci:200070761", "commune:63113"))


def test_team_territory_holds_its_members_and_their_communes() -> None:
    territories.set_teams([GAL])
    assert territories.within("commune:63003", "gal-livradois-forez")  # via its EPCI
    assert territories.within("commune:63113", "gal-livradois-forez")  # a member itself
    assert territories.within("epci:200070761", "gal-livradois-forez")
    assert not territories.within("commune:15187", "gal-livradois-forez")
    assert territories.ancestors("commune:63003") == (
        "epci:200070761",
        "gal-livradois-forez",
        "FR-63",
        "FR-ARA",
        "FR",
    )
    # The team territory lies within what all its members lie within.
    assert territories.ancestors("gal-livradois-forez") == ("FR-63", "FR-ARA", "FR")
    (found,) = resolve("gal-livradois-forez")
    assert (found.kind, found.name) == ("territory", "GAL Livradois-Forez")
    assert codes_of("GAL Livradois Forez") == ["gal-livradois-forez"]
    assert territories.is_territory("gal-livradois-forez")
    territories.set_teams(())
    assert not territories.is_territory("gal-livradois-forez")
    assert territories.ancestors("commune:63003") == ("epci:200070761", "FR-63", "FR-ARA", "FR")


def test_a_team_holding_a_departement_is_listed_once_and_forgotten_with_it() -> None:
    """The ancestry kept across runs leaves the team's territories out: computed while
    one is known, it neither lists it twice nor keeps it once it is gone."""
    territories.set_teams([Team("pays-dore", "Pays Dore", ("FR-63",))])
    found = territories.ancestors("commune:63040")
    assert found.count("pays-dore") == 1
    assert found[-3:] == ("FR-63", "FR-ARA", "FR")
    territories.set_teams(())
    assert "pays-dore" not in territories.ancestors("commune:63040")


def test_team_territories_nest() -> None:
    pays = Team("pays-x", "Pays X", ("gal-livradois-forez", "commune:15187"))
    territories.set_teams([GAL, pays])
    assert territories.within("commune:63003", "pays-x")
    assert territories.within("gal-livradois-forez", "pays-x")
    assert territories.ancestors("pays-x") == ("FR-ARA", "FR")
    assert "pays-x" in territories.ancestors("commune:15187")


def test_team_territory_problems() -> None:
    teams = [
        Team("a", "A", ("b", "commune:63003")),
        Team("b", "B", ("a",)),
        Team("a", "A again", ()),
        Team("c", "C", ("commune:99999", "gal-livradoi", "Saint-Martin")),
        Team("ambert", "Ambert", ("63003",)),
        Team("Pays X", "X", ()),
    ]
    valid, problems = territories.check_teams(teams)
    # a bad member or a cycle leaves the territory known (calls naming it are right),
    # without that member; a bad or duplicate id does not
    assert valid == [Team("a", "A", ("commune:63003",)), Team("b", "B", ()), Team("c", "C", ())]
    assert (2, "duplicate territory id 'a'") in problems
    assert (0, "territory 'a' contains itself through its members") in problems
    assert (1, "territory 'b' contains itself through its members") in problems
    assert (3, "unknown member 'commune:99999'") in problems
    assert any(i == 3 and m.startswith("ambiguous member 'Saint-Martin': 6") for i, m in problems)
    assert any(i == 3 and m.startswith("unknown member 'gal-livradoi'") for i, m in problems)
    taken = "territory id 'ambert' already names commune:63003 Ambert (FR-63): choose another"
    assert (4, taken) in problems
    assert any(i == 5 and "expected lower-case" in m for i, m in problems)
    assert territories.check_teams([GAL]) == ([GAL], [])


def test_team_members_in_any_form() -> None:
    written = Team("gal-lf", "GAL", ("Ambert Livradois Forez", "Clermont-Ferrand"))
    pays = Team("pays-x", "Pays X", ("gal-lf", "commune:15187"))
    valid, problems = territories.check_teams([written, pays])
    assert problems == []
    assert valid == [Team("gal-lf", "GAL", ("epci:200070761", "commune:63113")), pays]


# ---------------------------------------------------------------- the table


def test_table_header_names_its_source() -> None:
    header = territories.table().header
    assert header["source"] == "@etalab/decoupage-administratif 6.0.0"
    assert header["sha256"] == "c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a"
    data = territories.table()
    assert len(data.communes) == 34969 + 45  # communes and arrondissements municipaux
    assert len(data.epcis) == 1255
    # Every ISO code of the table exists for pycountry, with the same nesting rules.
    for iso in data.subdivisions:
        assert codes.is_iso_territory(iso), iso


def _tarball() -> Path:
    for path in (TARBALL, TARBALL_ALT):
        if path.is_file():
            return path
    pytest.skip(f"the source tarball is not here ({TARBALL_ALT}): cannot rebuild the table")


def test_table_is_reproducible_from_the_tarball() -> None:
    tarball = _tarball()
    spec = importlib.util.spec_from_file_location("build", ROOT / "scripts/build_territories.py")
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert build.build(tarball) == territories.TABLE.read_text(encoding="utf-8")
