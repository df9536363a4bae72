"""A cache of validated calls files, so a repeated command skips parsing and validation.

Teams that import whole portals keep tens of thousands of calls; parsing and
validating them takes seconds, while reading back the validated objects takes
a small fraction of that. One entry per calls file, in the platformdirs cache
directory (or ``$CALLWATCH_CACHE``; ``CALLWATCH_CACHE=off`` disables it).

An entry is used only when everything it was built from is unchanged: the
file's resolved path and the path as given, its size, modification and change
times (ns), inode and device, the callwatch and Python versions, the cache
format, and the size and time of every module of callwatch itself and of the
libraries validation depends on (so an upgrade or an edit of the code can never
read an entry written by another). Project files are cached the same way
(:func:`load_value`, :func:`store_value`), once they validate.
Anything else — a stale key, a truncated or corrupted entry (checked
by length and CRC before decoding), an entry or a cache directory not owned by
the current user or writable by others, a symbolic link or anything but a
regular file in place of an entry, any error at all while reading it — and the
entry is ignored and rebuilt, never trusted. Writes are atomic; a cache that
cannot be written (read-only home, full disk) only costs speed.

The entries are data, never code (:mod:`callwatch.store.datacodec`): each caller
passes the codec that names the only classes its entries may hold, so even a
planted entry can at worst give a wrong value of the right shape, never run
anything. Entries are opened with ``O_NOFOLLOW`` and checked on the open file
descriptor, in a directory created 0700.
"""

from __future__ import annotations

import contextlib
import json
import mmap
import os
import stat
import sys
import zlib
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from importlib.util import find_spec
from itertools import accumulate
from pathlib import Path
from typing import Any, overload

from callwatch import __version__
from callwatch.store.codec import dumps_index, loads_index
from callwatch.store.datacodec import Codec

CACHE_ENV = "CALLWATCH_CACHE"
FORMAT = 5  # bump whenever what is stored changes shape (4: data-only; 5: typed calls, index)
SUFFIX = ".entry"
MAGIC = b"callwatch-cache\n"
_OFF = {"off", "0", "no", "false", "none"}


def cache_dir() -> Path | None:
    """Where entries live, or None when caching is off."""
    env = os.environ.get(CACHE_ENV, "").strip()
    if env.lower() in _OFF and env:
        return None
    if env:
        return Path(env)
    # lazy: platformdirs only when $CALLWATCH_CACHE does not name the cache
    import platformdirs

    return Path(platformdirs.user_cache_dir("callwatch")) / "calls"


Stamp = dict[str, Any]  # what identifies a file as it was when it was read


def stamp(path: Path) -> Stamp | None:
    """What identifies *path* as it is now, or None if it cannot be stat'ed.

    Take it *before* reading the file and store what was read under it: a file
    changed while it was being read then gets an entry that never matches, where a
    stamp taken after reading would file the old content under the new identity.
    """
    try:
        st = path.stat()
        resolved = str(path.resolve())
    except OSError:
        return None
    return {
        "path": resolved,
        "given": str(path),
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
        "ctime_ns": st.st_ctime_ns,
        "ino": st.st_ino,
        "dev": st.st_dev,
    }


def _identity(
    path: Path, kind: str, extra: dict[str, Any] | None, when: Stamp | None
) -> tuple[str, dict[str, Any]] | None:
    """The entry's file name and the facts it must match (None: *path* cannot be stat'ed).

    *kind* says what the file was read as (a calls file, a project file): the same
    file read both ways has two entries. *extra*: other facts the entry depends on.
    *when*: the file's :func:`stamp` when it was read (now, if not given)."""
    if when is None:
        when = stamp(path)
        if when is None:
            return None
    facts = {
        "kind": kind,
        "format": FORMAT,
        "code": _code_fingerprint(),
        "callwatch": __version__,
        "python": sys.version,
        **when,
        "extra": extra or {},
    }
    key = f"{kind}\0{when['path']}\0{path}".encode()
    # A name, not a security check: the facts inside the entry decide whether it is used.
    name = f"{zlib.crc32(key):08x}{zlib.adler32(key):08x}"
    return name, facts


# Libraries whose upgrade may change what a file validates to: territory codes
# (pycountry), validation (pydantic), parsing (rtoml), recurrences (dateutil).
DEPENDENCIES = ("pycountry", "pydantic", "pydantic_core", "rtoml", "dateutil")


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """Size and time of every module of callwatch and of the data shipped beside them
    (the country lists verdicts depend on), and of the libraries it validates with:
    any change to the code that reads, validates or stores calls (an upgrade, an edit,
    a new country list) makes every entry stale."""
    facts: list[str] = []
    for name in DEPENDENCIES:
        spec = find_spec(name)  # finds, does not import
        origin = spec.origin if spec is not None else None
        try:
            info = Path(origin).stat() if origin is not None else None
        except OSError:
            info = None
        if info is None:
            facts.append(f"{name}:absent")
        else:
            facts.append(f"{origin}:{info.st_size}:{info.st_mtime_ns}")
    pending = [str(Path(__file__).parents[1])]
    while pending:
        with os.scandir(pending.pop()) as found:
            for item in found:
                if item.is_dir() and item.name != "__pycache__":
                    pending.append(item.path)
                elif item.name.endswith((".py", ".tsv", ".toml")):  # data: territories, countries
                    info = item.stat()
                    facts.append(f"{item.path}:{info.st_size}:{info.st_mtime_ns}")
    return str(zlib.crc32(";".join(sorted(facts)).encode()))


def _mine(info: os.stat_result) -> bool:
    """Owned by the current user and writable by nobody else."""
    owner = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return owner and not info.st_mode & 0o022


def _open_trusted(entry: Path) -> int:
    """A read-only descriptor of *entry*: a regular file of ours (not a symbolic
    link, a FIFO or a device) in a directory of ours. Raises otherwise."""
    if not _mine(entry.parent.lstat()):
        raise ValueError("cache directory not private")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(entry, flags)  # O_NONBLOCK: a FIFO planted as an entry cannot hang us
    info = os.fstat(fd)
    if not (stat.S_ISREG(info.st_mode) and _mine(info)):
        os.close(fd)
        raise ValueError("untrusted")
    return fd


class MappedBlobs(Sequence[bytes]):
    """The per-call blobs of an entry, read from a memory-mapped file on demand: a
    command that needs ten calls out of a hundred thousand reads ten."""

    def __init__(self, mapped: mmap.mmap, ends: list[int]) -> None:
        self._mapped = mapped
        self._ends = ends

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, i: int) -> bytes: ...
    @overload
    def __getitem__(self, i: slice) -> list[bytes]: ...
    def __getitem__(self, i: int | slice) -> bytes | list[bytes]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        start = self._ends[i - 1] if i > 0 else 0
        return self._mapped[start : self._ends[i]]


def load(path: Path, codec: Codec, when: Stamp | None = None) -> Any | None:
    """The cached result for *path*, or None (absent, stale, corrupt or untrusted)."""
    try:
        found = _lookup(path, "calls", None, when)
        if found is None:
            return None
        entry, header, payload = found
        head, index = _lines(payload)
        value, ends = codec.loads(head)
        if type(ends) is not list or not all(type(e) is int for e in ends):
            return None
        value.index = loads_index(index)
        value.blobs = _map_blobs(entry.with_suffix(".blobs"), header, ends)
        return value
    except Exception:  # RecursionError included: anything odd is a miss
        return None


def _lines(payload: memoryview) -> tuple[memoryview, memoryview]:
    """The payload's first line and the rest, without copying them."""
    whole = payload.obj
    if not isinstance(whole, bytes):
        raise ValueError("not an entry")
    start = len(whole) - len(payload)
    end = whole.index(b"\n", start) - start  # ValueError without one: a miss
    return payload[:end], payload[end + 1 :]


def load_value(
    path: Path,
    kind: str,
    codec: Codec,
    extra: dict[str, Any] | None = None,
    when: Stamp | None = None,
) -> Any | None:
    """The value cached for *path* read as *kind* (:func:`store_value`), or None."""
    try:
        found = _lookup(path, kind, extra, when)
        return None if found is None else codec.loads(found[2])
    except Exception:
        return None


def _lookup(
    path: Path, kind: str, extra: dict[str, Any] | None, when: Stamp | None
) -> tuple[Path, dict[str, Any], memoryview] | None:
    """The entry for *path* read as *kind*, its header and checked payload; None when
    caching is off or the entry was built from something else. Raises when the entry
    is absent, damaged or untrusted (the callers treat every error as a miss)."""
    found = _entry(path, kind, extra, when)
    if found is None:
        return None
    entry, facts = found
    header, payload = _read(entry)
    if header.get("facts") != facts:
        return None
    return entry, header, payload


def store_value(
    path: Path,
    kind: str,
    value: Any,
    codec: Codec,
    extra: dict[str, Any] | None = None,
    when: Stamp | None = None,
) -> None:
    """Cache *value*, what *path* read as *kind* gave (with *extra*, what else it was
    made from; *when*, the file's stamp taken before reading it); failures only cost
    speed."""
    found = _entry(path, kind, extra, when)
    if found is None:
        return
    entry, facts = found
    with contextlib.suppress(Exception):
        payload = codec.dumps(value)
        _write_entry(entry, facts, payload, {})


def _entry(
    path: Path, kind: str, extra: dict[str, Any] | None, when: Stamp | None
) -> tuple[Path, dict[str, Any]] | None:
    """Where the entry for *path* read as *kind* lives and the facts it must match;
    None when caching is off or *path* cannot be stat'ed."""
    directory = cache_dir()
    ident = _identity(path, kind, extra, when)
    if directory is None or ident is None:
        return None
    name, facts = ident
    return directory / f"{name}{SUFFIX}", facts


def _write_entry(entry: Path, facts: dict[str, Any], payload: bytes, extra: dict[str, Any]) -> None:
    # lazy: atomic writes only on a cache miss (a warm read writes nothing)
    from callwatch.store.atomic import atomic_write

    header = json.dumps(
        {"facts": facts, "length": len(payload), "crc": zlib.crc32(payload), **extra},
        sort_keys=True,
    ).encode()
    _private_dir(entry.parent)
    atomic_write(entry, MAGIC + header + b"\n" + payload, mode=0o600)


def _private_dir(directory: Path) -> None:
    """Create the cache directory 0700; refuse to write into one that is not ours."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = directory.lstat()
    if not stat.S_ISDIR(info.st_mode) or not _mine(info):
        raise PermissionError(f"{directory}: not a private directory")


def _read(entry: Path) -> tuple[dict[str, Any], memoryview]:
    with os.fdopen(_open_trusted(entry), "rb") as f:
        data = f.read()
    if not data.startswith(MAGIC):
        raise ValueError("not an entry")
    header_end = data.index(b"\n", len(MAGIC))
    header: dict[str, Any] = json.loads(data[len(MAGIC) : header_end])
    payload = memoryview(data)[header_end + 1 :]
    if header.get("length") != len(payload) or header.get("crc") != zlib.crc32(payload):
        raise ValueError("corrupt")
    return header, payload


def _map_blobs(blobs: Path, header: dict[str, Any], ends: list[int]) -> Sequence[bytes]:
    size = ends[-1] if ends else 0
    if header.get("blobs_length") != size:
        raise ValueError("corrupt")
    if not size:
        return []
    with os.fdopen(_open_trusted(blobs), "rb") as f:
        mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    if len(mapped) != size or zlib.crc32(mapped) != header.get("blobs_crc"):
        mapped.close()
        raise ValueError("corrupt")
    return MappedBlobs(mapped, ends)


def store(path: Path, value: Any, codec: Codec, when: Stamp | None = None) -> None:
    """Write the entry for *path* (a :class:`~callwatch.files.loading.FileResult`: its
    ``index`` in the typed form of :mod:`callwatch.store.codec`, its ``blobs`` apart,
    mapped when read back, its ``built`` calls left out), under
    *when*, the file's stamp taken before reading it; failures are ignored: the cache
    is only an accelerator."""
    found = _entry(path, "calls", None, when)
    if found is None:
        return
    entry, facts = found
    with contextlib.suppress(Exception):
        # lazy: atomic writes only on a cache miss (a warm read writes nothing)
        from callwatch.store.atomic import atomic_write

        blobs = b"".join(value.blobs)
        ends = list(accumulate(len(b) for b in value.blobs))
        # The index on a line of its own (compact JSON has no raw newline).
        rest = codec.dumps((replace(value, blobs=[], built=[], index=[]), ends))
        payload = rest + b"\n" + dumps_index(value.index)
        _private_dir(entry.parent)
        # The blobs first: an index never points at blobs that are not yet there
        # (and a stale pairing fails the length and CRC check).
        atomic_write(entry.with_suffix(".blobs"), blobs, mode=0o600)
        extra = {"blobs_length": len(blobs), "blobs_crc": zlib.crc32(blobs)}
        _write_entry(entry, facts, payload, extra)


def clear() -> int:
    """Remove every entry (an index and its blobs); returns how many entries."""
    directory = cache_dir()
    if directory is None or not directory.is_dir():
        return 0
    removed = 0
    for pattern in (f"*{SUFFIX}", "*.pickle"):  # .pickle: entries of callwatch < format 4
        for entry in directory.glob(pattern):
            with contextlib.suppress(OSError):
                entry.unlink()
                removed += 1
    for blobs in directory.glob("*.blobs"):
        with contextlib.suppress(OSError):
            blobs.unlink()
    return removed
