"""The pipeline: a document or a batch cleaned in order, with batch statistics."""

from __future__ import annotations

from tests.conftest import article_text, removed


def test_batch_statistics_count_documents(cleaner):
    stats = cleaner.batch_stats([article_text(), "Another document about football and weather."])
    assert stats.documents == 2
    assert stats.document_frequency["library"] == 1 or stats.document_frequency.get("libraries") == 1


def test_clean_batch_keeps_ids_and_order(cleaner):
    results = cleaner.clean_batch([("a", article_text()), ("b", article_text(after=["Advertisement"]))])
    assert [r.doc_id for r in results] == ["a", "b"]
    assert removed(results[1], "advertising.marker") == ["Advertisement"]
    assert results[0].language == "en"
