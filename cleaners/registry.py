"""The registry of the shipped rules: the contract's categories, every rule by id in the order of
the table cleaners.rules.RULES, and the rules built from a settings dict.

Each rule sees the document with what earlier rules took marked, so a structural rule (an
off-topic tail, a menu run) judges what is left after the obvious debris.
"""

from __future__ import annotations

from typing import Any

from .rule import Rule

# The contract's categories; their order is the order of the line model's features (one each).
CATEGORIES: tuple[str, ...] = (
    "navigation",
    "related_links",
    "comments",
    "advertising",
    "social",
    "disclaimer",
    "author_bio",
    "media_credit",
    "duplicate",
    "off_topic",
    "fragment",
    "server_error",
    "dateline",
    "html_boilerplate",
)


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
