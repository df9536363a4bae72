"""Writes only over regular files; inputs that are not regular files are refused, not
waited on (issue 13)."""

from __future__ import annotations

import os
import socket
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import Result

from callwatch.domain.errors import CallwatchError, Exit
from callwatch.store.atomic import (
    STALE_TEMP_SECONDS,
    atomic_write,
    kind_of,
    read_regular,
    write_user_file,
)
from tests.io_support import AT_CSV, SHIPPED
from tests.io_support import cli as cli_fr

TODAY = ("--today", "2019-03-01")


def cli(*args: str) -> Result:
    """The CLI in English: these tests check the wording of the refusals
    (tests/test_catalog.py checks that French output has no English left)."""
    return cli_fr(*args, env={"CALLWATCH_LANG": "en"})


def fifo(place: Path) -> Path:
    os.mkfifo(place)
    return place


def directory(place: Path) -> Path:
    place.mkdir()
    return place


def loop(place: Path) -> Path:
    place.symlink_to(place.name)  # a link to itself
    return place


@pytest.fixture
def unix_socket(tmp_path: Path) -> Iterator[Callable[[Path], Path]]:
    opened: list[socket.socket] = []

    def make(place: Path) -> Path:
        # AF_UNIX paths are short: bind in tmp_path under a short name, then link it.
        sock = socket.socket(socket.AF_UNIX)
        short = Path(tempfile.gettempdir()) / f"cw-{os.getpid()}-{len(opened)}.sock"
        sock.bind(str(short))
        opened.append(sock)
        place.symlink_to(short)
        return place

    yield make
    for sock in opened:
        name = sock.getsockname()
        sock.close()
        Path(name).unlink()


KINDS = {"fifo": (fifo, "a FIFO"), "dir": (directory, "a directory"), "loop": (loop, "loop")}


def writers(target: Path) -> dict[str, tuple[str, ...]]:
    """Every command that writes a user file, aimed at *target*."""
    return {
        # dated before its deadline: add warns of a deadline already past (a second line)
        "add": (
            *TODAY,
            "add",
            str(target),
            *("--id", "x-1", "--title", "X", "--deadline", "2025-03-15"),
        ),
        "import": ("import", "aides-territoires", str(AT_CSV), "-o", str(target)),
        "export": (*TODAY, "--data", str(SHIPPED), "export", "-o", str(target), "-f", "ics"),
        "schema": ("schema", "calls", "-o", str(target), "--force"),
        "init": ("init", str(target)),
        "config init": ("config", "init", "--config", str(target), "--force"),
    }


def run_bounded(args: tuple[str, ...]) -> Result:
    """Run the CLI in a thread: a command blocked on a FIFO fails the test, not the run."""
    out: list[Result] = []
    worker = threading.Thread(target=lambda: out.append(cli(*args)), daemon=True)
    worker.start()
    worker.join(30)
    assert out, f"{args[0]} hung"
    return out[0]


@pytest.mark.parametrize("command", list(writers(Path("x"))))
@pytest.mark.parametrize("kind", list(KINDS))
def test_no_writer_replaces_what_is_not_a_regular_file(
    tmp_path: Path, command: str, kind: str
) -> None:
    make, word = KINDS[kind]
    target = make(tmp_path / "target.toml")
    result = run_bounded(writers(target)[command])
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"callwatch: {target}") and word in lines[0]
    assert kind_of(target) is not None  # still there, still not a file
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_socket_is_not_replaced(tmp_path: Path, unix_socket: Callable[[Path], Path]) -> None:
    target = unix_socket(tmp_path / "out.ics")
    result = run_bounded(writers(target)["export"])
    assert result.exit_code == 2
    assert "a socket, not a regular file" in result.stderr
    assert kind_of(target) == "a socket"


def test_devices_are_recognised_without_being_touched() -> None:
    assert kind_of(Path("/dev/null")) == "a character device"
    with pytest.raises(OSError, match="character device"):
        atomic_write(Path("/dev/null"), b"x")  # refused before any temporary file
    with pytest.raises(CallwatchError) as caught:
        write_user_file(Path("/dev/null"), b"x")
    assert caught.value.code == Exit.USAGE


def test_a_link_to_a_regular_file_is_followed_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.ics"
    real.write_text("old")
    link = tmp_path / "out.ics"
    link.symlink_to(real.name)
    result = cli(*TODAY, "--data", str(SHIPPED), "export", "-o", str(link), "--force")
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and real.read_text().startswith("BEGIN:VCALENDAR")


def test_export_never_overwrites_a_file_it_read(tmp_path: Path) -> None:
    data = tmp_path / "self.toml"
    data.write_bytes(SHIPPED.read_bytes())
    for extra in ((), ("--force",)):
        result = cli(*TODAY, "--data", str(data), "export", "-o", str(data), "-f", "ics", *extra)
        assert result.exit_code == 2
        assert result.stderr == f"callwatch: {data}: is an input of this command: not overwritten\n"
    assert data.read_bytes() == SHIPPED.read_bytes()


@pytest.mark.parametrize("name", ["self.toml", "deadlines", "out.txt"])
def test_export_format_comes_from_the_option_or_a_known_extension(
    tmp_path: Path, name: str
) -> None:
    out = tmp_path / name
    result = cli(*TODAY, "--data", str(SHIPPED), "export", "-o", str(out))
    assert result.exit_code == 2
    assert "cannot tell the format" in result.stderr
    assert not out.exists()
    assert cli(*TODAY, "--data", str(SHIPPED), "export", "-o", str(out), "-f", "csv").exit_code == 0
    assert out.read_text().startswith("call_id,")


def test_schema_refuses_an_existing_file_without_force(tmp_path: Path) -> None:
    out = tmp_path / "calls.schema.json"
    out.write_text("mine")
    result = cli("schema", "calls", "-o", str(out))
    assert result.exit_code == 2 and "pass --force" in result.stderr
    assert out.read_text() == "mine"
    assert cli("schema", "calls", "-o", str(out), "--force").exit_code == 0
    assert out.read_text().startswith("{")


def test_a_file_that_cannot_be_created_exits_73(tmp_path: Path) -> None:
    out = tmp_path / "no-such-dir" / "out.ics"
    result = cli(*TODAY, "--data", str(SHIPPED), "export", "-o", str(out))
    assert result.exit_code == 73
    assert result.stderr.startswith(f"callwatch: {out}: cannot write: ")


def test_a_failed_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(CallwatchError) as caught:
        write_user_file(tmp_path / "out.ics", b"data")
    assert caught.value.code == Exit.CANTCREAT
    assert list(tmp_path.iterdir()) == []


def test_temporary_files_of_killed_runs_are_swept_by_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "ledger.json"
    stale = tmp_path / ".ledger.json.abcd1234.tmp"
    live = tmp_path / ".ledger.json.efgh5678.tmp"  # another writer, right now
    other = tmp_path / ".other.json.abcd1234.tmp"
    for path in (stale, live, other):
        path.write_text("half")
    old = stale.stat().st_mtime - STALE_TEMP_SECONDS - 60
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    atomic_write(target, b"{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [target.name, live.name, other.name]
    )


@pytest.mark.parametrize(
    "args",
    [
        lambda f: (*TODAY, "--data", str(f), "list"),
        lambda f: ("validate", str(f)),
        lambda f: ("import", "aides-territoires", str(f)),
        lambda f: ("add", str(f), "--id", "x-1", "--title", "X", "--deadline", "2025-03-15"),
    ],
)
def test_a_fifo_as_input_is_refused_not_waited_on(
    tmp_path: Path, args: Callable[[Path], tuple[str, ...]]
) -> None:
    place = fifo(tmp_path / "calls.toml")
    result = run_bounded(args(place))
    assert result.exit_code in (2, 65, 1), result.output
    assert "FIFO" in result.output
    assert "no such file" not in result.output


def test_read_regular_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="a FIFO"):
        read_regular(fifo(tmp_path / "in"))
