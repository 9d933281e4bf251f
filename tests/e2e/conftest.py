"""End-to-end fixtures: a private Prefect home so runs never touch the user's own."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

NEWSCLEAN = str(Path(sys.executable).with_name("newsclean"))


def interruptible(command: list[str]) -> list[str]:
    """The command, run with Ctrl-C's signal (SIGINT) at its default. A test suite started in the
    background of a script (`cmd &`, a CI runner's job) hands SIGINT on ignored, and a process
    that ignores it cannot be interrupted: the tests that press Ctrl-C would test nothing."""
    reset = "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])"
    return [sys.executable, "-c", reset, *command]


@pytest.fixture(scope="session")
def prefect_env(tmp_path_factory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("prefect-home")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(
        PREFECT_HOME=str(home),
        XDG_STATE_HOME=str(home / "state"),  # newsclean's own logs, never the user's
        DO_NOT_TRACK="1",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="120",
    )
    yield env
    shutil.rmtree(home, ignore_errors=True)
