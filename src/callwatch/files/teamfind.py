"""Where the team file is, and its default language: read before any command runs
(help texts are worded in the team's language), so this module loads next to nothing.
The team file itself is read and checked by :mod:`callwatch.files.teamfile`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from callwatch.domain.errors import CallwatchError, Exit
from callwatch.i18n import LANGS, N_

TEAM_FILE = "callwatch.toml"
TEAM_ENV = "CALLWATCH_TEAM"
NO_TEAM = ("none", "off", "no")  # values of $CALLWATCH_TEAM that turn the search off


@dataclass(frozen=True)
class Found:
    """The team file in use (or None) and why: for ``callwatch config where``."""

    path: Path | None
    reason: str


def find(start: Path | None = None) -> Found:
    """Where the team file is: ``$CALLWATCH_TEAM``, else the nearest ``callwatch.toml``."""
    env = os.environ.get(TEAM_ENV, "").strip()
    if env.lower() in NO_TEAM:
        return Found(
            None, N_("{setting}: no team file is read").format(setting=f"${TEAM_ENV}={env}")
        )
    if env:
        path = Path(env).expanduser()
        if not path.is_file():
            raise CallwatchError(
                N_("{name}: {path}: no such file").format(name=f"${TEAM_ENV}", path=path),
                Exit.USAGE,
            )
        return Found(path, N_("named by {name}").format(name=f"${TEAM_ENV}"))
    here = (start or Path.cwd()).absolute()
    for directory in (here, *here.parents):
        candidate = directory / TEAM_FILE
        if candidate.is_file():
            if directory == here:
                return Found(candidate, N_("found in the current directory"))
            return Found(candidate, N_("found in a parent directory"))
        if (directory / ".git").exists():
            return Found(
                None,
                N_("no {name} up to the repository root {directory}").format(
                    name=TEAM_FILE, directory=directory
                ),
            )
    return Found(
        None, N_("no {name} in {directory} or its parents").format(name=TEAM_FILE, directory=here)
    )


def shown_path(file: str | Path, root: Path | None) -> str:
    """*file* relative to *root* (a team's or a repository's root) when it lies below
    it, else as given: what a ledger key, a digest line or a CI annotation names."""
    if root is not None:
        try:
            return Path(file).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return str(file)


def default_lang() -> str | None:
    """The team file's ``[defaults] lang``, or None: never an error (a team file too
    broken to say is reported by the command that reads it, in the reader's language)."""
    try:
        path = find().path
        if path is None:
            return None
        import tomllib  # lazy: only inside a team's repository

        lang = tomllib.loads(path.read_text(encoding="utf-8")).get("defaults", {}).get("lang")
    except (CallwatchError, OSError, UnicodeDecodeError, ValueError, AttributeError):
        return None
    return lang if lang in LANGS else None
