"""Hostile shapes that once took minutes or crashed (issue 13), timed as whole processes.

    python bench/hostile.py            # every case, 3 runs each, median
    python bench/hostile.py -n 1       # one run each

Each case is a project file (or a calls file) built here, checked or listed by
``callwatch`` in a child process with the cache off, beside its goal:

- ``check``, 60 partners and 20 outside holdings each holding 60 % of three of them:
  ≤ 1 s (it was exponential: past 30 s);
- ``check``, a control cycle through 200 partners: ≤ 1 s (it took 15–24 s);
- ``check``, 999 partners without a ``control`` key: ≤ 2 s, no traceback (RecursionError);
- ``check``, 999 partners all held by one holding: ≤ 2 s;
- ``check``, chains of 1,000 / 2,000 / 5,000 partners each with decision power over
  the next (validation accepts them): ≤ 3 / 3 / 5 s (they took 2.3 s, 10 s, past 60 s:
  every pair is dependent, N²/2 of them; past a budget the count is a range); the
  same chains under a consortium criterion (``distinct``): 1,000 took 76 s; 5,000
  partners in eight countries: ≤ 3 s (it took 10–12 s listing the 12.5 million pairs);
- ``validate`` and ``list``, 50 calls with recurrences that never occur or end early:
  ≤ 3 s (one such call hung every command, or took 10 s to validate);
- ``export``, a daily rule from 1900-01-02: ≤ 1 s (each occurrence rescanned the rule
  from 1900: 75 s in iCalendar, 87 s in CSV).

Timings belong here, never in the test suite; the ratios are printed, nothing fails.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PY = sys.executable
CALL = """
[[calls]]
id = "partnership"
title = "Partenariat"
ongoing = true

[[calls.criteria]]
id = "independent"
label = "Two independent partners"
check = { count = "partners", independent = true, at_least = 2 }
"""


COUNTRIES = ("FR", "DE", "IT", "ES", "NL", "BE", "PL", "AT")


def partners(n: int, countries: bool = False) -> str:
    return "".join(
        f'\n[[partners]]\nid = "p{i}"\nname = "P{i}"\ntype = "private_sector"\n'
        + (f'territory = "{COUNTRIES[i % len(COUNTRIES)]}"\n' if countries else "")
        for i in range(n)
    )


def project(body: str, control: str | None) -> str:
    head = "" if control is None else control + "\n"
    return head + '[project]\ntitle = "Bench"\n' + body


def holdings_60_20() -> str:
    entities = "".join(f'\n[[entities]]\nid = "h{k}"\ntype = "private_sector"\n' for k in range(20))
    links = "".join(
        f'\n[[control]]\ncontroller = "h{k}"\ncontrolled = "p{3 * k + j}"\n'
        f'basis = "shares"\nshare = 0.6\n'
        for k in range(20)
        for j in range(3)
    )
    return project(partners(60) + entities + links, None)


def cycle_200() -> str:
    links = "".join(
        f'\n[[control]]\ncontroller = "p{i}"\ncontrolled = "p{(i + 1) % 200}"\n'
        f'basis = "shares"\nshare = 0.6\n'
        for i in range(200)
    )
    return project(partners(200) + links, None)


def chain(n: int, countries: bool = False) -> Callable[[], str]:
    """*n* partners, each with decision power over the next (N²/2 dependent pairs);
    with *countries*, each established in one of eight countries."""

    def make() -> str:
        links = "".join(
            f'\n[[control]]\ncontroller = "p{i}"\ncontrolled = "p{i + 1}"\n'
            'basis = "decision_power"\n'
            for i in range(n - 1)
        )
        return project(partners(n, countries) + links, None)

    return make


def undeclared_999() -> str:
    return project(partners(999), None)


def one_holding_999() -> str:
    links = "".join(
        f'\n[[control]]\ncontroller = "h"\ncontrolled = "p{i}"\nbasis = "decision_power"\n'
        for i in range(999)
    )
    entity = '\n[[entities]]\nid = "h"\ntype = "private_sector"\n'
    return project(partners(999) + entity + links, None)


RULES = [
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=MONTHLY;BYSETPOS=-1;BYMONTH=4;BYMONTHDAY=31",
    "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;UNTIL=19250101",
    "FREQ=YEARLY;BYWEEKNO=53;BYMONTH=1;BYDAY=SU",
    "FREQ=DAILY;BYDAY=MO",
]


def recurrences() -> str:
    return "".join(
        f'\n[[calls]]\nid = "r{i}"\ntitle = "R{i}"\ndeadlines = [{{ date = 1900-01-01 }}]\n'
        f'rrule = "{RULES[i % len(RULES)]}{";INTERVAL=" + str(i + 1) if i >= len(RULES) else ""}"\n'
        for i in range(50)
    )


def daily_from_1900() -> str:
    head = '[[calls]]\nid = "d"\ntitle = "D"\n'
    return head + 'rrule = "FREQ=DAILY"\ndeadlines = [{ date = 1900-01-02 }]\n'


CONSORTIUM = CALL.replace(
    "independent = true,", 'independent = true, distinct = "partners.country",'
).replace("at_least = 2", "at_least = 3")


def _project_case(make: Callable[[], str], call: str = CALL) -> Callable[[Path], list[str]]:
    def args(folder: Path) -> list[str]:
        calls, proj = folder / "calls.toml", folder / "project.toml"
        calls.write_text(call, encoding="utf-8")
        proj.write_text(make(), encoding="utf-8")
        return ["--data", str(calls), "check", str(proj), "--call", "partnership"]

    return args


def _calls_case(
    command: str, make: Callable[[], str] = recurrences, *options: str
) -> Callable[[Path], list[str]]:
    def args(folder: Path) -> list[str]:
        calls = folder / "calls.toml"
        calls.write_text(make(), encoding="utf-8")
        return ["--data", str(calls), command, *options]

    return args


CASES: list[tuple[str, Callable[[Path], list[str]], float]] = [
    ("check: 60 partners, 20 holdings x 3", _project_case(holdings_60_20), 1.0),
    ("check: 200-partner control cycle", _project_case(cycle_200), 1.0),
    ("check: 999 partners, control undeclared", _project_case(undeclared_999), 2.0),
    ("check: 999 partners under one holding", _project_case(one_holding_999), 2.0),
    ("check: chain of 1,000 controls", _project_case(chain(1000)), 3.0),
    ("check: chain of 2,000 controls", _project_case(chain(2000)), 3.0),
    ("check: chain of 5,000 controls", _project_case(chain(5000)), 5.0),
    ("check consortium: chain of 1,000", _project_case(chain(1000), CONSORTIUM), 3.0),
    ("check consortium: chain of 2,000", _project_case(chain(2000), CONSORTIUM), 3.0),
    (
        "check consortium: chain of 5,000, 8 countries",
        _project_case(chain(5000, countries=True), CONSORTIUM),
        3.0,
    ),
    ("validate: 50 hostile recurrences", _calls_case("validate"), 3.0),
    ("list: 50 hostile recurrences", _calls_case("list"), 3.0),
    (
        "export csv: a daily rule from 1900",
        _calls_case("export", daily_from_1900, "--format", "csv"),
        1.0,
    ),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", type=int, default=3, help="runs per case")
    opts = parser.parse_args(argv)
    env = {"CALLWATCH_CACHE": "off", "CALLWATCH_TODAY": "2019-03-01", "PATH": "/usr/bin:/bin"}
    print(f"{'case':45} {'median s':>9} {'goal s':>7}  exit  verdict")
    for name, make, goal in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            args = make(Path(tmp))
            times, codes, tracebacks = [], set(), False
            for _ in range(opts.n):
                start = time.perf_counter()
                done = subprocess.run(
                    [PY, "-m", "callwatch", *args], capture_output=True, env=env, check=False
                )
                times.append(time.perf_counter() - start)
                codes.add(done.returncode)
                tracebacks |= b"Traceback" in done.stderr
        took = statistics.median(times)
        verdict = "PASS" if took <= goal and not tracebacks else "FAIL"
        shown = ",".join(str(c) for c in sorted(codes))
        print(f"{name:45} {took:9.2f} {goal:7.1f}  {shown:>4}  {verdict} ({took / goal:.0%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
