"""Pattern rules that users add in their rules file, run with RE2 so that no pattern can hang a run.

RE2 matches in time linear in the text (no backtracking), so a pattern like `(a+)+$` costs what
any other does; it refuses what needs backtracking (back-references, look-around) with a message.
Its `\\w`, `\\d` and `\\s` are ASCII only: write `\\pL` (any letter) or `[\\pL\\pN_]` for words in any
script.

    [[custom_rules]]
    id = "advertising.sponsor_line"     # <category>.<name>: a category of the contract
    pattern = '^(?i)sponsored by '      # searched in each line
    reason = "a sponsor's line"          # the log's reason; the matched text is added
    scope = "line"                       # "line": the whole line; "match": only the matched text
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..model import Hit
from ..patterns import PatternError, compile_re2
from ..registry import CATEGORIES, REGISTRY
from ..rule import Rule
from ..view import DocumentView

SCOPES = ("line", "match")
CUSTOM_RULE_KEYS = frozenset({"id", "pattern", "reason", "scope", "enabled"})


class CustomRuleError(ValueError):
    """A custom rule that cannot be used; the message says which and why."""


def check_custom_rules(entries: object) -> None:
    """Refuses custom rules with a bad id, category, scope or pattern, naming the rule."""
    if not isinstance(entries, list):
        raise CustomRuleError("custom_rules must be a list of tables: [[custom_rules]]")
    seen: set[str] = set()
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise CustomRuleError(f"custom rule {number} is not a table")
        rule_id = entry.get("id")
        if not isinstance(rule_id, str) or "." not in rule_id:
            raise CustomRuleError(f"custom rule {number}: `id` must be '<category>.<name>'")
        category = rule_id.split(".", 1)[0]
        if category not in CATEGORIES:
            raise CustomRuleError(
                f"custom rule {rule_id}: unknown category {category!r}; one of {', '.join(sorted(CATEGORIES))}"
            )
        if rule_id in REGISTRY or rule_id in seen:
            raise CustomRuleError(f"custom rule {rule_id}: the id is already taken")
        seen.add(rule_id)
        if entry.get("scope", "line") not in SCOPES:
            raise CustomRuleError(f"custom rule {rule_id}: scope must be one of {', '.join(SCOPES)}")
        unknown = set(entry) - CUSTOM_RULE_KEYS
        if unknown:
            raise CustomRuleError(
                f"custom rule {rule_id}: unknown key {sorted(unknown)[0]!r}; "
                f"a custom rule has {', '.join(sorted(CUSTOM_RULE_KEYS))}"
            )
        for key, kind in (("reason", str), ("enabled", bool)):
            if key in entry and not isinstance(entry[key], kind):
                raise CustomRuleError(f"custom rule {rule_id}: `{key}` must be a {kind.__name__}")
        pattern = entry.get("pattern")
        if not isinstance(pattern, str) or not pattern:
            raise CustomRuleError(f"custom rule {rule_id}: `pattern` must be a non-empty string")
        try:
            compile_re2(pattern)
        except PatternError as exc:
            raise CustomRuleError(f"custom rule {rule_id}: {exc}") from None


class PatternRule(Rule):
    """One custom rule: a pattern searched in each kept line."""

    @dataclass(frozen=True)
    class Settings:
        id: str
        pattern: str
        reason: str = ""
        scope: str = "line"

    def __init__(self, config: dict[str, Any]) -> None:
        self.id = config["id"]
        super().__init__(config)
        self.category = self.id.split(".", 1)[0]
        self.description = self.settings.reason or "a custom pattern rule"
        self.pattern = compile_re2(self.settings.pattern)
        self.scope = self.settings.scope
        self.reason = self.settings.reason or f"the line matches the custom pattern {self.settings.pattern!r}"

    def find(self, doc: DocumentView) -> Iterator[Hit]:
        for block in doc.kept():
            match = self.pattern.search(block.text)
            if match is None or match.end() == match.start():
                continue
            reason = f"{self.reason} (custom rule, matched “{match.group(0)[:60]}”)"
            if self.scope == "match":
                yield Hit(block.start + match.start(), block.start + match.end(), reason)
            else:
                yield self.whole(block, reason)


def build_custom_rules(settings: dict[str, Any]) -> list[Rule]:
    return [PatternRule(entry) for entry in settings.get("custom_rules", []) if entry.get("enabled", True)]
