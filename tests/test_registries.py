"""The registries of extension points: portal readers and export formats.

The ``import`` sub-commands are generated from the portal registry and ``export``
picks its writer from the format registry; a format added the way
docs/contributing.md says runs through the CLI like the built-in ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from callwatch.domain.errors import CallwatchError
from callwatch.services import formats, portals
from tests.conftest import Invoke

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_every_portal_is_an_import_subcommand(cli: Invoke) -> None:
    listed = cli("import", "--help").stdout
    for portal in portals.PORTALS.values():
        assert f"  {portal.name} " in listed
        page = cli("import", portal.name, "--help").stdout
        assert portal.help.split(":")[0] in " ".join(page.split())
        for flag in portal.flags:
            assert f"--{flag.name}" in page


def test_a_portal_converts_records_already_read() -> None:
    """What a fetching command does: records from the portal's API, to calls."""
    raw = json.loads((FIXTURES / "eu-search-api-record.json").read_text(encoding="utf-8"))
    from_file = portals.PORTALS["eu-portal"].read(FIXTURES / "eu-search-api-record.json")
    from_records = portals.PORTALS["eu-portal"].from_records([raw], "https://example.test/api")
    assert [r.table for r in from_records.records] == [r.table for r in from_file.records]
    assert from_records.file == "https://example.test/api"
    aides = portals.PORTALS["aides-territoires"].from_records([{"name": "x"}, 3], "api")
    assert aides.read == 2 and len(aides.skipped) == 2  # neither is a whole aid: both skipped


def test_a_name_is_registered_once() -> None:
    with pytest.raises(ValueError, match="already registered"):
        portals.register(portals.PORTALS["eu-portal"])
    with pytest.raises(ValueError, match="already registered"):
        formats.register(formats.Format("calendar", "", lambda items, ctx: b"", ("ics",)))


def test_format_from_option_then_extension_then_ics() -> None:
    assert formats.choose("CSV", Path("x.ics")).name == "csv"
    assert formats.choose("csv", Path("rounds.txt")).name == "csv"
    assert formats.choose(None, Path("rounds.JSON")).name == "json"
    assert formats.choose(None, None).name == "ics"  # standard output
    with pytest.raises(CallwatchError, match=r"cannot tell the format of 'rounds\.txt'"):
        formats.choose(None, Path("rounds.txt"))


# -- the example of docs/contributing.md: a Markdown export ----------------------

CONTRIBUTING = Path(__file__).resolve().parents[1] / "docs" / "contributing.md"


def page_example() -> str:
    """The Python block of contributing.md's "An export format" section."""
    text = CONTRIBUTING.read_text(encoding="utf-8")
    section = text[text.index("## An export format") :]
    return section[section.index("```python\n") + 10 : section.index("```\n", 10)]


@pytest.fixture
def markdown() -> Iterator[formats.Format]:
    """The page's example, run as the page says (it registers the format)."""
    exec(compile(page_example(), str(CONTRIBUTING), "exec"), {})  # noqa: S102
    yield formats.FORMATS["md"]
    del formats.FORMATS["md"]


def test_a_registered_format_runs_through_the_cli(
    cli: Invoke, tmp_path: Path, markdown: formats.Format
) -> None:
    out = cli("--today", "2019-03-01", "export", "--format", "md", "--due", "3m")
    assert out.exit_code == 0, out.stderr
    assert out.stdout.startswith("| deadline | call |\n|---|---|\n")
    assert "| 2019-03-15 23:59 | feader-aura-2019-16-4 |" in out.stdout
    target = tmp_path / "deadlines.md"  # chosen by the extension
    written = cli("--today", "2019-03-01", "export", "--due", "3m", "-o", str(target))
    assert written.exit_code == 0
    assert target.read_bytes() == out.stdout.encode("utf-8")
    unknown = cli("export", "--format", "pdf")
    assert unknown.exit_code == 2
    assert "expected one of ics, json, csv, md" in unknown.stderr
