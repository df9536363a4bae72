"""``callwatch cache``: where the validated-data cache lives, and emptying it."""

from __future__ import annotations

import sys

import typer

from callwatch.store import cache


def show_path() -> None:
    """Print the cache directory ("off" when CALLWATCH_CACHE=off)."""
    directory = cache.cache_dir()
    typer.echo("off" if directory is None else str(directory))


def clear() -> int:
    """Remove every entry and say how many; safe at any time (entries are rebuilt)."""
    removed = cache.clear()
    sys.stderr.write(f"{removed} entr{'y' if removed == 1 else 'ies'} removed\n")
    return removed
