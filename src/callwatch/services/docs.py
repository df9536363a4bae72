"""``callwatch docs [TOPIC]``: the shipped documentation, or a man page of the CLI.

The man page is built from the same click objects that answer ``--help`` (the
command passes its root command in), so it cannot drift from the commands: every
command and sub-command, its usage, help text, options and examples.
"""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

import typer

from callwatch import __version__
from callwatch.domain.errors import Exit
from callwatch.files.manual import TOPICS, page
from callwatch.i18n import N_, _
from callwatch.services.env import Env

MAN = ("man", N_("a man page generated from the command line"))


def docs(env: Env, topic: str | None, root: Any) -> Exit:
    """Print the topics, one topic's page (markdown), or the man page of *root*."""
    if topic is None:
        for name, about in [*((n, a) for n, (_, a) in TOPICS.items()), MAN]:
            sys.stdout.write(f"{name:9} {_(about)}\n")
    elif topic == MAN[0]:
        sys.stdout.write(man_page(root, __version__, env.clock().today))
    else:
        sys.stdout.write(page(topic))
    return Exit.OK


def topics(incomplete: str) -> list[tuple[str, str]]:
    """The topics for shell completion, with what each covers."""
    choices = [*((n, a) for n, (_, a) in TOPICS.items()), MAN]
    return [(name, _(about)) for name, about in choices if name.startswith(incomplete)]


def _roff(text: str) -> str:
    """Text safe in roff: backslashes and leading dots or quotes escaped."""
    out = []
    for line in text.replace("\\", "\\e").splitlines():
        out.append("\\&" + line if line.startswith((".", "'")) else line)
    return "\n".join(out)


def _commands(command: Any, ctx: Any, path: tuple[str, ...] = ()) -> list[tuple[str, Any, Any]]:
    found = []
    if hasattr(command, "list_commands"):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            sub_ctx = typer.Context(sub, info_name=name, parent=ctx)
            found.append((" ".join((*path, name)), sub, sub_ctx))
            found += _commands(sub, sub_ctx, (*path, name))
    return found


def man_page(root: Any, version: str, today: date) -> str:
    """The whole CLI (*root*: its click group) as a section-1 man page (roff)."""
    ctx = typer.Context(root, info_name="callwatch")
    lines = [
        f'.TH CALLWATCH 1 "{today.isoformat()}" "callwatch {version}" "User Commands"',
        ".SH NAME",
        "callwatch \\- " + _roff(root.help.splitlines()[0] if root.help else ""),
        ".SH SYNOPSIS",
        ".B callwatch",
        "[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]...",
        ".SH OPTIONS",
    ]
    lines += _options(root, ctx)
    lines.append(".SH COMMANDS")
    for name, command, sub_ctx in _commands(root, ctx):
        lines += [".SS " + _roff(f"callwatch {name}"), ".nf"]
        usage = " ".join(command.collect_usage_pieces(sub_ctx))
        lines += [_roff(f"callwatch {name} {usage}"), ".fi"]
        if command.help:
            lines.append(_roff(command.help.replace("\b\n", "")))
        lines += _options(command, sub_ctx)
        if command.epilog:  # the examples and exit statuses of --help, as written
            lines += [".PP", ".nf", _roff(command.epilog.replace("\b\n", "").strip()), ".fi"]
    lines += [
        ".SH SEE ALSO",
        "callwatch docs TOPIC: the manual's pages (callwatch docs lists them).",
    ]
    return "\n".join(lines) + "\n"


def _options(command: Any, ctx: Any) -> list[str]:
    out = []
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None:
            continue
        names, text = record
        out += [".TP", "\\fB" + _roff(names) + "\\fR", _roff(text)]
    return out
