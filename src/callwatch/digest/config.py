"""The digest configuration: SMTP settings and subscribers (docs/digest.md).

The file is TOML, validated strictly (unknown keys are errors) and every
problem is reported as ``file:line: message`` with exit code 78 (EX_CONFIG):
a cron job with a bad config must fail loudly and the same way every time.

The SMTP password is never stored in this file: it comes from an environment
variable or from a file only its owner can read, and it never appears in a
message, a ``repr`` or the output of ``callwatch config show``.
"""

from __future__ import annotations

import ipaddress
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from callwatch.domain.clock import DEFAULT_WINDOW
from callwatch.domain.errors import CallwatchError, Exit, Problem
from callwatch.domain.model import DEFAULT_REMIND_DAYS
from callwatch.domain.selection import Filters
from callwatch.files.callspec import BeneficiaryCode, TerritoryCode, TimeZone
from callwatch.files.teamfile import Defaults

CONFIG_ENV = "CALLWATCH_CONFIG"
STATE_ENV = "CALLWATCH_STATE"
APP_NAME = "callwatch"
DEFAULT_HORIZON = DEFAULT_WINDOW
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
# The whole run's time with the mail server, every subscriber included: a server that
# trickles its replies cannot hold the ledger's lock for longer (docs/digest.md).
DEFAULT_RUN_TIMEOUT = 300.0

# One address: no display name, no spaces, no control characters, no header syntax.
_ADDRESS = re.compile(r"^[^\s@<>()\[\],;:\"\\\x00-\x1f\x7f]+@[A-Za-z0-9.\-\[\]:]+$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_HEADER_TEXT = re.compile(r"^[^\x00-\x1f\x7f\u2028\u2029]*$")

Address = Annotated[str, Field(pattern=_ADDRESS.pattern, max_length=254)]
HeaderText = Annotated[str, Field(pattern=_HEADER_TEXT.pattern, min_length=1, max_length=200)]


# A filter's territory is read as `list --territory` reads it: ``fr-63`` is FR-63,
# ``Ambert`` is commune:63003 (callwatch.domain.territories).
FilterTerritory = TerritoryCode


def config_path(option: Path | None = None) -> Path:
    """``--config``, else ``$CALLWATCH_CONFIG``, else ``config.toml`` in the user config dir."""
    return _chosen(option, CONFIG_ENV) or _platform("user_config_path") / "config.toml"


def state_dir(option: Path | None = None) -> Path:
    """``--state``, else ``$CALLWATCH_STATE``, else the user state dir (the ledger lives there)."""
    return _chosen(option, STATE_ENV) or _platform("user_state_path")


def _chosen(option: Path | None, env_name: str) -> Path | None:
    """The command-line option wins over the environment variable; None when neither is set."""
    if option is not None:
        return option
    env = os.environ.get(env_name, "").strip()
    return Path(env) if env else None


def _platform(kind: str) -> Path:
    import platformdirs

    path: Path = getattr(platformdirs, kind)(APP_NAME)
    return path


# -- the file format ------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, populate_by_name=True)


class SmtpSpec(_Strict):
    host: Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9.\-:\[\]]+$")]
    port: Annotated[int, Field(ge=1, le=65535)] | None = None
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: HeaderText | None = None
    password_env: Annotated[str, Field(pattern=_ENV_NAME.pattern)] | None = None
    password_file: Annotated[str, Field(min_length=1)] | None = None
    sender: Address = Field(alias="from")
    sender_name: HeaderText | None = Field(default=None, alias="from_name")
    timeout: Annotated[float, Field(gt=0, le=600)] = 30.0
    run_timeout: Annotated[float, Field(gt=0, le=3600)] = DEFAULT_RUN_TIMEOUT
    ca_file: Annotated[str, Field(min_length=1)] | None = None


class SubscriberSpec(_Strict):
    to: Address
    name: HeaderText | None = None
    lang: Literal["fr", "en"] = "fr"
    timezone: TimeZone | None = None
    horizon: Annotated[str, Field(min_length=1)] = DEFAULT_HORIZON
    remind_days: list[Annotated[int, Field(ge=0, le=366)]] = list(DEFAULT_REMIND_DAYS)
    territory: list[FilterTerritory] = []
    beneficiaries: list[BeneficiaryCode] = []
    themes: list[Annotated[str, Field(min_length=1)]] = []
    funders: list[Annotated[str, Field(min_length=1)]] = []
    projects: list[Annotated[str, Field(min_length=1)]] = []


class FetchSpec(_Strict):
    """``[fetch]``: what ``callwatch fetch`` reads from the config (docs/fetch.md)."""

    aides_territoires_key_file: Annotated[str, Field(min_length=1)] | None = None


class ConfigSpec(_Strict):
    data: list[Annotated[str, Field(min_length=1)]] = []
    smtp: SmtpSpec
    subscribers: list[SubscriberSpec] = Field(min_length=1)
    fetch: FetchSpec | None = None


# -- the validated configuration ---------------------------------------------------------


@dataclass(frozen=True)
class Subscriber:
    """One reader: where to send, what to select, how to speak."""

    to: str
    name: str | None = None
    lang: str = "fr"
    timezone: str | None = None
    horizon: str = DEFAULT_HORIZON
    remind_days: tuple[int, ...] = DEFAULT_REMIND_DAYS
    territory: tuple[str, ...] = ()
    beneficiaries: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    funders: tuple[str, ...] = ()
    # Project files checked against this reader's new calls (relative to the config
    # file); empty: the team's (callwatch.toml's ``projects``).
    projects: tuple[Path, ...] = ()

    @property
    def key(self) -> str:
        """The ledger key: the address, case-folded (addresses are case-insensitive in practice)."""
        return self.to.casefold()

    def filters(self) -> Filters:
        """What this subscriber reads, as ``list`` selects it."""
        return Filters(self.territory, self.beneficiaries, self.themes, self.funders)


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    security: str
    sender: str
    sender_name: str | None = None
    username: str | None = None
    password_env: str | None = None
    password_file: Path | None = None
    timeout: float = 30.0
    ca_file: Path | None = None
    run_timeout: float = DEFAULT_RUN_TIMEOUT

    def password(self) -> str | None:
        """Read the password now (never stored on the object, never printed)."""
        if self.password_env is not None:
            value = os.environ.get(self.password_env)
            if not value:
                raise CallwatchError(
                    f"smtp.password_env: the environment variable {self.password_env} is not "
                    "set or empty (cron does not read your shell profile: set it in the "
                    "crontab or the systemd unit)",
                    Exit.CONFIG,
                )
            return value
        if self.password_file is not None:
            return read_secret_file(self.password_file)
        return None

    def password_source(self) -> str:
        if self.password_env is not None:
            state = "set" if os.environ.get(self.password_env) else "NOT SET"
            return f"environment variable {self.password_env} ({state})"
        if self.password_file is not None:
            return f"file {self.password_file}"
        return "none"


@dataclass(frozen=True)
class Config:
    path: Path
    smtp: Smtp
    subscribers: tuple[Subscriber, ...]
    data: tuple[Path, ...] = field(default_factory=tuple)
    projects: tuple[Path, ...] = ()  # the team's project files (callwatch.toml)

    def check_team_territories(self) -> None:
        """A filter may name one of the team's own territories, defined in the calls files:
        once they are read, one that none defines is a configuration error."""
        from callwatch.domain import territories

        for i, sub in enumerate(self.subscribers):
            for j, code in enumerate(sub.territory):
                if territories.is_team_id(code) and code not in territories.teams():
                    where = f"subscribers[{i}].territory[{j}]"
                    message = f"{where}: {territories.error_text(code, [])}"
                    raise CallwatchError(message, Exit.CONFIG, file=self.path)

    def projects_of(self, sub: Subscriber) -> tuple[Path, ...]:
        """The project files a subscriber's digest speaks of: their own, else the team's."""
        return sub.projects or self.projects

    def subscriber(self, address: str) -> Subscriber | None:
        for sub in self.subscribers:
            if sub.key == address.casefold():
                return sub
        return None


def read_secret_file(path: Path, name: str = "smtp.password_file") -> str:
    """The first line of a file that only its owner may read (mode 0600 or stricter);
    *name*: the config key that names it, for messages."""
    try:
        info = path.stat()
    except OSError as exc:
        raise CallwatchError(
            f"{name}: cannot read {path}: {exc.strerror or exc}", Exit.CONFIG
        ) from None
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise CallwatchError(
            f"{name}: {path} is readable by other users (mode "
            f"{stat.S_IMODE(info.st_mode):04o}); run `chmod 600 {path}`",
            Exit.CONFIG,
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CallwatchError(
            f"{name}: cannot read {path}: {getattr(exc, 'strerror', None) or exc}",
            Exit.CONFIG,
        ) from None
    secret = text.splitlines()[0] if text.splitlines() else ""
    if not secret:
        raise CallwatchError(f"{name}: {path} is empty", Exit.CONFIG)
    return secret


def is_address(text: str) -> bool:
    """One plain e-mail address, safe to put in a header."""
    return _ADDRESS.fullmatch(text) is not None


def is_loopback(host: str) -> bool:
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# -- loading ---------------------------------------------------------------------


def read_config(
    path: Path, defaults: Defaults | None = None
) -> tuple[Config | None, list[Problem]]:
    """Read and validate the config: the config, or None and every problem with its line.

    The caller decides what is fatal: ``digest`` stops at the first problem, ``config
    show`` lists them all (both exit 78). *defaults* (the team file's) fill a
    subscriber's ``lang``, ``horizon`` and ``remind_days`` when the subscriber does not
    set them.
    """
    from callwatch.files.loading import read_toml

    try:
        text, data = read_toml(path)
    except CallwatchError as exc:
        return None, [Problem(str(path), exc.line, exc.message)]
    spec, problems = _validated(data, text, path)
    if spec is None or problems:
        return None, problems
    return _to_config(spec, path, defaults), []


def _validated(
    data: dict[str, Any], text: str, path: Path
) -> tuple[ConfigSpec | None, list[Problem]]:
    """The spec (None when the schema refuses it) and every problem, each with its line."""
    from callwatch.files.tomlpos import key_lines, line_of

    lines = key_lines(text)
    found: list[Problem] = []

    def add(loc: tuple[str | int, ...], message: str) -> None:
        found.append(Problem(str(path), line_of(lines, loc), message))

    try:
        spec = ConfigSpec.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            add(loc, explain(err, loc))
        return None, found
    for loc, message in semantic_problems(spec, path):
        add(loc, message)
    return spec, found


def explain(err: Any, loc: tuple[str | int, ...]) -> str:
    """A pydantic error in words; unknown keys get a hint from the config's own fields."""
    from callwatch.files.errtext import dotted as _dotted
    from callwatch.files.errtext import explain as _explain

    if err["type"] == "string_pattern_mismatch" and loc and loc[-1] in ("to", "from"):
        return f"{_dotted(loc)}: expected one e-mail address such as claire@example.org"
    if err["type"] == "string_pattern_mismatch" and loc and loc[-1] in ("name", "from_name"):
        return f"{_dotted(loc)}: must be one line of text without control characters"
    if err["type"] == "string_pattern_mismatch" and loc and loc[-1] == "password_env":
        return f"{_dotted(loc)}: expected the name of an environment variable, such as SMTP_PASS"
    if err["type"] == "float_type":
        return f"{_dotted(loc)}: expected a number of seconds"
    if err["type"] == "too_short" and loc == ("subscribers",):
        return "subscribers: add at least one [[subscribers]] table"
    return _explain(err, loc, _config_fields())


def _config_fields() -> list[str]:
    names: set[str] = set()
    for model in (ConfigSpec, SmtpSpec, SubscriberSpec):
        for name, info in model.model_fields.items():
            names.add(info.alias or name)
    return sorted(names)


def semantic_problems(spec: ConfigSpec, path: Path) -> list[tuple[tuple[str | int, ...], str]]:
    """What the schema cannot say: horizons, password rules, duplicates, loopback hosts."""
    from callwatch.domain.clock import make_clock, window_end

    out: list[tuple[tuple[str | int, ...], str]] = []
    smtp = spec.smtp
    if smtp.security == "none" and not is_loopback(smtp.host):
        out.append(
            (
                ("smtp", "security"),
                f'security = "none" sends in clear text: only allowed for a loopback host '
                f"(localhost, 127.0.0.1, ::1), not {smtp.host!r}",
            )
        )
    if smtp.password_env is not None and smtp.password_file is not None:
        out.append((("smtp", "password_file"), "give password_env or password_file, not both"))
    has_password = smtp.password_env is not None or smtp.password_file is not None
    if smtp.username is not None and not has_password:
        out.append(
            (("smtp", "username"), "a username needs a password: set password_env or password_file")
        )
    if smtp.username is None and has_password:
        out.append((("smtp",), "a password is set but no username: add `username`"))
    if smtp.ca_file is not None:
        why = ca_file_problem(_resolve(smtp.ca_file, path))
        if why is not None:
            out.append((("smtp", "ca_file"), why))
    for i, name in enumerate(spec.data):
        where = _resolve(name, path)
        if not where.exists():
            out.append((("data", i), f"no such file or directory: {where}"))
    probe = make_clock("2000-01-01")
    seen: dict[str, int] = {}
    for i, sub in enumerate(spec.subscribers):
        base: tuple[str | int, ...] = ("subscribers", i)
        key = sub.to.casefold()
        if key in seen:
            out.append(
                ((*base, "to"), f"{sub.to} is already subscribed (subscribers[{seen[key]}])")
            )
        seen.setdefault(key, i)
        try:
            window_end(sub.horizon, probe)
        except ValueError as exc:
            out.append(((*base, "horizon"), str(exc)))
    return out


def ca_file_problem(path: Path) -> str | None:
    """Why *path* cannot serve as ``ca_file`` (None: it loads as PEM certificates).

    Checked with the configuration, so a bad file is a config error (78) found by
    ``config show``, not a connection failure reported as temporary on every run."""
    import ssl

    from callwatch.store.atomic import kind_of

    kind = kind_of(path)
    if kind is not None:
        return f"{path} is {kind}, not a certificate file"
    if not path.is_file():
        return f"no such file: {path}"
    try:
        ssl.create_default_context().load_verify_locations(cafile=str(path))
    except (ssl.SSLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or exc
        return f"{path}: not a PEM certificate file ({reason})"
    return None


def _resolve(name: str, config_file: Path) -> Path:
    """Relative paths in the config are relative to the config file, not to cron's cwd."""
    path = Path(name).expanduser()
    return path if path.is_absolute() else config_file.parent / path


def _team_default(sub: SubscriberSpec, key: str, defaults: Defaults | None) -> Any:
    """The subscriber's own setting, else the team's default, else the built-in one."""
    team = None if defaults is None else getattr(defaults, key)
    if key in sub.model_fields_set or team is None:
        return getattr(sub, key)
    return team


def _to_config(spec: ConfigSpec, path: Path, defaults: Defaults | None = None) -> Config:
    s = spec.smtp
    smtp = Smtp(
        host=s.host,
        port=s.port or DEFAULT_PORTS[s.security],
        security=s.security,
        sender=s.sender,
        sender_name=s.sender_name,
        username=s.username,
        password_env=s.password_env,
        password_file=None if s.password_file is None else _resolve(s.password_file, path),
        timeout=s.timeout,
        ca_file=None if s.ca_file is None else _resolve(s.ca_file, path),
        run_timeout=s.run_timeout,
    )
    subscribers = tuple(
        Subscriber(
            to=sub.to,
            name=sub.name,
            lang=_team_default(sub, "lang", defaults),
            timezone=sub.timezone,
            horizon=_team_default(sub, "horizon", defaults),
            remind_days=tuple(
                sorted(set(_team_default(sub, "remind_days", defaults)), reverse=True)
            ),
            territory=tuple(sub.territory),
            beneficiaries=tuple(sub.beneficiaries),
            themes=tuple(sub.themes),
            funders=tuple(sub.funders),
            projects=tuple(_resolve(f, path) for f in sub.projects),
        )
        for sub in spec.subscribers
    )
    data = tuple(_resolve(p, path) for p in spec.data)
    return Config(path=path, smtp=smtp, subscribers=subscribers, data=data)


# -- writing the template --------------------------------------------------------------

TEMPLATE = """\
# callwatch digest configuration (docs/digest.md).
# This file holds no password: the password comes from an environment variable
# (password_env) or from a file only you can read (password_file, mode 0600).

# Calls files or directories to watch (relative to this file). Default: $CALLWATCH_DATA,
# else the calls shipped with callwatch. `--data` on the command line wins.
# data = ["calls/"]

[smtp]
host = "smtp.example.org"
# port = 587                      # default: 587 for starttls, 465 for ssl, 25 for none
security = "starttls"             # "starttls" (default), "ssl" (implicit TLS, port 465),
                                  # or "none" (only for localhost)
username = "callwatch@example.org"
password_env = "CALLWATCH_SMTP_PASSWORD"     # or: password_file = "smtp-password" (chmod 600)
from = "callwatch@example.org"
# from_name = "Veille appels à projets"
# timeout = 30                    # seconds, for connecting and for each SMTP command
# run_timeout = 300               # seconds with the server for the whole run, all subscribers
# ca_file = "/etc/ssl/private-ca.pem"   # only for a server signed by a private CA

[[subscribers]]
to = "claire@example.org"
name = "Claire"
lang = "fr"                       # "fr" or "en": the language of the e-mail
horizon = "30d"                   # deadlines listed: 30d, 2w, 3m, 1y or a date
remind_days = [30, 7, 1]          # reminders J-30, J-7, J-1 before each deadline
# timezone = "Europe/Paris"       # the reader's time zone (default: $CALLWATCH_TZ or Paris)
# Filters, as for `callwatch list` (repeat a value to widen, combine keys to narrow):
# territory = ["FR-63"]           # or 63, Ambert, commune:63003; FR-63 also matches FR-ARA, FR
# beneficiaries = ["association", "commune"]
# themes = ["circuits courts"]
# funders = ["FEADER"]
# projects = ["projets/legumerie.toml"]   # default: the projects of the team's callwatch.toml

# [[subscribers]]
# to = "team@example.org"
# lang = "en"
"""


def write_template(path: Path, *, force: bool = False) -> None:
    """Write the commented template with mode 0600, atomically; never clobber without *force*."""
    if path.exists() and not force:
        raise CallwatchError(
            f"{path} already exists: edit it, or pass --force to replace it", Exit.USAGE
        )
    from callwatch.store.atomic import PRIVATE_MODE, atomic_write, refuse_target

    refuse_target(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write(path, TEMPLATE.encode("utf-8"), mode=PRIVATE_MODE)
    except OSError as exc:
        raise CallwatchError(
            f"cannot write: {exc.strerror or exc}", Exit.CANTCREAT, file=path
        ) from None


__all__ = [
    "Config",
    "Smtp",
    "Subscriber",
    "config_path",
    "read_config",
    "state_dir",
    "write_template",
]
