"""Shell completion callbacks (``callwatch --install-completion``, docs/team.md).

Referenced by the options' declarations, so this module is imported by every
command: it imports nothing but typer, and the work happens in
:mod:`callwatch.services.completion`. Completion never prints an error: a broken
team file or calls file simply completes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from callwatch.domain.errors import CallwatchError


def _data(ctx: typer.Context) -> tuple[list[Path] | None, Any]:
    """The data paths the command would read (--data before or after the command,
    $CALLWATCH_DATA, the team file, the shipped data), and the team's defaults."""
    # lazy: cli.app imports this module to declare its options (an import cycle)
    from callwatch.cli.app import Settings

    given: list[Path] = []
    lang = None
    node: Any = ctx
    while node is not None:
        given.extend(node.params.get("data") or ())
        lang = lang or node.params.get("lang")
        node = node.parent
    opts = Settings(data=given or None, lang=lang)
    return opts.data_sources()[0], opts


def _quietly(answer: Any) -> Any:
    try:
        return answer()
    except (CallwatchError, OSError, ValueError):
        return []


def call_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    def answer() -> list[str]:
        # lazy: --help loads no service; a Tab press loads this one only
        from callwatch.services.completion import call_ids as ids

        return ids(_data(ctx)[0], incomplete)

    return list(_quietly(answer))


def territories(ctx: typer.Context, incomplete: str) -> list[str]:
    def answer() -> list[str]:
        # lazy: --help loads no service; a Tab press loads this one only
        from callwatch.services.completion import territory_codes

        paths, opts = _data(ctx)
        default = opts.defaults().territory
        return territory_codes(paths, incomplete, [default] if default else [])

    return list(_quietly(answer))


def beneficiaries(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    def answer() -> list[tuple[str, str]]:
        # lazy: --help loads no service; a Tab press loads this one only
        from callwatch.services.completion import beneficiary_codes

        return beneficiary_codes(incomplete, _data(ctx)[1].language())

    return list(_quietly(answer))


def languages(incomplete: str) -> list[tuple[str, str]]:
    return [(c, n) for c, n in (("fr", "français"), ("en", "English")) if c.startswith(incomplete)]
