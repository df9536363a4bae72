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
import ssl
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Annotated, Any, Literal, TypeVar

import platformdirs
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetPydanticSchema,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError, core_schema

from callwatch.domain import territories
from callwatch.domain.clock import DEFAULT_WINDOW, make_clock, window_end
from callwatch.domain.errors import CallwatchError, Exit, Problem
from callwatch.domain.model import DEFAULT_REMIND_DAYS
from callwatch.domain.selection import Filters
from callwatch.files.callspec import BeneficiaryCode, TerritoryCode, TimeZone
from callwatch.files.errtext import dotted as _dotted
from callwatch.files.errtext import explain as _explain
from callwatch.files.loading import read_toml
from callwatch.files.teamfile import Defaults
from callwatch.files.tomlpos import key_lines, line_of
from callwatch.i18n import N_, _
from callwatch.store.atomic import PRIVATE_MODE, atomic_write, kind_of, refuse_target

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
    path: Path = getattr(platformdirs, kind)(APP_NAME)
    return path


# -- the configuration -------------------------------------------------------------------
#
# The validated models *are* the configuration: what the file cannot say by itself is
# derived while it is validated, from the validation context (:class:`Reading`): paths
# relative to the config file's folder, the port by security, the team file's defaults
# where a subscriber does not set them, reminder days sorted. Arrays become tuples, so
# a configuration is immutable through and through (``frozen``; edit a copy with
# ``model_copy(update=...)``, which does not validate again).


@dataclass(frozen=True)
class Reading:
    """The validation context of a config file: where it is (relative paths in it are
    relative to its folder, not to cron's cwd) and the team file's defaults.

    A typed object rather than pydantic's usual dict, so that validators read it
    checked by mypy; a model validated without it (built in code) keeps its values
    as given."""

    file: Path
    defaults: Defaults | None = None


def _reading(info: ValidationInfo) -> Reading | None:
    return info.context if isinstance(info.context, Reading) else None


def _placed(value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> Path:
    """A non-empty string (a Path when built in code), relative to the config file's folder."""
    path = Path(value if isinstance(value, PurePath) else handler(value)).expanduser()
    reading = _reading(info)
    return path if reading is None or path.is_absolute() else reading.file.parent / path


# A path written in the config: the file holds a non-empty string (same errors as any
# string), the configuration a Path resolved against the config file's folder.
ConfigPath = Annotated[
    Path,
    GetPydanticSchema(
        lambda _type, _handler: core_schema.with_info_wrap_validator_function(
            _placed,
            core_schema.str_schema(min_length=1),
            serialization=core_schema.to_string_ser_schema(),
        )
    ),
]

_T = TypeVar("_T")
# A TOML array kept as a tuple: the items stay strict, the array may be a list (an
# array of the wrong type is a ``tuple_type`` error, worded as ``list_type``: explain).
Items = Annotated[tuple[_T, ...], Field(strict=False)]
NonEmpty = Annotated[str, Field(min_length=1)]
Day = Annotated[int, Field(ge=0, le=366)]
# What a subscriber takes from the team file's [defaults] when their table does not say.
_TEAM_KEYS = ("lang", "horizon", "remind_days")


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, populate_by_name=True)


class Subscriber(_Strict):
    """One reader: where to send, what to select, how to speak."""

    to: Address
    name: HeaderText | None = None
    lang: Literal["fr", "en"] = "fr"
    timezone: TimeZone | None = None
    horizon: NonEmpty = DEFAULT_HORIZON
    remind_days: Items[Day] = DEFAULT_REMIND_DAYS  # latest first, each day once
    territory: Items[FilterTerritory] = ()
    beneficiaries: Items[BeneficiaryCode] = ()
    themes: Items[NonEmpty] = ()
    funders: Items[NonEmpty] = ()
    # Project files checked against this reader's new calls (relative to the config
    # file); empty: the team's (callwatch.toml's ``projects``).
    projects: Items[ConfigPath] = ()

    @model_validator(mode="before")
    @classmethod
    def _team_defaults(cls, data: Any, info: ValidationInfo) -> Any:
        """The team file's ``lang``, ``horizon`` and ``remind_days`` where this table
        does not set them (an option or the subscriber's own setting still wins)."""
        reading = _reading(info)
        if reading is None or reading.defaults is None or not isinstance(data, dict):
            return data
        team = {key: getattr(reading.defaults, key) for key in _TEAM_KEYS}
        return {**{k: v for k, v in team.items() if v is not None}, **data}  # data wins

    @field_validator("remind_days")
    @classmethod
    def _latest_first(cls, days: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(sorted(set(days), reverse=True))

    @property
    def key(self) -> str:
        """The ledger key: the address, case-folded (addresses are case-insensitive in practice)."""
        return self.to.casefold()

    def filters(self) -> Filters:
        """What this subscriber reads, as ``list`` selects it."""
        return Filters(self.territory, self.beneficiaries, self.themes, self.funders)


class Smtp(_Strict):
    host: Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9.\-:\[\]]+$")]
    port: Annotated[int, Field(ge=1, le=65535)] = DEFAULT_PORTS["starttls"]
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: HeaderText | None = None
    password_env: Annotated[str, Field(pattern=_ENV_NAME.pattern)] | None = None
    password_file: ConfigPath | None = None
    sender: Address = Field(validation_alias="from")
    sender_name: HeaderText | None = Field(default=None, validation_alias="from_name")
    timeout: Annotated[float, Field(gt=0, le=600)] = 30.0
    run_timeout: Annotated[float, Field(gt=0, le=3600)] = DEFAULT_RUN_TIMEOUT
    ca_file: ConfigPath | None = None

    @model_validator(mode="before")
    @classmethod
    def _port_by_security(cls, data: Any) -> Any:
        """No port: the usual one for the security (587, 465 or 25)."""
        if isinstance(data, dict) and "port" not in data:
            security = data.get("security", "starttls")
            if isinstance(security, str) and security in DEFAULT_PORTS:
                return {**data, "port": DEFAULT_PORTS[security]}
        return data

    def password(self) -> str | None:
        """Read the password now (never stored on the object, never printed)."""
        if self.password_env is not None:
            value = os.environ.get(self.password_env)
            if not value:
                raise CallwatchError(
                    N_(
                        "smtp.password_env: the environment variable {name} is not set or "
                        "empty (cron does not read your shell profile: set it in the "
                        "crontab or the systemd unit)"
                    ).format(name=self.password_env),
                    Exit.CONFIG,
                )
            return value
        if self.password_file is not None:
            return read_secret_file(self.password_file)
        return None

    def password_source(self) -> str:
        """Where the password comes from, for ``config show`` (never the password)."""
        if self.password_env is not None:
            if os.environ.get(self.password_env):
                return _("environment variable {name} (set)").format(name=self.password_env)
            return _("environment variable {name} (NOT SET)").format(name=self.password_env)
        if self.password_file is not None:
            return _("file {path}").format(path=self.password_file)
        return _("none")


class Fetch(_Strict):
    """``[fetch]``: what ``callwatch fetch`` reads from the config (docs/fetch.md)."""

    aides_territoires_key_file: ConfigPath | None = None


FetchSpec = Fetch  # the name `callwatch fetch` knows it by


class Config(_Strict):
    """The digest's configuration, read from :attr:`path`.

    ``path`` and the team's ``projects`` are not keys of the file (writing them there
    is an unknown field): they are private attributes, set when the file is read
    (:class:`Reading`) and by :meth:`with_projects`, which returns a copy."""

    data: Items[ConfigPath] = ()
    smtp: Smtp
    subscribers: Items[Subscriber]
    fetch: Fetch | None = None
    _path: Path = PrivateAttr(default=Path())
    _projects: tuple[Path, ...] = PrivateAttr(default=())

    @field_validator("subscribers")
    @classmethod
    def _someone(cls, subscribers: tuple[Subscriber, ...]) -> tuple[Subscriber, ...]:
        # Not ``min_length``: a tuple counts its *valid* items, so one bad subscriber
        # would also be reported as none at all.
        if not subscribers:
            raise PydanticCustomError("too_short", "no subscriber")
        return subscribers

    def model_post_init(self, context: Any, /) -> None:
        if isinstance(context, Reading):
            self._path = context.file

    @property
    def path(self) -> Path:
        """The config file (``Path()`` for a configuration built in code)."""
        return self._path

    @property
    def projects(self) -> tuple[Path, ...]:
        """The team's project files (callwatch.toml's ``projects``), once known."""
        return self._projects

    def with_projects(self, projects: Iterable[Path]) -> Config:
        """A copy that knows the team's project files (this one is left as it is)."""
        copy = self.model_copy()
        copy._projects = tuple(projects)
        return copy

    def check_team_territories(self) -> None:
        """A filter may name one of the team's own territories, defined in the calls files:
        once they are read, one that none defines is a configuration error."""
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


_CANNOT_READ = N_("{name}: cannot read {path}: {reason}")


def read_secret_file(path: Path, name: str = "smtp.password_file") -> str:
    """The first line of a file that only its owner may read (mode 0600 or stricter);
    *name*: the config key that names it, for messages."""
    try:
        info = path.stat()
    except OSError as exc:
        raise CallwatchError(
            _CANNOT_READ.format(name=name, path=path, reason=exc.strerror or exc), Exit.CONFIG
        ) from None
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise CallwatchError(
            # {file}: the same path, named twice so that `localize` can find it (i18n)
            N_(
                "{name}: {path} is readable by other users (mode {mode}); run `chmod 600 {file}`"
            ).format(name=name, path=path, mode=f"{stat.S_IMODE(info.st_mode):04o}", file=path),
            Exit.CONFIG,
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise CallwatchError(
            _CANNOT_READ.format(name=name, path=path, reason=reason), Exit.CONFIG
        ) from None
    secret = text.splitlines()[0] if text.splitlines() else ""
    if not secret:
        raise CallwatchError(
            N_("{name}: {path} is empty").format(name=name, path=path), Exit.CONFIG
        )
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
    try:
        text, data = read_toml(path)
    except CallwatchError as exc:
        return None, [Problem(str(path), exc.line, exc.message)]
    config, problems = _validated(data, text, Reading(path, defaults))
    if config is None or problems:
        return None, problems
    return config, []


def _validated(
    data: dict[str, Any], text: str, reading: Reading
) -> tuple[Config | None, list[Problem]]:
    """The config (None when the schema refuses it) and every problem, each with its line."""
    lines = key_lines(text)
    found: list[Problem] = []

    def add(loc: tuple[str | int, ...], message: str) -> None:
        found.append(Problem(str(reading.file), line_of(lines, loc), message))

    try:
        config = Config.model_validate(data, context=reading)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            add(loc, explain(err, loc))
        return None, found
    for loc, message in semantic_problems(config):
        add(loc, message)
    return config, found


def explain(err: Any, loc: tuple[str | int, ...]) -> str:
    """A pydantic error in words; unknown keys get a hint from the config's own fields."""
    if err["type"] == "tuple_type":  # arrays are kept as tuples (Items)
        err = {**err, "type": "list_type"}
    where = _dotted(loc)
    if err["type"] == "string_pattern_mismatch" and loc and loc[-1] in ("to", "from"):
        return N_("{where}: expected one e-mail address such as claire@example.org").format(
            where=where
        )
    if err["type"] == "string_pattern_mismatch" and loc and loc[-1] in ("name", "from_name"):
        return N_("{where}: must be one line of text without control characters").format(
            where=where
        )
    if err["type"] == "string_pattern_mismatch" and loc and loc[-1] == "password_env":
        return N_(
            "{where}: expected the name of an environment variable, such as SMTP_PASS"
        ).format(where=where)
    if err["type"] == "float_type":
        return N_("{where}: expected a number of seconds").format(where=where)
    if err["type"] == "too_short" and loc == ("subscribers",):
        return N_("subscribers: add at least one [[subscribers]] table")
    return _explain(err, loc, _config_fields())


def _config_fields() -> list[str]:
    names: set[str] = set()
    for model in (Config, Smtp, Subscriber):
        for name, info in model.model_fields.items():
            alias = info.validation_alias
            names.add(alias if isinstance(alias, str) else name)
    return sorted(names)


def semantic_problems(config: Config) -> list[tuple[tuple[str | int, ...], str]]:
    """What the schema cannot say: horizons, password rules, duplicates, loopback hosts."""
    out: list[tuple[tuple[str | int, ...], str]] = []
    smtp = config.smtp
    if smtp.security == "none" and not is_loopback(smtp.host):
        out.append(
            (
                ("smtp", "security"),
                N_(
                    'security = "none" sends in clear text: only allowed for a loopback host '
                    "(localhost, 127.0.0.1, ::1), not {host!r}"
                ).format(host=smtp.host),
            )
        )
    if smtp.password_env is not None and smtp.password_file is not None:
        out.append((("smtp", "password_file"), N_("give password_env or password_file, not both")))
    has_password = smtp.password_env is not None or smtp.password_file is not None
    if smtp.username is not None and not has_password:
        out.append(
            (
                ("smtp", "username"),
                N_("a username needs a password: set password_env or password_file"),
            )
        )
    if smtp.username is None and has_password:
        out.append((("smtp",), N_("a password is set but no username: add `username`")))
    if smtp.ca_file is not None:
        why = ca_file_problem(smtp.ca_file)
        if why is not None:
            out.append((("smtp", "ca_file"), why))
    for i, where in enumerate(config.data):
        if not where.exists():
            out.append((("data", i), N_("no such file or directory: {path}").format(path=where)))
    probe = make_clock("2000-01-01")
    seen: dict[str, int] = {}
    for i, sub in enumerate(config.subscribers):
        base: tuple[str | int, ...] = ("subscribers", i)
        key = sub.to.casefold()
        if key in seen:
            out.append(
                (
                    (*base, "to"),
                    N_("{address} is already subscribed (subscribers[{index}])").format(
                        address=sub.to, index=seen[key]
                    ),
                )
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
    kind = kind_of(path)
    if kind is not None:
        return N_("{path} is {kind}, not a certificate file").format(path=path, kind=kind)
    if not path.is_file():
        return N_("no such file: {path}").format(path=path)
    try:
        ssl.create_default_context().load_verify_locations(cafile=str(path))
    except (ssl.SSLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or exc
        return N_("{path}: not a PEM certificate file ({reason})").format(path=path, reason=reason)
    return None


# -- writing the template --------------------------------------------------------------

# French with --lang fr (the keys and values stay as the file format wants them).
TEMPLATE = N_("""\
# callwatch digest configuration (callwatch docs digest).
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
""")


def write_template(path: Path, *, force: bool = False) -> None:
    """Write the commented template, in the current language, with mode 0600, atomically;
    never clobber without *force*."""
    if path.exists() and not force:
        raise CallwatchError(
            N_("{path} already exists: edit it, or pass --force to replace it").format(path=path),
            Exit.USAGE,
        )

    refuse_target(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write(path, _(TEMPLATE).encode("utf-8"), mode=PRIVATE_MODE)
    except OSError as exc:
        raise CallwatchError(
            N_("cannot write: {reason}").format(reason=exc.strerror or exc),
            Exit.CANTCREAT,
            file=path,
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
