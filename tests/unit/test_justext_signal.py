"""Our linear context pass gives exactly jusText's classes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from justext.core import revise_paragraph_classification
from justext.paragraph import Paragraph

from cleaners.justext_signal import _TextPath, classify_blocks, revise_classes
from cleaners.text import split_blocks


def justext_reference(classes: list[str]) -> list[str]:
    paragraphs = []
    for cls in classes:
        paragraph = Paragraph(_TextPath)
        paragraph.cf_class = cls
        paragraph.heading = False
        paragraphs.append(paragraph)
    revise_paragraph_classification(paragraphs)
    return [p.class_type for p in paragraphs]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["good", "bad", "short", "neargood"]), max_size=40))
def test_linear_revision_equals_justext(classes):
    assert revise_classes(classes) == justext_reference(classes)


def test_classify_blocks_on_a_menu_and_prose():
    text = "Home\nNews\nSport\n" + "The council voted on Tuesday to raise the budget of the public library system " * 3
    classes = classify_blocks(split_blocks(text), "en")
    assert classes[:3] == ["bad", "bad", "bad"] and classes[-1] == "good"
    assert classify_blocks(split_blocks(text), "xx") is None
