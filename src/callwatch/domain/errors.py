"""Exit codes and the one error type the CLI turns into a one-line message.

Kept free of heavy imports: the CLI imports it at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path


class Exit(IntEnum):
    """Documented exit codes (docs/cli.md). Stable: scripts depend on them."""

    OK = 0
    PROBLEM = 1  # validate found errors; check found the project not eligible
    USAGE = 2  # bad option, argument, or missing file
    INCOMPLETE = 3  # check --call: eligibility cannot be decided yet
    GENERAL_ONLY = 4  # check --call: the call encodes no criteria; its general conditions hold
    DATA = 65  # a calls or project file could not be read or is invalid (EX_DATAERR)
    CANTCREAT = 73  # an output file could not be created or written (EX_CANTCREAT)
    TEMPFAIL = 75  # digest: temporary failure, retried on the next run (EX_TEMPFAIL)
    CONFIG = 78  # digest: bad configuration (EX_CONFIG)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input file, located as precisely as the format allows."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"


class CallwatchError(Exception):
    """An expected failure: printed as one line on stderr, never as a traceback."""

    def __init__(
        self,
        message: str,
        code: Exit = Exit.USAGE,
        *,
        file: str | Path | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.file = None if file is None else str(file)
        self.line = line

    def __str__(self) -> str:
        if self.file is None:
            return self.message
        return str(Problem(self.file, self.line, self.message))


class DataError(CallwatchError):
    """Input files that could not be loaded; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0] if problems else Problem("?", None, "invalid data")
        super().__init__(first.message, Exit.DATA, file=first.file, line=first.line)
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
