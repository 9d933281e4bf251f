"""Corpus statistics: counts of words and of lines per site, each content once, saved and mapped."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners import Cleaner
from cleaners import statistics as statistics_module
from cleaners.statistics import CorpusStatistics, CountTable, site_of, stable_key


@pytest.mark.parametrize(
    ("source", "url", "site"),
    [
        ("story.txt", None, ""),
        ("example.org/story.txt", None, "example.org"),
        ("a/b/story.txt", None, "a"),
        ("shard.jsonl", "https://www.news.example.com/2026/story", "news.example.com"),
        ("site/shard.jsonl", "not a url", "site"),
        ("story.txt", "http://[broken/", ""),
    ],
)
def test_a_site_is_the_urls_host_else_the_top_subfolder_else_the_folder(source, url, site):
    assert site_of(source, url) == site


def test_stable_keys_do_not_depend_on_the_process():
    assert stable_key("Home | News | Sport") == 7225240790050833945
    assert stable_key("caf\udce9") != stable_key("cafe")  # a lone surrogate from an odd file name is a key too


def test_a_count_table_counts_keys_across_folds(monkeypatch):
    monkeypatch.setattr(statistics_module, "PENDING_KEYS", 4)  # fold every other add
    table = CountTable()
    for keys in ([3, 1, 2], [2, 5], [1, 2], [9]):
        table.add(np.array(keys, dtype=np.uint64))
    assert table.lookup(np.array([1, 2, 3, 4, 5, 9], dtype=np.uint64)).tolist() == [2, 3, 1, 0, 1, 1]
    assert len(table) == 5
    assert CountTable().lookup(np.array([1], dtype=np.uint64)).tolist() == [0]


def corpus_of(cleaner: Cleaner, documents: list[tuple[str, str]]) -> CorpusStatistics:
    corpus = CorpusStatistics(generation="test")
    for text, site in documents:
        corpus.add(cleaner.evidence(text, site).keys())
    return corpus


def test_lines_are_counted_per_site_and_a_copy_counts_once(cleaner):
    footer = "Terms of use | Privacy policy | Contact us"
    a = f"Harbour crane collapses in storm\n{footer}\n"
    b = f"Council approves new budget for schools\n{footer}\n"
    c = f"Festival draws record crowds this summer\n{footer}\n"
    corpus = corpus_of(cleaner, [(a, "one.example"), (a, "one.example"), (b, "one.example"), (c, "two.example")])
    assert corpus.documents == 3 and corpus.site_documents == {"one.example": 2, "two.example": 1}
    evidence = [cleaner.evidence(a, "one.example"), cleaner.evidence(c, "two.example")]
    by_site = corpus.batch(evidence)
    footer_key = " ".join(footer.lower().split())
    assert by_site["one.example"].line_frequency == {footer_key: 2}  # the copy of a counts once
    assert by_site["two.example"].line_frequency == {}  # once on its own site: no evidence
    assert by_site["two.example"].documents == 3 and by_site["two.example"].site_documents == 1
    assert by_site["one.example"].document_frequency["harbour"] == 1
    assert by_site["one.example"].describe() == {
        "generation": "test",
        "documents": 3,
        "site": "one.example",
        "site_documents": 2,
    }


def test_saved_statistics_read_back_the_same(cleaner, tmp_path):
    texts = ["Storm closes coastal road\nHome | News\n", "Market hall to reopen\nHome | News\n", "Home | News\n"]
    corpus = corpus_of(cleaner, [(text, "") for text in texts])
    corpus.rules_version = "v-test"
    corpus.save(tmp_path / "generation")
    loaded = CorpusStatistics.load(tmp_path / "generation")
    evidence = [cleaner.evidence(text) for text in texts]
    assert loaded.batch(evidence) == corpus.batch(evidence)
    assert (loaded.documents, loaded.rules_version, len(loaded.counted), loaded.added) == (3, "v-test", 3, set())
    assert all(loaded.holds(content) for content in corpus.added)
    assert not loaded.add(cleaner.evidence(texts[0]).keys())  # counted already
    assert loaded.add(cleaner.evidence("A new page\nHome | News\n").keys())
    loaded.save(tmp_path / "next")
    again = CorpusStatistics.load(tmp_path / "next")
    assert (again.documents, len(again.counted)) == (4, 4)
    assert again.batch(evidence)[""].line_frequency == {"home | news": 4}


def test_statistics_of_another_format_are_refused(cleaner, tmp_path):
    corpus_of(cleaner, [("One line of text here\n", "")]).save(tmp_path / "g")
    meta = json.loads((tmp_path / "g" / "meta.json").read_text(encoding="utf-8"))
    (tmp_path / "g" / "meta.json").write_text(json.dumps({**meta, "format": 99}), encoding="utf-8")
    with pytest.raises(ValueError, match="format 99"):
        CorpusStatistics.load(tmp_path / "g")


def test_a_batch_without_corpus_statistics_is_its_own_corpus(cleaner):
    texts = ["Storm closes coastal road\nHome | News\n", "Market hall to reopen\nHome | News\n"]
    stats = cleaner.batch_stats(texts)
    assert stats == cleaner.statistics_for([cleaner.evidence(t) for t in texts])[""]
    assert stats.generation == "batch" and stats.documents == stats.site_documents == 2


@settings(max_examples=60, deadline=None)
@given(
    documents=st.lists(
        st.tuples(st.lists(st.sampled_from(["alpha", "beta", "gamma", "delta"]), max_size=4), st.sampled_from("ab")),
        max_size=12,
    ),
    order=st.randoms(use_true_random=False),
    pending=st.integers(min_value=1, max_value=6),
)
def test_the_counts_do_not_depend_on_the_order_or_the_folding(documents, order, pending):
    """However the documents arrive, and however often the pending keys are folded in, the
    statistics are the same: a run's units may end in any order."""
    cleaner = Cleaner()
    texts = [("\n".join(lines) + "\n", site) for lines, site in documents]
    shuffled = texts[:]
    order.shuffle(shuffled)
    first = corpus_of(cleaner, texts)
    statistics_module.PENDING_KEYS, saved = pending, statistics_module.PENDING_KEYS
    try:
        second = corpus_of(cleaner, shuffled)
    finally:
        statistics_module.PENDING_KEYS = saved
    evidence = [cleaner.evidence(text, site) for text, site in texts]
    assert first.batch(evidence) == second.batch(evidence)
    assert (first.documents, first.site_documents) == (second.documents, second.site_documents)
