"""`newsclean explain`, `log summary|show|diff` and `eval` on the seeds and on generated runs."""

from __future__ import annotations

import json
import re
from pathlib import Path

from cleaners import Cleaner
from flows.cli import main
from tests.conftest import ARTICLE, TITLE, clean_folder


def records(out: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*.json"))]


def test_explain_prints_every_removal_with_its_rule_and_reason(shared, capsys):
    seed = sorted((shared / "seeds").glob("*.txt"))[0]
    assert main(["explain", str(seed)]) == 0
    printed = capsys.readouterr().out
    removals = Cleaner().clean(seed.stem, seed.read_text(encoding="utf-8")).removals
    assert removals
    for removal in removals:
        assert removal.rule in printed
    assert printed.count("[-") == len(removals) == printed.count("-]")  # piped: removed text between plain marks
    assert main(["explain", str(seed), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [r.to_dict() for r in removals]


def test_explain_on_a_shard_explains_each_record(shared, tmp_path, capsys):
    seeds = sorted((shared / "seeds").glob("*.txt"))[:2]
    shard = tmp_path / "part.jsonl"
    lines = [json.dumps({"id": seed.stem, "text": seed.read_text(encoding="utf-8")}) for seed in seeds]
    shard.write_text("\n".join([*lines, "{not json"]) + "\n", encoding="utf-8")
    cleaner = Cleaner()
    expected = {seed.stem: cleaner.clean(seed.stem, seed.read_text(encoding="utf-8")).removals for seed in seeds}

    assert main(["explain", str(shard), "--json"]) == 0
    explained = json.loads(capsys.readouterr().out)
    assert [item["id"] for item in explained[:2]] == [seed.stem for seed in seeds]
    for item in explained[:2]:
        assert item["removals"] == [r.to_dict() for r in expected[item["id"]]]
    assert "rejected" in explained[2]

    assert main(["explain", str(shard)]) == 0
    printed = capsys.readouterr().out
    assert all(f"record {seed.stem}" in printed for seed in seeds)
    assert printed.count("[-") == sum(len(r) for r in expected.values())

    assert main(["explain", str(shard), "--id", seeds[1].stem, "--json"]) == 0
    assert [item["id"] for item in json.loads(capsys.readouterr().out)] == [seeds[1].stem]
    assert main(["explain", str(shard), "--id", "nope"]) == 2
    assert "no record with the id 'nope'" in capsys.readouterr().err


def test_explain_says_what_the_line_model_gave_back_and_where_it_did_not_judge(tmp_path, capsys):
    # Short lines after the body that navigation.around_article takes and the model reads as the
    # article's (a clean article's closing list).
    lines = ["What you need", "Watering can", "Mulch or bark chips"]
    text = "\n\n".join([TITLE, *ARTICLE, *lines]) + "\n"
    taken_back = Cleaner().clean("d", text).taken_back
    page = tmp_path / "page.txt"
    page.write_text(text, encoding="utf-8")
    assert main(["explain", str(page)]) == 0
    printed = capsys.readouterr().out
    assert printed.count("given back (had been taken by ") == len(taken_back) > 0
    greek = tmp_path / "greek.txt"
    greek.write_text("Αρχική\nΗ νέα γραμμή του μετρό εγκαινιάστηκε σήμερα και θα εξυπηρετεί επιβάτες.\n", "utf-8")
    assert main(["explain", str(greek)]) == 0
    assert "line model not applied: trained on pages in LATIN script" in capsys.readouterr().out


def test_explain_a_missing_file_is_a_one_line_error(tmp_path, capsys):
    assert main(["explain", str(tmp_path / "nope.txt")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_log_summary_counts_what_the_records_hold(seeds_run, capsys):
    _, out, job = seeds_run
    assert main(["log", "summary", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    spans = [r for record in records(out) for r in record["removals"]]
    assert sum(row["spans"] for row in summary["rules"]) == len(spans)
    assert sum(row["chars"] for row in summary["categories"]) == sum(len(r["text"]) for r in spans)
    chars = [row["chars"] for row in summary["rules"]]
    assert chars == sorted(chars, reverse=True)
    assert main(["log", "summary", str(job.run_folder), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == summary


def test_log_show_gives_the_span_its_context_and_reason(seeds_run, capsys):
    _, out, _ = seeds_run
    assert main(["log", "show", str(out), "--category", "off_topic", "--limit", "2"]) == 0
    printed = capsys.readouterr().out
    assert "off_topic.trailing_story" in printed and "why:" in printed and "coherence" in printed
    assert "  [-" in printed and "-]" in printed  # piped: the removed text between plain marks


def test_log_diff_names_what_a_rule_change_stopped_removing(seeds_run, tmp_path, capsys):
    raw, out, _ = seeds_run
    rules = tmp_path / "rules.toml"
    rules.write_text('[rules."off_topic.trailing_story"]\nenabled = false\n', encoding="utf-8")
    changed = tmp_path / "changed"
    clean_folder(raw, changed, rules)
    assert main(["log", "diff", str(out), str(changed), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    off_topic = sum(1 for record in records(out) for r in record["removals"] if r["rule"] == "off_topic.trailing_story")
    assert report["off_topic.trailing_story"]["stopped"] == off_topic > 0
    assert report["off_topic.trailing_story"]["started"] == 0
    assert main(["log", "diff", str(out), str(out)]) == 0
    assert "the same spans" in capsys.readouterr().out


def test_log_of_a_folder_without_outputs_is_a_one_line_error(tmp_path, capsys):
    assert main(["log", "summary", str(tmp_path)]) == 2
    assert "no cleaned documents" in capsys.readouterr().err


def test_eval_on_the_seeds_gold(shared, tmp_path, capsys):
    gold, raw = shared / "gold" / "seeds.jsonl", shared / "seeds"
    assert main(["eval", "--gold", str(gold), "--raw", str(raw), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["documents"] == 5 and report["token_f1"] == 1.0 and report["keep_rate"] == 1.0
    assert all(row["recall"] in (None, 1.0) for row in report["categories"])
    assert all(row["took_keep"] == 0 for row in report["rules"])

    rules = tmp_path / "rules.toml"
    rules.write_text('[rules."disclaimer.phrases"]\nenabled = false\n', encoding="utf-8")
    assert main(["eval", "--gold", str(gold), "--raw", str(raw), "--rules", str(rules), "--json"]) == 0
    loosened = json.loads(capsys.readouterr().out)
    disclaimer = next(row for row in loosened["categories"] if row["category"] == "disclaimer")
    assert disclaimer["recall"] == 0.0 and loosened["token_f1"] < 1.0


def test_eval_names_the_rules_that_took_kept_text(shared, tmp_path, capsys):
    """A gold file of our own that labels one removed seed line `keep`: the rule that took it is listed."""
    seed = sorted((shared / "seeds").glob("*.txt"))[0]
    text = seed.read_text(encoding="utf-8")
    removal = Cleaner().clean(seed.stem, text).removals[0]
    gold = tmp_path / "gold.jsonl"
    segment = {"start": removal.start, "end": removal.end, "label": "keep", "required": True, "text": removal.text}
    gold.write_text(json.dumps({"id": seed.stem, "source": seed.name, "segments": [segment]}) + "\n", encoding="utf-8")
    assert main(["eval", "--gold", str(gold), "--raw", str(shared / "seeds")]) == 0
    printed = capsys.readouterr().out
    assert f"{removal.rule} took {seed.stem}" in printed


def test_eval_with_a_broken_gold_file_is_a_one_line_error(shared, tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("not json\n", encoding="utf-8")
    assert main(["eval", "--gold", str(gold), "--raw", str(shared / "seeds")]) == 2
    assert "not JSON Lines" in capsys.readouterr().err


def test_rules_lists_every_rule_in_order_with_its_policy_and_settings(tmp_path, capsys):
    from cleaners.registry import REGISTRY
    from flows.cli import main

    assert main(["rules", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in listed] == list(REGISTRY)
    by_id = {r["id"]: r for r in listed}
    assert by_id["navigation.menu_run"]["policy"] == ["guarded", "revisable"]
    assert set(by_id["comments.section"]["policy"]) == {"guarded", "anchored"}
    assert "not on_extracted_html" in by_id["duplicate.line"]["policy"]
    assert by_id["navigation.menu_run"]["settings"]["min_run"] == 5
    mine = tmp_path / "mine.toml"
    mine.write_text('[rules."navigation.menu_run"]\nguarded = false\nrevisable = false\nmin_run = 7\nenabled = false\n')
    assert main(["rules", "--json", "--rules", str(mine)]) == 0
    menu_run = next(r for r in json.loads(capsys.readouterr().out) if r["id"] == "navigation.menu_run")
    assert (menu_run["policy"], menu_run["settings"]["min_run"], menu_run["enabled"]) == ([], 7, False)
    assert main(["rules", "--markdown"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert len(table) == 2 + len(REGISTRY) and all(line.count(" | ") == 3 for line in table[2:])


def test_the_readmes_rules_table_is_what_newsclean_rules_prints(capsys):
    from flows.cli import main
    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- rules table: newsclean rules --markdown -->\n") + len(
        "<!-- rules table: newsclean rules --markdown -->\n"
    )
    table = readme[start : readme.index("<!-- end of rules table -->")]
    assert main(["rules", "--markdown"]) == 0
    assert table == capsys.readouterr().out, "regenerate it with: newsclean rules --markdown"


def test_the_readmes_python_example_runs():
    from cleaners import Cleaner
    from tests.conftest import article_text

    cleaner = Cleaner()
    result = cleaner.clean("doc-1", article_text(after=["Advertisement"]))
    assert result.language == "en" and [(r.rule, r.text) for r in result.removals] == [
        ("advertising.marker", "Advertisement")
    ]
    assert [r.doc_id for r in cleaner.clean_batch([("a", article_text()), ("b", article_text())])] == ["a", "b"]


def test_log_show_refuses_an_unknown_rule_or_category_with_the_nearest(seeds_run, capsys):
    from flows.cli import main

    _raw, out, _job = seeds_run
    assert main(["log", "show", str(out), "--rule", "navigation.menu_rn"]) == 2
    assert "unknown rule 'navigation.menu_rn'; did you mean navigation.menu_run" in capsys.readouterr().err
    assert main(["log", "show", str(out), "--category", "navigaton"]) == 2
    assert "did you mean navigation" in capsys.readouterr().err
    assert main(["log", "show", str(out), "--rule", "navigation.menu_run"]) == 0  # known, took nothing here


def test_version_names_the_package_and_the_rule_set(capsys):
    import pytest

    from flows.cli import main

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert re.fullmatch(r"newsclean \S+ \(rules \d{4}\.\d\d\.\d\d\)\n", capsys.readouterr().out)
