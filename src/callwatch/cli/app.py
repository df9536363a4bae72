"""The Typer application object and the options every command shares.

Each command lives in its own module (``callwatch.cli.commands.*``), imported only
when that command runs (:class:`CallwatchGroup`). Nothing heavy is imported
here: ``--help`` must stay fast.
"""

from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from callwatch.cli import completion
from callwatch.domain.errors import CallwatchError, DataError, Exit

if TYPE_CHECKING:
    from callwatch.domain.clock import Clock
    from callwatch.files.loading import Catalog
    from callwatch.files.teamfile import Defaults, Found, TeamFile

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
Every command: callwatch COMMAND --help. Manual, exit codes, formats: callwatch docs.
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
        "Write, locate and check the digest configuration; `where`: the team file.",
    ),
    "export": ("callwatch.cli.commands.export", "Export deadlines: iCalendar, JSON or CSV."),
    "import": ("callwatch.cli.commands.importing", "Import calls from public portals."),
    "fetch": (
        "callwatch.cli.commands.fetch",
        "Fetch current calls from the portals' live APIs.",
    ),
    "add": ("callwatch.cli.commands.add", "Append a validated call to a calls file."),
    "schema": ("callwatch.cli.commands.schema", "Print the JSON Schema of calls or project files."),
    "cache": ("callwatch.cli.commands.cachecmd", "Locate or clear the cache of validated calls."),
    "new": ("callwatch.cli.commands.new", "Create a team repository (callwatch.toml, data, CI)."),
    "docs": (
        "callwatch.cli.commands.docs",
        "Print the manual: formats, rules, digest; or a man page.",
    ),
    "territory": (
        "callwatch.cli.commands.territory",
        "Resolve territories: codes, names, postal codes, and what each lies within.",
    ),
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
        "Default: $CALLWATCH_DATA, else the team file's data, else the shipped data.",
    ),
]
LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="fr|en",
        help="Language of labels. Default: $CALLWATCH_LANG, the team file, or the locale.",
        autocompletion=completion.languages,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (see `callwatch docs json`).")]


@dataclass
class Settings:
    """The options every command shares, and where each setting comes from.

    Order (docs/team.md): an option, else the environment, else the team file
    (``callwatch.toml`` found from the current directory), else the shipped data
    and built-in defaults. The team file is looked for only when a setting needs it.
    """

    today: str | None = None
    data: list[Path] | None = None
    lang: str | None = None
    _team: tuple[Found, TeamFile | None] | None = field(default=None, repr=False, compare=False)

    def merged(self, today: str | None, data: list[Path] | None, lang: str | None) -> Settings:
        """Options given after the command win over those given before it."""
        return Settings(
            today=today if today is not None else self.today,
            data=data or self.data,
            lang=lang or self.lang,
        )

    def data_given(self) -> bool:
        """Did the user name their own calls (``--data`` or ``$CALLWATCH_DATA``)?

        Otherwise the team file's data (or, without one, the shipped calls) is read:
        a digest config's ``data`` may replace it, and the shipped ids are free to reuse.
        """
        from callwatch.files.loading import DATA_ENV

        return bool(self.data) or bool(os.environ.get(DATA_ENV, "").strip())

    def team(self) -> TeamFile | None:
        """The team file in use (:class:`callwatch.files.teamfile.TeamFile`), or None."""
        if self._team is None:
            from callwatch.files import teamfile

            found = teamfile.find()
            # A territory code's shape is checked here, its existence where it is used
            # (list, export) and by `validate`: looking it up costs every command 40 ms.
            team = None if found.path is None else teamfile.load(found.path, full=False)
            self._team = (found, team)
        return self._team[1]

    def team_found(self) -> Found:
        """Where the team file is and why (:class:`callwatch.files.teamfile.Found`)."""
        self.team()
        found = self._team
        if found is None:  # team() always sets it
            raise RuntimeError("team file not looked up")
        return found[0]

    def data_sources(self) -> tuple[list[Path] | None, str]:
        """The data paths to read (None: the environment's or the shipped data) and why."""
        from callwatch.files.loading import DATA_ENV

        if self.data:
            return list(self.data), "--data"
        if os.environ.get(DATA_ENV, "").strip():
            return None, f"${DATA_ENV}"
        team = self.team()
        if team is not None and team.data:
            return team.data_paths(), f"data in {team.path}"
        return None, "the calls shipped with callwatch"

    def data_paths(self) -> list[str | Path] | None:
        """The user's own data paths (empty: from the environment); None when not given."""
        if self.data_given():
            return list(self.data or ())
        paths, _ = self.data_sources()
        return None if paths is None else list(paths)

    def defaults(self) -> Defaults:
        """The team's defaults (:class:`callwatch.files.teamfile.Defaults`; empty without one)."""
        from callwatch.files import teamfile

        team = self.team()
        return teamfile.Defaults() if team is None else team.defaults

    def with_data(self, data: list[Path]) -> Settings:
        """The same options reading *data* (a digest config's ``data``)."""
        return replace(self, data=data)

    def clock(self) -> Clock:
        from callwatch.domain.clock import make_clock

        try:
            return make_clock(self.today)
        except ValueError as exc:
            raise CallwatchError(f"--today: {exc}", Exit.USAGE) from None

    def language(self) -> str:
        from callwatch.i18n import LANG_ENV, resolve_lang

        lang = self.lang
        if not lang and not os.environ.get(LANG_ENV):
            lang = self.defaults().lang
        try:
            return resolve_lang(lang)
        except ValueError as exc:
            raise CallwatchError(f"--lang: {exc}", Exit.USAGE) from None

    def catalog(self, *, strict: bool = False) -> Catalog:
        """Load the calls. Problems go to stderr; *strict* makes them fatal at once.

        Otherwise the command carries on with the calls that loaded and
        the service returns :data:`Exit.DATA` at the end (:func:`callwatch.services.env.loaded`).
        """
        from callwatch.files.loading import load_catalog
        from callwatch.output.render import warn

        catalog = load_catalog(self.data_sources()[0])
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


def exit_with(code: int) -> None:
    """End the command with a service's exit code (nothing to do for 0)."""
    if code:
        raise typer.Exit(int(code))
