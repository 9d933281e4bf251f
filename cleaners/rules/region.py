"""Rules that sweep what lies outside the article once the obvious debris is gone.

After the rules of form and topic have run, the article is the body region (the run of lines
with the most running text) and its head (headline, byline, date). Lines outside both that are not
sentences are the page around the article: menus, teaser titles, tag lists, dates. Sentences
outside stay: they may be the article's own (a caption, a last paragraph after an ad block).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..layout import article_span, outside_article
from ..model import Block, Hit
from ..patterns import PatternSet
from ..phrases import compile_phrases, prefix_regex, suffix_regex
from ..rule import Rule
from ..settings import shipped_rule_setting
from ..text import (
    batch_line_key,
    ends_sentence,
    is_prose,
    names_a_day,
    normalized,
    numbered_list,
    sentence_starts,
    word_count,
)
from ..view import DocumentView


class RepeatedLine(Rule):
    id = "navigation.repeated_line"
    category = "navigation"
    description = "Lines that many documents of the site share while their articles differ: site furniture."
    guarded = True
    corpus_statistics = True

    @dataclass(frozen=True)
    class Settings:
        min_documents: int
        min_ratio_to_article: int
        min_share: float

    def find(self, doc: DocumentView) -> Iterator[Hit]:
        documents = doc.batch.site_documents
        bounds = doc.body_bounds(extend=False)
        if documents < self.settings.min_documents or bounds is None:
            return
        frequency = doc.batch.line_frequency
        body = [b for b in doc.kept() if bounds[0] <= b.index <= bounds[1] and doc.is_prose(b)]
        # How widely this document's own paragraphs are shared: 1 for most, k for a story that
        # k sites syndicated. Furniture is shared far more widely than the article around it.
        typical = statistics.median(frequency.get(batch_line_key(b.text), 1) for b in body) if body else 1
        needed = max(
            self.settings.min_documents,
            self.settings.min_share * documents,
            self.settings.min_ratio_to_article * typical,
        )
        protected = doc.headline_zone()
        for block in doc.kept():
            if block.index in protected or not any(ch.isalpha() for ch in block.text):
                continue  # numbers are common to many pages without being furniture
            shared = frequency.get(batch_line_key(block.text), 0)
            if shared >= needed:
                yield self.whole(
                    block,
                    f"{shared} of the site's {documents} documents hold the same line, "
                    f"while this article's paragraphs stand in {typical:g}",
                )


class LegalFooter(Rule):
    id = "disclaimer.legal_footer"
    category = "disclaimer"
    description = "The site's legal lines after the article: copyright, rights reserved, terms of use."

    @dataclass(frozen=True)
    class Settings:
        max_words: int
        phrases: list[str]
        imprint_max_words: int
        imprint_patterns: list[str]

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.phrases = compile_phrases(self.settings.phrases)
        self.imprint = PatternSet(self.settings.imprint_patterns, shipped_rule_setting(self.id, "imprint_patterns"))

    def phrase(self, text: str) -> re.Match[str] | None:
        """Where the text holds one of the legal phrases (in its normalized words), if it does."""
        return self.phrases.search(normalized(text)) if self.phrases else None

    def wording(self, text: str) -> str | None:
        """The legal wording the text holds, if any."""
        match = self.phrase(text)
        return match.group(0) if match else ("©" if "©" in text else None)

    def opens_notice(self, sentence: str) -> bool:
        """Whether the sentence opens with legal wording: a notice ("© 2008 AAP", "Copyright 2008
        The Sports Network."), not a sentence that leads to a policy ("Read our privacy policy")."""
        if sentence.lstrip(" \"'“‘([").startswith("©"):
            return True
        match = self.phrase(sentence)
        return match is not None and match.start() == 0

    def judge(self, block: Block, doc: DocumentView, *, after_body: bool, article_end: bool) -> tuple[int, str] | None:
        """Where in the line the site's legal footer starts (0: the whole line) and why, if it holds
        one: legal wording in a short line, or, after the body only, its imprint (an article's last
        line may well give a telephone number). On the article's last line (`article_end`) a notice
        run into its closing sentences ("... on the road. Copyright 2008 The Sports Network.")
        starts at its own sentence; a line whose legal wording stands inside a sentence is the
        site's whole (a disclaimer's first sentences lead to its policy)."""
        words = word_count(block.text)
        if words <= self.settings.max_words and (wording := self.wording(block.text)):
            first = 0
            if article_end:
                starts = sentence_starts(block.text)
                ends = [*starts[1:], len(block.text)]
                first = next((s for s, e in zip(starts, ends, strict=True) if self.wording(block.text[s:e])), 0)
                notice = self.opens_notice(block.text[first:])
                if not (notice and is_prose(block.text[:first], doc.text_settings["prose_min_words"])):
                    first = 0
            return first, f"a legal line of the site after the article (“{wording}”)"
        imprint = after_body and self.imprint and words <= self.settings.imprint_max_words
        if imprint and (match := self.imprint.search(block.text)):
            return 0, f"the site's imprint after the article (“{match.group(0).strip()}”): editor, address, telephone"
        return None

    def find(self, doc: DocumentView) -> Iterator[Hit]:
        span = article_span(doc, extend=False)
        if span is None:
            return
        kept = doc.kept()
        after = [block for block in kept if block.index > span[1]]
        footer = [
            (block, judged)
            for block in after
            if (judged := self.judge(block, doc, after_body=True, article_end=block is after[0]))
        ]
        # A footer right under the last paragraph reads as part of the body: the body's last lines count
        # too, as long as every line from them to the end of the body is legal wording. A line that
        # opens with the article's own sentences ends that run.
        body = [block for block in kept if span[0] <= block.index <= span[1]]
        while body and (judged := self.judge(body[-1], doc, after_body=False, article_end=True)):
            footer.insert(0, (body.pop(), judged))
            if judged[0]:
                break
        for block, (start, reason) in footer:
            yield Hit(block.start + start, block.end, reason)


class SitePromo(Rule):
    id = "advertising.site_promo"
    category = "advertising"
    description = "The site's calls to the reader around the article: sign up, subscribe, click here, send us."

    @dataclass(frozen=True)
    class Settings:
        max_words: int
        calls: list[str]
        closing_links: list[str]
        closing_calls: list[str]
        site_words: list[str]

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.calls = prefix_regex(self.settings.calls, needs_separator=False, after_label=True)
        self.links = suffix_regex(self.settings.closing_links)
        self.closings = suffix_regex(self.settings.closing_calls)
        self.site_words = compile_phrases(self.settings.site_words)

    def call(self, block: Block, *, at_edge: bool = False) -> str | None:
        """The call the line opens or ends with, if it is short enough for a promotion.

        At the body's edge a line is read as the site's call only when no article sentence would
        make it: a link's label ("... Click here"), or a call about the site itself ("Sign up for
        our e-mail alerts"); a how-to's first step ("Download the installer") and a last line "...
        to find out more." stay.
        """
        if word_count(block.text) > self.settings.max_words:
            return None
        if self.links and (match := self.links.search(block.text)):
            return match.group("phrase")
        about_site = not at_edge or (self.site_words and self.site_words.search(normalized(block.text)))
        if about_site and self.calls and (match := self.calls.search(block.text)):  # anchored at the start
            return match.group("phrase")
        if not at_edge and self.closings and (match := self.closings.search(block.text)):
            return match.group("phrase")
        return None

    def find(self, doc: DocumentView) -> Iterator[Hit]:
        bounds = doc.body_bounds(extend=False)
        if bounds is None:
            return
        head = doc.headline_zone()
        headline = head.start if len(head) else None
        kept = [block for block in doc.kept() if block.index != headline]
        body = [block for block in kept if bounds[0] <= block.index <= bounds[1]]
        # Calls at the body's edges read as its first or last sentences: they are peeled off.
        first, last = 0, len(body)
        while first < last and self.call(body[first], at_edge=True):
            first += 1
        while last > first and self.call(body[last - 1], at_edge=True):
            last -= 1
        inside = {block.index for block in body[first:last]}
        for block in kept:
            if block.index in inside or not (call := self.call(block)):
                continue
            if block.index > bounds[1]:
                where = "after the article's body"
            else:
                where = "above the article's body" if block.index < bounds[0] else "at the edge of the article's body"
            yield self.whole(block, f"a line {where} that calls on the reader (“{call}”): the site's own promotion")


class DatedHeadlines(Rule):
    id = "related_links.dated_list"
    category = "related_links"
    description = "A list of other stories after the article's body: headlines, each with its date line."
    guarded = True

    @dataclass(frozen=True)
    class Settings:
        min_entries: int
        title_min_words: int
        title_max_words: int
        max_byline_words: int

    def find(self, doc: DocumentView) -> Iterator[Hit]:
        bounds = doc.body_bounds()
        if bounds is None:
            return
        date_words = frozenset(doc.text_settings["date_words"])
        after = [block for block in doc.kept() if block.index > bounds[1]]
        dated = [names_a_day(block.text, date_words) for block in after]  # each line judged once
        position = 0
        while position < len(after):
            end, titles, dates = self.run_from(after, dated, position)
            # Titles numbered in order are the article's own list (a top ten, a calendar).
            if min(len(titles), dates) < self.settings.min_entries or numbered_list(titles):
                position += 1
                continue
            reason = (
                f"one of {len(titles)} headlines after the article's body, each with its date: a list of other stories"
            )
            for block in after[position:end]:
                yield self.whole(block, reason)
            position = end

    def run_from(self, blocks: list[Block], dated: list[bool], start: int) -> tuple[int, list[Block], int]:
        """The end of the run from blocks[start] where headlines and date lines alternate (either
        one first; a short byline may stand between a headline and its date), its headlines and
        how many dates. `dated` says which blocks name a day (`names_a_day`): a time alone is a
        video's length or an event's hours."""
        titles: list[Block] = []
        dates = 0
        previous = ""
        position = start
        while position < len(blocks):
            text = blocks[position].text
            if dated[position]:
                if previous == "date":
                    break
                previous, dates = "date", dates + 1
            elif previous == "title":
                following_dated = position + 1 < len(blocks) and dated[position + 1]
                if word_count(text) > self.settings.max_byline_words or not following_dated:
                    break
                previous = "byline"
            elif self.settings.title_min_words <= word_count(text) <= self.settings.title_max_words and not (
                ends_sentence(text)
            ):
                titles.append(blocks[position])
                previous = "title"
            else:
                break
            position += 1
        return position, titles, dates


class PageAroundArticle(Rule):
    id = "navigation.around_article"
    category = "navigation"
    revisable = True
    description = "Short lines that are not sentences, before the article's headline or after its body."
    guarded = True
    on_extracted_html = False

    @dataclass(frozen=True)
    class Settings:
        max_words: int

    def find(self, doc: DocumentView) -> Iterator[Hit]:
        limit = self.settings.max_words
        for block, before in outside_article(doc):
            if before or word_count(block.text) <= limit:
                where = "before the article's headline" if before else "after the article's body"
                yield self.whole(block, f"a line {where} that is not a sentence: menu, label or page furniture")


class TeasersAfterArticle(Rule):
    id = "related_links.after_article"
    category = "related_links"
    revisable = True
    description = "Headline-like lines after the article's body: titles of other stories."
    guarded = True
    on_extracted_html = False

    def find(self, doc: DocumentView) -> Iterator[Hit]:
        for block, before in outside_article(doc):
            if not before:
                yield self.whole(block, "a headline-like line after the article's body: the title of another story")


class LinkLinesAroundArticle(Rule):
    id = "related_links.link_lines"
    category = "related_links"
    revisable = True
    description = (
        "On an HTML page, lines that are links before the article's headline or after its body, "
        "and lists of linked headlines anywhere."
    )
    guarded = True

    @dataclass(frozen=True)
    class Settings:
        min_link_share: float
        min_run_in_body: int

    def find(self, doc: DocumentView) -> Iterator[Hit]:
        link_shares = doc.link_shares
        if link_shares is None:
            return
        # With no article body among the lines (the extractor kept a page of links), the whole
        # page is searched for lists of headlines.
        span = article_span(doc, extend=False) or (0, len(doc.blocks))
        minimum = self.settings.min_link_share
        run_lines = self.settings.min_run_in_body
        kept = doc.kept()
        run: list[Block] = []
        for block in [*kept, None]:
            share = link_shares[block.index] if block is not None else 0.0
            inside = block is not None and span[0] <= block.index <= span[1]
            if inside and share >= minimum and not ends_sentence(block.text):  # headlines, not a digest's sentences
                run.append(block)
                continue
            if run_lines and len(run) >= run_lines:
                for linked in run:
                    yield self.whole(
                        linked,
                        f"one of {len(run)} lines in a row inside the article that are mostly link text "
                        f"(this one {link_shares[linked.index]:.0%}) and end no sentence: a list of headlines",
                    )
            run = []
            if block is not None and not inside and share >= minimum:
                where = "before the article's headline" if block.index < span[0] else "after the article's body"
                yield self.whole(block, f"a line {where} that is {share:.0%} link text: a link to another page")
