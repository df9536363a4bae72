"""What every service is given: the clock, the language and the calls, resolved on demand.

A command hands its service an :class:`Env` (the CLI's ``Settings`` is one) instead of
resolved values, so each service decides *when* the clock, the language and the calls
are read, and errors keep showing in the order a user expects (a bad ``--today``
before a broken calls file). A test builds one without Typer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from callwatch.domain.clock import Clock
from callwatch.domain.errors import Exit
from callwatch.files.loading import Catalog
from callwatch.files.teamfile import Defaults, Found, TeamFile


class Env(Protocol):
    """The global options of one run (``--today``, ``--data``, ``--lang``)."""

    @property
    def data(self) -> list[Path] | None: ...

    def clock(self) -> Clock: ...

    def language(self) -> str: ...

    def catalog(self, *, strict: bool = False) -> Catalog: ...

    def data_given(self) -> bool: ...

    def data_paths(self) -> list[str | Path] | None: ...

    def with_data(self, data: list[Path]) -> Env: ...

    # The team file (callwatch.toml, docs/team.md): None without one.
    def team(self) -> TeamFile | None: ...

    def team_found(self) -> Found: ...

    def data_sources(self) -> tuple[list[Path] | None, str]: ...

    def defaults(self) -> Defaults: ...


def loaded(catalog: Catalog) -> Exit:
    """:data:`Exit.DATA` when some calls could not be loaded (after showing the rest)."""
    return Exit.DATA if catalog.problems else Exit.OK
