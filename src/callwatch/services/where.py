"""``callwatch config where``: which team file, data and defaults are in use (docs/team.md)."""

from __future__ import annotations

from callwatch.domain.errors import DataError
from callwatch.files import teamfile
from callwatch.files.loading import data_sources, expand_files
from callwatch.i18n import _, localize
from callwatch.output.render import fields
from callwatch.services.env import Env


def where(env: Env) -> None:
    """Which team file (and how it was found), data (and which rule chose it), projects,
    defaults and portals are in use: the answer to "why does it read *that*?"."""
    found = env.team_found()
    team = None
    if found.path is not None:
        team, problems = teamfile.read_team(found.path)  # every check, here
        if problems:
            raise DataError(problems)
    lang = env.language()  # the team file's default language too
    chosen, why = env.data_sources()
    paths = data_sources(chosen)
    reason = localize(found.reason)  # worded in English where it was found
    none, unset = _("(none)"), _("(not set)")
    rows = [
        (
            _("team file"),
            f"{found.path} ({reason})"
            if found.path
            else _("none ({reason})").format(reason=reason),
        ),
        (
            "data",
            _("{paths} (from {why})").format(
                paths=", ".join(str(p) for p in paths), why=localize(why)
            ),
        ),
        (_("calls files"), str(len(expand_files(paths)))),
    ]
    if team is not None:
        d = team.defaults
        rows += [
            ("projects", ", ".join(str(p) for p in team.project_paths()) or none),
            ("lang", d.lang or unset),
            ("territory", d.territory or unset),
            ("remind_days", ", ".join(map(str, d.remind_days)) if d.remind_days else unset),
            ("horizon", d.horizon or unset),
            ("fetch", "; ".join(f"{p.portal} -> {p.output}" for p in team.fetch) or none),
        ]
    rows.append((_("language"), lang))
    fields(rows, title="callwatch")
