"""A local Prefect setup in one step: server on 127.0.0.1, process work pool, deployments, worker.

This is what `newsclean serve` runs and what the deployment test starts: real processes, started
and stopped for real, also when something fails half-way.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

POOL = "newsclean"
PREFECT = str(Path(sys.executable).with_name("prefect"))  # the venv's own: a bare `prefect` may not be on PATH


def state_folder() -> Path:
    """Where newsclean's own logs go: the user's state folder, never a clean folder (whose contents
    are outputs) nor the checkout."""
    return Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "newsclean"


def default_log_dir(port: int) -> Path:
    """Where serve's server and worker logs go."""
    return state_folder() / f"serve-{port}"


class ServeError(RuntimeError):
    """A step of the local setup failed; the message says which and shows its output."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def project_folder() -> Path:
    """The folder holding prefect.yaml: the current one, else the checkout this package runs from."""
    for folder in (Path.cwd(), Path(__file__).resolve().parents[1]):
        if (folder / "prefect.yaml").exists():
            return folder
    raise ServeError("prefect.yaml not found: run newsclean serve from the newsclean checkout")


class LocalPrefect:
    """Prefect server and worker processes for as long as the `with` block lasts."""

    def __init__(
        self,
        *,
        port: int | None = None,
        home: Path | None = None,
        log_dir: Path | None = None,
        pool: str = POOL,
        worker_poll_seconds: int = 2,
        ui: bool = False,
    ) -> None:
        self.port = port or free_port()
        self.pool = pool
        self.log_dir = log_dir
        self.ui = ui
        self.ui_url = f"http://127.0.0.1:{self.port}"
        self.api_url = f"{self.ui_url}/api"
        self.env = dict(os.environ)
        self.env.update(
            PREFECT_API_URL=self.api_url,
            # The links Prefect prints (deployments, flow runs) point at this server's UI.
            PREFECT_UI_URL=self.ui_url,
            DO_NOT_TRACK="1",
            PREFECT_SERVER_ANALYTICS_ENABLED="false",
            PREFECT_WORKER_QUERY_SECONDS=str(worker_poll_seconds),
        )
        if home is not None:
            self.env["PREFECT_HOME"] = str(home)
        self.processes: list[subprocess.Popen] = []

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            output = (self.log_dir / f"{name}.log").open("ab")
        else:
            output = subprocess.DEVNULL
        process = subprocess.Popen(
            [PREFECT, *args], env=self.env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append(process)
        return process

    def prefect(
        self, *args: str, cwd: Path | None = None, extra_env: dict[str, str] | None = None, timeout: float = 300
    ) -> subprocess.CompletedProcess:
        """Runs a prefect CLI command against this server; raises ServeError when it fails."""
        env = {**self.env, **(extra_env or {})}
        result = subprocess.run([PREFECT, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise ServeError(f"`prefect {' '.join(args)}` failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
        return result

    def start_server(self, timeout: float = 120) -> None:
        ui = [] if self.ui else ["--no-ui"]
        server = self._spawn("server", ["server", "start", "--host", "127.0.0.1", "--port", str(self.port), *ui])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise ServeError(f"the Prefect server exited with code {server.returncode} (port {self.port} taken?)")
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        raise ServeError(f"the Prefect server did not answer on {self.api_url} within {timeout:.0f} s")

    def create_pool(self) -> None:
        self.prefect("work-pool", "create", self.pool, "--type", "process", "--overwrite")

    def deploy(self, project: Path, raw: Path, clean: Path) -> str:
        """`prefect deploy --all` from prefect.yaml; the nightly deployment gets raw and clean."""
        extra = {"NEWSCLEAN_RAW": str(raw.resolve()), "NEWSCLEAN_CLEAN": str(clean.resolve())}
        return self.prefect("--no-prompt", "deploy", "--all", cwd=project, extra_env=extra).stdout

    def deployment_url(self, name: str) -> str:
        """The UI page of deployment `flow/deployment`: its id, asked of the server."""
        try:
            with urllib.request.urlopen(f"{self.api_url}/deployments/name/{name}", timeout=10) as answer:
                deployment_id = json.load(answer)["id"]
        except (urllib.error.URLError, OSError, ValueError, KeyError) as exc:
            raise ServeError(f"the server does not know the deployment {name}: {exc}") from exc
        return f"{self.ui_url}/deployments/deployment/{deployment_id}"

    def start_worker(self) -> None:
        self._spawn("worker", ["worker", "start", "--pool", self.pool])

    def __enter__(self) -> LocalPrefect:
        try:
            self.start_server()
            self.create_pool()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stops the worker and the server: SIGINT twice (a worker may ignore one), then SIGKILL."""
        for process in reversed(self.processes):
            for sig, wait in ((signal.SIGINT, 5), (signal.SIGINT, 10), (signal.SIGKILL, 10)):
                if process.poll() is not None:
                    break
                try:
                    os.killpg(process.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    process.wait(wait)
                except subprocess.TimeoutExpired:
                    continue
        self.processes.clear()
