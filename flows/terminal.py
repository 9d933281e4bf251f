"""What the commands show a person: one-line errors, and one look per category of the contract,
the same in the terminal (rich styles) and in the HTML report (CSS colours)."""

from __future__ import annotations

import sys
from typing import NamedTuple

from cleaners.registry import CATEGORIES

EXIT_USAGE = 2


def fail(message: str) -> int:
    """Prints `newsclean: error: <message>` on stderr; returns the exit code of a usage error."""
    print(f"newsclean: error: {message}", file=sys.stderr)
    return EXIT_USAGE


class Look(NamedTuple):
    terminal: str  # a rich style
    css: str  # a CSS background colour


CATEGORY_LOOKS = {
    "navigation": Look("on blue", "#9ec5fe"),
    "related_links": Look("on magenta", "#e3b5f5"),
    "advertising": Look("on red", "#f5a3a3"),
    "disclaimer": Look("on dark_orange3", "#f7c98b"),
    "server_error": Look("on bright_red", "#ff7b7b"),
    "comments": Look("on dark_green", "#a7e3b1"),
    "social": Look("on cyan", "#a6eef0"),
    "author_bio": Look("on yellow4", "#e2e29a"),
    "media_credit": Look("on purple4", "#c7b8f0"),
    "off_topic": Look("on grey37", "#c9c9c9"),
    "duplicate": Look("on grey23", "#b0b0b0"),
    "fragment": Look("on grey50", "#dddddd"),
    "dateline": Look("on dark_cyan", "#9fd8d8"),
    "html_boilerplate": Look("on steel_blue", "#b3cde0"),
}
assert set(CATEGORY_LOOKS) == set(CATEGORIES), "every category of the contract has one look"
CATEGORY_STYLES = {category: look.terminal for category, look in CATEGORY_LOOKS.items()}
CATEGORY_COLOURS = {category: look.css for category, look in CATEGORY_LOOKS.items()}


def marked(text: str, category: str, *, terminal: bool) -> tuple[str, str]:
    """Removed text as shown: in its category's colour on a terminal; elsewhere (a pipe, a file),
    where colour is lost, between plain marks `[-` and `-]`. Returns (text, rich style)."""
    if terminal:
        return text, CATEGORY_STYLES.get(category, "reverse")
    return f"[-{text}-]", ""
