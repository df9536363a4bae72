"""The HTTP client of ``callwatch fetch``: polite, bounded, and honest about failures.

Every request has a timeout; 429 and 5xx answers and network errors are
retried with exponential back-off, honouring ``Retry-After`` up to a bound;
anything still failing becomes a one-line :class:`CallwatchError` whose exit
code says whether trying later may help (75) or not (1). ``sleep`` and the
back-off base are injectable so tests run in milliseconds.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from ipaddress import ip_address
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from callwatch import __version__
from callwatch.domain.errors import CallwatchError, Exit
from callwatch.i18n import N_

USER_AGENT = (
    f"callwatch/{__version__} (funding-call watcher; +https://github.com/callwatch/callwatch)"
)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 120.0  # seconds: a server asking for longer is not waited for


class FetchError(CallwatchError):
    """A portal that could not be read: nothing is written."""


@dataclass
class Http:
    """One session with a portal (connections kept alive across its pages)."""

    timeout: float = 30.0
    retries: int = 4
    backoff: float = 1.0  # seconds before the first retry; doubled each time
    max_wait: float = MAX_RETRY_AFTER
    sleep: Callable[[float], None] = time.sleep
    transport: httpx.BaseTransport | None = None
    client: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.client = httpx.Client(
            timeout=self.timeout,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=False,
            transport=self.transport,
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Http:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def request(self, method: str, url: str, what: str, **kwargs: Any) -> httpx.Response:
        """The answer to one request, after retries; 4xx other than 429 are returned."""
        attempt = 0
        while True:
            try:
                response = self.client.request(method, url, **kwargs)
                response.read()
            except httpx.TimeoutException:
                reason = N_("no answer within {seconds} s").format(seconds=f"{self.timeout:g}")
                wait = None
            except httpx.HTTPError as exc:
                reason = N_("network error ({kind}: {detail})").format(
                    kind=type(exc).__name__, detail=exc
                )
                wait = None
            else:
                if response.status_code not in RETRY_STATUSES:
                    return response
                reason = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
                wait = retry_after(response.headers.get("Retry-After"))
                if wait is not None and wait > self.max_wait:
                    raise FetchError(
                        N_(
                            "{what}: {reason}, asked to wait {wait} s (more than {limit} s): "
                            "try again later"
                        ).format(
                            what=what, reason=reason, wait=f"{wait:g}", limit=f"{self.max_wait:g}"
                        ),
                        Exit.TEMPFAIL,
                    )
            if attempt >= self.retries:
                raise FetchError(
                    N_("{what}: {reason} (after {n} attempts): try again later").format(
                        what=what, reason=reason, n=attempt + 1
                    ),
                    Exit.TEMPFAIL,
                )
            self.sleep(wait if wait is not None else self.backoff * 2**attempt)
            attempt += 1

    def json(self, method: str, url: str, what: str, **kwargs: Any) -> Any:
        """The JSON body of a 2xx answer; any other answer is a :class:`FetchError`."""
        response = self.request(method, url, what, **kwargs)
        if response.status_code in (401, 403):
            raise FetchError(
                N_("{what}: refused (HTTP {status}): check the API key").format(
                    what=what, status=response.status_code
                ),
                Exit.PROBLEM,
            )
        if not 200 <= response.status_code < 300:
            raise FetchError(
                f"{what}: HTTP {response.status_code} {response.reason_phrase}".rstrip(),
                Exit.PROBLEM if 400 <= response.status_code < 500 else Exit.TEMPFAIL,
            )
        try:
            return json.loads(response.content)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            detail = exc.msg if isinstance(exc, json.JSONDecodeError) else N_("not UTF-8")
            raise FetchError(
                N_("{what}: the answer is not valid JSON ({detail}, {size} bytes)").format(
                    what=what, detail=detail, size=len(response.content)
                ),
                Exit.TEMPFAIL,
            ) from None


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date)."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def rebase(url: str, base: str | None) -> str:
    """*url* with its scheme and host replaced by *base* (``--base-url``)."""
    if base is None:
        return url
    parts, new = urlsplit(url), urlsplit(base)
    prefix = new.path.rstrip("/")
    return urlunsplit((new.scheme, new.netloc, prefix + parts.path, parts.query, ""))


def check_base_url(base: str) -> str:
    """Refuse a ``--base-url`` that is not https, except plain http on loopback."""
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CallwatchError(
            "--base-url: " + N_("expected https://HOST[:PORT], got {value!r}").format(value=base),
            Exit.USAGE,
        )
    if parts.scheme == "http" and not _loopback(parts.hostname):
        raise CallwatchError(
            "--base-url: "
            + N_(
                "plain http:// is allowed only on this machine (127.0.0.1, ::1, localhost), "
                "not {host!r}: use https://"
            ).format(host=parts.hostname),
            Exit.USAGE,
        )
    return base


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False
