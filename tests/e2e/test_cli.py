"""`newsclean run` as a user runs it: a real process, Prefect's ephemeral server, real files."""

from __future__ import annotations

import codecs
import gzip
import json
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable

import pytest

from tests.e2e.conftest import NEWSCLEAN, interruptible

pytestmark = pytest.mark.e2e


def newsclean(*args: str, env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([NEWSCLEAN, *args], env=env, capture_output=True, text=True, timeout=timeout)


def wait_while_running(process: subprocess.Popen, done: Callable[[], bool], seconds: float = 240) -> None:
    """Waits until `done()` holds or the process ends, at most `seconds`."""
    deadline = time.monotonic() + seconds
    while not done() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)


def start_newsclean(*args: str, env: dict[str, str]) -> subprocess.Popen:
    """`newsclean` in the background, in a session of its own (so that a test can kill its whole group);
    its stderr is kept for the test's message."""
    return subprocess.Popen(
        interruptible([NEWSCLEAN, *args]),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def test_help_lists_the_options(prefect_env):
    result = newsclean("run", "--help", env=prefect_env)
    assert result.returncode == 0
    for option in ("--raw", "--out", "--rules", "--batch-size", "--max-bytes"):
        assert option in result.stdout


def test_missing_raw_folder_is_one_line_and_exit_2(prefect_env, tmp_path):
    result = newsclean("run", "--raw", str(tmp_path / "nope"), "--out", str(tmp_path / "out"), env=prefect_env)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "raw folder not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_rules_file_is_a_clear_error(prefect_env, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text("not = [valid", encoding="utf-8")
    (tmp_path / "raw").mkdir()
    result = newsclean(
        "run", "--raw", str(tmp_path / "raw"), "--out", str(tmp_path / "o"), "--rules", str(rules), env=prefect_env
    )
    assert result.returncode == 2 and "not valid TOML" in result.stderr and "Traceback" not in result.stderr


def test_seeds_pass_the_scorer(prefect_env, shared, tmp_path):
    out = tmp_path / "clean"
    result = newsclean("run", "--raw", str(shared / "seeds"), "--out", str(out), env=prefect_env)
    assert result.returncode == 0, result.stderr
    assert "removals by category" in result.stdout
    score = subprocess.run(
        [
            sys.executable,
            str(shared / "tools" / "score.py"),
            "--gold",
            str(shared / "gold" / "seeds.jsonl"),
            "--raw",
            str(shared / "seeds"),
            "--out",
            str(out),
            "--quiet",
        ],
        capture_output=True,
        text=True,
    )
    assert score.returncode == 0, score.stdout
    assert "docs 5/5 pass" in score.stdout
    run_folder = next((out / "_runs").iterdir())
    log = [json.loads(line) for line in (run_folder / "removals.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {"id", "source", "run_id", "start", "end", "rule", "category", "reason", "text"} <= set(log[0])
    assert not (run_folder / "parts").exists()
    # The tuning tools read the run as a user would, in separate processes.
    summary = newsclean("log", "summary", str(out), "--json", env=prefect_env)
    assert sum(row["spans"] for row in json.loads(summary.stdout)["rules"]) == len(log)
    shown = newsclean("log", "show", str(run_folder), "--category", "off_topic", env=prefect_env)
    assert "why:" in shown.stdout
    report = newsclean("report", str(out), "-o", str(tmp_path / "report.html"), env=prefect_env)
    assert report.returncode == 0 and (tmp_path / "report.html").read_text(encoding="utf-8").count("<mark ") == len(log)


def test_a_dry_run_writes_the_log_and_report_and_no_cleaned_file(prefect_env, shared, tmp_path):
    out = tmp_path / "clean"
    result = newsclean("run", "--raw", str(shared / "seeds"), "--out", str(out), "--dry-run", env=prefect_env)
    assert result.returncode == 0, result.stderr
    assert "dry run" in result.stdout
    assert not list(out.glob("*.txt")) and not list(out.glob("*.json"))
    run_folder = next((out / "_runs").iterdir())
    assert (run_folder / "removals.jsonl").read_text(encoding="utf-8").strip()
    assert "<mark " in (run_folder / "report.html").read_text(encoding="utf-8")
    assert json.loads((run_folder / "summary.json").read_text(encoding="utf-8"))["dry_run"] is True
    # Nothing of the dry run makes the real run skip a document.
    real = newsclean("run", "--raw", str(shared / "seeds"), "--out", str(out), "--quiet", env=prefect_env)
    assert real.returncode == 0, real.stderr
    assert len(list(out.glob("*.txt"))) == 5


def marks_and_header(page: str) -> tuple[int, str]:
    return page.count("<mark "), re.search(r"<h1>(.*?)</h1>", page).group(1)


def test_a_report_header_matches_its_body_after_a_dry_run_and_a_no_op_run(prefect_env, shared, tmp_path):
    """A real run, a dry run with other rules, a run with nothing to do: the folder's report counts
    what the folder holds, the dry run's report what the dry run removed."""
    raw, out = shared / "seeds", tmp_path / "clean"
    assert newsclean("run", "--raw", str(raw), "--out", str(out), "--quiet", env=prefect_env).returncode == 0
    other_rules = tmp_path / "other.toml"
    other_rules.write_text('[rules."off_topic.trailing_story"]\nenabled = false\n', encoding="utf-8")
    dry = newsclean(
        "run", "--raw", str(raw), "--out", str(out), "--dry-run", "--rules", str(other_rules), env=prefect_env
    )
    assert dry.returncode == 0, dry.stderr
    assert newsclean("run", "--raw", str(raw), "--out", str(out), "--quiet", env=prefect_env).returncode == 0

    folder_spans = sum(len(json.loads(p.read_text(encoding="utf-8"))["removals"]) for p in out.glob("*.json"))
    page = tmp_path / "folder.html"
    assert newsclean("report", str(out), "-o", str(page), env=prefect_env).returncode == 0
    marks, header = marks_and_header(page.read_text(encoding="utf-8"))
    assert header == f"newsclean report: clean folder {out}"
    assert marks == folder_spans and f"<td>removed spans</td><td>{folder_spans}</td>" in page.read_text("utf-8")

    dry_folder = next(f for f in (out / "_runs").iterdir() if json.loads((f / "summary.json").read_text())["dry_run"])
    dry_spans = len((dry_folder / "removals.jsonl").read_text(encoding="utf-8").splitlines())
    assert dry_spans != folder_spans
    marks, header = marks_and_header((dry_folder / "report.html").read_text(encoding="utf-8"))
    assert header == f"newsclean report: run {dry_folder.name} (dry run: nothing was written)"
    assert marks == dry_spans


def test_bad_input_is_rejected_and_the_run_goes_on(prefect_env, shared, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    shutil.copy(shared / "seeds" / "000_256c5baa6f31dc75.txt", raw / "good.txt")
    story = "Les élèves ont présenté leur projet à la mairie, où le maire a salué leur travail remarquable. " * 5
    (raw / "latin1.txt").write_bytes(story.encode("latin-1"))
    (raw / "cp1252.txt").write_bytes(("The mayor said “we will build it” – and they did. " * 6).encode("cp1252"))
    (raw / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + story.encode("utf-16-le"))
    (raw / "zipped.txt.gz").write_bytes(gzip.compress(story.encode("utf-8")))
    (raw / "empty.txt").write_bytes(b"")
    (raw / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (raw / "report.pdf").write_bytes(b"%PDF-1.4 binary")
    (raw / "huge.txt").write_text("word " * 100_000, encoding="utf-8")
    (raw / "broken.txt.gz").write_bytes(b"this is not gzip")
    before = sorted(p.name for p in raw.iterdir())
    result = newsclean("run", "--raw", str(raw), "--out", str(out), "--max-bytes", "200000", env=prefect_env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert sorted(p.name for p in raw.iterdir()) == before  # the raw folder is never written
    for name in ("good", "latin1", "cp1252", "utf16", "zipped"):
        assert (out / f"{name}.txt").exists(), name
    assert "élèves" in (out / "latin1.txt").read_text(encoding="utf-8")
    assert "“we will build it”" in (out / "cp1252.txt").read_text(encoding="utf-8")
    run_folder = next((out / "_runs").iterdir())
    rejects = {
        json.loads(x)["id"]: json.loads(x)["reason"]
        for x in (run_folder / "rejects.jsonl").read_text(encoding="utf-8").splitlines()
    }
    assert set(rejects) == {"empty", "picture", "report", "huge", "broken"}
    summary = json.loads((run_folder / "summary.json").read_text(encoding="utf-8"))
    assert (summary["cleaned"], summary["rejected"], summary["documents"]) == (5, 5, 10)


def test_sharded_corpus_in_and_out_and_skipped_when_unchanged(prefect_env, shared, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    seeds = sorted((shared / "seeds").glob("*.txt"))
    with gzip.open(raw / "part-0000.jsonl.gz", "wt", encoding="utf-8") as handle:
        for seed in seeds:
            record = {
                "id": seed.stem,
                "text": seed.read_text(encoding="utf-8"),
                "url": f"https://example.org/{seed.stem}",
            }
            handle.write(json.dumps(record) + "\n")
        handle.write("{not json\n")
    (raw / "single.txt").write_text(seeds[0].read_text(encoding="utf-8"), encoding="utf-8")
    first = newsclean("run", "--raw", str(raw), "--out", str(out), "--batch-size", "2", env=prefect_env)
    assert first.returncode == 0, first.stderr
    with gzip.open(out / "part-0000.jsonl.gz", "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    assert [r["id"] for r in records] == [s.stem for s in seeds]
    by_id = {r["id"]: r for r in records}
    assert "Kneecap" not in by_id["001_5c248d9144e39834"]["text"]
    assert by_id["003_1232ecdf1d69f02c"]["url"].endswith("003_1232ecdf1d69f02c")
    summary = json.loads(next(out.glob("_runs/*/summary.json")).read_text(encoding="utf-8"))
    assert (summary["cleaned"], summary["rejected"]) == (6, 1)
    # Progress counts documents (each record of the shard), with the rate.
    assert re.search(r"newsclean: 7/7 documents, [0-9.,]+/s", first.stderr), first.stderr
    log = next(out.glob("_runs/*/removals.jsonl")).read_text(encoding="utf-8")
    assert "off_topic.trailing_story" in log
    again = newsclean("run", "--raw", str(raw), "--out", str(out), env=prefect_env)
    assert "nothing new to clean: 2 files unchanged" in " ".join(again.stdout.split())


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ('[rules."off_topic.trailing_story"]\nmax_coherence_with_signl = 0.2\n', "did you mean"),
        ("[gaurd]\nmin_keep_share = 0.3\n", "unknown table or setting [gaurd]"),
        ('[rules."navigation.menu_run"]\nmin_run = "five"\n', "must be a whole number"),
        ('[rules."navigation.menu_run"]\nenabled = "no"\n', "must be true or false"),
        ('[rules."server_error.leak".add]\npatterns = ["(?<=x)y"]\n', "RE2 refuses the pattern"),
    ],
)
def test_a_hostile_rules_file_is_one_line_and_exit_2(prefect_env, tmp_path, rules, message):
    path = tmp_path / "rules.toml"
    path.write_text(rules, encoding="utf-8")
    (tmp_path / "raw").mkdir()
    result = newsclean(
        "run", "--raw", str(tmp_path / "raw"), "--out", str(tmp_path / "o"), "--rules", str(path), env=prefect_env
    )
    assert result.returncode == 2 and message in result.stderr
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr
    assert not (tmp_path / "o").exists()  # refused before anything was written


def test_a_raw_folder_inside_the_clean_folder_is_refused(prefect_env, tmp_path):
    (tmp_path / "top" / "in").mkdir(parents=True)
    (tmp_path / "top" / "in" / "story.txt").write_text("An article.", encoding="utf-8")
    result = newsclean("run", "--raw", str(tmp_path / "top" / "in"), "--out", str(tmp_path / "top"), env=prefect_env)
    assert result.returncode == 2 and "is inside the clean folder" in result.stderr
    assert sorted(p.name for p in (tmp_path / "top").rglob("*")) == ["in", "story.txt"]


def test_a_corrupt_manifest_is_one_line(prefect_env, tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "story.txt").write_text("An article.", encoding="utf-8")
    (tmp_path / "o" / "_state").mkdir(parents=True)
    (tmp_path / "o" / "_state" / "manifest.sqlite").write_bytes(b"garbage" * 500)
    result = newsclean("run", "--raw", str(tmp_path / "raw"), "--out", str(tmp_path / "o"), env=prefect_env)
    assert result.returncode == 2 and "manifest" in result.stderr and "--full" in result.stderr
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr  # before Prefect starts


def test_an_empty_raw_folder_says_so(prefect_env, tmp_path):
    (tmp_path / "raw").mkdir()
    result = newsclean("run", "--raw", str(tmp_path / "raw"), "--out", str(tmp_path / "o"), env=prefect_env)
    assert result.returncode == 0 and "holds no documents" in " ".join(result.stdout.split())
    assert "nothing new to clean" not in result.stdout
