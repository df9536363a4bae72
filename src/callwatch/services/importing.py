"""``callwatch import PORTAL FILE``: calls from a portal's file, merged into a calls file."""

from __future__ import annotations

import sys
from pathlib import Path

from callwatch.domain.text import clean
from callwatch.importers.merge import Report
from callwatch.output.render import emit_json
from callwatch.services.env import Env
from callwatch.services.merging import check_json_target, merge_into
from callwatch.services.portals import PORTALS


def import_calls(
    env: Env,
    portal: str,
    source: Path,
    output: Path | None,
    *,
    dry_run: bool,
    as_json: bool,
    verbose: bool = False,
    flags: dict[str, bool] | None = None,
) -> None:
    """Read *source* with the *portal*'s reader and merge its calls into *output* (or print)."""
    env.language()  # the report and the errors in the reader's language (the team's default too)
    check_json_target(as_json, output, dry_run)
    batch = PORTALS[portal].read(source, **(flags or {}))
    report = merge_into(batch, output, dry_run=dry_run, data_paths=env.data_paths())
    print_report(report, dry_run, as_json, verbose)


def print_report(report: Report, dry_run: bool, as_json: bool, verbose: bool = False) -> None:
    """The report as JSON on stdout, or for people on stderr (see :meth:`Report.lines`)."""
    if as_json:
        emit_json(report.to_json(dry_run))
        return
    for line in report.lines(dry_run, verbose):  # already in the reader's language
        sys.stderr.write(clean(line) + "\n")
