"""Scripted portals on 127.0.0.1 for the fetch tests: real HTTP, no network.

A :class:`Portal` is a threaded ``http.server`` whose answers come from a
Python function of the request, so a test can script token expiry, a 429, a
failing page or a truncated body. The recorded shapes follow
``/work/shared/data/current-calls/README.md`` (Aides-territoires API, EU search API).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


@dataclass
class Answer:
    status: int = 200
    body: Any = None  # JSON-able, or bytes sent as is
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (a timeout)
    truncate: bool = False  # announce more bytes than sent, then close


App = Callable[[Request], Answer]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        request = Request(
            self.command,
            parts.path,
            parse_qs(parts.query),
            {k.lower(): v for k, v in self.headers.items()},
            self.rfile.read(length) if length else b"",
        )
        self.server.requests.append(request)
        answer = self.server.app(request)
        if answer.delay:
            time.sleep(answer.delay)
        body = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body).encode()
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body) + (100 if answer.truncate else 0)))
        if answer.truncate:
            self.send_header("Connection", "close")
        self.end_headers()
        with suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout)
            self.wfile.write(body)
        if answer.truncate:
            self.close_connection = True

    do_GET = _serve
    do_POST = _serve


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, app: App) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.app = app
        self.requests: list[Request] = []


@contextmanager
def serve(app: App) -> Iterator[tuple[str, list[Request]]]:
    """Run *app* on 127.0.0.1; yield its base URL and the requests it received."""
    server = _Server(app)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# -- recorded shapes ------------------------------------------------------------------


def aid(number: int, slug: str, name: str, deadline: str | None, **more: Any) -> dict[str, Any]:
    """One Aides-territoires API result, in the documented shape."""
    record: dict[str, Any] = {
        "id": number,
        "slug": slug,
        "url": f"/aides/{slug}/",
        "name": name,
        "financers": ["Région Auvergne-Rhône-Alpes"],
        "instructors": [],
        "programs": [],
        "description": "<p>Soutien aux projets.</p>",
        "eligibility": "",
        "perimeter": "Auvergne-Rhône-Alpes (Région)",
        "perimeter_scale": "Région",
        "origin_url": None,
        "application_url": None,
        "categories": [],
        "is_call_for_project": True,
        "targeted_audiences": ["Communes"],
        "aid_types": ["Subvention"],
        "start_date": None,
        "predeposit_date": None,
        "submission_deadline": deadline,
        "subvention_rate_lower_bound": None,
        "subvention_rate_upper_bound": None,
        "recurrence": "Ponctuelle" if deadline else "Permanente",
        "date_created": "2026-01-05T10:00:00+01:00",
        "date_updated": "2026-11-20T10:00:00+01:00",
        "european_aid": None,
        "is_live": True,
    }
    record.update(more)
    return record


def topic(identifier: str, deadlines: list[str], **more: Any) -> dict[str, Any]:
    """One EU search-API result, in the documented shape (every metadata value an array)."""
    actions = more.pop("actions", None)
    if actions is None:
        actions = [
            {
                "types": [{"typeOfAction": "HORIZON-RIA HORIZON Research and Innovation Actions"}],
                "submissionProcedure": {"abbreviation": more.get("model", "single-stage")},
                "deadlineDates": deadlines,
                "plannedOpeningDate": "2026-10-01",
                "status": {"abbreviation": "Forthcoming"},
            }
        ]
    metadata: dict[str, Any] = {
        "identifier": [identifier],
        "title": [more.get("title", f"Topic {identifier}")],
        "type": [more.get("type", "1")],
        "status": [more.get("status", "31094502")],
        "callIdentifier": [identifier.rsplit("-", 1)[0]],
        "frameworkProgramme": [more.get("programme", "43108390")],
        "deadlineDate": [f"{d}T17:00:00.000+0100" for d in deadlines[-1:]],
        "startDate": ["2026-10-01T00:00:00.000+0200"],
        "deadlineModel": [more.get("model", "single-stage")],
        "keywords": ['["rural areas"]'],
        "actions": [json.dumps(actions)],
    }
    return {"content": metadata["title"][0], "metadata": metadata}
