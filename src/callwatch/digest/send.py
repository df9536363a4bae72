"""Delivering messages (SMTP, ``.eml`` files, stdout) and classifying what went wrong.

SMTP is verified TLS by default: STARTTLS (or implicit TLS with ``security =
"ssl"``) with the system trust store plus an optional ``ca_file``, hostname
checked. Failures are sorted into *temporary* (retried on the next run: a 4xx
reply, a refused or dropped connection, a timeout) and *permanent* (a 5xx
reply, a rejected login, an untrusted certificate): see docs/digest.md.
"""

from __future__ import annotations

import contextlib
import smtplib
import socket
import ssl
import sys
import threading
import time
from email.generator import BytesGenerator
from email.utils import parsedate_to_datetime
from io import BytesIO
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, BinaryIO

from callwatch.digest.compose import digest_of
from callwatch.domain.errors import CallwatchError, Exit
from callwatch.domain.text import clean
from callwatch.store.atomic import atomic_write

if TYPE_CHECKING:
    from email.message import EmailMessage

    from callwatch.digest.config import Smtp


class DeliveryError(Exception):
    """A message was not accepted; *temporary* says whether the next run may succeed."""

    def __init__(self, message: str, *, temporary: bool) -> None:
        super().__init__(message)
        self.message = message
        self.temporary = temporary

    @property
    def code(self) -> Exit:
        return Exit.TEMPFAIL if self.temporary else Exit.PROBLEM


class Transport:
    """Where messages go. ``send`` returns a short description for the ledger."""

    name = "transport"

    def send(self, msg: EmailMessage, to: str) -> str:
        raise NotImplementedError

    def close(self) -> None:
        return None

    def __enter__(self) -> Transport:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class SmtpTransport(Transport):
    """One connection, reused for every subscriber; reopened after a failed message.

    A failure while connecting, securing or logging in is remembered and given
    to every later message of the run without trying again.
    """

    name = "smtp"

    def __init__(self, smtp: Smtp) -> None:
        self.smtp = smtp
        self._conn: smtplib.SMTP | None = None
        self._broken: DeliveryError | None = None
        self._deadline: float | None = None  # monotonic; set when the first message goes
        self._watchdog: threading.Timer | None = None
        self._expired = threading.Event()

    def _remaining(self) -> float:
        """Seconds left of the run's time with the server (``smtp.run_timeout``)."""
        now = time.monotonic()
        if self._deadline is None:
            self._deadline = now + self.smtp.run_timeout
            # Reads time out one by one; a server trickling a byte at a time would never
            # trip them. At the deadline the socket is shut down, whatever it is doing.
            self._watchdog = threading.Timer(self.smtp.run_timeout, self._expire)
            self._watchdog.daemon = True
            self._watchdog.start()
        return self._deadline - now

    def _expire(self) -> None:
        self._expired.set()
        conn = self._conn
        sock = getattr(conn, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _out_of_time(self) -> DeliveryError:
        return DeliveryError(
            f"{self.where}: stopped after {self.smtp.run_timeout:g} s with the server "
            "(smtp.run_timeout); the rest is retried next run",
            temporary=True,
        )

    @property
    def where(self) -> str:
        return f"{self.smtp.host}:{self.smtp.port}"

    def _connect(self, timeout: float) -> smtplib.SMTP:
        s = self.smtp
        context = tls_context(s.ca_file)
        local = socket.gethostname() or "localhost"  # getfqdn() may wait on DNS
        conn: smtplib.SMTP
        if s.security == "ssl":
            conn = smtplib.SMTP_SSL(
                s.host, s.port, local_hostname=local, timeout=timeout, context=context
            )
        else:
            conn = smtplib.SMTP(s.host, s.port, local_hostname=local, timeout=timeout)
        self._conn = conn  # the watchdog may shut it down from now on
        try:
            conn.ehlo()
            if s.security == "starttls":
                if not conn.has_extn("starttls"):
                    raise DeliveryError(
                        f"{self.where}: the server does not offer STARTTLS; refusing to send "
                        'in clear text (use security = "ssl" if it expects implicit TLS)',
                        temporary=False,
                    )
                conn.starttls(context=context)
                conn.ehlo()
            if s.username is not None:
                _login(conn, s.username, s.password() or "")
        except BaseException:
            _quietly_close(conn)
            raise
        return conn

    def send(self, msg: EmailMessage, to: str) -> str:
        if self._broken is not None:
            raise self._broken
        left = self._remaining()
        if left <= 0 or self._expired.is_set():
            self._broken = self._out_of_time()
            raise self._broken
        if self._conn is None:
            try:
                self._conn = self._connect(min(self.smtp.timeout, left))
            except DeliveryError as exc:
                self._broken = exc
                raise
            except CallwatchError:
                raise
            except Exception as exc:
                failure = classify(exc, self.where, connecting=True, timeout=self.smtp.timeout)
                self._broken = self._out_of_time() if self._expired.is_set() else failure
                raise self._broken from None
        try:
            if self._conn.sock is not None:
                self._conn.sock.settimeout(min(self.smtp.timeout, max(left, 0.001)))
            self._conn.send_message(msg, from_addr=self.smtp.sender, to_addrs=[to])
        except Exception as exc:
            _quietly_close(self._conn)
            self._conn = None
            if self._expired.is_set():
                self._broken = self._out_of_time()
                raise self._broken from None
            raise classify(exc, self.where, connecting=False, timeout=self.smtp.timeout) from None
        return f"smtp {self.where}"

    def close(self) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
        if self._conn is not None:
            with contextlib.suppress(Exception):  # delivered; a rude goodbye is harmless
                self._conn.quit()
            _quietly_close(self._conn)
            self._conn = None


def _login(conn: smtplib.SMTP, user: str, password: str) -> None:
    """AUTH with one mechanism (PLAIN, else LOGIN) so a refusal is reported as it is.

    ``smtplib.SMTP.login`` tries every mechanism in turn; some servers hang up
    after the first refusal, which would look like a temporary failure.
    """
    advertised = conn.esmtp_features.get("auth", "").upper().split()
    for mechanism in ("PLAIN", "LOGIN"):
        if mechanism in advertised:
            conn.user, conn.password = user, password
            conn.auth(mechanism, getattr(conn, "auth_" + mechanism.lower()))
            return
    conn.login(user, password)


def _quietly_close(conn: Any) -> None:
    with contextlib.suppress(Exception):  # closing a broken connection may fail again
        conn.close()


def tls_context(ca_file: Path | None) -> Any:
    """The system trust store, plus *ca_file* for a private CA; hostnames are checked."""
    context = ssl.create_default_context()
    if ca_file is not None:
        context.load_verify_locations(cafile=str(ca_file))
    return context


def classify(
    exc: BaseException, where: str, *, connecting: bool, timeout: float | None = None
) -> DeliveryError:
    """Sort an exception from smtplib, ssl or the socket into temporary or permanent."""
    waited = "" if timeout is None else f" {timeout:g} s"
    if _timed_out(exc):  # smtplib reports a read that timed out as a closed connection
        step = "to answer while connecting" if connecting else "to answer"
        return DeliveryError(
            f"{where}: timeout: the server took more than{waited or ' the timeout'} {step} "
            "(smtp.timeout)",
            temporary=True,
        )

    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(exc.recipients.values()), (550, b"recipient refused"))
        return _reply(where, "recipient refused", code, reply)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return _reply(
            where, "login refused (check username and password)", exc.smtp_code, exc.smtp_error
        )
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return _reply(where, "sender refused", exc.smtp_code, exc.smtp_error)
    if isinstance(exc, smtplib.SMTPDataError):
        return _reply(where, "message refused", exc.smtp_code, exc.smtp_error)
    if isinstance(exc, smtplib.SMTPResponseException):
        return _reply(where, "the server said", exc.smtp_code, exc.smtp_error)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        step = "while connecting" if connecting else "in the middle of the message"
        return DeliveryError(f"{where}: the server closed the connection {step}", temporary=True)
    if isinstance(exc, ssl.SSLCertVerificationError):
        hint = (
            "; check smtp.host: it must be a name the certificate is for"
            if "mismatch" in str(exc.verify_message).lower()
            else "; for a server signed by a private CA, set smtp.ca_file"
        )
        return DeliveryError(
            f"{where}: the server's certificate is not trusted ({exc.verify_message}){hint}",
            temporary=False,
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError | smtplib.SMTPException):
        return DeliveryError(f"{where}: {clean(str(exc))}", temporary=False)
    if isinstance(exc, TimeoutError):
        return DeliveryError(f"{where}: no answer in time (timeout)", temporary=True)
    if isinstance(exc, ssl.SSLError):
        return DeliveryError(
            f"{where}: TLS failed ({clean(exc.reason or str(exc))})", temporary=True
        )
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc) or type(exc).__name__
        return DeliveryError(f"{where}: cannot connect ({clean(reason)})", temporary=True)
    return DeliveryError(f"{where}: {type(exc).__name__}: {clean(str(exc))}", temporary=True)


def _timed_out(exc: BaseException) -> bool:
    """A timeout, raised as such or behind smtplib's "connection unexpectedly closed"."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return False
        if isinstance(seen, TimeoutError) or "timed out" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _reply(where: str, what: str, code: int, reply: bytes | str) -> DeliveryError:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    temporary = 400 <= code < 500
    return DeliveryError(f"{where}: {what}: {code} {clean(text)}", temporary=temporary)


class DirTransport(Transport):
    """``--to-dir DIR``: one ``.eml`` file per message (mode 0600, written atomically)."""

    name = "eml"

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def send(self, msg: EmailMessage, to: str) -> str:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            stamp = _stamp(msg)
            safe_to = "".join(ch if ch.isalnum() or ch in "@.-_" else "_" for ch in to)
            path = self.directory / f"{stamp}-{safe_to}-{digest_of(msg)[:8]}.eml"
            atomic_write(path, bytes(msg), mode=0o600)
        except OSError as exc:
            raise DeliveryError(
                f"{self.directory}: cannot write: {exc.strerror or exc}", temporary=True
            ) from None
        return f"eml {path}"


def _stamp(msg: EmailMessage) -> str:
    return parsedate_to_datetime(str(msg["Date"])).strftime("%Y%m%dT%H%M%S")


class StdoutTransport(Transport):
    """``--stdout``: the messages in mbox format (read them with ``mailbox.mbox`` or mutt)."""

    name = "stdout"

    def __init__(self, stream: BinaryIO | None = None) -> None:
        self.stream = stream

    def send(self, msg: EmailMessage, to: str) -> str:
        out = self.stream or sys.stdout.buffer
        when = parsedate_to_datetime(str(msg["Date"])).strftime("%a %b %d %H:%M:%S %Y")
        buffer = BytesIO()
        buffer.write(f"From callwatch {when}\n".encode())
        BytesGenerator(buffer, mangle_from_=True).flatten(msg)
        out.write(buffer.getvalue().rstrip(b"\n") + b"\n\n")
        out.flush()
        return "stdout"
