"""`newsclean run` on HTML pages as a user runs it: real benchmark pages, a broken one, the tools after."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest

from cleaners.accounting import cut_removals
from cleaners.model import Removal
from tests.e2e.test_cli import newsclean

pytestmark = pytest.mark.e2e

PAGES = 12


def words(text: str) -> list[str]:
    return re.findall(r"\S+", text)


def test_html_pages_are_cleaned_accounted_for_and_scored(prefect_env, shared, tmp_path):
    bench = shared / "bench" / "scrapinghub"
    golds = [json.loads(line) for line in (bench / "gold.jsonl").read_text(encoding="utf-8").split("\n") if line]
    golds = sorted(golds, key=lambda gold: gold["id"])[:PAGES]
    raw, out = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    for gold in golds:
        shutil.copy(bench / "html" / f"{gold['id']}.html.gz", raw)
    broken = b"<html><body><div><p>An unclosed page \xff\xfe with a stray byte <table><tr><td>"
    (raw / "broken.html").write_bytes(broken)
    (raw / "nothing.htm").write_bytes(b"<html><head><title>only a title</title></head><body></body></html>")
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text("".join(json.dumps(gold) + "\n" for gold in golds), encoding="utf-8")

    result = newsclean("run", "--raw", str(raw), "--out", str(out), env=prefect_env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    (run_folder,) = (out / "_runs").iterdir()
    rejects = [json.loads(line) for line in (run_folder / "rejects.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], "visible text" in r["reason"]) for r in rejects] == [("nothing", True)]
    for gold in [*golds, {"id": "broken"}]:
        record = json.loads((out / f"{gold['id']}.json").read_text(encoding="utf-8"))
        source_text = (out / record["source_text"]).read_text(encoding="utf-8")
        cleaned = (out / f"{gold['id']}.txt").read_text(encoding="utf-8")
        fields = ("start", "end", "rule", "category", "reason", "text")
        removals = [Removal(**{k: r[k] for k in fields}) for r in record["removals"]]
        assert all(source_text[r.start : r.end] == r.text for r in removals)
        assert words(cut_removals(source_text, removals)) == words(cleaned)
    first = json.loads((out / f"{golds[0]['id']}.json").read_text(encoding="utf-8"))
    assert first["title"] and "html_boilerplate" in {r["category"] for r in first["removals"]}

    scorer = [sys.executable, str(shared / "tools" / "score.py"), "--gold", str(gold_file), "--raw", str(raw)]
    scored = [*scorer, "--out", str(out), "--tokens-only", "--min-f1", "0.85"]
    score = subprocess.run(scored, capture_output=True, text=True)
    assert score.returncode == 0, score.stdout

    # The tools read an HTML run too: the log's offsets refer to the page's visible text.
    shown = newsclean("log", "show", str(out), "--category", "html_boilerplate", "--limit", "3", env=prefect_env)
    assert shown.returncode == 0 and shown.stdout.count("why:") == 3, shown.stderr
    report = newsclean("report", str(out), "-o", str(tmp_path / "report.html"), env=prefect_env)
    assert report.returncode == 0, report.stderr
    spans = sum(1 for line in (run_folder / "removals.jsonl").read_text(encoding="utf-8").splitlines() if line)
    assert (tmp_path / "report.html").read_text(encoding="utf-8").count("<mark ") == spans
    explained = newsclean("explain", str(raw / f"{golds[0]['id']}.html.gz"), "--json", env=prefect_env)
    assert explained.returncode == 0, explained.stderr
    assert json.loads(explained.stdout) == first["removals"]
