"""Regular expressions from the rules file: the shipped ones on Python's `re`, a user's on RE2.

The shipped patterns are reviewed and rely on `re`'s Unicode `\\w` and `\\b`. A pattern a user adds
(with `[rules."<id>".add]` or by replacing a list) runs on RE2, which matches in time linear in the
text, so that no pattern from a rules file can hang a run (`(a+)+$` costs what any other does).
RE2's `\\w`, `\\d`, `\\s` and `\\b` are ASCII only: `\\pL` is a letter of any script.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import re2

# The settings that hold regular expressions, by key, in any rule's table.
PATTERN_KEYS = frozenset({"patterns", "pagination_patterns", "separators", "imprint_patterns", "wire_dateline_pattern"})


class PatternError(ValueError):
    """A user's pattern RE2 cannot run; the message says why."""


def compile_re2(pattern: str, *, ignore_case: bool = False) -> Any:
    """A pattern on RE2, or PatternError with RE2's own words."""
    options = re2.Options()
    options.log_errors = False
    options.case_sensitive = not ignore_case
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        message = exc.args[0].decode("utf-8", "replace") if isinstance(exc.args[0], bytes) else str(exc.args[0])
        raise PatternError(
            f"RE2 refuses the pattern {pattern!r} ({message}); back-references and look-around are not supported"
        ) from None


def _alternation(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


class PatternSet:
    """The patterns of one setting as one matcher: the shipped ones first, on `re`; then those
    a user added, on RE2."""

    def __init__(self, patterns: Iterable[str], shipped: Iterable[str], *, ignore_case: bool = False) -> None:
        reviewed = set(shipped)
        patterns = list(patterns)
        own = [p for p in patterns if p in reviewed]
        added = [p for p in patterns if p not in reviewed]
        self.shipped = re.compile(_alternation(own), re.IGNORECASE if ignore_case else 0) if own else None
        self.added = compile_re2(_alternation(added), ignore_case=ignore_case) if added else None

    def __bool__(self) -> bool:
        return self.shipped is not None or self.added is not None

    def search(self, text: str) -> Any:
        found = self.shipped.search(text) if self.shipped is not None else None
        if found is None and self.added is not None:
            found = self.added.search(text)
        return found

    def match(self, text: str) -> Any:
        """A match at the start of the text only."""
        found = self.shipped.match(text) if self.shipped is not None else None
        if found is None and self.added is not None:
            found = self.added.match(text)
        return found


class SeparatorSplitter:
    """Splits a line at any of the separators (patterns), with the white space around them."""

    def __init__(self, separators: Iterable[str], shipped: Iterable[str]) -> None:
        reviewed = set(shipped)
        separators = list(separators)
        own = [p for p in separators if p in reviewed]
        added = [p for p in separators if p not in reviewed]
        self.shipped = re.compile(rf"\s*(?:{'|'.join(own)})\s*") if own else None
        self.added = compile_re2(rf"\s*(?:{'|'.join(added)})\s*") if added else None

    def split(self, text: str) -> list[str]:
        parts = self.shipped.split(text) if self.shipped is not None else [text]
        if self.added is not None:
            parts = [piece for part in parts for piece in self.added.split(part)]
        return parts


def check_user_patterns(key: str, patterns: list[str], shipped: Iterable[str]) -> None:
    """Compiles on RE2 every pattern of a setting that is not a shipped one; PatternError if one fails."""
    reviewed = set(shipped)
    for pattern in patterns:
        if pattern not in reviewed:
            compile_re2(pattern)
