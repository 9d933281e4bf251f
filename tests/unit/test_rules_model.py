"""The learned line model: the shipped file, its removals and what it gives back, with reasons, and
what it must leave alone."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import resources

import pytest

from cleaners import Cleaner
from cleaners.line_features import FEATURE_NAMES, line_features
from cleaners.registry import rule_ids
from cleaners.rules.model import load_model
from cleaners.settings import RulesFileError, load_settings
from tests.conftest import ARTICLE, TITLE, kept_all, removed, without_the_line_model

MODEL_RULES = rule_ids(needs_model=True)

COMMENT = "I totally agree with you!! My kids love the library, thanks for writing this."
COMMENTS = [
    COMMENT,
    "Great news for our town. I hope they open on Saturdays too!",
    "Thanks for sharing, my daughter goes there every week.",
]


def shipped() -> dict:
    return json.loads(resources.files("cleaners").joinpath("line_model.json").read_text(encoding="utf-8"))


def rules_with_model(tmp_path, data: dict):
    """A rules file that names a model file holding `data`."""
    model_file = tmp_path / "model.json"
    model_file.write_text(json.dumps(data), encoding="utf-8")
    rules = tmp_path / "rules.toml"
    rules.write_text(f'[block_model]\nmodel_file = "{model_file}"\n', encoding="utf-8")
    return rules


def with_model(tmp_path, **changes) -> Cleaner:
    """A cleaner whose model file is the shipped one with some of its values changed."""
    return Cleaner(rules_path=rules_with_model(tmp_path, {**shipped(), **changes}))


def test_the_shipped_model_matches_the_features_and_says_what_it_was_trained_on():
    data = shipped()
    assert tuple(data["features"]) == FEATURE_NAMES
    assert 0.5 <= data["remove_at"] < 1 and 0.5 <= data["take_back_at"] < 1
    assert "first half" in data["trained"]["on"] and "scrapinghub" not in data["trained"]["on"].lower()
    # Clean articles too (each training page's gold text alone), and what it removes of them held out.
    assert "gold texts" in data["trained"]["on"] and 0 < data["trained"]["gold_texts_alone_weight"] <= 1
    assert any("gold texts alone" in line for line in data["trained"]["site_grouped_cross_validation"])
    assert data["trained"]["site_grouped_cross_validation"]
    assert load_model().remove_at == data["remove_at"]
    assert data["scripts"] == ["LATIN"]  # every page of wcxb-dev and L3S-GN1 is in Latin script


def test_comments_after_the_article_are_removed_with_the_features_that_decided(tmp_path):
    """The rules' mechanics with a model file that removes whatever it doubts: the kind of debris
    from the line's form, the reason from the features that decided."""
    cleaner = with_model(tmp_path, remove_at=0.0)
    result = cleaner.clean("d", "\n".join([TITLE, *ARTICLE, *COMMENTS]) + "\n")
    taken = removed(result, "comments.block_model")
    assert taken and set(taken) <= set(COMMENTS)
    reason = next(r.reason for r in result.removals if r.rule == "comments.block_model")
    assert "line model" in reason and "deciding:" in reason


def test_lines_a_revisable_rule_took_are_given_back_and_listed(tmp_path):
    """With a model file that gives back everything a revisable rule took: the menu run goes
    back to the text, the record lists it with the rule that had taken it and the reason, and
    what a rule recognized by its form (a cookie notice) stays removed."""
    menu = ["Politics", "Business", "Culture", "Travel", "Science"]
    cookie = "We use cookies to improve your experience. By continuing you accept our cookie policy."
    text = "\n".join([*menu, cookie, TITLE, *ARTICLE]) + "\n"
    assert set(menu) <= set(removed(without_the_line_model().clean("d", text), "navigation.menu_run"))
    result = with_model(tmp_path, take_back_at=0.0, remove_at=1.0).clean("d", text)
    assert kept_all(result, menu)
    assert cookie in removed(result)
    assert {t.rule for t in result.taken_back} <= set(rule_ids(revisable=True))
    assert all("line model" in t.reason for t in result.taken_back)
    assert {result.raw_text[t.start : t.end] for t in result.taken_back} == set(menu)


def test_the_article_and_a_subheading_inside_it_stay(cleaner):
    subheading = "A decade of cuts"
    text = "\n".join([TITLE, *ARTICLE[:3], subheading, *ARTICLE[3:]]) + "\n"
    result = cleaner.clean("d", text)
    assert result.removals == []
    assert kept_all(result, [TITLE, subheading, *ARTICLE])


def test_a_list_inside_the_article_stays(cleaner):
    items = ["- longer opening hours on Sundays", "- forty new librarians", "- free laptops to borrow"]
    text = "\n".join([TITLE, *ARTICLE[:2], "The plan pays for three things:", *items, *ARTICLE[2:]]) + "\n"
    assert kept_all(cleaner.clean("d", text), [TITLE, *items, *ARTICLE])


@pytest.mark.parametrize("separator", ["\n", "\n\n"], ids=["a line a line", "a blank line between lines"])
def test_the_layout_of_the_text_does_not_decide_what_is_the_article(cleaner, separator):
    """The model is trained on pages as scraped and with blank lines between their lines: a menu
    goes and the article's list stays in either layout."""
    menu = ["Home", "World", "Business", "Sport", "Weather", "Contact", "Search"]
    items = ["- longer opening hours on Sundays", "- forty new librarians", "- free laptops to borrow"]
    lines = [*menu, TITLE, *ARTICLE[:2], "The plan pays for three things:", *items, *ARTICLE[2:]]
    result = cleaner.clean("d", separator.join(lines) + "\n")
    assert set(menu) <= set(removed(result))
    assert kept_all(result, [TITLE, *items, *ARTICLE])


def test_an_article_quoting_people_in_the_first_person_keeps_the_quotes(cleaner):
    quotes = [
        "“I have used this library every week since I was a child, and my own children do now,” said one resident.",
        "“We asked for longer opening hours and the council listened to us,” a member of the parents' group said.",
    ]
    text = "\n".join([TITLE, ARTICLE[0], quotes[0], ARTICLE[1], quotes[1], *ARTICLE[2:]]) + "\n"
    result = cleaner.clean("d", text)
    assert kept_all(result, [TITLE, *ARTICLE, *quotes])


def test_every_judged_line_gets_one_value_per_feature(cleaner):
    text = "\n".join(["Home", TITLE, *ARTICLE, COMMENT]) + "\n"
    view, _ = cleaner.apply_rules(text)
    judged, rows = line_features(view, cleaner.settings["block_model"])
    assert judged == [
        b.index for b in view.blocks if not view.taken[b.index] or view.taken_by[b.index] in view.revisable
    ]
    assert rows.shape == (len(judged), len(FEATURE_NAMES))


def test_a_model_file_trained_on_other_features_is_refused(tmp_path):
    data = shipped()
    data["features"] = [*data["features"][:-1], "something_else"]
    rules = rules_with_model(tmp_path, data)
    with pytest.raises(RulesFileError, match="retrain"):
        load_settings(rules)


def test_a_model_file_that_does_not_name_its_scripts_is_refused(tmp_path):
    data = shipped()
    del data["scripts"]
    with pytest.raises(RulesFileError, match=r"writing systems.*retrain"):
        load_settings(rules_with_model(tmp_path, data))


HINDI_PAGE = [
    *["होम", "देश", "विदेश", "खेल", "मनोरंजन", "व्यापार", "टेक्नोलॉजी", "लाइफस्टाइल", "वीडियो", "फोटो"],
    "दिल्ली में नई मेट्रो लाइन का उद्घाटन, लाखों यात्रियों को फायदा",
    "नई दिल्ली। राजधानी में आज नई मेट्रो लाइन का उद्घाटन किया गया, जिससे रोज़ाना लाखों यात्रियों को फायदा होगा। "
    "इस लाइन की लंबाई लगभग बीस किलोमीटर है और इसमें चौदह स्टेशन हैं।",
    "अधिकारियों ने बताया कि पहले सप्ताह में ट्रेनें हर दस मिनट पर चलेंगी। बाद में यह अंतराल घटाकर पाँच मिनट कर दिया जाएगा।",
    "यात्रियों ने नई लाइन का स्वागत किया और कहा कि इससे उनका सफ़र आसान हो जाएगा। कई लोगों ने स्टेशनों की सफ़ाई की भी तारीफ़ की।",
    "संबंधित खबरें",
    *["मुंबई में भारी बारिश से यातायात प्रभावित", "क्रिकेट: भारत ने श्रृंखला जीती", "सोने के दाम में फिर उछाल"],
]


def test_on_a_script_it_was_never_trained_on_the_rules_decide(tmp_path):
    """Trained on Latin-script pages only, the model reads a Hindi page's caseless menu items as
    lowercase prose and would give them back: there the rules' decisions stand."""
    text = "\n".join(HINDI_PAGE) + "\n"
    result = Cleaner().clean("d", text)
    rules_alone = without_the_line_model().clean("d", text)
    assert result.cleaned_text == rules_alone.cleaned_text and result.taken_back == []
    assert "LATIN" in result.line_model_not_applied and "DEVANAGARI" in result.line_model_not_applied
    assert removed(result)[:2] == HINDI_PAGE[:2] and removed(result)[-1] == HINDI_PAGE[-1]
    # The same model, told it was trained on Devanagari too, judges the page and gives lines back.
    assert with_model(tmp_path, scripts=["LATIN", "DEVANAGARI"]).clean("d", text).taken_back != []


def test_a_model_file_with_a_broken_tree_is_refused_in_one_line(tmp_path):
    data = shipped()
    data["trees"][0]["left"][0] = 10**6
    rules = rules_with_model(tmp_path, data)
    with pytest.raises(RulesFileError, match="cannot be read: a tree's node points outside it"):
        load_settings(rules)


def test_a_new_model_file_is_a_new_rules_version(tmp_path):
    data = shipped()
    data["remove_at"] = 0.9
    rules = rules_with_model(tmp_path, data)
    assert load_settings(rules)["rules_version"] != load_settings()["rules_version"]


def test_without_the_model_rules_the_model_file_is_not_needed(tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text(
        '[block_model]\nmodel_file = "/nonexistent/model.json"\n'
        + "".join(f'[rules."{rule}"]\nenabled = false\n' for rule in MODEL_RULES),
        encoding="utf-8",
    )
    cleaner = Cleaner(rules_path=rules)
    result = cleaner.clean("d", "\n".join([TITLE, *ARTICLE, COMMENT]) + "\n")
    assert not {r.rule for r in result.removals} & set(MODEL_RULES)
    assert result.taken_back == []


def test_the_model_improves_the_half_of_l3s_it_was_not_trained_on(shared, tmp_path):
    """The held-out half of L3S-GN1, cleaned with and without the model, scored by score.py."""
    bench = shared / "bench" / "l3s-gn1"
    rows = sorted(
        (line for line in (bench / "gold.jsonl").read_text(encoding="utf-8").split("\n") if line.strip()),
        key=lambda line: json.loads(line)["id"],
    )
    held_out = rows[len(rows) // 2 :]
    gold = tmp_path / "held-out.jsonl"
    gold.write_text("\n".join(held_out) + "\n", encoding="utf-8")
    without = tmp_path / "without.toml"
    without.write_text("".join(f'[rules."{rule}"]\nenabled = false\n' for rule in MODEL_RULES), encoding="utf-8")
    figures = {}
    for name, rules in (("with", None), ("without", without)):
        cleaner = Cleaner(rules_path=rules)
        texts = [(bench / "raw" / json.loads(row)["source"]).read_text(encoding="utf-8") for row in held_out]
        ids = [json.loads(row)["id"] for row in held_out]
        out = tmp_path / name
        out.mkdir()
        for doc_id, result in zip(ids, cleaner.clean_batch(list(zip(ids, texts, strict=True))), strict=True):
            (out / f"{doc_id}.txt").write_text(result.cleaned_text + "\n", encoding="utf-8")
        score_py = str(shared / "tools" / "score.py")
        command = [sys.executable, score_py, "--gold", str(gold), "--raw", str(bench / "raw"), "--out", str(out)]
        score = subprocess.run([*command, "--tokens-only", "--quiet"], capture_output=True, text=True)
        figures[name] = float(re.search(r"P/R/F1 [\d.]+/[\d.]+/([\d.]+)", score.stdout + score.stderr).group(1))
    assert figures["with"] >= figures["without"] + 0.005, figures


BRANCH_VISITS = ["Branch", "2023", "2024", "Change", "Central", "41,200", "52,900", "+28%", "Riverside", "18,350"]
BRANCH_VISITS += ["24,010", "+31%", "Old Town", "9,870", "12,400", "+26%", "Hillside", "7,420", "8,150", "+10%"]


def test_the_line_model_leaves_the_cells_of_a_table_the_article_introduces(cleaner, monkeypatch):
    """A table scraped one cell a line, introduced by the article's sentence: its cells are the
    article's structure, which the model does not remove even when it reads every line as
    boilerplate (its threshold set to remove all); the article's other lines it then removes."""
    import dataclasses

    import cleaners.rules.model as model_rules
    from cleaners.rules.model import VERDICTS_NOTE

    intro = "The library's figures show how visits changed at each branch after the laptops arrived:"
    text = "\n".join([TITLE, *ARTICLE[:3], intro, *BRANCH_VISITS, *ARTICLE[3:]]) + "\n"
    shipped = load_model()
    monkeypatch.setattr(model_rules, "load_model", lambda path="": dataclasses.replace(shipped, remove_at=0.0))
    view, _ = cleaner.apply_rules(text)
    tables = view.table_lines()
    assert [view.blocks[i].text for i in sorted(tables)] == BRANCH_VISITS
    removed_lines = view.notes[VERDICTS_NOTE].remove
    assert removed_lines and not tables & set(removed_lines)


def test_a_table_under_a_label_is_no_article_table(cleaner):
    """The same table under a short label after the article (a sidebar's figures) is not the
    article's: the rules and the model judge its lines as any others."""
    text = "\n".join([TITLE, *ARTICLE, "Visits", *BRANCH_VISITS, "Contact us", "About us"]) + "\n"
    view, _ = cleaner.apply_rules(text)
    assert view.table_lines() == frozenset()
    assert kept_all(
        cleaner.clean("d", text.replace("Visits", "The figures of each branch for the last two years:")), BRANCH_VISITS
    )
