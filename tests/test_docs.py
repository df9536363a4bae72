"""The documentation stays whole: links resolve, and every command and JSON shape is documented."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer

from callwatch.cli import app
from tests.conftest import subcommands

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^(```|~~~)")


def prose_lines(path: Path) -> list[str]:
    """The lines of a page outside its code blocks."""
    lines, inside = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line):
            inside = not inside
        elif not inside:
            lines.append(line)
    return lines


def anchors(path: Path) -> set[str]:
    """Heading anchors as GitHub makes them: lower case, punctuation dropped, spaces to '-'."""
    found: set[str] = set()
    for line in prose_lines(path):
        if line.startswith("#"):
            text = line.lstrip("#").strip().lower()
            slug = re.sub(r"[^\w\- ]", "", text).replace(" ", "-")
            n, base = 0, slug
            while slug in found:
                n += 1
                slug = f"{base}-{n}"
            found.add(slug)
    return found


def resolves(page: Path, target: str) -> bool:
    if target.startswith(("http://", "https://", "mailto:")):
        return True
    file_part, _, anchor = target.partition("#")
    dest = (page.parent / file_part).resolve() if file_part else page
    if not dest.exists():
        return False
    return not anchor or dest.suffix != ".md" or anchor in anchors(dest)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_and_anchor_resolves(page: Path) -> None:
    links = [target for line in prose_lines(page) for target in LINK.findall(line)]
    assert [target for target in links if not resolves(page, target)] == []


def test_the_link_check_can_fail() -> None:
    cli_md = DOCS / "cli.md"
    assert resolves(cli_md, "json.md#callwatch-list---json--callwatchlist1")
    assert not resolves(cli_md, "json.md#no-such-heading")
    assert not resolves(cli_md, "no-such-page.md")


def commands(command: Any, path: tuple[str, ...] = ()) -> list[str]:
    out = []
    for name, sub in subcommands(command):
        out.append(" ".join((*path, name)))
        out += commands(sub, (*path, name))
    return out


def test_cli_md_has_a_section_for_every_command() -> None:
    """``## `callwatch config init | show | path``` covers a group and its commands."""
    sections = {}
    for line in prose_lines(DOCS / "cli.md"):
        if line.startswith("## `callwatch "):
            words = line.removeprefix("## `callwatch ").rstrip("`").split()
            sections[words[0]] = set(words[1:])
    every = commands(typer.main.get_command(app))
    assert {"list", "check", "digest", "config show", "import eu-portal", "schema"} <= set(every)
    missing = []
    for name in every:
        group, _, sub = name.partition(" ")
        if group not in sections or (sub and sub not in sections[group]):
            missing.append(name)
    assert missing == []


def test_json_md_lists_every_schema_the_code_writes() -> None:
    shapes = set()
    for path in (ROOT / "src" / "callwatch").rglob("*.py"):
        shapes |= set(re.findall(r'"(callwatch\.[a-z.]+/\d+)"', path.read_text(encoding="utf-8")))
    assert len(shapes) >= 8
    text = (DOCS / "json.md").read_text(encoding="utf-8")
    assert sorted(s for s in shapes if f"`{s}`" not in text) == []


def test_the_docs_index_names_every_page() -> None:
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    pages = {p.name for p in DOCS.glob("*.md")} - {"README.md"}
    assert sorted(p for p in pages if f"({p})" not in index) == []
