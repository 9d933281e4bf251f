"""`newsclean report`: one self-contained HTML page of what a run removed, for people to read.

The page holds the run's summary, bar charts of removed characters by category and by rule, the
list of documents, and each document's raw text with every removed span highlighted in its
category's colour (rule and reason on hover). A rule filter (also `#rule=<id>` in the address)
shows only the documents that rule touched and highlights only its spans. No external files,
scripts or fonts: the page opens offline and can be mailed.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from .logs import Entry, raw_text_of, read_entries, summarize
from .terminal import CATEGORY_COLOURS

_STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 2rem 4rem; color: #222; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 2rem; } h3 { font-size: 1rem; margin: 0; }
table.counts td, table.counts th { padding: 2px 10px; text-align: right; }
table.counts td:first-child { text-align: left; }
.bars { display: grid; grid-template-columns: max-content 1fr max-content; gap: 3px 10px; align-items: center; }
.bar { height: 14px; border-radius: 2px; }
.legend span { display: inline-block; padding: 0 6px; margin: 2px; border-radius: 3px; }
.doc { border-top: 1px solid #ddd; padding: 0.8rem 0; }
.doc.hidden { display: none; }
.doc pre { white-space: pre-wrap; font: 13px/1.5 ui-monospace, monospace; background: #fafafa; padding: 0.6rem; }
mark { border-radius: 2px; padding: 0 1px; color: inherit; }
mark.dim { background: none !important; outline: 1px dotted #bbb; }
#controls { position: sticky; top: 0; background: #fff; padding: 0.5rem 0; border-bottom: 1px solid #ddd; }
nav.doclist a { margin-right: 0.8rem; white-space: nowrap; }
"""

_SCRIPT = """
function applyFilter(rule) {
  let shown = 0;
  for (const doc of document.querySelectorAll('.doc')) {
    const rules = doc.dataset.rules.split(' ');
    const visible = !rule || rules.includes(rule);
    doc.classList.toggle('hidden', !visible);
    if (visible) shown++;
    for (const mark of doc.querySelectorAll('mark')) {
      mark.classList.toggle('dim', Boolean(rule) && mark.dataset.rule !== rule);
    }
  }
  document.getElementById('shown').textContent = shown;
  const select = document.getElementById('rule-filter');
  if (select.value !== rule) select.value = rule;
}
document.getElementById('rule-filter').addEventListener('change', (event) => {
  history.replaceState(null, '', event.target.value ? '#rule=' + event.target.value : '#');
  applyFilter(event.target.value);
});
const fromAddress = new URLSearchParams(location.hash.slice(1)).get('rule') || '';
applyFilter(fromAddress);
"""


def _bars(rows: list[dict[str, Any]], key: str) -> str:
    top = max((row["chars"] for row in rows), default=1) or 1
    cells = []
    for row in rows:
        category = row.get("category", row[key])
        colour = CATEGORY_COLOURS.get(category, "#ccc")
        width = max(0.5, 100 * row["chars"] / top)
        cells.append(
            f"<div>{html.escape(row[key])}</div>"
            f'<div><div class="bar" style="width:{width:.1f}%;background:{colour}"></div></div>'
            f"<div>{row['chars']:,} chars, {row['spans']:,} spans, {row['documents']:,} docs</div>"
        )
    return f'<div class="bars" data-chart="{key}">' + "".join(cells) + "</div>"


def _highlighted(text: str, entries: list[Entry]) -> str:
    parts, cursor = [], 0
    for entry in sorted(entries, key=lambda e: e.start):
        if entry.start < cursor or entry.end > len(text):
            continue
        parts.append(html.escape(text[cursor : entry.start]))
        title = f"{entry.rule} ({entry.category}): {entry.reason}"
        colour = CATEGORY_COLOURS.get(entry.category, "#ccc")
        parts.append(
            f'<mark data-rule="{html.escape(entry.rule)}" data-category="{html.escape(entry.category)}" '
            f'style="background:{colour}" title="{html.escape(title)}">'
            f"{html.escape(text[entry.start : entry.end])}</mark>"
        )
        cursor = entry.end
    parts.append(html.escape(text[cursor:]))
    return "".join(parts)


def build_report(target: Path, raw: Path | None, max_documents: int = 500) -> str:
    """The page for a clean folder, run folder or removals file; raw texts from `raw` when given."""
    entries = list(read_entries(target))
    summary = summarize(iter(entries))
    by_document: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_document[entry.doc_id].append(entry)
    run_summary = _run_summary(target)
    documents = sorted(by_document)
    shown = documents[:max_documents]
    rules = [row["rule"] for row in summary["rules"]]

    sections = []
    for doc_id in shown:
        doc_entries = by_document[doc_id]
        text = raw_text_of(raw, doc_entries[0])
        doc_rules = sorted({e.rule for e in doc_entries})
        if text is None:
            body = "".join(
                f'<p><mark data-rule="{html.escape(e.rule)}" style="background:'
                f'{CATEGORY_COLOURS.get(e.category, "#ccc")}" title="{html.escape(e.rule + ": " + e.reason)}">'
                f"{html.escape(e.text)}</mark></p>"
                for e in doc_entries
            )
            body = "<p><em>raw text not found: the removed spans alone</em></p>" + body
        else:
            body = f"<pre>{_highlighted(text, doc_entries)}</pre>"
        removed = sum(len(e.text) for e in doc_entries)
        sections.append(
            f'<section class="doc" id="doc-{html.escape(doc_id)}" data-rules="{html.escape(" ".join(doc_rules))}">'
            f"<h3>{html.escape(doc_id)}</h3><p>{len(doc_entries)} removals, {removed:,} characters: "
            f"{html.escape(', '.join(doc_rules))}</p>{body}</section>"
        )

    counts = ""
    if run_summary:
        rows = "".join(
            f"<tr><td>{html.escape(key)}</td><td>{html.escape(str(run_summary[key]))}</td></tr>"
            for key in (
                "run_id",
                "documents",
                "cleaned",
                "rejected",
                "unchanged",
                "chars_in",
                "chars_out",
                "rules_version",
            )
            if key in run_summary
        )
        counts = f'<table class="counts">{rows}</table>'
    legend = "".join(
        f'<span style="background:{colour}">{category}</span>' for category, colour in CATEGORY_COLOURS.items()
    )
    options = "".join(f'<option value="{html.escape(rule)}">{html.escape(rule)}</option>' for rule in rules)
    more = (
        f"<p>showing the first {len(shown):,} of {len(documents):,} documents with removals (--max-docs)</p>"
        if len(documents) > len(shown)
        else ""
    )
    nav = "".join(f'<a href="#doc-{html.escape(d)}">{html.escape(d)}</a>' for d in shown)
    return (
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
        f"<title>newsclean report: {html.escape(str(target))}</title><style>{_STYLE}</style></head><body>"
        f"<h1>newsclean report: {html.escape(str(target))}</h1>{counts}"
        f"<p>{len(entries):,} removed spans in {len(documents):,} documents</p>"
        f"<h2>Removed characters by category</h2>{_bars(summary['categories'], 'category')}"
        f"<h2>Removed characters by rule</h2>{_bars(summary['rules'], 'rule')}"
        f'<h2>Documents</h2><nav class="doclist">{nav}</nav>{more}'
        f'<div id="controls"><label>rule <select id="rule-filter"><option value="">all rules</option>{options}'
        f'</select></label> <span id="shown"></span> documents shown <span class="legend">{legend}</span></div>'
        + "".join(sections)
        + f"<script>{_SCRIPT}</script></body></html>"
    )


def _run_summary(target: Path) -> dict[str, Any] | None:
    folder = target if target.is_dir() else target.parent
    candidates = [folder / "summary.json", *sorted(folder.glob("_runs/*/summary.json"), reverse=True)]
    for candidate in candidates:
        if candidate.is_file():
            return json.loads(candidate.read_text(encoding="utf-8"))
    return None
