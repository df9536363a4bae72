"""``callwatch config``: write, locate and check the digest configuration."""

from __future__ import annotations

from pathlib import Path

import typer

from callwatch.digest.config import (
    config_path,
    config_problems,
    load_config,
    state_dir,
    write_template,
)
from callwatch.digest.ledger import LEDGER_NAME
from callwatch.domain.errors import Exit
from callwatch.i18n import _
from callwatch.output.render import fields, warn


def init(config: Path | None, *, force: bool) -> None:
    """Write the commented template (mode 0600), refusing to replace a file unless *force*."""
    path = config_path(config)
    write_template(path, force=force)
    typer.echo(
        _("wrote {path} (mode 0600); edit it, then run `callwatch digest --test`").format(path=path)
    )


def paths(config: Path | None, state: Path | None) -> None:
    """Print where the config file and the ledger are (whether or not they exist)."""
    typer.echo(f"config: {config_path(config)}")
    typer.echo(f"ledger: {state_dir(state) / LEDGER_NAME}")


def show(config: Path | None) -> Exit:
    """Check the config and show it: :data:`Exit.CONFIG` and each problem when it is invalid."""
    file = config_path(config)
    if file.is_file():
        problems = config_problems(file)
        if problems:
            for problem in problems:
                warn(str(problem))
            return Exit.CONFIG
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
                ("projects", ", ".join(map(str, sub.projects)) or "(the team file's)"),
            ],
            title=sub.to,
        )
    return Exit.OK
