"""``callwatch fetch``: read a portal's live API and merge it as ``import`` does.

Every page is read before anything is merged: a page that fails stops the
fetch with a one-line error and the calls file is not touched (nothing is
written, nothing withdrawn). The day of the fetch is recorded on each call
returned (``checked``); a complete fetch marks the calls it no longer returns
as withdrawn (:func:`callwatch.importers.merge.merge`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
from rich.progress import Progress as ProgressBar

from callwatch.digest.config import Fetch, Reading, config_path, read_secret_file
from callwatch.domain.errors import CallwatchError, Exit
from callwatch.files.loading import read_toml
from callwatch.i18n import N_
from callwatch.importers.http import Http, check_base_url
from callwatch.importers.merge import Report
from callwatch.importers.portals import (
    Fetched,
    Progress,
    fetch_aides_territoires,
    fetch_eu_portal,
    programme_numbers,
)
from callwatch.services.env import Env
from callwatch.services.importing import print_report
from callwatch.services.merging import check_json_target, merge_into
from callwatch.services.portals import PORTALS
from callwatch.store.atomic import refuse_target

AT_KEY_ENV = "CALLWATCH_AT_API_KEY"
KEY_FILE = "fetch.aides_territoires_key_file"
FETCHERS = ("aides-territoires", "eu-portal")


@dataclass(frozen=True)
class FetchOptions:
    """What a fetch was asked for (the command's options)."""

    output: Path | None
    today: date
    dry_run: bool = False
    data_paths: list[str | Path] | None = None
    base_url: str | None = None
    config: Path | None = None
    text: str | None = None
    audiences: Sequence[str] = ()
    perimeter: str | None = None
    programmes: Sequence[str] = ()
    show_progress: bool = False
    # for tests: the client (retries' sleep, back-off base, timeout)
    http: Callable[[], Http] = field(default=Http)


def fetch_calls(
    env: Env,
    portal: str,
    output: Path | None,
    *,
    dry_run: bool,
    as_json: bool,
    verbose: bool,
    base_url: str | None,
    **filters: Any,
) -> None:
    """``callwatch fetch PORTAL``: fetch, merge, print the report (as ``import`` does)."""
    env.language()  # the report and the errors in the reader's language (the team's default too)
    check_json_target(as_json, output, dry_run)
    options = FetchOptions(
        output=output,
        today=env.clock().today,
        dry_run=dry_run,
        data_paths=env.data_paths(),
        base_url=base_url,
        show_progress=not as_json,
        **filters,
    )
    print_report(fetch(portal, options), dry_run, as_json, verbose)


def fetch(portal: str, options: FetchOptions) -> Report:
    """Fetch every page of *portal*, then merge into ``options.output``."""
    base = None if options.base_url is None else check_base_url(options.base_url)
    if options.output is not None:  # a FIFO or a device: refused before any request
        refuse_target(options.output)
    if portal == "aides-territoires":
        key = at_key(options.config)
        reader: Callable[[Http, Progress], Fetched] = lambda http, progress: (  # noqa: E731
            fetch_aides_territoires(
                http,
                key,
                base=base,
                text=options.text,
                audiences=options.audiences,
                perimeter=options.perimeter,
                progress=progress,
            )
        )
    elif portal == "eu-portal":
        numbers = programme_numbers(options.programmes)
        reader = lambda http, progress: fetch_eu_portal(  # noqa: E731
            http, base=base, programmes=numbers, progress=progress
        )
    else:
        raise CallwatchError(
            N_("unknown portal {name!r}: expected one of {names}").format(
                name=portal, names=", ".join(FETCHERS)
            ),
            Exit.USAGE,
        )
    with options.http() as http, _progress(options.show_progress, portal) as progress:
        fetched = reader(http, progress)
    name = (
        N_("aides-territoires API") if portal == "aides-territoires" else N_("EU portal search API")
    )
    batch = PORTALS[portal].from_records(fetched.records, name)
    complete = fetched.complete
    del fetched  # the raw records (tens of MB for 10,000) are not needed to merge
    return merge_into(
        batch,
        options.output,
        dry_run=options.dry_run,
        data_paths=options.data_paths,
        seen_on=options.today,
        complete=complete,
    )


def at_key(config: Path | None = None) -> str:
    """The Aides-territoires API key: ``$CALLWATCH_AT_API_KEY``, else the 0600 file
    named by ``[fetch] aides_territoires_key_file`` in the config. Never printed."""
    key = os.environ.get(AT_KEY_ENV, "").strip()
    if key:
        return key
    path = config_path(config)
    spec = _fetch_spec(path) if path.is_file() else None
    if spec is None or spec.aides_territoires_key_file is None:
        raise CallwatchError(
            N_(
                "no Aides-territoires API key: set ${env}, or name a file readable "
                "only by you in `[fetch] aides_territoires_key_file` of {path} "
                "(the key is on your account page at aides-territoires.beta.gouv.fr)"
            ).format(env=AT_KEY_ENV, path=path),
            Exit.CONFIG,
        )
    return read_secret_file(spec.aides_territoires_key_file, KEY_FILE)


def _fetch_spec(path: Path) -> Fetch | None:
    """The config's ``[fetch]`` table alone (the digest's tables are not needed here)."""
    try:
        _text, data = read_toml(path)
    except CallwatchError as exc:
        raise CallwatchError(exc.message, Exit.CONFIG, file=path, line=exc.line) from None
    table = data.get("fetch")
    if table is None:
        return None
    try:
        return Fetch.model_validate(table, context=Reading(path))  # paths: from its folder
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in ("fetch", *err["loc"]))
        raise CallwatchError(f"{where}: {err['msg']}", Exit.CONFIG, file=path) from None


@contextmanager
def _progress(show: bool, portal: str) -> Iterator[Progress]:
    """A Rich progress bar on a terminal; silence otherwise (cron, pipes, tests)."""
    if not (show and sys.stderr.isatty()):
        yield lambda _done, _total: None
        return
    with ProgressBar(
        TextColumn(f"{portal}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(portal, total=None)

        def update(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        yield update
