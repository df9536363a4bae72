"""``callwatch add FILE``: append one validated call to a calls file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from callwatch.cli.app import DataOpt, command_app, settings
from callwatch.i18n import _


def _many(name: str, metavar: str, text: str) -> object:
    """An option given once per value; *text* is already translated."""
    return typer.Option(name, metavar=metavar, help=_("{text} (repeatable).").format(text=text))


cli = command_app()


@cli.command(
    "add",
    epilog=_("""\b
Examples:
  callwatch add data/calls.toml --id leader-2025 --title "Appel LEADER 2025" \\
      --deadline 2025-03-15 --deadline 2025-05-29T17:00 --label "1re session" \\
      --label "2e session" --territory FR-63 --beneficiary association
  callwatch add data/calls.toml --id pnr-conseil --title "Conseil paysager" --ongoing
  callwatch add data/calls.toml          (on a terminal: asks for what is missing)
\b
Exit status: 0 added; 1 the id is already used (in FILE or in --data);
2 missing or invalid option (the call is refused, FILE untouched), or FILE is not
a regular file; 65 FILE is not a calls file that can be appended to;
73 FILE cannot be written.
"""),
    help=_("Append a call to FILE: validated like `validate`, existing bytes kept, atomic write."),
)
def add(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help=_("The calls file (created if missing)."))
    ],
    call_id: Annotated[
        str | None, typer.Option("--id", metavar="ID", help=_("Unique id (slug)."))
    ] = None,
    title: Annotated[str | None, typer.Option("--title", metavar="TEXT")] = None,
    deadline: Annotated[
        list[str] | None,
        typer.Option(
            "--deadline",
            metavar="DATE[THH:MM]",
            help=_("A round: 2025-03-15 (open all day) or 2025-05-29T17:00 (repeatable)."),
        ),
    ] = None,
    label: Annotated[
        list[str] | None,
        typer.Option(
            "--label", metavar="TEXT", help=_("Label of the --deadline at the same position.")
        ),
    ] = None,
    ongoing: Annotated[
        bool, typer.Option("--ongoing", help=_("A permanent call, without deadline."))
    ] = False,
    timezone: Annotated[
        str | None,
        typer.Option("--timezone", metavar="ZONE", help=_("IANA zone (default Europe/Paris).")),
    ] = None,
    url: Annotated[str | None, typer.Option("--url", metavar="URL")] = None,
    programme: Annotated[str | None, typer.Option("--programme", metavar="TEXT")] = None,
    description: Annotated[str | None, typer.Option("--description", metavar="TEXT")] = None,
    opens: Annotated[
        str | None, typer.Option("--opens", metavar="DATE", help=_("Opening date."))
    ] = None,
    source: Annotated[
        list[str] | None, _many("--source", "TEXT", _("Where the call is published"))
    ] = None,
    funder: Annotated[list[str] | None, _many("--funder", "TEXT", _("A funder"))] = None,
    territory: Annotated[
        list[str] | None,
        _many("--territory", "CODE", _("territory: FR-63, 63, Ambert, commune:63003")),
    ] = None,
    beneficiary: Annotated[
        list[str] | None, _many("--beneficiary", "CODE", _("Beneficiary code"))
    ] = None,
    theme: Annotated[list[str] | None, _many("--theme", "TEXT", _("A theme"))] = None,
    interactive: Annotated[
        bool | None,
        typer.Option(
            "--interactive/--no-interactive",
            help=_("Ask for missing fields. Default: only when standard input is a terminal."),
        ),
    ] = None,
    data: DataOpt = None,
) -> None:
    """Append a call to FILE: validated like `validate`, existing bytes kept, atomic write."""
    from callwatch.services import add as service

    draft = service.Draft(
        id=call_id or "",
        title=title or "",
        deadlines=list(deadline or []),
        labels=list(label or []),
        ongoing=ongoing,
        timezone=timezone,
        url=url,
        programme=programme,
        description=description,
        opens=opens,
        sources=list(source or []),
        funders=list(funder or []),
        territory=list(territory or []),
        beneficiaries=list(beneficiary or []),
        themes=list(theme or []),
    )
    service.add(settings(ctx, None, data, None), file, draft, interactive=interactive)
