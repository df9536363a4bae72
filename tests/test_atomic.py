"""`callwatch.store.atomic`: the one place that writes files, whole or not at all."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from callwatch.domain.errors import CallwatchError, Exit
from callwatch.store.atomic import atomic_write, create_new, user_mode, write_user_file


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_private_files_are_created_0600_and_keep_a_mode_once_set(tmp_path: Path) -> None:
    path = tmp_path / "ledger.json"
    atomic_write(path, b"one")
    assert (path.read_bytes(), mode_of(path)) == (b"one", 0o600)
    path.chmod(0o640)
    atomic_write(path, b"two")
    assert (path.read_bytes(), mode_of(path)) == (b"two", 0o640)
    assert leftovers(tmp_path) == []


def test_user_files_get_the_umask_mode_when_new_and_keep_theirs_after(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        path = tmp_path / "deadlines.ics"
        write_user_file(path, b"new")
        assert mode_of(path) == 0o640 == user_mode()
        path.chmod(0o604)
        write_user_file(path, b"again")
        assert (path.read_bytes(), mode_of(path)) == (b"again", 0o604)
    finally:
        os.umask(old)


def test_a_link_to_a_user_file_stays_a_link(tmp_path: Path) -> None:
    target = tmp_path / "real.toml"
    target.write_bytes(b"old")
    link = tmp_path / "calls.toml"
    link.symlink_to(target.name)
    write_user_file(link, b"new")
    assert link.is_symlink()
    assert target.read_bytes() == b"new"


def test_an_unwritable_place_is_a_usage_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "missing-dir" / "out.ics"
    with pytest.raises(CallwatchError) as caught:
        write_user_file(path, b"x")
    assert caught.value.code == Exit.CANTCREAT
    assert str(caught.value).startswith(f"{path}: cannot write: ")


def test_a_failed_write_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "calls.toml"
    path.write_bytes(b"precious")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(CallwatchError, match="No space left on device"):
        write_user_file(path, b"half")
    assert path.read_bytes() == b"precious"
    assert leftovers(tmp_path) == []


def test_create_new_never_replaces_anything(tmp_path: Path) -> None:
    path = tmp_path / "project.toml"
    create_new(path, b"first")
    assert (path.read_bytes(), mode_of(path)) == (b"first", user_mode())
    with pytest.raises(FileExistsError):
        create_new(path, b"second")
    assert path.read_bytes() == b"first"
    dangling = tmp_path / "dangling.toml"
    dangling.symlink_to(tmp_path / "nowhere.toml")
    with pytest.raises(FileExistsError):
        create_new(dangling, b"x")
    assert not (tmp_path / "nowhere.toml").exists()
    assert leftovers(tmp_path) == []
