"""What ``list`` and ``export`` select: ``[WINDOW]``, ``--due`` and the four filters.

Both commands mean the same thing by these options (``cli/commands/filtering.py``
declares them once); :func:`scope` turns them into
:class:`~callwatch.domain.selection.Filters`, the end of the ``--due`` window and
the calls, in the order errors should show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from callwatch.domain import territories
from callwatch.domain.clock import DEFAULT_WINDOW, Clock, window_end
from callwatch.domain.errors import CallwatchError, DataError, Exit
from callwatch.domain.selection import Filters
from callwatch.files.loading import Catalog
from callwatch.files.teamfile import read_team, territory_problems
from callwatch.i18n import N_, reading_note, t
from callwatch.output.render import warn
from callwatch.services.env import Env

FilterLists = tuple[list[str] | None, list[str] | None, list[str] | None, list[str] | None]


@dataclass(frozen=True)
class Scope:
    """What a selecting command works with, from its options."""

    clock: Clock
    language: str
    filters: Filters
    until: datetime | None
    catalog: Catalog


def scope(env: Env, window: str | None, due: bool, filters: FilterLists) -> Scope:
    """Clock, language, filters, window end and calls, in the order errors should show."""
    clock = env.clock()
    language = env.language()
    team = env.defaults()  # callwatch.toml's [defaults]: what the team usually wants
    territory, *others = filters
    if not territory and team.territory:
        territory = [_known(team.territory, env)]
    if window is None and due and team.horizon:
        window = team.horizon
    # The team's own territories (--territory gal-x) are known once the data is read.
    catalog = env.catalog() if territory else None
    team_file = env.team()
    if team_file is not None and not filters[0] and team.territory:
        undefined = territory_problems(team_file)  # a team territory its data lacks
        if undefined:
            raise DataError(undefined)
    chosen, until = resolve(clock, window, due, territory, *others)
    if chosen.notes:
        for written, found in chosen.notes:
            note = reading_note(written, found.code, found.name, found.note, language)
            warn(t("territory.note", language) + note)
    return Scope(clock, language, chosen, until, catalog or env.catalog())


def _known(code: str, env: Env) -> str:
    """The team's default territory, once it is known to exist (else the team file's
    problems, with their lines: the territory is looked up only where it is used)."""
    team = env.team()
    known = len(territories.resolve(code)) == 1 or territories.is_team_id(code)
    if not known and team is not None:
        raise DataError(read_team(team.path)[1])
    return code


def resolve(
    clock: Clock,
    window: str | None,
    due: bool,
    territory: list[str] | None,
    beneficiary: list[str] | None,
    theme: list[str] | None,
    funder: list[str] | None,
) -> tuple[Filters, datetime | None]:
    """Validated filters and the end of the ``--due`` window (None without ``--due``)."""
    filters = Filters(territory or (), beneficiary or (), theme or (), funder or ()).validated()
    until = None
    if due or window is not None:
        try:
            until = window_end(window or DEFAULT_WINDOW, clock)
        except ValueError:
            message = N_(
                "invalid window {value!r}: expected a number of days (30, 14d, 14j), "
                "weeks (2w, 2sem), months (3m, 3mois), years (1y, 1an) or a date (YYYY-MM-DD)"
            ).format(value=window)
            raise CallwatchError(f"--due: {message}", Exit.USAGE) from None
    return filters, until
