"""The rows of ``callwatch check``'s table: computed, or read back per calls file.

The table shows, for each call, the verdict, the first failed rule or the number
of questions, and the aid. Those rows are a pure function of the calls file's
validated calls, the project, the filing day (today unless the project sets
one), the language and callwatch's own code. Like a linter's cache (ruff, black),
they are kept per calls file under a key made of all of these
(:mod:`callwatch.store.cache`): checking an unchanged project against unchanged data
again reads them back instead of building and evaluating every call, and when
one file changes only that file's calls are evaluated again. A changed project,
day or language evaluates everything. ``check --call`` and ``check --json``
always evaluate: they show every explanation.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from callwatch.domain.criteria import Compare, Tri
from callwatch.domain.territories import team_fingerprint
from callwatch.output.checkviews import aid_text, verdict_key, why_text
from callwatch.rules import engine
from callwatch.rules.engine import order
from callwatch.rules.phrases import Say
from callwatch.store import cache
from callwatch.store.datacodec import Codec

if TYPE_CHECKING:
    from callwatch.domain.clock import Clock
    from callwatch.domain.model import Call
    from callwatch.domain.project import Project
    from callwatch.files.loading import Catalog, FileResult
    from callwatch.rules.engine import Verdict

KIND = "ranking"
FORMAT = 2  # bump when a row changes shape (2: the verdict key, "general_only")


class Row(NamedTuple):
    """One line of the table, and where it ranks."""

    id: str
    title: str
    status: Tri
    why: str  # the first failed rule (+ how many others), or the questions left
    aid: str  # the estimated aid, or "—"
    group: int  # 0 eligible, 1 incomplete, 2 not eligible
    order: float  # eligible: closing instant; incomplete: questions; not eligible: rules failed
    verdict: str = "eligible"  # eligible | general_only | incomplete | not_eligible


def row_of(v: Verdict, say: Say) -> Row:
    """What the table shows of a verdict (its words: :mod:`callwatch.output.checkviews`)."""
    group, value = order(v)
    return Row(
        v.call.id,
        v.call.title,
        v.status,
        why_text(v, say),
        aid_text(v, say),
        group,
        value,
        verdict_key(v),
    )


def asked(calls: Sequence[Call]) -> set[str]:
    """The ``[answers]`` keys the criteria of *calls* ask for (manual criteria by their
    id, comparisons by their path)."""
    out: set[str] = set()
    for call in calls:
        for c in call.criteria:
            out.add(c.id)
            if isinstance(c.check, Compare) and c.check.path.startswith("answers."):
                out.add(c.check.path.split(".", 1)[1])
    return out


def rank(rows: list[Row]) -> list[Row]:
    """The rows in :func:`callwatch.rules.engine.order`, as ``rank`` orders verdicts."""
    return sorted(rows, key=lambda r: (r.group, r.order, r.id))


def table_rows(
    catalog: Catalog,
    project: Project,
    project_file: Path,
    project_stamp: dict[str, Any] | None,
    clock: Clock,
    lang: str,
) -> tuple[list[Row], set[str]]:
    """Every call's row, ranked, and the answer keys the calls ask for: each calls
    file's part from the cache when nothing it depends on changed.

    Each part is filed under the stamps its calls file and the project had when
    they were read (:func:`callwatch.store.cache.stamp`), not under what they are now: a
    file edited meanwhile never gets rows computed from its former content.
    """
    say = Say(lang)
    kind = f"{KIND}\0{project_file.resolve()}"
    depends = {
        "format": FORMAT,
        "project": project_stamp,
        "day": (project.submission or clock.today).isoformat(),  # the only use of the clock
        "lang": lang,
        "teams": team_fingerprint(),  # a call may name a team territory defined elsewhere
    }
    rows: list[Row] = []
    keys: set[str] = set()
    for path, (result, positions) in zip(catalog.files, catalog.parts, strict=True):
        extra = {**depends, "positions": _digest(result, positions)}
        cacheable = project_stamp is not None and result.stamp is not None
        cached = cache.load_value(path, kind, _CODEC, extra, result.stamp) if cacheable else None
        if _well_formed(cached):
            part, part_keys = cast("tuple[list[Row], set[str]]", cached)
        else:
            # a call its source withdrew is kept in the file, not ranked
            calls = [c for c in (result.call(i) for i in positions) if c.withdrawn is None]
            part = [row_of(v, say) for v in engine.evaluate_all(calls, project, clock, lang)]
            part_keys = asked(calls)
            if cacheable:
                cache.store_value(path, kind, (part, part_keys), _CODEC, extra, result.stamp)
        rows.extend(part)
        keys |= part_keys
    return rank(rows), keys


_CODEC = Codec([Row])  # a row holds text, numbers and a Tri (True, False, None): data only


def _digest(result: FileResult, positions: Sequence[int]) -> str:
    """Which of the file's calls count (a duplicate id in an earlier file drops one)."""
    if isinstance(positions, range) and positions == range(len(result.index)):
        return "all"
    return f"{len(positions)}:{zlib.crc32(array('I', positions).tobytes())}"


def _well_formed(value: object) -> bool:
    return (
        type(value) is tuple
        and len(value) == 2
        and type(value[0]) is list
        and all(type(r) is Row for r in value[0])
        and type(value[1]) is set
    )
