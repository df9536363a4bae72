"""Shell completion callbacks (``callwatch --install-completion``, docs/team.md).

Referenced by the options' declarations, so this module is imported by every
command: it imports nothing but typer and the shared settings (as light), and the
work happens in
:mod:`callwatch.services.completion`. Completion never prints an error: a broken
team file or calls file simply completes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import typer
from typer._click.core import Context

from callwatch.cli.settings import Settings
from callwatch.domain.errors import CallwatchError

T = TypeVar("T")


def _data(ctx: typer.Context) -> tuple[list[Path] | None, Settings]:
    """The data paths the command would read (--data before or after the command,
    $CALLWATCH_DATA, the team file, the shipped data), and the options they come from."""
    given: list[Path] = []
    lang = None
    node: Context | None = ctx
    while node is not None:
        given.extend(node.params.get("data") or ())
        lang = lang or node.params.get("lang")
        node = node.parent
    opts = Settings(data=given or None, lang=lang)
    return opts.data_sources()[0], opts


def _quietly(answer: Callable[[], list[T]]) -> list[T]:
    try:
        return answer()
    except (CallwatchError, OSError, ValueError):
        return []


def call_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    def answer() -> list[str]:
        # lazy: --help loads no service; a Tab press loads this one only
        from callwatch.services.completion import call_ids as ids

        return ids(_data(ctx)[0], incomplete)

    return _quietly(answer)


def territories(ctx: typer.Context, incomplete: str) -> list[str]:
    def answer() -> list[str]:
        # lazy: --help loads no service; a Tab press loads this one only
        from callwatch.services.completion import territory_codes

        paths, opts = _data(ctx)
        default = opts.defaults().territory
        return territory_codes(paths, incomplete, [default] if default else [])

    return _quietly(answer)


def beneficiaries(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    def answer() -> list[tuple[str, str]]:
        # lazy: --help loads no service; a Tab press loads this one only
        from callwatch.services.completion import beneficiary_codes

        return beneficiary_codes(incomplete, _data(ctx)[1].language())

    return _quietly(answer)


def languages(incomplete: str) -> list[tuple[str, str]]:
    return [(c, n) for c, n in (("fr", "français"), ("en", "English")) if c.startswith(incomplete)]
