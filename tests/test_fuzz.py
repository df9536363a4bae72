"""No traceback on any input (issue 13): the cases the fuzzing found, and a small bounded
fuzz of mutated calls files, project files and import records through the commands.

Every run must end with a documented exit code, and every line on stderr must be
``callwatch: message`` or ``file[:line]: message`` — never a traceback.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from callwatch.cli.app import app
from tests.io_support import AT_CSV, EU_BULK

DOCUMENTED = {0, 1, 2, 3, 65, 73}
ENV = {"CALLWATCH_TODAY": "2019-03-01", "CALLWATCH_CACHE": "off", "NO_COLOR": "1"}

CALLS = """\
[[calls]]
id = "leader-2019"
title = "LEADER : coopération"
url = "https://example.org/leader"
territory = ["FR-ARA"]
beneficiaries = ["association"]
deadlines = [{ date = 2019-03-15, label = "1re session" }, { date = 2019-05-29, time = 17:00:00 }]
rrule = "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15"

[calls.funding]
rate = 0.8
max_aid = 100000

[[calls.criteria]]
id = "two"
label = "Two independent partners"
check = { count = "partners", independent = true, at_least = 2 }

[[calls.criteria]]
id = "both"
label = "Both"
check = { all_of = ["two"] }

[[calls]]
id = "ongoing"
title = "Permanent"
ongoing = true
"""

PROJECT = """\
[project]
title = "Légumerie"
territory = "FR-63"

[[partners]]
id = "a"
name = "A"
type = "association"

[[partners]]
id = "b"
name = "B"
type = "private_sector"

[[entities]]
id = "h"
type = "private_sector"

[[control]]
controller = "h"
controlled = "a"
basis = "shares"
share = 0.6
"""

# Lines that once broke a command, spliced into the files by the fuzzer.
HOSTILE_LINES = [
    'rrule = "FREQ=WEEKLY;INTERVAL=0"',
    'rrule = "FREQ=SECONDLY"',
    'rrule = "FREQ=MINUTELY;COUNT=1000000000"',
    'rrule = "DTSTART;TZID=../../etc/passwd:20190101T000000\\nRRULE:FREQ=DAILY"',
    'rrule = "FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30"',
    "opens = 0001-01-01",
    "deadlines = [{ date = 9999-12-31 }]",
    "deadlines = [{ date = 0001-01-01, time = 00:00:00 }]",
    'url = "https://x.org/\\u001b]8;;https://evil\\u0007"',
    'title = "\\u202e\\u3164\\u061c"',
    "max_aid = " + "9" * 5000,
    "themes = " + "[" * 3000 + "]" * 3000,
    "x = " + "{a=" * 200 + "1" + "}" * 200,
    'check = { count = "partners", independent = true, at_least = 99999999999 }',
    "share = 1e308",
    'timezone = "../../../etc/passwd"',
    "[[calls]]",
    "[[partners]]",
    "control = []",
    '"\\ud800" = 1',
]


def run(args: Sequence[str]) -> Result:
    return CliRunner().invoke(app, list(args), env=ENV, catch_exceptions=True)


def assert_clean(result: Result, files: Sequence[Path]) -> None:
    """A documented exit code, and only one-line messages on stderr."""
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), repr(result.exception)
    assert result.exit_code in DOCUMENTED, (result.exit_code, result.output[-2000:])
    assert "Traceback" not in result.output
    places = "|".join(re.escape(str(f)) for f in files)
    allowed = re.compile(rf"^(callwatch: |({places})(:\d+)?: |\d+ problems? in |\S+\.(csv|json): )")
    for line in result.stderr.splitlines():
        if line.strip():
            assert allowed.match(line) or not line.startswith(" "), line


def mutate(text: str, data: st.DataObject) -> str:
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(lines)))
        action = data.draw(st.sampled_from(["hostile", "delete", "duplicate", "noise", "cut"]))
        if action == "hostile":
            lines.insert(at, data.draw(st.sampled_from(HOSTILE_LINES)))
        elif action == "delete" and lines:
            del lines[min(at, len(lines) - 1)]
        elif action == "duplicate" and lines:
            lines.insert(at, lines[min(at, len(lines) - 1)])
        elif action == "noise":
            noise = data.draw(st.text(max_size=20))
            line = lines[min(at, len(lines) - 1)] if lines else ""
            cut = data.draw(st.integers(0, len(line)))
            lines[min(at, len(lines) - 1) if lines else 0 : min(at, len(lines) - 1) + 1] = [
                line[:cut] + noise + line[cut:]
            ]
        else:
            lines = lines[:at]
    return "\n".join(lines)


FUZZ = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@FUZZ
@given(st.data())
def test_mutated_calls_and_project_files_never_crash(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        calls, proj = Path(tmp, "calls.toml"), Path(tmp, "project.toml")
        calls.write_text(mutate(CALLS, data), encoding="utf-8", errors="surrogatepass")
        proj.write_text(mutate(PROJECT, data), encoding="utf-8", errors="surrogatepass")
        out = Path(tmp, "out.ics")
        for args in (
            ["validate", str(calls), str(proj)],
            ["--data", str(calls), "list", "--all"],
            ["--data", str(calls), "list", "--json"],
            ["--data", str(calls), "show", "leader-2019"],
            ["--data", str(calls), "check", str(proj)],
            ["--data", str(calls), "check", str(proj), "--call", "leader-2019", "--json"],
            ["--data", str(calls), "export", "-o", str(out), "--force"],
            ["--data", str(calls), "export", "-f", "json"],
        ):
            assert_clean(run(args), [calls, proj, out])


def json_mutations(value: object, data: st.DataObject, depth: int = 0) -> object:
    """*value* with some leaves replaced by hostile JSON values."""
    hostile: st.SearchStrategy[object] = st.sampled_from(
        [None, 10**30, -1, 1e308, "", "\u202e\x1b[31m", [], {}, "9999-12-31", "x" * 500]
    )
    if isinstance(value, dict):
        return {k: json_mutations(v, data, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [json_mutations(v, data, depth + 1) for v in value[:3]]
    return data.draw(hostile) if data.draw(st.integers(0, 5)) == 0 else value


@FUZZ
@given(st.data())
def test_mutated_import_records_never_crash(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        csv_path, json_path = Path(tmp, "aides.csv"), Path(tmp, "eu.json")
        csv_text = "\n".join(AT_CSV.read_text(encoding="utf-8").split("\n")[:6])
        csv_path.write_text(mutate(csv_text, data), encoding="utf-8", errors="surrogatepass")
        document = json.loads(EU_BULK.read_text(encoding="utf-8"))
        json_path.write_text(json.dumps(json_mutations(document, data)), encoding="utf-8")
        target = Path(tmp, "calls.toml")
        for args in (
            ["import", "aides-territoires", str(csv_path), "-o", str(target)],
            ["import", "eu-portal", str(json_path), "-o", str(target)],
            ["import", "eu-portal", str(json_path), "--dry-run", "--json"],
            ["--data", str(target), "list", "--all"],
        ):
            assert_clean(run(args), [csv_path, json_path, target])


@pytest.mark.parametrize(
    ("name", "content", "command"),
    [
        ("deep.json", "[" * 3000 + "]" * 3000, "eu-portal"),
        ("digits.json", '{"fundingData": ' + "9" * 5000 + "}", "eu-portal"),
        (
            "cell.csv",
            AT_CSV.read_text(encoding="utf-8").split("\n")[0]
            + "\n"
            + "a,https://aides-territoires.beta.gouv.fr/aides/x/,f,b,t,n,r,"
            + '"'
            + "x" * 140_000
            + '",\n',
            "aides-territoires",
        ),
    ],
)
def test_the_import_cases_found_by_fuzzing_are_one_line(
    tmp_path: Path, name: str, content: str, command: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = run(["import", command, str(path)])
    assert result.exit_code == 65
    assert result.stderr.startswith(f"callwatch: {path}")
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    "line",
    ["themes = " + "[" * 3000 + "]" * 3000, "remind_days = [" + "9" * 5000 + "]"],
)
def test_the_calls_file_cases_found_by_fuzzing_are_one_line(tmp_path: Path, line: str) -> None:
    path = tmp_path / "calls.toml"
    path.write_text(f'[[calls]]\nid = "x"\ntitle = "X"\nongoing = true\n{line}\n')
    result = run(["--data", str(path), "list"])
    assert result.exit_code == 65
    assert result.stderr.startswith(f"{path}:5: invalid TOML: ")  # the line: found after the fact
