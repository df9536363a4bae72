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


def test_a_help_that_lists_exit_codes_lists_every_code_of_the_page() -> None:
    """Where a command's help has an "Exit status" paragraph, it names every code the
    page's "Exit:" paragraph for that command names (add and import lacked 73)."""
    text = gen.CLI_MD.read_text(encoding="utf-8")
    checked = 0
    for section in re.split(r"\n(?=## )", text):
        prose = re.search(r"\nExit: (.*?)\n\n", section, re.S)
        if prose is None:
            continue
        documented = set(re.findall(r"(?:^|[;,] )(\d+)\b", prose.group(1)))
        for block in re.finditer(
            r"<!-- help: (callwatch[^>]*?) -->(.*?)<!-- end help -->", section, re.S
        ):
            status = re.search(r"Exit status(.*?)```", block.group(2), re.S)
            if status is None:
                continue
            listed = set(re.findall(r"(?:: |[;,] |\n\s*)(\d+)\b", status.group(1)))
            assert documented <= listed, (block.group(1), sorted(documented - listed))
            checked += 1
    assert checked >= 5
