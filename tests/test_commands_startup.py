"""The commands of this area load nothing heavy for --help, and end their help with examples."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.io_support import cli

HEAVY = ("pydantic", "icalendar", "tomlkit", "tomli_w", "pycountry", "rich", "jsonschema")

PROBE = """
import sys
from callwatch.cli import main
sys.argv = ["callwatch", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print("LOADED:" + ",".join(m for m in {heavy!r} if m in sys.modules))
"""

COMMANDS = [
    ["export"],
    ["import"],
    ["import", "aides-territoires"],
    ["import", "eu-portal"],
    ["add"],
    ["schema"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_loads_nothing_heavy(command: list[str]) -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *command, "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Usage:" in out
    assert out.splitlines()[-1] == "LOADED:"


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_ends_with_examples(command: list[str]) -> None:
    out = cli(*command, "--help").stdout
    assert "callwatch " in out[out.rindex("Examples:") :]
