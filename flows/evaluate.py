"""`newsclean eval`: clean the documents of a gold file in this process and say where the rules err.

The gold format is ../shared/CONTRACT.md's: a JSON line a document, with `segments` (offsets into
the decoded raw text, a `label` that is `keep` or a category, `boilerplate` where a benchmark does
not tell categories apart, and `required`) and optionally the human `gold_text`. A segment counts
as removed when removals cover at least 90% of its non-space characters, and as kept when they
cover at most 10%; only required segments are judged.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaners import Cleaner, Rejected
from cleaners.documents import RawDocument, SourceFile, read_document, split_name
from cleaners.model import CleanedDocument, Removal

from .batch import DEFAULT_BATCH_SIZE, Job, gather_corpus, unit_statistics

GENERIC_LABEL = "boilerplate"
COVERED = 0.9


class GoldError(ValueError):
    """A gold file that cannot be used; the message says what is wrong."""


def read_gold(path: Path) -> list[dict[str, Any]]:
    try:
        lines = [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
        golds = [json.loads(line) for line in lines]
    except FileNotFoundError:
        raise GoldError(f"gold file not found: {path}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GoldError(f"gold file {path} is not JSON Lines: {exc}") from None
    for number, gold in enumerate(golds, 1):
        if not isinstance(gold, dict) or "segments" not in gold or ("source" not in gold and "id" not in gold):
            raise GoldError(f"gold file {path}, line {number}: needs `id` or `source`, and `segments`")
    return golds


def token_list(text: str) -> list[str]:
    """The benchmark's tokens in order: lower-cased runs of word characters."""
    return re.findall(r"\w+", text.lower())


def tokens(text: str) -> Counter[str]:
    return Counter(token_list(text))


def token_scores(got: Counter[str], want: Counter[str]) -> tuple[float, float, float]:
    if not got and not want:
        return 1.0, 1.0, 1.0
    common = sum((got & want).values())
    precision, recall = common / max(1, sum(got.values())), common / max(1, sum(want.values()))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def removed_mask(text: str, removals: list[Removal]) -> bytearray:
    """1 for every character of the text that a removal covers."""
    mask = bytearray(len(text))
    for removal in removals:
        mask[removal.start : removal.end] = b"\x01" * (removal.end - removal.start)
    return mask


def covered_share(text: str, start: int, end: int, mask: bytearray) -> float:
    """Share of the segment's non-space characters that the removals cover."""
    positions = [i for i in range(start, min(end, len(text))) if not text[i].isspace()]
    if not positions:
        return 1.0
    return sum(mask[i] for i in positions) / len(positions)


@dataclass
class Evaluation:
    documents: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    token_prf: list[tuple[float, float, float]] = field(default_factory=list)
    # per gold category: required segments, and how many of them were removed
    category_segments: Counter[str] = field(default_factory=Counter)
    category_removed: Counter[str] = field(default_factory=Counter)
    keep_segments: int = 0
    keep_kept: int = 0
    # per rule: removals, those that took text labelled keep, and examples of those
    rule_removals: Counter[str] = field(default_factory=Counter)
    rule_took_keep: Counter[str] = field(default_factory=Counter)
    rule_examples: dict[str, list[dict[str, str]]] = field(default_factory=lambda: defaultdict(list))
    # per category of ours: judged removals, and those that landed on boilerplate of the same
    # category (or on generic boilerplate)
    our_category_removals: Counter[str] = field(default_factory=Counter)
    our_category_right: Counter[str] = field(default_factory=Counter)

    def add(self, gold: dict[str, Any], cleaned: CleanedDocument, examples: int) -> None:
        self.documents += 1
        removals = cleaned.removals
        want = gold.get("gold_text")
        if want is None:
            want = " ".join(s["text"] for s in gold["segments"] if s["label"] == "keep")
        self.token_prf.append(token_scores(tokens(cleaned.cleaned_text), tokens(want)))
        required = [s for s in gold["segments"] if s.get("required", True)]
        mask = removed_mask(cleaned.raw_text, removals)
        for segment in required:
            share = covered_share(cleaned.raw_text, segment["start"], segment["end"], mask)
            if segment["label"] == "keep":
                self.keep_segments += 1
                self.keep_kept += share <= 1 - COVERED
            else:
                self.category_segments[segment["label"]] += 1
                self.category_removed[segment["label"]] += share >= COVERED
        for removal in removals:
            self.rule_removals[removal.rule] += 1
            overlapping = [s for s in required if s["start"] < removal.end and removal.start < s["end"]]
            if overlapping:  # removals of text the gold does not judge count neither way
                self.our_category_removals[removal.category] += 1
            labels = {s["label"] for s in overlapping}
            if "keep" in labels:
                self.rule_took_keep[removal.rule] += 1
                if len(self.rule_examples[removal.rule]) < examples:
                    kept = next(s for s in overlapping if s["label"] == "keep")
                    self.rule_examples[removal.rule].append(
                        {"id": gold.get("id", ""), "text": kept["text"][:200], "reason": removal.reason}
                    )
            elif labels & {removal.category, GENERIC_LABEL}:
                self.our_category_right[removal.category] += 1

    def to_dict(self) -> dict[str, Any]:
        count = max(1, len(self.token_prf))
        precision, recall, f1 = (sum(v[i] for v in self.token_prf) / count for i in range(3))
        categories = sorted(set(self.category_segments) | set(self.our_category_removals))
        return {
            "documents": self.documents,
            "rejected": [{"id": i, "reason": r} for i, r in self.rejected],
            "token_precision": round(precision, 4),
            "token_recall": round(recall, 4),
            "token_f1": round(f1, 4),
            "keep_rate": round(self.keep_kept / self.keep_segments, 4) if self.keep_segments else None,
            "categories": [
                {
                    "category": c,
                    "gold_segments": self.category_segments[c],
                    "recall": round(self.category_removed[c] / self.category_segments[c], 4)
                    if self.category_segments[c]
                    else None,
                    "our_removals": self.our_category_removals[c],
                    "precision": round(self.our_category_right[c] / self.our_category_removals[c], 4)
                    if self.our_category_removals[c]
                    else None,
                }
                for c in categories
            ],
            "rules": [
                {
                    "rule": rule,
                    "removals": n,
                    "took_keep": self.rule_took_keep[rule],
                    "examples": self.rule_examples.get(rule, []),
                }
                for rule, n in sorted(self.rule_removals.items(), key=lambda item: -self.rule_took_keep[item[0]])
            ],
        }


def evaluate(gold_path: Path, raw_dir: Path, rules: str | None = None, examples: int = 3) -> dict[str, Any]:
    """Cleans every document of the gold file from raw_dir as a run does (the corpus statistics
    of all of them first, then batches), and scores it."""
    golds = read_gold(gold_path)
    cleaner = Cleaner(rules_path=rules)
    result = Evaluation()
    sources = []
    for gold in golds:
        source = gold.get("source") or f"{gold['id']}.txt"
        sources.append((gold, SourceFile(split_name(source)[0], source, source)))
    job = Job(str(raw_dir), "", "evaluation", rules=rules)
    corpus = gather_corpus([source for _, source in sources], job)
    for start in range(0, len(sources), DEFAULT_BATCH_SIZE):
        documents: list[tuple[dict[str, Any], RawDocument]] = []
        for gold, source_file in sources[start : start + DEFAULT_BATCH_SIZE]:
            try:
                document = read_document(raw_dir, source_file, html_options=cleaner.settings["html"])
            except Rejected as exc:
                result.rejected.append((gold.get("id", source_file.doc_id), str(exc)))
                continue
            documents.append((gold, document))
        statistics = unit_statistics(cleaner, [document for _, document in documents], corpus)
        for (gold, document), stats in zip(documents, statistics, strict=True):
            result.add(gold, cleaner.clean(gold.get("id", ""), document.text, stats, document.page), examples)
    report = result.to_dict()
    report["rules_version"] = cleaner.rules_version
    return report
