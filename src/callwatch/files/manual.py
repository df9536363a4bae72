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

# Topic -> (file, what it covers). The order is the reading order of docs/README.md.
TOPICS: dict[str, tuple[str, str]] = {
    "cli": ("cli.md", "every command, its options and exit codes; environment variables"),
    "team": ("team.md", "callwatch.toml, `callwatch new`, pre-commit, CI, shell completion"),
    "calls": ("calls-format.md", "the calls file: fields, rounds, time zones, codes"),
    "add": ("add.md", "`callwatch add`: append a call from the command line"),
    "import": ("import.md", "`callwatch import`: calls from public portals"),
    "fetch": ("fetch.md", "`callwatch fetch`: current calls from the portals' live APIs"),
    "editor": ("editor.md", "validation as you type, with the JSON Schema"),
    "project": ("project-format.md", "the project file that `callwatch check` reads"),
    "rules": ("rules.md", "eligibility criteria, verdicts, `check`'s output"),
    "digest": ("digest.md", "the e-mail digest: config, reminders, ledger, cron"),
    "export": ("export.md", "calendars (.ics) and tables (JSON, CSV)"),
    "json": ("json.md", "every --json shape"),
}


def docs_dir() -> Path:
    """The shipped docs folder: inside the installed package, else the checkout's."""
    packaged = Path(str(resources.files("callwatch").joinpath("docs")))
    if (packaged / "cli.md").is_file():
        return packaged
    checkout = Path(__file__).resolve().parents[3] / "docs"
    if (checkout / "cli.md").is_file():
        return checkout
    raise CallwatchError("the documentation is missing: reinstall callwatch", Exit.DATA)


def page(topic: str) -> str:
    """The markdown text of *topic*; a usage error (with a suggestion) for an unknown one."""
    if topic not in TOPICS:
        raise CallwatchError(
            f"no documentation topic {topic!r}{suggest(topic, TOPICS)}: "
            f"expected one of {', '.join(TOPICS)} (or man)",
            Exit.USAGE,
        )
    return (docs_dir() / TOPICS[topic][0]).read_text(encoding="utf-8")
