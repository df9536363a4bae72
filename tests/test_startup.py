"""Start-up: help is fast because it loads nothing heavy; `python -m callwatch` works."""

from __future__ import annotations

import subprocess
import sys

import pytest

from callwatch import __version__
from tests.conftest import Invoke

HEAVY = ("pydantic", "icalendar", "smtplib", "email.mime", "babel", "tomlkit", "pycountry", "rich")

PROBE = """
import sys
from callwatch.cli import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
print("LOADED:" + ",".join(m for m in {heavy!r} if m in sys.modules))
"""


def loaded_after(*args: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = out.splitlines()[-1]
    assert line.startswith("LOADED:"), out
    return [m for m in line.removeprefix("LOADED:").split(",") if m]


def test_help_imports_nothing_heavy() -> None:
    assert loaded_after("--help") == []


@pytest.mark.parametrize("command", ["list", "show", "validate"])
def test_command_help_imports_nothing_heavy(command: str) -> None:
    assert loaded_after(command, "--help") == []


def test_help_ends_with_examples(cli: Invoke) -> None:
    for args in ([], ["list"], ["show"], ["validate"]):
        out = cli(*args, "--help").stdout
        tail = out[out.rindex("Examples:") :]
        assert "callwatch " in tail, args


def test_version_and_module_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "callwatch", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == f"callwatch {__version__}"


def test_unknown_option_is_a_usage_error(cli: Invoke) -> None:
    result = cli("list", "--frobnicate")
    assert result.exit_code == 2
    assert "No such option: --frobnicate" in result.stderr
    assert "Traceback" not in result.output
