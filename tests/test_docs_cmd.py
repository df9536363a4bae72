"""`callwatch docs`: the shipped documentation, and a man page generated from the CLI."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from callwatch.cli.app import COMMANDS
from callwatch.files.manual import TOPICS
from tests.conftest import Invoke
from tests.io_support import ROOT


def test_every_topic_prints_its_page(cli: Invoke) -> None:
    listing = cli("docs").stdout
    for topic, (file, _) in TOPICS.items():
        assert listing.count(f"\n{topic} ") + listing.startswith(f"{topic} ") == 1
        assert cli("docs", topic).stdout == (ROOT / "docs" / file).read_text(encoding="utf-8")
    assert "man " in listing


def test_every_page_of_the_docs_folder_is_a_topic() -> None:
    shipped = {file for file, _ in TOPICS.values()}
    pages = {p.name for p in (ROOT / "docs").glob("*.md")}
    assert pages - shipped == {
        "README.md",
        "architecture.md",
        "benchmarks.md",
        "contributing.md",
        "i18n.md",
        "output.md",  # for contributors: how tables fit
    }


def test_an_unknown_topic_is_a_usage_error(cli: Invoke) -> None:
    result = cli("docs", "calss")
    assert result.exit_code == 2
    assert "did you mean 'calls'?" in result.stderr


def test_help_points_to_the_docs_command(cli: Invoke) -> None:
    text = cli("--help").stdout
    assert "callwatch docs" in text and "docs/cli.md" not in text


def test_the_man_page_covers_every_command(cli: Invoke) -> None:
    page = cli("--today", "2030-01-02", "docs", "man").stdout
    assert page.startswith('.TH CALLWATCH 1 "2030-01-02"')
    for name in COMMANDS:
        assert f".SS callwatch {name}" in page
    assert ".SS callwatch config where" in page and "\\fB--format" in page


@pytest.mark.skipif(shutil.which("groff") is None, reason="groff is not installed")
def test_the_man_page_is_valid_roff(cli: Invoke) -> None:
    page = cli("docs", "man").stdout
    rendered = subprocess.run(
        ["groff", "-man", "-Tutf8", "-ww"], input=page, capture_output=True, text=True, check=True
    )
    assert rendered.stderr == ""
    assert "callwatch new" in rendered.stdout
