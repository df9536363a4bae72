"""``callwatch config where``: which team file, data and defaults are in use (docs/team.md)."""

from __future__ import annotations

from callwatch.files import teamfile
from callwatch.files.loading import data_sources, expand_files
from callwatch.output.render import fields
from callwatch.services.env import Env


def where(env: Env) -> None:
    """Which team file (and how it was found), data (and which rule chose it), projects,
    defaults and portals are in use: the answer to "why does it read *that*?"."""
    found = env.team_found()
    team = None if found.path is None else teamfile.load(found.path)  # every check, here
    chosen, why = env.data_sources()
    paths = data_sources(chosen)
    rows = [
        ("team file", f"{found.path} ({found.reason})" if found.path else f"none ({found.reason})"),
        ("data", f"{', '.join(str(p) for p in paths)} (from {why})"),
        ("calls files", str(len(expand_files(paths)))),
    ]
    if team is not None:
        d = team.defaults
        rows += [
            ("projects", ", ".join(str(p) for p in team.project_paths()) or "(none)"),
            ("lang", d.lang or "(not set)"),
            ("territory", d.territory or "(not set)"),
            ("remind_days", ", ".join(map(str, d.remind_days)) if d.remind_days else "(not set)"),
            ("horizon", d.horizon or "(not set)"),
            ("fetch", "; ".join(f"{p.portal} -> {p.output}" for p in team.fetch) or "(none)"),
        ]
    rows.append(("language", env.language()))
    fields(rows, title="callwatch")
