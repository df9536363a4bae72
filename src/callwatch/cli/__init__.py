"""The command-line entry point: global options, then the commands.

Kept thin: each command lives in ``callwatch.cli.commands.*`` and is imported only
when it runs (``callwatch.cli.app.COMMANDS``), so ``callwatch --help`` loads no
command module, no pydantic, no icalendar, no SMTP stack.
"""

from __future__ import annotations

from typing import Annotated

import typer

from callwatch import __version__
from callwatch.cli.app import DataOpt, LangOpt, TodayOpt, app
from callwatch.cli.settings import Settings
from callwatch.i18n import _
from callwatch.store import gctune

__all__ = ["app", "main"]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"callwatch {__version__}")
        raise typer.Exit()


@app.callback(
    help=_("""Watch funding calls: deadlines, eligibility, digests, calendars.

Calls live in TOML files (callwatch docs calls). Dates are computed with one
clock: --today or $CALLWATCH_TODAY, else now.""")
)
def _global(
    ctx: typer.Context,
    today: TodayOpt = None,
    data: DataOpt = None,
    lang: LangOpt = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help=_("Show the version and exit.")
        ),
    ] = False,
) -> None:
    """Watch funding calls: deadlines, eligibility, digests, calendars.

    Calls live in TOML files (`callwatch docs calls`). Dates are computed with one
    clock: --today or $CALLWATCH_TODAY, else now.
    """
    ctx.obj = Settings(today=today, data=data, lang=lang)


def main() -> None:
    """Console-script entry point: one command, in a process of its own."""
    gctune.tune_for_one_command()
    app()
