"""The extractor's left-out lines explained: by the text rule that recognizes them, else by evidence."""

from __future__ import annotations

import copy

import pytest

from cleaners import Cleaner
from cleaners.accounting import RemovalSet
from cleaners.html import EXTRACTOR_RULE, LEFT_OUT, extract_page
from cleaners.left_out import explain_left_out
from cleaners.settings import load_settings
from cleaners.text import split_blocks
from tests.unit.test_html import MENU, RELATED, page


@pytest.fixture(scope="module")
def cleaned_page():
    cleaner = Cleaner()
    markup = page().replace("<main>", "<main><div><span>Qwzx vprt</span></div>")
    extracted = extract_page(markup, cleaner.settings["html"])
    return extracted, cleaner.clean("page", extracted.text, page=extracted)


def by_text(result, text: str):
    return next(r for r in result.removals if text in r.text)


def test_a_menu_and_a_related_list_the_extractor_left_out_carry_the_recognizing_rule(cleaned_page):
    _, result = cleaned_page
    menu = by_text(result, MENU[1])
    assert menu.rule == EXTRACTOR_RULE and menu.category == "navigation"
    assert menu.reason.startswith(f"{LEFT_OUT}; navigation.") and "recognizes it: " in menu.reason
    related = by_text(result, RELATED[0])
    assert related.rule == EXTRACTOR_RULE and related.category == "related_links"
    assert "related_links." in related.reason


def test_a_line_no_text_rule_recognizes_keeps_html_boilerplate_with_the_evidence(cleaned_page):
    extracted, _ = cleaned_page
    removals = RemovalSet(extracted.text)
    for hit in extracted.left_out:
        removals.add(hit, EXTRACTOR_RULE, "html_boilerplate")
    blocks = split_blocks(extracted.text)
    explained = {r.text: r for r in explain_left_out(extracted.text, removals, [], extracted, blocks)}
    assert explained["Qwzx vprt"].reason == f"{LEFT_OUT}: 2 words, 0% link text, before the article"
    assert explained[MENU[1]].reason == f"{LEFT_OUT}: 1 word, 100% link text, before the article"
    assert explained[RELATED[0]].reason == f"{LEFT_OUT}: 6 words, 100% link text, after the article"
    assert {r.category for r in explained.values()} == {"html_boilerplate"}


def test_explaining_changes_no_span_and_can_be_turned_off(cleaned_page):
    extracted, result = cleaned_page
    settings = copy.deepcopy(load_settings())
    settings["html"]["explain_left_out"] = False
    bare = Cleaner(settings).clean("page", extracted.text, page=extracted)
    assert bare.cleaned_text == result.cleaned_text

    def removed(removals):  # the characters they take (explained spans may split a bare one)
        text = extracted.text
        return {i for r in removals if r.rule == EXTRACTOR_RULE for i in range(r.start, r.end) if not text[i].isspace()}

    assert removed(bare.removals) == removed(result.removals)
    assert {r.reason for r in bare.removals if r.rule == EXTRACTOR_RULE} == {LEFT_OUT}
    assert {r.category for r in bare.removals if r.rule == EXTRACTOR_RULE} == {"html_boilerplate"}
