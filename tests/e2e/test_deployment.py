"""The deployments for real: `newsclean serve` starts a Prefect server on 127.0.0.1 and a worker,
deploys prefect.yaml, and `prefect deployment run` cleans a folder through them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from flows.serve import free_port
from tests.e2e.conftest import NEWSCLEAN

pytestmark = pytest.mark.e2e
PREFECT = str(Path(sys.executable).with_name("prefect"))


def wait_for(path: Path, text: str, process: subprocess.Popen, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        content = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
        if text in content:
            return content
        if process.poll() is not None:
            raise AssertionError(f"serve exited with {process.returncode}:\n{content}")
        time.sleep(0.5)
    raise AssertionError(f"no {text!r} within {timeout} s:\n{content}")


def server_answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2):
            return True
    except OSError:
        return False


def test_serve_deploy_and_run_on_demand(prefect_env, shared, tmp_path):
    raw, nightly_out, out = tmp_path / "raw", tmp_path / "nightly", tmp_path / "on-demand"
    raw.mkdir()
    for seed in (shared / "seeds").glob("*.txt"):
        (raw / seed.name).write_bytes(seed.read_bytes())
    port = free_port()
    env = {**prefect_env, "PREFECT_WORKER_QUERY_SECONDS": "1"}
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        serve = subprocess.Popen(
            [NEWSCLEAN, "serve", "--port", str(port), "--raw", str(raw), "--out", str(nightly_out)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=Path(__file__).resolve().parents[2],
        )
    try:
        wait_for(log, "newsclean serve: ready", serve, timeout=240)
        api = {**env, "PREFECT_API_URL": f"http://127.0.0.1:{port}/api"}
        nightly = subprocess.run(
            [PREFECT, "deployment", "inspect", "clean-articles/nightly"],
            env=api,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert nightly.returncode == 0, nightly.stderr
        assert "0 2 * * *" in nightly.stdout and str(raw) in nightly.stdout

        run = subprocess.run(
            [
                PREFECT,
                "deployment",
                "run",
                "clean-articles/on-demand",
                "--param",
                f"raw={raw}",
                "--param",
                f"clean={out}",
                "--param",
                "batch_size=2",
                "--watch",
                "--watch-interval",
                "1",
            ],
            env=api,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, run.stdout + run.stderr
        assert "Completed" in run.stdout
        assert len(list(out.glob("*.txt"))) == 5
        summary = json.loads(next(out.glob("_runs/*/summary.json")).read_text(encoding="utf-8"))
        assert summary["cleaned"] == 5
        log_lines = Path(summary["removal_log"]).read_text(encoding="utf-8").splitlines()
        assert {json.loads(line)["rule"] for line in log_lines} >= {"off_topic.trailing_story", "server_error.leak"}
        artifact = subprocess.run(
            [PREFECT, "artifact", "inspect", "clean-articles-removals"],
            env=api,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert artifact.returncode == 0 and "off_topic.trailing_story" in artifact.stdout
        assert summary["run_id"] in artifact.stdout
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGINT)
            try:
                serve.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(serve.pid, signal.SIGKILL)
                serve.wait()
    assert "newsclean serve: stopped" in log.read_text(encoding="utf-8")
    assert not server_answers(port)
