"""A man page generated from the command line itself (``callwatch docs man``).

Built from the same click objects that answer ``--help``, so it cannot drift from
the commands: every command and sub-command, its usage, help text and options.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import typer


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


def man_page(app: typer.Typer, version: str, today: date) -> str:
    """The whole CLI as a section-1 man page (roff)."""
    root = typer.main.get_command(app)
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
