"""Wording of input errors, shared by every loader of a TOML file (calls, projects).

pydantic reports errors for programmers; people editing a TOML file need the
dotted path of the value, what was expected, and what they wrote. The line is
found afterwards with :mod:`callwatch.files.tomlpos`, only when there is an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from callwatch.domain.text import suggest
from callwatch.i18n import N_

__all__ = ["EXPECTED", "Lines", "dotted", "explain", "suggest"]

Path = tuple[str | int, ...]


class Lines:
    """Key paths to line numbers, computed only when a problem needs one."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: dict[Path, int] | None = None

    def __call__(self, path: Path) -> int | None:
        # lazy: TOML positions only for a file with a problem (a warm cache has none)
        from callwatch.files.tomlpos import key_lines, line_of

        if self._lines is None:
            self._lines = key_lines(self.text)
        return line_of(self._lines, path)


def dotted(loc: Path) -> str:
    """``("deadlines", 1, "date")`` → ``deadlines[1].date``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(call)"


EXPECTED = {
    "date_type": N_("a TOML date such as 2019-03-15 (without quotes)"),
    "date_from_datetime_inexact": N_("a date without a time (put the time in `time`)"),
    "time_type": N_("a TOML time such as 17:00:00 (without quotes)"),
    "bool_type": N_("true or false"),
    "string_type": N_("a string (in quotes)"),
    "list_type": N_("an array [...]"),
    "int_type": N_("a whole number"),
    "dict_type": N_("a table"),
    "model_type": N_("a table"),
    "model_attributes_type": N_("a table"),
    "is_instance_of": N_("a number"),
    "decimal_type": N_("a number"),
    # pydantic's parsing errors: the same words as the type errors above
    "int_parsing": N_("a whole number"),
    "int_from_float": N_("a whole number"),
    "float_type": N_("a number"),
    "float_parsing": N_("a number"),
    "decimal_parsing": N_("a number"),
    "bool_parsing": N_("true or false"),
    "date_parsing": N_("a TOML date such as 2019-03-15 (without quotes)"),
    "date_from_datetime_parsing": N_("a TOML date such as 2019-03-15 (without quotes)"),
    "time_parsing": N_("a TOML time such as 17:00:00 (without quotes)"),
}

# pydantic's constraint errors, worded from their type and ``ctx`` (pydantic's own
# texts are English only): the bound is a value of the message, the words are ours.
BOUNDS = {
    "greater_than": (N_("a number above {limit}"), "gt"),
    "greater_than_equal": (N_("a number of at least {limit}"), "ge"),
    "less_than": (N_("a number below {limit}"), "lt"),
    "less_than_equal": (N_("a number at most {limit}"), "le"),
    "multiple_of": (N_("a multiple of {limit}"), "multiple_of"),
    "decimal_max_places": (N_("a number with at most {limit} decimal places"), "decimal_places"),
    "decimal_max_digits": (N_("a number with at most {limit} digits"), "max_digits"),
}
# Counted constraints: (the ctx key, the words for one, the words for more). Worded in
# English now and translated where shown, so the plural is chosen here, by the count.
COUNTS = {
    "string_too_long": (
        "max_length",
        N_("a text of at most one character"),
        N_("a text of at most {n} characters"),
    ),
    "too_short": ("min_length", N_("at least one item"), N_("at least {n} items")),
    "too_long": ("max_length", N_("at most one item"), N_("at most {n} items")),
}

PATTERNS = {
    "id": N_("letters, digits, '.', '_', ':' or '-' (at most 120, no spaces)"),
    "currency": N_("a three-letter ISO 4217 code such as EUR"),
}
# Link fields (callspec's ``Link``): their own sentence, so that French agrees
# "une adresse … attendue" (the general one says "… attendu").
LINKS = frozenset({"url", "application_url"})


def explain(err: Any, loc: Path, known_fields: Iterable[str] = ()) -> str:
    """A pydantic error, reworded for someone editing a TOML file."""
    # lazy: pydantic (the calls schema) only to explain a problem
    from callwatch.files.callspec import describe_type

    kind = err["type"]
    where = dotted(loc)
    if kind == "extra_forbidden":
        hint = suggest(str(loc[-1]), known_fields)
        return N_("unknown field {where!r}{hint}").format(where=where, hint=hint)
    if kind == "missing":
        return N_("missing required field {where!r}").format(where=where)
    got = describe_type(err.get("input"))
    if kind in EXPECTED:
        return _expected(where, EXPECTED[kind], got)
    if kind == "string_pattern_mismatch":
        field_name = str(loc[-1]) if loc else ""
        if field_name in LINKS:
            return N_("{where}: expected an http:// or https:// address, got {got}").format(
                where=where, got=got
            )
        pattern = err.get("ctx", {}).get("pattern", "")
        expected = PATTERNS.get(field_name) or N_("text matching {pattern}").format(pattern=pattern)
        return _expected(where, expected, got)
    ctx = err.get("ctx") or {}
    if kind in BOUNDS:
        template, key = BOUNDS[kind]
        expected = template.format(limit=ctx.get(key, "?"))
        return _expected(where, expected, got) + fraction_hint(loc, err)
    if kind in COUNTS:
        key, one, many = COUNTS[kind]
        count, actual = ctx.get(key, 0), ctx.get("actual_length")
        got = got if actual is None else str(actual)  # "got 5001", not "got an array"
        return _expected(where, one if count == 1 else many.format(n=count), got)
    if kind in ("literal_error", "enum"):
        return _expected(where, one_of(str(ctx.get("expected", ""))), got)
    if kind == "string_too_short":
        return N_("{where}: must not be empty").format(where=where)
    if kind == "value_error":
        message = str(err.get("msg", "")).removeprefix("Value error, ")
        return f"{where}: {message}"
    message = str(err.get("msg") or "invalid value")  # a type of pydantic's not worded above
    return N_("{where}: {message}, got {got}").format(
        where=where, message=message[0].lower() + message[1:], got=got
    )


def one_of(expected: str) -> str:
    """pydantic's ``'a', 'b' or 'c'`` (its "or" is English) as ``one of 'a', 'b', 'c'``."""
    values = re.split(r",\s+|\s+or\s+(?=')", expected)
    if len(values) < 2:
        return expected
    return N_("one of {values}").format(values=", ".join(values))


def fraction_hint(loc: Path, err: Any) -> str:
    """Rates and shares are fractions (at most 1), in calls and projects alike.

    From 2 to 100 the value is surely a percentage: ``rate = 60`` gets `` (a fraction:
    0.6 for 60 %)``. Between 1 and 2 it is not (an aid rate of 1.5 % is not a thing
    people write) and above 100 it cannot be, so those get the rule alone, `` (a
    fraction: 1 is 100 %)``, right whatever was meant.
    """
    value = err.get("input")
    if not loc or loc[-1] not in ("rate", "share") or isinstance(value, bool):
        return ""
    if not isinstance(value, int | float) or value <= 1:
        return ""
    if 2 <= value <= 100:
        return N_(" (a fraction: {fraction} for {percent} %)").format(
            fraction=f"{value / 100:g}", percent=f"{value:g}"
        )
    return N_(" (a fraction: 1 is 100 %)")


_FRENCH_DATE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")


def toml_hint(text: str, line: int | None, message: str) -> tuple[int | None, str]:
    """A hint for the usual TOML slips, and the line it is on:

    - a French date ``15/01/2027`` → write ``2027-01-15``, without quotes;
    - a missing comma between two items of an array or inline table, which the
      parser reports on the next item: the line that lacks it. Only inside an array
      or inline table: outside one, a line opening with ``[`` is a table header
      (``[[calls]`` lacks a bracket, not a comma) and commas have no place.
    """
    if line is None:
        return line, ""
    rows = text.splitlines()
    here = rows[line - 1] if 0 < line <= len(rows) else ""
    date = _FRENCH_DATE.search(here)
    if date:
        day, month, year = date.groups()
        iso = f"{year}-{int(month):02d}-{int(day):02d}"
        return line, N_(" (dates are written YYYY-MM-DD, without quotes: {iso})").format(iso=iso)
    if ("unclosed" in message.lower() or "expected" in message.lower()) and _inside_brackets(
        rows[: line - 1]
    ):
        before = line - 1
        while before > 0 and not rows[before - 1].split("#")[0].strip():
            before -= 1
        previous = rows[before - 1].split("#")[0].strip() if before > 0 else ""
        starts_item = here.strip()[:1] in ("{", '"', "'", "[") or here.strip()[:1].isdigit()
        if previous and starts_item and not previous.endswith((",", "[", "{", "=")):
            return before, N_(" (a comma is missing at the end of this line)")
    return line, ""


# TOML strings, so that brackets and "#" inside them are not counted: multi-line basic,
# multi-line literal, basic (with its escapes), literal.
_STRINGS = re.compile(
    "|".join((r'"""(?:[^\\]|\\.)*?"""', r"'''.*?'''", r'"(?:[^"\\\n]|\\.)*"', r"'[^'\n]*'")),
    re.S,
)


def _inside_brackets(rows: list[str]) -> bool:
    """Do *rows* leave an array or inline table open? (strings and comments aside)"""
    code = _STRINGS.sub('""', "\n".join(rows))
    depth = 0
    for row in code.split("\n"):
        for char in row.split("#", 1)[0]:
            if char in "[{":
                depth += 1
            elif char in "]}":
                depth = max(depth - 1, 0)
    return depth > 0


def _expected(where: str, expected: str, got: str) -> str:
    """``deadlines[0].date: expected a TOML date…, got the string '15/01/2027'`` (the
    words are translated where they are shown: :func:`callwatch.i18n.localize`)."""
    return N_("{where}: expected {expected}, got {got}").format(
        where=where, expected=expected, got=got
    )
