"""Rules are checked when calls load: every mistake is an error with file and line."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from callwatch.domain.criteria import Builtin, Combine, Count, Criterion
from callwatch.files.loading import load_catalog
from tests.rules_support import FLAGSHIP, call_from, cli, criterion, manual, problems_of

# The criterion starts on line 5 of the generated file (after the call's 3 lines and
# its one line of fields), so `check` is on line 8.
CASES = [
    (
        criterion("a", '{ count = "partners", at_leat = 2 }'),
        8,
        "unknown key 'at_leat' (did you mean 'at_least'?)",
    ),
    (criterion("a", '{ path = "project.budget", gte = 1 }'), 8, "unknown path 'project.budget'"),
    (
        criterion("a", '{ path = "partners.type", eq = "farmer" }'),
        8,
        "unknown path 'partners.type' at the top",
    ),
    (
        criterion("a", '{ for_each = "partners", require = { path = "project.title", eq = "x" } }'),
        8,
        "unknown path 'project.title' inside partners",
    ),
    (
        criterion("a", '{ path = "project.start", gt = 2019-01-01 }'),
        8,
        "unknown key 'gt' (did you mean 'gte'?)",
    ),
    (
        criterion("a", '{ path = "project.themes", eq = "x" }'),
        8,
        "eq does not apply to project.themes",
    ),
    (criterion("a", '{ path = "project.start", gte = "2019-01-01" }'), 8, "expected a TOML date"),
    (
        criterion("a", '{ path = "project.start", gte = 2019-01-01T10:00:00 }'),
        8,
        "a date without a time",
    ),
    (
        criterion("a", '{ path = "project.territory", within = ["FR-XX"] }'),
        8,
        "unknown territory code 'FR-XX'",
    ),
    (
        criterion("a", '{ path = "project.start", between = [2020-01-01, 2019-01-01] }'),
        8,
        "is above high",
    ),
    (
        criterion("a", '{ path = "project.start", gte = 2019-01-01, lte = 2020-01-01 }'),
        8,
        "exactly one operator",
    ),
    (criterion("a", '{ count = "partners", at_least = -1 }'), 8, "a whole number ≥ 0"),
    (
        criterion("a", '{ count = "partners", at_least = 3, at_most = 2 }'),
        8,
        "at_most (2) is below at_least (3)",
    ),
    (
        criterion("a", '{ count = "budget", independent = true, at_least = 2 }'),
        8,
        "independence applies to partners",
    ),
    (criterion("a", '{ count = "members", at_least = 1 }'), 8, "expected one of partners, budget"),
    (criterion("a", '{ sum = "budget.label", at_least = 1 }'), 8, "only budget.amount"),
    (criterion("a", '{ distinct = "partners.roles", at_least = 2 }'), 8, "a single value"),
    (criterion("a", '{ all_of = ["a", "zz"] }'), 8, "unknown criterion 'zz'"),
    (criterion("a", '{ all_of = ["a"] }'), 8, "cycle between criteria: a → a"),
    (criterion("a", "{ all_of = [] }"), 8, "a non-empty array of criterion ids"),
    (criterion("a", '{ nope = "x" }'), 8, "a check needs one of"),
    (criterion("a", '{ path = "project.start", count = "partners" }'), 8, "a check has one kind"),
    (criterion("a", '"automatic"'), 8, "unknown check 'automatic'"),
    (
        criterion("a", '"call.funding"'),
        8,
        "call.funding cannot be checked: the call has no [calls.funding]",
    ),
    (criterion("a", '"call.territory"'), 8, "the call states no `territory`"),
    (criterion("a", '{ funding = "aid", at_least = 1 }'), 8, "the call has no [calls.funding]"),
    (criterion("a", '"manual"'), 5, "a manual check needs a `question`"),
    (
        criterion("a", '{ path = "project.start", gte = 2019-01-01 }', 'question = "?"\n'),
        9,
        "a question belongs",
    ),
    (
        criterion("a", '"manual"', 'question = "?"\nsourc = "x"\n'),
        10,
        "unknown key 'sourc' (did you mean 'source'?)",
    ),
    ('[[calls.criteria]]\nid = "a"\ncheck = "manual"\nquestion = "?"\n', 5, "needs a `label`"),
    (
        '[[calls.criteria]]\nid = "call.x"\nlabel = "x"\ncheck = "manual"\nquestion = "?"\n',
        6,
        "reserved",
    ),
    (manual("a") + manual("a"), 11, "duplicate criterion id 'a'"),
]


@pytest.mark.parametrize(("criteria", "line", "message"), CASES)
def test_rule_errors_are_located(criteria: str, line: int, message: str) -> None:
    found = problems_of(criteria)
    assert found, "expected a problem"
    assert found[0].startswith(f"test.toml:{line}: call 'c': "), found
    assert any(message in p for p in found), found


def test_a_longer_cycle_is_reported_once() -> None:
    found = problems_of(
        criterion("a", '{ all_of = ["b"] }')
        + criterion("b", '{ any_of = ["c"] }')
        + criterion("c", '{ not = "a" }')
    )
    assert len(found) == 1
    assert "cycle between criteria: a → b → c → a" in found[0]


def test_validate_reports_rule_errors_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "calls.toml"
    path.write_text(
        '[[calls]]\nid = "c"\ntitle = "T"\nongoing = true\n\n'
        '[[calls.criteria]]\nid = "a"\nlabel = "A"\n'
        'check = { count = "partners", where = { path = "partners.typ", eq = "farmer" }, '
        "at_least = 1 }\n",
        encoding="utf-8",
    )
    result = cli("validate", str(path))
    assert result.exit_code == 1
    assert result.stdout.startswith(
        f"{path}:9: call 'c': criteria[0].check.where.path: unknown path 'partners.typ' inside "
        "partners (did you mean 'partners.type'?)"
    )


def test_a_good_call_compiles_to_frozen_picklable_criteria() -> None:
    call = call_from(
        criterion("n", '{ count = "partners", independent = true, at_least = 2 }')
        + manual("m")
        + criterion("both", '{ all_of = ["n", "m"] }')
        + criterion("t", '"call.territory"'),
        fields='ongoing = true\nterritory = ["FR-ARA"]',
    )
    assert [type(c.check) for c in call.criteria] == [
        Count,
        type(call.criteria[1].check),
        Combine,
        Builtin,
    ]
    assert all(isinstance(c, Criterion) for c in call.criteria)
    assert pickle.loads(pickle.dumps(call)) == call  # noqa: S301 (our own data)
    hash(call)  # criteria are hashable, so calls stay hashable
    assert call.criteria[0].describe() == {
        "id": "n",
        "label": "n",
        "source": None,
        "check": {"count": "partners", "independent": True, "at_least": 2},
        "question": None,
        "implicit": False,
    }


def test_the_flagship_criteria_cite_their_sources() -> None:
    call = load_catalog(None).get(FLAGSHIP)
    assert call is not None
    by_id = {c.id: c for c in call.criteria}
    assert set(by_id) == {
        "beneficiaires",
        "territoire",
        "partenariat",
        "acteurs-filiere",
        "circuit-court-ou-marche-local",
        "circuit-court",
        "marche-local",
        "depenses",
    }
    assert "1305/2013" in (by_id["partenariat"].source or "")
    assert "807/2014, article 11" in (by_id["circuit-court"].source or "")
    assert all(c.source for c in call.criteria)
    # no rate, floor or ceiling: the source gives none
    assert call.funding is not None
    assert (call.funding.rate, call.funding.min_eligible_cost, call.funding.max_aid) == (
        None,
        None,
        None,
    )


def test_show_lists_the_criteria() -> None:
    result = cli("show", FLAGSHIP, "--json")
    assert result.exit_code == 0
    shown = json.loads(result.stdout)["criteria"]
    assert shown[2]["id"] == "partenariat"
    assert shown[2]["check"] == {"count": "partners", "independent": True, "at_least": 2}
    text = cli("show", FLAGSHIP).stdout
    assert "Partenariat entre au moins deux entités indépendantes" in text


def test_unpickling_criteria_does_not_import_pydantic(tmp_path: Path) -> None:
    call = load_catalog(None).get(FLAGSHIP)
    dump = tmp_path / "call.pickle"
    dump.write_bytes(pickle.dumps(call))
    code = (
        "import pickle, sys; "
        f"call = pickle.loads(open({str(dump)!r}, 'rb').read()); "
        "assert len(call.criteria) == 8; "
        "assert 'pydantic' not in sys.modules, 'pydantic imported'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
