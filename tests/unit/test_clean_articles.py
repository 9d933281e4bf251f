"""The flow's plan and recovery, without Prefect: what a run cleans again and what it tidies up."""

from __future__ import annotations

import json
from pathlib import Path

from cleaners.documents import discover
from flows.batch import Job, fail_unit, process_batch, process_shard
from flows.io import atomic_write_json
from flows.planning import assign_record_ids, gone_sources, plan, recover_interrupted_runs
from flows.state import Manifest
from tests.conftest import article_text


def _cleaned_folder(tmp_path: Path) -> tuple[Path, Path, Job]:
    raw, out = tmp_path / "raw", tmp_path / "clean"
    (raw / "sub").mkdir(parents=True)
    (raw / "story.txt").write_text(article_text(), encoding="utf-8")
    (raw / "page.html").write_text(f"<html><body><h1>A page</h1><p>{article_text()}</p></body></html>")
    (raw / "sub" / "feed.jsonl").write_text('{"id": "r", "text": "An article in a shard."}\n', encoding="utf-8")
    sources, _ = discover(raw)
    job = Job(str(raw), str(out), "first-run")
    files = [s for s in sources if s.kind != "shard"]
    shard = next(s for s in sources if s.kind == "shard")
    with Manifest(out) as manifest:
        manifest.commit(job.run_id, "000000", process_batch(0, files, job).states)
        manifest.commit(job.run_id, "000001", process_shard(1, shard, job).states)
    return raw, out, job


def _todo(raw: Path, out: Path, job: Job) -> list[str]:
    sources, _ = discover(raw)
    with Manifest(out) as manifest:
        todo, _unchanged = plan(sources, manifest, job, full=False)
    return sorted(s.source for s in todo)


def test_an_unchanged_folder_has_nothing_to_clean(tmp_path):
    raw, out, job = _cleaned_folder(tmp_path)
    assert _todo(raw, out, job) == []


def test_any_missing_output_is_rebuilt(tmp_path):
    raw, out, job = _cleaned_folder(tmp_path)
    (out / "story.json").unlink()
    (out / "page.source.txt").unlink()
    (out / "sub" / "feed.jsonl").unlink()  # a shard in a subfolder is known by its path
    assert _todo(raw, out, job) == ["page.html", "story.txt", "sub/feed.jsonl"]


def test_the_documents_of_a_failed_unit_are_cleaned_again(tmp_path):
    raw, out, job = _cleaned_folder(tmp_path)
    sources, _ = discover(raw)
    files = [s for s in sources if s.kind != "shard"]
    process_batch(0, files, job)
    with Manifest(out) as manifest:
        manifest.commit(job.run_id, "000002", fail_unit(2, files, job, "unit failed after retries").states)
    (out / "story.txt").write_text("an output the failed unit did not remove")  # even so
    assert _todo(raw, out, job) == ["page.html", "story.txt"]


def test_parts_left_by_a_run_killed_after_its_summary_are_removed(tmp_path):
    _raw, out, job = _cleaned_folder(tmp_path)
    atomic_write_json(job.run_folder / "summary.json", {"run_id": job.run_id})
    assert job.parts_folder.is_dir()
    with Manifest(out) as manifest:
        assert recover_interrupted_runs(out, manifest) == []
    assert not job.parts_folder.exists()


def _run(raw: Path, out: Path, run_id: str) -> dict[str, str]:
    """One run's plan, id check and units, committed as the flow commits them; the rejects' reasons by source."""
    job = Job(str(raw), str(out), run_id)
    reasons: dict[str, str] = {}
    with Manifest(out) as manifest:
        sources, _ = discover(raw)
        todo, _unchanged = plan(sources, manifest, job, full=False)
        for number, source in enumerate(assign_record_ids(todo, sources, manifest, job)[0]):
            if source.kind == "shard":
                result, shards = process_shard(number, source, job), [source.source]
            else:
                result, shards = process_batch(number, [source], job), []
            manifest.commit(run_id, result.part, result.states, shards)
            for line in (job.parts_folder / f"{result.part}.rejects.jsonl").read_text().splitlines():
                rejection = json.loads(line)
                reasons[rejection["source"]] = rejection["reason"]
    return reasons


def _write_shard(path: Path, ids: list[str]) -> None:
    path.write_text("".join(json.dumps({"id": i, "text": article_text()}) + "\n" for i in ids), encoding="utf-8")


def test_an_id_is_used_once_across_files_and_shards_and_runs(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    (raw / "story.txt").write_text(article_text(), encoding="utf-8")
    _write_shard(raw / "a.jsonl", ["r1", "r2", "story"])
    _write_shard(raw / "b.jsonl", ["r2", "r3"])
    reasons = _run(raw, out, "first")
    assert reasons == {
        "a.jsonl:3": "id 'story' is already taken by story.txt",
        "b.jsonl:1": "id 'r2' is already taken by a.jsonl:2",
    }
    # A later shard meets the ids of a shard that is not cleaned again; a new file takes an id from a
    # shard cleaned before, which is cleaned again without that record.
    _write_shard(raw / "c.jsonl", ["r3", "r4"])
    (raw / "r1.txt").write_text(article_text(), encoding="utf-8")
    reasons = _run(raw, out, "second")
    assert reasons == {
        "c.jsonl:1": "id 'r3' is already taken by b.jsonl:2",
        "a.jsonl:1": "id 'r1' is already taken by r1.txt",
        "a.jsonl:3": "id 'story' is already taken by story.txt",
    }
    kept = [json.loads(line)["id"] for line in (out / "a.jsonl").read_text().splitlines()]
    assert kept == ["r2"]


def test_raw_files_gone_are_reported_and_pruned_on_request(tmp_path):
    raw, out, _job = _cleaned_folder(tmp_path)
    (raw / "story.txt").unlink()
    (raw / "sub" / "feed.jsonl").unlink()
    sources, refused = discover(raw)
    with Manifest(out) as manifest:
        assert gone_sources(sources, refused, manifest, out, prune=False) == ["story.txt", "sub/feed.jsonl"]
        assert (out / "story.txt").exists() and (out / "sub" / "feed.jsonl").exists()  # they stay
        assert gone_sources(sources, refused, manifest, out, prune=True) == ["story.txt", "sub/feed.jsonl"]
        assert gone_sources(sources, refused, manifest, out, prune=True) == []
    assert not (out / "story.txt").exists() and not (out / "story.json").exists()
    assert not (out / "sub" / "feed.jsonl").exists() and (out / "page.source.txt").exists()


def test_nothing_to_do_is_answered_only_when_a_run_would_change_nothing(tmp_path):
    from flows.planning import nothing_to_do

    raw, out, job = _cleaned_folder(tmp_path)
    assert nothing_to_do(raw, out, None) is None  # a killed run (no summary yet) is to be finished
    atomic_write_json(job.run_folder / "summary.json", {"run_id": job.run_id})
    assert nothing_to_do(raw, out, None) == 3
    (raw / "new.txt").write_text(article_text(), encoding="utf-8")
    assert nothing_to_do(raw, out, None) is None  # a new document
    (raw / "new.txt").unlink()
    (raw / "story.txt").unlink()
    assert nothing_to_do(raw, out, None) is None  # a gone file to report
    assert nothing_to_do(raw, tmp_path / "never-run", None) is None
