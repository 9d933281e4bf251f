"""The clean-articles flow on a real (test) Prefect server: outputs, logs and the artifact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def prefect_server(prefect_env, monkeypatch_module):
    for key, value in prefect_env.items():
        monkeypatch_module.setenv(key, value)
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_flow_writes_outputs_and_publishes_the_artifact(prefect_server, shared, tmp_path):
    from prefect.artifacts import Artifact

    from flows.clean_articles import ARTIFACT_KEY, SUMMARY_ARTIFACT_KEY, clean_articles

    out = tmp_path / "clean"
    summary = clean_articles(raw=str(shared / "seeds"), clean=str(out), batch_size=2)
    assert summary["cleaned"] == 5 and summary["rejected"] == 0
    assert len(list(out.glob("*.txt"))) == 5
    lines = Path(summary["removal_log"]).read_text(encoding="utf-8").splitlines()
    assert len(lines) == sum(r["spans"] for r in summary["removals_by_rule"])
    artifact = Artifact.get(ARTIFACT_KEY)
    assert artifact is not None
    table = json.loads(artifact.data) if isinstance(artifact.data, str) else artifact.data
    rules = {row["rule"] for row in table}
    assert {"off_topic.trailing_story", "related_links.section", "server_error.leak"} <= rules
    assert summary["run_id"] in artifact.description
    markdown = Artifact.get(SUMMARY_ARTIFACT_KEY)
    assert markdown is not None and summary["run_id"] in markdown.data
    assert "### Removals by category" in markdown.data and "| off_topic |" in markdown.data


def test_transient_write_failure_is_retried(prefect_server, shared, tmp_path, monkeypatch):
    import flows.batch
    from flows.clean_articles import clean_articles

    real_write = flows.batch.atomic_write_text
    failures = {"left": 1}

    def flaky_write(path, text):
        if failures["left"] and path.suffix == ".txt":
            failures["left"] -= 1
            raise OSError(5, "Input/output error (injected)")
        return real_write(path, text)

    monkeypatch.setattr(flows.batch, "atomic_write_text", flaky_write)
    summary = clean_articles(raw=str(shared / "seeds"), clean=str(tmp_path / "clean"))
    assert failures["left"] == 0
    assert (summary["cleaned"], summary["rejected"]) == (5, 0)


def test_a_unit_failing_every_retry_rejects_its_documents_and_the_run_goes_on(
    prefect_server, shared, tmp_path, monkeypatch
):
    import flows.batch
    from flows.clean_articles import clean_articles

    real_write = flows.batch.atomic_write_text

    def broken_for_one_document(path, text):
        if path.name == "002_f49efe3e9c91e718.txt":
            raise OSError(28, "No space left on device (injected)")
        return real_write(path, text)

    monkeypatch.setattr(flows.batch, "atomic_write_text", broken_for_one_document)
    summary = clean_articles(raw=str(shared / "seeds"), clean=str(tmp_path / "clean"), batch_size=1)
    assert (summary["cleaned"], summary["rejected"]) == (4, 1)
    rejects = Path(summary["rejects_log"]).read_text(encoding="utf-8")
    assert "No space left on device" in rejects and "002_f49efe3e9c91e718" in rejects
