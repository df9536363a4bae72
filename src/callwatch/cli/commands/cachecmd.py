"""``callwatch cache``: where the validated-data cache lives, and emptying it."""

from __future__ import annotations

from callwatch.cli.app import command_app
from callwatch.i18n import _

cli = command_app(
    name="cache",
    help=_("The cache of validated calls files (it only makes commands faster)."),
    no_args_is_help=True,
    epilog=_("""\b
Examples:
  callwatch cache path       where the entries are (or "off")
  callwatch cache clear      remove every entry; the next command rebuilds them
  CALLWATCH_CACHE=off callwatch list   run without the cache
"""),
)


@cli.command(
    "path",
    epilog=_("""\b
Examples:
  callwatch cache path                   ~/.cache/callwatch/calls, or "off"
  du -sh "$(callwatch cache path)"       how much room it takes
"""),
    help=_('Print the cache directory ("off" when CALLWATCH_CACHE=off).'),
)
def cache_path() -> None:
    """Print the cache directory ("off" when CALLWATCH_CACHE=off)."""
    from callwatch.services.cachecmd import show_path

    show_path()


@cli.command(
    "clear",
    epilog=_("""\b
Examples:
  callwatch cache clear                  the next command rebuilds what it needs
"""),
    help=_("Remove every cache entry. Safe at any time: entries are rebuilt when needed."),
)
def cache_clear() -> None:
    """Remove every cache entry. Safe at any time: entries are rebuilt when needed."""
    from callwatch.services.cachecmd import clear

    clear()
