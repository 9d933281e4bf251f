"""Off-topic stories glued to the end of an article, found by their relation to the article.

A scraper that reads past the article's end picks up teasers of other stories: another
country's election, a concert, a museum. They share almost no words or names with the article's
title and lead, and they often stop mid-sentence or open like a new story. The article's own last
paragraphs may widen the topic too, so a weak match alone is never enough: the last block of a
glued story must show a signal (cut off, a new story's opening), and blocks before it join only
when they match the article very weakly.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..model import Block, Hit
from ..patterns import PatternSet
from ..rule import Rule
from ..settings import shipped_rule_setting
from ..text import ends_sentence, ends_with_ellipsis, numbered_list, signed_off, word_count
from ..topics import content_terms, median_coherence, reference_coherence
from ..view import DocumentView


class TrailingStory(Rule):
    id = "off_topic.trailing_story"
    category = "off_topic"
    description = "Whole stories about something else after the article, judged by topic coherence."
    guarded = True
    on_extracted_html = False

    @dataclass(frozen=True)
    class Settings:
        tail_start_share: float
        lead_blocks: int
        max_coherence_alone: float
        joins_by_own_topic: bool
        max_coherence_with_signal: float
        name_weight: float
        idf_prior_docs: int
        min_block_words: int
        kicker_max_words: int
        wire_dateline_pattern: str

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        shipped = shipped_rule_setting(self.id, "wire_dateline_pattern")
        self.wire_dateline = PatternSet([self.settings.wire_dateline_pattern], [shipped])

    def new_story_signal(self, block: Block) -> str | None:
        """What makes the block look like the start or the cut-off end of another story. (Not a
        weekday or a date in its lead: an article's own last paragraphs have them as often.)"""
        text = block.text
        if ends_with_ellipsis(text) or not (ends_sentence(text) or signed_off(text)):
            return "it stops mid-sentence"
        head, colon, _ = text.partition(":")
        letters = [ch for ch in head if ch.isalpha()]
        if (
            colon
            and len(letters) >= 2
            and word_count(head) <= self.settings.kicker_max_words
            and all(ch.isupper() for ch in letters)
        ):
            return f"it opens with the kicker “{head.strip()}:” like a new story"
        if self.wire_dateline.search(text):
            return "it opens with a dateline like a new story"
        return None

    def joins_story(self, terms: dict[str, bool], story: set[str], score: float, doc: DocumentView) -> bool:
        """Whether a block without a signal (`terms`: its content terms) matches the off-topic story
        after it (`story`: its words) better than it matches the article (`score`)."""
        return (
            not self.settings.joins_by_own_topic or reference_coherence(terms, story, doc.batch, self.settings) > score
        )

    def find(self, doc: DocumentView) -> Iterator[Hit]:
        kept = doc.kept()
        substantial = [b for b in kept if word_count(b.text) >= self.settings.min_block_words]
        if len(substantial) <= self.settings.lead_blocks:
            return
        total = sum(len(b.text) for b in kept)
        running = 0
        tail_start = len(kept)
        for position, block in enumerate(kept):
            if running >= self.settings.tail_start_share * total:
                tail_start = position
                break
            running += len(block.text)
        lead = substantial[: self.settings.lead_blocks]
        tail_start = max(tail_start, kept.index(lead[-1]) + 1)
        reference: set[str] = set()
        for block in [*kept[:tail_start], *lead]:
            reference.update(content_terms(block.text, doc.stopwords))

        alone = self.settings.max_coherence_alone
        with_signal = self.settings.max_coherence_with_signal
        off_topic: list[tuple[Block, str]] = []
        story: set[str] = set()
        for block in reversed(kept[tail_start:]):
            if word_count(block.text) < self.settings.min_block_words:
                continue
            terms = content_terms(block.text, doc.stopwords)
            score = reference_coherence(terms, reference, doc.batch, self.settings)
            signal = self.new_story_signal(block)
            if signal and score < with_signal:
                reason = f"its words barely match the article before it (coherence {score:.2f}) and {signal}"
            elif score < alone and off_topic and self.joins_story(terms, story, score, doc):
                reason = (
                    f"its words hardly match the article (coherence {score:.2f} < {alone}) "
                    "and it joins the story after it"
                )
            else:
                break
            off_topic.append((block, reason))
            story.update(terms)
        if not off_topic:
            return
        first, last = off_topic[-1][0], off_topic[0][0]
        reasons = {block.index: reason for block, reason in off_topic}
        run = kept[kept.index(first) : kept.index(last) + 1]
        # Short lines after the last story go with it when they weigh less than the stories (a
        # footer's lines); more is a part of its own (an appendix, a code listing, a table).
        after = kept[kept.index(last) + 1 :]
        if sum(word_count(b.text) for b in after) <= sum(word_count(b.text) for b, _ in off_topic):
            run += after
        for block in run:
            reason = reasons.get(block.index, "a short line inside a run of off-topic stories")
            yield self.whole(block, "a story about something else after the article: " + reason)


class TeaserList(Rule):
    id = "related_links.teaser_list"
    category = "related_links"
    description = "Other stories listed after or above the article: headline and summary pairs about something else."

    @dataclass(frozen=True)
    class Settings:
        min_pairs: int
        title_min_words: int
        title_max_words: int
        min_reference_terms: int
        summary_max_median_words: int
        max_words_to_text_above: float
        max_median_coherence: float
        name_weight: float
        idf_prior_docs: int

    def is_title(self, block: Block, doc: DocumentView) -> bool:
        """A headline: a few words, no sentence, no label, and no line of a hard-wrapped paragraph."""
        text = block.text
        if not self.settings.title_min_words <= word_count(text) <= self.settings.title_max_words:
            return False
        return not (ends_sentence(text) or text.rstrip().endswith(":") or doc.is_prose(block))

    @staticmethod
    def is_summary(block: Block, doc: DocumentView) -> bool:
        """A teaser's summary: running text, or as long as running text and cut off with an ellipsis."""
        return doc.is_prose(block) or (
            ends_with_ellipsis(block.text) and word_count(block.text) >= doc.text_settings["prose_min_words"]
        )

    def run_end(self, kept: list[Block], position: int, doc: DocumentView) -> int:
        """Where the run of headline and summary pairs from kept[position] ends; a run that starts
        above the article's body ends where the body begins (its headline and lead are no teaser)."""
        end = position
        while end + 1 < len(kept) and self.is_title(kept[end], doc) and self.is_summary(kept[end + 1], doc):
            end += 2
        if (end - position) // 2 >= self.settings.min_pairs and (bounds := doc.body_bounds()) is not None:
            while end > position and kept[position].index < bounds[0] <= kept[end - 1].index:
                end -= 2
        return end

    def find(self, doc: DocumentView) -> Iterator[Hit]:
        kept = doc.kept()
        reference: set[str] = set()
        prose_words = 0  # the words of the running text in kept[:referenced]
        referenced = 0  # kept[:referenced] are in the reference, computed only when a run needs it
        position = 0
        while position < len(kept):
            end = self.run_end(kept, position, doc)
            pairs = (end - position) // 2
            if (
                pairs < self.settings.min_pairs
                or numbered_list(kept[position:end:2])
                or statistics.median(word_count(b.text) for b in kept[position + 1 : end : 2])
                > self.settings.summary_max_median_words
            ):
                position += 1
                continue
            for block in kept[referenced:position]:
                reference.update(content_terms(block.text, doc.stopwords))
                prose_words += word_count(block.text) if doc.is_prose(block) else 0
            referenced = position
            listed = sum(word_count(b.text) for b in kept[position:end])
            compared, where = reference, "after"
            if listed > self.settings.max_words_to_text_above * prose_words:
                # Not an appendage to an article above: a ticker of other stories above the
                # article's body, compared with the body; else the page's own items (a roundup).
                bounds = doc.body_bounds()
                if bounds is None or kept[position].index >= bounds[0]:
                    position = end
                    continue
                compared, where = set(), "before"
                for block in kept[end:]:
                    if block.index <= bounds[1]:
                        compared.update(content_terms(block.text, doc.stopwords))
            if len(compared) >= self.settings.min_reference_terms:
                pairs = [f"{kept[i].text}\n{kept[i + 1].text}" for i in range(position, end, 2)]
                median = median_coherence(pairs, compared, doc.stopwords, doc.batch, self.settings)
                if median < self.settings.max_median_coherence:
                    reason = (
                        f"one of {len(pairs)} headlines with a summary {where} the article whose words barely match "
                        f"it (median coherence {median:.2f} < {self.settings.max_median_coherence}): other stories"
                    )
                    for block in kept[position:end]:
                        yield self.whole(block, reason)
            position = end
