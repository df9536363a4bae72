"""``callwatch docs [TOPIC]``: the shipped documentation, or a man page of the CLI."""

from __future__ import annotations

from typing import Annotated

import typer

from callwatch.cli.app import command_app

cli = command_app()


def _topics(incomplete: str) -> list[tuple[str, str]]:
    from callwatch.files.manual import TOPICS

    choices = [(name, about) for name, (_, about) in TOPICS.items()]
    choices.append(("man", "a man page generated from the command line"))
    return [(name, about) for name, about in choices if name.startswith(incomplete)]


@cli.command(
    "docs",
    epilog="""\b
Examples:
  callwatch docs                         the topics
  callwatch docs calls | less            the calls file format
  callwatch docs man > callwatch.1 && man ./callwatch.1
""",
)
def docs(
    ctx: typer.Context,
    topic: Annotated[
        str | None,
        typer.Argument(
            metavar="[TOPIC]",
            help="cli, team, calls, project, rules, digest... or man.",
            autocompletion=_topics,
        ),
    ] = None,
) -> None:
    """Print the documentation shipped with this version (markdown), or a man page."""
    import sys

    if topic is None:
        from callwatch.files.manual import TOPICS

        for name, (_, about) in TOPICS.items():
            sys.stdout.write(f"{name:9} {about}\n")
        sys.stdout.write(f"{'man':9} a man page generated from the command line\n")
        return
    if topic == "man":
        from callwatch import __version__
        from callwatch.cli import app
        from callwatch.cli.app import settings
        from callwatch.cli.manpage import man_page

        today = settings(ctx, None, None, None).clock().today
        sys.stdout.write(man_page(app, __version__, today))
        return
    from callwatch.files.manual import page

    sys.stdout.write(page(topic))
