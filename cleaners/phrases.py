"""Phrase lists from rules.toml as matchers: whole labels, phrases inside a line, openings, endings.

Phrases are matched on a line's words, lower-cased, with any punctuation between them, so that
a list written once in rules.toml matches "Leave a Reply", "LEAVE A REPLY:" and "leave a reply".
"""

from __future__ import annotations

import re

from .text import normalized, per_document_cache

_NUMBER_TOKEN = re.compile(r"\b\d+\b")


@per_document_cache
def label_key(text: str) -> str:
    """A line reduced for whole-line lookups: lower-case words, counts dropped ("12 Comments")."""
    return " ".join(_NUMBER_TOKEN.sub(" ", normalized(text)).split())


def phrase_set(phrases: list[str]) -> frozenset[str]:
    """The phrases as label keys, for whole-line lookups."""
    return frozenset(label_key(p) for p in phrases)


def _alternatives(phrases: list[str]) -> str | None:
    """The phrases as one regex alternation, longest first: their words in order, any punctuation
    between; None when there are none."""
    alternatives = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        parts = normalized(phrase).split()
        if parts:
            alternatives.append(r"\W+".join(re.escape(p) for p in parts))
    return "(?P<phrase>" + "|".join(alternatives) + ")" if alternatives else None


def prefix_regex(prefixes: list[str], *, needs_separator: bool, after_label: bool = False) -> re.Pattern[str] | None:
    """Lines that open with one of the prefixes (words in order, any punctuation between);
    `after_label`: or open with a short label and a colon first ("Headlines in Your Inbox: Sign up")."""
    alternatives = _alternatives(prefixes)
    if alternatives is None:
        return None
    # A hyphen that joins the next word makes a compound ("Video-on-demand", "Follow-up"), no label.
    tail = r"(?:\s*[:：–—|»>]|\s+-|-(?!\w))" if needs_separator else r"(?!\w|-\w)"
    label = r"(?:[^:\n]{1,40}:\W*)?" if after_label else ""
    return re.compile(r"^\W*" + label + alternatives + tail, re.IGNORECASE)


def suffix_regex(phrases: list[str], *, then: str = r"\W*") -> re.Pattern[str] | None:
    """Lines that end with one of the phrases (words in order, any punctuation between), then what
    `then` matches (by default any punctuation)."""
    alternatives = _alternatives(phrases)
    return re.compile(r"(?<!\w)" + alternatives + then + "$", re.IGNORECASE) if alternatives else None


class PhraseMatcher:
    """Finds listed phrases as whole words in normalized text.

    A line is searched only when it holds the first word of some phrase: most lines hold none,
    and a set lookup per word is much cheaper than one large regular expression per line.
    """

    def __init__(self, phrases: list[str]) -> None:
        cleaned = sorted({normalized(p) for p in phrases if normalized(p)}, key=len, reverse=True)
        self.first_words = frozenset(p.split()[0] for p in cleaned)
        self.pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in cleaned) + r")(?!\w)")

    def _possible(self, key: str) -> bool:
        return not self.first_words.isdisjoint(key.split())

    def search(self, key: str) -> re.Match[str] | None:
        return self.pattern.search(key) if self._possible(key) else None

    def finditer(self, key: str) -> list[re.Match[str]]:
        return list(self.pattern.finditer(key)) if self._possible(key) else []


def compile_phrases(phrases: list[str]) -> PhraseMatcher | None:
    """A matcher for the phrases in normalized text, or None when the list is empty."""
    matcher = PhraseMatcher(phrases)
    return matcher if matcher.first_words else None
