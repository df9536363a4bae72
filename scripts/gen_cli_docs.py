"""Rewrite the ``--help`` blocks of docs/cli.md from the commands themselves.

    python scripts/gen_cli_docs.py            rewrite docs/cli.md (adds missing blocks)
    python scripts/gen_cli_docs.py --check    exit 1 when docs/cli.md is out of date

Each command and group has a block between ``<!-- help: callwatch CMD -->`` and
``<!-- end help -->`` holding what ``callwatch CMD --help`` prints;
the prose around the blocks is written by hand. The help is taken with Typer's
test runner, so at 80 columns whatever the terminal (``COLUMNS=80 callwatch CMD
--help`` prints the same). ``tests/test_cli_docs.py`` runs the
check, so an option cannot be added, renamed or re-worded without the page. The page
is in English whatever the locale (``CALLWATCH_LANG=en``, read when the help texts are
built).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

import typer
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
CLI_MD = ROOT / "docs" / "cli.md"
os.environ["CALLWATCH_LANG"] = "en"  # before callwatch builds its help texts
BLOCK = re.compile(r"(<!-- help: (callwatch[a-z -]*?) -->\n)(.*?)(<!-- end help -->)", re.DOTALL)


def command_paths(command: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every group and command under *command*, depth first, the tool itself first."""
    found = [path]
    context = typer.Context(command)
    for name in command.list_commands(context) if hasattr(command, "list_commands") else ():
        found += command_paths(command.get_command(context, name), (*path, name))
    return found


def every_command() -> list[tuple[str, ...]]:
    from callwatch.cli import app

    return command_paths(typer.main.get_command(app))


def help_text(path: tuple[str, ...]) -> str:
    """What ``callwatch PATH --help`` prints on an 80-column terminal."""
    from callwatch.cli import app

    result = CliRunner().invoke(app, [*path, "--help"], prog_name="callwatch")
    if result.exit_code != 0:
        raise RuntimeError(f"callwatch {' '.join(path)} --help failed: {result.output}")
    return result.stdout


def block(path: tuple[str, ...]) -> str:
    """The body of one block: the help, folded away under its command line."""
    command = " ".join(("callwatch", *path, "--help"))
    return (
        f"<details><summary><code>{command}</code></summary>\n\n"
        f"```text\n{help_text(path)}```\n\n</details>\n"
    )


def with_blocks(text: str) -> str:
    """*text* with an empty block for each command that has none, at the end of its
    section (``## `callwatch WORD…``` for ``callwatch WORD …``, the global options for
    ``callwatch`` itself)."""
    present = {m[2] for m in BLOCK.finditer(text)}
    lines = text.split("\n")
    for path in every_command():
        name = " ".join(("callwatch", *path))
        if name in present:
            continue
        heading = f"## `callwatch {path[0]}" if path else "## Global options"
        starts = [i for i, line in enumerate(lines) if line.startswith(heading)]
        if not starts:
            continue  # reported by undocumented()
        stop = next(
            (i for i in range(starts[0] + 1, len(lines)) if lines[i].startswith("## ")),
            len(lines),
        )
        end = stop
        while end > starts[0] + 1 and lines[end - 1] == "":
            end -= 1
        block = ["", f"<!-- help: {name} -->", "<!-- end help -->"]
        lines[end:stop] = [*block, ""] if stop < len(lines) else [*block, *lines[end:stop]]
    return "\n".join(lines)


def render(text: str) -> str:
    """*text* with every block's body generated again (and the missing blocks added)."""
    known = {" ".join(("callwatch", *p)): p for p in every_command()}
    text = with_blocks(text)

    def fill(match: re.Match[str]) -> str:
        path = known.get(match[2])
        if path is None:
            raise ValueError(f"docs/cli.md: a help block names no command: {match[2]!r}")
        return match[1] + block(path) + match[4]

    return BLOCK.sub(fill, text)


def undocumented(text: str) -> list[str]:
    """Commands without a block (and without a section to add it to)."""
    present = {m[2] for m in BLOCK.finditer(text)}
    names = [" ".join(("callwatch", *p)) for p in every_command()]
    return [name for name in names if name not in present]


def main(argv: list[str]) -> int:
    text = CLI_MD.read_text(encoding="utf-8")
    fresh = render(text)
    missing = undocumented(fresh)
    for name in missing:
        sys.stderr.write(f"docs/cli.md: no help block for `{name}`\n")
    if "--check" in argv:
        if fresh != text:
            sys.stderr.write("docs/cli.md is out of date: run python scripts/gen_cli_docs.py\n")
            return 1
        return 1 if missing else 0
    if fresh != text:
        CLI_MD.write_text(fresh, encoding="utf-8")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main(sys.argv[1:]))
