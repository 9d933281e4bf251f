"""The contract under hostile conditions, with the real CLI: two runs at once into one folder, and a raw
folder of everything that broke a run before (links out, a pipe, colliding outputs, odd names and records)."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import article_text
from tests.e2e.test_cli import newsclean, start_newsclean, wait_while_running
from tests.e2e.test_incremental import assert_each_cleaned_and_logged_once, run_logs

pytestmark = pytest.mark.e2e


def lock_holder(out: Path) -> str | None:
    try:
        return json.loads((out / "_state" / "run.lock").read_text(encoding="utf-8"))["run_id"]
    except (OSError, ValueError, KeyError):
        return None


def test_a_second_run_into_a_busy_folder_is_refused_or_waits_and_nothing_is_lost(prefect_env, shared, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "clean"
    shutil.copytree(shared / "bench" / "l3s-gn1" / "raw", raw)
    first = start_newsclean(
        "run", "--raw", str(raw), "--out", str(out), "--batch-size", "10", "--quiet", env=prefect_env
    )
    wait_while_running(first, lambda: lock_holder(out) not in (None, "(checking)"))
    holder = lock_holder(out)
    assert holder and first.poll() is None, "the first run should hold the folder"

    refused = newsclean("run", "--raw", str(raw), "--out", str(out), env=prefect_env)
    waiting = start_newsclean("run", "--raw", str(raw), "--out", str(out), "--wait", "600", "--quiet", env=prefect_env)
    assert first.wait(timeout=600) == 0, first.stderr.read()
    assert waiting.wait(timeout=600) == 0, waiting.stderr.read()

    assert refused.returncode == 2
    assert refused.stderr.strip().count("\n") == 0 and f"is in use by run {holder}" in refused.stderr
    summaries = {p.parent.name: json.loads(p.read_text()) for p in out.glob("_runs/*/summary.json")}
    assert summaries[holder]["cleaned"] == 611 and not summaries[holder].get("interrupted")
    # The waiting run took the folder after the first and found nothing new: answered without a run.
    assert list(summaries) == [holder]
    assert not list(out.glob("_runs/*/parts")) and not list(out.rglob("*.newsclean-tmp"))
    logged = run_logs(out)
    for record_file in out.glob("*.json"):
        record = json.loads(record_file.read_text(encoding="utf-8"))
        if record["removals"]:
            assert logged[record["id"]] == {holder}, record["id"]
    lines = [line for log in out.glob("_runs/*/removals.jsonl") for line in log.read_text().splitlines()]
    assert len(lines) == len(set(lines))  # no span logged twice


def tree_digest(folder: Path) -> dict[str, str]:
    """Every entry of a folder without following links: what a run must never change."""
    digest = {}
    for path in sorted(folder.rglob("*")):
        relative = str(path.relative_to(folder))
        if path.is_symlink():
            digest[relative] = "link:" + os.readlink(path)
        elif path.is_fifo():
            digest[relative] = "fifo"
        elif path.is_file():
            digest[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            digest[relative] = "folder"
    return digest


def hostile_raw_folder(raw: Path, outside: Path) -> int:
    """Writes the raw folder; returns how many entries it holds that must each end cleaned or rejected."""
    raw.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (outside / "folder").mkdir()
    (outside / "folder" / "other.txt").write_text(article_text(), encoding="utf-8")
    (raw / "passwd.txt").symlink_to(outside / "secret.txt")
    (raw / "linked").symlink_to(outside / "folder")
    os.mkfifo(raw / "feed.jsonl")
    page = f"<html><body><h1>A page</h1><p>{article_text()}</p></body></html>"
    (raw / "x.html").write_text(page, encoding="utf-8")
    (raw / "x.source.txt").write_text(article_text(), encoding="utf-8")
    (raw / "a.html").write_text(page, encoding="utf-8")
    (raw / "a.txt").mkdir()
    (raw / "a.txt" / "b.txt").write_text(article_text(), encoding="utf-8")
    (raw / ("n" * 228 + ".txt")).write_text(article_text(), encoding="utf-8")  # 232 bytes: legal
    (raw / ("m" * 246 + ".html")).write_text(page, encoding="utf-8")  # its .source.txt would be 257
    (raw / "mixed.txt").write_bytes(article_text().encode("utf-8") + "Grüße – “".encode() + b"caf\xe9\n")
    (raw / "old-mac.txt").write_text(article_text(after=["Advertisement"]).replace("\n", "\r"), encoding="utf-8")
    (raw / "_runs").mkdir()
    (raw / "_runs" / "sneaky.txt").write_text(article_text(), encoding="utf-8")
    records = [
        {"id": "s1", "text": article_text().replace("twelve", "tw\ud800elve")},
        {"id": "s1", "text": article_text()},
        {"id": ["no"], "text": article_text()},
        {"id": "s2", "text": article_text()},
    ]
    lines = [json.dumps(r) for r in records] + ['{"id": "huge", "text": "' + "x" * 3_000_000 + '"}']
    with gzip.open(raw / "shard.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    # Entries: 13 files or links in the raw folder's tree (the shard counts once) plus its 4 more records.
    return 13 + 4


def test_a_hostile_raw_folder_ends_cleaned_or_rejected_entry_by_entry(prefect_env, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "clean"
    expected = hostile_raw_folder(raw, tmp_path / "outside")
    before = tree_digest(raw)
    result = newsclean("run", "--raw", str(raw), "--out", str(out), "--max-bytes", "1000000", env=prefect_env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(raw) == before  # raw is never written

    (summary_file,) = out.glob("_runs/*/summary.json")
    summary = json.loads(summary_file.read_text(encoding="utf-8"))
    rejects = [json.loads(line) for line in (summary_file.parent / "rejects.jsonl").read_text().splitlines()]
    reasons = {r["source"]: r["reason"] for r in rejects}
    assert summary["cleaned"] + summary["rejected"] == expected == summary["cleaned"] + len(rejects)
    assert "outside the raw folder" in reasons["passwd.txt"]
    assert "links to folders are not followed" in reasons["linked"]
    assert "named pipe" in reasons["feed.jsonl"]
    assert "would overwrite the output of x.html" in reasons["x.source.txt"]
    assert "needs a folder where a.html writes" in reasons["a.txt/b.txt"]
    assert "too long for its outputs" in reasons["m" * 246 + ".html"]
    assert "own _runs/ folder" in reasons["_runs/sneaky.txt"]
    assert "already taken" in reasons["shard.jsonl.gz:2"] and "'id' must be" in reasons["shard.jsonl.gz:3"]
    assert "over the size limit" in reasons["shard.jsonl.gz:5"]

    assert "root:x:0:0" not in "".join(p.read_text(errors="replace") for p in out.rglob("*") if p.is_file())
    assert (out / ("n" * 228 + ".txt")).exists()
    mixed = json.loads((out / "mixed.json").read_text(encoding="utf-8"))
    assert mixed["encoding"] == "utf-8" and mixed["decode_replacements"] == 1
    seen = (out / "mixed.txt").read_text(encoding="utf-8") + "".join(r["text"] for r in mixed["removals"])
    assert "Grüße – “caf\ufffd" in seen  # decoded as UTF-8, not the whole file garbled
    old_mac = json.loads((out / "old-mac.json").read_text(encoding="utf-8"))
    assert [r["text"] for r in old_mac["removals"]] == ["Advertisement"]  # one line among many, not all
    with gzip.open(out / "shard.jsonl.gz", "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    assert [r["id"] for r in records] == ["s1", "s2"] and "tw\ufffdelve" in records[0]["text"]
    assert not list(out.rglob("*.newsclean-tmp"))


@pytest.fixture
def small_disk(tmp_path):
    """A clean folder on a file system of 1 MB (a tmpfs, which root may mount), grown later by remount."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {made.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_fails_documents_not_the_folder_and_the_next_run_heals_it(
    prefect_env, shared, small_disk, tmp_path
):
    raw, out = tmp_path / "raw", small_disk / "clean"
    raw.mkdir()
    pages = sorted((shared / "bench" / "l3s-gn1" / "raw").glob("*.txt"))[:200]
    for page in pages:
        shutil.copy(page, raw / page.name)
    full = newsclean("run", "--raw", str(raw), "--out", str(out), "--batch-size", "20", env=prefect_env)
    assert "Traceback" not in full.stderr
    failed = [line for line in full.stderr.splitlines() if line.startswith("newsclean: the run failed:")]
    assert full.returncode == 0 or (full.returncode == 1 and len(failed) == 1)
    subprocess.run(["mount", "-o", "remount,size=200m", str(small_disk)], check=True)

    healed = newsclean("run", "--raw", str(raw), "--out", str(out), env=prefect_env)
    assert healed.returncode == 0, healed.stderr
    assert_each_cleaned_and_logged_once(out, {p.stem for p in pages})
    assert not list(out.rglob("*.newsclean-tmp")) and not list(out.glob("_runs/*/parts"))
