"""The collector is tuned only for a process that runs one command: a program using
callwatch as a library keeps Python's defaults."""

from __future__ import annotations

import gc
import subprocess
import sys

from callwatch.files.loading import load_catalog

PROBE = """
import gc, sys
default = gc.get_threshold()
from callwatch.store import gctune
from callwatch.files.loading import load_catalog
if sys.argv[1] == "command":
    gctune.tune_for_one_command()
before = gc.get_freeze_count()
catalog = load_catalog(None)
calls = catalog.calls
print(gc.get_threshold() != default, gc.get_freeze_count() > before, len(calls))
"""


def probe(mode: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_a_library_user_keeps_the_collector_as_it_was() -> None:
    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    assert load_catalog(None).calls
    assert (gc.get_threshold(), gc.get_freeze_count()) == (threshold, frozen)
    assert probe("library") == "False False 113"  # the shipped calls


def test_the_command_line_runs_the_collector_less_and_keeps_loaded_calls_out() -> None:
    assert probe("command") == "True True 113"  # the shipped calls
