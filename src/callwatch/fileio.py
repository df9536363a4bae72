"""Writing user files so that nothing is ever half-written or lost.

Every file callwatch writes for the user (an exported calendar, an imported
calls file, a call appended by ``add``) goes through :func:`atomic_write`: the
bytes land in a temporary file in the same directory, are flushed to disk, get
the old file's permissions, and only then replace the old file in one
``os.replace``. A crash or a full disk leaves the old file as it was.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from callwatch.errors import CallwatchError, Exit


def _umask() -> int:
    """The process umask (read by setting and restoring it: there is no getter)."""
    current = os.umask(0)
    os.umask(current)
    return current


def _cannot_write(path: Path, exc: OSError) -> CallwatchError:
    # The data is fine; the place is not (permissions, full disk): a usage error.
    return CallwatchError(f"cannot write: {exc.strerror or exc}", Exit.USAGE, file=path)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace *path* with *data* atomically, keeping its mode; create it if missing.

    A symbolic link is followed, so the link stays a link and its target is
    updated.
    """
    target = path.resolve() if path.is_symlink() else path
    try:
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.chmod(mode)
        tmp.replace(target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            raise _cannot_write(path, exc) from None
        raise
