"""The guard: the statistical rules may not take most of a document's running text.

Rules that judge by form (a PHP warning, a share button) are sure of what they take; rules that
judge by statistics (a menu run, an off-topic tail, the block model) can misread a whole article.
When the rules would leave a document less than a quarter of its running text, the guard takes
back the removals of the guarded rules that took the most of it, one rule at a time.
"""

from __future__ import annotations

import bisect
from collections import Counter
from typing import Any

from .accounting import RemovalSet
from .model import Overruled, Removal
from .rule import Rule
from .view import DocumentView


def overrule(view: DocumentView, removals: RemovalSet, rules: list[Rule], guard: dict[str, Any]) -> list[Overruled]:
    """Takes back the statistical rules' removals when they would take most of the running text.

    Running text (prose) is what an article is made of; a scraped page may well be mostly menus,
    and losing those is the point, so the guard counts prose only.
    """
    guarded = {rule.id for rule in rules if rule.guarded}
    anchored = {rule.id for rule in rules if rule.anchored}
    if not guarded & removals.rules():
        return []
    # What an HTML extractor left out is not the article's running text.
    prose = [b for b in view.blocks if view.is_prose(b) and b.index not in view.left_out]
    total = sum(len(b.text) for b in prose)
    if total < guard["min_chars_in"]:
        return []

    def kept_share() -> float:
        return sum(len(b.text) for b in prose if not removals.covers(b.start, b.end)) / total

    share = first_share = kept_share()
    if share >= guard["min_keep_share"]:
        return []
    prose_starts = [b.start for b in prose]
    # Take back the fewest rules: the one that took the most running text first, until enough
    # is kept, so that a menu rule's removals stand when a comment rule took the prose.
    dropped: list[Removal] = []
    while share < guard["min_keep_share"] and guarded & removals.rules():
        prose_taken: Counter[str] = Counter()
        for removal in removals:
            if removal.rule not in guarded:
                continue
            index = max(0, bisect.bisect_right(prose_starts, removal.start) - 1)
            while index < len(prose) and prose[index].start < removal.end:
                block = prose[index]
                prose_taken[removal.rule] += max(0, min(block.end, removal.end) - max(block.start, removal.start))
                index += 1
        if share * total >= guard["anchored_min_kept_chars"]:
            # A comment thread under its header may be longer than its article: while a brief's
            # worth of running text is left, the rule that cut at the header stands.
            for rule_id in anchored:
                prose_taken.pop(rule_id, None)
        if not prose_taken:
            break  # the guarded rules took no running text: rules of form took it, and stand
        rule = max(sorted(prose_taken), key=prose_taken.__getitem__)
        dropped += removals.drop_rules({rule})
        guarded.discard(rule)
        share = kept_share()
    by_rule: dict[str, list[int]] = {}
    for removal in dropped:
        by_rule.setdefault(removal.rule, []).append(len(removal.text))
    reason = (
        f"the document would have kept only {first_share:.0%} of its running text "
        f"(guard: at least {guard['min_keep_share']:.0%}), so the removals of the rules that took the most "
        "of it were taken back, this one among them"
    )
    return [Overruled(rule, len(sizes), sum(sizes), reason) for rule, sizes in by_rule.items()]
