"""Phrase lists as matchers: a prefix is a label only where a separator or the word's end follows."""

from __future__ import annotations

import pytest

from cleaners.phrases import prefix_regex


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("Photo: City archive", True),
        ("Photo - City archive", True),
        ("Photo- City archive", True),
        ("PHOTO | City archive", True),
        ("Photo-essay: ten years of the harbour", False),
        ("Photographs of the harbour", False),
    ],
)
def test_a_prefix_with_a_separator(line, label):
    assert bool(prefix_regex(["photo"], needs_separator=True).search(line)) is label


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("Follow us on the radio", True),
        ("Follow us", True),
        ("Follow us-only events are listed below", False),
        ("Follow usage limits", False),
    ],
)
def test_a_prefix_that_ends_a_word(line, label):
    assert bool(prefix_regex(["follow us"], needs_separator=False).search(line)) is label
