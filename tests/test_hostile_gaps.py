"""The gaps a second audit of hostile input found after issue 13 landed: far dates
seen from another zone, recurrences expanded in one pass, deep control chains, and
special files where a command reads or writes."""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callwatch.domain import independence as independence_module
from callwatch.domain.independence import independence
from callwatch.domain.model import (
    Call,
    Round,
    _bounded_rule_class,
    _rule,
    check_rrule,
    recurrence_index,
)
from callwatch.domain.project import ControlLink, Entity
from tests.conftest import Invoke, WriteCalls

TODAY = "2026-01-01"
# Zones from UTC-12 to UTC+14: a deadline at the end of 9999-12-31 in one is already
# the year 10000 in a zone further east, and 0001-01-01 00:00 is year 0 further west.
ZONES = ("Etc/GMT+12", "America/New_York", "UTC", "Europe/Paris", "Pacific/Kiritimati")
COMMANDS = (
    ("list", "--all"),
    ("list", "--all", "--json"),
    ("list", "--due", "9999-12-31"),
    ("show", "far"),
    ("export", "--format", "csv"),
    ("export", "--format", "json"),
    ("export", "--format", "ics"),
    ("validate",),
)


@pytest.mark.parametrize("call_zone", ZONES)
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01, time = 00:00:00"])
def test_a_far_deadline_reads_in_every_zone(
    cli: Invoke, write_calls: WriteCalls, call_zone: str, day: str
) -> None:
    path = write_calls(
        f"""
        [[calls]]
        id = "far"
        title = "Far"
        timezone = "{call_zone}"
        deadlines = [{{ date = {day} }}]
        """
    )
    for reader in ZONES:
        env = {"CALLWATCH_TODAY": TODAY, "CALLWATCH_TZ": reader}
        for command in COMMANDS:
            result = cli("--data", str(path), *command, env=env)
            assert result.exit_code == 0, (reader, command, result.output)
    seen = cli("--data", str(path), "list", "--all", env={"CALLWATCH_TODAY": TODAY}).output
    assert seen.splitlines()[1].startswith(day[:10])


def _old_occurrence_days(rule: str, start: date, first: date) -> Iterator[date]:
    """The search before the audit: ``after`` per occurrence, each rescanning the
    rule from its start (quadratic), kept as the oracle of the one-pass search."""
    compiled = _rule(rule, start)
    occurrence = compiled.after(datetime.combine(first, time(0, 0)), inc=True)
    while occurrence is not None:
        yield occurrence.date()
        occurrence = compiled.after(occurrence, inc=False)


RULE_PARTS = st.sampled_from(
    [
        "FREQ=DAILY",
        "FREQ=DAILY;BYDAY=MO,WE",
        "FREQ=WEEKLY;BYDAY=FR",
        "FREQ=WEEKLY;BYMONTH=3,9",
        "FREQ=MONTHLY;BYMONTHDAY=15",
        "FREQ=MONTHLY;BYDAY=-1FR",
        "FREQ=MONTHLY;BYMONTHDAY=31",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
        "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15",
        "FREQ=YEARLY;BYWEEKNO=53;BYDAY=SU",
    ]
)
ENDS = st.sampled_from(["", ";COUNT=7", ";COUNT=200", ";UNTIL=20300101", ";INTERVAL=3"])


@given(
    rule=st.tuples(RULE_PARTS, ENDS).map("".join),
    start=st.dates(date(1990, 1, 1), date(2030, 12, 31)),
    skip=st.integers(-400, 4000),
    indexed=st.booleans(),
)
def test_occurrences_are_those_of_the_old_search(
    rule: str, start: date, skip: int, indexed: bool
) -> None:
    assert check_rrule(rule) is None
    first = start + timedelta(days=skip)
    occurrences, through = recurrence_index(rule, start) if indexed else (None, 0)
    call = Call(
        id="r",
        title="R",
        rounds=(Round(day=start, at=None, tz="Europe/Paris"),),
        rrule=rule,
        occurrences=occurrences,
        occurrences_through=through,
    )
    new = list(itertools.islice(call._occurrence_days(start, first), 60))
    old = list(itertools.islice(_old_occurrence_days(rule, start, first), 60))
    if indexed and occurrences is not None:
        # The precomputed days come first, from the index: the same days as dateutil's.
        known = [d for d in (date.fromordinal(o) for o in occurrences) if d >= first]
        assert new[: len(known)] == known[: len(new)]
    assert new == old


def test_occurrences_come_from_one_pass_of_the_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each pass of dateutil over a rule starts at the rule's first day: one pass per
    # occurrence made a daily rule from 1900 take 75 s to export.
    bounded: Any = _bounded_rule_class()
    passes = []
    plain_iter = bounded._iter

    def counted(self: Any) -> Iterator[datetime]:
        passes.append(1)
        return plain_iter(self)  # type: ignore[no-any-return]

    monkeypatch.setattr(bounded, "_iter", counted)
    _rule.cache_clear()
    start = date(1900, 1, 2)
    call = Call(
        id="d", title="D", rounds=(Round(day=start, at=None, tz="UTC"),), rrule="FREQ=DAILY"
    )
    days = list(itertools.islice(call._occurrence_days(start, date(2026, 1, 1)), 50))
    assert days[0] == date(2026, 1, 1) and days[-1] == date(2026, 2, 19)
    assert len(passes) == 1


def control_chain(n: int) -> tuple[list[str], list[ControlLink], dict[str, Entity]]:
    names = [f"p{i:04d}" for i in range(n)]
    links = [ControlLink(a, b, "decision_power") for a, b in itertools.pairwise(names)]
    return names, links, {x: Entity(x, partner=True) for x in names}


def test_a_chain_of_control_within_the_budgets_is_exact() -> None:
    names, links, entities = control_chain(300)
    found = independence(names, names, links, entities)
    assert (found.lower, found.upper, found.exact) == (1, 1, True)
    assert len(found.dependencies) == 300 * 299 // 2


@pytest.mark.parametrize("budget", ["CLOSURE_BUDGET", "PAIR_BUDGET"])
def test_a_chain_of_control_past_a_budget_is_a_range(
    monkeypatch: pytest.MonkeyPatch, budget: str
) -> None:
    # A chain of N partners each controlling the next is N²/2 dependent pairs (5,000
    # partners took minutes); past the budget the count is a range, never a verdict.
    monkeypatch.setattr(independence_module, budget, 1000)
    names, links, entities = control_chain(300)
    found = independence(names, names, links, entities)
    assert (found.lower, found.upper, found.exact) == (1, 300, False)
    assert independence_module.at_least(2, names, names, links, entities) is None
    assert independence_module.at_least(1, names, names, links, entities) is True


def test_a_fifo_named_toml_in_a_data_folder_is_reported(
    cli: Invoke, write_calls: WriteCalls, tmp_path: Path
) -> None:
    write_calls(
        """
        [[calls]]
        id = "ok"
        title = "Ok"
        deadlines = [{ date = 2026-03-01 }]
        """,
        name="data/ok.toml",
    )
    fifo = tmp_path / "data" / "pipe.toml"
    os.mkfifo(fifo)
    env = {"CALLWATCH_TODAY": TODAY}
    listed = cli("--data", str(tmp_path / "data"), "list", env=env)
    assert listed.exit_code == 65
    assert "ok" in listed.stdout
    assert f"{fifo}: cannot read: a FIFO, not a regular file" in listed.stderr
    checked = cli("validate", str(tmp_path / "data"), env=env)
    assert checked.exit_code == 1
    assert checked.stdout == f"{fifo}: cannot read: a FIFO, not a regular file\n"
    assert checked.stderr == "1 problem in 2 files; 1 valid call\n"


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("[" * 3000 + "]" * 3000, "arrays or tables nested too deeply"),
        ("{ a = " * 600 + "1" + " }" * 600, "arrays or tables nested too deeply"),
        ("9" * 5000, "a number with more than 4,300 digits"),
        ("-1_" + "0" * 4400, "a number with more than 4,300 digits"),
    ],
)
def test_a_document_too_deep_or_too_long_a_number_names_its_line(
    cli: Invoke, write_calls: WriteCalls, value: str, why: str
) -> None:
    path = write_calls(
        '[[calls]]  # [[not]] {counted}\nid = "x"\ntitle = "[[[[ { ]]"\n'
        'description = "9999999"\n\nthemes = ' + value + "\n"
    )
    result = cli("validate", str(path), env={"CALLWATCH_CACHE": "off"})
    assert result.exit_code == 1
    assert result.stdout == f"{path}:6: invalid TOML: {why}\n"


def _old_linked(ids: list[str], closure: dict[str, frozenset[str]]) -> list[tuple[str, str]]:
    """The consortium's pairs before the audit (each holder's group, pair by pair: N³/6
    steps on a chain), kept as the oracle of :func:`related_pairs`."""
    members, pairs = set(ids), set[tuple[str, str]]()
    for holder, held in closure.items():
        inside = sorted(members & held)
        if holder in members:
            pairs.update((min(holder, x), max(holder, x)) for x in inside)
        pairs.update(itertools.combinations(inside, 2))
    return sorted(pairs)


NAMES = [f"e{i}" for i in range(7)]
LINKS = st.lists(
    st.builds(
        ControlLink,
        st.sampled_from(NAMES),
        st.sampled_from(NAMES),
        st.sampled_from(["shares", "voting_rights", "decision_power"]),
        st.sampled_from([None, Decimal("0.3"), Decimal("0.5"), Decimal("0.6")]),
    ),
    max_size=12,
)


@given(links=LINKS, members=st.sets(st.sampled_from(NAMES), min_size=2), public=st.data())
def test_pairs_and_their_status_are_those_of_the_old_search(
    links: list[ControlLink], members: set[str], public: st.DataObject
) -> None:
    links = [link for link in links if link.controller != link.controlled]
    entities = {
        x: Entity(x, public=public.draw(st.sampled_from([None, True, False]))) for x in NAMES
    }
    closure = independence_module.control_closure(entities, links)
    ids = sorted(members)
    assert independence_module.related_pairs(ids, closure) == _old_linked(ids, closure)
    for a, b in itertools.combinations(ids, 2):
        holders = [h for h in sorted(closure) if {a, b} <= closure[h]]
        old = independence_module._pair(a, b, closure, holders, entities)
        assert independence_module.pair_status(a, b, closure, entities) == old


@pytest.mark.parametrize("budget", ["CLOSURE_BUDGET", "PAIR_BUDGET"])
def test_a_consortium_past_a_budget_is_a_range(
    monkeypatch: pytest.MonkeyPatch, cli: Invoke, tmp_path: Path, budget: str
) -> None:
    monkeypatch.setattr(f"callwatch.rules.consortium.{budget}", 10)
    calls = tmp_path / "calls.toml"
    calls.write_text(
        '[[calls]]\nid = "c"\ntitle = "C"\nongoing = true\n\n[[calls.criteria]]\nid = "k"\n'
        'label = "K"\ncheck = { count = "partners", independent = true, '
        'distinct = "partners.country", at_least = 3 }\n',
        encoding="utf-8",
    )
    partners = "".join(
        f'\n[[partners]]\nid = "p{i:02d}"\nname = "P"\ntype = "private_sector"\nterritory = "{c}"\n'
        for i, c in enumerate(["FR", "DE", "IT", "ES", "BE", "NL"] * 5)
    )
    links = "".join(
        f'\n[[control]]\ncontroller = "p{i:02d}"\ncontrolled = "p{i + 1:02d}"\n'
        'basis = "decision_power"\n'
        for i in range(29)
    )
    project = tmp_path / "project.toml"
    project.write_text('[project]\ntitle = "P"\n' + partners + links, encoding="utf-8")
    result = cli("--data", str(calls), "check", str(project), "--call", "c", "--json")
    assert result.stdout.startswith("{"), result.output
    (criterion,) = [c for c in json.loads(result.stdout)["criteria"] if c["id"] == "k"]
    assert criterion["status"] == "unknown", criterion
    assert "could not be decided exactly" in criterion["found"]
