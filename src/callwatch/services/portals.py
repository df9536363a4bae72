"""The portal readers: one registry for ``callwatch import`` (and ``fetch``).

Each :class:`Portal` names a reader in :mod:`callwatch.importers`; the ``import``
sub-commands are generated from :data:`PORTALS` (``cli/commands/importing.py``), so
a new portal is one importer module and one :func:`register` call here
(docs/contributing.md). The readers are named by ``"module:function"`` and imported
only when used: this module stays light because ``callwatch import --help`` reads it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from callwatch.importers import Batch


@dataclass(frozen=True)
class Flag:
    """A yes/no option of one portal: ``--NAME`` on the command, ``NAME=True`` to its reader."""

    name: str
    help: str


@dataclass(frozen=True)
class Portal:
    """One portal: its name (the sub-command), its help line and its readers."""

    name: str
    help: str
    # "module:function", (path, **flags) -> Batch: a file downloaded from the portal.
    reader: str
    # "module:function", (records, filename, **flags) -> Batch: records already parsed
    # (a JSON list, as a portal's API returns it), for a command that fetches them.
    records: str
    examples: tuple[str, ...] = ()
    flags: tuple[Flag, ...] = ()

    def read(self, source: Path, **flags: bool) -> Batch:
        """The calls (and the skipped records) in a file downloaded from the portal."""
        read = cast("Callable[..., Batch]", _load(self.reader))
        return read(source, **flags)

    def from_records(self, records: list[Any], filename: str, **flags: bool) -> Batch:
        """The calls (and the skipped records) among *records* read from the portal."""
        convert = cast("Callable[..., Batch]", _load(self.records))
        return convert(records, filename, **flags)


PORTALS: dict[str, Portal] = {}


def register(portal: Portal) -> Portal:
    """Add a portal (a new ``callwatch import`` sub-command); its name must be new."""
    if portal.name in PORTALS:
        raise ValueError(f"portal {portal.name!r} is already registered")
    PORTALS[portal.name] = portal
    return portal


def _load(target: str) -> object:
    module, _, function = target.partition(":")
    return getattr(importlib.import_module(module), function)


register(
    Portal(
        "aides-territoires",
        "Import an Aides-territoires CSV export or API JSON (results page or list of aids).",
        reader="callwatch.importers.aides_territoires:read",
        records="callwatch.importers.aides_territoires:from_records",
        examples=(
            "callwatch import aides-territoires export.csv -o data/aides.toml",
            "callwatch import aides-territoires aids.json -o data/aides.toml   (API JSON)",
            "callwatch import aides-territoires export.csv --dry-run -o data/aides.toml --json",
        ),
    )
)
register(
    Portal(
        "eu-portal",
        "Import EU Funding & Tenders records: the bulk file (grantsTenders.json) or search "
        "results.",
        reader="callwatch.importers.eu_portal:read",
        records="callwatch.importers.eu_portal:from_records",
        examples=(
            "callwatch import eu-portal grantsTenders.json -o data/eu.toml",
            "callwatch import eu-portal search-results.json -o data/eu.toml --dry-run",
        ),
        flags=(Flag("tenders", "Also import calls for tenders (type 0)."),),
    )
)
