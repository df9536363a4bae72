"""``callwatch import PORTAL``: one sub-command per portal of :data:`PORTALS`.

The sub-commands are generated from the registry (``services/portals.py``): each has
the options every import shares, plus its portal's yes/no flags.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Annotated, Any

import typer

from callwatch.cli.app import DataOpt, JsonOpt, command_app, settings
from callwatch.i18n import _
from callwatch.services.portals import PORTALS, Portal

cli = command_app(
    name="import",
    help=_("Import calls from public portals into a calls file (callwatch docs import)."),
    epilog=_("""\b
Examples:
  callwatch import aides-territoires export.csv -o data/aides.toml
  callwatch import eu-portal grantsTenders.json -o data/eu.toml
"""),
    no_args_is_help=True,
)

SourceArg = Annotated[
    Path, typer.Argument(metavar="FILE", help=_("The file downloaded from the portal."))
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="CALLS.toml",
        help=_(
            "Merge into this calls file (created if missing). Default: print the new "
            "calls as TOML on standard output."
        ),
    ),
]
DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", "-n", help=_("Report what would change; write nothing."))
]
VerboseOpt = Annotated[
    bool,
    typer.Option(
        "--verbose", "-v", help=_("Every detail line of the report (default: the first 20).")
    ),
]

_STATUS = _("""\b
Exit status: 0 imported (skipped records are listed, with their reasons);
2 bad option, unreadable FILE, or FILE or CALLS.toml not a regular file;
65 FILE or CALLS.toml is not in the expected format; 73 CALLS.toml cannot be written.
""")


def _command(portal: Portal) -> None:
    """Register ``callwatch import NAME``: the shared options, then the portal's flags."""

    def command(ctx: typer.Context, **options: Any) -> None:
        from callwatch.services.importing import import_calls

        import_calls(
            settings(ctx, None, options.pop("data"), None),
            portal.name,
            options.pop("source"),
            options.pop("output"),
            dry_run=options.pop("dry_run"),
            as_json=options.pop("as_json"),
            verbose=options.pop("verbose"),
            flags=options,
        )

    def param(name: str, annotation: object, default: object = inspect.Parameter.empty) -> Any:
        return inspect.Parameter(
            name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
        )

    flags = [
        param(f.name, Annotated[bool, typer.Option(f"--{f.name}", help=_(f.help))], False)
        for f in portal.flags
    ]
    command.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(
                "ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context
            ),
            param("source", SourceArg),
            param("output", OutputOpt, None),
            *flags,
            param("dry_run", DryRunOpt, False),
            param("as_json", JsonOpt, False),
            param("verbose", VerboseOpt, False),
            param("data", DataOpt, None),
        ]
    )
    examples = "".join(f"  {line}\n" for line in portal.examples)
    epilog = "\b\n" + _("Examples:") + f"\n{examples}" + _STATUS
    cli.command(portal.name, help=_(portal.help), epilog=epilog)(command)


for _portal in PORTALS.values():
    _command(_portal)
