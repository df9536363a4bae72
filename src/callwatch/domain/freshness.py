"""How fresh a call's facts are: when they were last seen at their source.

A call copied from an export years ago may have changed or gone; ``list`` and
``show`` mark it rather than pass it off as current. A call a complete fetch no
longer returns is *withdrawn*: :meth:`callwatch.domain.model.Call.state` treats
it as closed, so it leaves ``list``, the digest and ``check``'s ranking.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date

from callwatch.domain.errors import CallwatchError, Exit
from callwatch.domain.model import Call

STALE_ENV = "CALLWATCH_STALE_DAYS"
DEFAULT_STALE_DAYS = 180


def stale_days(environ: Mapping[str, str] | None = None) -> int:
    """Days after which a call's source counts as not checked for long
    (``$CALLWATCH_STALE_DAYS``, default 180)."""
    env = os.environ if environ is None else environ
    text = env.get(STALE_ENV, "").strip()
    if not text:
        return DEFAULT_STALE_DAYS
    try:
        days = int(text)
    except ValueError:
        days = -1
    if days < 0:
        raise CallwatchError(
            f"${STALE_ENV}: expected a whole number of days (0 or more), got {text!r}",
            Exit.USAGE,
        )
    return days


def is_stale(call: Call, today: date, days: int) -> bool:
    """Was *call* last checked at its source more than *days* before *today*?

    A call without ``checked`` (typed by hand) is never stale: nothing says when
    its facts were read.
    """
    return call.checked is not None and (today - call.checked).days > days
