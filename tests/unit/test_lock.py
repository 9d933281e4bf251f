"""One run at a time in a clean folder: a second run is told who holds it, a dead run's lock is taken over."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from flows.io import RunSetupError
from flows.lock import FolderBusyError, FolderLock
from tests.conftest import REPO

HOLD = (
    "import sys, time; from pathlib import Path; from flows.lock import FolderLock\n"
    "with FolderLock(Path(sys.argv[1]), 'nightly-run'):\n"
    "    print('locked', flush=True); time.sleep(float(sys.argv[2]))\n"
)


def holder(clean, seconds: float) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(clean), str(seconds)], stdout=subprocess.PIPE, text=True, cwd=REPO
    )
    assert process.stdout.readline().strip() == "locked"
    return process


def test_a_second_run_is_refused_with_the_run_that_holds_the_folder(tmp_path):
    process = holder(tmp_path, 60)
    try:
        busy = pytest.raises(FolderBusyError, match=r"in use by run nightly-run \(process \d+ on .*, since ")
        with busy, FolderLock(tmp_path, "on-demand-run"):
            pass
    finally:
        process.kill()
        process.wait()


def test_a_second_run_told_to_wait_gets_the_folder_when_the_first_ends(tmp_path):
    process = holder(tmp_path, 1)
    with pytest.raises(FolderBusyError):
        FolderLock(tmp_path, "impatient-run").__enter__()
    with FolderLock(tmp_path, "on-demand-run", wait_seconds=60) as lock:
        assert "on-demand-run" in lock.holder()
    process.wait()


def test_the_lock_of_a_killed_run_is_taken_over_at_once(tmp_path):
    process = holder(tmp_path, 60)
    process.send_signal(signal.SIGKILL)
    process.wait()
    started = time.monotonic()
    with FolderLock(tmp_path, "next-run") as lock:
        assert "next-run" in lock.holder()
    assert time.monotonic() - started < 30  # no waiting for a timeout: the kernel released it


def test_a_clean_folder_that_cannot_be_written_is_one_clear_error(tmp_path):
    (tmp_path / "_state").write_text("a file where the state folder goes")
    with pytest.raises(RunSetupError, match="cannot write to the clean folder"), FolderLock(tmp_path, "run"):
        pass
