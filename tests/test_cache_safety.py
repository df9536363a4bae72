"""A cache entry is data: a planted, linked, shared or crafted entry never runs code (issue 13)."""

from __future__ import annotations

import json
import os
import pickle
import threading
import zlib
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import ClassVar
from zoneinfo import ZoneInfo

import pytest

from callwatch.domain.errors import Problem
from callwatch.files.loading import entry_codec, load_catalog
from callwatch.store import cache
from callwatch.store.datacodec import Codec
from tests.conftest import WriteCalls
from tests.test_cache import CALLS, entries


class _Boom:
    """What a planted pickle would run: it records that it ran."""

    ran: ClassVar[list[str]] = []

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (_Boom.ran.append, ("code ran",))


def test_a_planted_pickle_in_place_of_an_entry_is_not_run(write_calls: WriteCalls) -> None:
    path = write_calls(CALLS)
    fresh = load_catalog([path]).calls
    (entry,) = entries()
    payload = pickle.dumps(_Boom())
    # A well-formed header (right facts) whose payload is a pickle that runs code.
    head = entry.read_bytes().split(b"\n", 2)
    meta = json.loads(head[1])
    meta.update(length=len(payload), crc=zlib.crc32(payload))
    entry.write_bytes(head[0] + b"\n" + json.dumps(meta).encode() + b"\n" + payload)
    assert load_catalog([path]).calls == fresh
    assert _Boom.ran == []


def test_a_symlinked_entry_is_not_followed(write_calls: WriteCalls, tmp_path: Path) -> None:
    path = write_calls(CALLS)
    load_catalog([path])
    (entry,) = entries()
    elsewhere = tmp_path / "planted"
    elsewhere.write_bytes(entry.read_bytes())
    elsewhere.chmod(0o600)
    entry.unlink()
    entry.symlink_to(elsewhere)
    assert cache.load(path, entry_codec()) is None


def test_a_fifo_in_place_of_an_entry_does_not_hang(write_calls: WriteCalls) -> None:
    path = write_calls(CALLS)
    fresh = load_catalog([path]).calls
    (entry,) = entries()
    entry.unlink()
    os.mkfifo(entry, 0o600)
    done: list[object] = []
    worker = threading.Thread(target=lambda: done.append(load_catalog([path]).calls), daemon=True)
    worker.start()
    worker.join(20)
    assert done == [fresh]


def test_a_cache_directory_others_can_write_is_not_trusted(write_calls: WriteCalls) -> None:
    path = write_calls(CALLS)
    load_catalog([path])
    (entry,) = entries()
    assert cache.load(path, entry_codec()) is not None
    entry.parent.chmod(0o777)
    try:
        assert cache.load(path, entry_codec()) is None
    finally:
        entry.parent.chmod(0o700)


@pytest.mark.parametrize(
    "payload",
    [
        b"[" * 100_000 + b"]" * 100_000,  # nesting: RecursionError, caught
        b'{"t":[' + b"9" * 5_000 + b"]}",  # an integer past Python's digit limit
        b'{"o":["Problem",["a",1]]}',  # the wrong number of fields
        b'{"o":["Popen",["ls"]]}',  # a class not allowed
        b'{"x":1}',  # an unknown tag
        b'{"m":[[{"l":[]},1]]}',  # an unhashable key
        b"\xff\xfe",
    ],
)
def test_crafted_values_are_refused_not_run(payload: bytes) -> None:
    with pytest.raises((ValueError, RecursionError)):
        entry_codec().loads(payload)


def test_values_come_back_as_they_were() -> None:
    value = (
        [Problem("f.toml", 3, "x")],
        {"k": frozenset({1}), (1, "a"): {Decimal("1.50")}},
        datetime(2019, 3, 31, 2, 30, tzinfo=ZoneInfo("Europe/Paris")),
        datetime(2019, 1, 1, tzinfo=UTC),
        date(9999, 12, 31),
        time(17, 0),
        b"\x00\xff",
        float("inf"),
        None,
    )
    back = entry_codec().loads(entry_codec().dumps(value))
    assert back == value
    assert type(back[0]) is list and type(back[1]) is dict
    assert back[2].tzinfo == ZoneInfo("Europe/Paris")


def test_a_class_not_allowed_is_not_encoded() -> None:
    with pytest.raises(TypeError):
        Codec().dumps(Problem("f", 1, "m"))
