"""The ledger: what was sent to whom, so nothing is said twice and nothing is lost.

One JSON file (``ledger.json``) in the state directory, with a schema version.
It is replaced atomically after each subscriber's message is accepted, so a
crash or a failing subscriber never loses what was already delivered. A lock
file next to it (``ledger.lock``, ``fcntl.flock``) keeps two overlapping runs
from sending the same digest twice.

A missing ledger is a fresh start (every subscriber gets a baseline digest, see
docs/digest.md); an unreadable or corrupt one stops the run with a one-line
error: resetting it silently would re-send or lose reminders.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import TypeAdapter, ValidationError

from callwatch.domain.errors import CallwatchError, Exit
from callwatch.i18n import N_
from callwatch.store.atomic import atomic_write

SCHEMA = "callwatch.ledger/1"
LEDGER_NAME = "ledger.json"
LOCK_NAME = "ledger.lock"
KEEP_MESSAGES = 100


@dataclass
class CallRecord:
    """What a subscriber was last told about a call; a change of ``fp`` is news.

    ``rounds`` maps each round (``2019-03-15``, ``2024-01-25T17:00 Europe/Brussels``)
    to the day the subscriber first knew of it: a reminder is owed only from then.
    """

    fp: str
    first_seen: date
    title: str
    rounds: dict[str, date] = field(default_factory=dict)
    ongoing: bool = False
    url: str | None = None
    rrule: str | None = None
    open: bool = True


@dataclass
class ReminderRecord:
    """One reminder (call, round, offset): sent, or superseded by a more urgent one."""

    status: Literal["sent", "superseded"]
    due: date
    at: str
    late: bool = False


@dataclass
class MessageRecord:
    at: str
    via: str
    message_id: str
    sha256: str
    reminders: int = 0
    deadlines: int = 0
    news: int = 0


@dataclass
class PendingRecord:
    """A message about to be handed to the server, saved before its DATA: if the server
    takes it but the reply is lost, the retry of the same content reuses ``message_id``,
    so the receiver's mail client can recognise the second copy (docs/digest.md)."""

    at: str
    message_id: str
    content: str  # compose.content_key: the message without its Date and Message-ID


@dataclass
class SubscriberState:
    since: date | None = None  # the day of the baseline: nothing older is owed
    last_sent: str | None = None
    calls: dict[str, CallRecord] = field(default_factory=dict)
    reminders: dict[str, ReminderRecord] = field(default_factory=dict)  # "call|round|offset"
    listed: dict[str, date] = field(default_factory=dict)  # "call|round" -> first listed
    messages: list[MessageRecord] = field(default_factory=list)
    # "project file|call id" -> the verdict last told (eligible, incomplete:N, not_eligible):
    # a project's verdict on a call is reported once, and again only when it changes.
    verdicts: dict[str, str] = field(default_factory=dict)
    pending: PendingRecord | None = None


@dataclass
class LedgerData:
    schema: str = SCHEMA
    subscribers: dict[str, SubscriberState] = field(default_factory=dict)


for _cls in (CallRecord, ReminderRecord, MessageRecord, PendingRecord, SubscriberState, LedgerData):
    setattr(_cls, "__pydantic_config__", {"extra": "forbid"})  # noqa: B010 - pydantic reads it


def reminder_key(call_id: str, round_key: str, offset: int) -> str:
    return f"{call_id}|{round_key}|{offset}"


def listed_key(call_id: str, round_key: str) -> str:
    return f"{call_id}|{round_key}"


class Ledger:
    """The ledger file and its content; :meth:`save` after every accepted message."""

    def __init__(self, directory: Path, data: LedgerData | None = None) -> None:
        self.directory = directory
        self.path = directory / LEDGER_NAME
        self.data = data or LedgerData()

    def state(self, key: str) -> SubscriberState:
        """A copy of a subscriber's state (empty for a new subscriber)."""
        current = self.data.subscribers.get(key)
        if current is None:
            return SubscriberState()
        adapter = _adapter(SubscriberState)
        copy: SubscriberState = adapter.validate_python(adapter.dump_python(current))
        return copy

    def put(self, key: str, state: SubscriberState) -> None:
        self.data.subscribers[key] = state

    def dumps(self) -> bytes:
        payload = _adapter(LedgerData).dump_python(self.data, mode="json")
        return (json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode()

    def save(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write(self.path, self.dumps())


def check_writable(directory: Path) -> None:
    """Before the first send: the ledger can be written in *directory* (a probe file is
    created and removed), else exit 73 — never a message that cannot be recorded."""
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, name = tempfile.mkstemp(prefix=f".{LEDGER_NAME}.", suffix=".tmp", dir=directory)
        os.close(fd)
        Path(name).unlink()
    except OSError as exc:
        raise CallwatchError(
            N_("the ledger cannot be written here ({reason}); nothing sent").format(
                reason=exc.strerror or exc
            ),
            Exit.CANTCREAT,
            file=directory,
        ) from None


def load(directory: Path) -> Ledger:
    """Read the ledger; missing means a fresh start, anything unreadable is an error."""
    path = directory / LEDGER_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Ledger(directory)
    except OSError as exc:
        raise CallwatchError(
            N_("cannot read the ledger: {reason}").format(reason=exc.strerror or exc),
            Exit.DATA,
            file=path,
        ) from None
    hint = N_("; move it aside to start afresh (callwatch docs digest, “Resetting the ledger”)")
    try:
        doc = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise CallwatchError(
            N_("the ledger is corrupt (not valid JSON: {reason}){hint}").format(
                reason=getattr(exc, "msg", exc), hint=hint
            ),
            Exit.DATA,
            file=path,
            line=line,
        ) from None
    schema = doc.get("schema") if isinstance(doc, dict) else None
    if schema != SCHEMA:
        what = (
            N_("schema {name!r}").format(name=schema)
            if isinstance(schema, str)
            else N_("no schema key")
        )
        raise CallwatchError(
            N_(
                "not a ledger this version of callwatch can read "
                "({what}, expected {schema!r}){hint}"
            ).format(what=what, schema=SCHEMA, hint=hint),
            Exit.DATA,
            file=path,
        )
    try:
        data = _adapter(LedgerData).validate_python(doc)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"])
        raise CallwatchError(
            N_("the ledger is corrupt ({where}: {reason}){hint}").format(
                where=where, reason=err["msg"], hint=hint
            ),
            Exit.DATA,
            file=path,
        ) from None
    return Ledger(directory, data)


@contextlib.contextmanager
def locked(directory: Path, wait: float = 0.0) -> Iterator[Path]:
    """Hold ``ledger.lock`` for the whole run; after *wait* seconds give up with exit 75.

    ``flock`` is released by the kernel when the process dies, so a crashed run
    never leaves a stale lock behind.
    """
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock_path = directory / LOCK_NAME
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:  # a permanent fault of the place: not retried as temporary
        raise CallwatchError(
            N_("cannot create the lock file: {reason}; nothing sent").format(
                reason=exc.strerror or exc
            ),
            Exit.CANTCREAT,
            file=directory,
        ) from None
    try:
        give_up = time.monotonic() + max(wait, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= give_up:
                    raise CallwatchError(
                        N_(
                            "another `callwatch digest` is running (lock held on {path}); "
                            "nothing sent by this run, the next run will catch up"
                        ).format(path=lock_path),
                        Exit.TEMPFAIL,
                    ) from None
                time.sleep(0.1)
        try:
            yield lock_path
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


_ADAPTERS: dict[type, Any] = {}


def _adapter(cls: type) -> Any:
    if cls not in _ADAPTERS:
        _ADAPTERS[cls] = TypeAdapter(cls)
    return _ADAPTERS[cls]
