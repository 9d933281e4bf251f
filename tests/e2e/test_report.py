"""The HTML report in a real browser: Debian's chromium, headless (installed by .ci/run)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from flows.cli import main

pytestmark = pytest.mark.e2e

RULE = "off_topic.trailing_story"


class Marks(HTMLParser):
    """The highlighted spans of a page: (rule, classes) of every <mark>, and their categories."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self.categories: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "mark":
            values = dict(attrs)
            self.found.append((values.get("data-rule") or "", values.get("class") or ""))
            self.categories.append(values.get("data-category") or "")


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        message = "chromium is not installed (.ci/run installs Debian's chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def browse(page, tmp_path, *extra: str) -> subprocess.CompletedProcess:
    """Headless chromium as the machine notes run it: no sandbox (root), no background networking."""
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ]
    return subprocess.run([chromium(), *flags, *extra, page], capture_output=True, text=True, timeout=120)


def test_the_report_highlights_spans_and_filters_by_rule_and_category_in_a_browser(seeds_run, tmp_path, capsys):
    _, out, _ = seeds_run
    report = tmp_path / "report.html"
    assert main(["report", str(out), "-o", str(report)]) == 0
    records = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*.json"))]
    with_rule = [r for r in records if any(x["rule"] == RULE for x in r["removals"])]
    spans = sum(len(r["removals"]) for r in records)
    assert with_rule

    unfiltered = browse(report.as_uri(), tmp_path, "--dump-dom").stdout
    assert unfiltered.count("<mark ") == spans
    assert 'class="doc hidden"' not in unfiltered and 'class="dim"' not in unfiltered

    filtered = browse(report.as_uri() + f"#rule={RULE}", tmp_path, "--dump-dom").stdout
    assert filtered.count('class="doc hidden"') == len(records) - len(with_rule)
    assert re.search(r'<span id="shown">(\d+)</span>', filtered).group(1) == str(len(with_rule))
    marks = Marks()
    marks.feed(filtered)
    assert marks.found and all((rule == RULE) == ("dim" not in classes) for rule, classes in marks.found)

    category = "server_error"
    in_category = [r for r in records if any(x["category"] == category for x in r["removals"])]
    assert in_category
    by_category = browse(report.as_uri() + f"#category={category}", tmp_path, "--dump-dom").stdout
    assert re.search(r'<span id="shown">(\d+)</span>', by_category).group(1) == str(len(in_category))
    marks = Marks()
    marks.feed(by_category)
    assert any("dim" not in classes for _, classes in marks.found)
    assert all(
        ("dim" in classes) == (mark_category != category)
        for (_, classes), mark_category in zip(marks.found, marks.categories, strict=True)
    )

    screenshot = tmp_path / "report.png"
    browse(report.as_uri() + f"#rule={RULE}", tmp_path, f"--screenshot={screenshot}", "--window-size=1280,1600")
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 20_000
