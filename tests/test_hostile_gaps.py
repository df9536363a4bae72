"""The gaps a second audit of hostile input found after issue 13 landed: far dates
seen from another zone, recurrences expanded in one pass, deep control chains, and
special files where a command reads or writes."""

from __future__ import annotations

import pytest

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
