"""``callwatch fetch`` with no portal named: every ``[[fetch]]`` table of the team file,
in order, each exactly as its sub-command would (``callwatch fetch PORTAL -o OUTPUT``).

The portals run one after the other; the first that fails stops the run with its own
exit status (docs/fetch.md): the files of the portals before it are merged, its own
file and those after it are not touched.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from callwatch.domain.errors import CallwatchError, DataError, Exit, Problem
from callwatch.domain.text import clean
from callwatch.files import teamfile
from callwatch.i18n import N_, _
from callwatch.services.env import Env
from callwatch.services.fetch import fetch_calls

# Each portal's parameters in a [[fetch]] table, and the FetchOptions field each fills.
OPTIONS: Mapping[str, Mapping[str, str]] = {
    "aides-territoires": {"text": "text", "audience": "audiences", "perimeter": "perimeter"},
    "eu-portal": {"programme": "programmes"},
}
_LISTS = ("audiences", "programmes")


def portal_problems(team: teamfile.TeamFile) -> list[Problem]:
    """For ``validate``: the ``[[fetch]]`` tables naming no portal, or a parameter
    their portal does not have, and parameters of the wrong type."""
    try:
        portals = teamfile.fetch_sources(team, OPTIONS)
    except DataError as exc:
        return exc.problems
    found = []
    for i, portal in enumerate(portals):
        for key, value in portal.options.items():
            if _value(OPTIONS[portal.portal][key], value) is None:
                found.append(
                    Problem(
                        str(team.path),
                        portal.line,
                        f"fetch[{i}].{key}: "
                        + N_("expected a string or an array of strings, not {value!r}").format(
                            value=value
                        ),
                    )
                )
    return found


def fetch_team(
    env: Env, *, dry_run: bool, verbose: bool, base_url: str | None, config: Path | None
) -> None:
    """Fetch every portal the team file lists into its ``output``."""
    env.language()
    team = env.team()
    if team is None or not team.fetch:
        where = env.team_found().path if team is None else team.path
        raise CallwatchError(
            N_(
                "no portal to fetch: name one (callwatch fetch eu-portal -o FILE) "
                "or list them as [[fetch]] tables in {file}"
            ).format(file=where or teamfile.TEAM_FILE),
            Exit.USAGE,
        )
    problems = portal_problems(team)
    if problems:
        raise DataError(problems)
    for portal in teamfile.fetch_sources(team):
        fields = {
            OPTIONS[portal.portal][key]: _value(OPTIONS[portal.portal][key], value)
            for key, value in portal.options.items()
        }
        sys.stderr.write(
            clean(_("{portal} → {output}").format(portal=portal.portal, output=portal.output))
            + "\n"
        )
        fetch_calls(  # exactly what `callwatch fetch PORTAL -o OUTPUT` runs
            env,
            portal.portal,
            portal.output,
            dry_run=dry_run,
            as_json=False,
            verbose=verbose,
            base_url=base_url,
            config=config,  # the key file's config: read by Aides-territoires only
            **fields,
        )


def _value(field: str, value: Any) -> Any:
    """A parameter as FetchOptions takes it (a tuple for the repeatable ones), or None."""
    if field in _LISTS:
        items = [value] if isinstance(value, str) else value
        if isinstance(items, list) and all(isinstance(v, str) for v in items):
            return tuple(items)
        return None
    return value if isinstance(value, str) else None
