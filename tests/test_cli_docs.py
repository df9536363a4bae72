"""docs/cli.md holds every command's ``--help``, generated: it cannot drift from the options."""

from __future__ import annotations

import re

import pytest
import typer
from scripts import gen_cli_docs as gen

from callwatch.cli import app


def test_cli_md_is_generated_from_the_current_help() -> None:
    text = gen.CLI_MD.read_text(encoding="utf-8")
    assert gen.undocumented(text) == []
    # A failure here: run `python scripts/gen_cli_docs.py` and commit docs/cli.md.
    assert gen.render(text) == text


def test_every_option_of_every_command_is_on_the_page() -> None:
    text = gen.CLI_MD.read_text(encoding="utf-8")
    root = typer.main.get_command(app)
    for path in gen.every_command():
        command = root
        for name in path:
            command = command.get_command(typer.Context(command), name)  # type: ignore[attr-defined]
        for param in command.params:
            for flag in param.opts:
                if flag.startswith("-"):
                    assert flag in text, f"callwatch {' '.join(path)}: {flag} is not documented"


def test_the_check_sees_a_changed_option() -> None:
    text = gen.CLI_MD.read_text(encoding="utf-8")
    stale = text.replace("Only deadlines within WINDOW", "Only deadlines before WINDOW", 1)
    assert stale != text
    assert gen.render(stale) == text
    with pytest.raises(ValueError, match="names no command"):
        gen.render("<!-- help: callwatch frobnicate -->\n<!-- end help -->")
    start = text.index("\n<!-- help: callwatch list -->")
    end = text.index("<!-- end help -->", start) + len("<!-- end help -->")
    without = text[:start] + text[end:]
    assert "callwatch list" in gen.undocumented(without)
    assert gen.render(without) == text  # a new command's block is added to its section


def _codes(text: str) -> set[str]:
    """Exit codes as the pages list them: a number opening an item ("…: 0 eligible; 1 …")."""
    return set(re.findall(r"(?:^|[:;,]\s+)(\d+) [A-Za-z(`]", text, re.MULTILINE))


def test_every_exit_status_of_the_help_is_in_the_prose_beside_it() -> None:
    """A section's hand-written "Exit …" paragraph names every code its `--help` lists."""
    text = gen.CLI_MD.read_text(encoding="utf-8")
    checked = 0
    for section in re.split(r"\n## ", text):
        prose = re.search(r"^Exit\b.*?(?:\n\n|\Z)", section.split("<!-- help:")[0], re.M | re.S)
        status = re.search(r"Exit status.*?```", section, re.S)
        if prose is None or status is None:
            continue
        missing = _codes(status.group(0)) - _codes(prose.group(0))
        assert not missing, f"{section.splitlines()[0]}: exit {sorted(missing)} not in the prose"
        checked += 1
    assert checked >= 3


def test_a_help_that_lists_exit_codes_lists_every_code_of_the_page() -> None:
    """The other way round: where a command's help has an "Exit status" paragraph, it
    names every code the page's "Exit:" paragraph names (add and import lacked 73)."""
    text = gen.CLI_MD.read_text(encoding="utf-8")
    checked = 0
    for section in re.split(r"\n## ", text):
        prose = re.search(r"^Exit\b.*?(?:\n\n|\Z)", section.split("<!-- help:")[0], re.M | re.S)
        if prose is None:
            continue
        for block in re.finditer(
            r"<!-- help: (callwatch[^>]*?) -->(.*?)<!-- end help -->", section, re.S
        ):
            status = re.search(r"Exit status.*?```", block.group(2), re.S)
            if status is None:
                continue
            missing = _codes(prose.group(0)) - _codes(status.group(0))
            assert not missing, f"{block.group(1)} --help: exit {sorted(missing)} not listed"
            checked += 1
    assert checked >= 5
