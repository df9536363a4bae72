"""A real SMTP server for the digest tests: aiosmtpd on 127.0.0.1, TLS from a trustme CA.

The handler stores what it accepts and can be told to answer 4xx/5xx for a
recipient, to drop the connection before answering the message, or to hold a
message until the test lets it go (to make two digest runs overlap for sure).
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER = "cw"
PASSWORD = "s3cret-p@ss"
HOLD_TIMEOUT = 60.0


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = BytesParser(policy=policy.default).parsebytes(self.raw)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)
    rcpt_replies: dict[str, str] = field(default_factory=dict)  # address -> "451 ..." / "550 ..."
    data_replies: dict[str, str] = field(default_factory=dict)
    drop_for: set[str] = field(default_factory=set)  # close the connection instead of replying
    hold: threading.Event | None = None  # DATA waits for this event
    data_started: threading.Event = field(default_factory=threading.Event)
    logins: list[str] = field(default_factory=list)

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_tos]

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        reply = self.rcpt_replies.get(address)
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.data_started.set()
        if self.hold is not None:
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, self.hold.wait, HOLD_TIMEOUT)
        rcpt = envelope.rcpt_tos[0]
        if rcpt in self.drop_for:
            server.transport.close()
            return "421 closing"  # never reaches the client: the connection is gone
        reply = self.data_replies.get(rcpt)
        if reply is not None:
            return reply
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
        )
        return "250 Message accepted"


def authenticator(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == USER.encode()
        and auth_data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start(handler: Handler, tls: ssl.SSLContext | None, mode: str) -> Controller:
    """*mode*: "starttls" (required, with AUTH), "ssl" (implicit TLS, with AUTH), "none"."""
    kwargs: dict[str, Any] = {}
    if mode == "starttls":
        kwargs = {
            "tls_context": tls,
            "require_starttls": True,
            "authenticator": authenticator,
            "auth_required": True,
            "auth_require_tls": True,
        }
    elif mode == "ssl":
        kwargs = {
            "ssl_context": tls,
            "authenticator": authenticator,
            "auth_required": True,
            # aiosmtpd only knows STARTTLS as "TLS"; this connection is TLS from the start.
            "auth_require_tls": False,
        }
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **kwargs)
    controller.start()
    return controller
