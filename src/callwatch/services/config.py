"""``callwatch config``: write, locate and check the digest configuration."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import typer

from callwatch.digest.config import (
    Config,
    config_path,
    read_config,
    state_dir,
    write_template,
)
from callwatch.digest.ledger import LEDGER_NAME
from callwatch.domain.errors import CallwatchError, Exit
from callwatch.files.loading import data_sources
from callwatch.files.teamfile import Defaults
from callwatch.i18n import N_, _, localize, number_text
from callwatch.output.render import fields, warn
from callwatch.services.env import Env
from callwatch.store.atomic import kind_of


def load_config(path: Path, defaults: Defaults | None = None) -> Config:
    """The config, or the fatal error of a command that needs it: exit 78, the first
    problem located, and how many more (``config show`` lists them all)."""
    _require_file(path)
    cfg, problems = read_config(path, defaults)
    if cfg is None:
        first = problems[0]
        more = ""
        if len(problems) > 1:
            count = len(problems) - 1  # worded now, translated where shown: one or many
            more = N_(" (and 1 more problem)") if count == 1 else N_(" (and {count} more problems)")
            more = more.format(count=count)
        raise CallwatchError(first.message + more, Exit.CONFIG, file=first.file, line=first.line)
    return cfg


def _require_file(path: Path) -> None:
    """A FIFO, a device or a directory is no config file (reading one could hang)."""
    kind = kind_of(path)
    if kind is not None:
        raise CallwatchError(
            N_("{kind}, not a config file").format(kind=kind), Exit.CONFIG, file=path
        )
    if not path.is_file():
        raise CallwatchError(
            N_(
                "no config file at {path}: create one with `callwatch config init` "
                "(or pass --config FILE)"
            ).format(path=path),
            Exit.CONFIG,
        )


def init(config: Path | None, *, force: bool) -> None:
    """Write the commented template (mode 0600), refusing to replace a file unless *force*."""
    path = config_path(config)
    write_template(path, force=force)
    typer.echo(
        _("wrote {path} (mode 0600); edit it, then run `callwatch digest --test`").format(path=path)
    )


def paths(config: Path | None, state: Path | None) -> None:
    """Print where the config file and the ledger are (whether or not they exist)."""
    typer.echo(_("config: {path}").format(path=config_path(config)))
    typer.echo(_("ledger: {path}").format(path=state_dir(state) / LEDGER_NAME))


def show(config: Path | None, env: Env | None = None) -> Exit:
    """Check the config and show it: :data:`Exit.CONFIG` and each problem when it is invalid.
    With *env*, ``data`` is what the digest reads, and why (the config's, else the team's...)."""
    file = config_path(config)
    _require_file(file)
    cfg, problems = read_config(file)
    if cfg is None:
        for problem in problems:
            warn(str(problem))
        return Exit.CONFIG
    s = cfg.smtp
    none = _("(none)")
    # The labels are the file's own keys (what the user writes), but for the two lines
    # that gather several keys; values are worded in the user's language.
    fields(
        [
            (_("file"), str(cfg.path)),
            (_("server"), f"{s.host}:{s.port} ({s.security})"),
            ("from", s.sender if not s.sender_name else f"{s.sender_name} <{s.sender}>"),
            ("username", s.username or none),
            ("password", s.password_source()),
            ("ca_file", str(s.ca_file) if s.ca_file else _("(system trust store)")),
            (
                "timeout",
                _("{reply} s per reply, {run} s per run").format(
                    reply=number_text(Decimal(str(s.timeout))),
                    run=number_text(Decimal(str(s.run_timeout))),
                ),
            ),
            ("data", _data_used(cfg.data, env)),
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
                ("remind_days", ", ".join(str(d) for d in sub.remind_days) or none),
                ("timezone", sub.timezone or _("(default)")),
                (_("filters"), "; ".join(filters) or _("(none: every call)")),
                ("projects", ", ".join(map(str, sub.projects)) or _("(the team file's)")),
            ],
            title=sub.to,
        )
    return Exit.OK


def _data_used(data: tuple[Path, ...] | list[Path], env: Env | None) -> str:
    """The calls the digest reads, as it chooses them: --data / $CALLWATCH_DATA, else the
    config's ``data``, else the team file's, else the shipped calls; and which rule chose."""
    if env is None or (data and not env.data_given()):
        return ", ".join(str(p) for p in data) or _("(default)")
    chosen, why = env.data_sources()
    paths = ", ".join(str(p) for p in data_sources(chosen))
    return _("{paths} (from {why})").format(paths=paths, why=localize(why))
