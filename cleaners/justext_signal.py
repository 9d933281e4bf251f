"""jusText's paragraph classifier applied to text blocks: stopword density, length, neighbours.

jusText was built for HTML; here each line is a paragraph with no links and no tags, which keeps
its two real signals: how much a line reads like running text in its language (the share of
stopwords), and what its neighbours are (its context-sensitive pass).
"""

from __future__ import annotations

from justext.core import classify_paragraphs, revise_paragraph_classification
from justext.paragraph import Paragraph

from .language import JUSTEXT_STOPLISTS, stopwords_for
from .model import Block


class _TextPath:
    """The DOM path jusText expects of a paragraph; a text line has none."""

    dom = "p"
    xpath = "/p"


class _LineParagraph(Paragraph):
    """A paragraph whose text is one line, computed once (jusText recomputes it on every access)."""

    def __init__(self, text: str) -> None:
        super().__init__(_TextPath)
        self.text_nodes = [text]
        self._text = " ".join(text.split())

    @property
    def text(self) -> str:
        return self._text


def classify_blocks(blocks: list[Block], language: str) -> list[str] | None:
    """jusText's final class ('good' or 'bad') of each block; None for a language it has no stoplist for."""
    if language not in JUSTEXT_STOPLISTS:
        return None
    stoplist = stopwords_for(language)
    if not stoplist:
        return None
    paragraphs = [_LineParagraph(block.text) for block in blocks]
    classify_paragraphs(paragraphs, stoplist)
    revise_paragraph_classification(paragraphs)
    return [p.class_type for p in paragraphs]
