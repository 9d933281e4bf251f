"""Why the HTML extractor left a block out, in words a person tuning the rules can use.

trafilatura says only which lines it kept. Every line it left out is judged again by the text
rules, run on the page's whole visible text as on a scraped text: where one of them recognizes
the line (a menu, a related list, a comment thread, a cookie notice, a share bar, a footer), the
removal takes that rule's category and names the rule and its reason beside the extractor's
decision. The rest keep html_boilerplate, with the evidence: the line's size, its share of link
text and where it stands relative to the article the extractor kept.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from .accounting import RemovalSet
from .html import EXTRACTOR_CATEGORY, EXTRACTOR_RULE, LEFT_OUT, ExtractedPage
from .model import Block, Hit, Removal
from .text import count_words

# Share of a left-out line's characters a text rule's removal must cover to explain it.
EXPLAINED_SHARE = 0.5


def explain_left_out(
    text: str, removals: RemovalSet, judged: Sequence[Removal], page: ExtractedPage, blocks: Sequence[Block]
) -> RemovalSet:
    """`removals` with each of the extractor's removals explained: by the text rule among `judged`
    (the text rules' removals on the whole visible text) that covers most of it, else by evidence.
    `blocks`: the text's blocks as the rules read them (a page's visible lines, one block each)."""
    block_starts = [block.start for block in blocks]
    left_out_starts = {hit.start for hit in page.left_out or ()}
    kept = [block.index for block in blocks if block.start not in left_out_starts]
    judged_starts = [r.start for r in judged]
    explained = RemovalSet(text)
    for removal in removals:
        if removal.rule != EXTRACTOR_RULE:
            explained.add(Hit(removal.start, removal.end, removal.reason), removal.rule, removal.category)
            continue
        recognizer = _best_cover(removal, judged, judged_starts)
        if recognizer is not None:
            reason = f"{LEFT_OUT}; {recognizer.rule} recognizes it: {recognizer.reason}"
            explained.add(Hit(removal.start, removal.end, reason), removal.rule, recognizer.category)
            continue
        line = bisect.bisect_right(block_starts, removal.start) - 1
        reason = f"{LEFT_OUT}: {_evidence(removal, line, kept, page)}"
        explained.add(Hit(removal.start, removal.end, reason), removal.rule, EXTRACTOR_CATEGORY)
    return explained


def _best_cover(removal: Removal, judged: Sequence[Removal], judged_starts: list[int]) -> Removal | None:
    """The judged removal of a text rule that covers the largest share of `removal`, if enough."""
    size = len(removal.text.replace(" ", ""))
    best, best_share = None, 0.0
    index = max(0, bisect.bisect_right(judged_starts, removal.start) - 1)
    for other in judged[index:]:
        if other.start >= removal.end:
            break
        if other.rule == EXTRACTOR_RULE or other.end <= removal.start:
            continue
        overlap = removal.text[max(0, other.start - removal.start) : max(0, other.end - removal.start)]
        share = len(overlap.replace(" ", "")) / max(1, size)
        if share > best_share:
            best, best_share = other, share
    return best if best_share >= EXPLAINED_SHARE else None


def _evidence(removal: Removal, line: int, kept_lines: list[int], page: ExtractedPage) -> str:
    words = count_words(removal.text)
    links = page.link_shares[line] if 0 <= line < len(page.link_shares) else 0.0
    if not kept_lines:
        where = "no article kept"
    elif line < kept_lines[0]:
        where = "before the article"
    elif line > kept_lines[-1]:
        where = "after the article"
    else:
        where = "between the article's lines"
    return f"{words} word{'s' if words != 1 else ''}, {links:.0%} link text, {where}"
