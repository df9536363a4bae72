"""`callwatch schema`: the JSON Schema an editor validates calls files with.

Checked with the `jsonschema` package, independently of pydantic: the shipped
calls file validates, broken ones do not.
"""

from __future__ import annotations

import copy
import json
import tomllib
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from callwatch.files.callspec import CallSpec
from tests.io_support import ROOT, SHIPPED, cli

EXAMPLES = ROOT / "examples"


def calls_schema() -> dict[str, Any]:
    result = cli("schema", "calls")
    assert result.exit_code == 0, result.output
    schema: dict[str, Any] = json.loads(result.stdout)
    return schema


def as_json(value: Any) -> Any:
    """A TOML document as an editor's TOML-to-JSON conversion sees it (dates as text)."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    return value


def errors(schema: dict[str, Any], document: Any) -> list[str]:
    validator = Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)
    return [e.message for e in validator.iter_errors(document)]


def test_the_schema_is_valid_draft7_and_portable() -> None:
    schema = calls_schema()
    Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    text = json.dumps(schema)
    assert "$defs" not in text
    assert '"format": "time"' not in text  # TOML local times have no offset
    assert '"type": "null"' not in text  # TOML has no null
    call = schema["definitions"]["CallSpec"]
    assert set(call["properties"]) == set(CallSpec.model_fields)
    assert call["additionalProperties"] is False
    assert "ISO 3166" in call["properties"]["territory"]["description"]


def test_the_shipped_calls_validate() -> None:
    document = as_json(tomllib.loads(SHIPPED.read_text(encoding="utf-8")))
    assert errors(calls_schema(), document) == []


def test_broken_calls_do_not_validate() -> None:
    schema = calls_schema()
    good = {
        "calls": [
            {
                "id": "x",
                "title": "X",
                "deadlines": [{"date": "2025-03-15", "time": "17:00:00"}],
                "funding": {"rate": 0.8},
            }
        ]
    }
    assert errors(schema, good) == []

    def broken(path: list[str | int], value: Any) -> Any:
        doc = copy.deepcopy(good)
        node: Any = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        return doc

    cases: list[tuple[list[str | int], Any]] = [
        (["calls", 0, "titel"], "X"),  # a typo: unknown field
        (["calls", 0, "title"], ""),
        (["calls", 0, "id"], "has space"),
        (["calls", 0, "beneficiaries"], "commune"),
        (["calls", 0, "deadlines", 0, "date"], "15/03/2025"),
        (["calls", 0, "funding", "rate"], 1.5),
        (["calls", 0, "recurrence"], "weekly"),
        (["extra"], 1),
    ]
    for path, value in cases:
        assert errors(schema, broken(path, value)), path


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "calls.schema.json"
    result = cli("schema", "calls", "-o", str(out))
    assert result.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == calls_schema()


def test_unknown_kind() -> None:
    result = cli("schema", "budget", "--lang", "en")
    assert result.exit_code == 2
    assert "expected one of calls, project" in result.stderr


def test_project_schema_is_valid_and_the_examples_validate() -> None:
    result = cli("schema", "project")
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    Draft7Validator.check_schema(schema)
    assert "$defs" not in json.dumps(schema)
    examples = sorted(EXAMPLES.glob("*.toml"))
    assert examples
    for path in examples:
        document = as_json(tomllib.loads(path.read_text(encoding="utf-8")))
        assert errors(schema, document) == [], path.name
        document["project"]["titel"] = "typo"
        assert errors(schema, document), path.name


@pytest.mark.parametrize("kind", ["calls"])
def test_help_has_examples(kind: str) -> None:
    result = cli("schema", "--help")
    assert result.exit_code == 0
    assert f"callwatch schema {kind}" in result.stdout


def test_team_territories_validate_in_the_calls_schema() -> None:
    schema = calls_schema()
    team = {"id": "gal-livradois-forez", "name": "GAL", "members": ["epci:200070761"]}
    assert errors(schema, {"territories": [team]}) == []
    assert errors(schema, {"territories": [{**team, "members": []}]}) != []
    assert errors(schema, {"territories": [{**team, "colour": "red"}]}) != []
