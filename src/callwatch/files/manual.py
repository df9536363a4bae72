"""The documentation shipped with callwatch, for ``callwatch docs`` (docs/team.md).

A wheel carries ``docs/*.md`` as ``callwatch/docs`` (pyproject's hatch
force-include); a source checkout reads its ``docs/`` folder. Either way a user
reads the documentation of the version they run, where they run it.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from callwatch.domain.errors import CallwatchError, Exit
from callwatch.domain.text import suggest
from callwatch.i18n import N_

# Topic -> (file, what it covers). The order is the reading order of docs/README.md.
TOPICS: dict[str, tuple[str, str]] = {
    "cli": ("cli.md", N_("every command, its options and exit codes; environment variables")),
    "team": ("team.md", N_("callwatch.toml, `callwatch new`, pre-commit, CI, shell completion")),
    "calls": ("calls-format.md", N_("the calls file: fields, rounds, time zones, codes")),
    "add": ("add.md", N_("`callwatch add`: append a call from the command line")),
    "import": ("import.md", N_("`callwatch import`: calls from public portals")),
    "fetch": ("fetch.md", N_("`callwatch fetch`: current calls from the portals' live APIs")),
    "editor": ("editor.md", N_("validation as you type, with the JSON Schema")),
    "project": ("project-format.md", N_("the project file that `callwatch check` reads")),
    "rules": ("rules.md", N_("eligibility criteria, verdicts, `check`'s output")),
    "digest": ("digest.md", N_("the e-mail digest: config, reminders, ledger, cron")),
    "export": ("export.md", N_("calendars (.ics) and tables (JSON, CSV)")),
    "json": ("json.md", N_("every --json shape")),
}


def docs_dir() -> Path:
    """The shipped docs folder: inside the installed package, else the checkout's."""
    packaged = Path(str(resources.files("callwatch").joinpath("docs")))
    if (packaged / "cli.md").is_file():
        return packaged
    checkout = Path(__file__).resolve().parents[3] / "docs"
    if (checkout / "cli.md").is_file():
        return checkout
    raise CallwatchError(N_("the documentation is missing: reinstall callwatch"), Exit.DATA)


def page(topic: str) -> str:
    """The markdown text of *topic*; a usage error (with a suggestion) for an unknown one."""
    if topic not in TOPICS:
        raise CallwatchError(
            N_("no documentation topic {topic!r}{hint}: expected one of {names} (or man)").format(
                topic=topic, hint=suggest(topic, TOPICS), names=", ".join(TOPICS)
            ),
            Exit.USAGE,
        )
    return (docs_dir() / TOPICS[topic][0]).read_text(encoding="utf-8")
