"""Reading the portals' live APIs, page by page (``callwatch fetch``).

Each reader returns every record it was given and whether the fetch was
*complete* (every page, no filter): only a complete fetch may mark calls that
it no longer returns as withdrawn. A page that cannot be read stops the whole
fetch with a :class:`~callwatch.importers.http.FetchError`: nothing is merged.
The API shapes are in docs/fetch.md.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from callwatch.domain.errors import CallwatchError, Exit
from callwatch.i18n import N_
from callwatch.importers.eu_portal import PROGRAMMES
from callwatch.importers.http import FetchError, Http, rebase

AT_SITE = "https://aides-territoires.beta.gouv.fr"
AT_PAGE_SIZE = 100  # the API's maximum
EU_SEARCH = "https://api.tech.ec.europa.eu/search-api/prod/rest/search"
EU_PAGE_SIZE = 100
EU_TYPES = ("1", "2", "8")  # grants (1, 2) and cascade funding (8)
EU_STATUSES = ("31094501", "31094502")  # forthcoming, open
MAX_PAGES = 10_000  # a server that never says "last page" is not followed for ever

Progress = Callable[[int, int | None], None]  # records so far, total when known


@dataclass(frozen=True)
class Fetched:
    records: list[Any]
    complete: bool  # every page of the unfiltered list: may withdraw what is missing
    pages: int


def _no_progress(_done: int, _total: int | None) -> None:
    return None


# -- Aides-territoires ------------------------------------------------------------


def fetch_aides_territoires(
    http: Http,
    key: str,
    *,
    base: str | None = None,
    text: str | None = None,
    audiences: Sequence[str] = (),
    perimeter: str | None = None,
    progress: Progress = _no_progress,
) -> Fetched:
    """Every aid the API lists (with the filters given), following ``next``."""
    token = _at_token(http, key, base)
    params: list[tuple[str, str]] = [("itemsPerPage", str(AT_PAGE_SIZE))]
    if text:
        params.append(("text", text))
    params += [("targeted_audiences", a) for a in audiences]
    if perimeter:
        params.append(("perimeter", perimeter))
    url = rebase(f"{AT_SITE}/api/aids/", base)
    records: list[Any] = []
    page = 1
    renewed = False
    while True:
        what = N_("Aides-territoires page {n}").format(n=page)
        response = http.request(
            "GET",
            url,
            what,
            params=[("page", str(page)), *params],
            headers={"Authorization": f"Bearer {token}"},
        )
        if response.status_code == 401 and not renewed:  # the JWT expired (24 h): renew once
            token, renewed = _at_token(http, key, base), True
            continue
        body = _json_of(http, response, what)
        results = body.get("results") if isinstance(body, dict) else None
        if not isinstance(results, list):
            raise FetchError(
                N_("{what}: unexpected answer (no `results` list): has the API changed?").format(
                    what=what
                ),
                Exit.PROBLEM,
            )
        records += results
        count = body.get("count")
        progress(len(records), count if isinstance(count, int) else None)
        if not body.get("next") or not results:
            break
        page += 1
        renewed = False
        if page > MAX_PAGES:
            raise FetchError(
                N_("{what}: more than {n} pages: stopped").format(what=what, n=MAX_PAGES),
                Exit.TEMPFAIL,
            )
    complete = not (text or audiences or perimeter)
    return Fetched(records, complete, page)


def _at_token(http: Http, key: str, base: str | None) -> str:
    """Exchange the user's API key for a JWT (valid 24 h). The key is never shown."""
    what = N_("Aides-territoires login (POST /api/connexion/)")
    body = http.json(
        "POST", rebase(f"{AT_SITE}/api/connexion/", base), what, headers={"X-AUTH-TOKEN": key}
    )
    token = body.get("token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token.strip():
        raise FetchError(N_("{what}: no token in the answer").format(what=what), Exit.PROBLEM)
    return token.strip()


def _json_of(http: Http, response: Any, what: str) -> Any:
    """The JSON of an answer already received (same checks as :meth:`Http.json`)."""
    if response.status_code in (401, 403):
        raise FetchError(
            N_("{what}: refused (HTTP {status}): check the API key").format(
                what=what, status=response.status_code
            ),
            Exit.PROBLEM,
        )
    if not 200 <= response.status_code < 300:
        code = Exit.PROBLEM if 400 <= response.status_code < 500 else Exit.TEMPFAIL
        raise FetchError(f"{what}: HTTP {response.status_code}", code)
    try:
        return json.loads(response.content)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise FetchError(
            N_("{what}: the answer is not valid JSON ({size} bytes)").format(
                what=what, size=len(response.content)
            ),
            Exit.TEMPFAIL,
        ) from None


# -- EU Funding & Tenders -----------------------------------------------------------


def programme_numbers(names: Sequence[str]) -> list[str]:
    """``--programme`` values (names such as "Horizon Europe", or numbers) as numbers."""
    by_name = {name.casefold(): number for number, name in PROGRAMMES.items()}
    out: list[str] = []
    for name in names:
        number = (
            name.strip() if name.strip() in PROGRAMMES else by_name.get(name.strip().casefold())
        )
        if number is None:
            raise CallwatchError(
                "--programme: "
                + N_("unknown programme {name!r}: expected one of {names}").format(
                    name=name, names=", ".join(sorted(PROGRAMMES.values()))
                ),
                Exit.USAGE,
            )
        out.append(number)
    return out


def eu_query(programmes: Sequence[str] = ()) -> dict[str, Any]:
    must: list[dict[str, Any]] = [
        {"terms": {"type": list(EU_TYPES)}},
        {"terms": {"status": list(EU_STATUSES)}},
    ]
    if programmes:
        must.append({"terms": {"frameworkProgramme": list(programmes)}})
    return {"bool": {"must": must}}


def fetch_eu_portal(
    http: Http,
    *,
    base: str | None = None,
    programmes: Sequence[str] = (),
    progress: Progress = _no_progress,
) -> Fetched:
    """Every forthcoming or open grant and cascade topic, all pages (``totalResults``)."""
    parts = {
        "query": json.dumps(eu_query(programmes)),
        "sort": json.dumps({"field": "startDate", "order": "DESC"}),
        "languages": json.dumps(["en"]),
    }
    files = {name: ("blob", value, "application/json") for name, value in parts.items()}
    url = rebase(EU_SEARCH, base)
    records: list[Any] = []
    page, pages, short = 1, 1, False
    while page <= pages:
        what = N_("EU portal search page {n}").format(n=page)
        body = http.json(
            "POST",
            url,
            what,
            params={
                "apiKey": "SEDIA",
                "text": "***",
                "pageSize": str(EU_PAGE_SIZE),
                "pageNumber": str(page),
            },
            files=files,
        )
        results = body.get("results") if isinstance(body, dict) else None
        total = body.get("totalResults") if isinstance(body, dict) else None
        if not isinstance(results, list) or not isinstance(total, int):
            raise FetchError(
                N_(
                    "{what}: unexpected answer (no `results` or `totalResults`): "
                    "has the API changed?"
                ).format(what=what),
                Exit.PROBLEM,
            )
        records += results
        size = body.get("pageSize")  # the server's page size wins over the one asked for
        size = size if isinstance(size, int) and size > 0 else EU_PAGE_SIZE
        pages = min(MAX_PAGES, max(1, math.ceil(total / size)))
        progress(len(records), total)
        if not results:
            short = page < pages  # an empty page before the last: the list moved under us
            break
        page += 1
    return Fetched(records, not programmes and not short, min(page, pages))
