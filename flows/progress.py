"""A hook through which a flow running in this process reports progress to the CLI's bar."""

from __future__ import annotations

from collections.abc import Callable

ProgressListener = Callable[[int, int], None]

_listener: ProgressListener | None = None


def set_listener(listener: ProgressListener | None) -> None:
    """Called with (documents done, documents in all) after every batch; None to stop."""
    global _listener
    _listener = listener


def report(done: int, total: int) -> None:
    if _listener is not None:
        _listener(done, total)
