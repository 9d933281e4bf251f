"""Progress of a run, reported to the CLI's bar as it goes: first the sources read for the corpus
statistics, then the documents cleaned (each a phase with its own count).

Units running in this process (the threads runner) count each document as it ends; units on a Dask
worker run in other processes, so their documents count when the flow receives the unit's result.
Either way a unit's count is settled to its result's when it finishes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

ProgressListener = Callable[[int, int, str], None]
CLEANING = "documents"
GATHERING = "sources read for the corpus statistics"

_listener: ProgressListener | None = None
_lock = threading.Lock()
_total = 0
_phase = CLEANING
_per_unit: dict[int, int] = {}


def set_listener(listener: ProgressListener | None) -> None:
    """Called with (done, to do, what is counted) as documents end; None to stop."""
    global _listener
    _listener = listener


def start(total: int, phase: str = CLEANING) -> None:
    """A phase begins with `total` to do: documents to clean (a shard's records each count), or
    sources to read for the statistics."""
    global _total, _phase
    with _lock:
        _total = total
        _phase = phase
        _per_unit.clear()
    _notify()


def advance(unit: int) -> None:
    """One more document of `unit` ended: cleaned, rejected or found unchanged."""
    with _lock:
        _per_unit[unit] = _per_unit.get(unit, 0) + 1
    _notify()


def finish_unit(unit: int, documents: int) -> None:
    """`unit` ended with `documents` documents, counted or not as they went."""
    with _lock:
        _per_unit[unit] = documents
    _notify()


def _notify() -> None:
    if _listener is None:
        return
    with _lock:
        done = sum(_per_unit.values())
        total = max(_total, done)
        phase = _phase
    _listener(done, total, phase)
