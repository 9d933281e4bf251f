"""jusText's paragraph classifier applied to text blocks: stopword density, length, neighbours.

jusText was built for HTML; here each line is a paragraph with no links and no tags, which keeps
its two real signals: how much a line reads like running text in its language (the share of
stopwords), and what its neighbours are (its context-sensitive pass).
"""

from __future__ import annotations

from collections.abc import Sequence

from justext.core import classify_paragraphs
from justext.paragraph import Paragraph

from .language import JUSTEXT_STOPLISTS, stopwords_for
from .model import Block


class _TextPath:
    """The DOM path jusText expects of a paragraph; a text line has none."""

    dom = "p"
    xpath = "/p"


class _LineParagraph(Paragraph):
    """A paragraph whose text is one line, computed once (jusText recomputes it on every access)."""

    def __init__(self, text: str, link_share: float = 0.0) -> None:
        super().__init__(_TextPath)
        self.text_nodes = [text]
        self._text = " ".join(text.split())
        self.chars_count_in_links = round(link_share * len(self._text))

    @property
    def text(self) -> str:
        return self._text


def classify_blocks(
    blocks: list[Block],
    language: str,
    known: dict[int, str] | None = None,
    link_shares: Sequence[float] | None = None,
) -> list[str] | None:
    """jusText's final class ('good' or 'bad') of each block; None for a language it has no stoplist for.

    `known` keeps the context-free class of each block by its index: it depends on the line
    alone, so a document's later calls on fewer blocks only redo the context pass. `link_shares`
    (an HTML page's, by block index) gives jusText its link density; text has no links.
    """
    if language not in JUSTEXT_STOPLISTS:
        return None
    stoplist = stopwords_for(language)
    if not stoplist:
        return None
    known = {} if known is None else known
    new = [block for block in blocks if block.index not in known]
    if new:
        paragraphs = [_LineParagraph(block.text, link_shares[block.index] if link_shares else 0.0) for block in new]
        classify_paragraphs(paragraphs, stoplist)
        known.update((block.index, p.cf_class) for block, p in zip(new, paragraphs, strict=True))
    return revise_classes([known[block.index] for block in blocks])


def _nearest(classes: list[str], order: range, accept: frozenset[str]) -> list[str]:
    """For each position, the class of the nearest paragraph in `order` direction whose class is
    in `accept` ('bad' past the edge), exactly as jusText's neighbour search, in linear time."""
    found = ["bad"] * len(classes)
    last = "bad"
    for i in order:
        found[i] = last
        if classes[i] in accept:
            last = classes[i]
    return found


_GOOD_BAD = frozenset({"good", "bad"})
_GOOD_BAD_NEAR = frozenset({"good", "bad", "neargood"})


def revise_classes(classes: list[str]) -> list[str]:
    """jusText's context-sensitive pass (revise_paragraph_classification) for paragraphs without
    headings. jusText searches neighbours anew for every paragraph, quadratic on a long menu;
    this gives the same classes in linear time."""
    n = len(classes)
    forward, backward = range(n), range(n - 1, -1, -1)
    prev_gb, next_gb = _nearest(classes, forward, _GOOD_BAD), _nearest(classes, backward, _GOOD_BAD)
    prev_any, next_any = _nearest(classes, forward, _GOOD_BAD_NEAR), _nearest(classes, backward, _GOOD_BAD_NEAR)
    revised = list(classes)
    for i, cls in enumerate(classes):
        if cls != "short":
            continue
        before, after = prev_gb[i], next_gb[i]
        if before == after:
            revised[i] = before
        elif (before == "bad" and prev_any[i] == "neargood") or (after == "bad" and next_any[i] == "neargood"):
            revised[i] = "good"
        else:
            revised[i] = "bad"
    # Neargood paragraphs, in order: a revised one counts for the ones after it, as in jusText.
    next_gb = _nearest(revised, backward, _GOOD_BAD)
    last = "bad"
    for i, cls in enumerate(revised):
        if cls == "neargood":
            revised[i] = "bad" if (last, next_gb[i]) == ("bad", "bad") else "good"
        if revised[i] in _GOOD_BAD:
            last = revised[i]
    return revised
