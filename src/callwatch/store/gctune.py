"""The garbage collector, tuned for a process that runs one command and exits.

A command on thousands of calls builds hundreds of thousands of small objects
that all live until it exits. At its default rhythm (a pass every 700
allocations) the cyclic collector spent a fifth of such a run walking them.
The command line (:func:`callwatch.cli.main`) therefore makes it run a hundred
times less often, and has what is loaded (catalogue indexes, calls) kept out of
its walks (``gc.freeze``). Those objects are still freed by reference counting
when dropped; only a cycle among them would never be collected, which is why a
long-running program that uses callwatch as a library keeps the defaults.
"""

from __future__ import annotations

import gc

_one_command = False


def tune_for_one_command() -> None:
    """Called once, by the command line, before the command runs."""
    global _one_command
    _one_command = True
    gc.set_threshold(70_000, 10, 10)


def settle() -> None:
    """What was just loaded lives until the command ends: keep it out of the collector's
    walks (when the process runs one command; otherwise nothing)."""
    if _one_command:
        gc.freeze()
