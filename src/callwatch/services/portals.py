"""The portal readers: one registry for ``callwatch import`` (and ``fetch``).

Each :class:`Portal` names a reader in :mod:`callwatch.importers`; the ``import``
sub-commands are generated from :data:`PORTALS` (``cli/commands/importing.py``), so
a new portal is one importer module and one :func:`register` call here
(docs/contributing.md). The built-in readers are named by ``"module:function"``
(:mod:`~callwatch.services.plugins`): ``callwatch import --help`` reads this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from callwatch.i18n import N_
from callwatch.services.plugins import load

if TYPE_CHECKING:
    from collections.abc import Callable

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
    # (path, **flags) -> Batch: a file downloaded from the portal. Its flags are the
    # portal's own keyword arguments (eu-portal's `tenders`), hence the `...`.
    reader: str | Callable[..., Batch]
    # (records, filename, **flags) -> Batch: records already parsed (a JSON list, as
    # the portal's API returns it), for a command that fetches them.
    records: str | Callable[..., Batch]
    examples: tuple[str, ...] = ()
    flags: tuple[Flag, ...] = ()

    def read(self, source: Path, **flags: bool) -> Batch:
        """The calls (and the skipped records) in a file downloaded from the portal."""
        return load(self.reader)(source, **flags)

    def from_records(self, records: list[Any], filename: str, **flags: bool) -> Batch:
        """The calls (and the skipped records) among *records* read from the portal."""
        return load(self.records)(records, filename, **flags)


PORTALS: dict[str, Portal] = {}


def register(portal: Portal) -> Portal:
    """Add a portal (a new ``callwatch import`` sub-command); its name must be new."""
    if portal.name in PORTALS:
        raise ValueError(f"portal {portal.name!r} is already registered")
    PORTALS[portal.name] = portal
    return portal


register(
    Portal(
        "aides-territoires",
        N_("Import an Aides-territoires CSV export or API JSON (results page or list of aids)."),
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
        N_(
            "Import EU Funding & Tenders records: the bulk file (grantsTenders.json) or search "
            "results."
        ),
        reader="callwatch.importers.eu_portal:read",
        records="callwatch.importers.eu_portal:from_records",
        examples=(
            "callwatch import eu-portal grantsTenders.json -o data/eu.toml",
            "callwatch import eu-portal search-results.json -o data/eu.toml --dry-run",
        ),
        flags=(Flag("tenders", N_("Also import calls for tenders (type 0).")),),
    )
)
