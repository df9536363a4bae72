"""One mechanism for every message a person reads: gettext, French in one catalog.

The catalog holds a French translation of every message the code marks (and of
every word-table entry); the compiled ``.mo`` matches the ``.po``; and French
output, help included, carries none of the English messages.
"""

from __future__ import annotations

import importlib.util
import string
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import typer

from callwatch.cli import app
from tests.conftest import Invoke
from tests.rules_support import EXAMPLES
from tests.test_startup import command_paths

ROOT = Path(__file__).resolve().parents[1]


def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("catalog_tool", ROOT / "scripts" / "catalog.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CATALOG = tool()


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_french_with_the_same_blanks() -> None:
    merged = CATALOG.merged()
    assert len(merged) > 300  # the extraction does see the code and the tables
    assert CATALOG.untranslated(merged) == []
    grammar = {"s", "x"}  # plural endings: French agrees in more places
    for message in merged:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for french in strings:
            assert fields(french) - grammar == fields(ids[0]) - grammar, message.id


def test_the_catalog_is_up_to_date_and_compiled() -> None:
    """A new message without French, or a .mo not rebuilt, fails here: run scripts/catalog.py."""
    assert CATALOG.main(["--check"]) == 0


def test_rewriting_the_catalog_changes_nothing_when_no_message_changed() -> None:
    """No "#:" line numbers and a kept creation date: a branch that moves code and reruns
    the script leaves callwatch.po as it was, so catalogs merge without conflicts."""
    committed = CATALOG.PO.read_bytes()
    assert b"\n#: " not in committed
    assert CATALOG.po_bytes(CATALOG.merged()) == committed


def english_messages() -> list[str]:
    """Messages whose French differs, long enough that finding one in output means it
    was not translated."""
    out = []
    for message in CATALOG.merged():
        if isinstance(message.id, str) and message.id and message.string != message.id:
            text = message.id.split("{")[0].strip()
            if len(text) >= 12 and "\n" not in text and not text.startswith("\b"):
                out.append(text)
    return out


ENGLISH = english_messages()


def french_run(*args: str) -> str:
    env = {"CALLWATCH_TODAY": "2019-03-01", "NO_COLOR": "1", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "callwatch", *args],
        capture_output=True,
        text=True,
        env={**env, "CALLWATCH_LANG": "fr", "CALLWATCH_CACHE": "off"},
        cwd=ROOT,
        check=False,
    )
    return result.stdout + result.stderr


HELP_PATHS = command_paths(typer.main.get_command(app))


@pytest.mark.parametrize("path", HELP_PATHS, ids=lambda p: " ".join(p) or "callwatch")
def test_french_help_has_no_english_message(path: tuple[str, ...]) -> None:
    text = french_run(*path, "--help")
    assert "Usage :" in text and "Afficher ce message et quitter." in text
    assert [m for m in ENGLISH if m in text] == []


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--due"),
        ("show", "feader-aura-2019-16-4"),
        ("check", str(EXAMPLES / "legumerie-eligible.toml")),
        ("check", str(EXAMPLES / "legumerie-eligible.toml"), "--call", "feader-aura-2019-16-4"),
        ("lst",),
        ("list", "--frobnicate"),
        ("validate", str(EXAMPLES)),
        ("list", "--due", "soon"),
        ("show", "feader-aura-2019-16"),
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_french_output_has_no_english_message(args: tuple[str, ...]) -> None:
    text = french_run(*args)
    assert text.strip()
    assert [m for m in ENGLISH if m in text] == []


def test_the_language_is_taken_from_the_option_the_variable_or_the_locale(cli: Invoke) -> None:
    def help_of(*args: str, **env: str) -> str:
        return subprocess.run(
            [sys.executable, "-m", "callwatch", *args, "--help"],
            capture_output=True,
            text=True,
            env={"PATH": "/usr/bin:/bin", **env},
            cwd=ROOT,
            check=True,
        ).stdout

    assert "Lister les appels" in help_of("--lang", "fr")
    assert "Lister les appels" in help_of("list", "--lang=fr")
    assert "Lister les appels" in help_of("list", CALLWATCH_LANG="fr")
    assert "Lister les appels" in help_of("list", LANG="fr_FR.UTF-8")
    assert "List open and upcoming" in help_of("list", LANG="fr_FR.UTF-8", CALLWATCH_LANG="en")
    assert "List open and upcoming" in help_of("list", "--lang", "en", CALLWATCH_LANG="fr")


def test_unknown_command_suggests_the_right_one(cli: Invoke) -> None:
    result = cli("lst")
    assert result.exit_code == 2
    assert "No such command 'lst'. (did you mean 'list'?)" in result.stderr


LEAVES = [p for p in HELP_PATHS if p and not any(q[: len(p)] == p != q for q in HELP_PATHS)]


@pytest.mark.parametrize("path", LEAVES, ids=" ".join)
def test_every_command_takes_lang(cli: Invoke, path: tuple[str, ...]) -> None:
    result = cli(*path, "--help")
    assert "--lang fr|en" in result.stdout


def test_a_wrong_lang_after_any_command_is_a_usage_error(cli: Invoke) -> None:
    result = cli("cache", "path", "--lang", "xx")
    assert result.exit_code == 2
    assert "--lang: unknown language 'xx': expected fr or en" in result.stderr
