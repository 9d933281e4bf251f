"""Off-topic trailing stories: unrelated and cut off goes, widening the topic stays."""

from __future__ import annotations

from tests.conftest import ARTICLE, TITLE, article_text, kept_all, removed

GLUED = [
    "Thousands of runners crossed the finish line of the coastal marathon on Sunday, where a 19-year-old "
    "student from the hill towns set a course record despite strong winds along the seafront and",
    "FESTIVAL SEASON: Organisers of the summer jazz festival announced a line-up of forty bands from twelve "
    "countries, with tickets going on sale at the end of the month for the three-day event in the old",
]


def test_glued_unrelated_stories_cut_mid_sentence_are_removed(cleaner):
    result = cleaner.clean("d", article_text(after=GLUED))
    assert removed(result, "off_topic.trailing_story") == GLUED
    assert kept_all(result, [TITLE, *ARTICLE])
    assert all("coherence" in r.reason for r in result.removals)


def test_a_last_paragraph_that_widens_the_topic_stays(cleaner):
    widening = (
        "Across the country, spending on public services has been squeezed by rising energy costs and "
        "inflation, and several regions have cut museum and sports funding this year."
    )
    result = cleaner.clean("d", article_text(after=[widening]))
    assert widening in result.cleaned_text
    assert removed(result) == []


def test_a_closing_quote_that_names_the_article_subject_stays(cleaner):
    quote = "“Every branch that stays open on Sunday is a branch that serves a family,” the director said."
    result = cleaner.clean("d", article_text(after=[quote]))
    assert quote in result.cleaned_text


def test_a_related_story_that_shares_words_is_kept_when_complete(cleaner):
    related = (
        "Last year the council also approved new funding for school libraries, which the director said had "
        "helped thousands of pupils."
    )
    result = cleaner.clean("d", article_text(after=[related]))
    assert related in result.cleaned_text
