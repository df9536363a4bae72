"""Writing the user's own files: exports, calls files written by ``import`` and ``add``.

The atomic replacement itself is :func:`callwatch.atomic.atomic_write`. This
layer adds what a user's document needs: a new file gets the usual
permissions (the umask's, not the 0600 of callwatch's private state files),
a symbolic link stays a link (its target is rewritten), and a failure is one
line on stderr, not a traceback.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from callwatch.errors import CallwatchError, Exit


def _umask() -> int:
    """The process umask (read by setting and restoring it: there is no getter)."""
    current = os.umask(0)
    os.umask(current)
    return current


def write_user_file(path: Path, data: bytes) -> None:
    """Replace *path* with *data* atomically, keeping its mode; create it if missing."""
    from callwatch.atomic import atomic_write

    target = path.resolve() if path.is_symlink() else path
    try:
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        atomic_write(target, data, mode=mode)
    except OSError as exc:
        # The data is fine; the place is not (permissions, full disk): a usage error.
        raise CallwatchError(
            f"cannot write: {exc.strerror or exc}", Exit.USAGE, file=path
        ) from None
