"""``callwatch cache``: where the validated-data cache lives, and emptying it."""

from __future__ import annotations

import sys

import typer

from callwatch.i18n import _, ngettext
from callwatch.store import cache


def show_path() -> None:
    """Print the cache directory ("off" when CALLWATCH_CACHE=off)."""
    directory = cache.cache_dir()
    typer.echo(_("off") if directory is None else str(directory))


def clear() -> int:
    """Remove every entry and say how many; safe at any time (entries are rebuilt)."""
    removed = cache.clear()
    sys.stderr.write(
        ngettext("{n} entry removed", "{n} entries removed", removed).format(n=removed) + "\n"
    )
    return removed
