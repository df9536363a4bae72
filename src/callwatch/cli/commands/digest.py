"""``callwatch digest``: the e-mail digest, run by cron (docs/digest.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from callwatch.cli.app import DataOpt, TodayOpt, command_app, exit_with, settings
from callwatch.cli.commands.config import ConfigOpt, StateOpt
from callwatch.i18n import _

DEFAULT_WAIT = 30.0


cli = command_app()


@cli.command(
    "digest",
    epilog=_("""\b
Examples:
  callwatch digest                       send what is due (silent when nothing is)
  callwatch digest --dry-run             say what would be sent; change nothing
  callwatch digest --dry-run --stdout    ... and print the messages (mbox format)
  callwatch digest --to-dir outbox/      write .eml files instead of sending
  callwatch digest --test                send one test message to the first subscriber
  crontab: 0 7 * * 1  callwatch digest
\b
Exit status: 0 sent or nothing to send, 75 temporary failure (retried next run),
1 permanent failure, 2 bad option, 65 unreadable ledger or calls file, 73 the ledger
cannot be written (nothing sent), 78 bad config.
"""),
    help=_("""Send each subscriber the deadlines in their horizon, the reminders due, and new or
changed calls. Silent when there is nothing to send."""),
)
def digest(
    ctx: typer.Context,
    config: ConfigOpt = None,
    state: StateOpt = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", "-n", help=_("Show what would be sent; send nothing, record nothing.")
        ),
    ] = False,
    stdout: Annotated[
        bool,
        typer.Option("--stdout", help=_("Print the messages (mbox format) instead of sending.")),
    ] = False,
    to_dir: Annotated[
        Path | None,
        typer.Option(
            "--to-dir", metavar="DIR", help=_("Write .eml files to DIR instead of sending.")
        ),
    ] = None,
    test: Annotated[
        bool,
        typer.Option("--test", help=_("Send one test message to check the settings (no ledger).")),
    ] = False,
    to: Annotated[
        str | None,
        typer.Option("--to", metavar="ADDRESS", help=_("With --test: where to send it.")),
    ] = None,
    wait: Annotated[
        float,
        typer.Option(
            "--wait",
            metavar="SECONDS",
            help=_("If another digest is running, wait this long for it, then exit 75."),
            min=0,
        ),
    ] = DEFAULT_WAIT,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help=_("Say on stderr what was sent."))
    ] = False,
    today: TodayOpt = None,
    data: DataOpt = None,
) -> None:
    """Send each subscriber the deadlines in their horizon, the reminders due, and new or
    changed calls. Silent when there is nothing to send."""
    from callwatch.services.digest import digest as run

    code = run(
        settings(ctx, today, data, None),
        config,
        state,
        dry_run=dry_run,
        stdout=stdout,
        to_dir=to_dir,
        test=test,
        to=to,
        wait=wait,
        verbose=verbose,
    )
    exit_with(code)
