"""The Typer application object and the options every command shares.

Each command lives in its own module (``callwatch.cli.commands.*``), imported only
when that command runs (:class:`CallwatchGroup`). Nothing heavy is imported
here: ``--help`` must stay fast.
"""

from __future__ import annotations

import importlib
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer._click.core import Context
from typer._click.exceptions import UsageError
from typer._click.formatting import HelpFormatter
from typer.core import TyperGroup, TyperOption

from callwatch import i18n
from callwatch.cli import completion
from callwatch.cli.settings import Settings
from callwatch.domain.errors import CallwatchError, DataError
from callwatch.files import teamfind
from callwatch.i18n import N_, _, ngettext

# Help texts are evaluated as the commands register, so the language is read from
# the command line and the environment now, before anything below is built.
i18n.use(i18n.pick(sys.argv[1:], teamfind.default_lang))


# Every command: the module that defines it (on its own ``cli`` Typer, see
# :func:`command_app`) and the line ``callwatch --help`` shows for it. A module is
# imported only when its command runs, so no command pays for the others.
COMMANDS: dict[str, tuple[str, str]] = {
    "list": (
        "callwatch.cli.commands.listing",
        N_("List open and upcoming calls, soonest deadline first."),
    ),
    "show": (
        "callwatch.cli.commands.show",
        N_("Show every field of one call, its rounds and sources."),
    ),
    "validate": ("callwatch.cli.commands.validate", N_("Check calls files (and project files).")),
    "check": ("callwatch.cli.commands.check", N_("Check a project's eligibility, call by call.")),
    "init": ("callwatch.cli.commands.init", N_("Write a commented example project file to edit.")),
    "digest": ("callwatch.cli.commands.digest", N_("Send the e-mail digest (for cron).")),
    "config": (
        "callwatch.cli.commands.config",
        N_("Write, locate and check the digest configuration; `where`: the team file."),
    ),
    "export": ("callwatch.cli.commands.export", N_("Export deadlines: iCalendar, JSON or CSV.")),
    "import": ("callwatch.cli.commands.importing", N_("Import calls from public portals.")),
    "add": ("callwatch.cli.commands.add", N_("Append a validated call to a calls file.")),
    "schema": (
        "callwatch.cli.commands.schema",
        N_("Print the JSON Schema of calls or project files."),
    ),
    "cache": (
        "callwatch.cli.commands.cachecmd",
        N_("Locate or clear the cache of validated calls."),
    ),
    "new": (
        "callwatch.cli.commands.new",
        N_("Create a team repository (callwatch.toml, data, CI)."),
    ),
    "fetch": (
        "callwatch.cli.commands.fetch",
        N_("Fetch current calls from the portals' live APIs."),
    ),
    "docs": (
        "callwatch.cli.commands.docs",
        N_("Print the manual: formats, rules, digest; or a man page."),
    ),
    "territory": (
        "callwatch.cli.commands.territory",
        N_("Resolve territories: codes, names, postal codes, and what each lies within."),
    ),
}


def command_app(**settings: Any) -> typer.Typer:
    """The Typer a command module registers its command (or its sub-commands) on."""
    return typer.Typer(
        rich_markup_mode=None, pretty_exceptions_enable=False, add_completion=False, **settings
    )


class TranslatedFormatter(HelpFormatter):
    """Click's help layout with its few words ("Usage:", section titles) translated."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix if prefix is not None else _("Usage: "))

    def write_heading(self, heading: str) -> None:
        super().write_heading(_(heading))

    def write_dl(self, rows: Any, *args: Any, **kwargs: Any) -> None:
        """Typer's own ``[required]`` and ``[default: …]`` after a help text, translated."""
        super().write_dl([(term, _typer_extra(text)) for term, text in rows], *args, **kwargs)


def _typer_extra(text: str) -> str:
    head, sep, extra = text.rpartition("  [")
    if not sep or not extra.endswith("]"):
        return text
    parts = []
    for part in extra[:-1].split("; "):
        if part == "required":
            part = _("required")
        elif part.startswith("default: "):
            part = _("default: {value}").format(value=part.removeprefix("default: "))
        parts.append(part)
    return f"{head}  [{'; '.join(parts)}]"


class TranslatedContext(Context):
    formatter_class = TranslatedFormatter

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        option = self.command.get_help_option(self)
        if option is not None:
            option.help = _("Show this message and exit.")
        for param in self.command.params:  # Typer's own options (completion) too
            text = getattr(param, "help", None)
            if text:
                setattr(param, "help", _(text))  # noqa: B010 (not every Parameter has help)


def _translated(command: Any) -> None:
    """Give *command* (and its sub-commands) the translated help layout, and ``--lang``
    to those that do not declare it: every command accepts it after its name."""
    command.context_class = TranslatedContext
    subs = getattr(command, "commands", None)
    if subs is None and not any("--lang" in getattr(p, "opts", ()) for p in command.params):
        command.params.append(
            TyperOption(
                param_decls=["--lang"],
                metavar="fr|en",
                expose_value=False,
                callback=_lang_given,
                help=LANG_HELP,
            )
        )
    for sub in (subs or {}).values():
        _translated(sub)


def _lang_given(ctx: Any, _param: Any, value: str | None) -> None:
    """``--lang`` on a command that does not read it itself: the commands' settings do."""
    if value:
        try:
            i18n.resolve_lang(value)
        except ValueError as exc:
            raise UsageError(f"--lang: {exc}", ctx) from None
        base = ctx.obj if isinstance(ctx.obj, Settings) else Settings()
        ctx.obj = replace(base, lang=value)


class CallwatchGroup(TyperGroup):
    """Loads each command when it is used, and turns expected failures into one
    line on stderr and a documented exit code."""

    context_class = TranslatedContext

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        if len(args) > 1 and kwargs.get("parent") is None:
            # the language of this command line, for messages worded before a command
            # asks for it (done at import for `callwatch …`; here for in-process runs too)
            i18n.use(i18n.pick(list(args[1]), teamfind.default_lang))
        try:
            return super().make_context(*args, **kwargs)
        except UsageError as exc:
            usage_error(exc)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = self.commands.get(cmd_name)
        if command is None and cmd_name in COMMANDS:
            module = importlib.import_module(COMMANDS[cmd_name][0])
            command = typer.main.get_command(module.cli)
            command.name = cmd_name
            _translated(command)
            self.commands[cmd_name] = command
        return command

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """An unknown command gets a "did you mean" in the user's language."""
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            # lazy: --help loads no domain module; only a mistyped command needs the hint
            from callwatch.domain.text import suggest

            hint = suggest(name, COMMANDS)
            raise UsageError(_("No such command {name!r}.").format(name=name) + _hint(hint), ctx)
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list from :data:`COMMANDS`: no command module is imported."""
        with formatter.section(_("Commands")):
            formatter.write_dl([(name, _(short)) for name, (_m, short) in COMMANDS.items()])

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            usage_error(exc)
        except CallwatchError as exc:
            fail(exc)
        except KeyboardInterrupt:
            sys.stderr.write(_("interrupted") + "\n")
            raise typer.Exit(130) from None
        except typer.Abort:
            # a prompt met the end of its input (Click would say "Aborted!" in English);
            # the prompt's line is left open, so the message starts a line of its own
            sys.stderr.write("\n" + _("aborted: no answer to the question") + "\n")
            raise typer.Exit(1) from None
        except BrokenPipeError:
            # `callwatch list | head`: the reader left; not an error worth a traceback.
            sys.stderr.close()
            raise typer.Exit(0) from None


# Click's section titles, translated by TranslatedFormatter.write_heading.
_HEADINGS = (N_("Options"), N_("Arguments"), N_("Commands"))
# Typer's completion options, translated by TranslatedContext.
_TYPER = (
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)

# Click's and Typer's own usage errors, worded in the user's language: each English
# message as a pattern, and our template for it; a blank named ``detail`` is itself
# one of these messages (what is wrong with the value of an option).
_USAGE = tuple(
    (re.compile(pattern, re.DOTALL), template)
    for pattern, template in (
        (
            r"No such option: (?P<rest>.+) \(Possible options: (?P<names>.+)\)",
            N_("No such option: {rest} (possible options: {names})"),
        ),
        (r"No such option: (?P<rest>.+)", N_("No such option: {rest}")),
        (r"Missing argument (?P<rest>.+)", N_("Missing argument {rest}")),
        (r"Missing option (?P<rest>.+)", N_("Missing option {rest}")),
        (r"No such command (?P<rest>.+)", N_("No such command {rest}")),
        (
            r"Option (?P<name>'.+') requires an argument\.",
            N_("Option {name} requires an argument."),
        ),
        (
            r"Option (?P<name>'.+') requires (?P<n>\d+) arguments\.",
            N_("Option {name} requires {n} arguments."),
        ),
        (
            r"Option (?P<name>'.+') does not take a value\.",
            N_("Option {name} does not take a value."),
        ),
        (
            r"Invalid value for (?P<name>.+?): (?P<detail>.+)",
            N_("Invalid value for {name}: {detail}"),
        ),
        (r"(?P<value>.+) is not a valid float(?: range)?\.", N_("{value} is not a number.")),
        (
            r"(?P<value>.+) is not a valid integer(?: range)?\.",
            N_("{value} is not a whole number."),
        ),
        (
            r"(?P<value>.+) is not a valid boolean\..*",
            N_("{value} is not a yes or no (true, false, yes, no, 1, 0)."),
        ),
        (
            r"(?P<value>.+) is not in the range (?P<range>.+)\.",
            N_("{value} is not in the range {range}."),
        ),
        (r"(?P<value>.+) is not one of (?P<choices>.+)\.", N_("{value} is not one of {choices}.")),
    )
)
# Click says "argument (b)" or "arguments (b c)"; Typer's own parser "argument(s) (b)".
_EXTRA = re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)", re.DOTALL)
# Typer's sub-groups add their own suggestion to an unknown command.
_MEAN = re.compile(r"(?P<head>.*) Did you mean (?P<names>'.*')\?", re.DOTALL)


def _usage_text(message: str) -> str:
    """One of Click's messages in the user's language (as it is when none matches)."""
    extra = _EXTRA.fullmatch(message)
    if extra:  # the one with a plural
        words = extra["args"]
        return ngettext(
            "Unexpected extra argument: {args}",
            "Unexpected extra arguments: {args}",
            len(words.split()),
        ).format(args=words)
    for pattern, template in _USAGE:
        found = pattern.fullmatch(message)
        if found:
            values = found.groupdict()
            if "detail" in values:
                values["detail"] = _usage_text(values["detail"])
            return _(template).format(**values)
    return message


def _hint(hint: str) -> str:
    """`` (did you mean 'list'?)``, translated (:func:`callwatch.domain.text.suggest`)."""
    if not hint:
        return ""
    name = hint.removeprefix(" (did you mean ").removesuffix("?)")
    return _(" (did you mean {name}?)").format(name=name)


def usage_error(exc: UsageError) -> NoReturn:
    """``Error: …`` and where to get help, on stderr in the user's language; exit 2."""
    message, hint = exc.format_message(), ""
    mean = _MEAN.fullmatch(message)
    if mean:
        message, hint = mean["head"], _hint(f" (did you mean {mean['names']}?)")
    message = _usage_text(message) + hint
    out = []
    if exc.ctx is not None:
        out.append(exc.ctx.get_usage())
        names = exc.ctx.command.get_help_option_names(exc.ctx)
        if names:
            out.append(
                _("Try '{command} {option}' for help.").format(
                    command=exc.ctx.command_path, option=max(names, key=len)
                )
            )
        out.append("")
    out.append(_("Error: {message}").format(message=message))
    sys.stderr.write("\n".join(out) + "\n")
    raise typer.Exit(2)


def fail(exc: CallwatchError) -> NoReturn:
    # lazy: --help loads no output module (Rich stays off too)
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
    help=_("Watch funding calls: deadlines, eligibility, digests, calendars."),
    epilog=_("""\b
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
"""),
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
        help=_(
            "Pretend the current date (YYYY-MM-DD) or date-time is this. "
            "Default: $CALLWATCH_TODAY, else now."
        ),
    ),
]
DataOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--data",
        "-d",
        metavar="PATH",
        help=_(
            "A calls file or a directory of *.toml (repeatable). "
            "Default: $CALLWATCH_DATA, else the team file's data, else the shipped data."
        ),
    ),
]
LANG_HELP = _("Language of labels. Default: $CALLWATCH_LANG, the team file, or the locale.")
LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="fr|en",
        help=LANG_HELP,
        autocompletion=completion.languages,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help=_("Print JSON (see `callwatch docs json`)."))]


def settings(
    ctx: typer.Context, today: str | None, data: list[Path] | None, lang: str | None
) -> Settings:
    base = ctx.obj if isinstance(ctx.obj, Settings) else Settings()
    return base.merged(today, data, lang)


def exit_with(code: int) -> None:
    """End the command with a service's exit code (nothing to do for 0)."""
    if code:
        raise typer.Exit(int(code))
