"""Reading what runs removed: summaries per rule and category, spans in context, differences.

A removal log can be read from three places: a clean folder (each document's JSON record, or the
records of its JSON Lines shards: what the folder holds now), a run folder (`_runs/<run>`, whose
`removals.jsonl` lists what that run removed), or any removals.jsonl file.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaners import Rejected
from cleaners.documents import SourceFile, read_document

from .batch import RUNS_FOLDER
from .state import STATE_FOLDER
from .tally import removal_rows


class LogError(ValueError):
    """A log that cannot be read; the message says what to give instead."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One removed span of one document, as the logs record it."""

    doc_id: str
    source: str
    start: int
    end: int
    rule: str
    category: str
    reason: str
    text: str


def _entries(record: dict[str, Any], removals: list[dict[str, Any]]) -> Iterator[Entry]:
    doc_id = record.get("id", "")
    source = record.get("source", "")
    for r in removals:
        yield Entry(doc_id, source, r["start"], r["end"], r["rule"], r["category"], r["reason"], r["text"])


def _jsonl_lines(path: Path) -> Iterator[dict[str, Any]]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as stream:
        for number, line in enumerate(stream, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise LogError(f"{path}: line {number} is not JSON ({exc.msg})") from None


def read_entries(target: Path) -> Iterator[Entry]:
    """Every removal that `target` (clean folder, run folder or removals file) records."""
    if target.is_file():
        for line in _jsonl_lines(target):
            yield from _entries(line, [line])
        return
    if not target.is_dir():
        raise LogError(f"{target} is neither a clean folder, a run folder nor a removals.jsonl file")
    if (target / "removals.jsonl").is_file():
        yield from read_entries(target / "removals.jsonl")
        return
    found = False
    for path in sorted(target.rglob("*")):
        relative = path.relative_to(target).parts
        if relative[0] in (RUNS_FOLDER, STATE_FOLDER) or not path.is_file():
            continue
        if path.suffix == ".json":
            record = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(record, dict) and "removals" in record:
                found = True
                yield from _entries(record, record["removals"])
        elif path.name.endswith((".jsonl", ".jsonl.gz")):
            for record in _jsonl_lines(path):
                if "removals" in record:
                    found = True
                    yield from _entries(record, record["removals"])
    if not found and not any(target.glob("*.txt")):
        raise LogError(f"{target} holds no cleaned documents: give a clean folder, a run folder or a removals.jsonl")


@dataclass
class Tally:
    documents: set[str] = field(default_factory=set)
    spans: int = 0
    chars: int = 0


def summarize(entries: Iterator[Entry]) -> dict[str, list[dict[str, Any]]]:
    """Per rule and per category: documents hit, spans, characters, share of all removed text."""
    by_rule: dict[str, Tally] = defaultdict(Tally)
    by_category: dict[str, Tally] = defaultdict(Tally)
    category_of: dict[str, str] = {}
    for entry in entries:
        for tally in (by_rule[entry.rule], by_category[entry.category]):
            tally.documents.add(entry.doc_id)
            tally.spans += 1
            tally.chars += len(entry.text)
        category_of[entry.rule] = entry.category

    def rows(tallies: dict[str, Tally], key: str) -> list[dict[str, Any]]:
        chars = {name: t.chars for name, t in tallies.items()}
        spans = {name: t.spans for name, t in tallies.items()}
        documents = {name: len(t.documents) for name, t in tallies.items()}
        return removal_rows(key, chars, spans, documents, category_of if key == "rule" else None)

    return {"rules": rows(by_rule, "rule"), "categories": rows(by_category, "category")}


def select(
    entries: Iterator[Entry], *, rule: str | None = None, category: str | None = None, doc_id: str | None = None
) -> Iterator[Entry]:
    for entry in entries:
        if (
            (rule is None or entry.rule == rule)
            and (category is None or entry.category == category)
            and (doc_id is None or entry.doc_id == doc_id)
        ):
            yield entry


def context(raw_text: str, start: int, end: int) -> tuple[str, str]:
    """The line before and the line after a span in the raw text (empty at the edges)."""
    before_end = raw_text.rfind("\n", 0, start)
    before = raw_text[: max(0, before_end)].rstrip("\n").rsplit("\n", 1)[-1] if before_end > 0 else ""
    after_start = raw_text.find("\n", end)
    after = raw_text[after_start + 1 :].lstrip("\n").split("\n", 1)[0] if after_start >= 0 else ""
    return before.strip(), after.strip()


def diff(old: Iterator[Entry], new: Iterator[Entry]) -> dict[str, dict[str, Any]]:
    """What a change of rules started and stopped removing, per rule: counts and examples.

    Spans are compared by document, rule and text, so offsets shifted by an earlier change do not
    count as differences; a span that moved from one rule to another counts for both.
    """

    def keyed(entries: Iterator[Entry]) -> Counter[tuple[str, str, str]]:
        return Counter((e.doc_id, e.rule, e.text) for e in entries)

    before, after = keyed(old), keyed(new)
    report: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"started": 0, "stopped": 0, "started_chars": 0, "stopped_chars": 0, "examples": []}
    )
    for (doc_id, rule, text), count in (after - before).items():
        row = report[rule]
        row["started"] += count
        row["started_chars"] += len(text) * count
        row["examples"].append({"change": "started", "id": doc_id, "text": text})
    for (doc_id, rule, text), count in (before - after).items():
        row = report[rule]
        row["stopped"] += count
        row["stopped_chars"] += len(text) * count
        row["examples"].append({"change": "stopped", "id": doc_id, "text": text})
    return dict(sorted(report.items(), key=lambda item: -(item[1]["started_chars"] + item[1]["stopped_chars"])))


def raw_folder_of(target: Path, given: Path | None) -> Path | None:
    """The raw folder of the run that wrote `target`: given, or the latest run summary's."""
    if given is not None:
        return given
    clean = target if target.is_dir() else target.parent
    for folder in (clean, clean.parent, clean.parent.parent):
        summaries = sorted(folder.glob("_runs/*/summary.json")) + sorted(folder.glob("summary.json"))
        for summary in reversed(summaries):
            raw = json.loads(summary.read_text(encoding="utf-8")).get("raw")
            if raw and Path(raw).is_dir():
                return Path(raw)
    return None


def raw_text_of(raw: Path | None, entry: Entry) -> str | None:
    """The decoded raw text an entry's offsets refer to; None when it cannot be found."""
    if raw is None:
        return None
    for source in [entry.source] if entry.source else [f"{entry.doc_id}.txt", f"{entry.doc_id}.txt.gz"]:
        try:
            return read_document(raw, SourceFile(entry.doc_id, source, source)).text
        except (Rejected, OSError):
            continue
    return None
