"""The digest config: `config init/show/path`, strict validation with file:line, passwords."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import trustme
from typer.testing import CliRunner

import callwatch.cli  # noqa: F401 - registers the commands on the app
from callwatch.cli.app import app
from callwatch.digest.config import read_config, write_template
from callwatch.domain.errors import CallwatchError
from callwatch.services.config import load_config

from .conftest import Env, Server
from .smtpd import PASSWORD

VALID = """\
[smtp]
host = "smtp.example.org"
username = "cw"
password_env = "CW_TEST_SMTP_PASSWORD"
from = "callwatch@example.org"

[[subscribers]]
to = "claire@example.org"
"""


def invoke(*args: str) -> object:
    return CliRunner().invoke(app, list(args))


def config_error(tmp_path: Path, text: str) -> CallwatchError:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CallwatchError) as caught:
        load_config(path)
    assert int(caught.value.code) == 78
    return caught.value


def test_init_writes_a_private_commented_template(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "config.toml"
    result = CliRunner().invoke(app, ["config", "init", "--config", str(path)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    assert text.count("#") > 20  # commented
    assert "password =" not in text.replace("password_env", "").replace("password_file", "")
    refused = CliRunner().invoke(app, ["config", "init", "--config", str(path)])
    assert refused.exit_code == 2 and "--force" in refused.stderr
    path.write_text("changed", encoding="utf-8")
    forced = CliRunner().invoke(app, ["config", "init", "--config", str(path), "--force"])
    assert forced.exit_code == 0
    assert path.read_text(encoding="utf-8") == text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_init_where_nothing_can_be_written_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = CliRunner().invoke(app, ["config", "init", "--config", str(blocker / "config.toml")])
    assert result.exit_code == 73  # EX_CANTCREAT
    assert result.stderr.startswith(f"callwatch: {blocker / 'config.toml'}: cannot write: ")
    assert "Traceback" not in result.output


def test_the_template_is_a_valid_config(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    write_template(path)
    cfg = load_config(path)
    assert cfg.smtp.host == "smtp.example.org" and cfg.smtp.port == 587
    assert cfg.subscribers[0].remind_days == (30, 7, 1)
    assert cfg.subscribers[0].horizon == "30d"


def test_show_never_prints_the_password(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    env.write_config(2525)
    result = CliRunner().invoke(app, ["config", "show", "--config", str(env.config)])
    assert result.exit_code == 0, result.output
    assert "environment variable CW_TEST_SMTP_PASSWORD (set)" in result.stdout
    assert PASSWORD not in result.output
    monkeypatch.delenv("CW_TEST_SMTP_PASSWORD")
    unset = CliRunner().invoke(app, ["config", "show", "--config", str(env.config)])
    assert "CW_TEST_SMTP_PASSWORD (NOT SET)" in unset.stdout


def test_show_lists_every_problem_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        VALID.replace('host = "smtp.example.org"', 'host = "smtp.example.org"\nsecurty = "ssl"')
        + 'horizon = "soon"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["config", "show", "--config", str(path)])
    assert result.exit_code == 78
    assert result.stderr.splitlines() == [
        f"{path}:3: unknown field 'smtp.securty' (did you mean 'security'?)",
    ]


def test_path_names_config_and_ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLWATCH_CONFIG", str(tmp_path / "c.toml"))
    monkeypatch.setenv("CALLWATCH_STATE", str(tmp_path / "state"))
    result = CliRunner().invoke(app, ["config", "path"])
    assert (
        result.stdout
        == f"config: {tmp_path / 'c.toml'}\nledger: {tmp_path / 'state' / 'ledger.json'}\n"
    )


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (('security = "none"\n', ""), 2, 'security = "none" sends in clear text'),
        (("", 'horizon = "soon"\n'), 9, "invalid window 'soon'"),
        (("", 'territory = ["FR-XX"]\n'), 9, "unknown territory code 'FR-XX'"),
        (("", 'beneficiaries = ["martians"]\n'), 9, "unknown beneficiary code 'martians'"),
        (("", 'lang = "de"\n'), 9, "subscribers[0].lang: expected 'fr' or 'en'"),
        (("", "remind_days = [7, -1]\n"), 9, "subscribers[0].remind_days[1]"),
        (("", 'timezone = "Mars/Olympus"\n'), 9, "unknown time zone 'Mars/Olympus'"),
        (
            ("", 'to2 = "x@example.org"\n'),
            9,
            "unknown field 'subscribers[0].to2' (did you mean 'to'?)",
        ),
        (('port = "25"\n', ""), 2, "smtp.port: expected a whole number"),
        (('password_file = "pw"\n', ""), 2, "give password_env or password_file, not both"),
        (('ca_file = "nope.pem"\n', ""), 2, "no such file"),
    ],
)
def test_config_problems_name_the_line(
    tmp_path: Path, change: tuple[str, str], line: int, message: str
) -> None:
    smtp_extra, sub_extra = change
    text = VALID.replace("[smtp]\n", "[smtp]\n" + smtp_extra) + sub_extra
    error = config_error(tmp_path, text)
    assert error.file == str(tmp_path / "config.toml")
    assert message in error.message
    assert error.line == line


def test_filter_codes_are_read_as_list_reads_them(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(VALID + 'territory = [" fr-63 ", "FR"]\nbeneficiaries = ["farmer"]\n')
    sub = load_config(path).subscribers[0]
    assert (sub.territory, sub.beneficiaries) == (("FR-63", "FR"), ("farmer",))
    error = config_error(tmp_path, VALID + 'territory = ["FR", "fr-xx"]\n')
    assert error.message.startswith("subscribers[0].territory[1]: unknown territory code 'fr-xx'")


def test_bad_address_and_header_injection_in_a_name(tmp_path: Path) -> None:
    error = config_error(tmp_path, VALID.replace("claire@example.org", "claire example"))
    assert "expected one e-mail address" in error.message and error.line == 8
    error = config_error(tmp_path, VALID + 'name = "Claire\\r\\nBcc: x@evil.example"\n')
    assert "one line of text" in error.message


def test_duplicate_subscriber_and_no_subscriber(tmp_path: Path) -> None:
    error = config_error(tmp_path, VALID + '[[subscribers]]\nto = "Claire@example.org"\n')
    assert "already subscribed" in error.message and error.line == 10
    error = config_error(tmp_path, VALID.split("[[subscribers]]")[0])
    assert "missing required field 'subscribers'" in error.message


def test_username_needs_a_password(tmp_path: Path) -> None:
    error = config_error(tmp_path, VALID.replace('password_env = "CW_TEST_SMTP_PASSWORD"\n', ""))
    assert "a username needs a password" in error.message and error.line == 3


def test_invalid_toml_and_missing_file(tmp_path: Path) -> None:
    error = config_error(tmp_path, VALID + "oops = \n")
    assert error.message.startswith("invalid TOML") and error.line == 9
    with pytest.raises(CallwatchError) as caught:
        load_config(tmp_path / "absent.toml")
    assert "callwatch config init" in caught.value.message and int(caught.value.code) == 78


def test_relative_paths_are_relative_to_the_config_file(tmp_path: Path, ca: trustme.CA) -> None:
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    (tmp_path / "calls").mkdir()
    path = tmp_path / "config.toml"
    path.write_text(
        'data = ["calls"]\n' + VALID.replace("[smtp]\n", '[smtp]\nca_file = "ca.pem"\n'),
        encoding="utf-8",
    )
    cfg = load_config(path)
    assert cfg.smtp.ca_file == tmp_path / "ca.pem"
    assert cfg.data == (tmp_path / "calls",)


def test_password_file_must_be_private(env: Env, smtp: Server) -> None:
    secret = env.root / "smtp-password"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    secret.chmod(0o644)
    env.write_config(
        smtp.port, auth=False, extra_smtp=f'username = "cw"\npassword_file = "{secret}"\n'
    )
    result = env.digest("2019-03-04")
    assert result.exit_code == 78
    assert "readable by other users (mode 0644)" in result.stderr and "chmod 600" in result.stderr
    assert PASSWORD not in result.output
    assert smtp.handler.received == []
    secret.chmod(0o600)
    assert env.digest("2019-03-04").exit_code == 0  # the file's first line is the password
    assert len(smtp.handler.received) == 1


def test_missing_password_variable_is_a_config_error(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    env.write_config(2525)
    monkeypatch.delenv("CW_TEST_SMTP_PASSWORD")
    result = env.digest("2019-03-04")
    assert result.exit_code == 78
    assert "CW_TEST_SMTP_PASSWORD is not set" in result.stderr and "crontab" in result.stderr


def test_bad_config_exits_78_with_file_and_line(env: Env) -> None:
    env.config.write_text(VALID.replace("[smtp]\n", '[smtp]\nsecurity = "tls"\n'), encoding="utf-8")
    result = env.digest("2019-03-04")
    assert result.exit_code == 78
    assert result.stderr.startswith(f"callwatch: {env.config}:2: smtp.security: expected")


def test_every_problem_is_a_located_value(tmp_path: Path) -> None:
    """The loader returns every problem; the commands decide how fatal they are."""
    path = tmp_path / "config.toml"
    text = VALID.replace("[smtp]\n", '[smtp]\npassword_file = "pw"\nca_file = "no.pem"\n')
    path.write_text(text, encoding="utf-8")
    cfg, problems = read_config(path)
    assert cfg is None
    assert [(p.file, p.line) for p in problems] == [(str(path), 2), (str(path), 3)]
    runner = CliRunner()
    digest = runner.invoke(app, ["digest", "--dry-run", "--config", str(path)])
    assert digest.exit_code == 78
    assert digest.stderr == f"callwatch: {problems[0]} (and 1 more problem(s))\n"
    show = runner.invoke(app, ["config", "show", "--config", str(path)])
    assert show.exit_code == 78
    assert show.stderr.splitlines() == [str(p) for p in problems]
    path.write_text(VALID, encoding="utf-8")
    assert read_config(path)[1] == []
