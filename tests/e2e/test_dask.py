"""Scale-out on a real local Dask cluster (two worker processes) through prefect-dask."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from flows.cli import TEMPORARY_SERVER_LOG
from tests.e2e.test_cli import newsclean

pytestmark = pytest.mark.e2e


def outputs(out: Path) -> dict[str, object]:
    """Every output file's content, run ids left out (they differ by design, and so does the
    generation of the corpus statistics, which a run names by its id)."""
    found: dict[str, object] = {}
    for path in sorted(out.glob("*.txt")):
        found[path.name] = path.read_text(encoding="utf-8")
    for path in sorted(out.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        record.pop("run_id")
        record["statistics"].pop("generation")
        found[path.name] = record
    log = next(out.glob("_runs/*/removals.jsonl")).read_text(encoding="utf-8").splitlines()
    found["removals.jsonl"] = sorted(
        json.dumps({k: v for k, v in json.loads(line).items() if k != "run_id"}, sort_keys=True) for line in log
    )
    return found


def test_dask_run_equals_a_plain_run(prefect_env, shared, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for page in [
        *sorted((shared / "seeds").glob("*.txt")),
        *sorted((shared / "bench" / "scrapinghub" / "raw").glob("*.txt"))[:45],
    ]:
        shutil.copy(page, raw / page.name)
    plain, dask = tmp_path / "plain", tmp_path / "dask"
    first = newsclean("run", "--raw", str(raw), "--out", str(plain), "--batch-size", "10", env=prefect_env)
    assert first.returncode == 0, first.stderr
    second = newsclean(
        "run",
        "--raw",
        str(raw),
        "--out",
        str(dask),
        "--batch-size",
        "10",
        "--runner",
        "dask",
        "--dask-workers",
        "2",
        "--verbose",
        env=prefect_env,
    )
    assert second.returncode == 0, second.stderr
    # The workers report to the run's server: none of them starts a temporary server of its own
    # (the run's own says so in its log, not on the terminal).
    assert "Starting temporary server" not in second.stdout + second.stderr
    state = Path(prefect_env["XDG_STATE_HOME"])
    assert "Starting temporary server" in (state / "newsclean" / TEMPORARY_SERVER_LOG).read_text(encoding="utf-8")
    quiet = newsclean(
        "run", "--raw", str(shared / "seeds"), "--out", str(tmp_path / "quiet"), "--runner", "dask", env=prefect_env
    )
    assert quiet.returncode == 0, quiet.stderr
    assert "distributed." in second.stderr and "distributed." not in quiet.stderr  # Dask's INFO only with --verbose
    summary = json.loads(next(dask.glob("_runs/*/summary.json")).read_text(encoding="utf-8"))
    assert summary["runner"] == "dask" and summary["units"] == 5 and summary["cleaned"] == 50
    assert outputs(plain) == outputs(dask)
