"""HTML pages: the visible text as lines, and what trafilatura's extractor left out of it.

The page's visible text, one block a line, is the source text of an HTML document: it is written
beside the output (`<id>.source.txt`), every offset of the removal log refers to it, and the text
rules run on it as on a scraped text file. trafilatura reads the same parsed tree and gives the
article; the visible lines it left out become removals (`html_boilerplate.extractor`) before the
text rules run, so nothing leaves the page without an entry in the log.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring

from .model import Hit, Rejected
from .text import count_words, ends_sentence

EXTRACTOR_RULE = "html_boilerplate.extractor"
EXTRACTOR_CATEGORY = "html_boilerplate"
LEFT_OUT = "trafilatura left this block out of the article"

# Elements whose content a reader never sees as text (buttons and form fields are seen: their text
# is part of the page and goes to the log when it is removed; a closed drop-down shows one option).
# Ruby annotations (`<rt>` readings above Japanese or Chinese characters, `<rp>` fallback
# parentheses) are not part of the line a reader reads: inline, they would split its words.
_HIDDEN = frozenset(
    [
        "rt",
        "rp",
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "svg",
        "math",
        "iframe",
        "object",
        "embed",
        "canvas",
        "map",
        "audio",
        "video",
        "source",
        "track",
        "picture",
        "datalist",
    ]
)
# Elements that start a new line: block boxes, list items, cells, line breaks.
_BREAKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "frameset",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "li",
        "main",
        "menu",
        "nav",
        "noframes",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "caption",
        "legend",
    ]
)
# Blocks that are parts of an article's structure: list items, table cells, definitions, headings
# (a <details> block's <summary> heads its text: a question of a FAQ), quotations (a post or a
# passage the article quotes: an embedded tweet's text and its attribution line).
_STRUCTURAL_BLOCKS = frozenset(
    ["li", "td", "th", "dt", "dd", "summary", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"]
)
# The items of a list or a table; an article opens with three or more (its key points), where a
# byline and a date above it are one or two.
_ITEM_BLOCKS = frozenset(["li", "td", "th", "dt", "dd"])
_LEAD_MIN_ITEMS = 3
_PARSER = HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
# libxml2 (2.14) drops everything after `</html>`; a browser shows it: pages built of several
# documents, text a server printed after the page (its errors), a template that closed early.
_DOCUMENT_END = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)
_TAG_NAMES: dict[str, str] = {}  # tag as lxml gives it -> lower-case local name
_WORDS = re.compile(r"\w+")

# trafilatura and htmldate log at WARNING about pages they find odd; a run reports its own way.
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    """An HTML page made text: the visible lines, the lines its extractor left out, its metadata."""

    text: str
    left_out: tuple[Hit, ...] | None = None  # whole lines; None: the extractor found no article
    metadata: dict[str, str] = field(default_factory=dict)
    link_shares: tuple[float, ...] = ()  # per line: the share of its characters inside links

    @property
    def shown_text(self) -> str:
        """The text a reader sees: without the lines of a body read from structured data, which
        follow the visible ones (each of those left out)."""
        if "body_from" not in self.metadata:
            return self.text
        return _source_text(self.text.split("\n")[: len(self.left_out or ())])

    def to_dict(self) -> dict[str, Any]:
        """The page as JSON holds it (flows keep it between a run's two passes)."""
        return {
            "text": self.text,
            "left_out": None if self.left_out is None else [[h.start, h.end, h.reason] for h in self.left_out],
            "metadata": self.metadata,
            "link_shares": list(self.link_shares),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExtractedPage:
        left_out = data["left_out"]
        return cls(
            data["text"],
            None if left_out is None else tuple(Hit(start, end, reason) for start, end, reason in left_out),
            dict(data["metadata"]),
            tuple(data["link_shares"]),
        )


# A browser runs scripts, so it reads a <noscript> element's content as raw text that it does not
# show; an HTML parser without scripting reads it as markup, and an unclosed <div> in it then takes
# the rest of the page into the hidden element.
_NOSCRIPT = re.compile(r"<noscript\b[^>]*>.*?</noscript\s*>", re.IGNORECASE | re.DOTALL)
_NOSCRIPT_TAG = re.compile(r"</?noscript\b[^>]*>", re.IGNORECASE)
# Words: a page that shows fewer with its scripts (a single-page application: a forum, a shop) and
# more in its <noscript> fallback is read as a browser without scripts shows it.
_SCRIPTLESS_BELOW_WORDS = 50
# libxml2 stops reading below 255 levels of elements: a page of thousands of nested wrappers
# would lose its body. A run of more than 32 identical opening (or closing) tags is one level.
_NESTED_OPENING = re.compile(r"(<([a-z][a-z0-9]*)\b[^<>]*>\s*)(?:<\2\b[^<>]*>\s*){32,}", re.IGNORECASE)
_NESTED_CLOSING = re.compile(r"(</([a-z][a-z0-9]*)\s*>\s*)(?:</\2\s*>\s*){32,}", re.IGNORECASE)
# Wrappers of alternating names (<ul><li><ul><li>...): a run of more than 32 opening (or closing)
# tags of any names with no text between, made one level when identical runs were not the cause.
_ANY_OPENING = re.compile(r"(<[a-z][a-z0-9]*\b[^<>]*>\s*)(?:<[a-z][a-z0-9]*\b[^<>]*>\s*){32,}", re.IGNORECASE)
_ANY_CLOSING = re.compile(r"(</[a-z][a-z0-9]*\s*>\s*)(?:</[a-z][a-z0-9]*\s*>\s*){32,}", re.IGNORECASE)
# How deep a tree's last element stands when libxml2 stopped reading at its limit (256 levels).
_CUT_DEPTH = 250


def readable_markup(html: str, *, scripts: bool = True) -> str:
    """The page's markup as a browser builds its tree: what follows `</html>` kept in the body,
    <noscript> content unread (read as markup by a browser without `scripts`)."""
    html = _DOCUMENT_END.sub("", html)
    return _NOSCRIPT.sub("", html) if scripts else _NOSCRIPT_TAG.sub("", html)


def flattened_markup(html: str, *, any_names: bool = False) -> str:
    """The markup with absurdly deep runs of wrappers made one level (libxml2 reads 255 levels):
    runs of one tag, or with `any_names` runs of tags of any names."""
    opening, closing = (_ANY_OPENING, _ANY_CLOSING) if any_names else (_NESTED_OPENING, _NESTED_CLOSING)
    return closing.sub(r"\1", opening.sub(r"\1", html))


def _cut_at_depth(tree: HtmlElement) -> bool:
    """Whether libxml2 stopped reading the page at its depth limit: it stops there for good, so
    the tree's last element (last child of last child, down) then stands that deep. Following
    that one chain costs nothing beside flattening every page's markup."""
    depth, element = 0, tree
    while len(element) and depth < _CUT_DEPTH:
        element, depth = element[-1], depth + 1
    return depth >= _CUT_DEPTH


def parse_html(html: str, *, scripts: bool = True) -> HtmlElement:
    """The page's tree as trafilatura parses it (it repairs what lxml alone would refuse), with
    runs of thousands of nested wrappers made one level where libxml2 stopped at its depth limit,
    and the markup a broken script tag swallowed read as markup again (`swallowed_markup`).
    Without `scripts`, as a browser without them builds it: <noscript> content read."""
    html = readable_markup(html, scripts=scripts)
    tree = _parsed(html)
    for any_names in (False, True):
        if not _cut_at_depth(tree):
            break
        html = flattened_markup(html, any_names=any_names)
        tree = _parsed(html)
    for _ in range(_MAX_SWALLOWING_SCRIPTS):
        repaired = swallowed_markup(tree, html)
        if repaired is None:
            break
        html, tree = repaired, _parsed(repaired)
    return tree


def _parsed(html: str) -> HtmlElement:
    from trafilatura.utils import load_html

    try:
        tree = load_html(html)
        if tree is None:  # trafilatura refuses what does not look like a page; lxml still reads it
            tree = document_fromstring(html.encode("utf-8", "surrogatepass"), parser=_PARSER)
    except Exception as exc:  # lxml and trafilatura raise assorted errors on hostile markup
        raise Rejected(f"the HTML cannot be parsed: {type(exc).__name__}: {exc}") from None
    if tree is None:
        raise Rejected("the HTML cannot be parsed: it has no elements")
    return tree


# A script with a `src` runs the file it names; a browser ignores what stands inside it. Page
# markup there (the body's tags) was swallowed by a tag left open, often an attribute's quote that
# a truncated template never closed: `<script src="/te.backgroundColor='yellow';`.
_PAGE_TAGS = re.compile(r"<(?:body|p|div|td|table|h[1-6]|article|span|li)\b", re.IGNORECASE)
_SCRIPT_OPENING = re.compile(r"<script\b", re.IGNORECASE)
_MIN_SWALLOWED_TAGS = 5
_MAX_SWALLOWING_SCRIPTS = 3


def swallowed_markup(tree: HtmlElement, html: str) -> str | None:
    """The page with the opening tag of the first script that swallowed page markup cut out, so
    that what it swallowed is read as markup; None when no script did."""
    for script in tree.iter("script"):
        content = script.text or ""
        if script.get("src") is None or len(_PAGE_TAGS.findall(content, 0, 20_000)) < _MIN_SWALLOWED_TAGS:
            continue
        start = html.find(content[:200])
        openings = [m.start() for m in _SCRIPT_OPENING.finditer(html, 0, start)] if start >= 0 else []
        if not openings:
            return None  # the parser changed the text (entities, line ends): leave the page as it is
        return html[: openings[-1]] + html[start:]
    return None


def collapsed(text: str) -> str:
    """The text with each run of white space one space, none at the ends (str.split knows the
    white space a regular expression's `\\s` does, and is the faster)."""
    return " ".join(text.split())


def visible_lines(tree: HtmlElement) -> list[str]:
    """The text a reader sees, one block a line, white space inside a line collapsed."""
    return visible_blocks(tree)[0]


def visible_blocks(tree: HtmlElement) -> tuple[list[str], list[float]]:
    """The visible lines, and for each the share of its characters inside links (jusText's signal)."""
    lines, link_shares, _ = visible_structure(tree)
    return lines, link_shares


def visible_structure(tree: HtmlElement) -> tuple[list[str], list[float], list[str]]:
    """The visible lines, each one's share of link text, and the block element each stands in
    ("p", "li", "h2", "td", ...; "" for text between blocks)."""
    lines: list[str] = []
    link_shares: list[float] = []
    tags: list[str] = []
    current: list[tuple[str, bool]] = []
    in_links = 0
    open_blocks: list[str] = []  # the block elements the walk is inside, outermost first

    def flush() -> None:
        line = collapsed("".join(text for text, _ in current))
        if line:
            linked = sum(len(text.strip()) for text, in_link in current if in_link)
            lines.append(line)
            share = 0.0  # most lines hold no link: no count of their characters
            if linked:
                share = min(1.0, linked / max(1, sum(len(text.strip()) for text, _ in current)))
            link_shares.append(share)
            # A list item's, cell's or heading's own paragraphs are of the item, cell or heading.
            structural = [name for name in open_blocks if name in _STRUCTURAL_BLOCKS]
            tags.append(structural[-1] if structural else (open_blocks[-1] if open_blocks else ""))
        current.clear()

    names = _TAG_NAMES
    walker = etree.iterwalk(tree, events=("start", "end"))
    for event, element in walker:
        tag = element.tag
        if type(tag) is not str:  # a comment or processing instruction: only its tail is text
            if event == "end" and element.tail:
                current.append((element.tail, in_links > 0))
            continue
        name = names.get(tag)
        if name is None:
            name = tag.rsplit("}", 1)[-1].lower()
            if len(names) < 10_000:  # tag names a page makes up must not grow the table forever
                names[tag] = name
        if event == "start":
            if name in _HIDDEN:
                walker.skip_subtree()  # its "end" event still comes, and brings its tail
                continue
            if name == "select":  # a closed drop-down shows its chosen option, not the list
                shown = _shown_option(element)
                if shown:
                    current.append((shown, in_links > 0))
                walker.skip_subtree()
                continue
            if name in _BREAKS:
                if current:
                    flush()
                open_blocks.append(name)
            if name == "a":
                in_links += 1
            if element.text:
                current.append((element.text, in_links > 0))
        else:
            if name in _BREAKS:
                if current:
                    flush()
                if name in open_blocks:  # mis-nested markup may close what the walk never opened
                    del open_blocks[len(open_blocks) - 1 - open_blocks[::-1].index(name) :]
            if name == "a":
                in_links = max(0, in_links - 1)
            if element.tail:
                current.append((element.tail, in_links > 0))
    flush()
    return lines, link_shares, tags


def _shown_option(select: HtmlElement) -> str:
    """The text a closed drop-down shows: its selected option, or its first."""
    options = list(select.iter("option"))
    chosen = next((option for option in options if option.get("selected") is not None), options[0] if options else None)
    return "" if chosen is None else collapsed(chosen.text_content())


def visible_text(html: str) -> str:
    """The page's visible text as the source text of its document: one line a block."""
    lines = visible_lines(parse_html(html))
    scriptless = shown_without_scripts(html, lines)
    return _source_text(scriptless[1] if scriptless is not None else lines)


def shown_without_scripts(html: str, lines: list[str]) -> tuple[HtmlElement, list[str], list[float], list[str]] | None:
    """The tree and visible structure (lines, link shares, tags) a browser without scripts shows,
    where that is what a reader of the page gets: the page shows fewer than
    _SCRIPTLESS_BELOW_WORDS words with its scripts (its visible `lines`) and more in its
    <noscript> fallback (a forum or a shop that renders itself from a script, with the page as a
    crawler sees it in the fallback). None otherwise."""
    shown = 0
    for line in lines:  # a page's lines are counted only until they are enough
        shown += count_words(line)
        if shown >= _SCRIPTLESS_BELOW_WORDS:
            return None
    if not _NOSCRIPT_TAG.search(html):
        return None
    tree = parse_html(html, scripts=False)
    fallback, link_shares, tags = visible_structure(tree)
    if sum(count_words(line) for line in fallback) <= shown:
        return None
    return tree, fallback, link_shares, tags


def _source_text(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def _bigrams(tokens: list[str]) -> list[tuple[str, str]]:
    return list(itertools.pairwise(tokens))


# Characters a reader does not see and extractors drop or keep at will: soft hyphens, zero-width
# spaces and joiners, word joiners, byte order marks, bidirectional marks.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\u202a-\u202e\ufeff]")


def match_key(text: str) -> str:
    """Text as it is compared with the extractor's: invisible characters dropped, compatibility
    forms folded and accents composed (NFKC: a page in NFD, or with ligatures, reads the same),
    lower case. Only for matching; the source text and its offsets stay as the page has them."""
    if not text.isascii():  # the invisible characters and the forms NFKC folds are none of ASCII
        text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))
    return text.lower()


def extractor_kept(lines: list[str], extracted: str, *, min_share: float) -> list[bool]:
    """Which visible lines the extractor's text holds.

    trafilatura reports no positions, so its text is matched back to the lines: first the lines
    it holds whole (a table's cells count as lines: it writes a row as `| a | b |`), then, of the
    rest, a line of three words or more when `min_share` of its word pairs are in its text (it
    joins, splits and trims blocks). Whole lines go first and matched pairs are used up, so a
    teaser that repeats the start of a paragraph is not kept in the paragraph's place.
    """
    extracted = match_key(extracted)
    own_lines: Counter[str] = Counter()
    for line in extracted.split("\n"):
        parts = [line, *line.split("|")] if "|" in line else [line]
        own_lines.update(key for part in parts if (key := collapsed(part)))
    pairs = Counter(_bigrams(_WORDS.findall(extracted)))
    keys = [collapsed(match_key(line)) for line in lines]
    kept = [False] * len(lines)
    for index, key in enumerate(keys):
        if own_lines[key] > 0:
            own_lines[key] -= 1
            pairs.subtract(_bigrams(_WORDS.findall(key)))
            kept[index] = True
    count = pairs.get  # not pairs[...]: Counter's __missing__ is a Python call, and most pairs miss
    for index, key in enumerate(keys):
        if kept[index]:
            continue
        line_pairs = _bigrams(_WORDS.findall(key))
        if len(line_pairs) >= 2 and sum(1 for pair in line_pairs if count(pair, 0) > 0) / len(line_pairs) >= min_share:
            pairs.subtract(line_pairs)
            kept[index] = True
    return kept


def _last_kept(kept: list[bool]) -> int:
    """The index of the extractor's last line (kept holds one)."""
    return len(kept) - 1 - kept[::-1].index(True)


def continuation_kept(lines: list[str], kept: list[bool], options: dict[str, Any]) -> list[bool]:
    """`kept` with the paragraphs that carry on the extractor's article after a label cut it.

    An extractor picks one container; a site that puts an advertisement in the middle of its
    article splits it in two, and the second half is left out. So after the last extracted line,
    past one or a few labels (`continuation_gap_lines` lines of `continuation_gap_max_words` words
    at most: "Advertisement"), a paragraph of `continuation_min_words` words or more that ends a
    sentence starts a continuation, and paragraphs of `continuation_next_min_words` or more that
    end a sentence carry it on, labels allowed between. Anything else ends it: a headline, a list,
    a section title ("About the author"), a long gap. Prose right after the article, with no
    label between, is another container (a comment thread, a bio) and is left as the extractor did.
    """
    min_words = options["continuation_min_words"]
    if not min_words or not any(kept):
        return kept
    result = list(kept)
    last = _last_kept(kept)
    gap = 0
    started = False
    for index in range(last + 1, len(lines)):
        words = count_words(lines[index])
        needed = options["continuation_next_min_words"] if started else min_words
        if words >= needed and ends_sentence(lines[index]) and (started or gap):
            result[index] = started = True
            gap = 0
        elif words <= options["continuation_gap_max_words"] and gap < options["continuation_gap_lines"]:
            gap += 1
        else:
            break
    return result


def lead_kept(lines: list[str], kept: list[bool], options: dict[str, Any]) -> list[bool]:
    """`kept` with the paragraphs right above the extractor's first line that read as its lead.

    Only when that first line is itself a paragraph: under a headline the extractor kept, the
    article starts there, and a paragraph above the headline belongs to something else.
    """
    min_words = options["lead_min_words"]
    if not min_words or not any(kept):
        return kept
    first = kept.index(True)
    if not ends_sentence(lines[first]):
        return kept
    result = list(kept)
    index = first - 1
    while index >= 0 and count_words(lines[index]) >= min_words and ends_sentence(lines[index]):
        result[index] = True
        index -= 1
    return result


def lead_structure_kept(
    lines: list[str], kept: list[bool], link_shares: list[float], tags: list[str], options: dict[str, Any]
) -> list[bool]:
    """`kept` with the list, table or subheading right above the extractor's first line: the key
    points or the contents an article opens with, which trafilatura's fast pass leaves out of a
    page without an <article> element.

    Only when that first line is a paragraph, and only plain list items, table cells and
    subheadings (not the headline, `h1`), each at most `gap_max_link_share` link text, at most
    `lead_max_structure_lines` of them and three or more list items or cells among them: a menu
    is links, and a subheading, a byline and a date above the article are no list.
    """
    most = options["lead_max_structure_lines"]
    if not most or not any(kept):
        return kept
    first = kept.index(True)
    blocks = _ArticleBlocks(lines, link_shares, tags, options)
    if not blocks.paragraph(first):
        return kept
    start = first
    while start > 0 and first - start < most and blocks.subsection(start - 1):
        start -= 1
    if start > 0 and blocks.subsection(start - 1):
        return kept  # a longer run than an article opens with
    if sum(1 for index in range(start, first) if tags[index] in _ITEM_BLOCKS) < _LEAD_MIN_ITEMS:
        return kept  # a headline, a byline or a date above the article, not a list
    return [*kept[:start], *([True] * (first - start)), *kept[first:]]


@dataclass(frozen=True)
class _ArticleBlocks:
    """What the take-backs read of a visible line: whether it is a paragraph of the article's kind
    (`gap_min_words` words or more, ending a sentence, at most `gap_max_link_share` link text) or
    a plain list item, table cell or heading."""

    lines: list[str]
    link_shares: list[float]
    tags: list[str]
    options: dict[str, Any]

    @cached_property
    def occurrences(self) -> Counter[str]:
        """How often each line stands on the page (counted when a take-back first asks)."""
        return Counter(self.lines)

    def plain(self, index: int) -> bool:
        return self.link_shares[index] <= self.options["gap_max_link_share"]

    def paragraph(self, index: int) -> bool:
        line = self.lines[index]
        return count_words(line) >= self.options["gap_min_words"] and ends_sentence(line) and self.plain(index)

    def structural(self, index: int) -> bool:
        return self.tags[index] in _STRUCTURAL_BLOCKS and self.plain(index)

    def subsection(self, index: int) -> bool:
        """A plain list item, table cell or subheading: structure inside an article, not its
        headline (`h1`: a new article's)."""
        return self.structural(index) and self.tags[index] != "h1"


def gap_kept(
    lines: list[str], kept: list[bool], link_shares: list[float], tags: list[str], options: dict[str, Any]
) -> list[bool]:
    """`kept` with the paragraphs, lists, tables and subheadings the extractor skipped inside its
    own text.

    A run of left-out lines with kept lines right above and below it is taken back when each line
    is at most `gap_max_link_share` link text and either a paragraph of `gap_min_words` words or
    more that ends a sentence (at most `gap_max_lines` of them: a lead under a teaser it kept, a
    section under a subheading it kept), or, in a run of at most `gap_max_structure_lines`, a list
    item, table cell or heading (a list, a table or a subheading inside the article belongs to it).
    A run with a menu (links), a label or a headline outside such blocks in it is left out whole,
    unless `gap_prose_share` or more of its words are in such paragraphs and it has at most
    `gap_prose_max_ratio` times the words the extractor kept (a section of the article with a
    "Learn more" button or an advertisement label in it, not the rest of the page between a stray
    kept line and the article): then its paragraphs are taken back, each one that stands once on
    the page (a photo caption a gallery repeats is not the article's).
    """
    max_lines = options["gap_max_lines"]
    max_structure = options["gap_max_structure_lines"]
    if not max_lines and not max_structure and not options["gap_prose_share"]:
        return kept
    blocks = _ArticleBlocks(lines, link_shares, tags, options)
    paragraph, structural = blocks.paragraph, blocks.structural
    result = list(kept)

    @cache
    def kept_words() -> int:  # counted when the first run asks
        return sum(count_words(line) for line, is_kept in zip(lines, kept, strict=True) if is_kept)

    start = 0
    while start < len(lines):
        if kept[start]:
            start += 1
            continue
        end = start
        while end < len(lines) and not kept[end]:
            end += 1
        run = range(start, end)
        between_kept = start > 0 and end < len(lines)
        paragraphs = len(run) <= max_lines and all(paragraph(index) for index in run)
        structure = (
            len(run) <= max_structure
            and all(paragraph(index) or structural(index) for index in run)
            and any(structural(index) for index in run)
        )
        if between_kept and (paragraphs or structure):
            result[start:end] = [True] * len(run)
        elif (
            between_kept and options["gap_prose_share"] and _mostly_prose(lines, run, paragraph, kept_words(), options)
        ):
            for index in run:
                result[index] = paragraph(index) and blocks.occurrences[lines[index]] == 1
        start = end
    return result


def _mostly_prose(
    lines: list[str], run: range, paragraph: Callable[[int], bool], kept_words: int, options: dict[str, Any]
) -> bool:
    """Whether a skipped run is a section of the article (see gap_kept): mostly paragraphs, and
    not larger than `gap_prose_max_ratio` times what the extractor kept."""
    share = options["gap_prose_share"]
    words = sum(count_words(lines[index]) for index in run)
    if not words or words > options["gap_prose_max_ratio"] * kept_words:
        return False
    return sum(count_words(lines[index]) for index in run if paragraph(index)) >= share * words


def section_after_kept(
    lines: list[str], kept: list[bool], link_shares: list[float], tags: list[str], options: dict[str, Any]
) -> list[bool]:
    """`kept` with the sections of the article after the extractor's last line: it stopped at a
    table or a subheading and the article goes on.

    Right after that line, a run of paragraphs and plain list items, table cells and subheadings
    (not a headline, `h1`: a new article) is taken back when it holds `after_min_paragraphs`
    paragraphs or more and half its words or more are in them. It ends at anything else: a line
    with links, a label, a byline, a commenter's name. A bio or a newsletter box after the article
    is a heading and a paragraph or two; a comment thread is broken by names and dates.
    """
    min_paragraphs = options["after_min_paragraphs"]
    if not min_paragraphs or not any(kept):
        return kept
    blocks = _ArticleBlocks(lines, link_shares, tags, options)
    last = _last_kept(kept)
    end = last + 1
    paragraphs = words = paragraph_words = 0
    while end < len(lines):
        is_paragraph = blocks.paragraph(end)
        if not (is_paragraph or blocks.subsection(end)):
            break
        count = count_words(lines[end])
        words += count
        if is_paragraph:
            paragraphs, paragraph_words = paragraphs + 1, paragraph_words + count
        end += 1
    if paragraphs < min_paragraphs or 2 * paragraph_words < words:
        return kept
    return [*kept[: last + 1], *([True] * (end - last - 1)), *kept[end:]]


def headline_kept(lines: list[str], kept: list[bool], title: str, options: dict[str, Any]) -> list[bool]:
    """`kept` with the article's headline: trafilatura gives it as metadata, not in the text.

    The headline is the last line above the extracted text, at most `headline_max_lines_above` lines
    up, whose words are the page title's (its first `headline_min_words` or more), a title often
    carrying the site's name after a separator.
    """
    reach = options["headline_max_lines_above"]
    title_words = _WORDS.findall(title.lower())
    if not reach or len(title_words) < options["headline_min_words"] or not any(kept):
        return kept
    first = kept.index(True)
    for index in range(first - 1, max(-1, first - 1 - reach), -1):
        words = _WORDS.findall(lines[index].lower())
        if len(words) >= options["headline_min_words"] and title_words[: len(words)] == words:
            result = list(kept)
            result[index] = True
            return result
    return kept


def trafilatura_document(tree: HtmlElement, options: dict[str, Any], *, fast: bool) -> Any:
    """trafilatura's document of the page's tree, or None when it fails on the page. trafilatura
    works on a copy of a tree it is given: the tree stays as parsed for the next reader."""
    from trafilatura import bare_extraction

    try:
        return bare_extraction(
            tree,
            include_comments=options["include_comments"],
            favor_precision=options["favor_precision"],
            fast=fast,
            with_metadata=False,
            include_tables=options["include_tables"],
        )
    except Exception:  # trafilatura fails on some hostile pages; the text rules still run
        return None


def page_metadata(tree: HtmlElement) -> dict[str, str]:
    """Title, date, URL and site name by trafilatura's and htmldate's own finders.

    trafilatura's full metadata pass also looks for authors, categories and licences, which cost
    more than the rest of it together; a record needs these four.
    """
    from htmldate import find_date
    from trafilatura.metadata import examine_meta, extract_sitename, extract_title, extract_url

    try:
        found = examine_meta(tree)
        values = {
            "title": found.title or extract_title(tree),
            "url": found.url or extract_url(tree),
            "sitename": found.sitename or extract_sitename(tree),
        }
        values["date"] = find_date(tree, extensive_search=False, original_date=True, url=values["url"])
    except Exception:  # metadata is a bonus: a page whose markup defeats it is still cleaned
        return {}
    return {name: value for name, value in values.items() if isinstance(value, str) and value}


def _prose_share(lines: list[str], kept: list[bool], min_words: int) -> float:
    """The share of the characters of the page's prose lines that the extraction holds (1 with none)."""
    prose = [(len(line), is_kept) for line, is_kept in zip(lines, kept, strict=True) if count_words(line) >= min_words]
    total = sum(size for size, _ in prose)
    return sum(size for size, is_kept in prose if is_kept) / total if total else 1.0


# Script elements whose content is markup a page's script renders into it.
_TEMPLATE_TYPES = frozenset(["text/template", "text/x-template", "text/html", "text/x-handlebars-template"])
_ARTICLE_TYPES = re.compile(r"Article|Posting|Report", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class StructuredBody:
    """An article body the page holds outside its visible markup, and where it was found."""

    lines: tuple[str, ...]
    found_in: str  # "json-ld articleBody", "script template"

    @property
    def words(self) -> int:
        return sum(count_words(line) for line in self.lines)


def _json_article_bodies(value: Any) -> Iterator[str]:
    """The articleBody strings of the Article-like objects of a JSON-LD value, at any depth."""
    if isinstance(value, list):
        for item in value:
            yield from _json_article_bodies(item)
    elif isinstance(value, dict):
        body = value.get("articleBody")
        kind = value.get("@type", "")
        kinds = " ".join(kind) if isinstance(kind, list) else str(kind)
        if isinstance(body, str) and (_ARTICLE_TYPES.search(kinds) or not kinds):
            yield body
        for item in value.values():
            if isinstance(item, dict | list):
                yield from _json_article_bodies(item)


def _scripts(tree: HtmlElement) -> Iterator[tuple[str, str]]:
    """(type, content) of the page's script elements that hold something."""
    for script in tree.iter("script"):
        content = script.text or ""
        if content.strip():
            yield (script.get("type") or "").strip().lower(), content


def structured_body(tree: HtmlElement) -> StructuredBody | None:
    """The longest article body in the page's JSON-LD (`articleBody`) or script templates."""
    found: list[StructuredBody] = []
    for kind, content in _scripts(tree):
        if kind == "application/ld+json":
            try:
                data = json.loads(content)
            except (ValueError, RecursionError):
                continue
            for body in _json_article_bodies(data):
                if "<" in body and ">" in body:  # some sites put markup in it
                    body = "\n".join(visible_lines(parse_html(f"<html><body>{body}</body></html>")))
                lines = tuple(line for raw in body.split("\n") if (line := collapsed(raw)))
                found.append(StructuredBody(lines, "json-ld articleBody"))
        elif kind in _TEMPLATE_TYPES:
            try:
                lines = tuple(visible_lines(parse_html(f"<html><body>{content}</body></html>")))
            except Rejected:
                continue
            found.append(StructuredBody(lines, "script template"))
    return max(found, key=lambda body: body.words, default=None)


# schema.org types by which a page declares what its content is: a discussion (its posts), or a
# collection of things (its entries).
_DECLARED_TYPES = (
    ("forum", re.compile(r"\b(?:QAPage|DiscussionForumPosting)\b")),
    ("listing", re.compile(r"\bCollectionPage\b")),
)


def page_type(tree: HtmlElement) -> str:
    """What the page declares itself, in JSON-LD or microdata: "forum" (schema.org QAPage or
    DiscussionForumPosting: its posts are its content), "listing" (CollectionPage: its entries are),
    else "article"."""
    declarations = [content for kind, content in _scripts(tree) if kind == "application/ld+json"]
    declarations += [element.get("itemtype", "") for element in tree.xpath("//*[@itemtype]")]
    for name, pattern in _DECLARED_TYPES:
        if any(pattern.search(text) for text in declarations):
            return name
    return "article"


def _prose_words(lines: list[str], min_words: int) -> int:
    return sum(words for line in lines if (words := count_words(line)) >= min_words)


def article_text(document: Any) -> str:
    """The text of trafilatura's document, and its comments when it was asked for them (a forum's
    posts); "" when it found none."""
    if document is None:
        return ""
    text = getattr(document, "text", None) or ""
    comments = getattr(document, "comments", None) or ""
    return f"{text}\n{comments}" if comments else text


def extract_page(html: str, options: dict[str, Any]) -> ExtractedPage:
    """The visible text of the page, with removals for every line trafilatura left out.

    trafilatura runs in its fast mode first; when that finds a short article, or little of the
    page's prose, it runs again with its fallback extractors (readability, jusText) compared. Its
    text is matched back to the lines, and the lines it missed of the article are taken back: the
    lead above it, the second half after an advertisement label, what it skipped between its own
    lines, the sections after its last line, and (when configured) the headline. A page that
    shows its content only without scripts is read so (`shown_without_scripts`).
    """
    tree = parse_html(html)
    lines, link_shares, tags = visible_structure(tree)
    scriptless = shown_without_scripts(html, lines)
    if scriptless is not None:
        tree, lines, link_shares, tags = scriptless
    body = _hidden_article(tree, lines, options)
    if body is not None:
        return _with_structured_body(tree, lines, link_shares, body, options)
    text = _source_text(lines)
    if not lines:
        return ExtractedPage(text)
    metadata = page_metadata(tree) if options["metadata"] else {}
    if scriptless is not None:
        metadata["read_without_scripts"] = "the page shows its content only to a browser without scripts (<noscript>)"
    metadata["page_type"] = page_type(tree) if options["page_types"] else "article"
    if metadata["page_type"] == "forum":  # the posts are what trafilatura calls comments
        options = {**options, "include_comments": True}
    article = article_text(trafilatura_document(tree, options, fast=options["fast"]))
    kept = extractor_kept(lines, article, min_share=options["min_pair_share"])
    if options["fast"]:
        short = len(article) < options["full_search_below_chars"]
        share = _prose_share(lines, kept, options["prose_min_words"])
        if short or share < options["full_search_below_prose_share"]:
            full = article_text(trafilatura_document(tree, options, fast=False))
            full_kept = extractor_kept(lines, full, min_share=options["min_pair_share"])
            # A short article is replaced; one that missed the prose only by one that holds more of it.
            if full.strip() and (short or _prose_share(lines, full_kept, options["prose_min_words"]) > share):
                article, kept = full, full_kept
    if not article.strip():
        return ExtractedPage(text, metadata=metadata, link_shares=tuple(link_shares))
    kept = lead_kept(lines, kept, options)
    kept = lead_structure_kept(lines, kept, link_shares, tags, options)
    kept = continuation_kept(lines, kept, options)
    kept = gap_kept(lines, kept, link_shares, tags, options)
    kept = section_after_kept(lines, kept, link_shares, tags, options)
    kept = headline_kept(lines, kept, metadata.get("title", ""), options)
    return ExtractedPage(text, _left_out_hits(lines, kept, LEFT_OUT), metadata, tuple(link_shares))


def _left_out_hits(lines: list[str], kept: list[bool], reason: str) -> tuple[Hit, ...]:
    """A hit for each line not kept, at its offsets in the source text (one line each, "\n" after)."""
    hits = []
    start = 0
    for line, is_kept in zip(lines, kept, strict=True):
        if not is_kept:
            hits.append(Hit(start, start + len(line), reason))
        start += len(line) + 1
    return tuple(hits)


def _hidden_article(tree: HtmlElement, lines: list[str], options: dict[str, Any]) -> StructuredBody | None:
    """The article body of a page that shows none (a script renders it from JSON-LD or a template):
    one of `structured_body_min_words` words or more, where the visible prose holds less than a
    tenth of its words. A page that shows its article (or a paywall's teaser) is read as shown."""
    min_words = options["structured_body_min_words"]
    if not min_words:
        return None
    body = structured_body(tree)
    if body is None or body.words < min_words:
        return None
    if _prose_words(lines, options["prose_min_words"]) * 10 >= body.words:
        return None
    return body


def _with_structured_body(
    tree: HtmlElement, lines: list[str], link_shares: list[float], body: StructuredBody, options: dict[str, Any]
) -> ExtractedPage:
    """The page's visible lines, left out, then the body's lines, kept: the source text holds the
    article that the page renders, and the record says where it came from."""
    metadata = page_metadata(tree) if options["metadata"] else {}
    metadata["page_type"] = "article"
    metadata["body_from"] = body.found_in
    reason = f"the page shows this beside an article it holds in {body.found_in}"
    return ExtractedPage(
        _source_text([*lines, *body.lines]),
        _left_out_hits(lines, [False] * len(lines), reason),
        metadata,
        (*link_shares, *(0.0 for _ in body.lines)),
    )
