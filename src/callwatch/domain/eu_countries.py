"""Member States and Horizon Europe Associated Countries, from one sourced data file.

The lists are data (``eu_countries.toml`` beside this module), so that the
Commission's next "List of Participating Countries in Horizon Europe" replaces
one file and no code. A country the list names as negotiating or under a
transitional arrangement has an unknown status (None), never a guessed one.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

MEMBER_STATE = "member_state"
ASSOCIATED = "associated_country"
ASSOCIATED_PILLAR_2 = "associated_pillar_2"
THIRD_COUNTRY = "third_country"
STATUSES = (MEMBER_STATE, ASSOCIATED, ASSOCIATED_PILLAR_2, THIRD_COUNTRY)


@dataclass(frozen=True, slots=True)
class CountryLists:
    """The lists, with where they come from."""

    member_states: frozenset[str]
    associated: frozenset[str]
    pillar_2: frozenset[str]
    pending: frozenset[str]
    as_of: date
    title: str
    version: str
    sources: tuple[str, ...]

    def status(self, country: str | None) -> str | None:
        """A country's status for Horizon Europe, or None when unknown (no country, or
        one the list names as pending)."""
        if country is None or country in self.pending:
            return None
        if country in self.member_states:
            return MEMBER_STATE
        if country in self.associated:
            return ASSOCIATED
        if country in self.pillar_2:
            return ASSOCIATED_PILLAR_2
        return THIRD_COUNTRY


@lru_cache(maxsize=1)
def lists() -> CountryLists:
    """The shipped lists, read once."""
    text = resources.files("callwatch.domain").joinpath("eu_countries.toml").read_text("utf-8")
    data = tomllib.loads(text)
    members, assoc = data["member_states"], data["associated"]
    return CountryLists(
        member_states=frozenset(members["codes"]),
        associated=frozenset(assoc["whole_programme"]),
        pillar_2=frozenset(assoc["pillar_2"]),
        pending=frozenset(assoc["pending"]),
        as_of=assoc["as_of"],
        title=assoc["title"],
        version=assoc["version"],
        sources=tuple(assoc["sources"]),
    )


def horizon_status(country: str | None) -> str | None:
    """:meth:`CountryLists.status` on the shipped lists."""
    return lists().status(country)
