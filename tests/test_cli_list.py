"""`callwatch list`: the Monday-morning view."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Invoke, WriteCalls

CALLS = """
[[calls]]
id = "soon"
title = "Closes soon"
territory = ["FR-ARA"]
beneficiaries = ["legal_person"]
themes = ["Circuits courts"]
funders = ["Région Auvergne-Rhône-Alpes"]
deadlines = [{ date = 2019-03-05 }]

[[calls]]
id = "later"
title = "Closes later"
territory = ["FR-69"]
beneficiaries = ["private_person"]
deadlines = [{ date = 2019-06-30 }]

[[calls]]
id = "eu"
title = "EU topic"
timezone = "Europe/Brussels"
deadlines = [{ date = 2019-03-20, time = 17:00:00 }]

[[calls]]
id = "perm"
title = "Permanent aid"
ongoing = true
territory = ["FR"]

[[calls]]
id = "past"
title = "Closed already"
deadlines = [{ date = 2019-01-15 }]

[[calls]]
id = "future"
title = "Opens in April"
opens = 2019-04-01
deadlines = [{ date = 2019-04-20 }]
"""


def ids(output: str) -> list[str]:
    return [c["id"] for c in json.loads(output)["calls"]]


@pytest.fixture
def data(write_calls: WriteCalls) -> str:
    return str(write_calls(CALLS))


def test_flagship_with_today_2019_03_01_has_14_days_left(cli: Invoke) -> None:
    result = cli("--today", "2019-03-01", "list", "--due", "--json")
    assert result.exit_code == 0
    (entry,) = json.loads(result.stdout)["calls"]
    assert entry["id"] == "feader-aura-2019-16-4"
    assert entry["next_deadline"]["date"] == "2019-03-15"
    assert entry["next_deadline"]["days_left"] == 14
    assert entry["next_deadline"]["closes_at"] == "2019-03-15T23:59:59+01:00"
    assert entry["status"] == "closing_soon"


def test_flagship_second_round_after_the_first(cli: Invoke) -> None:
    result = cli("list", "--due", "3m", "--json", "--today", "2019-03-16")
    (entry,) = json.loads(result.stdout)["calls"]
    assert entry["next_deadline"]["date"] == "2019-05-29"
    assert entry["next_deadline"]["label"] == "2e session"
    assert entry["next_deadline"]["days_left"] == 74


def test_human_output_shows_days_left(cli: Invoke) -> None:
    result = cli("--today", "2019-03-01", "list", "--due")
    lines = result.stdout.splitlines()
    # Piped with no known width: one record per line, the title last (nothing padded to it).
    assert lines[0].split() == ["Deadline", "Days", "Status", "Id", "Round", "Title"]
    assert lines[1].split()[:4] == ["2019-03-15", "14", "closing", "soon"]
    assert "feader-aura-2019-16-4" in lines[1]


def test_the_round_column_only_when_a_round_has_a_label(cli: Invoke, data: str) -> None:
    """None of these rounds is labelled: a column of blanks would only take width."""
    result = cli("--today", "2019-03-01", "list", "--data", data)
    assert result.stdout.splitlines()[0].split() == ["Deadline", "Days", "Status", "Id", "Title"]
    result = cli("--today", "2019-03-01", "list", "--data", data, "--lang", "fr")
    assert "Session" not in result.stdout.splitlines()[0]


def test_list_orders_by_next_deadline_with_ongoing_after(cli: Invoke, data: str) -> None:
    result = cli("list", "--json", "--data", data, "--today", "2019-03-01")
    assert ids(result.stdout) == ["soon", "eu", "future", "later", "perm"]


def test_due_window_default_is_30_days(cli: Invoke, data: str) -> None:
    assert ids(cli("list", "--due", "--json", "-d", data, "--today", "2019-03-01").stdout) == [
        "soon",
        "eu",
    ]


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        ("4d", ["soon"]),
        ("4", ["soon"]),
        ("3w", ["soon", "eu"]),
        ("2m", ["soon", "eu", "future"]),
        ("2019-06-30", ["soon", "eu", "future", "later"]),
    ],
)
def test_due_windows(cli: Invoke, data: str, window: str, expected: list[str]) -> None:
    result = cli("list", "--due", window, "--json", "-d", data, "--today", "2019-03-01")
    assert ids(result.stdout) == expected


def test_all_includes_closed_calls_last(cli: Invoke, data: str) -> None:
    result = cli("list", "--all", "--json", "-d", data, "--today", "2019-03-01")
    listed = json.loads(result.stdout)["calls"]
    assert [c["id"] for c in listed][-1] == "past"
    assert listed[-1]["status"] == "closed"


def test_brussels_deadline_at_18h_paris_is_gone(cli: Invoke, data: str) -> None:
    before = cli("list", "--json", "-d", data, "--today", "2019-03-20T16:59")
    after = cli("list", "--json", "-d", data, "--today", "2019-03-20T18:00")
    assert "eu" in ids(before.stdout)
    assert "eu" not in ids(after.stdout)


def test_deadline_today_still_listed_with_zero_days(cli: Invoke, data: str) -> None:
    result = cli("list", "--due", "--json", "-d", data, "--today", "2019-03-05T22:00")
    soon = json.loads(result.stdout)["calls"][0]
    assert soon["id"] == "soon" and soon["next_deadline"]["days_left"] == 0
    human = cli("list", "--due", "-d", data, "--today", "2019-03-05T22:00")
    assert "today" in human.stdout.splitlines()[1]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--territory", "FR-63"], ["soon", "eu", "future", "perm"]),
        (["--territory", "fr-69"], ["soon", "eu", "future", "later", "perm"]),
        (["--territory", "FR-ARA"], ["soon", "eu", "future", "later", "perm"]),
        (["--territory", "FR-BRE"], ["eu", "future", "perm"]),
        (["--beneficiary", "association"], ["soon", "eu", "future", "perm"]),
        (["--beneficiary", "private_person"], ["eu", "future", "later", "perm"]),
        (["--theme", "circuits"], ["soon"]),
        (["--funder", "region auvergne"], ["soon"]),
        (["--theme", "circuits", "--theme", "nothing"], ["soon"]),
        (["--territory", "FR-63", "--beneficiary", "private_person"], ["eu", "future", "perm"]),
    ],
)
def test_filters(cli: Invoke, data: str, args: list[str], expected: list[str]) -> None:
    result = cli("list", "--json", "-d", data, "--today", "2019-03-01", *args)
    assert result.exit_code == 0, result.output
    assert ids(result.stdout) == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--territory", "FR-999"], "--territory: unknown territory code 'FR-999'"),
        (["--beneficiary", "mayor"], "--beneficiary: unknown code 'mayor'"),
        (["--beneficiary", "asso"], "--beneficiary: unknown code 'asso'"),
        (["--due", "soon"], "--due: invalid window 'soon'"),
        (["--today", "yesterday"], "--today: invalid date 'yesterday'"),
        (["--lang", "de"], "--lang: unknown language 'de'"),
    ],
)
def test_bad_arguments_are_one_line_usage_errors(
    cli: Invoke, args: list[str], message: str
) -> None:
    result = cli("list", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"callwatch: {message}")
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""
    if "asso" in args:  # a beginning or a typo of a code gets its did-you-mean
        assert result.stderr.rstrip().endswith("(did you mean 'association'?)")


def test_nothing_due_is_silent_when_piped(cli: Invoke, data: str) -> None:
    result = cli("list", "--due", "-d", data, "--today", "2030-01-01")
    assert result.exit_code == 0
    assert result.stdout == "" and result.stderr == ""


def test_nothing_due_says_so_on_a_terminal(cli: Invoke, data: str) -> None:
    result = cli("list", "--due", "-d", data, "--today", "2030-01-01", env={"FORCE_COLOR": "1"})
    assert result.stdout.strip() == "Nothing due by 2030-01-31."


def test_french_labels(cli: Invoke) -> None:
    result = cli("--lang", "fr", "--today", "2019-03-01", "list", "--due")
    assert result.stdout.split()[:2] == ["Échéance", "Jours"]
    assert "clôture proche" in result.stdout


def test_invalid_data_still_lists_the_good_calls_and_exits_65(
    cli: Invoke, write_calls: WriteCalls
) -> None:
    good = write_calls(CALLS, "good.toml")
    bad = write_calls(
        '[[calls]]\nid = "bad"\ntitle = "B"\ndeadlines = [{ date = "x" }]\n', "bad.toml"
    )
    result = cli("list", "--json", "-d", str(good), "-d", str(bad), "--today", "2019-03-01")
    assert result.exit_code == 65
    assert "soon" in ids(result.stdout)
    assert result.stderr.startswith(f"{bad}:4: call 'bad': deadlines[0].date")


def test_env_data_and_today(cli: Invoke, data: str) -> None:
    result = cli("list", "--json", env={"CALLWATCH_DATA": data, "CALLWATCH_TODAY": "2019-03-01"})
    assert ids(result.stdout)[0] == "soon"


def test_json_shape_is_stable(cli: Invoke, data: str) -> None:
    doc = json.loads(cli("list", "--json", "-d", data, "--today", "2019-03-01").stdout)
    assert doc["schema"] == "callwatch.list/1"
    assert doc["now"] == "2019-03-01T00:00:00+01:00"
    assert set(doc["calls"][0]) >= {
        "id", "title", "status", "next_deadline", "ongoing", "programme", "measure",
        "funders", "territory", "beneficiaries", "themes", "url", "sources",
    }  # fmt: skip
    eu = next(c for c in doc["calls"] if c["id"] == "eu")
    assert eu["next_deadline"] == {
        "label": None,
        "date": "2019-03-20",
        "time": "17:00",
        "timezone": "Europe/Brussels",
        "all_day": False,
        "closes_at": "2019-03-20T17:00:00+01:00",
        "opens": None,
        "recurring": False,
        "invited": False,
        "status": "open",
        "days_left": 19,
    }


def test_a_round_is_not_open_before_its_call_opens(cli: Invoke, data: str) -> None:
    """'future' opens on 1 April: its round is upcoming too, in list --json, show and
    show --json (it read "open" beside a call marked upcoming)."""
    listed = json.loads(cli("--today", "2019-03-01", "list", "--data", data, "--json").stdout)
    future = next(c for c in listed["calls"] if c["id"] == "future")
    assert future["status"] == "upcoming" and future["next_deadline"]["status"] == "upcoming"
    shown = json.loads(
        cli("--today", "2019-03-01", "show", "future", "--data", data, "--json").stdout
    )
    assert [r["status"] for r in shown["rounds"]] == ["upcoming"]
    table = cli("--today", "2019-03-01", "show", "future", "--data", data).stdout
    rounds = table[table.index("Rounds") :].splitlines()
    assert "upcoming" in rounds[2] and "open" not in rounds[2]
    opened = json.loads(
        cli("--today", "2019-04-02", "show", "future", "--data", data, "--json").stdout
    )
    assert [r["status"] for r in opened["rounds"]] == ["open"]
