"""Writing files so that a crash, a full disk or a power cut never leaves half of one.

Every write goes to a temporary file in the same directory, is flushed to disk,
and only then takes the final name, in one step: ``os.replace`` to replace a
file (:func:`atomic_write`, :func:`write_user_file`), a hard link to create one
that must not exist yet (:func:`create_new`). The directory is synced too, so
the rename itself survives a power cut.

callwatch's private state (ledger, config, ``.eml`` files) is created 0600;
the user's own documents (exports, calls files, a new project) get the usual
permissions of the umask, and a symbolic link to one stays a link.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from callwatch.domain.errors import CallwatchError, Exit

PRIVATE_MODE = 0o600


def atomic_write(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Replace *path* with *data*. Keeps the file's mode unless *mode* is given (new: 0600)."""
    if mode is None:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            mode = PRIVATE_MODE
    tmp = _written_temp(path, data, mode)
    try:
        tmp.replace(path)
    except BaseException:
        _discard(tmp)
        raise
    _sync_dir(path.parent)


def write_user_file(path: Path, data: bytes) -> None:
    """Replace one of the user's documents; a new one gets the umask's permissions.

    A symbolic link stays a link (its target is rewritten), and a failure is a
    :class:`CallwatchError` (exit 2): the data is fine, the place is not.
    """
    target = path.resolve() if path.is_symlink() else path
    try:
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            mode = user_mode()
        atomic_write(target, data, mode=mode)
    except OSError as exc:
        raise CallwatchError(
            f"cannot write: {exc.strerror or exc}", Exit.USAGE, file=path
        ) from None


def create_new(path: Path, data: bytes) -> None:
    """Create *path* with *data* (umask permissions), only if it does not exist.

    The temporary file is hard-linked into place: the link fails if *path*
    appeared meanwhile, so an existing file is never replaced, and nobody ever
    sees a half-written one. ``FileExistsError`` when *path* exists.
    """
    if path.exists() or path.is_symlink():
        raise FileExistsError(path)
    tmp = _written_temp(path, data, user_mode())
    try:
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:
            # No hard links here (some network or FAT file systems): reserve the
            # name with an exclusive create, then move the full content over it.
            path.open("x").close()
            tmp.replace(path)
    finally:
        _discard(tmp)
    _sync_dir(path.parent)


def user_mode() -> int:
    """The mode of a new user document: ``0o666`` less the umask."""
    mask = os.umask(0)  # there is no getter: read it by setting and restoring it
    os.umask(mask)
    return 0o666 & ~mask


def _written_temp(path: Path, data: bytes, mode: int) -> Path:
    """*data* in a temporary file next to *path*, with *mode*, flushed to disk."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), mode)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        _discard(tmp)
        raise
    return tmp


def _discard(tmp: Path) -> None:
    with contextlib.suppress(OSError):
        tmp.unlink()


def _sync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
