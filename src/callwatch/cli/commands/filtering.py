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

if TYPE_CHECKING:
    from callwatch.domain.clock import Clock
    from callwatch.domain.selection import Filters
    from callwatch.files.loading import Catalog


WindowArg = Annotated[
    str | None,
    typer.Argument(
        metavar="[WINDOW]",
        help="With --due: how far ahead (30, 14d, 2w, 3m, 1y or a date). Implies --due.",
        show_default=False,
    ),
]
DueOpt = Annotated[
    bool,
    typer.Option("--due", help="Only deadlines within WINDOW (default 30 days)."),
]
AllOpt = Annotated[bool, typer.Option("--all", "-a", help="Include closed calls.")]
TerritoryOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--territory",
        "-t",
        metavar="CODE",
        help="Territory: FR-63, 63, Ambert, 63600, commune:63003, epci:SIREN or a team "
        "territory's id; FR-63 also matches FR-ARA and FR calls.",
    ),
]
BeneficiaryOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--beneficiary",
        "-b",
        metavar="CODE",
        help="Beneficiary code (commune, association, farmer...).",
    ),
]
ThemeOpt = Annotated[
    list[str] | None, typer.Option("--theme", metavar="TEXT", help="Theme contains TEXT.")
]
FunderOpt = Annotated[
    list[str] | None, typer.Option("--funder", metavar="TEXT", help="Funder contains TEXT.")
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
    # The team's own territories (--territory gal-x) are known once the data is read.
    catalog = opts.catalog() if filters[0] else None
    chosen, until = resolve(clock, window, due, *filters)
    if chosen.notes:
        from callwatch.i18n import reading_note, t
        from callwatch.output.render import warn

        for written, found in chosen.notes:
            note = reading_note(written, found.code, found.name, found.note, language)
            warn(t("territory.note", language) + note)
    return Scope(clock, language, chosen, until, catalog or opts.catalog())


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
        except ValueError as exc:
            raise CallwatchError(f"--due: {exc}", Exit.USAGE) from None
    return filters, until
