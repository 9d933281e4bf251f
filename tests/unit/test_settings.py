"""The rules file: shipped defaults, user overrides, versions, and clear errors."""

from __future__ import annotations

import pytest

from cleaners import Cleaner, RulesFileError, load_settings
from cleaners.registry import CATEGORIES, REGISTRY, build_rules
from tests.conftest import REPO, article_text, removed


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
        ('[rules."no.such_rule"]\nenabled = false\n', "unknown rule 'no.such_rule'"),
        # A misspelled key or table names the nearest known one.
        (
            '[rules."off_topic.trailing_story"]\nmax_coherence_with_signl = 0.2\n',
            "unknown setting .*max_coherence_with_signl; did you mean 'max_coherence_with_signal'",
        ),
        ("[gaurd]\nmin_keep_share = 0.3\n", r"unknown table or setting \[gaurd\]; did you mean 'guard'"),
        ("[guard]\nmin_keep_shar = 0.3\n", "did you mean 'min_keep_share'"),
        # Wrong types and values out of range.
        ('[rules."navigation.menu_run"]\nmin_run = "five"\n', "min_run must be a whole number, not 'five'"),
        ('[rules."navigation.menu_run"]\nenabled = "no"\n', "enabled must be true or false, not 'no'"),
        ('[rules."navigation.menu_run"]\nmin_run = 2.5\n', "min_run must be a whole number"),
        ('[rules."navigation.menu_run"]\nmin_run = -1\n', "min_run must be 0 or more"),
        ("[guard]\nmin_keep_share = 1.5\n", "min_keep_share is a share: from 0 to 1"),
        ('[rules."advertising.marker"]\nlines = ["ad", 3]\n', r"lines\[\] must be a string, not 3"),
        ('[rules."advertising.marker".add]\nlines = "mainos"\n', "must be a list"),
        ("[html]\nfast = 1\n", "fast must be true or false"),
        ("rules = 3\n", "rules must be tables"),
        # A pattern RE2 cannot run is refused when the file is loaded, not inside a run.
        ('[rules."server_error.leak".add]\npatterns = ["(?<=a)b"]\n', "RE2 refuses the pattern"),
        ('[rules."navigation.breadcrumb"]\nseparators = ["(x"]\n', "RE2 refuses the pattern"),
        ('[rules."off_topic.trailing_story"]\nwire_dateline_pattern = "(?=x)"\n', "RE2 refuses the pattern"),
        ('[[custom_rules]]\nid = "advertising.x"\npattern = "x"\nscop = "line"\n', "unknown key 'scop'"),
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


def test_a_rules_path_that_is_no_rules_file_says_what_it_is(tmp_path, monkeypatch):
    """A folder, a named pipe (opening it would wait for a writer forever), a file far too large
    and arrays nested past Python's recursion limit: one clear error each, never a traceback."""
    import os

    import cleaners.settings

    with pytest.raises(RulesFileError, match="is a folder"):
        load_settings(tmp_path)
    os.mkfifo(tmp_path / "pipe.toml")
    with pytest.raises(RulesFileError, match="not a regular file"):
        load_settings(tmp_path / "pipe.toml")
    monkeypatch.setattr(cleaners.settings, "MAX_RULES_FILE_BYTES", 1 << 20)
    (tmp_path / "big.toml").write_text("#" * ((1 << 20) + 1), encoding="utf-8")
    with pytest.raises(RulesFileError, match="over 1 MB"):
        load_settings(tmp_path / "big.toml")
    (tmp_path / "deep.toml").write_text("a = " + "[" * 50_000 + "]" * 50_000, encoding="utf-8")
    with pytest.raises(RulesFileError, match="nests its arrays or tables too deeply"):
        load_settings(tmp_path / "deep.toml")


def test_a_valid_override_of_every_kind_loads(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(
        "[guard]\nmin_keep_share = 0.3\n[html]\nfast = false\n"
        '[rules."off_topic.trailing_story"]\nmax_coherence_with_signal = 1\n'
        '[rules."server_error.leak".add]\npatterns = ["^Fatal: .* at line \\\\d+$"]\n',
        encoding="utf-8",
    )
    settings = load_settings(path)
    assert settings["guard"]["min_keep_share"] == 0.3
    assert settings["rules"]["off_topic.trailing_story"]["max_coherence_with_signal"] == 1


def test_a_users_pattern_runs_on_re2_and_cannot_hang_a_run(tmp_path):
    """`(a+)+$` backtracks for ever on Python's re against 'aaa...!'; on RE2 it takes no time. Run in
    a child process so that a regression shows as a timeout, not a test run that never ends."""
    import subprocess
    import sys

    path = tmp_path / "hostile.toml"
    path.write_text(
        '[rules."server_error.leak".add]\npatterns = ["(a+)+$"]\n'
        '[rules."navigation.phrases".add]\npagination_patterns = ["(a|aa)+$"]\n'
        '[rules."disclaimer.legal_footer".add]\nimprint_patterns = ["(a*)*$"]\n'
        '[rules."navigation.breadcrumb".add]\nseparators = ["(a+)+!"]\n'
        '[rules."off_topic.trailing_story"]\nwire_dateline_pattern = "^(a+)+$"\n',
        encoding="utf-8",
    )
    script = (
        "import sys; from cleaners import Cleaner; from tests.conftest import article_text\n"
        "c = Cleaner(rules_path=sys.argv[1])\n"
        "r = c.clean('d', article_text(after=['a' * 40 + '!', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa']))\n"
        "print([x.rule for x in r.removals])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=120, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    assert "server_error.leak" in done.stdout  # the user's pattern matched the line of a's


def test_shipped_patterns_stay_on_pythons_re():
    from cleaners.patterns import PatternSet

    shipped = [r"\bwörd\b"]
    patterns = PatternSet(shipped, shipped)
    assert patterns.added is None and patterns.search("ein wörd hier")  # Unicode \b, as re has it
    mixed = PatternSet([*shipped, "x+"], shipped)
    assert mixed.added is not None and mixed.search("xxx").group(0) == "xxx"


def test_a_rules_settings_are_typed_and_checked_when_it_is_built():
    from cleaners.rule import RuleSettingsError
    from cleaners.rules.structure import MenuRun

    rule = MenuRun({"enabled": True, "min_run": 5, "min_link_share_in_html": 0.2, "guarded": False})
    assert (rule.settings.min_run, rule.settings.min_link_share_in_html, rule.guarded) == (5, 0.2, False)
    with pytest.raises(RuleSettingsError, match="setting min_link_share_in_html is missing"):
        MenuRun({"min_run": 5})
    with pytest.raises(RuleSettingsError, match="setting min_run must be <class 'int'>"):
        MenuRun({"min_run": "5", "min_link_share_in_html": 0.2})
    with pytest.raises(RuleSettingsError, match="unknown setting max_words"):
        MenuRun({"min_run": 5, "min_link_share_in_html": 0.2, "max_words": 3})


def test_every_shipped_table_fits_its_rules_declared_settings():
    settings = load_settings()
    for rule in build_rules(settings):  # raises on any mismatch
        assert rule.settings is not None


def test_the_shipped_rule_tables_stand_in_the_order_the_rules_run():
    from cleaners.registry import rule_ids
    from cleaners.settings import default_settings_text

    assert list(load_settings()["rules"]) == rule_ids()  # TOML keeps the file's order
    comments = "\n".join(line for line in default_settings_text().splitlines() if line.lstrip().startswith("#"))
    assert " -> " not in comments and "pages up" not in comments  # what is and why, no history of measurements
