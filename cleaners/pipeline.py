"""Cleaning one document with the statistics of its corpus: rules, guard, text, language."""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from .accounting import RemovalSet, cut_removals
from .guard import overrule
from .html import ExtractedPage
from .language import detect_language, guess_stoplist_language, stopwords_for
from .left_out import explain_left_out
from .model import Block, CleanedDocument, TakenBack
from .registry import build_rules
from .rule import Rule
from .rules.model import VERDICTS_NOTE
from .settings import load_settings
from .statistics import CorpusStatistics, Evidence, stable_key
from .text import batch_line_key, clear_document_caches, count_words, split_blocks, split_lines, word_count
from .topics import term_set
from .view import BatchStats, DocumentView, PageLines

# A page is cleaned again by every text rule only where the extractor kept under this share of
# what the text rules without the line model keep of it (the full pass keeps less than they do).
SET_ASIDE_CANDIDATE_SHARE = 0.6


def kept_a_sliver(
    kept: int,
    estimate: Callable[[], int],
    whole: Callable[[], int],
    options: Mapping[str, Any],
    candidate_share: float = SET_ASIDE_CANDIDATE_SHARE,
) -> bool:
    """Whether the extractor kept a sliver of a page's content: `kept` words, fewer than
    `[html] text_rules_below_words`, under `candidate_share` of the `estimate` (what the text rules
    without the line model keep) and under `text_rules_below_share` of what every text rule keeps
    of the whole page (`whole`). The counts are asked for cheapest first, only when needed: most
    pages are settled by their own."""
    return (
        kept < options["text_rules_below_words"]
        and kept < candidate_share * estimate()
        and kept < options["text_rules_below_share"] * whole()
    )


def words_left(view: DocumentView) -> int:
    """The words of the lines no rule took."""
    return sum(word_count(block.text) for block in view.blocks if not view.taken[block.index])


class Cleaner:
    """The configured rule set; cheap to call, so build one per process and reuse it."""

    def __init__(self, settings: dict[str, Any] | None = None, *, rules_path: str | Path | None = None) -> None:
        self.settings = settings if settings is not None else load_settings(rules_path)
        self.rules: list[Rule] = build_rules(self.settings)
        self.extracted_rules: list[Rule] = [rule for rule in self.rules if rule.on_extracted_html]
        self.model_rule_ids: frozenset[str] = frozenset(rule.id for rule in self.rules if rule.needs_model)
        self.revisable_rule_ids: frozenset[str] = frozenset(rule.id for rule in self.rules if rule.revisable)
        self.rules_version: str = self.settings["rules_version"]
        self.counts_lines: bool = any(rule.corpus_statistics for rule in self.rules)

    def evidence(self, text: str, site: str = "") -> Evidence:
        """A document's part of the corpus statistics: its words, and its lines when a rule reads
        line counts."""
        lines = (
            frozenset(batch_line_key(line) for line in split_lines(text) if line.strip())
            if self.counts_lines
            else frozenset()
        )
        content = stable_key(site + "\x00" + text)  # the same page on two sites is two documents
        return Evidence(site, content, frozenset(term_set(text, frozenset())), lines)

    def statistics_for(self, evidence: list[Evidence], corpus: CorpusStatistics | None = None) -> dict[str, BatchStats]:
        """What the documents of a batch read of the corpus, by site. Without corpus statistics,
        the batch is its own corpus (a library caller cleaning documents in memory)."""
        if corpus is None:
            corpus = CorpusStatistics(generation="batch")
            for item in evidence:
                corpus.add(item.keys())
        return corpus.batch(evidence)

    def batch_stats(self, texts: Iterable[str]) -> BatchStats:
        """The statistics of these texts alone, as one site's."""
        return self.statistics_for([self.evidence(text) for text in texts]).get("", BatchStats())

    def clean_batch(self, documents: list[tuple[str, str]]) -> list[CleanedDocument]:
        """Cleans (id, text) pairs with IDF taken from the whole batch."""
        stats = self.batch_stats(text for _, text in documents)
        return [self.clean(doc_id, text, stats) for doc_id, text in documents]

    def clean(
        self,
        doc_id: str,
        text: str,
        batch: BatchStats | None = None,
        page: ExtractedPage | None = None,
    ) -> CleanedDocument:
        """Runs every rule in order on the raw text; returns the kept text and every removal.

        `page`, for HTML (`text` is its visible text): the extractor's decision is the first rule
        (html_boilerplate.extractor), and then only the rules `on_extracted_html` run; its lines'
        link shares go to the rules that read them. Where the extractor kept a sliver of what the
        text rules keep of the whole visible text (`[html] text_rules_below_words` and
        `text_rules_below_share`), or the page is a forum (`forums_as_text`), the text rules'
        cleaning of the whole visible text is the result, and its `set_aside` says why.
        """
        if batch is None:  # once, not in each pass of the rules below
            batch = self.batch_stats([text])
        facts: dict[str, Any] = {}  # what every pass below derives from the text alone, once
        if page is None or not page.left_out:
            return self.clean_pass(doc_id, text, batch, page, facts)[0]
        whole_page = replace(page, left_out=None)
        if self.reads_posts_as_text(page):
            why = "the page declares itself a discussion: the text rules read its posts"
            return replace(self.clean_pass(doc_id, text, batch, whole_page, facts)[0], set_aside=why)
        cleaned, judged = self.clean_pass(doc_id, text, batch, page, facts)
        whole = cleaned  # replaced by the text rules' cleaning of the whole page, if it comes to that

        def whole_words() -> int:
            nonlocal whole
            whole = self.clean_pass(doc_id, text, batch, whole_page, facts)[0]
            return count_words(whole.cleaned_text)

        kept = count_words(cleaned.cleaned_text)
        if not kept_a_sliver(kept, lambda: words_left(judged()), whole_words, self.settings["html"]):
            return cleaned
        why = f"the extractor kept {kept} words, the text rules {count_words(whole.cleaned_text)} of the whole page"
        return replace(whole, set_aside=f"{why}: they read it")

    def reads_posts_as_text(self, page: ExtractedPage) -> bool:
        """Whether a page is a forum the text rules read whole (`[html] forums_as_text`)."""
        return bool(self.settings["html"]["forums_as_text"]) and page.metadata.get("page_type") == "forum"

    def clean_pass(
        self, doc_id: str, text: str, batch: BatchStats, page: ExtractedPage | None, facts: dict[str, Any]
    ) -> tuple[CleanedDocument, Callable[[], DocumentView]]:
        """One cleaning: the rules, the guard's reruns, the explanation of what the extractor left
        out, the language. With the cleaned document, how to get the view of the whole page after
        the text rules without the line model: the pass that explains the left-out lines, run at
        most once, and where explanations are turned off only when asked for."""
        skipped: set[str] = set(self.skipped_on(page))
        view, removals = self.apply_rules(text, batch, page, skip=frozenset(skipped), facts=facts)
        overruled = overrule(view, removals, self.rules, self.settings["guard"])
        while overruled and (taken_back := {o.rule for o in overruled}) - skipped:
            # The lines an overruled rule had taken were never shown to the rules after it (a menu
            # under a misread comment header): run the rules again without the overruled ones.
            skipped |= taken_back
            view, removals = self.apply_rules(text, batch, page, skip=frozenset(skipped), facts=facts)
            overruled += overrule(view, removals, self.rules, self.settings["guard"])

        @functools.cache
        def judged() -> tuple[DocumentView, RemovalSet]:
            # The learned block models judge by the same evidence trafilatura weighed (and cost the
            # most); the other rules recognize what a block is.
            unexplaining = frozenset(self.model_rule_ids | skipped)
            return self.apply_rules(text, batch, replace(page, left_out=None), skip=unexplaining, facts=facts)

        if page is not None and page.left_out and self.settings["html"]["explain_left_out"]:
            removals = explain_left_out(text, removals, list(judged()[1]), page, view.blocks)
        merged = removals.merged()
        cleaned = cut_removals(text, merged)
        text_settings = self.settings["text"]
        language, probability = detect_language(
            cleaned,
            sample_chars=text_settings["language_sample_chars"],
            min_letters=text_settings["language_min_letters"],
        )
        taken_back = view.notes.get("taken_back", [])
        verdicts = view.notes.get(VERDICTS_NOTE)
        not_applied = verdicts.not_applied if verdicts is not None else ""
        document = CleanedDocument(
            doc_id, text, cleaned, merged, language, probability, overruled, taken_back, not_applied
        )
        return document, lambda: judged()[0]

    def skipped_on(self, page: ExtractedPage | None) -> frozenset[str]:
        """The rules that do not run on this page for its type: on a forum, whose posts are its
        content, the categories `[html] forum_skips_categories` (comments) name; on a listing,
        whose entries are, those of `listing_skips_categories` (its entries read as menus and
        lists of links)."""
        kind = page.metadata.get("page_type") if page is not None else None
        if kind not in ("forum", "listing"):
            return frozenset()
        skipped = set(self.settings["html"][f"{kind}_skips_categories"])
        return frozenset(rule.id for rule in self.rules if rule.category in skipped)

    def apply_rules(
        self,
        text: str,
        batch: BatchStats | None = None,
        page: ExtractedPage | None = None,
        skip: frozenset[str] = frozenset(),
        facts: dict[str, Any] | None = None,
    ) -> tuple[DocumentView, RemovalSet]:
        """The rules alone, before the guard: the view (what is left) and what they removed.

        `skip`: ids of rules that do not run (the ones the guard took back). `facts`: what an
        earlier pass over this same text and page derived from them alone (DocumentView.facts),
        filled on the first pass; None computes it for this pass only.
        """
        if facts is None:
            facts = {}
        if "blocks" not in facts:
            clear_document_caches()  # a new document: the last one's lines are no use
            facts["blocks"] = split_blocks(text)
            facts["language"] = guess_stoplist_language(text)
        blocks: list[Block] = facts["blocks"]
        guess: str = facts["language"]
        if batch is None:
            batch = self.batch_stats([text])
        left_out_hits = page.left_out if page is not None else None
        left_out_starts = {hit.start for hit in left_out_hits or ()}  # the extractor's hits are whole lines
        lines = None
        if page is not None:
            left_out = frozenset(b.index for b in blocks if b.start in left_out_starts)
            lines = PageLines(page.link_shares, left_out, left_out_hits)
        view = DocumentView(
            text,
            blocks,
            guess,
            stopwords_for(guess),
            self.settings,
            batch,
            page=lines,
            revisable=self.revisable_rule_ids,
            facts=facts,
        )
        removals = RemovalSet(text)
        block_starts = [b.start for b in blocks]
        rules = self.rules if left_out_hits is None else self.extracted_rules
        if skip:
            rules = [rule for rule in rules if rule.id not in skip]
        rule_hits = ((hit, rule.id, rule.category) for rule in rules for hit in list(rule.find(view)))
        for hit, rule_id, category in rule_hits:  # rules find lazily, after the ones before
            if not removals.add(hit, rule_id, category):
                continue
            first = max(0, bisect.bisect_right(block_starts, hit.start) - 1)
            for index in range(first, len(blocks)):  # no slice: a copy of the tail each hit is quadratic
                block = blocks[index]
                if block.start >= hit.end:
                    break
                if not view.taken[block.index] and removals.covers(block.start, block.end):
                    view.take(block.index, rule_id)
        self.give_back(view, removals)
        return view, removals

    @staticmethod
    def give_back(view: DocumentView, removals: RemovalSet) -> None:
        """The lines the line model reads as the article's, taken back from the revisable rules that
        had taken them (none when the model's rules did not run)."""
        verdicts = view.notes.get(VERDICTS_NOTE)
        if verdicts is None:
            return
        taken_back = view.notes.setdefault("taken_back", [])
        for index, (probability, deciding) in sorted(verdicts.give_back.items()):
            block = view.blocks[index]
            reason = f"the line model reads it as the article's (p={probability:.2f}); deciding: {deciding}"
            for released in removals.release(block.start, block.end):
                taken_back.append(TakenBack(released.start, released.end, released.rule, reason))
            view.give_back(index)
