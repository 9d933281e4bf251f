"""Phrase lists as matchers: a prefix is a label only where a separator or the word's end follows."""

from __future__ import annotations

import pytest

from cleaners.phrases import prefix_regex


@pytest.mark.parametrize(
    ("prefix", "needs_separator", "line", "label"),
    [
        ("photo", True, "Photo: City archive", True),
        ("photo", True, "Photo - City archive", True),
        ("photo", True, "Photo- City archive", True),
        ("photo", True, "PHOTO | City archive", True),
        ("photo", True, "Photo-essay: ten years of the harbour", False),
        ("photo", True, "Photographs of the harbour", False),
        ("follow us", False, "Follow us on the radio", True),
        ("follow us", False, "Follow us", True),
        ("follow us", False, "Follow us-only events are listed below", False),
        ("follow us", False, "Follow usage limits", False),
    ],
)
def test_a_prefix_is_a_label_where_a_separator_or_the_word_end_follows(prefix, needs_separator, line, label):
    """A hyphen that joins the next word makes a compound ("Photo-essay"), not a label."""
    assert bool(prefix_regex([prefix], needs_separator=needs_separator).search(line)) is label
