"""What a rule is: a small class with an id, a category, what it detects, a declared policy, typed
settings, and a reason for every span it finds. Rules never edit the text; they read a view of it.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from .model import Block, Hit
from .view import DocumentView

# A rule's policy: declared on its class, overridable in its settings table (`guarded = false`).
POLICY_KEYS = ("guarded", "anchored", "on_extracted_html", "revisable")


class RuleSettingsError(ValueError):
    """A rule's settings table that does not fit the rule's declared settings."""


@dataclass(frozen=True)
class NoSettings:
    """The settings of a rule that has none besides `enabled` and its policy."""


def _fits(value: Any, kind: Any) -> bool:
    """Whether a TOML value is of a declared type: bool, int, float (an int will do), str, list[X]."""
    if typing.get_origin(kind) is list:
        (item,) = typing.get_args(kind)
        return isinstance(value, list) and all(_fits(v, item) for v in value)
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def build_settings(rule_id: str, declared: type, table: dict[str, Any]) -> Any:
    """The rule's typed settings from its table: every declared setting present and of its type,
    nothing else in the table but `enabled` and the policy; RuleSettingsError names what is wrong."""
    kinds = typing.get_type_hints(declared)
    fields = dataclasses.fields(declared)
    for field in fields:
        required = field.default is dataclasses.MISSING
        if field.name not in table:
            if required:
                raise RuleSettingsError(f"rule {rule_id}: setting {field.name} is missing from its table")
            continue
        if not _fits(table[field.name], kinds[field.name]):
            kind = kinds[field.name]
            raise RuleSettingsError(f"rule {rule_id}: setting {field.name} must be {kind}, not {table[field.name]!r}")
    names = {field.name for field in fields}
    unknown = set(table) - names - {"enabled", *POLICY_KEYS}
    if unknown:
        raise RuleSettingsError(f"rule {rule_id}: unknown setting {sorted(unknown)[0]}")
    return declared(**{name: value for name, value in table.items() if name in names})


class Rule:
    """A unit of cleaning: finds spans of one kind of debris and says why for each."""

    id: ClassVar[str]
    category: ClassVar[str]
    description: ClassVar[str]
    # It judges by statistics, not by form: the guard may take its removals back when they would
    # take most of a document's running text.
    guarded: ClassVar[bool] = False
    # It cuts at a header it found: the guard leaves it standing while a brief's worth of running
    # text is left.
    anchored: ClassVar[bool] = False
    # It runs on the text an HTML extractor kept (on a page where the extractor found no article,
    # every rule runs).
    on_extracted_html: ClassVar[bool] = True
    # It judges by a document's structure or statistics, not by a line's own form: the line model
    # may take back a line it took when the line reads as the article's.
    revisable: ClassVar[bool] = False
    # It reads how many documents of the site share a line (the corpus statistics count lines for it).
    corpus_statistics: ClassVar[bool] = False
    # It reads the block model file.
    needs_model: ClassVar[bool] = False
    # Its settings: a frozen dataclass of typed fields, filled from its table in rules.toml.
    Settings: ClassVar[type] = NoSettings

    def __init__(self, config: dict[str, Any]) -> None:
        self.settings = build_settings(self.id, self.Settings, config)
        for key in POLICY_KEYS:  # the settings table may override the class's policy
            if key in config:
                setattr(self, key, config[key])

    def find(self, doc: DocumentView) -> Iterable[Hit]:
        raise NotImplementedError

    @staticmethod
    def whole(block: Block, reason: str) -> Hit:
        return Hit(block.start, block.end, reason)


class LineRule(Rule):
    """A rule that judges each kept line on its own."""

    def find(self, doc: DocumentView) -> Iterator[Hit]:
        for block in doc.kept():
            reason = self.judge(block, doc)
            if reason:
                yield self.whole(block, reason)

    def judge(self, block: Block, doc: DocumentView) -> str | None:
        raise NotImplementedError
