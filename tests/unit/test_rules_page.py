"""html_boilerplate.extractor: the lines an HTML page's extractor left out, as a rule."""

from __future__ import annotations

from cleaners import Cleaner
from cleaners.html import ExtractedPage
from cleaners.model import Hit
from tests.conftest import ARTICLE


def test_the_extractors_left_out_lines_are_its_removals_and_come_first(cleaner):
    text = "Home\nWorld\n" + "\n".join(ARTICLE) + "\n"
    left_out = (Hit(0, 4, "trafilatura left this block out of the article"), Hit(5, 10, "the same"))
    page = ExtractedPage(text, left_out=left_out, link_shares=(1.0, 1.0) + (0.0,) * len(ARTICLE))
    _view, removals = cleaner.apply_rules(text, page=page)  # the rules alone, before the left-out lines are explained
    assert [(r.rule, r.text, r.reason) for r in removals] == [
        ("html_boilerplate.extractor", "Home", "trafilatura left this block out of the article"),
        ("html_boilerplate.extractor", "World", "the same"),
    ]
    assert cleaner.rules[0].id == "html_boilerplate.extractor"


def test_on_text_and_on_a_page_without_an_article_it_takes_nothing(cleaner):
    text = "\n".join(ARTICLE) + "\n"
    assert not [r for r in cleaner.clean("d", text).removals if r.rule == "html_boilerplate.extractor"]
    no_article = ExtractedPage(text, left_out=None, link_shares=(0.0,) * len(ARTICLE))
    result = cleaner.clean("d", text, page=no_article)
    assert not [r for r in result.removals if r.rule == "html_boilerplate.extractor"]


def test_custom_rules_run_right_after_it(tmp_path):
    rules = tmp_path / "mine.toml"
    rules.write_text('[[custom_rules]]\nid = "advertising.sponsor_line"\npattern = "^Sponsored"\n')
    ids = [rule.id for rule in Cleaner(rules_path=rules).rules]
    assert ids[:3] == ["html_boilerplate.extractor", "advertising.sponsor_line", "server_error.leak"]
