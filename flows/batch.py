"""Units of work: a batch of text files or one JSON Lines shard, read, cleaned, written.

Plain Python with no Prefect in it, so that the flow's task, the benchmark and the tests run the
very same code. A unit writes every output atomically and returns only counts and the new state
of its sources; the flow commits that state once the unit is done.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from cleaners import Cleaner, Rejected
from cleaners.documents import (
    DEFAULT_MAX_BYTES,
    SOURCE_TEXT_SUFFIX,
    RawDocument,
    SourceFile,
    SourceRejection,
    file_sha256,
    iter_shard,
    read_document,
)
from cleaners.html import ExtractedPage
from cleaners.model import CleanedDocument
from cleaners.statistics import CorpusStatistics, KeyedEvidence, site_of
from cleaners.view import BatchStats

from . import progress
from .corpus import load_statistics
from .io import AtomicWriter, atomic_write_json, atomic_write_text, jsonl
from .state import SourceState
from .tally import removal_rows

RUNS_FOLDER = "_runs"
PAGES_FOLDER = "pages"  # in a run's folder: the pages its first pass extracted, until they are cleaned
# Documents a unit (a Prefect task): enough work to dwarf a task run's cost, few enough to spread.
DEFAULT_BATCH_SIZE = 200


@dataclass(frozen=True, slots=True)
class Job:
    """What every batch of one run shares. Only strings and numbers: it travels to workers."""

    raw: str
    clean: str
    run_id: str
    rules: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    batch_size: int = DEFAULT_BATCH_SIZE
    dry_run: bool = False  # write the logs only: no cleaned files, nothing the next run would trust
    # The folder of the corpus statistics the units read (flows.corpus); None: each batch is its own corpus.
    statistics: str | None = None

    @property
    def run_folder(self) -> Path:
        return Path(self.clean) / RUNS_FOLDER / self.run_id

    @property
    def parts_folder(self) -> Path:
        return self.run_folder / "parts"

    @property
    def rules_version(self) -> str:
        return cleaner_for(self.rules).rules_version


@lru_cache(maxsize=8)
def cleaner_for(rules: str | None) -> Cleaner:
    """One Cleaner per rules file and process: building the rules costs more than a document."""
    return Cleaner(rules_path=rules)


def contract_record(
    doc: RawDocument, cleaned: CleanedDocument, rules_version: str, run_id: str, statistics: BatchStats
) -> dict[str, Any]:
    """The per-document JSON of CONTRACT.md (for HTML: the name of its source text, the page's
    metadata), and which corpus statistics its cleaning read."""
    html = {"source_text": doc.doc_id + SOURCE_TEXT_SUFFIX, **doc.page.metadata} if doc.page is not None else {}
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
        "statistics": statistics.describe(),
        "removals": [r.to_dict() for r in cleaned.removals],
        "overruled": [o.to_dict() for o in cleaned.overruled],
        **({"taken_back": [t.to_dict() for t in cleaned.taken_back]} if cleaned.taken_back else {}),
        **({"line_model": f"not applied: {cleaned.line_model_not_applied}"} if cleaned.line_model_not_applied else {}),
        **({"set_aside": cleaned.set_aside} if cleaned.set_aside else {}),
        **html,
        **({"decode_replacements": doc.replacements} if doc.replacements else {}),
    }


@dataclass
class BatchReport:
    """Counts of one batch; small, so it is cheap to send back from a worker."""

    documents: int = 0
    cleaned: int = 0
    rejected: int = 0
    unchanged: int = 0
    set_aside: int = 0  # HTML pages the text rules read instead of the extractor
    chars_in: int = 0
    chars_out: int = 0
    languages: Counter[str] = field(default_factory=Counter)
    category_spans: Counter[str] = field(default_factory=Counter)
    category_chars: Counter[str] = field(default_factory=Counter)
    rule_spans: Counter[str] = field(default_factory=Counter)
    rule_chars: Counter[str] = field(default_factory=Counter)
    rule_documents: Counter[str] = field(default_factory=Counter)
    category_documents: Counter[str] = field(default_factory=Counter)
    rule_category: dict[str, str] = field(default_factory=dict)
    reject_reasons: Counter[str] = field(default_factory=Counter)
    # The unit whose documents these are: each one counted here is reported to the run's progress
    # as it ends. None for the run's totals, which only merge.
    unit: int | None = None

    def _ended(self) -> None:
        if self.unit is not None:
            progress.advance(self.unit)

    def add_cleaned(self, cleaned: CleanedDocument) -> None:
        self.documents += 1
        self.cleaned += 1
        self.chars_in += cleaned.chars_in
        self.chars_out += cleaned.chars_out
        self.set_aside += bool(cleaned.set_aside)
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
        for category in {r.category for r in cleaned.removals}:
            self.category_documents[category] += 1
        self._ended()

    def add_unchanged(self) -> None:
        """A source touched, not changed: the earlier output stands."""
        self.unchanged += 1
        self._ended()

    def add_rejected(self, reason: str) -> None:
        self.documents += 1
        self.rejected += 1
        self.reject_reasons[reason.split(":")[0].split("(")[0].strip()] += 1
        self._ended()

    def merge(self, other: BatchReport) -> None:
        for name in ("documents", "cleaned", "rejected", "unchanged", "set_aside", "chars_in", "chars_out"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in (
            "languages",
            "category_spans",
            "category_chars",
            "rule_spans",
            "rule_chars",
            "rule_documents",
            "category_documents",
            "reject_reasons",
        ):
            getattr(self, name).update(getattr(other, name))
        self.rule_category.update(other.rule_category)

    def rule_rows(self) -> list[dict[str, Any]]:
        """One row a rule, most characters first: the table people tune rules from."""
        return removal_rows("rule", self.rule_chars, self.rule_spans, self.rule_documents, self.rule_category)

    def category_rows(self) -> list[dict[str, Any]]:
        """One row a category, most characters first (the same columns as rule_rows)."""
        return removal_rows("category", self.category_chars, self.category_spans, self.category_documents)

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "cleaned": self.cleaned,
            "rejected": self.rejected,
            "unchanged": self.unchanged,
            "set_aside": self.set_aside,
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


@dataclass
class UnitResult:
    """What a unit sends back to the flow: counts, the sources' new state, its log part's name."""

    part: str
    report: BatchReport
    states: list[SourceState]

    @property
    def failed(self) -> bool:
        return any(state.status == "failed" for state in self.states)


def part_name(number: int) -> str:
    return f"{number:06d}"


def _log_line(job: Job, doc: RawDocument, removal: dict[str, Any]) -> dict[str, Any]:
    return {"id": doc.doc_id, "source": doc.source, "run_id": job.run_id, **removal}


def _rejection_line(job: Job, rejection: SourceRejection) -> dict[str, Any]:
    return {**rejection.to_dict(), "run_id": job.run_id}


def write_rejections(job: Job, part: str, rejections: list[SourceRejection]) -> None:
    atomic_write_text(job.parts_folder / f"{part}.rejects.jsonl", jsonl(_rejection_line(job, r) for r in rejections))


def _state(job: Job, source: SourceFile, sha256: str, status: str, outputs: str) -> SourceState:
    return SourceState(
        source.source, source.size, source.mtime_ns, sha256, job.rules_version, job.run_id, status, outputs
    )


def write_outputs(
    clean_dir: Path, doc: RawDocument, cleaned: CleanedDocument, rules_version: str, run_id: str, statistics: BatchStats
) -> None:
    """A cleaned document's files: its text, its record, and for HTML the page's visible text."""
    if doc.is_html:  # the text the log's offsets refer to, written before the outputs that cite it
        atomic_write_text(clean_dir / f"{doc.doc_id}{SOURCE_TEXT_SUFFIX}", doc.text)
    atomic_write_text(clean_dir / f"{doc.doc_id}.txt", cleaned.cleaned_text + "\n")
    atomic_write_json(
        clean_dir / f"{doc.doc_id}.json", contract_record(doc, cleaned, rules_version, run_id, statistics)
    )


WRITE_ATTEMPTS = 3


def _write_with_retries(
    clean_dir: Path, doc: RawDocument, cleaned: CleanedDocument, rules_version: str, run_id: str, statistics: BatchStats
) -> str | None:
    """Writes a document's outputs, trying again at once on an I/O error (a passing one clears);
    returns the last error's words when every attempt failed."""
    for attempt in range(WRITE_ATTEMPTS):
        try:
            write_outputs(clean_dir, doc, cleaned, rules_version, run_id, statistics)
            return None
        except OSError as exc:
            if attempt == WRITE_ATTEMPTS - 1:
                return str(exc.strerror or exc)
    return None


def _page_cache(job: Job, source: SourceFile) -> Path:
    name = hashlib.sha1(source.source.encode("utf-8", "surrogatepass")).hexdigest()
    return job.run_folder / PAGES_FOLDER / f"{name}.json"


def _keep_page(job: Job, source: SourceFile, doc: RawDocument) -> None:
    """Keeps a page the first pass extracted for the unit that cleans it (an extraction costs more
    than reading the page's lines); a page that cannot be kept is extracted again."""
    assert doc.page is not None
    kept = {
        "sha256": doc.sha256,
        "encoding": doc.encoding,
        "replacements": doc.replacements,
        "url": doc.url,
        "page": doc.page.to_dict(),
    }
    with contextlib.suppress(OSError):
        atomic_write_text(_page_cache(job, source), json.dumps(kept))


def read_source(raw_dir: Path, source: SourceFile, job: Job, cleaner: Cleaner) -> RawDocument:
    """A document as its cleaning reads it; a page the first pass extracted from the same bytes
    is taken as it kept it."""
    cache = _page_cache(job, source)
    if source.kind == "html" and cache.is_file():
        try:
            kept = json.loads(cache.read_text(encoding="utf-8"))
            cache.unlink()
            if kept["sha256"] == file_sha256(raw_dir, source):
                page = ExtractedPage.from_dict(kept["page"])
                return RawDocument(
                    source.doc_id,
                    source.source,
                    kept["sha256"],
                    kept["encoding"],
                    page.text,
                    kept["url"],
                    page,
                    kept["replacements"],
                )
        except (OSError, ValueError, KeyError, TypeError):
            pass  # read it afresh
    return read_document(raw_dir, source, max_bytes=job.max_bytes, html_options=cleaner.settings["html"])


def gather_evidence(sources: list[SourceFile], job: Job, extract: frozenset[str] = frozenset()) -> list[KeyedEvidence]:
    """The first pass: the evidence of every document of these sources, read as their cleaning
    reads them (a page: its visible lines). A document that cannot be read adds none: its
    cleaning rejects it. The pages of `extract` (sources this run cleans) are extracted whole and
    kept for their cleaning; the others' visible lines are enough."""
    cleaner = cleaner_for(job.rules)
    raw_dir = Path(job.raw)
    evidence = []
    for source in sources:
        if source.kind == "shard":
            for item in iter_shard(raw_dir, source, max_bytes=job.max_bytes):
                if not isinstance(item, SourceRejection) and item.text.strip():
                    evidence.append(cleaner.evidence(item.text, site_of(item.source, item.url)).keys())
            continue
        whole = source.kind == "html" and source.source in extract
        try:
            doc = read_document(
                raw_dir, source, max_bytes=job.max_bytes, html_options=cleaner.settings["html"] if whole else None
            )
        except Rejected:
            continue
        text = doc.text
        if doc.page is not None:
            text = doc.page.shown_text
            if whole and not job.dry_run:
                _keep_page(job, source, doc)
        if text.strip():
            evidence.append(cleaner.evidence(text, site_of(doc.source, doc.url)).keys())
    return evidence


def gather_corpus(sources: list[SourceFile], job: Job, extract: frozenset[str] = frozenset()) -> CorpusStatistics:
    """The corpus statistics of these sources in one process: what a run's first pass gathers,
    for the evaluation, the training script and the benchmarks, which clean a set as a run does
    (`extract`: as for gather_evidence, when process_batch cleans them next)."""
    corpus = CorpusStatistics(rules_version=job.rules_version, generation=job.run_id)
    for item in gather_evidence(sources, job, extract):
        corpus.add(item)
    return corpus


def job_statistics(job: Job) -> CorpusStatistics | None:
    """The corpus statistics a job's units read; None: each batch is its own corpus."""
    return load_statistics(job.statistics) if job.statistics else None


def unit_statistics(
    cleaner: Cleaner, documents: list[RawDocument], corpus: CorpusStatistics | None
) -> list[BatchStats]:
    """For each document, what it reads of the corpus statistics (without them, of its batch's)."""
    evidence = [cleaner.evidence(doc.text, site_of(doc.source, doc.url)) for doc in documents]
    by_site = cleaner.statistics_for(evidence, corpus)
    return [by_site[item.site] for item in evidence]


def process_batch(number: int, sources: list[SourceFile], job: Job) -> UnitResult:
    """Cleans a batch of text files; every document ends cleaned, rejected or found unchanged."""
    cleaner = cleaner_for(job.rules)
    raw_dir, clean_dir = Path(job.raw), Path(job.clean)
    report = BatchReport(unit=number)
    states: list[SourceState] = []
    # (source, why, content hash, status): "failed" where the cause was the machine's, not the document's
    rejections: list[tuple[SourceFile, SourceRejection, str, str]] = []
    documents: list[tuple[SourceFile, RawDocument]] = []
    for source in sources:
        try:
            doc = read_source(raw_dir, source, job, cleaner)
        except Rejected as exc:
            rejections.append((source, SourceRejection(source.doc_id, source.source, str(exc)), "", "rejected"))
            continue
        if doc.sha256 == source.known_sha256 and outputs_exist(clean_dir, source):
            report.add_unchanged()
            states.append(_state(job, source, doc.sha256, "cleaned", doc.doc_id))
            continue
        documents.append((source, doc))
    statistics = unit_statistics(cleaner, [doc for _, doc in documents], job_statistics(job))
    log_lines: list[dict[str, Any]] = []
    for (source, doc), stats in zip(documents, statistics, strict=True):
        try:
            cleaned = cleaner.clean(doc.doc_id, doc.text, stats, doc.page)
        except Exception as exc:  # a rule's bug must not stop the run: the document is rejected
            reason = f"cleaning failed: {type(exc).__name__}: {exc}"
            rejections.append((source, SourceRejection(doc.doc_id, doc.source, reason), doc.sha256, "rejected"))
            continue
        if not job.dry_run:
            failure = _write_with_retries(clean_dir, doc, cleaned, cleaner.rules_version, job.run_id, stats)
            if failure:  # this document's files; the batch's others may still fit
                reason = f"cannot write its outputs: {failure}"
                rejections.append((source, SourceRejection(doc.doc_id, doc.source, reason), doc.sha256, "failed"))
                continue
        log_lines.extend(_log_line(job, doc, r.to_dict()) for r in cleaned.removals)
        report.add_cleaned(cleaned)
        states.append(_state(job, source, doc.sha256, "cleaned", doc.doc_id))
    for source, rejection, sha256, status in rejections:
        report.add_rejected(rejection.reason)
        states.append(_state(job, source, sha256, status, rejection.doc_id))
        if not job.dry_run:
            remove_outputs(clean_dir, source)  # an earlier run's output must not look current
    part = part_name(number)
    atomic_write_text(job.parts_folder / f"{part}.removals.jsonl", jsonl(log_lines))
    write_rejections(job, part, [r for _, r, _, _ in rejections])
    return UnitResult(part, report, states)


def shard_output(clean_dir: Path, source: SourceFile) -> Path:
    """Where a shard's cleaned records go: the shard's id, gzipped when the input was."""
    return clean_dir / source.outputs[0]


def outputs_exist(clean_dir: Path, source: SourceFile) -> bool:
    return all((clean_dir / name).is_file() for name in source.outputs)


def remove_outputs(clean_dir: Path, source: SourceFile) -> None:
    """Deletes what a source's cleaning wrote (files only: a folder in the way was never ours)."""
    for name in source.outputs:
        path = clean_dir / name
        if not path.is_dir():
            path.unlink(missing_ok=True)


def fail_unit(number: int, unit: list[SourceFile], job: Job, reason: str) -> UnitResult:
    """A unit that failed every retry: its documents are rejected with the reason and lose what
    the unit wrote, so none stays both cleaned and rejected; the next run cleans them again."""
    rejections = [SourceRejection(s.doc_id, s.source, reason) for s in unit]
    report = BatchReport()  # in the flow, after the unit: the flow settles its progress
    for source, rejection in zip(unit, rejections, strict=True):
        report.add_rejected(rejection.reason)
        if not job.dry_run:
            remove_outputs(Path(job.clean), source)
    part = part_name(number)
    (job.parts_folder / f"{part}.removals.jsonl").unlink(missing_ok=True)
    write_rejections(job, part, rejections)
    states = [_state(job, s, "", "failed", s.outputs[0] if s.kind == "shard" else s.doc_id) for s in unit]
    return UnitResult(part, report, states)


def process_shard(number: int, source: SourceFile, job: Job) -> UnitResult:
    """Cleans a JSON Lines shard as a stream, batch_size records at a time, into one output shard."""
    cleaner = cleaner_for(job.rules)
    raw_dir, clean_dir = Path(job.raw), Path(job.clean)
    report = BatchReport(unit=number)
    part = part_name(number)
    output = shard_output(clean_dir, source)
    try:
        sha256 = file_sha256(raw_dir, source)
    except Rejected as exc:
        rejection = SourceRejection(source.doc_id, source.source, f"cannot read the shard: {exc}")
        report.add_rejected(rejection.reason)
        atomic_write_text(job.parts_folder / f"{part}.removals.jsonl", "")
        write_rejections(job, part, [rejection])
        if not job.dry_run:
            remove_outputs(clean_dir, source)
        return UnitResult(part, report, [_state(job, source, "", "rejected", source.outputs[0])])
    if sha256 == source.known_sha256 and output.exists() and not source.taken_lines:
        report.add_unchanged()
        return UnitResult(part, report, [_state(job, source, sha256, "cleaned", source.outputs[0])])
    if job.dry_run:
        output = job.parts_folder / f"{part}.dry-run-records"  # written, then dropped with the parts
    with (
        AtomicWriter(output, gzipped=source.gzipped) as records,
        AtomicWriter(job.parts_folder / f"{part}.removals.jsonl") as log,
        AtomicWriter(job.parts_folder / f"{part}.rejects.jsonl") as rejects,
    ):
        chunk: list[RawDocument] = []

        def flush() -> None:
            for doc, stats in zip(chunk, unit_statistics(cleaner, chunk, job_statistics(job)), strict=True):
                try:
                    cleaned = cleaner.clean(doc.doc_id, doc.text, stats, doc.page)
                except Exception as exc:
                    reason = f"cleaning failed: {type(exc).__name__}: {exc}"
                    rejects.write(jsonl([_rejection_line(job, SourceRejection(doc.doc_id, doc.source, reason))]))
                    report.add_rejected(reason)
                    continue
                record = contract_record(doc, cleaned, cleaner.rules_version, job.run_id, stats)
                record["text"] = cleaned.cleaned_text
                if doc.is_html:
                    record["source_text"] = doc.text  # inline: a shard's records stand alone
                if doc.url:
                    record["url"] = doc.url
                try:  # one record that cannot be stored is that record's rejection, not the shard's
                    lines = jsonl([record]), jsonl(_log_line(job, doc, r.to_dict()) for r in cleaned.removals)
                    for line in lines:
                        line.encode("utf-8")
                except (ValueError, UnicodeError) as exc:
                    reason = f"the cleaned record cannot be written: {type(exc).__name__}: {exc}"
                    rejects.write(jsonl([_rejection_line(job, SourceRejection(doc.doc_id, doc.source, reason))]))
                    report.add_rejected(reason)
                    continue
                records.write(lines[0])
                log.write(lines[1])
                report.add_cleaned(cleaned)
            chunk.clear()

        for item in iter_shard(raw_dir, source, max_bytes=job.max_bytes, html_options=cleaner.settings["html"]):
            if isinstance(item, SourceRejection):
                rejects.write(jsonl([_rejection_line(job, item)]))
                report.add_rejected(item.reason)
                continue
            chunk.append(item)
            if len(chunk) >= job.batch_size:
                flush()
        flush()
    return UnitResult(part, report, [_state(job, source, sha256, "cleaned", source.outputs[0])])
