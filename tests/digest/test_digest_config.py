"""The digest config: `config init/show/path`, strict validation with file:line, passwords."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest
import trustme
from pydantic import ValidationError
from typer.testing import CliRunner

import callwatch.cli  # noqa: F401 - registers the commands on the app
from callwatch.cli.app import app
from callwatch.digest.config import Smtp, read_config, write_template
from callwatch.domain.errors import CallwatchError
from callwatch.files.teamfile import Defaults
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
        (("", 'lang = "de"\n'), 9, "subscribers[0].lang: expected one of 'fr', 'en'"),
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
    assert digest.stderr == f"callwatch: {problems[0]} (and 1 more problem)\n"
    show = runner.invoke(app, ["config", "show", "--config", str(path)])
    assert show.exit_code == 78
    assert show.stderr.splitlines() == [str(p) for p in problems]
    path.write_text(VALID, encoding="utf-8")
    assert read_config(path)[1] == []


def test_relative_paths_resolve_against_the_config_folder_from_any_cwd(
    tmp_path: Path, ca: trustme.CA, monkeypatch: pytest.MonkeyPatch
) -> None:
    """cron runs from / or $HOME: every relative path means the config file's folder."""
    folder = tmp_path / "conf"
    (folder / "calls").mkdir(parents=True)
    ca.cert_pem.write_to_path(str(folder / "ca.pem"))
    (folder / "pw").write_text("s3cret\n", encoding="utf-8")
    (folder / "pw").chmod(0o600)
    text = 'data = ["calls"]\n' + VALID.replace(
        'password_env = "CW_TEST_SMTP_PASSWORD"\n', 'password_file = "pw"\n'
    ).replace("[smtp]\n", '[smtp]\nca_file = "ca.pem"\n').replace(
        "[[subscribers]]\n", '[[subscribers]]\nprojects = ["p/a.toml", "/abs/b.toml"]\n'
    )
    (folder / "config.toml").write_text(text, encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    cfg, problems = read_config(Path("..") / "conf" / "config.toml")
    assert problems == [] and cfg is not None
    base = Path("..") / "conf"
    assert cfg.path == base / "config.toml"
    assert cfg.smtp.password_file == base / "pw"
    assert cfg.smtp.ca_file == base / "ca.pem"
    assert cfg.data == (base / "calls",)
    assert cfg.subscribers[0].projects == (base / "p" / "a.toml", Path("/abs/b.toml"))
    assert cfg.smtp.password() == "s3cret"  # read from the config's folder, not the cwd
    # built in code, without a file to be relative to, a path means what it says
    assert Smtp(host="h", sender="a@b.c", password_file=Path("pw")).password_file == Path("pw")


def test_team_defaults_apply_only_where_the_subscriber_is_silent(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        VALID
        + 'lang = "fr"\nremind_days = [1, 10, 10]\n'  # "fr" is also the built-in default
        + '[[subscribers]]\nto = "bob@example.org"\n',
        encoding="utf-8",
    )
    team = Defaults(lang="en", horizon="2m", remind_days=(3, 14), territory="FR-63")
    cfg, problems = read_config(path, team)
    assert problems == [] and cfg is not None
    claire, bob = cfg.subscribers
    assert (claire.lang, claire.horizon, claire.remind_days) == ("fr", "2m", (10, 1))
    assert (bob.lang, bob.horizon, bob.remind_days) == ("en", "2m", (14, 3))
    assert bob.territory == ()  # the team's territory is a default of `list`, not a filter
    plain, _ = read_config(path)
    assert plain is not None
    assert (plain.subscribers[1].lang, plain.subscribers[1].horizon) == ("fr", "30d")
    assert plain.subscribers[1].remind_days == (30, 7, 1)
    assert read_config(path, Defaults())[0] == plain


def test_the_port_follows_the_security_unless_given() -> None:
    assert Smtp(host="h", sender="a@b.c").port == 587
    assert Smtp(host="h", sender="a@b.c", security="ssl").port == 465
    assert Smtp(host="h", sender="a@b.c", security="ssl", port=2465).port == 2465


def test_an_edited_copy_stays_frozen(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(VALID, encoding="utf-8")
    cfg = load_config(path)
    team = cfg.with_projects([tmp_path / "a.toml"])
    assert team.projects == (tmp_path / "a.toml",) and cfg.projects == ()
    assert team.path == cfg.path and team.smtp == cfg.smtp
    sub = cfg.subscribers[0]
    assert team.projects_of(sub) == (tmp_path / "a.toml",) and cfg.projects_of(sub) == ()
    english = sub.model_copy(update={"lang": "en"})
    assert (english.lang, sub.lang) == ("en", "fr")
    with pytest.raises(ValidationError, match="frozen"):
        team.smtp = cfg.smtp
    with pytest.raises(ValidationError, match="frozen"):
        english.lang = "fr"
    with pytest.raises(ValidationError, match="frozen"):
        team.subscribers[0].remind_days = ()
    assert isinstance(team.subscribers, tuple) and isinstance(english.remind_days, tuple)
    assert len({sub, english, sub.model_copy()}) == 2  # hashable, compared by value


def test_path_and_projects_are_not_keys_of_the_file(tmp_path: Path) -> None:
    """The file's own path and the team's projects are set by callwatch, never read."""
    error = config_error(tmp_path, 'projects = ["x.toml"]\n' + VALID)
    assert error.message.startswith("unknown field 'projects'") and error.line == 1
    error = config_error(tmp_path, 'path = "x"\n' + VALID)
    assert error.message.startswith("unknown field 'path'") and error.line == 1


def test_a_wrong_array_and_a_bad_subscriber_are_worded_as_before(tmp_path: Path) -> None:
    """Arrays are kept as tuples: still worded as arrays, and one bad subscriber is
    not also reported as no subscriber at all."""
    error = config_error(tmp_path, VALID + 'territory = "FR-63"\n')
    assert error.message == (
        "subscribers[0].territory: expected an array [...], got the string 'FR-63'"
    )
    path = tmp_path / "config.toml"
    path.write_text(VALID + 'lang = "de"\n', encoding="utf-8")
    assert [p.line for p in read_config(path)[1]] == [9]


def test_config_messages_and_template_in_french(tmp_path: Path) -> None:
    """Run as a person runs it (the language is chosen before the commands register)."""

    def french(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "callwatch", "--lang", "fr", *args, "--config", str(path)],
            capture_output=True,
            text=True,
            env={"PATH": "/usr/bin:/bin", "CALLWATCH_STATE": str(tmp_path / "state")},
            check=False,
        )

    path = tmp_path / "config.toml"
    init = french("config", "init")
    assert init.returncode == 0, init.stderr
    text = path.read_text(encoding="utf-8")
    assert "Ce fichier ne contient aucun mot de passe" in text and "This file" not in text
    cfg = load_config(path)  # the French template is a valid config too
    assert cfg.subscribers[0].horizon == "30j" and cfg.smtp.port == 587
    refused = french("config", "init")
    assert refused.returncode == 2
    assert refused.stderr == (
        f"callwatch: {path} existe déjà : modifiez-le, ou passez --force pour le remplacer\n"
    )
    path.write_text(VALID.replace("[smtp]\n", '[smtp]\npassword_file = "pw"\n'), encoding="utf-8")
    show = french("config", "show")
    assert show.returncode == 78
    assert show.stderr == f"{path}:2: donnez password_env ou password_file, pas les deux\n"
    path.write_text(VALID.replace("[smtp]\n", "[smtp]\ntimeout = 2.5\n"), encoding="utf-8")
    show = french("config", "show")
    assert show.returncode == 0, show.stderr
    assert "serveur :" in show.stdout and "server" not in show.stdout
    assert "2,5 s par réponse" in show.stdout  # the French decimal comma
    assert "(magasin de certificats du système)" in show.stdout
    assert "per reply" not in show.stdout and "trust store" not in show.stdout
