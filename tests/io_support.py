"""Running the CLI in tests: a clean environment, the real files in tmp_path."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from typer.testing import CliRunner, Result

import callwatch.cli  # noqa: F401  (registers the commands on the app)
from callwatch.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / "calls.toml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"  # copies of shared/data (README there)
AT_CSV = FIXTURES / "aides-periurbain-sample.csv"
EU_BULK = FIXTURES / "grantsTenders-sample.json"
EU_SEARCH = FIXTURES / "eu-search-api-record.json"

# Nothing from the developer's shell may leak in: no data, no date, no colour.
CLEAN_ENV: dict[str, str | None] = {
    "CALLWATCH_DATA": None,
    "CALLWATCH_TODAY": None,
    "CALLWATCH_TZ": None,
    "CALLWATCH_LANG": "fr",
    "NO_COLOR": "1",
    "FORCE_COLOR": None,
}


def cli(*args: str, stdin: str | None = None, env: Mapping[str, str | None] = {}) -> Result:
    runner = CliRunner()
    return runner.invoke(app, list(args), input=stdin, env={**CLEAN_ENV, **env})
