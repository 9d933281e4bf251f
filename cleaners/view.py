"""What a rule sees of a document: its lines, what earlier rules took, and statistics of its batch.

A rule never edits the text: it reads this view and returns spans. When a rule takes a line, the
view marks it, and what was derived from the kept lines (the article's body, its head) is worked
out again for the next rule.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .justext_signal import classify_blocks
from .layout import body_bounds, headline_zone
from .model import Block, Hit
from .text import (
    ends_sentence,
    ends_unmarked,
    ends_with_colon,
    ends_with_ellipsis,
    flattened_tables,
    is_prose,
    main_script,
    table_rows,
    word_count,
)


@dataclass(frozen=True, slots=True)
class BatchStats:
    """What a document's rules read of the corpus (cleaners.statistics), for the documents of one
    batch of one site: the document frequencies of their content words, and of their lines."""

    documents: int = 0
    document_frequency: dict[str, int] = field(default_factory=dict)
    # Lines (as text.batch_line_key writes them) and how many documents of the site hold them.
    line_frequency: dict[str, int] = field(default_factory=dict)
    # The site the line counts are over, and its documents.
    site: str = ""
    site_documents: int = 0
    # Which gathering of the corpus these come from ("batch": the batch alone was the corpus).
    generation: str = ""

    def describe(self) -> dict[str, Any]:
        """What a document's record says of the statistics it was cleaned with."""
        return {
            "generation": self.generation,
            "documents": self.documents,
            "site": self.site,
            "site_documents": self.site_documents,
        }

    def idf(self, term: str, prior_documents: int) -> float:
        """Inverse document frequency of a content word over the corpus, smoothed by a prior of
        `prior_documents` documents so that a one-story corpus keeps its key words' weight."""
        df = self.document_frequency.get(term, 1)
        return math.log((self.documents + prior_documents) / (df + 1)) + 1.0

    def term_weight(self, term: str, is_name: bool, prior_documents: int, name_weight: float) -> float:
        """How much a content word says about a topic: its IDF, more when it is used as a name."""
        return self.idf(term, prior_documents) * (name_weight if is_name else 1.0)


@dataclass(frozen=True, slots=True)
class PageLines:
    """What an HTML page tells about its visible lines that the text cannot: each line's share of
    link text, and which lines (block indices) its extractor left out of the article."""

    link_shares: Sequence[float]
    left_out: frozenset[int] = frozenset()
    # The extractor's own hits for those lines (whole lines, with its reason); None when it found
    # no article in the page, and every text rule then runs on the visible text.
    extractor_hits: tuple[Hit, ...] | None = None


@dataclass
class DocumentView:
    """What a rule sees: the text, its blocks, its language, and which blocks are already taken."""

    text: str
    blocks: list[Block]
    language: str
    stopwords: frozenset[str]
    settings: dict[str, Any]
    batch: BatchStats
    taken: list[bool] = field(default_factory=list)
    page: PageLines | None = None  # an HTML page's lines; None for text
    # The rules whose removals the line model may take back (their policy `revisable`).
    revisable: frozenset[str] = frozenset()
    # What is derived from the text and the page alone (each line's kind, its context-free jusText
    # class, the tables, the main script), computed once: the passes of the rules over one document
    # (the guard's, the HTML explanation's) share it.
    facts: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.taken:
            self.taken = [False] * len(self.blocks)
        # For each block, the id of the rule that took it ("" while kept).
        self.taken_by: list[str] = [""] * len(self.blocks)
        # An HTML page's lines are blocks its browser wraps: none is a hard-wrapped piece of a
        # paragraph, and a long headline in sentence case above its summary is no such piece.
        self.run_text: list[str] = self._once(
            "run_text",
            lambda: (
                [b.text for b in self.blocks]
                if self.page is not None
                else wrapped_runs(self.blocks, self.settings["text"]["wrap_min_chars"])
            ),
        )
        self._derived: dict[object, Any] = {}
        # What a rule computed for the whole document and a later rule reads (kept across takes).
        self.notes: dict[str, Any] = {}

    @property
    def link_shares(self) -> Sequence[float] | None:
        """Each line's share of link text on an HTML page; None for text."""
        return self.page.link_shares if self.page is not None and self.page.link_shares else None

    @property
    def left_out(self) -> frozenset[int]:
        """The blocks an HTML page's extractor left out of the article."""
        return self.page.left_out if self.page is not None else frozenset()

    @property
    def text_settings(self) -> dict[str, Any]:
        return self.settings["text"]

    def take(self, index: int, rule: str) -> None:
        """Marks a block as removed by `rule`; what was derived from the kept blocks is computed anew."""
        if not self.taken[index]:
            self.taken[index] = True
            self.taken_by[index] = rule
            self._derived.clear()

    def give_back(self, index: int) -> None:
        """Marks a taken block as kept again (the line model took it back)."""
        if self.taken[index]:
            self.taken[index] = False
            self.taken_by[index] = ""
            self._derived.clear()

    def _memo(self, key: object, compute: Callable[[], Any]) -> Any:
        """Caches what is derived from the kept blocks until the next block is taken."""
        if key not in self._derived:
            self._derived[key] = compute()
        return self._derived[key]

    def kept(self) -> list[Block]:
        return self._memo("kept", lambda: [b for b in self.blocks if not self.taken[b.index]])

    def justext_classes(self, blocks: list[Block]) -> list[str] | None:
        """jusText's classes of these blocks among themselves (None: no stoplist for the language).

        The context-free class of a line is kept across takes; on an HTML page jusText also gets
        each line's link density.
        """
        return classify_blocks(blocks, self.language, self.facts.setdefault("justext_classes", {}), self.link_shares)

    def is_prose(self, block: Block) -> bool:
        """Running text: the line, or the hard-wrapped paragraph it is part of, reads as sentences."""
        return self.line_kinds()[block.index][0]

    def line_kinds(self) -> list[tuple[bool, bool, float]]:
        """Per block, computed once (takes do not change them): prose, sentence, body score."""
        kinds = self.facts.get("line_kinds")
        if kinds is None:
            min_words = self.text_settings["prose_min_words"]
            kinds = []
            for block in self.blocks:
                prose = is_prose(self.run_text[block.index], min_words)
                sentence = self._reads_as_sentence(block)
                words = word_count(block.text)
                score = float(words) if prose else 1.0 if sentence else -(2.0 + words / 2)
                kinds.append((prose, sentence, score))
            self.facts["line_kinds"] = kinds
        return kinds

    def _once(self, key: str, compute: Callable[[], Any]) -> Any:
        """Caches what is derived from all the blocks, taken or not (kept across takes and passes)."""
        if key not in self.facts:
            self.facts[key] = compute()
        return self.facts[key]

    def main_script(self) -> str:
        """The writing system of most of the document's letters (`text.main_script`), computed once."""
        return self._once("main_script", lambda: main_script(self.text))

    def table_lines(self) -> frozenset[int]:
        """The blocks that are rows of a table (`text.table_rows`) or the line right above one (its
        title or caption), and the cells of a table scraped one cell a line (`text.flattened_tables`)
        that the article introduces (the line above is running text or ends with a colon: a
        sidebar's standings or stock prices stand under a label), computed once: a table is the
        article's structure, which the rules that take runs of short lines and the line model
        leave alone."""
        return self._once("table_lines", self._table_lines)

    def _table_lines(self) -> frozenset[int]:
        min_rows = self.text_settings["table_min_rows"]
        rows = table_rows(self.blocks, min_rows)
        lines = rows | {i - 1 for i in rows if i > 0 and i - 1 not in rows}
        for table in flattened_tables(self.blocks, min_rows):
            above = self.blocks[table.start - 1] if table.start > 0 else None
            if above is not None and (self.is_prose(above) or ends_with_colon(above.text)):
                lines |= set(table)
        return lines

    def body_bounds(self, *, extend: bool = True) -> tuple[int, int] | None:
        return self._memo(("body", extend), lambda: body_bounds(self, extend=extend))

    def is_sentence(self, block: Block) -> bool:
        return self.line_kinds()[block.index][1]

    def _reads_as_sentence(self, block: Block) -> bool:
        text = self.run_text[block.index]
        # Where the script marks no sentence's end (Thai, Lao), a headline ends as a sentence does:
        # only a line as long as running text reads as one.
        minimum = "prose_min_words" if ends_unmarked(text) else "sentence_min_words"
        return word_count(text) >= self.text_settings[minimum] and ends_sentence(text) and not ends_with_ellipsis(text)

    def headline_zone(self) -> range:
        return self._memo("head", lambda: headline_zone(self))


def _continues(line: str, next_line: str, wrap_chars: int) -> bool:
    """True when next_line carries on line's sentence: hard-wrapped text, not a new line of a list.

    A line that stops without a full stop continues when the next goes on in lower case, when it
    ends with a comma or a dash, or when it is as long as wrapped lines are and reads as a
    sentence rather than a title (few capitalized words).
    """
    if word_count(line) < 5 or ends_sentence(line):
        return False
    start = next_line.lstrip("\"'“‘«(")
    if not start:
        return False
    if start[0].islower() or line.rstrip()[-1:] in ",;-–—":
        return True
    if len(line) < wrap_chars:
        return False
    tokens = line.split()
    capitalized = sum(1 for t in tokens if t[:1].isupper())
    return capitalized / len(tokens) < 0.5


def wrapped_runs(blocks: list[Block], wrap_chars: int = 60) -> list[str]:
    """For each block, the text of the hard-wrapped paragraph it belongs to (its own text when none).

    Some scrapers keep a page's line breaks every 70 characters; such lines end mid-sentence and
    would not read as prose one by one. A line continues into the next when it stops without a
    full stop and the next goes on in lower case (or the line ends with a comma or a dash).
    """
    texts = [b.text for b in blocks]
    start = 0
    for i in range(len(blocks)):
        last = i == len(blocks) - 1
        if (
            last
            or blocks[i + 1].paragraph != blocks[i].paragraph
            or not _continues(texts[i], blocks[i + 1].text, wrap_chars)
        ):
            if i > start:
                joined = " ".join(b.text for b in blocks[start : i + 1])
                for j in range(start, i + 1):
                    texts[j] = joined
            start = i + 1
    return texts
