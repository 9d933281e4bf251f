"""Articles with nothing to remove, written for these tests: each kind of text an article holds
(a Q&A, a list at the top, a table, code, dialogue opening with dashes, a recipe's lists,
subheadings, short paragraphs, a live blog's timestamps, an obituary's closing notices, a match
report's line-ups, a correction, a standings table scraped one cell a line, a poem's short lines
and a song's repeated chorus, a timeline of years, a short interview, the other results of the
day, a review's specifications, an opinion piece signed by its author, quotes from passers-by, a
table of contents, a press release's closing notes, a list in German) and articles in Spanish,
French, German and Japanese must come out whole, with a blank line between paragraphs and without.
The whole pipeline runs, the line model included."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaners import Cleaner

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "clean_articles"
WHOLE = sorted(p for p in ARTICLES.glob("*.txt") if p.stem != "tableend")


def _layouts(text: str) -> dict[str, str]:
    return {"blank lines": text, "a line a paragraph": "\n".join(x for x in text.split("\n") if x.strip()) + "\n"}


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner()


@pytest.mark.parametrize("path", WHOLE, ids=lambda p: p.stem)
def test_a_clean_article_loses_nothing(cleaner, path):
    for layout, text in _layouts(path.read_text(encoding="utf-8")).items():
        result = cleaner.clean(path.stem, text)
        assert [(r.rule, r.text) for r in result.removals] == [], layout


def test_a_table_closing_an_article_stays_with_its_title(cleaner):
    """After the last paragraph, a table and its title are the article's; the source credit
    under it is a credit line (media_credit.caption), as under a photo."""
    text = (ARTICLES / "tableend.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    table = lines[lines.index("Asking rents per square metre") : lines.index("Source: city housing office")]
    for layout, variant in _layouts(text).items():
        result = cleaner.clean("tableend", variant)
        assert [r.rule for r in result.removals] == ["media_credit.caption"], layout
        assert all(row in result.cleaned_text for row in table), layout
