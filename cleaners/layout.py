"""Where the article stands among a document's lines: its body, its head, and what is around them.

The body is found by its running text, the head is the headline with the byline and date under it,
and the rules of the region (footers, teasers, menus around the article) read what is outside both.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .model import Block
from .text import ends_with_ellipsis, is_date_line, word_count

if TYPE_CHECKING:
    from .view import DocumentView


# On an HTML page, a line with this share of link text or more is a link to another page: as
# running text it does not mark the article's body (an article's paragraph holds a few links).
LINKED_LINE_SHARE = 0.5


def body_bounds(view: DocumentView, *, extend: bool = True) -> tuple[int, int] | None:
    """Block indices of the first and last line of the article's body, among kept lines.

    The body is the run of kept lines with the most running text: prose counts for it by its
    words, lines that are not sentences (menus, teaser titles, dates) against it, so a teaser
    paragraph far below the article does not stretch the body down to it. On an HTML page the
    lines the extractor left out stand between the kept ones, counting against the run when
    they are not sentences (a site's footer below forty lines of menus is not the article's
    next paragraph) and for nothing when they are; so does a line of prose that is mostly link
    text (a teaser of another page). The run then grows over neighbouring short sentences ("He
    was 83."), which belong to the article, unless `extend` is false.
    """
    kept = view.kept()
    kinds = view.line_kinds()
    links = view.link_shares
    scored = [b for b in view.blocks if not view.taken[b.index] or b.index in view.left_out]
    best, best_span = 0.0, None
    running, start = 0.0, 0
    for position, block in enumerate(scored):
        if running <= 0:
            running, start = 0.0, position
        score = kinds[block.index][2]
        if links is not None and score > 0 and links[block.index] >= LINKED_LINE_SHARE:
            score = 0.0  # a teaser of another page, not the article's paragraph
        running += score if not view.taken[block.index] else min(score, 0.0)
        if running > best and not view.taken[block.index]:
            best, best_span = running, (scored[start].index, block.index)
    if best_span is None:
        return None
    inside = [position for position, b in enumerate(kept) if best_span[0] <= b.index <= best_span[1]]
    if not any(view.is_prose(kept[position]) for position in inside):
        return None
    first, last = inside[0], inside[-1]
    while extend and first > 0 and view.is_sentence(kept[first - 1]):
        first -= 1
    while extend and last < len(kept) - 1 and view.is_sentence(kept[last + 1]):
        last += 1
    return kept[first].index, kept[last].index


def headline_zone(view: DocumentView) -> range:
    """Block indices from the headline to the body's first line: the article's own head.

    The headline is the last kept line before the body with a few words that is neither a
    date nor a teaser; the byline and date between it and the body belong to the article too,
    so structural rules that sweep lists and menus stop there. When only a few lines stand above
    the body, the headline is the longest of them that reads as a title: a standfirst, a byline
    with its desk or a photo credit under a title has words enough to read as the headline too.
    """
    bounds = view.body_bounds()
    if bounds is None:
        return range(0)
    settings = view.text_settings
    date_words = frozenset(settings["date_words"])

    def headline_like(block: Block) -> bool:
        return (
            word_count(block.text) >= settings["headline_min_words"]
            and not is_date_line(block.text, date_words)
            and not ends_with_ellipsis(block.text)
        )

    above = [b for b in view.kept() if b.index < bounds[0]]
    if len(above) <= settings["title_max_lines_above_body"]:
        titles = [b for b in above if headline_like(b) and not view.is_sentence(b)]
        if titles:
            title = max(titles, key=lambda b: word_count(b.text))
            return range(title.index, bounds[0])
    for block in reversed(above):
        if headline_like(block):
            return range(block.index, bounds[0])
    return range(bounds[0], bounds[0])


def article_span(view: DocumentView, *, extend: bool = True) -> tuple[int, int] | None:
    """From the headline to the body's last line; `extend=False` leaves out the short sentences
    around the body (a footer's "All rights reserved." is one)."""
    bounds = view.body_bounds(extend=extend)
    if bounds is None:
        return None
    head = view.headline_zone()
    return (head.start if len(head) else bounds[0]), bounds[1]


def outside_article(view: DocumentView) -> Iterator[tuple[Block, bool]]:
    """Kept lines outside the article's head and body that are neither sentences nor a table's
    rows or title, each with whether it stands before the article (else after it)."""
    span = article_span(view)
    if span is None:
        return
    tables = view.table_lines()
    for block in view.kept():
        if span[0] <= block.index <= span[1] or view.is_sentence(block) or block.index in tables:
            continue
        yield block, block.index < span[0]
