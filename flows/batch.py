"""One batch of documents: read, clean with shared statistics, write the contract's files.

Plain Python with no Prefect in it, so that the flow's task, the benchmark and the tests run the
very same code.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from cleaners import Cleaner, Rejected
from cleaners.documents import DEFAULT_MAX_BYTES, RawDocument, SourceFile, SourceRejection, read_document
from cleaners.model import CleanedDocument

from .io import atomic_write_json, atomic_write_text, jsonl

RUNS_FOLDER = "_runs"


@dataclass(frozen=True, slots=True)
class Job:
    """What every batch of one run shares. Only strings and numbers: it travels to workers."""

    raw: str
    clean: str
    run_id: str
    rules: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES

    @property
    def run_folder(self) -> Path:
        return Path(self.clean) / RUNS_FOLDER / self.run_id

    @property
    def parts_folder(self) -> Path:
        return self.run_folder / "parts"


@lru_cache(maxsize=8)
def cleaner_for(rules: str | None) -> Cleaner:
    """One Cleaner per rules file and process: building the rules costs more than a document."""
    return Cleaner(rules_path=rules)


def contract_record(doc: RawDocument, cleaned: CleanedDocument, rules_version: str, run_id: str) -> dict[str, Any]:
    """The per-document JSON of CONTRACT.md."""
    return {
        "id": doc.doc_id,
        "source": doc.source,
        "sha256": doc.sha256,
        "encoding": doc.encoding,
        "language": cleaned.language,
        "language_probability": cleaned.language_probability,
        "chars_in": cleaned.chars_in,
        "chars_out": cleaned.chars_out,
        "rules_version": rules_version,
        "run_id": run_id,
        "removals": [r.to_dict() for r in cleaned.removals],
        "overruled": [o.to_dict() for o in cleaned.overruled],
    }


@dataclass
class BatchReport:
    """Counts of one batch; small, so it is cheap to send back from a worker."""

    documents: int = 0
    cleaned: int = 0
    rejected: int = 0
    chars_in: int = 0
    chars_out: int = 0
    languages: Counter[str] = field(default_factory=Counter)
    category_spans: Counter[str] = field(default_factory=Counter)
    category_chars: Counter[str] = field(default_factory=Counter)
    rule_spans: Counter[str] = field(default_factory=Counter)
    rule_chars: Counter[str] = field(default_factory=Counter)
    rule_documents: Counter[str] = field(default_factory=Counter)
    rule_category: dict[str, str] = field(default_factory=dict)
    reject_reasons: Counter[str] = field(default_factory=Counter)

    def add_cleaned(self, cleaned: CleanedDocument) -> None:
        self.documents += 1
        self.cleaned += 1
        self.chars_in += cleaned.chars_in
        self.chars_out += cleaned.chars_out
        self.languages[cleaned.language] += 1
        for removal in cleaned.removals:
            size = removal.end - removal.start
            self.category_spans[removal.category] += 1
            self.category_chars[removal.category] += size
            self.rule_spans[removal.rule] += 1
            self.rule_chars[removal.rule] += size
            self.rule_category[removal.rule] = removal.category
        for rule in {r.rule for r in cleaned.removals}:
            self.rule_documents[rule] += 1

    def add_rejected(self, reason: str) -> None:
        self.documents += 1
        self.rejected += 1
        self.reject_reasons[reason.split(":")[0].split("(")[0].strip()] += 1

    def merge(self, other: BatchReport) -> None:
        for name in ("documents", "cleaned", "rejected", "chars_in", "chars_out"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in (
            "languages",
            "category_spans",
            "category_chars",
            "rule_spans",
            "rule_chars",
            "rule_documents",
            "reject_reasons",
        ):
            getattr(self, name).update(getattr(other, name))
        self.rule_category.update(other.rule_category)

    def rule_rows(self) -> list[dict[str, Any]]:
        """One row a rule, most characters first: the table people tune rules from."""
        total = sum(self.rule_chars.values()) or 1
        return [
            {
                "rule": rule,
                "category": self.rule_category.get(rule, ""),
                "documents": self.rule_documents[rule],
                "spans": self.rule_spans[rule],
                "chars": chars,
                "share_of_removed": round(chars / total, 4),
            }
            for rule, chars in self.rule_chars.most_common()
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "cleaned": self.cleaned,
            "rejected": self.rejected,
            "chars_in": self.chars_in,
            "chars_out": self.chars_out,
            "languages": dict(self.languages.most_common()),
            "removals_by_category": {
                c: {"spans": self.category_spans[c], "chars": self.category_chars[c]}
                for c, _ in self.category_chars.most_common()
            },
            "removals_by_rule": self.rule_rows(),
            "reject_reasons": dict(self.reject_reasons.most_common()),
        }


def write_rejections(job: Job, name: str, rejections: list[SourceRejection]) -> None:
    atomic_write_text(
        job.parts_folder / f"{name}.rejects.jsonl", jsonl({**r.to_dict(), "run_id": job.run_id} for r in rejections)
    )


def process_batch(number: int, sources: list[SourceFile], job: Job) -> BatchReport:
    """Cleans one batch and writes its files; every document ends cleaned or rejected."""
    cleaner = cleaner_for(job.rules)
    raw_dir, clean_dir = Path(job.raw), Path(job.clean)
    report = BatchReport()
    rejections: list[SourceRejection] = []
    documents: list[RawDocument] = []
    for source in sources:
        try:
            documents.append(read_document(raw_dir, source, max_bytes=job.max_bytes))
        except Rejected as exc:
            rejections.append(SourceRejection(source.doc_id, source.source, str(exc)))
    stats = cleaner.batch_stats(doc.text for doc in documents)
    log_lines: list[dict[str, Any]] = []
    for doc in documents:
        try:
            cleaned = cleaner.clean(doc.doc_id, doc.text, stats)
        except Exception as exc:  # a rule's bug must not stop the run: the document is rejected
            rejections.append(SourceRejection(doc.doc_id, doc.source, f"cleaning failed: {type(exc).__name__}: {exc}"))
            continue
        atomic_write_text(clean_dir / f"{doc.doc_id}.txt", cleaned.cleaned_text + "\n")
        atomic_write_json(
            clean_dir / f"{doc.doc_id}.json", contract_record(doc, cleaned, cleaner.rules_version, job.run_id)
        )
        log_lines.extend({"id": doc.doc_id, "run_id": job.run_id, **r.to_dict()} for r in cleaned.removals)
        report.add_cleaned(cleaned)
    for rejection in rejections:
        report.add_rejected(rejection.reason)
        for suffix in (".txt", ".json"):  # a document cleaned by an earlier run must not look current
            (clean_dir / f"{rejection.doc_id}{suffix}").unlink(missing_ok=True)
    name = f"{number:06d}"
    atomic_write_text(job.parts_folder / f"{name}.removals.jsonl", jsonl(log_lines))
    write_rejections(job, name, rejections)
    return report
