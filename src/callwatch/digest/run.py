"""One digest run: lock, read the ledger, plan, compose, deliver, record — subscriber by subscriber.

The ledger is saved right after each accepted message, so a failure later in
the run (another subscriber's server, a crash) never loses what was delivered,
and the failed subscriber is simply retried on the next run. The run's exit
code is the worst of its subscribers' (docs/digest.md):
0 < 75 (temporary) < 1 (permanent) < 65 (unreadable ledger or calls) < 78 (config).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from callwatch.digest import ledger as ledger_mod
from callwatch.digest.compose import compose, content_key, digest_of
from callwatch.digest.content import plan, updated_state
from callwatch.digest.ledger import MessageRecord, PendingRecord
from callwatch.digest.projects import with_projects
from callwatch.digest.send import DeliveryError, StdoutTransport, Transport
from callwatch.domain.errors import CallwatchError, Exit
from callwatch.domain.text import clean
from callwatch.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from email.message import EmailMessage

    from callwatch.digest.config import Config
    from callwatch.digest.ledger import Ledger, SubscriberState
    from callwatch.domain.clock import Clock
    from callwatch.domain.model import Call
    from callwatch.domain.project import Project

SEVERITY = {
    Exit.OK: 0,
    Exit.TEMPFAIL: 1,
    Exit.PROBLEM: 2,
    Exit.DATA: 3,
    Exit.CANTCREAT: 4,
    Exit.CONFIG: 5,
}


def worse(a: Exit, b: Exit) -> Exit:
    """The more serious of two exit codes (a permanent failure outranks a temporary one)."""
    return a if SEVERITY.get(a, 2) >= SEVERITY.get(b, 2) else b


@dataclass
class Report:
    """What the run did, for the exit code and for ``--verbose``."""

    code: Exit = Exit.OK
    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def fail(self, code: Exit) -> None:
        self.code = worse(self.code, code)


def run(
    config: Config,
    clock: Clock,
    calls: list[Call],
    state: Path,
    transport: Transport | None,
    *,
    dry_run: bool = False,
    wait: float = 0.0,
    err: TextIO,
    out: TextIO,
    verbose: bool = False,
    projects: Mapping[Path, Project] | None = None,
    root: Path | None = None,
) -> Report:
    """Deliver every subscriber's digest through *transport*; see the module docstring.

    With *dry_run* nothing is locked or recorded; without a transport it only
    prints what would be sent. *projects*: the project files read for the run
    (:mod:`callwatch.digest.projects`), by path; *root*: the team's root, which the
    ledger's project keys and the commands shown are relative to.
    """
    if transport is None and not dry_run:
        raise ValueError("a transport is needed unless dry_run")
    if dry_run:
        book = ledger_mod.load(state)
        with transport or Transport():
            return _each(
                config, clock, calls, book, transport, True, err, out, verbose, projects, root
            )
    with ledger_mod.locked(state, wait):
        book = ledger_mod.load(state)  # read only once the lock is held
        ledger_mod.check_writable(state)
        with transport or Transport():
            return _each(
                config, clock, calls, book, transport, False, err, out, verbose, projects, root
            )


def _each(
    config: Config,
    clock: Clock,
    calls: list[Call],
    book: Ledger,
    transport: Transport | None,
    dry_run: bool,
    err: TextIO,
    out: TextIO,
    verbose: bool,
    projects: Mapping[Path, Project] | None = None,
    root: Path | None = None,
) -> Report:
    report = Report()
    failures: dict[int, tuple[DeliveryError, list[str]]] = {}  # one line per distinct failure
    for sub in config.subscribers:
        before = book.state(sub.key)
        p = plan(calls, clock, sub, before)
        if projects:
            mine = [(f, projects[f]) for f in config.projects_of(sub) if f in projects]
            p = with_projects(p, calls, mine, before, root)
        if not p.worth_sending:
            if p.baseline and not dry_run:
                book.put(sub.key, updated_state(before, p, None))
                _save(book)
            continue
        msg = compose(p, config.smtp)
        if transport is None:
            r, c, d = len(p.reminders), len(p.news), len(p.deadlines)
            counts = ", ".join(
                (
                    ngettext("{n} reminder", "{n} reminders", r).format(n=r),
                    ngettext("{n} new or changed", "{n} new or changed", c).format(n=c),
                    ngettext("{n} deadline", "{n} deadlines", d).format(n=d),
                )
            )
            subject_line = clean(str(msg["Subject"]))
            out.write(
                _("{to}: would send “{subject}” ({counts})").format(
                    to=sub.to, subject=subject_line, counts=counts
                )
                + "\n"
            )
            continue
        if not dry_run:
            _mark_pending(book, sub.key, before, msg)
        try:
            via = transport.send(msg, sub.to)
        except DeliveryError as exc:
            failures.setdefault(id(exc), (exc, []))[1].append(sub.to)
            report.failed.append(sub.to)
            report.fail(exc.code)
            continue
        report.sent.append(sub.to)
        if verbose and not isinstance(transport, StdoutTransport):
            err.write(f"callwatch: {sub.to}: " + _("sent ({via})").format(via=via) + "\n")
        if dry_run:
            continue
        record = MessageRecord(
            at=p.clock.now.isoformat(timespec="seconds"),
            via=via.split(" ")[0],
            message_id=str(msg["Message-ID"]),
            sha256=digest_of(msg),
            reminders=len(p.reminders),
            deadlines=len(p.deadlines),
            news=len(p.news),
        )
        book.put(sub.key, updated_state(before, p, record))
        _save(book, sent_to=sub.to)
    for failure, addresses in failures.values():
        kind = _("temporary failure, will retry next run") if failure.temporary else _("failed")
        err.write(f"callwatch: {', '.join(addresses)}: {kind}: {clean(failure.message)}\n")
    return report


def _mark_pending(book: Ledger, key: str, before: SubscriberState, msg: EmailMessage) -> None:
    """Save the message's Message-ID as pending before its DATA; a retry of the same
    content takes the pending one back. A ledger that cannot be written stops the run
    before anything is sent (exit 73)."""
    content = content_key(msg)
    if before.pending is not None and before.pending.content == content:
        msg.replace_header("Message-ID", before.pending.message_id)
    pending = PendingRecord(str(msg["Date"]), str(msg["Message-ID"]), content)
    book.put(key, replace(before, pending=pending))
    try:
        book.save()
    except OSError as exc:
        raise CallwatchError(
            N_("the ledger could not be written ({reason}); nothing sent").format(
                reason=exc.strerror or exc
            ),
            Exit.CANTCREAT,
            file=book.path,
        ) from None


def _save(book: Ledger, sent_to: str | None = None) -> None:
    try:
        book.save()
    except OSError as exc:
        reason = exc.strerror or exc
        message = (
            N_(
                "the digest to {to} was sent but the ledger could not be written ({reason}); "
                "fix this before the next run or it will be sent again"
            ).format(to=sent_to, reason=reason)
            if sent_to
            else N_(
                "the ledger could not be written ({reason}); "
                "fix this before the next run or it will be sent again"
            ).format(reason=reason)
        )
        raise CallwatchError(
            message,
            Exit.PROBLEM,
            file=book.path,
        ) from None
