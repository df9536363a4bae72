"""``callwatch digest``: the e-mail digest, run by cron (docs/digest.md)."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from callwatch.cli.app import DataOpt, TodayOpt, command_app, settings
from callwatch.cli.commands.config import ConfigOpt, StateOpt
from callwatch.i18n import _

if TYPE_CHECKING:
    from callwatch.cli.app import Settings
    from callwatch.digest.config import Config
    from callwatch.digest.send import Transport
    from callwatch.domain.clock import Clock
    from callwatch.domain.errors import Exit

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
1 permanent failure, 65 unreadable ledger or calls file, 78 bad config.
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
    from callwatch.digest.config import config_path, load_config, state_dir
    from callwatch.domain.errors import CallwatchError, Exit

    if stdout and to_dir is not None:
        raise CallwatchError("--stdout and --to-dir cannot be used together", Exit.USAGE)
    if to is not None and not test:
        raise CallwatchError("--to goes with --test", Exit.USAGE)
    opts = settings(ctx, today, data, None)
    clock = opts.clock()
    cfg = load_config(config_path(config))
    transport = _transport(cfg, stdout, to_dir, needed=not dry_run or stdout or to_dir)
    if test:
        _send_test(cfg, clock, transport, to)
        return
    code = _run(cfg, opts, clock, transport, state_dir(state), dry_run, wait, verbose)
    if code is not Exit.OK:
        raise typer.Exit(int(code))


def _transport(cfg: Config, stdout: bool, to_dir: Path | None, needed: object) -> Transport | None:
    from callwatch.digest.send import DirTransport, SmtpTransport, StdoutTransport

    if stdout:
        return StdoutTransport()
    if to_dir is not None:
        return DirTransport(to_dir)
    if not needed:
        return None
    cfg.smtp.password()  # a missing password is a config error (78), found before any work
    return SmtpTransport(cfg.smtp)


def _run(
    cfg: Config,
    opts: Settings,
    clock: Clock,
    transport: Transport | None,
    state: Path,
    dry_run: bool,
    wait: float,
    verbose: bool,
) -> Exit:
    from callwatch.digest.run import run, worse
    from callwatch.domain.errors import Exit

    if cfg.data and not opts.data_given():
        opts = replace(opts, data=list(cfg.data))
    catalog = opts.catalog()  # problems go to stderr; the valid calls are still watched
    report = run(
        cfg,
        clock,
        catalog.calls,
        state,
        transport,
        dry_run=dry_run,
        wait=wait,
        err=sys.stderr,
        out=sys.stdout,
        verbose=verbose,
    )
    return worse(report.code, Exit.DATA) if catalog.problems else report.code


def _send_test(cfg: Config, clock: Clock, transport: Transport | None, to: str | None) -> None:
    from callwatch.digest.compose import compose_test
    from callwatch.digest.config import is_address
    from callwatch.digest.send import DeliveryError, SmtpTransport, StdoutTransport
    from callwatch.domain.errors import CallwatchError, Exit
    from callwatch.output.render import warn

    address = to if to is not None else cfg.subscribers[0].to
    if not is_address(address):
        raise CallwatchError(f"--to: {address!r} is not an e-mail address", Exit.USAGE)
    sub = cfg.subscriber(address)
    msg = compose_test(
        cfg.smtp, address, sub.name if sub else None, sub.lang if sub else "fr", clock.now
    )
    transport = transport or SmtpTransport(cfg.smtp)
    try:
        with transport:
            via = transport.send(msg, address)
    except DeliveryError as exc:
        warn(f"callwatch: test message to {address}: {exc.message}")
        raise typer.Exit(int(exc.code)) from None
    if not isinstance(transport, StdoutTransport):
        warn(f"callwatch: test message sent to {address} ({via})")
