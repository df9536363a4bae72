"""``callwatch docs [TOPIC]``: the shipped documentation, or a man page of the CLI."""

from __future__ import annotations

from typing import Annotated

import typer

from callwatch.cli.app import command_app, exit_with, settings
from callwatch.i18n import _

cli = command_app()


def _topics(incomplete: str) -> list[tuple[str, str]]:
    from callwatch.services.docs import topics

    return topics(incomplete)


@cli.command(
    "docs",
    epilog=_("""\b
Examples:
  callwatch docs                         the topics
  callwatch docs calls | less            the calls file format
  callwatch docs man > callwatch.1 && man ./callwatch.1
"""),
    help=_("Print the documentation shipped with this version (markdown), or a man page."),
)
def docs(
    ctx: typer.Context,
    topic: Annotated[
        str | None,
        typer.Argument(
            metavar="[TOPIC]",
            help=_("cli, team, calls, project, rules, digest... or man."),
            autocompletion=_topics,
        ),
    ] = None,
) -> None:
    """Print the documentation shipped with this version (markdown), or a man page."""
    from callwatch.services.docs import docs as run

    exit_with(run(settings(ctx, None, None, None), topic, ctx.find_root().command))
