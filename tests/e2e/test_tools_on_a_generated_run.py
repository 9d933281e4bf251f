"""The tuning tools on a generated corpus: explain, log summary/show/diff, eval and report, as a user runs them.

The seeds are one story in one language; this corpus has other subjects, German beside English and
a gold file whose labels the generator knows, so the figures the tools print can be checked.
"""

from __future__ import annotations

import json

import pytest

from tests.e2e.test_cli import newsclean
from tests.generated import write_generated_corpus

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def generated(prefect_env, tmp_path_factory):
    """Two runs of the generated corpus: the shipped rules, and with the cookie rule switched off."""
    base = tmp_path_factory.mktemp("generated")
    raw, gold = base / "raw", base / "gold.jsonl"
    ids = write_generated_corpus(raw, gold)
    override = base / "no-cookie-rule.toml"
    override.write_text('[rules."social.cookie_notice"]\nenabled = false\n', encoding="utf-8")
    for out, extra in ((base / "clean", []), (base / "clean-override", ["--rules", str(override)])):
        result = newsclean("run", "--raw", str(raw), "--out", str(out), "--quiet", *extra, env=prefect_env)
        assert result.returncode == 0, result.stderr
    return base, ids


def run_log(out) -> list[dict]:
    (run_folder,) = (out / "_runs").iterdir()
    return [json.loads(line) for line in (run_folder / "removals.jsonl").read_text(encoding="utf-8").splitlines()]


def test_explain_a_german_page(generated, prefect_env):
    base, ids = generated
    german = next(doc_id for doc_id in ids if doc_id.endswith("-de"))
    result = newsclean("explain", str(base / "raw" / f"{german}.txt"), env=prefect_env)
    assert result.returncode == 0, result.stderr
    assert "comments.form" in result.stdout and "social.cookie_notice" in result.stdout
    assert "language de" in result.stdout


def test_log_summary_and_show(generated, prefect_env):
    base, _ = generated
    log = run_log(base / "clean")
    summary = json.loads(newsclean("log", "summary", str(base / "clean"), "--json", env=prefect_env).stdout)
    assert sum(row["spans"] for row in summary["rules"]) == len(log)
    assert {"navigation", "related_links", "comments", "social"} <= {row["category"] for row in summary["categories"]}
    rule = ("--rule", "social.cookie_notice", "--limit", "2")
    shown = newsclean("log", "show", str(base / "clean"), *rule, env=prefect_env)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.count("why:") == 2 and "cookie" in shown.stdout.lower()


def test_log_diff_shows_what_the_override_moved(generated, prefect_env):
    base, _ = generated
    result = newsclean("log", "diff", str(base / "clean"), str(base / "clean-override"), "--json", env=prefect_env)
    assert result.returncode == 0, result.stderr
    diff = json.loads(result.stdout)
    assert diff["social.cookie_notice"]["stopped"] == 8 and diff["social.cookie_notice"]["started"] == 0
    # The same notice on every page: the cross-document rule takes it once the phrase rule is off.
    assert diff["navigation.repeated_line"]["started"] == 8


def test_eval_against_the_generated_gold(generated, prefect_env):
    base, ids = generated
    result = newsclean(
        "eval", "--gold", str(base / "gold.jsonl"), "--raw", str(base / "raw"), "--json", env=prefect_env
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["documents"] == len(ids) and not figures["rejected"]
    assert figures["token_f1"] >= 0.95
    recall = {row["category"]: row["recall"] for row in figures["categories"] if row["gold_segments"]}
    assert recall == {"navigation": 1.0, "related_links": 1.0, "comments": 1.0, "social": 1.0}
    assert all(row["took_keep"] == 0 for row in figures["rules"])


def test_report_of_the_generated_run(generated, prefect_env):
    base, ids = generated
    page = base / "report.html"
    result = newsclean("report", str(base / "clean"), "-o", str(page), env=prefect_env)
    assert result.returncode == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    assert html.count("<mark ") == len(run_log(base / "clean"))
    assert all(doc_id in html for doc_id in ids)
