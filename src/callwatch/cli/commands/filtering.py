"""The selection options shared by ``list`` and ``export``, defined once.

``[WINDOW]``, ``--due``, ``--all`` and the four filters mean the same thing in
both commands; :func:`resolve` turns them into :class:`~callwatch.domain.selection.Filters`
and the end of the ``--due`` window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from callwatch.i18n import _

if TYPE_CHECKING:
    from callwatch.domain.clock import Clock
    from callwatch.domain.selection import Filters
    from callwatch.files.loading import Catalog


WindowArg = Annotated[
    str | None,
    typer.Argument(
        metavar="[WINDOW]",
        help=_("With --due: how far ahead (30, 14d, 2w, 3m, 1y or a date). Implies --due."),
        show_default=False,
    ),
]
DueOpt = Annotated[
    bool,
    typer.Option("--due", help=_("Only deadlines within WINDOW (default 30 days).")),
]
AllOpt = Annotated[bool, typer.Option("--all", "-a", help=_("Include closed calls."))]
TerritoryOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--territory",
        "-t",
        metavar="CODE",
        help=_("ISO 3166 code; FR-63 also matches FR-ARA and FR calls."),
    ),
]
BeneficiaryOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--beneficiary",
        "-b",
        metavar="CODE",
        help=_("Beneficiary code (commune, association, farmer...)."),
    ),
]
ThemeOpt = Annotated[
    list[str] | None, typer.Option("--theme", metavar="TEXT", help=_("Theme contains TEXT."))
]
FunderOpt = Annotated[
    list[str] | None, typer.Option("--funder", metavar="TEXT", help=_("Funder contains TEXT."))
]


@dataclass(frozen=True)
class Scope:
    """What a selecting command works with, from its options."""

    clock: Clock
    language: str
    filters: Filters
    until: datetime | None
    catalog: Catalog


def scope(
    ctx: typer.Context,
    today: str | None,
    data: list[Path] | None,
    lang: str | None,
    window: str | None,
    due: bool,
    filters: tuple[list[str] | None, list[str] | None, list[str] | None, list[str] | None],
) -> Scope:
    """Clock, language, filters, window end and calls, in the order errors should show."""
    from callwatch.cli.app import settings

    opts = settings(ctx, today, data, lang)
    clock = opts.clock()
    language = opts.language()
    chosen, until = resolve(clock, window, due, *filters)
    return Scope(clock, language, chosen, until, opts.catalog())


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
    from callwatch.domain.clock import DEFAULT_WINDOW, window_end
    from callwatch.domain.errors import CallwatchError, Exit
    from callwatch.domain.selection import Filters

    filters = Filters(territory or (), beneficiary or (), theme or (), funder or ()).validated()
    until = None
    if due or window is not None:
        try:
            until = window_end(window or DEFAULT_WINDOW, clock)
        except ValueError:
            message = _(
                "invalid window {value!r}: expected a number of days (30, 14d, 14j), "
                "weeks (2w, 2sem), months (3m, 3mois), years (1y, 1an) or a date (YYYY-MM-DD)"
            ).format(value=window)
            raise CallwatchError(f"--due: {message}", Exit.USAGE) from None
    return filters, until
