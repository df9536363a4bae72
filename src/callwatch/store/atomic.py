"""Writing files so that a crash, a full disk or a power cut never leaves half of one.

Every write goes to a temporary file in the same directory, is flushed to disk,
and only then takes the final name, in one step: ``os.replace`` to replace a
file (:func:`atomic_write`, :func:`write_user_file`), a hard link to create one
that must not exist yet (:func:`create_new`). The directory is synced too, so
the rename itself survives a power cut.

callwatch's private state (ledger, config, ``.eml`` files) is created 0600;
the user's own documents (exports, calls files, a new project) get the usual
permissions of the umask, and a symbolic link to one stays a link.

Only a regular file is ever replaced: a device, a FIFO, a socket, a directory or
a symbolic link loop in place of the target is refused before anything is
written (renaming over ``/dev/null`` would replace the device itself). A
temporary file is removed when its write fails, and those left by a killed run
(older than :data:`STALE_TEMP_SECONDS`) are swept by the next write beside them.
Reading goes through :func:`read_regular` for the same reason: a FIFO in place of
an input would block the reader for ever.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from callwatch.domain.errors import CallwatchError, Exit
from callwatch.i18n import N_

PRIVATE_MODE = 0o600
# A temporary file this old, beside a file being written, is a killed run's: swept.
STALE_TEMP_SECONDS = 15 * 60

_KINDS = (
    (stat.S_ISDIR, N_("a directory")),
    (stat.S_ISFIFO, N_("a FIFO")),
    (stat.S_ISSOCK, N_("a socket")),
    (stat.S_ISCHR, N_("a character device")),
    (stat.S_ISBLK, N_("a block device")),
)


class NotRegularFile(OSError):
    """The path names something other than a regular file: never written or read."""


def kind_of(path: Path) -> str | None:
    """What *path* is when it is not a regular file ("a FIFO", "a symbolic link loop"),
    following symbolic links; None for a regular file or nothing at all."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return N_("a symbolic link loop")
        return None  # nothing there (or a dangling link: creating its target is fine)
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), N_("not a regular file"))


def _not_regular(kind: str) -> str:
    return N_("{kind}, not a regular file").format(kind=kind)


def refuse_special(path: Path) -> None:
    """Raise :class:`NotRegularFile` unless *path* is a regular file or absent."""
    kind = kind_of(path)
    if kind is not None:
        raise NotRegularFile(errno.EINVAL, _not_regular(kind) + ": " + N_("not written"))


def read_regular(path: Path) -> bytes:
    """The bytes of the regular file *path*; :class:`NotRegularFile` for a FIFO, a
    device or a directory (opened without blocking, checked on the descriptor)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as f:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), N_("not a regular file"))
            raise NotRegularFile(errno.EINVAL, _not_regular(kind))
        return f.read()


def atomic_write(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Replace *path* with *data*. Keeps the file's mode unless *mode* is given (new: 0600).

    :class:`NotRegularFile` when *path* is a device, a FIFO, a directory... ."""
    refuse_special(path)
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

    A symbolic link stays a link (its target is rewritten). Errors are one
    :class:`CallwatchError`: a target that is not a regular file exits 2 (the
    place is wrong), a file that cannot be created 73 (EX_CANTCREAT).
    """
    refuse_target(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            mode = user_mode()
        atomic_write(target, data, mode=mode)
    except NotRegularFile as exc:  # appeared meanwhile
        raise CallwatchError(exc.strerror or str(exc), Exit.USAGE, file=path) from None
    except OSError as exc:
        raise CallwatchError(
            N_("cannot write: {reason}").format(reason=exc.strerror or exc),
            Exit.CANTCREAT,
            file=path,
        ) from None


def refuse_target(path: Path) -> None:
    """A :class:`CallwatchError` (exit 2, one line naming *path*) unless *path* is a
    regular file or absent: what every command checks before writing a user file."""
    try:
        refuse_special(path)
    except NotRegularFile as exc:
        raise CallwatchError(exc.strerror or str(exc), Exit.USAGE, file=path) from None


def check_output(path: Path, *, force: bool, read: Sequence[Path] = ()) -> None:
    """Before a command writes its output to *path* (``export -o``, ``schema -o``):
    exit 2 with one line when *path* is not a regular file, is one of the files the
    command *read* (whatever ``--force`` says), or exists and *force* is not given."""
    refuse_target(path)
    try:
        info = path.stat()
    except OSError:
        return  # nothing there yet
    for source in read:
        with contextlib.suppress(OSError):
            other = Path(source).stat()
            if (other.st_dev, other.st_ino) == (info.st_dev, info.st_ino):
                raise CallwatchError(
                    N_("is an input of this command") + ": " + N_("not overwritten"),
                    Exit.USAGE,
                    file=path,
                )
    if not force:
        raise CallwatchError(
            N_("already exists") + ": " + N_("not overwritten (pass --force to replace it)"),
            Exit.USAGE,
            file=path,
        )


def create_new(path: Path, data: bytes) -> None:
    """Create *path* with *data* (umask permissions), only if it does not exist.

    The temporary file is hard-linked into place: the link fails if *path*
    appeared meanwhile, so an existing file is never replaced, and nobody ever
    sees a half-written one. ``FileExistsError`` when *path* exists.
    """
    refuse_special(path)
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
    sweep_stale(path)
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


def sweep_stale(path: Path, *, now: float | None = None) -> int:
    """Remove the temporary files of *path* left by killed runs (ours, regular, older
    than :data:`STALE_TEMP_SECONDS`); how many. A live writer's file is younger."""
    limit = (time.time() if now is None else now) - STALE_TEMP_SECONDS
    prefix = f".{path.name}."
    removed = 0
    try:
        found = list(os.scandir(path.parent))
    except OSError:
        return 0
    for item in found:
        if not (item.name.startswith(prefix) and item.name.endswith(".tmp")):
            continue
        with contextlib.suppress(OSError):
            info = item.stat(follow_symlinks=False)
            mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
            if stat.S_ISREG(info.st_mode) and mine and info.st_mtime < limit:
                Path(item.path).unlink()
                removed += 1
    return removed


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
