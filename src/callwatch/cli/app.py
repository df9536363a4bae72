"""The Typer application object and the options every command shares.

Each command lives in its own module (``callwatch.cli.commands.*``), imported only
when that command runs (:class:`CallwatchGroup`). Nothing heavy is imported
here: ``--help`` must stay fast.
"""

from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from callwatch.domain.errors import CallwatchError, DataError, Exit

EXAMPLES = """\b
Examples:
  callwatch list --due                 what closes in the next 30 days
  callwatch list --due 2w --territory FR-63 --beneficiary association
  callwatch --today 2019-03-01 show feader-aura-2019-16-4
  callwatch validate data/             check calls files before merging
  callwatch check projet.toml          is the project eligible, call by call?
  callwatch export -o deadlines.ics    the deadlines in your calendar
  callwatch list --json | jq '.calls[].id'
\b
Every command: callwatch COMMAND --help. Exit codes and more: docs/cli.md.
"""


# Every command: the module that defines it (on its own ``cli`` Typer, see
# :func:`command_app`) and the line ``callwatch --help`` shows for it. A module is
# imported only when its command runs, so no command pays for the others.
COMMANDS: dict[str, tuple[str, str]] = {
    "list": (
        "callwatch.cli.commands.listing",
        "List open and upcoming calls, soonest deadline first.",
    ),
    "show": (
        "callwatch.cli.commands.show",
        "Show every field of one call, its rounds and sources.",
    ),
    "validate": ("callwatch.cli.commands.validate", "Check calls files (and project files)."),
    "check": ("callwatch.cli.commands.check", "Check a project's eligibility, call by call."),
    "init": ("callwatch.cli.commands.init", "Write a commented example project file to edit."),
    "digest": ("callwatch.cli.commands.digest", "Send the e-mail digest (for cron)."),
    "config": (
        "callwatch.cli.commands.config",
        "Write, locate and check the digest configuration.",
    ),
    "export": ("callwatch.cli.commands.export", "Export deadlines: iCalendar, JSON or CSV."),
    "import": ("callwatch.cli.commands.importing", "Import calls from public portals."),
    "add": ("callwatch.cli.commands.add", "Append a validated call to a calls file."),
    "schema": ("callwatch.cli.commands.schema", "Print the JSON Schema of calls or project files."),
    "cache": ("callwatch.cli.commands.cachecmd", "Locate or clear the cache of validated calls."),
}


def command_app(**settings: Any) -> typer.Typer:
    """The Typer a command module registers its command (or its sub-commands) on."""
    return typer.Typer(
        rich_markup_mode=None, pretty_exceptions_enable=False, add_completion=False, **settings
    )


class CallwatchGroup(TyperGroup):
    """Loads each command when it is used, and turns expected failures into one
    line on stderr and a documented exit code."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = self.commands.get(cmd_name)
        if command is None and cmd_name in COMMANDS:
            module = importlib.import_module(COMMANDS[cmd_name][0])
            command = typer.main.get_command(module.cli)
            command.name = cmd_name
            self.commands[cmd_name] = command
        return command

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list from :data:`COMMANDS`: no command module is imported."""
        with formatter.section("Commands"):
            formatter.write_dl([(name, short) for name, (_, short) in COMMANDS.items()])

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CallwatchError as exc:
            fail(exc)
        except KeyboardInterrupt:
            sys.stderr.write("interrupted\n")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            # `callwatch list | head`: the reader left; not an error worth a traceback.
            sys.stderr.close()
            raise typer.Exit(0) from None


def fail(exc: CallwatchError) -> NoReturn:
    from callwatch.output.render import warn

    if isinstance(exc, DataError):
        for problem in exc.problems:
            warn(str(problem))
    else:
        warn(f"callwatch: {exc}")
    raise typer.Exit(int(exc.code))


app = typer.Typer(
    name="callwatch",
    cls=CallwatchGroup,
    help="Watch funding calls: deadlines, eligibility, digests, calendars.",
    epilog=EXAMPLES,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


TodayOpt = Annotated[
    str | None,
    typer.Option(
        "--today",
        metavar="DATE",
        help="Pretend the current date (YYYY-MM-DD) or date-time is this. "
        "Default: $CALLWATCH_TODAY, else now.",
    ),
]
DataOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--data",
        "-d",
        metavar="PATH",
        help="A calls file or a directory of *.toml (repeatable). "
        "Default: $CALLWATCH_DATA, else the shipped data.",
    ),
]
LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="fr|en",
        help="Language of labels. Default: $CALLWATCH_LANG or the locale.",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (see docs/json.md).")]


@dataclass
class Settings:
    today: str | None = None
    data: list[Path] | None = None
    lang: str | None = None

    def merged(self, today: str | None, data: list[Path] | None, lang: str | None) -> Settings:
        """Options given after the command win over those given before it."""
        return Settings(
            today=today if today is not None else self.today,
            data=data or self.data,
            lang=lang or self.lang,
        )

    def data_given(self) -> bool:
        """Did the user name their own calls (``--data`` or ``$CALLWATCH_DATA``)?

        Otherwise the shipped calls are read, and they are not the user's data:
        a digest config's ``data`` may replace them, and their ids are free to reuse.
        """
        from callwatch.files.loading import DATA_ENV

        return bool(self.data) or bool(os.environ.get(DATA_ENV, "").strip())

    def data_paths(self) -> list[str | Path] | None:
        """The user's own data paths (empty: from the environment); None when not given."""
        return list(self.data or ()) if self.data_given() else None

    def clock(self) -> Any:
        from callwatch.domain.clock import make_clock

        try:
            return make_clock(self.today)
        except ValueError as exc:
            raise CallwatchError(f"--today: {exc}", Exit.USAGE) from None

    def language(self) -> str:
        from callwatch.i18n import resolve_lang, use

        try:
            lang = resolve_lang(self.lang)
        except ValueError as exc:
            raise CallwatchError(f"--lang: {exc}", Exit.USAGE) from None
        use(lang)
        return lang

    def catalog(self, *, strict: bool = False) -> Any:
        """Load the calls. Problems go to stderr; *strict* makes them fatal at once.

        Otherwise the command carries on with the calls that loaded and
        :func:`finish` exits with :data:`Exit.DATA` at the end.
        """
        from callwatch.files.loading import load_catalog
        from callwatch.output.render import warn

        catalog = load_catalog(self.data)
        if catalog.problems:
            if strict:
                raise DataError(catalog.problems)
            for problem in catalog.problems:
                warn(str(problem))
        return catalog


def settings(
    ctx: typer.Context, today: str | None, data: list[Path] | None, lang: str | None
) -> Settings:
    base = ctx.obj if isinstance(ctx.obj, Settings) else Settings()
    return base.merged(today, data, lang)


def finish(catalog: Any) -> None:
    """Exit non-zero when some calls could not be loaded, after showing the rest."""
    if catalog.problems:
        raise typer.Exit(int(Exit.DATA))
