"""Rules that judge a line by its place among its neighbours: sections, runs, the document's edges."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..model import Block, Hit
from ..phrases import compile_phrases, label_key, phrase_set, prefix_regex, suffix_regex
from ..rule import Rule
from ..text import (
    CLOCK_TIME,
    ends_question,
    ends_with_ellipsis,
    is_date_line,
    normalized,
    numbered_list,
    script_of,
    sentences,
    word_count,
    words,
)
from ..topics import content_terms, median_coherence
from ..view import DocumentView


class RelatedSection(Rule):
    id = "related_links.section"
    category = "related_links"
    description = "A 'Related News' / 'Recommended' header and the list of teasers under it."

    @dataclass(frozen=True)
    class Settings:
        max_header_words: int
        headers: list[str]
        header_prefixes: list[str]
        min_summaries: int
        max_card_lines: int
        min_reference_terms: int
        max_words_to_text_above: float
        max_summary_coherence: float
        name_weight: float
        idf_prior_docs: int

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.headers = phrase_set(self.settings.headers)
        self.header_prefixes = prefix_regex(self.settings.header_prefixes, needs_separator=False)

    def summarized(self, kept: list[Block], position: int, doc: DocumentView, protected: range) -> list[Block]:
        """The lines from kept[position] on that go on with a list of teasers over their summaries
        (teaser cards: a title, a summary, the next title), up to two lines of running text in a
        row (an article's paragraphs), the article's head or more than max_card_lines lines
        without running text, and ending with its last summary; none unless at least min_summaries
        summaries stand there, the run holds at most max_words_to_text_above times the words of
        the running text above kept[position] (else it is a listing's entries), and the
        summaries' median coherence with the text above (a reference of min_reference_terms
        content words or more) is below max_summary_coherence: an article that goes on after a
        box of links shares its own words."""
        run: list[Block] = []
        ends = 0  # the run ends with its last summary
        for at in range(position, len(kept)):
            block = kept[at]
            follows = kept[at + 1] if at + 1 < len(kept) else None
            if block.index in protected or (doc.is_prose(block) and follows is not None and doc.is_prose(follows)):
                break
            if len(run) - ends >= self.settings.max_card_lines:
                break  # more lines without running text than a card holds: no cards (a table's cells)
            run.append(block)
            if doc.is_prose(block):
                ends = len(run)
        run = run[:ends]
        summaries = [block for block in run if doc.is_prose(block)]
        if len(summaries) < self.settings.min_summaries:
            return []
        above = kept[:position]
        prose_above = sum(word_count(block.text) for block in above if doc.is_prose(block))
        if sum(word_count(block.text) for block in run) > self.settings.max_words_to_text_above * prose_above:
            return []  # the page's own entries under a menu's header (a listing), not an appendage
        reference: set[str] = set()
        for block in above:
            reference.update(content_terms(block.text, doc.stopwords))
        if len(reference) < self.settings.min_reference_terms:
            return []
        median = median_coherence((b.text for b in summaries), reference, doc.stopwords, doc.batch, self.settings)
        return run if median < self.settings.max_summary_coherence else []

    def _header(self, block: Block) -> bool:
        if word_count(block.text) > self.settings.max_header_words:
            return False
        if label_key(block.text) in self.headers:
            return True
        return bool(self.header_prefixes and self.header_prefixes.search(block.text))

    def find(self, doc: DocumentView) -> Iterator[Hit]:
        date_words = frozenset(doc.text_settings["date_words"])
        kept = doc.kept()
        protected = doc.headline_zone()
        taken_here: set[int] = set()
        for position, block in enumerate(kept):
            if block.index in taken_here or not self._header(block):
                continue
            items = []
            for follower in kept[position + 1 :]:
                if follower.index in protected:
                    break
                teaser = (
                    not doc.is_prose(follower)
                    or ends_with_ellipsis(follower.text)
                    or is_date_line(follower.text, date_words)
                )
                if not teaser:
                    break
                items.append(follower)
            is_last = position == len(kept) - 1
            if not items and not is_last:
                continue  # a header followed by running text is the article's own subheading
            links = f"{len(items)} link" if len(items) == 1 else f"{len(items)} links"
            reason = f"a list of {links} under the header “{block.text.strip()[:60]}”"
            cards = self.summarized(kept, position + 1 + len(items), doc, protected)
            if cards:
                reason += f", and {len(cards)} lines of teasers with summaries about other things after them"
                items += cards
            for member in [block, *items]:
                taken_here.add(member.index)
                yield self.whole(member, reason)


# A line that opens with a count: "34 Responses to ...", "One thought on ...".
_COUNT_FIRST = re.compile(r"\W*(?:\d+|one|a|un|une|uno|una|um|uma|ein|eine)\b", re.IGNORECASE)
# ... and ends with the quoted title of the article: a sentence that opens "One response to" does not.
_QUOTED_END = re.compile(r"[”\"»“’']\W*$")


class CommentsSection(Rule):
    id = "comments.section"
    category = "comments"
    description = (
        "A comment section: its header ('Comments', '34 Responses to “Title”') in the second half of the page "
        "and the comments under it."
    )
    guarded = True
    anchored = True

    @dataclass(frozen=True)
    class Settings:
        min_position_share: float
        min_prose_blocks_before: int
        max_lines_between: int
        max_header_words: int
        header_suffixes: list[str]
        headers: list[str]
        max_notice_words: int
        closed_notices: list[str]
        titled_headers: list[str]
        max_titled_header_words: int

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.headers = phrase_set(self.settings.headers)
        self.suffixes = tuple(" " + key for key in phrase_set(self.settings.header_suffixes) if key)
        self.notices = compile_phrases(self.settings.closed_notices)
        self.titled = tuple(key + " " for key in phrase_set(self.settings.titled_headers) if key)

    def is_titled_header(self, text: str) -> bool:
        """ "34 Responses to “The article's title”": a count, a phrase, the quoted title."""
        return bool(
            self.titled
            and word_count(text) <= self.settings.max_titled_header_words
            and _COUNT_FIRST.match(text)
            and _QUOTED_END.search(text)
            and label_key(text).startswith(self.titled)
        )

    def is_header(self, text: str) -> bool:
        """ "Comments", "12 Comments", "Have your say on this story", "Comments are now closed",
        "34 Responses to “The article's title”"."""
        if self.is_titled_header(text):
            return True
        words = word_count(text)
        key = label_key(text)
        if words > max(self.settings.max_header_words, self.settings.max_notice_words):
            return False
        if self.notices and words <= self.settings.max_notice_words and self.notices.search(key):
            return True
        if words > self.settings.max_header_words:
            return False
        if key in self.headers:
            return True
        return any(key.endswith(suffix) and key[: -len(suffix)] in self.headers for suffix in self.suffixes)

    def find(self, doc: DocumentView) -> Iterator[Hit]:
        second_half = self.settings.min_position_share * len(doc.text)
        min_prose = self.settings.min_prose_blocks_before
        max_gap = self.settings.max_lines_between
        prose_above = gap = 0  # paragraphs above the line, up to max_gap other lines between them
        prose_total = 0  # paragraphs above the line, however far
        for block in doc.blocks:  # the header may already be taken as a comment label
            if block.start >= second_half or (min_prose and prose_above >= min_prose):
                header = self.is_header(block.text)
            else:  # a count of responses to the quoted title heads comments however many share
                # buttons and links stand between it and the article's paragraphs
                header = bool(min_prose) and prose_total >= min_prose and self.is_titled_header(block.text)
            if header:
                reason = f"under the comment-section header “{block.text.strip()[:40]}”"
                for follower in doc.kept():
                    if follower.index >= block.index:
                        yield self.whole(follower, reason)
                return
            if doc.taken[block.index]:
                continue  # what is removed already (an advertisement) stands between nothing
            if doc.is_prose(block):
                prose_above, gap, prose_total = prose_above + 1, 0, prose_total + 1
            elif (gap := gap + 1) > max_gap:
                prose_above = 0


# Where a signature's name ends: " on <date>", " at <time>", a comma, a digit.
_SIGNATURE_DATE = re.compile(r"\s+(?:on|at|am|le|el|em|il|den|в)\s|,|\d", re.IGNORECASE)
_DATE_LINE_MAX_WORDS = 8
_NAME_MAX_WORDS = 4


class CommentSignature(Rule):
    id = "comments.signature"
    category = "comments"
    description = (
        "Comment signatures under the article ('Posted by: name | Jan 11, 2008 1:37 AM', 'Ann on March 3, "
        "2019 at 4:12 pm said:', 'Ann says' over its time), and the comments between the signatures of several readers."
    )

    @dataclass(frozen=True)
    class Settings:
        max_words: int
        thread_min_signatures: int
        thread_min_authors: int
        prefixes: list[str]
        saying_suffixes: list[str]

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.opening = prefix_regex(self.settings.prefixes, needs_separator=False)
        self.saying = suffix_regex(self.settings.saying_suffixes, then=r"\s*(?P<colon>[:：]\s*)?")

    def author(self, match: re.Match[str], text: str) -> str:
        """The words after the opening up to the first one with a digit: the name, perhaps "on <month>"."""
        name = []
        for word in normalized(text[match.end() :]).split():
            if any(ch.isdigit() for ch in word):
                break
            name.append(word)
        return " ".join(name)

    def saying_author(self, text: str, next_text: str) -> tuple[str, bool] | None:
        """The name of a "<name> says:" signature (WordPress and its kin): a line ending with a verb
        of saying and a colon, right after a clock time ("Ann on March 3, 2019 at 4:12 pm said:"), or
        after a name alone above a short line with a time ("Ann says:" over "March 3, 2019 at 4:12
        pm"); many themes print the name over the time without the colon ("Ann says"), which only
        that layout signs. A quotation's lead-in ("At noon on Tuesday the minister said:") is neither.
        With the name, whether the line under it (the time) belongs to the signature."""
        if self.saying is None or not (match := self.saying.search(text)):
            return None
        bare = match.group("colon") is None
        before = text[: match.start()]
        times = list(CLOCK_TIME.finditer(before))
        time_then_verb = not bare and bool(times) and not before[times[-1].end() :].strip(" ,.-–—")
        name_over_time = (
            word_count(before) <= _NAME_MAX_WORDS
            and bool(CLOCK_TIME.search(next_text))
            and word_count(next_text) <= _DATE_LINE_MAX_WORDS
        )
        if not (time_then_verb or name_over_time):
            return None
        name = _SIGNATURE_DATE.split(before)[0]
        return " ".join(normalized(name).split()[:_NAME_MAX_WORDS]), not time_then_verb

    def find(self, doc: DocumentView) -> Iterator[Hit]:
        bounds = doc.body_bounds(extend=False)
        if bounds is None or (self.opening is None and self.saying is None):
            return
        kept = doc.kept()
        signatures: dict[int, str] = {}  # block index -> author
        time_lines: set[int] = set()  # the lines with the time under a "<name> says" signature
        reason = "a comment's signature (author and time) below the article's first paragraph"
        for position, block in enumerate(kept):
            if block.index <= bounds[0] or word_count(block.text) > self.settings.max_words:
                continue
            if block.index in time_lines:  # the time under the signature above, taken with it
                continue
            if self.opening and (match := self.opening.search(block.text)) and any(ch.isdigit() for ch in block.text):
                signatures[block.index] = self.author(match, block.text)
                yield self.whole(block, reason)
                continue
            under = kept[position + 1] if position + 1 < len(kept) else None
            if (saying := self.saying_author(block.text, under.text if under else "")) is not None:
                signatures[block.index], with_time_line = saying
                yield self.whole(block, reason)
                if with_time_line and under is not None:
                    time_lines.add(under.index)
                    yield self.whole(under, reason)
        authors = len(set(signatures.values()))
        if len(signatures) < self.settings.thread_min_signatures or authors < self.settings.thread_min_authors:
            return  # one author signing again and again writes a live blog's entries, not comments
        first, last = min(signatures), max(signatures)
        reason = f"a comment between the signatures of {authors} different readers ({len(signatures)} signatures)"
        for block in kept:
            if first < block.index < last and block.index not in signatures and block.index not in time_lines:
                yield self.whole(block, reason)


class AuthorAbout(Rule):
    id = "author_bio.about"
    category = "author_bio"
    description = "'About the author' sections and '<Name> is a reporter for ...' lines at the end."

    @dataclass(frozen=True)
    class Settings:
        tail_blocks: int
        max_words: int
        headers: list[str]
        job_words: list[str]

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.headers = phrase_set(self.settings.headers)
        jobs = "|".join(re.escape(j.lower()) for j in sorted(self.settings.job_words, key=len, reverse=True))
        name = r"[^\W\d_][\w.'’\-]*"
        self.job_line = re.compile(
            rf"^\W*{name}(?:\s+{name}){{0,3}},?\s+(?:is|was|ist|est|es|é|è|является|—|-|–)\s+"
            rf"(?:\S+\s+){{0,6}}?(?:{jobs})\b",
            re.IGNORECASE,
        )

    def find(self, doc: DocumentView) -> Iterator[Hit]:
        kept = doc.kept()
        tail = kept[-self.settings.tail_blocks :]
        for position, block in enumerate(tail):
            if word_count(block.text) > self.settings.max_words:
                continue
            if label_key(block.text) in self.headers:
                yield self.whole(block, "an 'about the author' header at the end of the article")
                for follower in tail[position + 1 : position + 2]:
                    if word_count(follower.text) <= self.settings.max_words:
                        yield self.whole(follower, "the author's description under an 'about the author' header")
                return
            if position >= len(tail) - 2 and self.job_line.search(block.text):
                yield self.whole(block, "a line at the end that says who the author is and what they write")


class AuthorTagline(Rule):
    id = "author_bio.tagline"
    category = "author_bio"
    description = "Author taglines at the end: several very short verbless sentences."

    @dataclass(frozen=True)
    class Settings:
        min_sentences: int
        max_sentence_words: int
        max_share_with_function_words: float
        tail_blocks: int

    def find(self, doc: DocumentView) -> Iterator[Hit]:
        kept = doc.kept()
        for block in kept[-self.settings.tail_blocks :]:
            parts = sentences(block.text)
            if len(parts) < self.settings.min_sentences:
                continue
            lengths = [word_count(p) for p in parts]
            if max(lengths) > self.settings.max_sentence_words or min(lengths) == 0:
                continue
            with_function_words = sum(1 for p in parts if any(w.lower() in doc.stopwords for w in words(p)))
            if with_function_words / len(parts) <= self.settings.max_share_with_function_words:
                yield self.whole(
                    block,
                    f"{len(parts)} very short sentences with hardly a function word at the end: "
                    "an author's tagline, not the story",
                )


class ForeignScriptDateline(Rule):
    id = "dateline.foreign_script"
    category = "dateline"
    description = "A dateline in another script before the first sentence: '[City 14 Agency] –'."

    _PREFIX_END = re.compile(r"[\]\)】）」]\s*[-–—:]?\s*|\s[-–—]\s+")

    @dataclass(frozen=True)
    class Settings:
        max_prefix_chars: int
        min_foreign_share: float

    def find(self, doc: DocumentView) -> Iterator[Hit]:
        kept = doc.kept()
        if not kept:
            return
        first = kept[0]
        head = first.text[: self.settings.max_prefix_chars + 4]
        match = self._PREFIX_END.search(head)
        if not match or match.end() > self.settings.max_prefix_chars or match.end() >= len(first.text):
            return
        prefix = first.text[: match.end()]
        letters = [ch for ch in prefix if ch.isalpha()]
        if not letters:
            return
        article_script = doc.main_script()
        foreign = sum(1 for ch in letters if script_of(ch) != article_script)
        if foreign / len(letters) >= self.settings.min_foreign_share:
            yield Hit(
                first.start,
                first.start + match.end(),
                f"the first line opens with a dateline in another script than the article's ({article_script})",
            )


def unlinked_tail_trimmed(run: list[Block], body_start: int, link_shares: Sequence[float]) -> list[Block]:
    """`run`, when it stands above the article's body, without its last lines that hold no link:
    a menu's items are links, the headline, standfirst, byline and date under it are not."""
    end = len(run)
    if run and run[-1].index < body_start:
        while end and not link_shares[run[end - 1].index]:
            end -= 1
    return run[:end]


class MenuRun(Rule):
    id = "navigation.menu_run"
    category = "navigation"
    revisable = True
    description = "Runs of menu items outside the article's body, as jusText classifies them."
    guarded = True

    @dataclass(frozen=True)
    class Settings:
        min_run: int
        min_link_share_in_html: float

    def find(self, doc: DocumentView) -> Iterator[Hit]:
        kept = doc.kept()
        bounds = doc.body_bounds()
        if not kept or bounds is None:
            return
        link_shares = doc.link_shares
        classes = doc.justext_classes(kept)
        if classes is None:
            return
        body_start, body_end = bounds
        outside = [
            (block, cls)
            for block, cls in zip(kept, classes, strict=True)
            if block.index < body_start or block.index > body_end
        ]
        protected = doc.headline_zone()
        tables = doc.table_lines()
        position = {block.index: i for i, block in enumerate(kept)}
        runs: list[list[Block]] = [[]]
        for block, cls in outside:
            if (
                cls != "bad"
                or block.index in protected
                or block.index in tables
                or doc.is_prose(block)
                or doc.is_sentence(block)
            ):
                runs.append([])
            elif runs[-1] and position[block.index] == position[runs[-1][-1].index] + 1:
                runs[-1].append(block)
            else:
                runs.append([block])
        for run in runs:
            if link_shares is not None:  # an HTML page: a menu is links, not the lines next to the body
                run = unlinked_tail_trimmed(run, body_start, link_shares)
            if len(run) < self.settings.min_run or numbered_list(run):
                continue
            if link_shares is not None:  # an HTML page: a menu is links
                share = sum(link_shares[block.index] for block in run) / len(run)
                if share < self.settings.min_link_share_in_html:
                    continue
            reason = f"one of a run of {len(run)} short lines outside the article's body that read as a menu"
            for member in run:
                yield self.whole(member, reason)


class DuplicateLine(Rule):
    id = "duplicate.line"
    category = "duplicate"
    revisable = True
    description = "A line that repeats another kept line of the same document."
    on_extracted_html = False

    @dataclass(frozen=True)
    class Settings:
        min_words: int
        min_chars: int

    def find(self, doc: DocumentView) -> Iterator[Hit]:
        bounds = doc.body_bounds()
        tables = doc.table_lines()
        first_copy: dict[str, Block] = {}
        for block in doc.kept():
            if block.index in tables:  # two tables of a comparison may share a row
                continue
            key = normalized(block.text)
            if len(key.split()) < self.settings.min_words or len(key) < self.settings.min_chars:
                continue
            earlier = first_copy.get(key)
            if earlier is None:
                first_copy[key] = block
                continue
            if bounds and bounds[0] <= earlier.index and block.index <= bounds[1] and ends_question(block.text):
                continue  # an interview series asks each guest the same question
            # Keep the copy inside the article's body: a teaser above it repeats the lead.
            if bounds and not bounds[0] <= earlier.index <= bounds[1] and bounds[0] <= block.index <= bounds[1]:
                first_copy[key] = block
                yield self.whole(earlier, f"repeated by line {block.index + 1}, inside the article's body")
            else:
                yield self.whole(block, f"repeats line {earlier.index + 1} of the document")
