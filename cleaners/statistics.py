"""Corpus statistics: the evidence across documents that rules read, gathered from every document
of a corpus before any of them is cleaned, so that a document's cleaning does not depend on the
batch it falls in, nor on whether it came in a full run or an incremental one.

Two counts, as dolma's and datatrove's corpus-level taggers keep them beside the text:
- in how many documents of the corpus a content word stands (the topic rules' IDF);
- in how many documents of a site a line stands (site furniture: `navigation.repeated_line` and the
  line model's shared-line feature). A site is the URL host a document names, else its top
  subfolder in the raw folder, else the raw folder as a whole.
Each distinct content counts once a site: a copy of a page is no evidence that its lines are
furniture.

Words and lines are kept as 64-bit xxh3 keys in sorted arrays, twelve bytes a distinct key, so
that statistics of millions of documents fit in memory, in one folder of `.npy` files that every
worker maps without reading it whole.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
from xxhash import xxh3_64_intdigest

from .view import BatchStats

KEY = np.uint64
COUNT = np.uint32
# Keys gathered before they are folded into the sorted arrays: bounds the memory of a pass.
PENDING_KEYS = 20_000_000
FORMAT = 1


def stable_key(text: str) -> int:
    """A 64-bit key of a string, the same in every process and machine (Python's hash() is salted)."""
    return xxh3_64_intdigest(text.encode("utf-8", "surrogatepass"))


def _keys(texts: Iterable[str]) -> np.ndarray:
    return np.fromiter((stable_key(t) for t in texts), dtype=KEY)


def _line_keys(site: str, lines: Iterable[str]) -> np.ndarray:
    """The keys of a site's lines: a line counts per site."""
    return _keys(f"{site}\x00{line}" for line in lines)


def site_of(source: str, url: str | None = None) -> str:
    """Where a document's furniture comes from: the host its URL names, else the top subfolder of
    its path in the raw folder, else "" (the raw folder as one site)."""
    if url:
        try:
            host = urlsplit(url).hostname
        except ValueError:
            host = None
        if host:
            return host.removeprefix("www.")
    folder, _, rest = source.partition("/")
    return folder if rest else ""


@dataclass(frozen=True, slots=True)
class Evidence:
    """One document's part of the statistics: its site, its content's key, its words (stopwords
    too: a word's document frequency does not depend on the language of the documents holding
    it) and its lines (as `text.batch_line_key` writes them)."""

    site: str
    content: int  # stable_key of the document's site and text
    terms: frozenset[str]
    lines: frozenset[str]

    def keys(self) -> KeyedEvidence:
        """The evidence as the arrays a worker sends back to the flow."""
        return KeyedEvidence(self.site, self.content, _keys(self.terms), _line_keys(self.site, self.lines))


@dataclass(frozen=True, slots=True)
class KeyedEvidence:
    """A document's evidence as keys: small to send from a worker, all the statistics keep."""

    site: str
    content: int
    terms: np.ndarray
    lines: np.ndarray  # keys of (site, line)


class CountTable:
    """Counts of 64-bit keys: sorted keys and their counts, with keys not yet folded in."""

    def __init__(self, keys: np.ndarray | None = None, counts: np.ndarray | None = None) -> None:
        self.keys = keys if keys is not None else np.empty(0, dtype=KEY)
        self.counts = counts if counts is not None else np.empty(0, dtype=COUNT)
        self._pending: list[np.ndarray] = []
        self._pending_size = 0

    def add(self, keys: np.ndarray) -> None:
        """Counts each key once more (a document's keys are distinct)."""
        self._pending.append(keys)
        self._pending_size += len(keys)
        if self._pending_size >= PENDING_KEYS:
            self.fold()

    def fold(self) -> None:
        """Merges the pending keys into the sorted arrays."""
        if not self._pending:
            return
        new_keys, new_counts = np.unique(np.concatenate(self._pending), return_counts=True)
        self._pending, self._pending_size = [], 0
        keys = np.concatenate([self.keys, new_keys])
        counts = np.concatenate([self.counts.astype(np.int64), new_counts])
        order = np.argsort(keys, kind="stable")
        keys, counts = keys[order], counts[order]
        unique, starts = np.unique(keys, return_index=True)
        self.keys = unique.astype(KEY)
        self.counts = np.minimum(np.add.reduceat(counts, starts), np.iinfo(COUNT).max).astype(COUNT)

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """The count of each key (0 for a key never counted)."""
        self.fold()
        if not len(self.keys) or not len(keys):
            return np.zeros(len(keys), dtype=np.int64)
        where = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        found = self.keys[where] == keys
        return np.where(found, self.counts[where], 0).astype(np.int64)

    def __len__(self) -> int:
        self.fold()
        return len(self.keys)


@dataclass
class CorpusStatistics:
    """The statistics of one corpus: documents, per site; content words; lines per site."""

    documents: int = 0
    site_documents: Counter[str] = field(default_factory=Counter)
    terms: CountTable = field(default_factory=CountTable)
    lines: CountTable = field(default_factory=CountTable)
    # The (site, content) keys counted: those of earlier gatherings sorted (mapped, not read), and
    # the ones this gathering added.
    counted: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=KEY))
    added: set[int] = field(default_factory=set)
    rules_version: str = ""
    # Which gathering this is, named in every record cleaned with it.
    generation: str = ""

    def add(self, evidence: KeyedEvidence) -> bool:
        """Counts a document unless its content was counted already; whether it was new."""
        if self.holds(evidence.content):
            return False
        self.added.add(evidence.content)
        self.documents += 1
        self.site_documents[evidence.site] += 1
        self.terms.add(evidence.terms)
        self.lines.add(evidence.lines)
        return True

    def holds(self, content: int) -> bool:
        """Whether a document of this (site, content) key was counted."""
        if content in self.added:
            return True
        where = int(np.searchsorted(self.counted, np.uint64(content)))
        return where < len(self.counted) and int(self.counted[where]) == content

    def batch(self, evidence: Sequence[Evidence]) -> dict[str, BatchStats]:
        """For the documents of one batch, by site: the counts of their words and lines, and the
        corpus's and the site's document counts."""
        all_terms = sorted(set().union(*(e.terms for e in evidence)))
        term_counts = self.terms.lookup(_keys(all_terms))
        document_frequency = {t: int(n) for t, n in zip(all_terms, term_counts, strict=True) if n}
        stats = {}
        for site in sorted({e.site for e in evidence}):
            lines = sorted(set().union(*(e.lines for e in evidence if e.site == site)))
            counts = self.lines.lookup(_line_keys(site, lines))
            stats[site] = BatchStats(
                documents=self.documents,
                document_frequency=document_frequency,
                line_frequency={line: int(n) for line, n in zip(lines, counts, strict=True) if n > 1},
                site=site,
                site_documents=self.site_documents.get(site, 0),
                generation=self.generation,
            )
        return stats

    def save(self, folder: Path) -> None:
        """Writes the statistics into a new folder (the caller makes it current atomically)."""
        folder.mkdir(parents=True)
        self.terms.fold()
        self.lines.fold()
        arrays = {
            "term_keys": self.terms.keys,
            "term_counts": self.terms.counts,
            "line_keys": self.lines.keys,
            "line_counts": self.lines.counts,
            "contents": np.union1d(self.counted, np.fromiter(self.added, dtype=KEY, count=len(self.added))).astype(KEY),
        }
        for name, array in arrays.items():
            with (folder / f"{name}.npy").open("wb") as handle:
                np.save(handle, array, allow_pickle=False)
                handle.flush()
        meta = {
            "format": FORMAT,
            "documents": self.documents,
            "site_documents": dict(self.site_documents),
            "rules_version": self.rules_version,
            "generation": self.generation,
        }
        (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> CorpusStatistics:
        """Reads statistics that `save` wrote; the arrays are mapped, not read."""
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"statistics of format {meta.get('format')!r}, not {FORMAT}")

        def array(name: str) -> np.ndarray:
            return np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)

        return cls(
            documents=int(meta["documents"]),
            site_documents=Counter(meta["site_documents"]),
            terms=CountTable(array("term_keys"), array("term_counts")),
            lines=CountTable(array("line_keys"), array("line_counts")),
            counted=array("contents"),
            rules_version=meta["rules_version"],
            generation=meta["generation"],
        )
