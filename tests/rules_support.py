"""Helpers shared by the eligibility tests: calls from TOML text, projects, the CLI."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from callwatch.cli import app
from callwatch.domain.clock import Clock, make_clock
from callwatch.domain.model import Call
from callwatch.domain.project import Partner, Project
from callwatch.files.loading import parse_calls
from callwatch.rules.engine import Explanation, Verdict, evaluate

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
FLAGSHIP = "feader-aura-2019-16-4"
DAY = "2019-03-01"


def clock(day: str = DAY) -> Clock:
    return make_clock(day)


def call_from(criteria: str = "", fields: str = "ongoing = true", ident: str = "c") -> Call:
    """One call written in TOML: its fields, then ``[[calls.criteria]]`` tables."""
    text = f'[[calls]]\nid = "{ident}"\ntitle = "Test call"\n{fields}\n{criteria}'
    calls, problems = parse_calls(tomllib.loads(text), text, "test.toml")
    assert not problems, [str(p) for p in problems]
    return calls[0]


def problems_of(criteria: str, fields: str = "ongoing = true") -> list[str]:
    """The problems a calls file with these criteria has (``file:line: message``)."""
    text = f'[[calls]]\nid = "c"\ntitle = "Test call"\n{fields}\n{criteria}'
    _calls, problems = parse_calls(tomllib.loads(text), text, "test.toml")
    return [str(p) for p in problems]


def manual(ident: str) -> str:
    return (
        f'[[calls.criteria]]\nid = "{ident}"\nlabel = "{ident}"\ncheck = "manual"\n'
        f'question = "{ident}?"\n'
    )


def criterion(ident: str, check: str, extra: str = "") -> str:
    return f'[[calls.criteria]]\nid = "{ident}"\nlabel = "{ident}"\ncheck = {check}\n{extra}'


def project(**fields: Any) -> Project:
    fields.setdefault("title", "Test project")
    return Project(**fields)


def partner(ident: str, **fields: Any) -> Partner:
    fields.setdefault("name", ident.upper())
    return Partner(id=ident, **fields)


def verdict(call: Call, proj: Project, day: str = DAY, lang: str = "en") -> Verdict:
    return evaluate(call, proj, clock(day), lang)


def find(v: Verdict, ident: str) -> Explanation:
    """The explanation of criterion *ident*, wherever it sits in the tree."""
    todo = list(v.criteria)
    while todo:
        e = todo.pop()
        if e.id == ident:
            return e
        todo.extend(e.children)
    raise KeyError(ident)


def status(call: Call, proj: Project, ident: str, day: str = DAY) -> bool | None:
    return find(verdict(call, proj, day), ident).status


def cli(*args: str, env: dict[str, str] | None = None) -> Result:
    base = {"NO_COLOR": "1", "CALLWATCH_TODAY": DAY, "CALLWATCH_DATA": "", "CALLWATCH_LANG": "en"}
    return CliRunner().invoke(app, list(args), env={**base, **(env or {})})
