"""The learned block model: the shipped file, its removals and reasons, and what it must leave alone."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import resources

import pytest

from cleaners import Cleaner
from cleaners.block_features import FEATURE_NAMES, block_features
from cleaners.registry import rule_ids
from cleaners.rules.model import load_model
from cleaners.settings import RulesFileError, load_settings
from tests.conftest import ARTICLE, TITLE, kept_all, removed

MODEL_RULES = rule_ids(needs_model=True)

COMMENT = "I totally agree with you!! My kids love the library, thanks for writing this."
COMMENTS = [
    COMMENT,
    "Great news for our town. I hope they open on Saturdays too!",
    "Thanks for sharing, my daughter goes there every week.",
]


def shipped() -> dict:
    return json.loads(resources.files("cleaners").joinpath("block_model.json").read_text(encoding="utf-8"))


def test_the_shipped_model_matches_the_features_and_says_what_it_was_trained_on():
    data = shipped()
    assert tuple(data["features"]) == FEATURE_NAMES
    assert len(data["weights"]) == len(data["mean"]) == len(data["scale"]) == len(FEATURE_NAMES)
    assert 0 < data["threshold"] < 1
    assert "first half" in data["trained"]["on"]
    assert load_model().threshold == data["threshold"]


def test_comments_after_the_article_are_removed_with_the_features_that_decided(tmp_path):
    """The rules' mechanics with a model file whose threshold is low enough to take these comments:
    the kind of debris from the line's form, the reason from the features that decided."""
    data = shipped()
    data["threshold"] = 0.25
    model_file = tmp_path / "model.json"
    model_file.write_text(json.dumps(data), encoding="utf-8")
    rules = tmp_path / "rules.toml"
    rules.write_text(f'[block_model]\nmodel_file = "{model_file}"\n', encoding="utf-8")
    result = Cleaner(rules_path=rules).clean("d", "\n".join([TITLE, *ARTICLE, *COMMENTS]) + "\n")
    taken = removed(result, "comments.block_model")
    assert taken and set(taken) <= set(COMMENTS)
    reason = next(r.reason for r in result.removals if r.rule == "comments.block_model")
    assert "block model" in reason and "deciding:" in reason
    assert kept_all(result, [TITLE, *ARTICLE])


def test_the_article_and_a_subheading_inside_it_stay(cleaner):
    subheading = "A decade of cuts"
    text = "\n".join([TITLE, *ARTICLE[:3], subheading, *ARTICLE[3:]]) + "\n"
    result = cleaner.clean("d", text)
    assert result.removals == []
    assert kept_all(result, [TITLE, subheading, *ARTICLE])


def test_an_article_quoting_people_in_the_first_person_keeps_the_quotes(cleaner):
    quotes = [
        "“I have used this library every week since I was a child, and my own children do now,” said one resident.",
        "“We asked for longer opening hours and the council listened to us,” a member of the parents' group said.",
    ]
    text = "\n".join([TITLE, ARTICLE[0], quotes[0], ARTICLE[1], quotes[1], *ARTICLE[2:]]) + "\n"
    result = cleaner.clean("d", text)
    assert kept_all(result, [TITLE, *ARTICLE, *quotes])


def test_every_kept_line_gets_one_value_per_feature(cleaner):
    text = "\n".join([TITLE, *ARTICLE, COMMENT]) + "\n"
    view, _ = cleaner.apply_rules(text)
    rows = block_features(view, cleaner.settings["block_model"])
    assert [block.text for block, _ in rows] == [b.text for b in view.kept()]
    assert all(len(values) == len(FEATURE_NAMES) for _, values in rows)


def test_a_model_file_trained_on_other_features_is_refused(tmp_path):
    data = shipped()
    data["features"] = [*data["features"][:-1], "something_else"]
    model_file = tmp_path / "model.json"
    model_file.write_text(json.dumps(data), encoding="utf-8")
    rules = tmp_path / "rules.toml"
    rules.write_text(f'[block_model]\nmodel_file = "{model_file}"\n', encoding="utf-8")
    with pytest.raises(RulesFileError, match="retrain"):
        load_settings(rules)


def test_a_new_model_file_is_a_new_rules_version(tmp_path):
    data = shipped()
    data["threshold"] = 0.9
    model_file = tmp_path / "model.json"
    model_file.write_text(json.dumps(data), encoding="utf-8")
    rules = tmp_path / "rules.toml"
    rules.write_text(f'[block_model]\nmodel_file = "{model_file}"\n', encoding="utf-8")
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


def test_the_model_improves_the_half_of_l3s_it_was_not_trained_on(shared, tmp_path):
    """The held-out half of L3S-GN1, cleaned with and without the model, scored by score.py."""
    bench = shared / "bench" / "l3s-gn1"
    rows = sorted(
        (line for line in (bench / "gold.jsonl").read_text(encoding="utf-8").split("\n") if line.strip()),
        key=lambda line: json.loads(line)["id"],
    )
    held_out = rows[len(rows) // 2 :][:120]
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
    assert figures["with"] >= figures["without"] + 0.01, figures
