"""``callwatch config``: write, locate and check the digest configuration."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from callwatch.cli.app import command_app
from callwatch.i18n import _

ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        metavar="FILE",
        help=_(
            "The digest config. Default: $CALLWATCH_CONFIG, else config.toml in the "
            "user config dir (see `callwatch config path`)."
        ),
    ),
]
StateOpt = Annotated[
    Path | None,
    typer.Option(
        "--state",
        metavar="DIR",
        help=_("Where the ledger lives. Default: $CALLWATCH_STATE, else the user state dir."),
    ),
]

cli = command_app(
    name="config",
    help=_("Write, locate and check the digest configuration (docs/digest.md)."),
    epilog=_("""\b
Examples:
  callwatch config init                  write a commented config.toml (mode 0600)
  callwatch config show                  check it and show what it says
  callwatch config path                  where the config and the ledger are
"""),
    no_args_is_help=True,
)


@cli.command(
    "init",
    epilog=_("""\b
Examples:
  callwatch config init                  write a commented config.toml (mode 0600)
  callwatch config init --config ./digest.toml
  callwatch config init --force          replace an existing file
"""),
    help=_("Write a commented config file to edit (mode 0600; it never holds the password)."),
)
def init(
    config: ConfigOpt = None,
    force: Annotated[bool, typer.Option("--force", help=_("Replace an existing file."))] = False,
) -> None:
    """Write a commented config file to edit (mode 0600; it never holds the password)."""
    from callwatch.digest.config import config_path, write_template

    path = config_path(config)
    write_template(path, force=force)
    typer.echo(f"wrote {path} (mode 0600); edit it, then run `callwatch digest --test`")


@cli.command(
    "path",
    epilog=_("""\b
Examples:
  callwatch config path                  where the config and the ledger are
  callwatch config path --state /var/lib/callwatch
"""),
    help=_("Print where the config file and the ledger are (whether or not they exist)."),
)
def path(config: ConfigOpt = None, state: StateOpt = None) -> None:
    """Print where the config file and the ledger are (whether or not they exist)."""
    from callwatch.digest.config import config_path, state_dir
    from callwatch.digest.ledger import LEDGER_NAME

    typer.echo(f"config: {config_path(config)}")
    typer.echo(f"ledger: {state_dir(state) / LEDGER_NAME}")


@cli.command(
    "show",
    epilog=_("""\b
Examples:
  callwatch config show                  check the config and show what it says
  callwatch config show --config ./digest.toml
\b
Exit status: 0 valid, 78 the config has problems (each printed as file:line: message).
"""),
    help=_("Check the config and show it; the password is never shown, only where it comes from."),
)
def show(config: ConfigOpt = None) -> None:
    """Check the config and show it; the password is never shown, only where it comes from."""
    from callwatch.digest.config import config_path, config_problems, load_config
    from callwatch.domain.errors import Exit
    from callwatch.output.render import fields

    file = config_path(config)
    if file.is_file():
        problems = config_problems(file)
        if problems:
            from callwatch.output.render import warn

            for problem in problems:
                warn(str(problem))
            raise typer.Exit(int(Exit.CONFIG))
    cfg = load_config(file)
    s = cfg.smtp
    fields(
        [
            ("file", str(cfg.path)),
            ("server", f"{s.host}:{s.port} ({s.security})"),
            ("from", s.sender if not s.sender_name else f"{s.sender_name} <{s.sender}>"),
            ("username", s.username or "(none)"),
            ("password", s.password_source()),
            ("ca_file", str(s.ca_file) if s.ca_file else "(system trust store)"),
            ("timeout", f"{s.timeout:g} s"),
            ("data", ", ".join(str(p) for p in cfg.data) or "(default)"),
        ],
        title="smtp",
    )
    for sub in cfg.subscribers:
        filters = [
            f"{key}={','.join(values)}"
            for key, values in (
                ("territory", sub.territory),
                ("beneficiaries", sub.beneficiaries),
                ("themes", sub.themes),
                ("funders", sub.funders),
            )
            if values
        ]
        fields(
            [
                ("name", sub.name or ""),
                ("lang", sub.lang),
                ("horizon", sub.horizon),
                ("remind_days", ", ".join(str(d) for d in sub.remind_days) or "(none)"),
                ("timezone", sub.timezone or "(default)"),
                ("filters", "; ".join(filters) or "(none: every call)"),
            ],
            title=sub.to,
        )
