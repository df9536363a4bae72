"""``callwatch digest``: the e-mail digest, run by cron (docs/digest.md)."""

from __future__ import annotations

import sys
from pathlib import Path

from callwatch.digest.compose import compose_test
from callwatch.digest.config import Config, config_path, is_address, state_dir
from callwatch.digest.projects import read_projects
from callwatch.digest.run import run, worse
from callwatch.digest.send import (
    DeliveryError,
    DirTransport,
    SmtpTransport,
    StdoutTransport,
    Transport,
)
from callwatch.domain.clock import Clock
from callwatch.domain.errors import CallwatchError, DataError, Exit
from callwatch.i18n import N_
from callwatch.output.render import warn
from callwatch.services.config import load_config
from callwatch.services.env import Env


def digest(
    env: Env,
    config: Path | None,
    state: Path | None,
    *,
    dry_run: bool,
    stdout: bool,
    to_dir: Path | None,
    test: bool,
    to: str | None,
    wait: float,
    verbose: bool,
) -> Exit:
    """Send (or show, or write) what is due to each subscriber; the worst outcome's code."""
    if stdout and to_dir is not None:
        raise CallwatchError(N_("--stdout and --to-dir cannot be used together"), Exit.USAGE)
    if to is not None and not test:
        raise CallwatchError(N_("--to goes with --test"), Exit.USAGE)
    clock = env.clock()
    cfg = load_config(config_path(config), env.defaults())
    transport = _transport(cfg, stdout, to_dir, needed=not dry_run or stdout or to_dir)
    if test:
        return _send_test(cfg, clock, transport, to)
    return _run(cfg, env, clock, transport, state_dir(state), dry_run, wait, verbose)


def _transport(cfg: Config, stdout: bool, to_dir: Path | None, needed: object) -> Transport | None:
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
    env: Env,
    clock: Clock,
    transport: Transport | None,
    state: Path,
    dry_run: bool,
    wait: float,
    verbose: bool,
) -> Exit:
    if cfg.data and not env.data_given():
        env = env.with_data(list(cfg.data))
    team = env.team()
    if team is not None and not cfg.projects:
        cfg = cfg.with_projects(team.project_paths())
    # the team's projects (docs/team.md): an invalid one stops the run before any sending
    projects, problems = read_projects([f for sub in cfg.subscribers for f in cfg.projects_of(sub)])
    if projects is None:
        raise DataError(problems)
    catalog = env.catalog()  # problems go to stderr; the valid calls are still watched
    cfg.check_team_territories()  # defined in the calls files just read
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
        projects=projects,
        root=None if team is None else team.root,
    )
    return worse(report.code, Exit.DATA) if catalog.problems else report.code


def _send_test(cfg: Config, clock: Clock, transport: Transport | None, to: str | None) -> Exit:
    address = to if to is not None else cfg.subscribers[0].to
    if not is_address(address):
        raise CallwatchError(
            N_("--to: {address!r} is not an e-mail address").format(address=address), Exit.USAGE
        )
    sub = cfg.subscriber(address)
    msg = compose_test(
        cfg.smtp, address, sub.name if sub else None, sub.lang if sub else "fr", clock.now
    )
    transport = transport or SmtpTransport(cfg.smtp)
    try:
        with transport:
            via = transport.send(msg, address)
    except DeliveryError as exc:
        warn(
            "callwatch: "
            + N_("test message to {address}: {reason}").format(address=address, reason=exc.message)
        )
        return exc.code
    if not isinstance(transport, StdoutTransport):
        warn(
            "callwatch: "
            + N_("test message sent to {address} ({via})").format(address=address, via=via)
        )
    return Exit.OK
