"""`--help` of every command and sub-command reads in French under ``--lang fr``.

The check does not rely on the catalog (an unmarked string is in no catalog): the
help of each command is rendered in French and in English, unwrapped (one option per
line, whatever its length), and a piece of text that is the same in both languages
and still holds a word of four letters or more is English left untranslated. What
must stay as written is allowed: option names, metavars, file names and paths, codes,
quoted values and example command lines (their comments are checked).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
import typer

from callwatch.cli import app
from tests.test_startup import command_paths

ROOT = Path(__file__).resolve().parents[1]
PATHS = command_paths(typer.main.get_command(app))

# Renders the help of every command path given on stdin, in the language of the
# environment, with the formatter `--help` uses and a width that wraps nothing.
RENDER = """
import json, sys
import typer
from callwatch.cli.app import app
from callwatch.cli.app import TranslatedContext

root = typer.main.get_command(app)
out = {}
for path in json.load(sys.stdin):
    command, ctx = root, TranslatedContext(root, info_name="callwatch", terminal_width=5000,
                                           max_content_width=5000)
    for name in path:
        command = command.get_command(ctx, name)
        ctx = TranslatedContext(command, info_name=name, parent=ctx)
    out[" ".join(path)] = command.get_help(ctx)
print(json.dumps(out))
"""

# Words that are the same in French and English, or names.
SAME = {"options", "arguments", "callwatch", "exemple"}
# The programs an example line may start with: the line is a command, kept as written.
PROGRAMS = ("callwatch", "cd", "git", "man", "jq", "less")
# Command names, listed under "Commands:".
NAMES = {name for path in PATHS for name in path}
KEPT = re.compile(
    r"""
      "[^"]*" | '[^']*' | `[^`]*`            # quoted values and code
    | (?<!\w)--?[\w-]+(?:[=/]\S*)?           # option names
    | \$?\b[A-Z][A-Z0-9_]+\b(?:\[[^\]]*\])?  # metavars, codes, $VARIABLES
    | \S*[\w*][./:@\\|=][\w*{]\S* | \S+/ | [{*]\S*   # file names, paths, code:value, choices
    | \S*\d\S*                               # numbers, dates, ids
    """,
    re.VERBOSE,
)
WORD = re.compile(r"[^\W\d_]{4,}")


@cache
def helps(lang: str) -> dict[str, str]:
    result = subprocess.run(
        [sys.executable, "-c", RENDER],
        input=json.dumps(PATHS),
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "CALLWATCH_LANG": lang, "CALLWATCH_TEAM": "none"},
        cwd=ROOT,
        check=True,
    )
    out: dict[str, str] = json.loads(result.stdout)
    return out


def pieces(text: str) -> set[str]:
    """The texts of a help: each line cut where a column (or Typer's ``[default: …]``) begins."""
    found = set()
    for line in text.splitlines():
        for piece in re.split(r"\s{2,}", line.strip()):
            if piece.strip():
                found.add(piece.strip())
    return found


def english_left(piece: str) -> list[str]:
    """The words of *piece* that are prose, once what is kept as written is removed."""
    words = [w for w in piece.split(" ") if not re.fullmatch(r"[A-Z_]+=\S*", w)]  # VAR=value
    if not words or words[0] in PROGRAMS or piece.startswith(("-", "|", ">")):
        return []  # an example command line, or its continuation
    if piece in NAMES:
        return []
    return [w for w in WORD.findall(KEPT.sub(" ", piece)) if w.lower() not in SAME]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "callwatch")
def test_no_help_text_is_left_in_english_under_lang_fr(path: tuple[str, ...]) -> None:
    key = " ".join(path)
    french, english = helps("fr")[key], helps("en")[key]
    assert french != english
    same = pieces(french) & pieces(english)
    assert sorted(p for p in same if english_left(p)) == []


def test_the_check_finds_an_untranslated_text() -> None:
    """The rule itself: prose the same in both languages is found; kept forms are not."""
    assert english_left("Where to write it (default project.toml; - for stdout).")
    assert english_left("A funder (repeatable).") == ["funder", "repeatable"]
    assert english_left("--territory CODE") == []
    assert english_left("callwatch list --json | jq '.calls[].id'") == []
    assert english_left("[default: project.toml]") == ["default"]
    assert english_left("Options:") == []
    assert english_left("CALLWATCH_CACHE=off callwatch list") == []
    assert english_left("what closes in the next 30 days") == ["what", "closes", "next", "days"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_examples_and_repeatable_options_read_in_the_language(lang: str) -> None:
    top, add, init = helps(lang)[""], helps(lang)["add"], helps(lang)["init"]
    if lang == "fr":
        assert "Exemples :" in top and "ce qui se clôt dans les 30 prochains jours" in top
        assert "Chaque commande : callwatch COMMAND --help" in top
        assert "Un financeur (répétable)." in add
        assert "Où l'écrire (par défaut project.toml ; - pour la sortie standard)." in init
    else:
        assert "Examples:" in top and "what closes in the next 30 days" in top
        assert "Every command: callwatch COMMAND --help" in top
        assert "A funder (repeatable)." in add
        assert "Where to write it (default project.toml; - for stdout)." in init
