"""The validated-data cache: used only when nothing it was built from has changed."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from callwatch.files.loading import FileResult, entry_codec, load_catalog, load_file_result
from callwatch.store import cache
from tests.conftest import Invoke, WriteCalls

CALLS = """
[[calls]]
id = "one"
title = "First"
deadlines = [{ date = 2019-03-15, label = "1re session" }, { date = 2019-05-29, time = 17:00:00 }]
territory = ["FR-ARA"]
rrule = "FREQ=YEARLY"

[calls.funding]
rate = 0.8
max_aid = 100000

[[calls.criteria]]
id = "partners"
label = "Two partners"
check = { count = "partners", at_least = 2 }

[[calls]]
id = "two"
title = "Second"
ongoing = true
"""


def entries() -> list[Path]:
    directory = cache.cache_dir()
    assert directory is not None
    return sorted(directory.glob("*.entry")) if directory.exists() else []


def test_second_load_comes_from_the_cache_and_is_identical(write_calls: WriteCalls) -> None:
    path = write_calls(CALLS)
    fresh = load_catalog([path])
    assert len(entries()) == 1
    assert isinstance(cache.load(path, entry_codec()), FileResult)
    cached = load_catalog([path])
    assert cached.calls == fresh.calls
    assert [c.rounds for c in cached.calls] == [c.rounds for c in fresh.calls]
    assert [[r.closes_at for r in c.rounds] for c in cached.calls] == [
        [r.closes_at for r in c.rounds] for c in fresh.calls
    ]
    assert cached.calls[0].criteria == fresh.calls[0].criteria
    assert cached.calls[0].origin == fresh.calls[0].origin


def test_invalid_file_problems_are_cached_too(write_calls: WriteCalls) -> None:
    path = write_calls('[[calls]]\nid = "x"\ntitle = "X"\n')
    first = load_catalog([path]).problems
    assert cache.load(path, entry_codec()) is not None
    assert load_catalog([path]).problems == first != []


def test_a_changed_file_is_read_again(write_calls: WriteCalls) -> None:
    path = write_calls(CALLS)
    load_catalog([path])
    path.write_text(CALLS.replace('"First"', '"Premier"'), encoding="utf-8")
    assert [c.title for c in load_catalog([path]).calls] == ["Premier", "Second"]


def test_same_size_and_mtime_but_new_inode_is_read_again(write_calls: WriteCalls) -> None:
    path = write_calls(CALLS)
    load_catalog([path])
    stat = path.stat()
    replacement = path.with_suffix(".new")
    replacement.write_text(CALLS.replace('"First"', '"Fir5t"'), encoding="utf-8")
    os.utime(replacement, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    replacement.replace(path)  # same size, same mtime: the inode and ctime differ
    assert load_catalog([path]).calls[0].title == "Fir5t"


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # truncated
        lambda b: b[:-10] + bytes(10),  # zeroed tail: the CRC differs
        lambda b: b"not a cache at all",
        lambda b: b"",
    ],
)
def test_a_corrupt_entry_is_ignored_and_rebuilt(write_calls: WriteCalls, damage: object) -> None:
    path = write_calls(CALLS)
    expected = load_catalog([path]).calls
    (entry,) = entries()
    entry.write_bytes(damage(entry.read_bytes()))  # type: ignore[operator]
    assert cache.load(path, entry_codec()) is None
    assert load_catalog([path]).calls == expected
    assert cache.load(path, entry_codec()) is not None  # rebuilt


def test_an_entry_writable_by_others_is_not_trusted(write_calls: WriteCalls) -> None:
    path = write_calls(CALLS)
    load_catalog([path])
    (entry,) = entries()
    entry.chmod(0o666)
    assert cache.load(path, entry_codec()) is None


def test_a_valid_entry_with_the_wrong_facts_is_ignored(write_calls: WriteCalls) -> None:
    path = write_calls(CALLS)
    load_catalog([path])
    (entry,) = entries()
    data = entry.read_bytes()
    # A well-formed entry for another version of callwatch: stale, not trusted.
    entry.write_bytes(data.replace(b'"callwatch": "', b'"callwatch": "0.0.0-', 1))
    assert cache.load(path, entry_codec()) is None


def test_cache_off_writes_nothing(write_calls: WriteCalls, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLWATCH_CACHE", "off")
    path = write_calls(CALLS)
    assert load_file_result(path).problems == []
    assert cache.cache_dir() is None
    assert cache.load(path, entry_codec()) is None


def test_unwritable_cache_only_costs_speed(
    write_calls: WriteCalls, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    monkeypatch.setenv("CALLWATCH_CACHE", str(blocker / "cache"))
    path = write_calls(CALLS)
    assert [c.id for c in load_catalog([path]).calls] == ["one", "two"]


def test_entries_are_private(write_calls: WriteCalls) -> None:
    load_catalog([write_calls(CALLS)])
    (entry,) = entries()
    assert entry.stat().st_mode & 0o077 == 0
    assert entry.parent.stat().st_mode & 0o077 == 0


def test_cli_output_is_the_same_from_the_cache(cli: Invoke, write_calls: WriteCalls) -> None:
    path = str(write_calls(CALLS))
    args = ("list", "--all", "--json", "-d", path, "--today", "2019-03-01")
    first = cli(*args).stdout
    assert entries()
    assert cli(*args).stdout == first
    show = ("show", "one", "--json", "-d", path, "--today", "2020-01-01")
    assert cli(*show).stdout == cli(*show).stdout


def test_cache_clear(cli: Invoke, write_calls: WriteCalls) -> None:
    load_catalog([write_calls(CALLS)])
    assert entries()
    result = cli("cache", "clear")
    assert result.exit_code == 0
    assert entries() == []
    assert "1 entry removed" in result.stderr
    directory = cache.cache_dir()
    assert directory is not None and list(directory.iterdir()) == []


def test_an_entry_shares_criteria_and_maps_its_blobs(write_calls: WriteCalls) -> None:
    path = write_calls(CALLS.replace('id = "two"', 'id = "two"\ncriteria = []'))
    fresh = load_file_result(path)
    assert len(fresh.shared) == 1  # the one criterion, stored once
    cached = cache.load(path, entry_codec())
    assert isinstance(cached, FileResult)
    assert isinstance(cached.blobs, cache.MappedBlobs)
    assert cached.calls == fresh.calls
    assert cached.blobs[0:2] == list(fresh.blobs)


@pytest.mark.parametrize("damage", [lambda b: b[:-1], lambda b: b[:-3] + b"xyz", lambda b: b""])
def test_a_damaged_blob_file_is_ignored_and_rebuilt(
    write_calls: WriteCalls, damage: object
) -> None:
    path = write_calls(CALLS)
    expected = load_catalog([path]).calls
    directory = cache.cache_dir()
    assert directory is not None
    (blobs,) = directory.glob("*.blobs")
    blobs.write_bytes(damage(blobs.read_bytes()))  # type: ignore[operator]
    assert cache.load(path, entry_codec()) is None
    assert load_catalog([path]).calls == expected
    assert cache.load(path, entry_codec()) is not None


def test_entries_written_by_other_code_are_stale(
    write_calls: WriteCalls, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_calls(CALLS)
    load_catalog([path])
    assert cache.load(path, entry_codec()) is not None
    monkeypatch.setattr(cache, "_code_fingerprint", lambda: "another version of the code")
    assert cache.load(path, entry_codec()) is None


def test_the_second_run_really_reads_the_cache(
    write_calls: WriteCalls, monkeypatch: pytest.MonkeyPatch
) -> None:
    from callwatch.files import loading

    path = write_calls(CALLS)
    expected = load_catalog([path]).calls

    def no_parsing(_: Path) -> None:
        raise AssertionError("the file was parsed again")

    monkeypatch.setattr(loading, "read_toml", no_parsing)
    assert load_catalog([path]).calls == expected


def test_upgrading_a_library_it_validates_with_makes_entries_stale(
    write_calls: WriteCalls, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = tmp_path / "lib" / "fakecountry.py"
    library.parent.mkdir()
    library.write_text("VERSION = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(library.parent))
    monkeypatch.setattr(cache, "DEPENDENCIES", ("fakecountry",))
    cache._code_fingerprint.cache_clear()
    path = write_calls(CALLS)
    load_catalog([path])
    assert cache.load(path, entry_codec()) is not None
    library.write_text("VERSION = 22\n", encoding="utf-8")  # pip installs another version
    cache._code_fingerprint.cache_clear()
    assert cache.load(path, entry_codec()) is None
    cache._code_fingerprint.cache_clear()


def test_a_file_edited_while_it_is_read_is_read_again(
    write_calls: WriteCalls, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The entry is filed under the file's stamp from before reading: what was read
    is never taken for the edited file."""
    from callwatch.files import loading

    path = write_calls(CALLS)
    real = loading.parse_document

    def edited_meanwhile(data: Any, text: str, filename: str) -> FileResult:
        path.write_text(CALLS.replace('title = "Second"', 'title = "Second, edited"'), "utf-8")
        return real(data, text, filename)

    monkeypatch.setattr(loading, "parse_document", edited_meanwhile)
    assert load_catalog([path]).calls[1].title == "Second"  # what was read
    monkeypatch.setattr(loading, "parse_document", real)
    assert load_catalog([path]).calls[1].title == "Second, edited"


def test_same_size_mtime_and_inode_but_new_ctime_is_read_again(write_calls: WriteCalls) -> None:
    """An edit in place whose mtime was put back (`touch -r`, some sync tools) still
    changes the inode's change time, and the cache must see it."""
    path = write_calls(CALLS)
    load_catalog([path])
    before = path.stat()
    with path.open("r+b") as f:  # the same inode, the same size
        f.write(CALLS.replace('"First"', '"Fir5t"').lstrip("\n").encode("utf-8"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    while path.stat().st_ctime_ns == before.st_ctime_ns:  # the clock's tick is coarse
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (
        before.st_ino,
        before.st_size,
        before.st_mtime_ns,
    )
    assert load_catalog([path]).calls[0].title == "Fir5t"


def test_an_entry_owned_by_another_user_is_not_trusted(
    write_calls: WriteCalls, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seen from another account, every entry belongs to someone else: none is read."""
    path = write_calls(CALLS)
    expected = load_catalog([path]).calls
    assert cache.load(path, entry_codec()) is not None
    (entry,) = entries()
    other = entry.stat().st_uid + 4242
    if os.geteuid() == 0:  # as root, really give the entry away
        os.chown(entry, other, -1)
    else:  # otherwise, be another user
        monkeypatch.setattr(os, "getuid", lambda: other)
        monkeypatch.setattr(os, "geteuid", lambda: other)
    assert cache.load(path, entry_codec()) is None
    assert load_catalog([path]).calls == expected
