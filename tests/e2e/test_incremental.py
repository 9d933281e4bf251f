"""Incremental runs and crash recovery, with the real CLI and a real kill -9."""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from collections import defaultdict
from pathlib import Path

import pytest

from tests.e2e.test_cli import newsclean, start_newsclean, wait_while_running
from tests.generated import SHARED_LINE, add_shared_line, write_generated_corpus

pytestmark = pytest.mark.e2e


def assert_each_cleaned_and_logged_once(out: Path, ids: set[str]) -> None:
    """Every document has its outputs, and its removals stand in the log of the run that wrote it, only."""
    assert {p.stem for p in out.glob("*.txt")} == ids
    logged = run_logs(out)
    for doc_id in ids:
        record = json.loads((out / f"{doc_id}.json").read_text(encoding="utf-8"))
        runs = logged.get(doc_id, set())
        assert len(runs) <= 1, f"{doc_id} logged by {runs}"
        if record["removals"]:
            assert runs == {record["run_id"]}, doc_id


def run_logs(out: Path) -> dict[str, set[str]]:
    """Document id -> the runs whose removal log holds it."""
    logged: dict[str, set[str]] = defaultdict(set)
    for log in (out / "_runs").glob("*/removals.jsonl"):
        for line in log.read_text(encoding="utf-8").splitlines():
            logged[json.loads(line)["id"]].add(log.parent.name)
    return logged


def test_second_run_skips_unchanged_and_cleans_changed(prefect_env, shared, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "clean"
    shutil.copytree(shared / "seeds", raw)
    assert newsclean("run", "--raw", str(raw), "--out", str(out), env=prefect_env).returncode == 0
    started = time.monotonic()
    again = newsclean("run", "--raw", str(raw), "--out", str(out), env=prefect_env)
    no_op_seconds = time.monotonic() - started
    assert again.returncode == 0
    assert "nothing new to clean: 5 files unchanged" in " ".join(again.stdout.split())
    assert len(list((out / "_runs").iterdir())) == 1 and "starting Prefect" not in again.stderr  # no flow run
    # Answered without Prefect, so well under the 3 s a user waits at most for "nothing to do"
    # (about 0.7 s here); a run that started Prefect's server would take 10 s or more.
    assert no_op_seconds < 3, f"a run with nothing to do took {no_op_seconds:.1f} s"
    changed = raw / "002_f49efe3e9c91e718.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nAdvertisement\n", encoding="utf-8")
    (raw / "000_256c5baa6f31dc75.txt").touch()  # touched, same content: hashed, not cleaned
    third = newsclean("run", "--raw", str(raw), "--out", str(out), env=prefect_env)
    summaries = sorted((out / "_runs").glob("*/summary.json"))
    last = json.loads(summaries[-1].read_text(encoding="utf-8"))
    assert third.returncode == 0
    assert (last["cleaned"], last["unchanged"]) == (1, 4)
    (raw / "004_a6eb7190b4b50683.txt").unlink()  # gone: reported, its outputs stay until --prune
    gone = newsclean("run", "--raw", str(raw), "--out", str(out), env=prefect_env)
    assert "1 raw files are gone since the last run" in " ".join(gone.stdout.split())
    assert (out / "004_a6eb7190b4b50683.txt").exists()
    pruned = newsclean("run", "--raw", str(raw), "--out", str(out), "--prune", env=prefect_env)
    assert "removed the outputs of 1 raw files" in " ".join(pruned.stdout.split())
    assert not (out / "004_a6eb7190b4b50683.txt").exists() and not (out / "004_a6eb7190b4b50683.json").exists()
    full = newsclean("run", "--raw", str(raw), "--out", str(out), "--full", "--quiet", env=prefect_env)
    assert full.returncode == 0
    last = json.loads(sorted((out / "_runs").glob("*/summary.json"))[-1].read_text(encoding="utf-8"))
    assert (last["cleaned"], last["unchanged"]) == (4, 0)


def test_a_killed_run_is_finished_by_the_next_without_loss_or_double_logging(prefect_env, shared, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    pages = sorted((shared / "bench" / "l3s-gn1" / "raw").glob("*.txt"))[:300]
    for page in pages:
        shutil.copy(page, raw / page.name)
    process = start_newsclean(
        "run", "--raw", str(raw), "--out", str(out), "--batch-size", "10", "--quiet", env=prefect_env
    )
    wait_while_running(process, lambda: len(list(out.glob("_runs/*/parts/*.removals.jsonl"))) >= 5)
    os.killpg(process.pid, signal.SIGKILL)  # the CLI and Prefect's temporary server with it
    process.wait()
    cleaned_before = len(list(out.glob("*.txt")))
    assert 0 < cleaned_before < len(pages), "the run should have been killed half-way"

    result = newsclean("run", "--raw", str(raw), "--out", str(out), "--batch-size", "50", env=prefect_env)
    assert result.returncode == 0, result.stderr
    assert "interrupted run" in result.stdout
    assert not list(out.rglob("*.newsclean-tmp"))
    assert not list(out.glob("_runs/*/parts"))
    assert_each_cleaned_and_logged_once(out, {p.stem for p in pages})
    summaries = [json.loads(p.read_text(encoding="utf-8")) for p in out.glob("_runs/*/summary.json")]
    assert any(s.get("interrupted") for s in summaries)


def test_ctrl_c_is_one_line_and_the_next_run_finishes_the_log(prefect_env, shared, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "clean"
    shutil.copytree(shared / "bench" / "l3s-gn1" / "raw", raw)
    process = start_newsclean(
        "run", "--raw", str(raw), "--out", str(out), "--batch-size", "5", "--quiet", env=prefect_env
    )
    wait_while_running(process, lambda: bool(list(out.glob("_runs/*/parts/*.removals.jsonl"))))
    assert process.poll() is None, "the run should still be running its units"
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "Traceback" not in err and err.strip().count("\n") == 0
    assert "interrupted; what was committed stays" in err
    result = newsclean("run", "--raw", str(raw), "--out", str(out), env=prefect_env)
    assert result.returncode == 0 and "interrupted run" in result.stdout
    assert_each_cleaned_and_logged_once(out, {p.stem for p in raw.glob("*.txt")})


def last_summary(out: Path) -> dict:
    return json.loads(sorted((out / "_runs").glob("*/summary.json"))[-1].read_text(encoding="utf-8"))


def test_an_incremental_run_reads_the_corpus_statistics_a_full_run_would(prefect_env, tmp_path):
    """Half of a corpus, then the other half: the new documents are cleaned as a run over all of
    them cleans them (a line that four documents share is the site's), not as a batch of their own;
    each record names the statistics it read, and --full gathers them anew."""
    every, raw, out, reference = tmp_path / "every", tmp_path / "raw", tmp_path / "clean", tmp_path / "reference"
    ids = write_generated_corpus(every, tmp_path / "gold.jsonl", documents=8)
    add_shared_line(every, ids[::2])
    raw.mkdir()
    for doc_id in ids[:4]:
        shutil.copy(every / f"{doc_id}.txt", raw)
    assert newsclean("run", "--raw", str(raw), "--out", str(out), "--quiet", env=prefect_env).returncode == 0
    assert last_summary(out)["statistics"]["documents"] == 4
    for doc_id in ids[4:]:
        shutil.copy(every / f"{doc_id}.txt", raw)
    assert newsclean("run", "--raw", str(raw), "--out", str(out), "--quiet", env=prefect_env).returncode == 0
    incremental = last_summary(out)
    assert (incremental["cleaned"], incremental["unchanged"], incremental["statistics"]["documents"]) == (4, 4, 8)
    assert newsclean("run", "--raw", str(every), "--out", str(reference), "--quiet", env=prefect_env).returncode == 0

    def cleaned(folder: Path, doc_id: str) -> tuple[str, dict]:
        record = json.loads((folder / f"{doc_id}.json").read_text(encoding="utf-8"))
        return (folder / f"{doc_id}.txt").read_text(encoding="utf-8"), record

    for doc_id in ids[4:]:
        (text, record), (expected_text, expected) = cleaned(out, doc_id), cleaned(reference, doc_id)
        assert text == expected_text and record["removals"] == expected["removals"], doc_id
        assert record["statistics"] == {
            "generation": incremental["run_id"],
            "documents": 8,
            "site": "",
            "site_documents": 8,
        }
    assert SHARED_LINE not in cleaned(out, ids[4])[0] and SHARED_LINE in cleaned(out, ids[0])[0]

    full = newsclean("run", "--raw", str(raw), "--out", str(out), "--full", "--quiet", env=prefect_env)
    assert full.returncode == 0 and last_summary(out)["statistics"]["documents"] == 8
    assert all(cleaned(out, doc_id)[0] == cleaned(reference, doc_id)[0] for doc_id in ids)
    assert [p.name for p in (out / "_state" / "statistics").iterdir()] == [last_summary(out)["run_id"]]
