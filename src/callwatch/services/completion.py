"""Shell completion's answers: call ids, territory and beneficiary codes from the data in use.

Asked on every Tab press, so it must answer in a blink: call ids and codes are
read from the loaded files' index entries (the cache keeps them: no call is built,
no pydantic, no pycountry), and the answer is only what starts with the word typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from callwatch.domain.codes import BENEFICIARIES
from callwatch.domain.model import INDEX
from callwatch.files.loading import load_catalog


def _index(paths: Sequence[Path] | None) -> Iterable[tuple[Any, ...]]:
    catalog = load_catalog(paths)
    for result, i in catalog.members():
        yield result.index[i]


def _starting(values: Iterable[str], incomplete: str) -> list[str]:
    """Case matters: typer keeps only the answers that start with the word as typed."""
    return sorted(v for v in set(values) if v.startswith(incomplete))


def call_ids(paths: Sequence[Path] | None, incomplete: str) -> list[str]:
    """The ids of the calls in use that start with *incomplete*."""
    return _starting((str(entry[INDEX.id]) for entry in _index(paths)), incomplete)


def territory_codes(
    paths: Sequence[Path] | None, incomplete: str, extra: Iterable[str] = ()
) -> list[str]:
    """Territory codes the calls in use name (and *extra*: the team's default)."""
    codes = [str(code) for entry in _index(paths) for code in entry[INDEX.territory] or ()]
    return _starting([*codes, *extra], incomplete)


def beneficiary_codes(incomplete: str, lang: str) -> list[tuple[str, str]]:
    """Every beneficiary code, with its label in the user's language as the shell's hint."""
    position = 0 if lang == "fr" else 1
    return [
        (code, labels[position])
        for code, labels in BENEFICIARIES.items()
        if code.startswith(incomplete)
    ]
