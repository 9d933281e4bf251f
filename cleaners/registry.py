"""The rule registry: every rule is a small class with an id, a category, a declared policy and a
reason per hit.

Rules run in the order of cleaners.rules.RULES. Each sees the document with what earlier rules
took marked, so a structural rule (an off-topic tail, a menu run) judges what is left after the
obvious debris.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from .model import Block, Hit
from .view import DocumentView

CATEGORIES = frozenset(
    {
        "navigation",
        "related_links",
        "advertising",
        "disclaimer",
        "server_error",
        "comments",
        "social",
        "author_bio",
        "media_credit",
        "off_topic",
        "duplicate",
        "fragment",
        "dateline",
        "html_boilerplate",
    }
)


# A rule's policy: declared on its class, overridable in its settings table (`guarded = false`).
POLICY_KEYS = ("guarded", "anchored", "on_extracted_html")


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
    # It reads how many documents of the batch share a line (batch statistics count lines for it).
    corpus_statistics: ClassVar[bool] = False
    # It reads the block model file.
    needs_model: ClassVar[bool] = False
    # Its settings: a frozen dataclass of typed fields, filled from its table in rules.toml.
    Settings: ClassVar[type] = NoSettings

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
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


# Every shipped rule by id, in the order they run: filled from cleaners.rules.RULES, the table.
REGISTRY: dict[str, type[Rule]] = {}


def register(rules: tuple[type[Rule], ...]) -> None:
    """Fills REGISTRY from the ordered table, checking each rule's id and category."""
    for rule_class in rules:
        if rule_class.category not in CATEGORIES:
            raise ValueError(f"rule {rule_class.id}: unknown category {rule_class.category}")
        if not rule_class.id.startswith(rule_class.category + "."):
            raise ValueError(f"rule {rule_class.id}: id must start with its category")
        if rule_class.id in REGISTRY:
            raise ValueError(f"rule {rule_class.id} is in the table twice")
        REGISTRY[rule_class.id] = rule_class


def rule_ids(**policy: bool) -> list[str]:
    """Ids of the shipped rules whose declared policy matches, in order: `rule_ids(needs_model=True)`."""
    from . import rules  # noqa: F401  (importing the package fills the registry)

    return [rule.id for rule in REGISTRY.values() if all(getattr(rule, k) == v for k, v in policy.items())]


def build_rules(settings: dict[str, Any]) -> list[Rule]:
    """Instances of every enabled rule, in the table's order, each with its table of settings; the
    user's custom pattern rules right after the first (an HTML page's extractor decision): they are
    explicit, so they judge the text before any shipped text rule."""
    from . import rules  # noqa: F401  (importing the package fills the registry)
    from .rules.custom import build_custom_rules

    built = []
    for rule_class in REGISTRY.values():
        config = settings["rules"].get(rule_class.id, {})
        if config.get("enabled", True):
            built.append(rule_class(config))
    first = 1 if built and built[0].category == "html_boilerplate" else 0
    built[first:first] = build_custom_rules(settings)
    return built
