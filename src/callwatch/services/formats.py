"""The export formats: one registry for ``callwatch export --format``.

Every format has one signature (:data:`callwatch.exporters.Writer`: the selected
rounds and a :class:`~callwatch.exporters.Context`, to bytes) and is chosen by
``--format NAME`` or by the output file's extension. A new format is one writer and
one :func:`register` call (docs/contributing.md). Light: ``export --help`` reads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from callwatch.domain.errors import CallwatchError, Exit
from callwatch.i18n import N_
from callwatch.services.plugins import load

if TYPE_CHECKING:
    from callwatch.exporters import Context, Item, Writer

DEFAULT = "ics"


@dataclass(frozen=True)
class Format:
    """One export format: its name (``--format``), the extensions that choose it, its writer."""

    name: str
    help: str
    writer: str | Writer  # the writer, or its "module:function" (kept light for --help)
    extensions: tuple[str, ...] = ()

    def write(self, items: Sequence[Item], ctx: Context) -> bytes:
        """The file's bytes for *items*."""
        return load(self.writer)(items, ctx)


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Add an export format; its name and extensions must be new."""
    taken = {ext for f in FORMATS.values() for ext in f.extensions}
    if fmt.name in FORMATS or taken & set(fmt.extensions):
        raise ValueError(f"export format {fmt.name!r} is already registered")
    FORMATS[fmt.name] = fmt
    return fmt


def choose(name: str | None, output: Path | None) -> Format:
    """The format ``--format`` names, else the one of *output*'s extension, else ics
    (standard output only: a file whose extension names no format is an error)."""
    if name is not None:
        found = FORMATS.get(name.strip().lower())
        if found is None:
            raise CallwatchError(
                "--format: "
                + N_("unknown format {name!r}: expected one of {names}").format(
                    name=name, names=", ".join(FORMATS)
                ),
                Exit.USAGE,
            )
        return found
    if output is None:
        return FORMATS[DEFAULT]
    suffix = output.suffix.lower().lstrip(".")
    for fmt in FORMATS.values():
        if suffix in fmt.extensions:
            return fmt
    known = ", ".join(f".{ext}" for fmt in FORMATS.values() for ext in fmt.extensions)
    raise CallwatchError(
        "--output: "
        + N_("cannot tell the format of {name!r}: name it {known}, or give --format").format(
            name=output.name, known=known
        ),
        Exit.USAGE,
    )


register(Format("ics", N_("iCalendar, with alarms"), "callwatch.exporters.ics:to_ics", ("ics",)))
register(Format("json", "callwatch.export/1", "callwatch.exporters.tabular:to_json", ("json",)))
register(Format("csv", N_("one row per round"), "callwatch.exporters.tabular:to_csv", ("csv",)))
