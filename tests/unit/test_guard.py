"""The guard: statistical rules may not take most of a document's running text; rules of form may."""

from __future__ import annotations

from cleaners import Cleaner
from cleaners.model import CleanedDocument
from cleaners.registry import rule_ids
from tests.conftest import ARTICLE, article_text, removed


def test_the_guard_takes_back_statistical_rules_when_little_would_be_left(tmp_path):
    override = tmp_path / "greedy.toml"
    # Make the off-topic rule judge everything after the lead as incoherent.
    override.write_text(
        '[rules."off_topic.trailing_story"]\nmax_coherence_with_signal = 1.1\nmax_coherence_alone = 1.1\n'
        "joins_by_own_topic = false\nlead_blocks = 1\ntail_start_share = 0.0\nmin_block_words = 1\n"
        "[guard]\nmin_keep_share = 0.9\n",
        encoding="utf-8",
    )
    text = article_text(after=["A final line that stops in the middle of"])
    result = Cleaner(rules_path=override).clean("d", text)
    assert removed(result, "off_topic.trailing_story") == []
    assert [o.rule for o in result.overruled] == ["off_topic.trailing_story"]
    assert "taken back" in result.overruled[0].reason
    assert all(p in result.cleaned_text for p in ARTICLE)


MENU = ["Home", "World", "Business", "Sport", "Weather", "Contact", "Search"]


def clean_with_rules(tmp_path, rules: str, *, menu: list[str] = MENU) -> CleanedDocument:
    """The test article under a menu, cleaned with a rules file that overrides the shipped one
    (a comments.section made final, so that the line model does not give the article back before
    the guard sees it)."""
    override = tmp_path / "override.toml"
    override.write_text(rules, encoding="utf-8")
    return Cleaner(rules_path=override).clean("d", article_text(before=menu))


def test_the_guard_takes_back_only_the_rules_that_took_the_running_text(tmp_path):
    """A comment rule that took the prose is overruled; a menu rule's removals of menus stand."""
    result = clean_with_rules(
        tmp_path,
        '[rules."comments.section"]\nrevisable = false\nmin_position_share = 0.0\n'
        'headers = ["city council approves a larger budget for public libraries"]\nmax_header_words = 12\n',
    )
    assert [o.rule for o in result.overruled] == ["comments.section"]
    assert all(p in result.cleaned_text for p in ARTICLE)
    assert "Weather" not in result.cleaned_text  # the menu rule's removals were not taken back


def test_after_the_guard_the_other_rules_see_what_an_overruled_rule_had_taken(tmp_path):
    """A comment header misread in a menu takes the menu and the article; once it is overruled,
    the menu under it is still navigation."""
    menu = ["Home", "World", "Reader comments", "Business", "Sport", "Weather", "Contact", "Search"]
    result = clean_with_rules(
        tmp_path, '[rules."comments.section"]\nrevisable = false\nmin_position_share = 0.0\n', menu=menu
    )
    assert [o.rule for o in result.overruled] == ["comments.section"]
    assert all(p in result.cleaned_text for p in ARTICLE)
    assert "Weather" in removed(result, "navigation.menu_run")


def test_the_guard_stands_aside_when_rules_of_form_took_the_running_text(tmp_path):
    """Below the share with only unguarded rules' removals in the prose: nothing to take back, no error."""
    result = clean_with_rules(
        tmp_path,
        '[rules."disclaimer.phrases"]\nstrong = ["city council", "library", "council", "mayor"]\nmax_words = 200\n'
        "[guard]\nmin_keep_share = 0.9\n",
    )
    assert result.overruled == []
    assert removed(result, "disclaimer.phrases")


LONG_THREAD = [
    f"Reader {n} wrote that the council should have spent the library money on buses and on roads, and that the "
    f"mayor's promise of longer hours means nothing until the branches actually open on Sundays in the spring."
    for n in range(30)
]


def test_comments_longer_than_the_article_go_when_an_article_is_left(cleaner):
    """A header cuts off a thread three times the article's length: the article left is an article."""
    article = [f"In part {n}, {paragraph[0].lower()}{paragraph[1:]}" for n in range(2) for paragraph in ARTICLE]
    text = "\n\n".join(["Council approves a larger budget", *article, "Reader comments", *LONG_THREAD]) + "\n"
    result = cleaner.clean("d", text)
    assert result.overruled == []
    assert removed(result, "comments.section") == ["Reader comments", *LONG_THREAD]
    assert all(p in result.cleaned_text for p in article)


def test_the_guard_takes_back_a_header_that_would_leave_a_stub(cleaner):
    """Under a brief of three short paragraphs the same thread is left: too little would remain."""
    brief = [
        "The council raised the library budget by twelve percent in a vote on Tuesday night.",
        "Branches will open on Sundays, and forty new librarians will be hired in the spring.",
        "The mayor is expected to sign the budget next week, several council members said.",
    ]
    text = "\n\n".join(["Council approves a larger budget", *brief, "Reader comments", *LONG_THREAD]) + "\n"
    result = cleaner.clean("d", text)
    assert [o.rule for o in result.overruled] == ["comments.section"]
    assert all(line in result.cleaned_text for line in LONG_THREAD[:3])


def test_guard_does_not_overrule_rules_of_form():
    guarded = rule_ids(guarded=True)
    assert "server_error.leak" not in guarded and "advertising.marker" not in guarded
    assert {"navigation.menu_run", "comments.section", "off_topic.trailing_story"} <= set(guarded)
    assert rule_ids(anchored=True) == ["comments.section"]


def test_a_rules_policy_is_overridable_in_its_table(tmp_path):
    override = tmp_path / "mine.toml"
    override.write_text('[rules."navigation.menu_run"]\nguarded = false\non_extracted_html = false\n')
    cleaner = Cleaner(rules_path=override)
    menu_run = next(rule for rule in cleaner.rules if rule.id == "navigation.menu_run")
    assert (menu_run.guarded, menu_run.on_extracted_html) == (False, False)
    assert menu_run not in cleaner.extracted_rules
    assert next(rule for rule in Cleaner().rules if rule.id == "navigation.menu_run").guarded
