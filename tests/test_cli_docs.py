"""docs/cli.md holds every command's ``--help``, generated: it cannot drift from the options."""

from __future__ import annotations

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
