"""Lines and blocks: where a line ends, whatever the text was saved with."""

from __future__ import annotations

from cleaners.accounting import cut_removals
from cleaners.text import split_blocks


def test_lone_cr_and_unicode_separators_end_lines():
    for text in ("Home\rNews\rThe article.", "Home\u2028News\u2028The article.", "Home\r\nNews\r\nThe article."):
        blocks = split_blocks(text)
        assert [b.text for b in blocks] == ["Home", "News", "The article."]
        assert all(text[b.start : b.end] == b.text for b in blocks)


def test_the_cleaned_text_keeps_lines_apart_at_any_line_break():
    assert cut_removals("Home\rThe article.\u2028Its end.", []) == "Home\n\nThe article.\n\nIts end."
