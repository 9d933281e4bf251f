"""Lines and blocks: where a line ends, whatever the text was saved with."""

from __future__ import annotations

import subprocess
import sys

from cleaners.accounting import cut_removals
from cleaners.text import split_blocks
from tests.conftest import REPO


def test_lone_cr_and_unicode_separators_end_lines():
    for text in ("Home\rNews\rThe article.", "Home\u2028News\u2028The article.", "Home\r\nNews\r\nThe article."):
        blocks = split_blocks(text)
        assert [b.text for b in blocks] == ["Home", "News", "The article."]
        assert all(text[b.start : b.end] == b.text for b in blocks)


def test_the_cleaned_text_keeps_lines_apart_at_any_line_break():
    assert cut_removals("Home\rThe article.\u2028Its end.", []) == "Home\n\nThe article.\n\nIts end."


def test_a_long_run_without_words_costs_its_length_not_its_square():
    """A line of ". . . ." took minutes at 40 KB when one regex matched gap and word together. In a
    child process, so that a regression shows as a timeout rather than a test run that never ends."""
    script = (
        "from cleaners import Cleaner\n"
        "Cleaner().clean('d', 'A word, then no word again ' + '. ' * 100_000)\n"
        "from cleaners.topics import content_terms\n"
        "assert content_terms('Word' + '. ' * 100_000, frozenset()) == {'word': False}\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert done.returncode == 0, done.stderr
