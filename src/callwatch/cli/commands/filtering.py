"""The selection options shared by ``list`` and ``export``, defined once.

``[WINDOW]``, ``--due``, ``--all`` and the four filters mean the same thing in
both commands; :func:`callwatch.services.filtering.scope` turns them into
:class:`~callwatch.domain.selection.Filters` and the end of the ``--due`` window.
"""

from __future__ import annotations

from typing import Annotated

import typer

from callwatch.cli import completion
from callwatch.i18n import _

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
        help=_(
            "Territory: FR-63, 63, Ambert, 63000, commune:63003, epci:SIREN or a team "
            "territory's id; FR-63 also matches FR-ARA and FR calls."
        ),
        autocompletion=completion.territories,
    ),
]
BeneficiaryOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--beneficiary",
        "-b",
        metavar="CODE",
        help=_("Beneficiary code (commune, association, farmer...)."),
        autocompletion=completion.beneficiaries,
    ),
]
ThemeOpt = Annotated[
    list[str] | None, typer.Option("--theme", metavar="TEXT", help=_("Theme contains TEXT."))
]
FunderOpt = Annotated[
    list[str] | None, typer.Option("--funder", metavar="TEXT", help=_("Funder contains TEXT."))
]
