"""The rule registry: every rule is a small class with an id, a category and a reason per hit.

Rules run in registry order. Each sees the document with what earlier rules took marked, so a
structural rule (an off-topic tail, a menu run) judges what is left after the obvious debris.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .justext_signal import classify_blocks
from .model import Block, Hit
from .text import ends_sentence, ends_with_ellipsis, is_date_line, is_prose, word_count

CATEGORIES = frozenset(
    {
        "navigation",
        "related_links",
        "advertising",
        "disclaimer",
        "server_error",
        "comments",
        "social",
        "author_bio",
        "media_credit",
        "off_topic",
        "duplicate",
        "fragment",
        "dateline",
        "html_boilerplate",
    }
)


@dataclass(frozen=True, slots=True)
class BatchStats:
    """Document frequencies of content words over the batch a document is cleaned in."""

    documents: int = 0
    document_frequency: dict[str, int] = field(default_factory=dict)
    # Short lines (normalized) and how many documents of the batch hold them.
    line_frequency: dict[str, int] = field(default_factory=dict)
    # The stoplist language guessed for each document (by hash of its text), computed once.
    guesses: dict[int, str] = field(default_factory=dict)

    def idf(self, term: str, prior_documents: int) -> float:
        """Inverse document frequency of a content word over the batch, smoothed by a prior of
        `prior_documents` documents so that a one-story batch keeps its key words' weight."""
        df = self.document_frequency.get(term, 1)
        return math.log((self.documents + prior_documents) / (df + 1)) + 1.0

    def term_weight(self, term: str, is_name: bool, prior_documents: int, name_weight: float) -> float:
        """How much a content word says about a topic: its IDF, more when it is used as a name."""
        return self.idf(term, prior_documents) * (name_weight if is_name else 1.0)


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
    link_shares: Sequence[float] | None = None  # an HTML page's: each line's share of link text
    left_out: frozenset[int] = frozenset()  # an HTML page's: the blocks its extractor left out

    def __post_init__(self) -> None:
        if not self.taken:
            self.taken = [False] * len(self.blocks)
        # An HTML page's lines are blocks its browser wraps: none is a hard-wrapped piece of a
        # paragraph, and a long headline in sentence case above its summary is no such piece.
        html_page = self.link_shares is not None
        self.run_text = (
            [b.text for b in self.blocks]
            if html_page
            else wrapped_runs(self.blocks, self.settings["text"]["wrap_min_chars"])
        )
        self._derived: dict[object, Any] = {}
        # What a rule computed for the whole document and a later rule reads (kept across takes).
        self.notes: dict[str, Any] = {}

    @property
    def text_settings(self) -> dict[str, Any]:
        return self.settings["text"]

    def take(self, index: int) -> None:
        """Marks a block as removed; what was derived from the kept blocks is computed anew."""
        if not self.taken[index]:
            self.taken[index] = True
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
        return classify_blocks(blocks, self.language, self.notes.setdefault("justext_classes", {}), self.link_shares)

    def is_prose(self, block: Block) -> bool:
        """Running text: the line, or the hard-wrapped paragraph it is part of, reads as sentences."""
        return self._line_kinds()[block.index][0]

    def _line_kinds(self) -> list[tuple[bool, bool, float]]:
        """Per block, computed once (takes do not change them): prose, sentence, body score."""
        kinds = self.notes.get("line_kinds")
        if kinds is None:
            min_words = self.text_settings["prose_min_words"]
            kinds = []
            for block in self.blocks:
                prose = is_prose(self.run_text[block.index], min_words)
                sentence = self._reads_as_sentence(block)
                words = word_count(block.text)
                score = float(words) if prose else 1.0 if sentence else -(2.0 + words / 2)
                kinds.append((prose, sentence, score))
            self.notes["line_kinds"] = kinds
        return kinds

    def body_bounds(self, *, extend: bool = True) -> tuple[int, int] | None:
        return self._memo(("body", extend), lambda: self._body_bounds(extend))

    def _body_bounds(self, extend: bool) -> tuple[int, int] | None:
        """Block indices of the first and last line of the article's body, among kept lines.

        The body is the run of kept lines with the most running text: prose counts for it by its
        words, lines that are not sentences (menus, teaser titles, dates) against it, so a teaser
        paragraph far below the article does not stretch the body down to it. On an HTML page the
        lines the extractor left out stand between the kept ones, counting against the run when
        they are not sentences (a site's footer below forty lines of menus is not the article's
        next paragraph) and for nothing when they are. The run then grows over neighbouring short
        sentences ("He was 83."), which belong to the article, unless `extend` is false.
        """
        kept = self.kept()
        kinds = self._line_kinds()
        scored = [b for b in self.blocks if not self.taken[b.index] or b.index in self.left_out]
        best, best_span = 0.0, None
        running, start = 0.0, 0
        for position, block in enumerate(scored):
            if running <= 0:
                running, start = 0.0, position
            score = kinds[block.index][2]
            running += score if not self.taken[block.index] else min(score, 0.0)
            if running > best and not self.taken[block.index]:
                best, best_span = running, (scored[start].index, block.index)
        if best_span is None:
            return None
        inside = [position for position, b in enumerate(kept) if best_span[0] <= b.index <= best_span[1]]
        if not any(self.is_prose(kept[position]) for position in inside):
            return None
        first, last = inside[0], inside[-1]
        while extend and first > 0 and self.is_sentence(kept[first - 1]):
            first -= 1
        while extend and last < len(kept) - 1 and self.is_sentence(kept[last + 1]):
            last += 1
        return kept[first].index, kept[last].index

    def is_sentence(self, block: Block) -> bool:
        return self._line_kinds()[block.index][1]

    def _reads_as_sentence(self, block: Block) -> bool:
        text = self.run_text[block.index]
        return (
            word_count(text) >= self.text_settings["sentence_min_words"]
            and ends_sentence(text)
            and not ends_with_ellipsis(text)
        )

    def headline_zone(self) -> range:
        return self._memo("head", self._headline_zone)

    def _headline_zone(self) -> range:
        """Block indices from the headline to the body's first line: the article's own head.

        The headline is the last kept line before the body with a few words that is neither a
        date nor a teaser; the byline and date between it and the body belong to the article too,
        so structural rules that sweep lists and menus stop there.
        """
        bounds = self.body_bounds()
        if bounds is None:
            return range(0)
        date_words = frozenset(self.text_settings["date_words"])
        for block in reversed([b for b in self.kept() if b.index < bounds[0]]):
            if (
                word_count(block.text) >= self.text_settings["headline_min_words"]
                and not is_date_line(block.text, date_words)
                and not ends_with_ellipsis(block.text)
            ):
                return range(block.index, bounds[0])
        return range(bounds[0], bounds[0])


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


# A rule's policy: declared on its class, overridable in its settings table (`guarded = false`).
POLICY_KEYS = ("guarded", "anchored", "on_extracted_html")


class Rule:
    """A unit of cleaning: finds spans of one kind of debris and says why for each."""

    id: ClassVar[str]
    category: ClassVar[str]
    description: ClassVar[str]
    # It judges by statistics, not by form: the guard may take its removals back when they would
    # take most of a document's running text.
    guarded: ClassVar[bool] = False
    # It cuts at a header it found: the guard leaves it standing while a brief's worth of running
    # text is left.
    anchored: ClassVar[bool] = False
    # It runs on the text an HTML extractor kept (on a page where the extractor found no article,
    # every rule runs).
    on_extracted_html: ClassVar[bool] = True
    # It reads how many documents of the batch share a line (batch statistics count lines for it).
    corpus_statistics: ClassVar[bool] = False
    # It reads the block model file.
    needs_model: ClassVar[bool] = False

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        for key in POLICY_KEYS:  # the settings table may override the class's policy
            if key in config:
                setattr(self, key, config[key])

    def find(self, doc: DocumentView) -> Iterable[Hit]:
        raise NotImplementedError

    @staticmethod
    def whole(block: Block, reason: str) -> Hit:
        return Hit(block.start, block.end, reason)


class LineRule(Rule):
    """A rule that judges each kept line on its own."""

    def find(self, doc: DocumentView) -> Iterator[Hit]:
        for block in doc.kept():
            reason = self.judge(block, doc)
            if reason:
                yield self.whole(block, reason)

    def judge(self, block: Block, doc: DocumentView) -> str | None:
        raise NotImplementedError


# Every shipped rule by id, in the order they run: filled from cleaners.rules.RULES, the table.
REGISTRY: dict[str, type[Rule]] = {}


def register(rules: tuple[type[Rule], ...]) -> None:
    """Fills REGISTRY from the ordered table, checking each rule's id and category."""
    for rule_class in rules:
        if rule_class.category not in CATEGORIES:
            raise ValueError(f"rule {rule_class.id}: unknown category {rule_class.category}")
        if not rule_class.id.startswith(rule_class.category + "."):
            raise ValueError(f"rule {rule_class.id}: id must start with its category")
        if rule_class.id in REGISTRY:
            raise ValueError(f"rule {rule_class.id} is in the table twice")
        REGISTRY[rule_class.id] = rule_class


def rule_ids(**policy: bool) -> list[str]:
    """Ids of the shipped rules whose declared policy matches, in order: `rule_ids(needs_model=True)`."""
    from . import rules  # noqa: F401  (importing the package fills the registry)

    return [rule.id for rule in REGISTRY.values() if all(getattr(rule, k) == v for k, v in policy.items())]


def build_rules(settings: dict[str, Any]) -> list[Rule]:
    """Instances of every enabled rule: the user's custom pattern rules first (they are explicit),
    then the registry's in order, each with its table of settings."""
    from . import rules  # noqa: F401  (importing the package fills the registry)
    from .rules.custom import build_custom_rules

    built = build_custom_rules(settings)
    for rule_class in REGISTRY.values():
        config = settings["rules"].get(rule_class.id, {})
        if config.get("enabled", True):
            built.append(rule_class(config))
    return built
