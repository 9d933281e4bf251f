"""The accounting invariant: raw text minus every removal span holds exactly the cleaned words."""

from __future__ import annotations

import itertools
import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from cleaners import Cleaner
from cleaners.accounting import RemovalSet, cut_removals
from cleaners.model import Hit
from cleaners.text import split_blocks


def words(text: str) -> list[str]:
    return re.findall(r"\S+", text)


def raw_minus(text: str, removals) -> str:
    mask = [False] * len(text)
    for r in removals:
        for i in range(r.start, r.end):
            mask[i] = True
    return "".join(ch for ch, m in zip(text, mask, strict=True) if not m)


CLEANER = Cleaner()

debris_lines = st.sampled_from(
    [
        "Related News",
        "See also: Another headline here",
        "–",
        "Leave a Reply",
        "Photo: Agency",
        "Home > News > World",
        "Advertisement",
        "Share on Facebook",
        "Warning: foreach() failed in /var/www/x.php on line 3",
        "Friday, July 4, 2025, 10:32:00 AM",
        "The story continues with a long sentence about the budget vote.",
    ]
)
any_line = st.one_of(debris_lines, st.text(min_size=0, max_size=80))
separators = st.sampled_from(["\n", "\n\n", "\r\n", "\n  \n", " \n"])


@st.composite
def documents(draw) -> str:
    lines = draw(st.lists(any_line, min_size=0, max_size=25))
    out = draw(st.sampled_from(["", "\ufeff", " "]))
    for line in lines:
        out += line + draw(separators)
    return out


@settings(max_examples=300, deadline=None)
@given(documents())
def test_invariant_holds_for_any_text(text):
    result = CLEANER.clean("doc", text)
    assert words(raw_minus(text, result.removals)) == words(result.cleaned_text)
    for r in result.removals:
        assert text[r.start : r.end] == r.text
        assert 0 <= r.start < r.end <= len(text)


@settings(max_examples=200, deadline=None)
@given(documents())
def test_removals_do_not_overlap_and_are_sorted(text):
    result = CLEANER.clean("doc", text)
    for a, b in zip(result.removals, result.removals[1:], strict=False):
        assert a.end <= b.start


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.lists(st.tuples(st.integers(0, 300), st.integers(0, 300)), max_size=8))
def test_removal_set_never_overlaps_and_cut_keeps_words(text, spans):
    removals = RemovalSet(text)
    for start, end in spans:
        start, end = sorted((min(start, len(text)), min(end, len(text))))
        removals.add(Hit(start, end, "test"), "fragment.debris", "fragment")
    merged = removals.merged()
    for a, b in itertools.pairwise(merged):
        assert a.end <= b.start
    assert words(raw_minus(text, merged)) == words(cut_removals(text, merged))


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="ab \n", max_size=120),
    st.lists(st.tuples(st.integers(0, 120), st.integers(0, 120)), max_size=8),
)
@example(text="aaa", spans=[(1, 2), (1, 3), (0, 3)])  # a hit over two free pieces around a removal
def test_removal_set_holds_every_hit_character_once_and_nothing_else(text, spans):
    removals = RemovalSet(text)
    wanted: set[int] = set()
    for start, end in spans:
        start, end = sorted((min(start, len(text)), min(end, len(text))))
        removals.add(Hit(start, end, "test"), "fragment.debris", "fragment")
        wanted.update(i for i in range(start, end) if not text[i].isspace())
    held = [i for r in removals for i in range(r.start, r.end)]
    assert len(held) == len(set(held))  # no character in two removals
    assert {i for i in held if not text[i].isspace()} == wanted


def test_blocks_point_at_their_text():
    text = "\ufeffa line\r\n\r\n  indented  \nlast"
    for block in split_blocks(text):
        assert text[block.start : block.end] == block.text
        assert block.text == block.text.strip()


def test_paragraphs_are_separated_by_one_blank_line():
    text = "First line\nSecond line\n\n\n\nThird"
    assert cut_removals(text, []) == "First line\n\nSecond line\n\nThird"


def test_releasing_a_line_splits_the_removal_that_held_it():
    text = "Related\nOne story\nOur article line\nTwo story\n"
    removals = RemovalSet(text)
    removals.add(Hit(0, len(text) - 1, "a section"), "related_links.section", "related_links")
    line = text.index("Our article line")
    released = removals.release(line, line + len("Our article line"))
    assert [r.text for r in released] == ["Our article line"]
    assert [r.text for r in removals] == ["Related\nOne story", "Two story"]
    assert all(r.rule == "related_links.section" for r in removals)
    assert "Our article line" in cut_removals(text, removals.merged())
