"""One table of removals, whoever counts them: a run's summary, `log summary`, the report."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

COLUMNS = ("documents", "spans", "chars", "share_of_removed")


def removal_rows(
    key: str,
    chars: Mapping[str, int],
    spans: Mapping[str, int],
    documents: Mapping[str, int],
    category_of: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """One row a rule (or a category), most characters first, then by name: the documents it took
    from, its spans, its characters and their share of all removed characters. `category_of`
    adds each rule's category."""
    total = sum(chars.values()) or 1
    return [
        {
            key: name,
            **({"category": category_of.get(name, "")} if category_of is not None else {}),
            "documents": documents.get(name, 0),
            "spans": spans.get(name, 0),
            "chars": chars[name],
            "share_of_removed": round(chars[name] / total, 4),
        }
        for name in sorted(chars, key=lambda name: (-chars[name], name))
    ]


def cell(column: str, value: Any) -> str:
    """A value of a removal row as people read it: a share in per cent, counts with separators."""
    if column == "share_of_removed":
        return f"{value:.1%}"
    return f"{value:,}" if isinstance(value, int) else str(value)
