"""Writing user files safely: whole or not at all, never over something else."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def create_new(path: Path, text: str) -> None:
    """Create *path* with *text*, atomically, and only if it does not exist.

    The content goes to a temporary file in the same directory, which is then
    hard-linked into place: the link fails if *path* appeared meanwhile, so an
    existing file is never replaced, and nobody ever sees a half-written one.
    ``FileExistsError`` when *path* exists.
    """
    directory = path.parent if str(path.parent) else Path()
    if path.exists() or path.is_symlink():
        raise FileExistsError(path)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        tmp.chmod(0o666 & ~_umask())
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
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
