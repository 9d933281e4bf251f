"""One run at a time in a clean folder: an exclusive lock held for the whole run.

The lock is `flock` on `_state/run.lock`. The kernel releases it when its holder exits or is
killed, so the lock of a dead run is never stale: the next run takes it over at once. The file
names the holder (run id, process, host, start time) so that a second run can say who is in the way.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import time
from datetime import UTC, datetime
from pathlib import Path

from .io import RunSetupError
from .state import STATE_FOLDER

LOCK_FILE = "run.lock"


class FolderBusyError(RunSetupError):
    """Another run holds the clean folder."""


class FolderLock:
    """`with FolderLock(clean_dir, run_id, wait_seconds):` holds the folder's lock, or raises
    FolderBusyError naming the run that holds it once `wait_seconds` have passed."""

    def __init__(self, clean_dir: Path, run_id: str, wait_seconds: float = 0) -> None:
        self.path = clean_dir / STATE_FOLDER / LOCK_FILE
        self.clean_dir = clean_dir
        self.run_id = run_id
        self.wait_seconds = wait_seconds
        self._fd: int | None = None

    def __enter__(self) -> FolderLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise RunSetupError(f"cannot write to the clean folder {self.clean_dir}: {exc.strerror or exc}") from None
        deadline = time.monotonic() + max(0.0, self.wait_seconds)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = self.holder()
                    os.close(fd)
                    raise FolderBusyError(
                        f"the clean folder {self.clean_dir} is in use by {holder}; "
                        "wait for that run to end, or pass --wait SECONDS"
                    ) from None
                time.sleep(0.5)
        self._fd = fd
        record = {
            "run_id": self.run_id,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(record) + "\n").encode("utf-8"), 0)
        return self

    def holder(self) -> str:
        """Who holds the lock, as the holder wrote it."""
        try:
            record = json.loads(self.path.read_text(encoding="utf-8"))
            return f"run {record['run_id']} (process {record['pid']} on {record['host']}, since {record['since']})"
        except (OSError, ValueError, KeyError, TypeError):
            return "another run"

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)
            os.close(self._fd)  # closing the descriptor releases the lock
            self._fd = None
