"""The rules file: shipped defaults, user overrides, versions, and clear errors."""

from __future__ import annotations

import pytest

from cleaners import Cleaner, RulesFileError, load_settings
from cleaners.registry import CATEGORIES, REGISTRY, build_rules
from tests.conftest import article_text, removed


def test_every_rule_has_a_table_a_category_and_a_description():
    settings = load_settings()
    build_rules(settings)
    assert set(REGISTRY) == set(settings["rules"])
    for rule_id, rule_class in REGISTRY.items():
        assert rule_class.category in CATEGORIES
        assert rule_id.startswith(rule_class.category + ".")
        assert rule_class.description


def test_override_disables_a_rule_and_changes_the_version(tmp_path):
    override = tmp_path / "mine.toml"
    override.write_text('[rules."comments.form"]\nenabled = false\n', encoding="utf-8")
    default, mine = Cleaner(), Cleaner(rules_path=override)
    assert default.rules_version != mine.rules_version
    text = article_text(after=["Leave a Reply"])
    assert removed(default.clean("d", text), "comments.form") == ["Leave a Reply"]
    assert removed(mine.clean("d", text), "comments.form") == []


def test_override_replaces_a_list(tmp_path):
    override = tmp_path / "mine.toml"
    override.write_text('[rules."advertising.marker"]\nlines = ["mainos"]\n', encoding="utf-8")
    result = Cleaner(rules_path=override).clean("d", article_text(after=["Mainos"]))
    assert removed(result, "advertising.marker") == ["Mainos"]
    assert load_settings(override)["rules"]["advertising.marker"]["lines"] == ["mainos"]


def test_an_add_table_extends_the_shipped_phrases(tmp_path):
    override = tmp_path / "mine.toml"
    override.write_text('[rules."advertising.marker".add]\nlines = ["mainos", "reklama"]\n', encoding="utf-8")
    cleaner = Cleaner(rules_path=override)
    result = cleaner.clean("d", article_text(after=["Mainos", "Advertisement"]))
    assert removed(result, "advertising.marker") == ["Mainos", "Advertisement"]
    shipped = load_settings()["rules"]["advertising.marker"]["lines"]
    assert load_settings(override)["rules"]["advertising.marker"]["lines"] == [*shipped, "mainos", "reklama"]
    assert cleaner.rules_version != Cleaner().rules_version


def test_an_add_table_for_a_list_the_rule_lacks_is_refused(tmp_path):
    override = tmp_path / "mine.toml"
    override.write_text('[rules."advertising.marker".add]\nwords = ["mainos"]\n', encoding="utf-8")
    with pytest.raises(RulesFileError, match="has no list 'words'"):
        load_settings(override)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("this is = not [toml", "not valid TOML"),
        ('[rules."no.such_rule"]\nenabled = false\n', "unknown rules"),
    ],
)
def test_bad_rules_files_say_what_is_wrong(tmp_path, content, message):
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RulesFileError, match=message):
        load_settings(path)


def test_missing_rules_file():
    with pytest.raises(RulesFileError, match="not found"):
        load_settings("/nonexistent/rules.toml")
