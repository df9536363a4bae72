"""The options every command shares (``--today``, ``--data``, ``--lang``) and what
they resolve to: the clock, the language, the calls, the team file.

Its own module, below :mod:`callwatch.cli.app` and :mod:`callwatch.cli.completion`:
completion needs the same data paths and defaults as the commands, and the app
declares options whose completion callbacks live in ``completion``; with the
settings here, neither imports the other's importer (no cycle).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from callwatch.domain.errors import CallwatchError, DataError, Exit
from callwatch.i18n import N_, resolve_lang, use

if TYPE_CHECKING:
    from callwatch.domain.clock import Clock
    from callwatch.files.loading import Catalog
    from callwatch.files.teamfile import Defaults, Found, TeamFile


@dataclass
class Settings:
    """The options every command shares, and where each setting comes from.

    Order (docs/team.md): an option, else the environment, else the team file
    (``callwatch.toml`` found from the current directory), else the shipped data
    and built-in defaults. The team file is looked for only when a setting needs it.
    """

    today: str | None = None
    data: list[Path] | None = None
    lang: str | None = None
    _team: tuple[Found, TeamFile | None] | None = field(default=None, repr=False, compare=False)

    def merged(self, today: str | None, data: list[Path] | None, lang: str | None) -> Settings:
        """Options given after the command win over those given before it."""
        return Settings(
            today=today if today is not None else self.today,
            data=data or self.data,
            lang=lang or self.lang,
        )

    def data_given(self) -> bool:
        """Did the user name their own calls (``--data`` or ``$CALLWATCH_DATA``)?

        Otherwise the team file's data (or, without one, the shipped calls) is read:
        a digest config's ``data`` may replace it, and the shipped ids are free to reuse.
        """
        # lazy: --help and completion load no file reader
        from callwatch.files.loading import DATA_ENV

        return bool(self.data) or bool(os.environ.get(DATA_ENV, "").strip())

    def team(self) -> TeamFile | None:
        """The team file in use (:class:`callwatch.files.teamfile.TeamFile`), or None."""
        if self._team is None:
            # lazy: --help loads no file reader; the team file is read when a setting needs it
            from callwatch.files import teamfile

            found = teamfile.find()
            # A territory code's shape is checked here, its existence where it is used
            # (list, export) and by `validate`: looking it up costs every command 40 ms.
            team = None
            if found.path is not None:
                team, problems = teamfile.read_team(found.path, full=False)
                if problems:
                    raise DataError(problems)
            self._team = (found, team)
        return self._team[1]

    def team_found(self) -> Found:
        """Where the team file is and why (:class:`callwatch.files.teamfile.Found`)."""
        self.team()
        found = self._team
        if found is None:  # team() always sets it
            raise RuntimeError("team file not looked up")
        return found[0]

    def data_sources(self) -> tuple[list[Path] | None, str]:
        """The data paths to read (None: the environment's or the shipped data) and why."""
        # lazy: --help and completion load no file reader
        from callwatch.files.loading import DATA_ENV

        if self.data:
            return list(self.data), "--data"
        if os.environ.get(DATA_ENV, "").strip():
            return None, f"${DATA_ENV}"
        team = self.team()
        if team is not None and team.data:
            return team.data_paths(), N_("data in {path}").format(path=team.path)
        return None, N_("the calls shipped with callwatch")

    def data_paths(self) -> list[str | Path] | None:
        """The user's own data paths (empty: from the environment); None when not given."""
        if self.data_given():
            return list(self.data or ())
        paths, _ = self.data_sources()
        return None if paths is None else list(paths)

    def defaults(self) -> Defaults:
        """The team's defaults (:class:`callwatch.files.teamfile.Defaults`; empty without one)."""
        # lazy: --help loads no file reader; the team file is read when a setting needs it
        from callwatch.files import teamfile

        team = self.team()
        return teamfile.Defaults() if team is None else team.defaults

    def with_data(self, data: list[Path]) -> Settings:
        """The same options reading *data* (a digest config's ``data``)."""
        return replace(self, data=data)

    def clock(self) -> Clock:
        # lazy: --help loads no clock (zoneinfo)
        from callwatch.domain.clock import make_clock

        try:
            return make_clock(self.today)
        except ValueError as exc:
            raise CallwatchError(f"--today: {exc}", Exit.USAGE) from None

    def language(self) -> str:
        # A broken team file is reported by the command, in the reader's language
        # (`validate` reports it with the rest): its language is read leniently.
        # lazy: --help loads no file reader
        from callwatch.files.teamfind import default_lang

        try:
            lang = resolve_lang(self.lang, default_lang)
        except ValueError as exc:
            raise CallwatchError(f"--lang: {exc}", Exit.USAGE) from None
        use(lang)
        return lang

    def catalog(self, *, strict: bool = False) -> Catalog:
        """Load the calls. Problems go to stderr; *strict* makes them fatal at once.

        Otherwise the command carries on with the calls that loaded and
        the service returns :data:`Exit.DATA` at the end (:func:`callwatch.services.env.loaded`).
        """
        # lazy: --help loads no file reader nor output module
        from callwatch.files.loading import load_catalog
        from callwatch.output.render import warn

        catalog = load_catalog(self.data_sources()[0])
        if catalog.problems:
            if strict:
                raise DataError(catalog.problems)
            for problem in catalog.problems:
                warn(str(problem))
        return catalog
