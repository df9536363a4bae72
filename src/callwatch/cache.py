"""A cache of validated calls files, so a repeated command skips parsing and validation.

Teams that import whole portals keep tens of thousands of calls; parsing and
validating them takes seconds, while reading back the validated objects takes
a small fraction of that. One entry per calls file, in the platformdirs cache
directory (or ``$CALLWATCH_CACHE``; ``CALLWATCH_CACHE=off`` disables it).

An entry is used only when everything it was built from is unchanged: the
file's resolved path and the path as given, its size, modification and change
times (ns), inode and device, the callwatch and Python versions, the cache
format, and the size and time of every module of callwatch itself (so an
upgrade or an edit of the code can never read an entry written by another).
Anything else — a stale key, a truncated or corrupted entry (checked
by length and CRC before unpickling), an entry not owned by the current user
or writable by others, any error at all while reading it — and the entry is
ignored and rebuilt, never trusted. Writes are atomic; a cache that cannot be
written (read-only home, full disk) only costs speed.

The entries are pickles, like Python's own ``__pycache__``: they live in a
directory only the user can write (created 0700, files 0600), and a file that
someone else could have written is not read.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import stat
import sys
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from callwatch import __version__

CACHE_ENV = "CALLWATCH_CACHE"
FORMAT = 2  # bump whenever what is pickled changes shape
MAGIC = b"callwatch-cache\n"
_OFF = {"off", "0", "no", "false", "none"}


def cache_dir() -> Path | None:
    """Where entries live, or None when caching is off."""
    env = os.environ.get(CACHE_ENV, "").strip()
    if env.lower() in _OFF and env:
        return None
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("callwatch")) / "calls"


def _identity(path: Path) -> tuple[str, dict[str, Any]] | None:
    """The entry's file name and the facts it must match, or None if *path* cannot be stat'ed."""
    import hashlib

    try:
        st = path.stat()
        resolved = str(path.resolve())
    except OSError:
        return None
    facts = {
        "format": FORMAT,
        "code": _code_fingerprint(),
        "callwatch": __version__,
        "python": sys.version,
        "path": resolved,
        "given": str(path),
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
        "ctime_ns": st.st_ctime_ns,
        "ino": st.st_ino,
        "dev": st.st_dev,
    }
    name = hashlib.sha256(f"{resolved}\0{path}".encode()).hexdigest()[:40] + ".pickle"
    return name, facts


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """Size and time of every module of callwatch: any change to the code that reads,
    validates or stores calls (an upgrade, an edit) makes every entry stale."""
    facts: list[str] = []
    pending = [str(Path(__file__).parent)]
    while pending:
        with os.scandir(pending.pop()) as found:
            for item in found:
                if item.is_dir() and item.name != "__pycache__":
                    pending.append(item.path)
                elif item.name.endswith(".py"):
                    info = item.stat()
                    facts.append(f"{item.path}:{info.st_size}:{info.st_mtime_ns}")
    return str(zlib.crc32(";".join(sorted(facts)).encode()))


def _trusted(fd: int) -> bool:
    info = os.fstat(fd)
    mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return mine and stat.S_ISREG(info.st_mode) and not info.st_mode & 0o022


def load(path: Path) -> Any | None:
    """The cached result for *path*, or None (absent, stale, corrupt or untrusted)."""
    directory = cache_dir()
    ident = _identity(path)
    if directory is None or ident is None:
        return None
    name, facts = ident
    try:
        with (directory / name).open("rb") as f:
            if not _trusted(f.fileno()):
                return None
            data = f.read()
        if not data.startswith(MAGIC):
            return None
        header_end = data.index(b"\n", len(MAGIC))
        header = json.loads(data[len(MAGIC) : header_end])
        payload = memoryview(data)[header_end + 1 :]
        if header.get("facts") != facts:
            return None
        if header.get("length") != len(payload) or header.get("crc") != zlib.crc32(payload):
            return None
        return pickle.loads(payload)  # noqa: S301 - our own file, checked above
    except Exception:
        return None


def store(path: Path, value: Any) -> None:
    """Write the entry for *path*; failures are ignored (the cache is only an accelerator)."""
    directory = cache_dir()
    ident = _identity(path)
    if directory is None or ident is None:
        return
    name, facts = ident
    with contextlib.suppress(Exception):
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        header = json.dumps(
            {"facts": facts, "length": len(payload), "crc": zlib.crc32(payload)},
            sort_keys=True,
        ).encode()
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        from callwatch.atomic import atomic_write

        atomic_write(directory / name, MAGIC + header + b"\n" + payload, mode=0o600)


def clear() -> int:
    """Remove every entry; returns how many were removed."""
    directory = cache_dir()
    if directory is None or not directory.is_dir():
        return 0
    removed = 0
    for entry in directory.glob("*.pickle"):
        with contextlib.suppress(OSError):
            entry.unlink()
            removed += 1
    return removed
