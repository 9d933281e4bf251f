"""The deployments for real: `newsclean serve` starts a Prefect server on 127.0.0.1 and a worker,
deploys prefect.yaml, and `prefect deployment run` cleans a folder through them."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from flows.serve import free_port
from tests.e2e.conftest import NEWSCLEAN, interruptible

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


def api_get(api: str, path: str) -> dict:
    with urllib.request.urlopen(f"{api}{path}", timeout=10) as answer:
        return json.load(answer)


def api_post(api: str, path: str, body: dict) -> list:
    request = urllib.request.Request(
        f"{api}{path}", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


def trigger(api_env: dict[str, str], *params: str, start_at: str | None = None) -> str:
    """`prefect deployment run clean-articles/on-demand` without waiting; the flow run's id."""
    args = [arg for param in params for arg in ("--param", param)]
    if start_at:
        args += ["--start-at", start_at]
    started = subprocess.run(
        [PREFECT, "deployment", "run", "clean-articles/on-demand", *args],
        env=api_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.returncode == 0, started.stdout + started.stderr
    return re.search(r"UUID: ([0-9a-f-]{36})", started.stdout).group(1)


def wait_final(api: str, run_id: str, timeout: float = 300) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = api_get(api, f"/flow_runs/{run_id}")
        if run["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
            return run
        time.sleep(1)
    raise AssertionError(f"flow run {run_id} did not end within {timeout} s: {run['state']}")


def state_names(api: str, run_id: str) -> list[str]:
    with urllib.request.urlopen(f"{api}/flow_run_states/?flow_run_id={run_id}", timeout=10) as answer:
        return [state["name"] for state in json.load(answer)]


def run_messages(api: str, run_id: str) -> str:
    logs = api_post(api, "/logs/filter", {"logs": {"flow_run_id": {"any_": [run_id]}}, "limit": 200})
    return "\n".join(entry["message"] for entry in logs)


def test_serve_deploy_and_run_on_demand(prefect_env, shared, tmp_path):
    """serve with its UI; a deployment run cleans; two runs into one folder never overlap; a
    relative folder is refused by the run, an unset or relative one by `prefect deploy`."""
    raw, nightly_out, out = tmp_path / "raw", tmp_path / "nightly", tmp_path / "on-demand"
    raw.mkdir()
    for seed in (shared / "seeds").glob("*.txt"):
        (raw / seed.name).write_bytes(seed.read_bytes())
    port = free_port()
    state_home = tmp_path / "state"
    env = {**prefect_env, "PREFECT_WORKER_QUERY_SECONDS": "1", "XDG_STATE_HOME": str(state_home)}
    checkout = Path(__file__).resolve().parents[2]
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        serve = subprocess.Popen(
            interruptible([NEWSCLEAN, "serve", "--port", str(port), "--raw", str(raw), "--out", str(nightly_out)]),
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=checkout,
        )
    try:
        printed = wait_for(log, "newsclean serve: ready", serve, timeout=240)
        api = f"http://127.0.0.1:{port}/api"
        api_env = {**env, "PREFECT_API_URL": api}

        # The UI answers on the printed port, and so do the printed deployment links.
        assert f"Prefect UI      http://127.0.0.1:{port}\n" in printed
        links = re.findall(rf"http://127\.0\.0\.1:{port}/deployments/deployment/[0-9a-f-]{{36}}", printed)
        assert len(links) == 2
        for url in (f"http://127.0.0.1:{port}/", *links):  # asked as a browser asks for a page
            with urllib.request.urlopen(
                urllib.request.Request(url, headers={"Accept": "text/html"}), timeout=10
            ) as page:
                assert page.status == 200 and "<html" in page.read().decode().lower()
        # The instructions name the venv's prefect by its full path; the logs are outside the clean folder.
        assert f" {PREFECT} deployment run " in printed
        assert (state_home / "newsclean" / f"serve-{port}" / "server.log").exists()
        assert not nightly_out.exists()

        nightly = subprocess.run(
            [PREFECT, "deployment", "inspect", "clean-articles/nightly"],
            env=api_env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert nightly.returncode == 0, nightly.stderr
        assert "0 2 * * *" in nightly.stdout and str(raw) in nightly.stdout
        assert "'collision_strategy': 'ENQUEUE'" in nightly.stdout

        # Two runs into one folder, triggered together: the second waits for a slot, then finds
        # nothing new; every document is cleaned and logged once. Both are scheduled for one moment,
        # so that the worker finds them in one poll however long each `prefect deployment run` takes.
        together = (datetime.now(UTC) + timedelta(seconds=30)).strftime("%Y-%m-%d %H:%M:%S UTC")
        first = trigger(api_env, f"raw={raw}", f"clean={out}", "batch_size=2", start_at=together)
        second = trigger(api_env, f"raw={raw}", f"clean={out}", "batch_size=2", start_at=together)
        runs = [wait_final(api, first), wait_final(api, second)]
        assert [run["state"]["type"] for run in runs] == ["COMPLETED", "COMPLETED"], runs
        runs.sort(key=lambda run: run["start_time"])
        assert runs[0]["end_time"] <= runs[1]["start_time"], "the two runs overlapped"
        assert "AwaitingConcurrencySlot" in state_names(api, runs[1]["id"])
        assert len(list(out.glob("*.txt"))) == 5
        summaries = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("_runs/*/summary.json"))]
        assert sorted(s["cleaned"] for s in summaries) == [0, 5]
        summary = next(s for s in summaries if s["cleaned"] == 5)
        log_lines = Path(summary["removal_log"]).read_text(encoding="utf-8").splitlines()
        assert {json.loads(line)["rule"] for line in log_lines} >= {"off_topic.trailing_story", "server_error.leak"}
        assert len(log_lines) == len(set(log_lines))
        artifact = subprocess.run(
            [PREFECT, "artifact", "inspect", "clean-articles-removals"],
            env=api_env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert artifact.returncode == 0 and "off_topic.trailing_story" in artifact.stdout

        # A relative folder in a deployment run fails the run with the reason, writing nothing.
        relative = wait_final(api, trigger(api_env, "raw=raw", "clean=relative-clean"))
        assert relative["state"]["type"] == "FAILED"
        assert "relative" in run_messages(api, relative["id"]) + relative["state"]["message"]
        assert not (checkout / "relative-clean").exists()

        # `prefect deploy` with NEWSCLEAN_RAW unset, or relative, is refused in one line.
        for raw_value in ("", "raw"):
            deploy_env = {**api_env, "NEWSCLEAN_RAW": raw_value, "NEWSCLEAN_CLEAN": str(nightly_out)}
            refused = subprocess.run(
                [PREFECT, "--no-prompt", "deploy", "--all"],
                env=deploy_env,
                cwd=checkout,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert refused.returncode == 2, refused.stdout + refused.stderr
            assert refused.stderr.strip().count("\n") == 0 and "NEWSCLEAN_RAW" in refused.stderr
            assert "Traceback" not in refused.stdout + refused.stderr
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
