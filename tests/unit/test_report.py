"""The report's pages: one scope in header and body, reasons in the page, bars linked to span
lists, documents paged through (the browser's filtering is in tests/e2e/test_report.py)."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from flows.cli import main
from flows.report import build_report, page_names
from tests.conftest import article_text, clean_folder

DEBRIS_BEFORE = ["Home | World | Business | Sport | Culture | Opinion"]
DEBRIS_AFTER = ["Related: Ten things to know about libraries", "Related: The budget vote, explained"]


@pytest.fixture
def folder_run(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    for number in range(7):
        (raw / f"doc{number}.txt").write_text(article_text(before=DEBRIS_BEFORE, after=DEBRIS_AFTER), encoding="utf-8")
    job = clean_folder(raw, out)
    return raw, out, job


def records_of(out):
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*.json"))]


def test_a_clean_folder_report_is_named_so_and_counts_what_its_body_shows(folder_run):
    raw, out, _ = folder_run
    pages = build_report(out, raw)
    first = pages["report.html"]
    spans = sum(len(r["removals"]) for r in records_of(out))
    assert spans > 0
    assert f"<h1>newsclean report: clean folder {out}</h1>" in first
    assert f"<td>removed spans</td><td>{spans:,}</td>" in first
    assert sum(page.count("<mark ") for page in pages.values()) == spans


def test_a_run_report_takes_header_and_body_from_the_run(folder_run):
    raw, _, job = folder_run
    (job.run_folder / "summary.json").write_text(
        json.dumps({"raw": str(raw), "run_id": "run-x", "documents": 7, "cleaned": 7, "dry_run": True}),
        encoding="utf-8",
    )
    lines = (job.run_folder / "removals.jsonl").read_text(encoding="utf-8").splitlines()
    first = build_report(job.run_folder, raw)["report.html"]
    assert "<h1>newsclean report: run run-x (dry run: nothing was written)</h1>" in first
    assert "<td>documents</td><td>7</td>" in first
    assert first.count("<mark ") == len(lines)


def test_every_span_shows_its_rule_and_reason_in_the_page(folder_run):
    raw, out, _ = folder_run
    page = build_report(out, raw)["report.html"]
    removals = [r for record in records_of(out) for r in record["removals"]]
    reasons = re.findall(r'<ol class="why">(.*?)</ol>', page)
    assert sum(block.count("<li ") for block in reasons) == len(removals)
    first = removals[0]
    assert f"<code>{first['rule']}</code>" in page and first["reason"].split(":")[0] in page


def test_each_bar_links_to_the_list_of_its_spans_with_context(folder_run):
    raw, out, _ = folder_run
    page = build_report(out, raw, spans_per_list=3)["report.html"]
    targets = re.findall(r'class="bars" data-chart="(\w+)".*?</div></div>', page)
    assert targets == ["category", "rule"]
    for anchor in set(re.findall(r'<a href="#((?:rule|category)-[^"]+)" class="bar"', page)):
        assert f'id="{anchor}"' in page
    rules = {r["rule"] for record in records_of(out) for r in record["removals"]}
    for rule in rules:
        section = re.search(rf'<section class="spans" id="rule-{re.escape(rule)}">(.*?)</section>', page, re.S)[1]
        assert 1 <= section.count('class="span"') <= 3
        assert 'class="ctx"' in section and "why: " in section
        if section.count('class="span"') == 3:
            assert f"newsclean log show --rule {rule}" in section


def test_documents_page_through_all_of_them(folder_run, tmp_path):
    raw, out, _ = folder_run
    pages = build_report(out, raw, per_page=3)
    assert list(pages) == page_names("report.html", 3) == ["report.html", "report-2.html", "report-3.html"]
    shown = [re.findall(r'<section class="doc" id="doc-([^"]+)"', page) for page in pages.values()]
    assert [len(ids) for ids in shown] == [3, 3, 1]
    assert sorted(doc_id for ids in shown for doc_id in ids) == [f"doc{n}" for n in range(7)]
    for current, page in pages.items():
        assert all(f'href="{name}"' in page for name in pages if name != current)
    # a span list links to the page its document is on
    assert re.search(r'href="report-3\.html#doc-doc6"', pages["report.html"])


def test_the_command_writes_every_page(folder_run, tmp_path, capsys):
    raw, out, _ = folder_run
    target = tmp_path / "pages" / "mine.html"
    target.parent.mkdir()
    assert main(["report", str(out), "--raw", str(raw), "-o", str(target), "--per-page", "4"]) == 0
    assert sorted(p.name for p in target.parent.iterdir()) == ["mine-2.html", "mine.html"]
    assert "mine-2" in capsys.readouterr().out


def test_a_report_of_raw_texts_gone_shows_the_spans_alone(folder_run):
    raw, out, _ = folder_run
    shutil.rmtree(raw)
    page = build_report(out, None)["report.html"]
    assert "raw text not found" in page and "<mark " in page
