"""The bench scripts run to the end on a small set: a change to the library they call breaks here,
not on the day the figures are measured again."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PAGES = 6


@pytest.fixture
def small_shared(shared, tmp_path) -> Path:
    """A shared folder of ScrapingHub's first pages: their gold records, HTML pages and raw texts."""
    bench = shared / "bench" / "scrapinghub"
    golds = [json.loads(line) for line in (bench / "gold.jsonl").read_text(encoding="utf-8").split("\n") if line]
    golds = sorted(golds, key=lambda gold: gold["id"])[:PAGES]
    small = tmp_path / "shared" / "bench" / "scrapinghub"
    (small / "html").mkdir(parents=True)
    (small / "raw").mkdir()
    for gold in golds:
        shutil.copy(bench / "html" / f"{gold['id']}.html.gz", small / "html")
        shutil.copy(bench / "raw" / gold["source"], small / "raw")
    (small / "gold.jsonl").write_text("".join(json.dumps(gold) + "\n" for gold in golds), encoding="utf-8")
    return tmp_path / "shared"


def bench(script: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / script), *args], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.mark.parametrize("layout", [[], ["--html"]])
def test_preserve_reports_the_share_removed(small_shared, layout):
    out = bench("preserve", "--shared", str(small_shared), "--sets", "scrapinghub", *layout)
    assert out.startswith(f"scrapinghub: {PAGES} gold texts")


def test_preserve_measures_a_rules_file(small_shared, tmp_path):
    """A rule of the user's that takes article text shows in what preserve counts."""
    rules = tmp_path / "my.toml"
    rules.write_text(
        "[[custom_rules]]\nid = 'advertising.too_greedy'\npattern = '(?i)\\bthe\\b'\n"
        "reason = 'takes every the'\nscope = 'match'\n",
        encoding="utf-8",
    )
    out = bench("preserve", "--shared", str(small_shared), "--sets", "scrapinghub", "--rules", str(rules))
    assert "advertising.too_greedy" in out


def test_set_aside_reports_both_cleanings(small_shared):
    out = bench("set_aside", "--shared", str(small_shared), "--sets", "scrapinghub")
    assert f"scrapinghub: {PAGES} pages" in out
    assert "the text rules alone" in out
