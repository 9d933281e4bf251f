"""Users' own pattern rules: RE2 patterns from the rules file, checked when the file is read."""

from __future__ import annotations

import time

import pytest

from cleaners import Cleaner
from cleaners.settings import RulesFileError, load_settings
from tests.conftest import ARTICLE, TITLE, article_text, kept_all, removed


def rules_file(tmp_path, body: str):
    path = tmp_path / "rules.toml"
    path.write_text(body, encoding="utf-8")
    return path


SPONSOR = """
[[custom_rules]]
id = "advertising.sponsor_line"
pattern = '(?i)^sponsored by '
reason = "a sponsor's line"
"""


def test_a_custom_rule_removes_matching_lines_with_its_reason(tmp_path):
    cleaner = Cleaner(rules_path=rules_file(tmp_path, SPONSOR))
    result = cleaner.clean("d", article_text(after=["Sponsored by Ácme Widgets"]))
    assert removed(result, "advertising.sponsor_line") == ["Sponsored by Ácme Widgets"]
    removal = next(r for r in result.removals if r.rule == "advertising.sponsor_line")
    assert removal.category == "advertising" and removal.reason.startswith("a sponsor's line (custom rule")
    assert kept_all(result, [TITLE, *ARTICLE])


def test_a_custom_rule_leaves_a_line_that_only_mentions_the_words(tmp_path):
    cleaner = Cleaner(rules_path=rules_file(tmp_path, SPONSOR))
    line = "The festival, sponsored by the city, drew thousands of visitors on Saturday."
    result = cleaner.clean("d", article_text(after=[line]))
    assert removed(result, "advertising.sponsor_line") == []


def test_match_scope_takes_only_the_matched_text_in_any_script(tmp_path):
    body = """
[[custom_rules]]
id = "media_credit.inline_credit"
pattern = ' \\(Фото: [\\pL ]+\\)$'
reason = "an inline photo credit"
scope = "match"
"""
    cleaner = Cleaner(rules_path=rules_file(tmp_path, body))
    line = "Мэр подписал бюджет во вторник (Фото: Иван Петров)"
    result = cleaner.clean("d", f"{TITLE}\n\n{line}\n\n" + "\n\n".join(ARTICLE) + "\n")
    assert [r.text for r in result.removals if r.rule == "media_credit.inline_credit"] == ["(Фото: Иван Петров)"]
    assert "Мэр подписал бюджет во вторник" in result.cleaned_text


def test_a_pattern_that_would_backtrack_for_ever_elsewhere_runs_in_linear_time(tmp_path):
    body = '[[custom_rules]]\nid = "fragment.evil"\npattern = \'^(a+)+$\'\nreason = "x"\n'
    cleaner = Cleaner(rules_path=rules_file(tmp_path, body))
    line = "a" * 30_000 + "b"
    started = time.perf_counter()
    result = cleaner.clean("d", article_text(after=[line]))
    assert time.perf_counter() - started < 30  # Python's re would need about 2**30000 steps here
    assert removed(result, "fragment.evil") == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[custom_rules]]\nid = "nonsense"\npattern = "x"\n', "must be '<category>.<name>'"),
        ('[[custom_rules]]\nid = "ads.x"\npattern = "x"\n', "unknown category 'ads'"),
        ('[[custom_rules]]\nid = "navigation.menu_run"\npattern = "x"\n', "already taken"),
        ('[[custom_rules]]\nid = "navigation.x"\npattern = "(a)\\\\1"\n', "RE2 refuses the pattern"),
        ('[[custom_rules]]\nid = "navigation.x"\npattern = "x"\nscope = "page"\n', "scope must be one of"),
        ('[[custom_rules]]\nid = "navigation.x"\n', "`pattern` must be a non-empty string"),
    ],
)
def test_a_bad_custom_rule_is_refused_with_its_name(tmp_path, body, message):
    with pytest.raises(RulesFileError, match=message.replace("(", r"\(").replace("`", ".")):
        load_settings(rules_file(tmp_path, body))


def test_a_custom_rule_is_a_new_rules_version(tmp_path):
    assert load_settings(rules_file(tmp_path, SPONSOR))["rules_version"] != load_settings()["rules_version"]
