"""Rules that judge one line by its own shape and wording.

Each phrase list lives in rules.toml; a line rule matches whole short lines (a button, a label)
or unmistakable phrases, so that an article that merely talks about a warning, a comment or a
photo keeps its sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from ..model import Block
from ..patterns import PatternSet, SeparatorSplitter
from ..phrases import compile_phrases, label_key, phrase_set, prefix_regex
from ..rule import LineRule
from ..settings import shipped_rule_setting
from ..text import closes_code, normalized, reads_as_code, word_count
from ..view import DocumentView


class ServerErrorLeak(LineRule):
    id = "server_error.leak"
    category = "server_error"
    description = "PHP, SQL and stack-trace error text that the site printed into the page."

    @dataclass(frozen=True)
    class Settings:
        patterns: list[str]

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        shipped = shipped_rule_setting(self.id, "patterns")
        # Anchored patterns are tried at the start of the line only (match), the rest anywhere.
        self.at_start = PatternSet(
            [p[1:] for p in self.settings.patterns if p.startswith("^")], [p[1:] for p in shipped if p.startswith("^")]
        )
        self.anywhere = PatternSet([p for p in self.settings.patterns if not p.startswith("^")], shipped)

    def judge(self, block: Block, doc: DocumentView) -> str | None:
        text = block.text
        if self.at_start.match(text) or self.anywhere.search(text):
            return "the line has the shape of a server's own output (an error, a file path and line, a render time)"
        return None


class DisclaimerPhrases(LineRule):
    id = "disclaimer.phrases"
    category = "disclaimer"
    description = "Site-wide legal and financial disclaimers."

    @dataclass(frozen=True)
    class Settings:
        min_weak_hits: int
        min_words: int
        max_words: int
        strong: list[str]
        weak: list[str]

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.strong = compile_phrases(self.settings.strong)
        self.weak = compile_phrases(self.settings.weak)

    def judge(self, block: Block, doc: DocumentView) -> str | None:
        if not self.settings.min_words <= word_count(block.text) <= self.settings.max_words:
            return None
        key = normalized(block.text)
        if self.strong and (match := self.strong.search(key)):
            return f"the line holds the disclaimer wording “{match.group(0)}”"
        if self.weak:
            hits = sorted({m.group(0) for m in self.weak.finditer(key)})
            if len(hits) >= self.settings.min_weak_hits:
                return f"the line holds {len(hits)} disclaimer phrases: " + ", ".join(f"“{h}”" for h in hits)
        return None


class CommentsForm(LineRule):
    id = "comments.form"
    category = "comments"
    description = "Comment forms, comment counts, and the notices of comment plug-ins."

    @dataclass(frozen=True)
    class Settings:
        max_words_for_line_match: int
        max_words_for_phrase_match: int
        lines: list[str]
        phrases: list[str]

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.lines = phrase_set(self.settings.lines)
        self.phrases = compile_phrases(self.settings.phrases)

    def judge(self, block: Block, doc: DocumentView) -> str | None:
        words = word_count(block.text)
        if words <= self.settings.max_words_for_line_match and label_key(block.text) in self.lines:
            return "the whole line is a comment-section label"
        if self.phrases and words <= self.settings.max_words_for_phrase_match:
            match = self.phrases.search(normalized(block.text))
            if match:
                return f"the line holds comment-form wording “{match.group(0)}”"
        return None


class NoticeRule(LineRule):
    """Lines of at most max_words words that hold one of a notice's phrases."""

    reason: ClassVar[str]  # with {} for the phrase found

    @dataclass(frozen=True)
    class Settings:
        max_words: int
        phrases: list[str]

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.phrases = compile_phrases(self.settings.phrases)

    def judge(self, block: Block, doc: DocumentView) -> str | None:
        if not self.phrases or word_count(block.text) > self.settings.max_words:
            return None
        match = self.phrases.search(normalized(block.text))
        return self.reason.format(match.group(0)) if match else None


class CookieNotice(NoticeRule):
    id = "social.cookie_notice"
    category = "social"
    description = "Cookie and consent notices."
    reason = "the line is a cookie notice (“{}”)"


class AccessNotice(NoticeRule):
    id = "social.access_notice"
    category = "social"
    description = "Notices about what reading the page takes: a subscription, a sign-in, a plug-in, a browser."
    reason = "the line tells the reader what the page needs (“{}”): a paywall, sign-in or browser notice"


class LabelRule(LineRule):
    """Whole short lines from a list (a button, a label), or short lines opening with a prefix."""

    line_reason: ClassVar[str]
    prefix_reason: ClassVar[str] = ""

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.lines = phrase_set(self.settings.lines)
        self.prefixes = prefix_regex(self.settings.prefixes, needs_separator=False)

    def judge(self, block: Block, doc: DocumentView) -> str | None:
        if word_count(block.text) > self.settings.max_words:
            return None
        if label_key(block.text) in self.lines:
            return self.line_reason
        if self.prefixes and self.prefixes.search(block.text):
            return self.prefix_reason
        return None


_TOOL_SPLIT = re.compile(r"[\s\-]+")


class SocialWidgets(LabelRule):
    id = "social.widgets"
    category = "social"
    description = "Share buttons, follow-us links and newsletter sign-ups."
    line_reason = "the whole line is a share, follow or sign-up button"
    prefix_reason = "a short line that asks the reader to share, follow or subscribe"

    @dataclass(frozen=True)
    class Settings:
        max_words: int
        lines: list[str]
        prefixes: list[str]
        tool_line_min_words: int
        tool_line_max_words: int
        tool_actions: list[str]
        tool_fillers: list[str]

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.tool_actions = frozenset(normalized(word) for word in self.settings.tool_actions)
        self.tool_words = self.tool_actions | frozenset(normalized(word) for word in self.settings.tool_fillers)

    def judge(self, block: Block, doc: DocumentView) -> str | None:
        reason = super().judge(block, doc)
        if reason is not None or word_count(block.text) > self.settings.max_words:
            return reason  # a paragraph is no tool bar: it is not normalized for the test below
        words = [word for word in _TOOL_SPLIT.split(normalized(block.text)) if word and not word.isdigit()]
        if (
            self.settings.tool_line_min_words <= len(words) <= self.settings.tool_line_max_words
            and set(words) <= self.tool_words
            and not self.tool_actions.isdisjoint(words)
        ):
            return "the line is an article's tool bar: its words are all buttons (print, email, share, font size)"
        return None


class AdvertisingMarker(LabelRule):
    id = "advertising.marker"
    category = "advertising"
    description = "Advertisement labels and sponsored-content markers."
    line_reason = "the whole line is an advertisement label"
    prefix_reason = "a short line that introduces sponsored or advertising content"

    @dataclass(frozen=True)
    class Settings:
        max_words: int
        lines: list[str]
        prefixes: list[str]


class Breadcrumb(LineRule):
    id = "navigation.breadcrumb"
    category = "navigation"
    description = "Breadcrumb trails: short items joined by '>', '»', '/', '|'."

    @dataclass(frozen=True)
    class Settings:
        separators: list[str]
        min_parts: int
        max_words_per_leading_part: int

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.splitter = SeparatorSplitter(self.settings.separators, shipped_rule_setting(self.id, "separators"))

    def judge(self, block: Block, doc: DocumentView) -> str | None:
        if block.index in doc.table_lines():  # a table's row or title: cells, not a trail
            return None
        parts = [p for p in self.splitter.split(block.text) if p.strip()]
        if len(parts) < self.settings.min_parts:
            return None
        leading = parts[:-1]
        limit = self.settings.max_words_per_leading_part
        if all(1 <= word_count(p) <= limit for p in leading):
            return f"a trail of {len(parts)} short items joined by separators, like a breadcrumb or menu"
        return None


class NavigationPhrases(LabelRule):
    id = "navigation.phrases"
    category = "navigation"
    description = "'You are here', 'Skip to content', 'Back to top', 'Next story: ...', page counters and similar."
    line_reason = "the whole line is a navigation label"
    prefix_reason = "a line that points to the previous or next story"

    @dataclass(frozen=True)
    class Settings:
        max_words: int
        lines: list[str]
        prefixes: list[str]
        pagination_patterns: list[str]

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        shipped = shipped_rule_setting(self.id, "pagination_patterns")
        self.pagination = [PatternSet([p], shipped, ignore_case=True) for p in self.settings.pagination_patterns]

    def judge(self, block: Block, doc: DocumentView) -> str | None:
        reason = super().judge(block, doc)
        if reason is None and word_count(block.text) <= self.settings.max_words:
            plain = normalized(block.text)
            if any(p.search(plain) for p in self.pagination):
                return "the line is a page counter"
        return reason


class SeeAlsoLine(LineRule):
    id = "related_links.see_also"
    category = "related_links"
    description = "Single lines pointing to another article: 'See also: ...', 'Read more: ...'."

    @dataclass(frozen=True)
    class Settings:
        max_words: int
        prefixes: list[str]

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.prefixes = prefix_regex(self.settings.prefixes, needs_separator=True)

    def judge(self, block: Block, doc: DocumentView) -> str | None:
        if not self.prefixes or word_count(block.text) > self.settings.max_words:
            return None
        match = self.prefixes.search(block.text)
        if match:
            return f"the line opens with “{match.group(0).strip()}” and points to another article"
        return None


class MediaCredit(LineRule):
    id = "media_credit.caption"
    category = "media_credit"
    description = "Photo and video credits: 'Photo: Agency', '© Agency'."

    @dataclass(frozen=True)
    class Settings:
        max_words: int
        credit_words: list[str]
        copyright_max_words: int

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.credit = prefix_regex(self.settings.credit_words, needs_separator=True)
        self.copyright = re.compile(r"^\W*(?:©|\(c\)|copyright\b)", re.IGNORECASE)

    def judge(self, block: Block, doc: DocumentView) -> str | None:
        words = word_count(block.text)
        if self.credit and words <= self.settings.max_words and self.credit.search(block.text):
            return "a short line that credits a photo or video"
        if words <= self.settings.copyright_max_words and self.copyright.search(block.text):
            return "a short line holding only a copyright sign and a name"
        return None


class FragmentDebris(LineRule):
    id = "fragment.debris"
    category = "fragment"
    description = "Lines of punctuation only: lone dashes, separators, bullets."

    @dataclass(frozen=True)
    class Settings:
        max_chars: int

    def judge(self, block: Block, doc: DocumentView) -> str | None:
        # Digits stay: a lone number is a score or a table cell as often as a counter.
        if len(block.text) <= self.settings.max_chars and not any(ch.isalnum() for ch in block.text):
            if closes_code(block.text) and self._in_code(block, doc):
                return None
            return "the line holds no letters or digits, only punctuation"
        return None

    @staticmethod
    def _in_code(block: Block, doc: DocumentView) -> bool:
        """Inside the article's body, next to a line of code: the bracket closes the article's code
        (a script the page leaked stands outside the body)."""
        bounds = doc.body_bounds()
        if bounds is None or not bounds[0] <= block.index <= bounds[1]:
            return False
        neighbours = doc.blocks[max(0, block.index - 1) : block.index + 2]
        return any(other.index != block.index and reads_as_code(other.text) for other in neighbours)
