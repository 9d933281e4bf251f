"""`newsclean report`: self-contained HTML pages of what a run, or a clean folder, removed.

The report is of one scope, named in its header, and its counts and its body come from the same
place: a run folder (`_runs/<run>`: that run's summary and its removals.jsonl) or a clean folder
(the records it holds now, whichever runs wrote them). The first page holds the counts, bar charts
of removed characters by category and by rule whose bars link to lists of that category's or rule's
spans (each with a line of context and its reason), and the first documents; the documents go on
in further pages of `per_page` each, linked from every page. Each document shows its raw text with
every removed span highlighted in its category's colour and numbered, then per number the rule,
category and reason. A rule or category filter (also `#rule=<id>` or `#category=<c>` in the
address) shows only the documents it touched and highlights only its spans. No external files,
scripts or fonts: the pages open offline and can be mailed.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .logs import Entry, context, raw_text_of, read_entries, summarize
from .terminal import CATEGORY_COLOURS

DEFAULT_PER_PAGE = 200
DEFAULT_SPANS_PER_LIST = 10
SPAN_TEXT_SHOWN = 400  # characters of a removed span shown in a list; the document shows it whole

_STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 2rem 4rem; color: #222; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 2rem; } h3 { font-size: 1rem; margin: 0; }
table.counts td, table.counts th { padding: 2px 10px; text-align: right; }
table.counts td:first-child { text-align: left; }
.scope { color: #555; }
.bars { display: grid; grid-template-columns: max-content 1fr max-content; gap: 3px 10px; align-items: center; }
.bars a { color: inherit; }
.bar { display: block; height: 14px; border-radius: 2px; }
.legend span { display: inline-block; padding: 0 6px; margin: 2px; border-radius: 3px; }
.doc { border-top: 1px solid #ddd; padding: 0.8rem 0; }
.doc.hidden { display: none; }
.doc pre { white-space: pre-wrap; font: 13px/1.5 ui-monospace, monospace; background: #fafafa; padding: 0.6rem; }
mark { border-radius: 2px; padding: 0 1px; color: inherit; }
mark.dim { background: none !important; outline: 1px dotted #bbb; }
mark sup { font-weight: bold; }
ol.why { font-size: 13px; margin: 0.3rem 0; }
ol.why li.dim { color: #aaa; }
.span { border-top: 1px solid #eee; padding: 0.3rem 0; font-size: 13px; }
.span .ctx { color: #888; }
.span .cut { border-radius: 2px; padding: 0 2px; white-space: pre-wrap; }
.span .reason { font-style: italic; }
#controls { position: sticky; top: 0; background: #fff; padding: 0.5rem 0; border-bottom: 1px solid #ddd; }
nav.pages a, nav.pages strong { margin-right: 0.6rem; }
"""

_SCRIPT = """
function applyFilter(kind, value) {
  let shown = 0;
  for (const doc of document.querySelectorAll('.doc')) {
    const names = (kind === 'category' ? doc.dataset.categories : doc.dataset.rules).split(' ');
    const visible = !value || names.includes(value);
    doc.classList.toggle('hidden', !visible);
    if (visible) shown++;
    for (const item of doc.querySelectorAll('mark, ol.why li')) {
      item.classList.toggle('dim', Boolean(value) && item.dataset[kind] !== value);
    }
  }
  document.getElementById('shown').textContent = shown;
  for (const other of ['rule', 'category']) {
    const select = document.getElementById(other + '-filter');
    const wanted = other === kind ? value : '';
    if (select.value !== wanted) select.value = wanted;
  }
}
for (const kind of ['rule', 'category']) {
  document.getElementById(kind + '-filter').addEventListener('change', (event) => {
    const value = event.target.value;
    history.replaceState(null, '', value ? '#' + kind + '=' + value : '#');
    applyFilter(kind, value);
  });
}
const asked = new URLSearchParams(location.hash.slice(1));
if (asked.get('category')) applyFilter('category', asked.get('category'));
else applyFilter('rule', asked.get('rule') || '');
"""


@dataclass(frozen=True)
class Scope:
    """What a report is of: a run or a clean folder, with the counts of that same scope."""

    title: str
    note: str
    counts: list[tuple[str, str]]


def _scope(target: Path, entries: list[Entry], documents: int) -> Scope:
    """A run folder (or a run's removals.jsonl) reports that run, with its summary's counts; any
    other target reports what it holds now, with counts taken from its own records."""
    folder = target if target.is_dir() else target.parent
    summary_file = folder / "summary.json"
    if summary_file.is_file():
        run = json.loads(summary_file.read_text(encoding="utf-8"))
        keys = ("documents", "cleaned", "rejected", "unchanged", "chars_in", "chars_out", "rules_version")
        dry = " (dry run: nothing was written)" if run.get("dry_run") else ""
        return Scope(
            f"run {run.get('run_id', folder.name)}{dry}",
            f"what the run {run.get('run_id', folder.name)} removed, from {folder}",
            [(key, f"{run[key]:,}" if isinstance(run[key], int) else str(run[key])) for key in keys if key in run],
        )
    removed = sum(len(e.text) for e in entries)
    return Scope(
        f"clean folder {target}",
        f"what the cleaned documents in {target} hold now, whichever runs wrote them "
        f"(one run's report: newsclean report {target}/_runs/<run>)",
        [
            ("documents with removals", f"{documents:,}"),
            ("removed spans", f"{len(entries):,}"),
            ("removed characters", f"{removed:,}"),
        ],
    )


def _anchor(kind: str, name: str) -> str:
    return html.escape(f"{kind}-{name}", quote=True)


def _bars(rows: list[dict[str, Any]], key: str) -> str:
    """One bar per rule or category, each a link to the list of its spans."""
    top = max((row["chars"] for row in rows), default=1) or 1
    cells = []
    for row in rows:
        category = row.get("category", row[key])
        colour = CATEGORY_COLOURS.get(category, "#ccc")
        width = max(0.5, 100 * row["chars"] / top)
        link = f'href="#{_anchor(key, row[key])}"'
        cells.append(
            f"<div><a {link}>{html.escape(row[key])}</a></div>"
            f'<div><a {link} class="bar" style="width:{width:.1f}%;background:{colour}" '
            f'title="the spans of {html.escape(row[key])}"></a></div>'
            f"<div>{row['chars']:,} chars, {row['spans']:,} spans, {row['documents']:,} docs</div>"
        )
    return f'<div class="bars" data-chart="{key}">' + "".join(cells) + "</div>"


def _highlighted(text: str, entries: list[Entry]) -> str:
    """The raw text with each removed span marked and numbered; the numbers are those of _reasons."""
    parts, cursor = [], 0
    for number, entry in enumerate(entries, 1):
        if entry.start < cursor or entry.end > len(text):
            continue
        parts.append(html.escape(text[cursor : entry.start]))
        title = f"{entry.rule} ({entry.category}): {entry.reason}"
        parts.append(
            f'<mark data-rule="{html.escape(entry.rule)}" data-category="{html.escape(entry.category)}" '
            f'style="background:{CATEGORY_COLOURS.get(entry.category, "#ccc")}" title="{html.escape(title)}">'
            f"{html.escape(text[entry.start : entry.end])}<sup>{number}</sup></mark>"
        )
        cursor = entry.end
    parts.append(html.escape(text[cursor:]))
    return "".join(parts)


def _reasons(entries: list[Entry]) -> str:
    """Per numbered span: its rule, category and reason, in the page (not only on hover)."""
    items = "".join(
        f'<li data-rule="{html.escape(e.rule)}" data-category="{html.escape(e.category)}">'
        f"<code>{html.escape(e.rule)}</code> ({html.escape(e.category)}, {len(e.text):,} chars): "
        f"{html.escape(e.reason)}</li>"
        for e in entries
    )
    return f'<ol class="why">{items}</ol>'


def _document(doc_id: str, entries: list[Entry], text: str | None) -> str:
    rules = sorted({e.rule for e in entries})
    categories = sorted({e.category for e in entries})
    if text is None:
        body = "<p><em>raw text not found: the removed spans alone</em></p>" + "".join(
            f"<pre>{_highlighted(e.text, [replace(e, start=0, end=len(e.text))])}</pre>" for e in entries
        )
    else:
        body = f"<pre>{_highlighted(text, entries)}</pre>"
    removed = sum(len(e.text) for e in entries)
    return (
        f'<section class="doc" id="{_anchor("doc", doc_id)}" data-rules="{html.escape(" ".join(rules))}" '
        f'data-categories="{html.escape(" ".join(categories))}">'
        f"<h3>{html.escape(doc_id)}</h3><p>{len(entries)} removals, {removed:,} characters</p>"
        f"{body}{_reasons(entries)}</section>"
    )


def _span_lists(
    kind: str,
    rows: list[dict[str, Any]],
    entries: list[Entry],
    text_of: Callable[[Entry], str | None],
    page_of: dict[str, str],
    per_list: int,
) -> str:
    """Per rule (or category): its spans, each with the line before and after it and its reason."""
    chosen: dict[str, list[Entry]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for entry in entries:
        name = entry.rule if kind == "rule" else entry.category
        counts[name] += 1
        if len(chosen[name]) < per_list:
            chosen[name].append(entry)
    sections = []
    for row in rows:
        name = row[kind]
        items = []
        for entry in chosen[name]:
            text = text_of(entry)
            before, after = context(text, entry.start, entry.end) if text is not None else ("", "")
            shown = entry.text if len(entry.text) <= SPAN_TEXT_SHOWN else entry.text[:SPAN_TEXT_SHOWN] + " …"
            colour = CATEGORY_COLOURS.get(entry.category, "#ccc")
            link = f"{page_of.get(entry.doc_id, '')}#{_anchor('doc', entry.doc_id)}"
            items.append(
                f'<div class="span"><a href="{link}">{html.escape(entry.doc_id)}</a> '
                f"<code>{html.escape(entry.rule)}</code> [{entry.start}:{entry.end}]<br>"
                + (f'<span class="ctx">{html.escape(before)}</span><br>' if before else "")
                + f'<span class="cut" style="background:{colour}">{html.escape(shown)}</span><br>'
                + (f'<span class="ctx">{html.escape(after)}</span><br>' if after else "")
                + f'<span class="reason">why: {html.escape(entry.reason)}</span></div>'
            )
        more = (
            f"<p>the first {per_list} of {counts[name]:,} spans; all of them: "
            f"<code>newsclean log show --{kind} {html.escape(name)} --limit {counts[name]}</code></p>"
            if counts[name] > per_list
            else ""
        )
        sections.append(
            f'<section class="spans" id="{_anchor(kind, name)}"><h3>{html.escape(name)}: '
            f"{counts[name]:,} spans</h3>{''.join(items)}{more}</section>"
        )
    return "".join(sections)


def page_names(first: str, pages: int) -> list[str]:
    """`report.html`, `report-2.html`, ...: the file names of a report's pages, first one given."""
    stem, dot, suffix = first.rpartition(".")
    if not dot:
        stem, suffix = first, "html"
    return [first] + [f"{stem}-{number}.{suffix}" for number in range(2, pages + 1)]


def _pager(names: list[str], current: int) -> str:
    if len(names) < 2:
        return ""
    links = [
        f"<strong>{number}</strong>" if number == current else f'<a href="{html.escape(name)}">{number}</a>'
        for number, name in enumerate(names, 1)
    ]
    return f'<nav class="pages">pages of documents: {"".join(links)}</nav>'


def build_report(
    target: Path,
    raw: Path | None,
    *,
    first_page: str = "report.html",
    per_page: int = DEFAULT_PER_PAGE,
    spans_per_list: int = DEFAULT_SPANS_PER_LIST,
) -> dict[str, str]:
    """The report's pages of a run folder, a clean folder or a removals file, by file name (the
    first is `first_page`); raw texts from `raw` when given."""
    entries = list(read_entries(target))
    summary = summarize(iter(entries))
    by_document: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_document[entry.doc_id].append(entry)
    for doc_entries in by_document.values():
        doc_entries.sort(key=lambda e: e.start)
    documents = sorted(by_document)
    scope = _scope(target, entries, len(documents))
    pages = [documents[i : i + per_page] for i in range(0, len(documents), per_page)] or [[]]
    names = page_names(first_page, len(pages))
    page_of = {doc_id: names[number] for number, chunk in enumerate(pages) for doc_id in chunk}
    texts: dict[str, str | None] = {}

    def text_of(entry: Entry) -> str | None:
        if entry.doc_id not in texts:
            texts[entry.doc_id] = raw_text_of(raw, entry)
        return texts[entry.doc_id]

    counts = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>" for k, v in scope.counts)
    header = (
        f"<h1>newsclean report: {html.escape(scope.title)}</h1>"
        f'<p class="scope">{html.escape(scope.note)}</p><table class="counts">{counts}</table>'
    )
    legend = "".join(
        f'<span style="background:{colour}">{category}</span>' for category, colour in CATEGORY_COLOURS.items()
    )

    def options(rows: list[dict[str, Any]], key: str) -> str:
        return "".join(f'<option value="{html.escape(r[key])}">{html.escape(r[key])}</option>' for r in rows)

    controls = (
        f'<div id="controls"><label>rule <select id="rule-filter"><option value="">all rules</option>'
        f"{options(summary['rules'], 'rule')}</select></label> "
        f'<label>category <select id="category-filter"><option value="">all categories</option>'
        f"{options(summary['categories'], 'category')}</select></label> "
        f'<span id="shown"></span> documents shown <span class="legend">{legend}</span></div>'
    )
    overview = (
        f"<p>{len(entries):,} removed spans in {len(documents):,} documents</p>"
        f"<h2>Removed characters by category</h2>{_bars(summary['categories'], 'category')}"
        f"<h2>Removed characters by rule</h2>{_bars(summary['rules'], 'rule')}"
        f"<h2>Spans by category</h2>"
        f"{_span_lists('category', summary['categories'], entries, text_of, page_of, spans_per_list)}"
        f"<h2>Spans by rule</h2>"
        f"{_span_lists('rule', summary['rules'], entries, text_of, page_of, spans_per_list)}"
    )
    built = {}
    for number, (name, chunk) in enumerate(zip(names, pages, strict=True), 1):
        first = (number - 1) * per_page + 1  # every page but the last holds per_page documents
        where = f"documents {first:,}-{first + len(chunk) - 1:,}"
        heading = f"<h2>Documents ({where} of {len(documents):,})</h2>" if chunk else "<h2>Documents</h2>"
        back = "" if number == 1 else f'<p><a href="{html.escape(names[0])}">the summary, charts and span lists</a></p>'
        sections = "".join(_document(doc_id, by_document[doc_id], text_of(by_document[doc_id][0])) for doc_id in chunk)
        built[name] = (
            "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
            f"<title>newsclean report: {html.escape(scope.title)}</title><style>{_STYLE}</style></head><body>"
            f"{header}{overview if number == 1 else back}{heading}{_pager(names, number)}{controls}{sections}"
            f"{_pager(names, number)}<script>{_SCRIPT}</script></body></html>"
        )
        texts.clear()  # a page's texts are not needed by the next
    return built
