"""Wording of input errors, shared by every loader of a TOML file (calls, projects).

pydantic reports errors for programmers; people editing a TOML file need the
dotted path of the value, what was expected, and what they wrote. The line is
found afterwards with :mod:`callwatch.files.tomlpos`, only when there is an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from callwatch.domain.text import suggest

__all__ = ["EXPECTED", "Lines", "dotted", "explain", "suggest"]

Path = tuple[str | int, ...]


class Lines:
    """Key paths to line numbers, computed only when a problem needs one."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: dict[Path, int] | None = None

    def __call__(self, path: Path) -> int | None:
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
    "date_type": "a TOML date such as 2019-03-15 (without quotes)",
    "date_from_datetime_inexact": "a date without a time (put the time in `time`)",
    "time_type": "a TOML time such as 17:00:00 (without quotes)",
    "bool_type": "true or false",
    "string_type": "a string (in quotes)",
    "list_type": "an array [...]",
    "int_type": "a whole number",
    "dict_type": "a table",
    "model_type": "a table",
    "model_attributes_type": "a table",
    "is_instance_of": "a number",
    "decimal_type": "a number",
}

PATTERNS = {
    "id": "letters, digits, '.', '_', ':' or '-' (at most 120, no spaces)",
    "url": "an http:// or https:// address",
    "currency": "a three-letter ISO 4217 code such as EUR",
}


def explain(err: Any, loc: Path, known_fields: Iterable[str] = ()) -> str:
    """A pydantic error, reworded for someone editing a TOML file."""
    from callwatch.files.callspec import describe_type

    kind = err["type"]
    where = dotted(loc)
    if kind == "extra_forbidden":
        return f"unknown field {where!r}{suggest(str(loc[-1]), known_fields)}"
    if kind == "missing":
        return f"missing required field {where!r}"
    got = describe_type(err.get("input"))
    if kind in EXPECTED:
        return f"{where}: expected {EXPECTED[kind]}, got {got}"
    if kind == "string_pattern_mismatch":
        field_name = str(loc[-1]) if loc else ""
        expected = PATTERNS.get(
            field_name, f"text matching {err.get('ctx', {}).get('pattern', '')}"
        )
        return f"{where}: expected {expected}, got {got}"
    if kind == "literal_error":
        return f"{where}: expected {err.get('ctx', {}).get('expected', '')}, got {got}"
    if kind == "string_too_short":
        return f"{where}: must not be empty"
    if kind == "value_error":
        message = str(err.get("msg", "")).removeprefix("Value error, ")
        return f"{where}: {message}"
    message = str(err.get("msg", "invalid value"))
    return f"{where}: {message[0].lower()}{message[1:]}, got {got}"
