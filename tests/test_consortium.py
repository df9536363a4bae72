"""The EU consortium rule: independent partners in distinct eligible countries, one in
a Member State, checked as one set (issue 16), and the standard conditions of the
Horizon Europe types of action."""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import random
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callwatch.domain import consortium
from callwatch.domain.consortium import Candidate, largest
from callwatch.domain.eu_countries import lists
from callwatch.domain.project import ControlLink, Entity, Partner, Project
from callwatch.files.loading import load_catalog
from callwatch.rules.engine import evaluate
from callwatch.rules.standard import standard_criteria
from tests.rules_support import (
    EXAMPLES,
    call_from,
    cli,
    clock,
    criterion,
    find,
    partner,
    project,
    verdict,
)
from tests.test_rules_properties import forgotten, statuses

ROOT = Path(__file__).resolve().parents[1]
TOPICS = ROOT / "tests" / "fixtures" / "horizon-topics.toml"
RIA_ID = "HORIZON-CL6-2027-03-GOVERNANCE-01"
CSA_ID = "HORIZON-CL6-2027-03-GOVERNANCE-03"
ELIGIBLE = '["member_state", "associated_country", "associated_pillar_2"]'
RIA = criterion(
    "ria",
    '{ count = "partners", independent = true, distinct = "partners.country", '
    f'where = {{ path = "partners.horizon_status", in = {ELIGIBLE} }}, '
    'including = { path = "partners.horizon_status", eq = "member_state" }, at_least = 3 }',
)
OLD_CHECKS = criterion(
    "independent", '{ count = "partners", independent = true, at_least = 3 }'
) + criterion("countries", '{ distinct = "partners.country", at_least = 3 }')
RIA_CALL = call_from(RIA + OLD_CHECKS)
CSA_CALL = call_from(
    criterion(
        "csa",
        f'{{ count = "partners", where = {{ path = "partners.horizon_status", in = {ELIGIBLE} }}, '
        "at_least = 1 }",
    )
)


def firm(ident: str, territory: str | None) -> Partner:
    return partner(ident, territory=territory, type="private_sector", public=False)


def owns(controller: str, controlled: str, share: str = "0.6") -> ControlLink:
    return ControlLink(controller, controlled, "shares", Decimal(share))


def ria(*people: Partner, control: tuple[ControlLink, ...] | None = ()) -> tuple[bool | None, str]:
    e = find(verdict(RIA_CALL, project(partners=people, control=control)), "ria")
    return e.status, e.found


# -- the cases of issue 16 ------------------------------------------------------------


def test_the_conjunction_fails_although_the_two_old_checks_pass() -> None:
    people = (
        firm("a", "FR-63"),
        firm("b", "FR-42"),
        firm("c", "FR"),
        firm("d", "DE"),
        firm("i", "IT"),
    )
    v = verdict(RIA_CALL, project(partners=people, control=(owns("a", "d"), owns("a", "i"))))
    assert find(v, "independent").status is True  # a, b, c
    assert find(v, "countries").status is True  # FR, DE, IT
    consortium = find(v, "ria")
    assert consortium.status is False
    # three partners are independent (a, b, c), but only two of them in distinct countries
    assert consortium.found.startswith(
        "3 independent partners, of which 2 in distinct countries, including one with "
        "establishment in a Member State: "
    )
    assert "a controls d" in consortium.found


def test_three_countries_with_a_controlled_partner() -> None:
    status, found = ria(
        firm("a", "FR"), firm("d", "DE"), firm("i", "IT"), control=(owns("a", "d"),)
    )
    assert status is False
    assert "a controls d" in found


def test_four_partners_two_of_them_linked() -> None:
    people = (firm("a", "FR"), firm("b", "DE"), firm("c", "IT"), firm("e", "ES"))
    status, found = ria(*people, control=(owns("a", "b"),))
    assert status is True
    assert found.startswith("3 independent partners: ")


def test_no_member_state() -> None:
    """What was found is said truthfully: three independent partners in three
    countries, none of them in a Member State (not "0 independent partners")."""
    status, found = ria(firm("n", "NO"), firm("t", "TR"), firm("u", "UA"))
    assert status is False
    assert found == (
        "3 independent partners, in distinct countries, none with establishment in a "
        "Member State: n (NO), t (TR), u (UA)"
    )
    # with control undeclared, the range of what was found, still none in a Member State
    status, found = ria(firm("n", "NO"), firm("t", "TR"), control=None)
    assert status is False
    assert found.startswith("1 to 2 independent partners, in distinct countries, none with ")
    # nobody established where the rule counts: nothing was found, and the reason says why
    status, found = ria(firm("u", "US"), firm("c", "CN"))
    assert status is False
    assert found.startswith(
        "0 independent partners (c (CN) and u (US) not counted: without establishment in a "
        "Member State or an Associated Country"
    )
    assert "; no partner with establishment in a Member State)" in found


def test_associated_countries_count_beside_a_member_state() -> None:
    assert ria(firm("f", "FR"), firm("n", "NO"), firm("t", "TR"))[0] is True
    # a third country does not count
    status, found = ria(firm("f", "FR"), firm("n", "NO"), firm("u", "US"))
    assert status is False
    assert "only 2 distinct countries: FR, NO" in found


def test_an_unknown_country_is_unknown_and_asked() -> None:
    people = (firm("f", "FR"), firm("d", "DE"), firm("x", None))
    v = verdict(RIA_CALL, project(partners=people, control=()))
    e = find(v, "ria")
    assert e.status is None
    assert "partners[x].territory" in e.facts
    # a country the list names as negotiating: unknown too, never assumed
    people = (firm("f", "FR"), firm("d", "DE"), firm("m", "MA"))
    v = verdict(RIA_CALL, project(partners=people, control=()))
    e = find(v, "ria")
    assert e.status is None
    assert e.facts == ("eu_countries.MA",)
    assert "MA" in v.questions[0].text


def test_undeclared_control_is_unknown() -> None:
    status, found = ria(firm("a", "FR"), firm("d", "DE"), firm("i", "IT"), control=None)
    assert status is None
    assert "control links not declared" in found


def test_a_common_controller_of_unknown_public_status_is_asked() -> None:
    people = (firm("a", "FR"), firm("d", "DE"), firm("i", "IT"))
    holder = Entity("h", "Holding", None)
    proj = project(partners=people, outside=(holder,), control=(owns("h", "d"), owns("h", "i")))
    e = find(verdict(RIA_CALL, proj), "ria")
    assert e.status is None
    assert e.facts == ("entities[h].public",)
    public = dataclasses.replace(proj, outside=(Entity("h", "Holding", True),))
    assert find(verdict(RIA_CALL, public), "ria").status is True


def test_a_single_partner_csa() -> None:
    assert find(verdict(CSA_CALL, project(partners=(firm("f", "FR-ARA"),))), "csa").status
    alone = project(partners=(firm("u", "US"),))
    assert find(verdict(CSA_CALL, alone), "csa").status is False


def test_explained_in_french() -> None:
    people = (firm("n", "NO"), firm("t", "TR"))
    e = find(verdict(RIA_CALL, project(partners=people, control=()), lang="fr"), "ria")
    assert e.found.startswith(
        "2 partenaires indépendants, dans des pays distincts, aucun avec établissement dans "
        "un État membre : n (NO), t (TR)"
    )
    assert "2 pays distincts seulement : NO, TR" in e.found
    assert e.required.startswith("au moins 3 partenaires indépendants avec établissement dans")


# -- the search -----------------------------------------------------------------------


def brute_force(cands: list[Candidate], dependent: set[frozenset[str]], need: bool) -> int:
    for size in range(len(cands), 0, -1):
        for chosen in itertools.combinations(cands, size):
            keys = [c.key if c.key is not None else f"?{c.id}" for c in chosen]
            if len(set(keys)) < size:
                continue
            if any(
                frozenset((a.id, b.id)) in dependent for a, b in itertools.combinations(chosen, 2)
            ):
                continue
            if need and not any(c.including for c in chosen):
                continue
            return size
    return 0


@given(
    st.lists(st.tuples(st.sampled_from(["FR", "DE", "IT", "NO", None]), st.booleans()), max_size=8),
    st.sets(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=12),
    st.booleans(),
)
@settings(max_examples=400, deadline=None)
def test_the_search_finds_a_largest_set(
    people: list[tuple[str | None, bool]], edges: set[tuple[int, int]], need: bool
) -> None:
    cands = [Candidate(f"p{i}", key, incl) for i, (key, incl) in enumerate(people)]
    dependent = {frozenset((f"p{a}", f"p{b}")) for a, b in edges if a != b}
    found = largest(cands, [tuple(sorted(pair)) for pair in dependent], need)  # type: ignore[misc]
    assert found.exact
    assert len(found.members) == found.bound == brute_force(cands, dependent, need)
    chosen = [c for c in cands if c.id in found.members]
    assert brute_force(chosen, dependent, need) == len(chosen)  # the witness is valid


def real_consortium(n: int, seed: int) -> tuple[list[Candidate], list[tuple[str, str]]]:
    """*n* partners over 15 countries, in corporate groups of up to 4 (cliques), a
    public body controlling two partners that are independent of each other."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible test case
    countries = [f"C{k}" for k in range(15)]
    cands = [Candidate(f"p{i:02}", rng.choice(countries), rng.random() < 0.8) for i in range(n)]
    dependent = []
    for start in range(0, n - 4, 7):
        group = [c.id for c in cands[start : start + rng.randint(2, 4)]]
        dependent += list(itertools.combinations(group, 2))
    dependent += [("p00", "p10"), ("p00", "p20")]  # p10 and p20 stay independent
    return cands, dependent


def test_real_consortia_of_fifty_are_decided_exactly() -> None:
    for seed in range(5):
        cands, dependent = real_consortium(50, seed)
        found = largest(cands, dependent, True)
        assert found.exact
        assert len(found.members) == found.bound


def test_a_pathological_web_of_links_stays_within_its_budget() -> None:
    rng = random.Random(7)  # noqa: S311 - a reproducible test case
    cands = [Candidate(f"p{i:02}", f"C{i}", True) for i in range(50)]
    dependent = [(a.id, b.id) for a, b in itertools.combinations(cands, 2) if rng.random() < 0.5]
    found = largest(cands, dependent, True, budget=200)
    assert not found.exact
    assert len(found.members) <= found.bound
    assert brute_force_valid(found.members, dependent)


def brute_force_valid(members: tuple[str, ...], dependent: list[tuple[str, str]]) -> bool:
    links = {frozenset(pair) for pair in dependent}
    return not any(frozenset(pair) in links for pair in itertools.combinations(members, 2))


def test_beyond_the_budget_the_criterion_says_it_could_not_decide(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A public body controlling a partner in each country (not a clique: the partners it
    # controls stay independent of each other) needs a search; with almost no budget it
    # is left undecided, with that reason, unless the bounds settle it anyway.
    people = tuple(firm(f"p{i}", c) for i, c in enumerate(["FR", "DE", "IT", "ES", "NO"]))
    state = Partner("etat", "État", type="region", territory="FR", public=True)
    links = tuple(owns("etat", p.id) for p in people)
    proj = project(partners=(*people, state), control=links)
    assert find(verdict(RIA_CALL, proj), "ria").status is True
    big = call_from(RIA.replace("at_least = 3", "at_least = 5"))
    assert find(verdict(big, proj), "ria").status is True
    monkeypatch.setattr(consortium, "BUDGET", 3)
    e = find(verdict(big, proj), "ria")
    assert e.status is None
    assert "could not be decided exactly" in e.found


# -- properties -----------------------------------------------------------------------

PLACES = ["FR-63", "FR", "DE", "IT", "NO", "TR", "MA", "XK", "US", "CA", None]


@st.composite
def consortia(draw: st.DrawFn) -> Project:
    n = draw(st.integers(1, 7))
    people = tuple(
        Partner(
            id=f"p{i}",
            name=f"P{i}",
            type=draw(st.sampled_from(["private_sector", "researcher", "commune"])),
            territory=draw(st.sampled_from(PLACES)),
            public=draw(st.sampled_from([True, False, None])),
        )
        for i in range(n)
    )
    outside = (Entity("e0", "Outside", draw(st.sampled_from([True, False, None]))),)
    names = [p.id for p in people] + ["e0"]
    control = None
    if draw(st.booleans()) or draw(st.booleans()):
        control = tuple(
            ControlLink(a, b, "shares", draw(st.sampled_from([Decimal("0.5"), Decimal("0.6")])))
            for a, b in draw(
                st.lists(st.tuples(st.sampled_from(names), st.sampled_from(names)), max_size=6)
            )
            if a != b
        )
    return Project(title="Consortium", partners=people, outside=outside, control=control)


@given(st.data())
@settings(max_examples=300, deadline=None)
def test_adding_facts_never_flips_the_consortium(data: st.DataObject) -> None:
    full = data.draw(consortia())
    partial = data.draw(forgotten(full))
    for call in (RIA_CALL, CSA_CALL):
        known = statuses(evaluate(call, full, clock()))
        less = statuses(evaluate(call, partial, clock()))
        for ident, value in less.items():
            if value is not None:
                assert known[ident] is value, (ident, partial, full)


@given(st.data())
@settings(max_examples=300, deadline=None)
def test_the_order_of_partners_and_links_does_not_matter(data: st.DataObject) -> None:
    proj = data.draw(consortia())
    assert proj.partners is not None
    shuffled = dataclasses.replace(
        proj,
        partners=tuple(data.draw(st.permutations(proj.partners))),
        control=None if proj.control is None else tuple(data.draw(st.permutations(proj.control))),
    )
    for call in (RIA_CALL, CSA_CALL):
        a, b = evaluate(call, proj, clock()), evaluate(call, shuffled, clock())
        assert statuses(a) == statuses(b)
        texts = [(e.found, sorted(e.facts)) for e in a.criteria]
        assert texts == [(e.found, sorted(e.facts)) for e in b.criteria]


# -- the standard conditions ------------------------------------------------------------


def test_the_country_lists_are_sourced() -> None:
    shipped = lists()
    assert len(shipped.member_states) == 27
    assert shipped.status("FR") == "member_state"
    assert shipped.status("NO") == "associated_country"
    assert shipped.status("CA") == "associated_pillar_2"
    assert shipped.status("MA") is None  # named as negotiating: unknown
    assert shipped.status("US") == "third_country"
    assert shipped.status("XK") == "associated_country"
    assert shipped.as_of.isoformat() == "2025-11-10"
    assert shipped.sources


def test_each_change_since_the_list_cites_its_source() -> None:
    """The associations signed after the list of 10 April 2025 (Korea to Pillar II,
    Egypt and Switzerland to the whole programme) are in the lists, each with its date
    and sources (title and URL); Morocco, which no source settles, stays unknown."""
    import tomllib

    text = resources.files("callwatch.domain").joinpath("eu_countries.toml").read_text("utf-8")
    changes = tomllib.loads(text)["associated"]["changes"]
    shipped = lists()
    assert {c["country"]: c["now"] for c in changes} == {
        "KR": "associated_pillar_2",
        "EG": "associated_country",
        "CH": "associated_country",
    }
    for change in changes:
        assert shipped.status(change["country"]) == change["now"]
        assert change["date"] <= shipped.as_of
        assert change["sources"]
        assert all("https://" in source for source in change["sources"])
    assert shipped.pending == frozenset({"MA"})


def test_standard_criteria_come_from_the_type_of_action() -> None:
    catalog = load_catalog([TOPICS])
    assert not catalog.problems, [str(p) for p in catalog.problems]
    by_id = {c.id: c for c in catalog.calls}
    (ria_criterion,) = by_id[RIA_ID].criteria
    assert ria_criterion.standard == "horizon.ria_ia"
    assert "General Annexes" in (ria_criterion.source or "")
    assert by_id[CSA_ID].criteria[0].standard == "horizon.csa"
    assert by_id["HORIZON-CL5-2027-01-COFUND"].criteria == ()
    # Pillar II topics admit countries associated to Pillar II only; others do not
    assert "associated_pillar_2" in ria_criterion.declared
    assert "associated_pillar_2" not in by_id["HORIZON-WIDERA-2027-05-ERA-03"].criteria[0].declared
    assert standard_criteria("feader-aura-2019-16-4", "RIA") == ()
    assert standard_criteria("HORIZON-EIC-2027-PATHFINDEROPEN-01", "HORIZON-EIC") == ()
    assert standard_criteria("HORIZON-CL6-2027-03-X", "HORIZON-IA")[0].standard == "horizon.ria_ia"
    label = "HORIZON  Research and Innovation Actions"  # the search API's typesOfAction
    assert standard_criteria("HORIZON-CL6-2027-03-X", label)[0].standard == "horizon.ria_ia"
    label = "HORIZON Coordination and Support Actions"
    assert standard_criteria("HORIZON-CL6-2027-03-X", label)[0].standard == "horizon.csa"
    assert standard_criteria("HORIZON-CL6-2027-03-X", "HORIZON Programme Cofund Actions") == ()


def test_a_call_with_its_own_criterion_of_that_id_keeps_its_own(tmp_path: Path) -> None:
    own = criterion("horizon.consortium", '{ count = "partners", at_least = 2 }')
    path = tmp_path / "calls.toml"
    path.write_text(
        f'[[calls]]\nid = "{RIA_ID}"\ntitle = "T"\naction_type = "RIA"\nongoing = true\n{own}',
        encoding="utf-8",
    )
    (call,) = load_catalog([path]).calls
    assert [c.standard for c in call.criteria] == [None]


def test_the_examples_check_against_the_horizon_topics() -> None:
    base = ["--data", str(TOPICS), "--today", "2027-03-01", "check"]
    ok = cli(*base, str(EXAMPLES / "horizon-ria-consortium.toml"), "--call", RIA_ID, "--json")
    assert ok.exit_code == 0, ok.output
    (crit,) = [c for c in json.loads(ok.stdout)["criteria"] if c["id"] == "horizon.consortium"]
    assert crit["status"] == "met"
    assert crit["label"].startswith("Standard condition (RIA/IA)")
    assert crit["standard"] == "horizon.ria_ia"
    bad = cli(*base, str(EXAMPLES / "horizon-ria-controlled.toml"), "--call", RIA_ID)
    assert bad.exit_code == 1, bad.output
    assert "groupe-fr controls filiale-de" in bad.stdout
    csa = cli(*base, str(EXAMPLES / "horizon-csa.toml"), "--call", CSA_ID)
    assert csa.exit_code == 0, csa.output
    assert "Standard condition (CSA)" in csa.stdout


def test_other_types_of_action_say_general_conditions_only() -> None:
    base = ["--data", str(TOPICS), "--today", "2027-03-01", "check"]
    out = cli(*base, str(EXAMPLES / "horizon-csa.toml"), "--json")
    results = {r["id"]: r for r in json.loads(out.stdout)["results"]}
    assert results["HORIZON-CL5-2027-01-COFUND"]["general_only"] is True
    assert results[CSA_ID]["general_only"] is False


@pytest.mark.parametrize(
    ("lang", "label", "mark"),
    [
        ("en", "Standard condition (RIA/IA): at least three", "Standard condition:"),
        ("fr", "Condition standard (RIA/IA) : au moins trois", "Condition standard :"),
    ],
)
def test_show_words_the_standard_condition_in_the_readers_language(
    lang: str, label: str, mark: str
) -> None:
    """A standard condition is callwatch's words: its label in the reader's language in
    the table and in --json (whose stable key is ``standard``), and a line saying where
    it comes from; a call's own labels stay as written."""
    out = cli("--data", str(TOPICS), "--lang", lang, "show", RIA_ID)
    assert out.exit_code == 0, out.output
    text = " ".join(out.stdout.split())
    assert label in text
    assert mark in text
    assert "(RIA)" in text.split(mark, 1)[1]  # the type of action it is derived from
    other = "Condition standard" if lang == "en" else "Standard condition"
    assert other not in text
    out = cli("--data", str(TOPICS), "--lang", lang, "show", RIA_ID, "--json")
    assert out.exit_code == 0, out.output
    (crit,) = json.loads(out.stdout)["criteria"]
    assert crit["standard"] == "horizon.ria_ia"
    assert crit["label"].startswith(label)
    # its source too is callwatch's words, as check gives it
    source = ("General Annexes", "annexes générales")
    assert source[lang != "en"] in crit["source"] and source[lang == "en"] not in crit["source"]
    assert source[lang != "en"] in text and source[lang == "en"] not in text


def test_show_keeps_a_calls_own_labels_as_written() -> None:
    out = cli("--lang", "en", "show", "feader-aura-2019-16-4", "--json")
    assert out.exit_code == 0, out.output
    labels = {c["id"]: c["label"] for c in json.loads(out.stdout)["criteria"]}
    assert labels["partenariat"].startswith("Partenariat")
    assert "Standard condition" not in cli("--lang", "en", "show", "feader-aura-2019-16-4").stdout


@pytest.mark.parametrize(
    ("lang", "why"),
    [
        ("en", "a country associated to Pillar II (CA, KR, NZ, admitted in Pillar II topics"),
        ("fr", "un pays associé au pilier II (CA, KR, NZ, admis dans les topics du pilier II"),
    ],
)
def test_the_pillar_2_countries_are_explained_where_they_count(lang: str, why: str) -> None:
    catalog = load_catalog([TOPICS])
    by_id = {c.id: c for c in catalog.calls}
    alone = project(partners=(firm("f", "FR"),), control=())
    pillar_2 = find(evaluate(by_id[RIA_ID], alone, clock("2027-03-01"), lang), "horizon.consortium")
    assert why in pillar_2.required
    widera = by_id["HORIZON-WIDERA-2027-05-ERA-03"]
    other = find(evaluate(widera, alone, clock("2027-03-01"), lang), "horizon.consortium")
    assert "II" not in other.required


def test_kosovo_is_written_xk_and_counts_as_associated(tmp_path: Path) -> None:
    """Kosovo has no ISO 3166 code: project files write XK, as the Commission does."""
    path = tmp_path / "projet.toml"
    partners = "".join(
        f'[[partners]]\nid = "{i}"\nname = "{i}"\ntype = "private_sector"\nterritory = "{c}"\n'
        for i, c in (("k", "XK"), ("f", "FR"), ("d", "DE"))
    )
    path.write_text(
        f'control = []\n[project]\ntitle = "T"\nsubmission = 2027-04-15\n{partners}',
        encoding="utf-8",
    )
    out = cli("--data", str(TOPICS), "--today", "2027-03-01", "check", str(path), "--call", RIA_ID)
    assert out.exit_code == 0, out.output
    assert "d (DE), f (FR), k (XK)" in out.stdout


def test_a_new_country_list_makes_cached_verdicts_stale() -> None:
    from callwatch.store import cache

    shipped = Path(str(resources.files("callwatch.domain").joinpath("eu_countries.toml")))
    cache._code_fingerprint.cache_clear()
    before = cache._code_fingerprint()
    stamp = shipped.stat()
    try:
        os.utime(shipped, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 1_000_000_000))
        cache._code_fingerprint.cache_clear()
        assert cache._code_fingerprint() != before
    finally:
        os.utime(shipped, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
        cache._code_fingerprint.cache_clear()


def test_the_shipped_horizon_topics_carry_their_standard_condition() -> None:
    """data/eu-2027.toml as fetched: RIA and IA topics get the RIA/IA condition, CSA
    topics the CSA one, other types (EIC, PCP, CoFund, Grant) none."""
    calls = load_catalog(None).calls
    expected = {"RIA": ("horizon.ria_ia",), "IA": ("horizon.ria_ia",), "CSA": ("horizon.csa",)}
    typed = [c for c in calls if c.action_type]
    assert {c.action_type for c in typed} >= {"RIA", "IA", "CSA", "CoFund", "HORIZON-PCP"}
    for c in typed:
        assert tuple(k.standard for k in c.criteria) == expected.get(c.action_type or "", ())
    by_id = {c.id: c for c in calls}
    assert by_id[RIA_ID].criteria[0].standard == "horizon.ria_ia"
    assert by_id[CSA_ID].criteria[0].standard == "horizon.csa"
    base = ["--today", "2027-03-01", "check"]
    for example, call, code in (
        ("horizon-ria-consortium", RIA_ID, 0),
        ("horizon-ria-controlled", RIA_ID, 1),
        ("horizon-csa", CSA_ID, 0),
        ("horizon-csa", RIA_ID, 1),  # one partner is no RIA consortium
    ):
        result = cli(*base, str(EXAMPLES / f"{example}.toml"), "--call", call, "--json")
        assert result.exit_code == code, (example, call, result.output)
        (crit,) = [c for c in json.loads(result.stdout)["criteria"] if c.get("standard")]
        assert crit["id"] == "horizon.consortium"
