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


JAPANESE_ARTICLE = [
    "東京都は二十日、老朽化した中央図書館を建て替え、二〇二八年に新しい図書館を開館する計画を発表した。",
    "新しい図書館は現在の二倍の広さとなり、子ども向けの読書室や、外国語を学ぶ人のための学習室が設けられる。",
    "都の担当者によると、開館時間は午後九時までに延長され、日曜日と祝日も開館する予定だという。",
    "建設費は約百二十億円と見込まれており、都は来年度の予算案に設計費を計上する方針を示した。",
    "利用者からは「夜遅くまで開いているのはありがたい」と歓迎する声が上がる一方、費用を疑問視する意見もある。",
]


def test_a_japanese_article_is_kept_whole_and_its_menu_goes(cleaner):
    """Words of unspaced scripts count by characters: the article reads as prose, so its body is found."""
    menu = ["ホーム", "ニュース", "スポーツ", "天気", "お問い合わせ"]
    text = "\n".join(menu) + "\n\n" + "\n\n".join(JAPANESE_ARTICLE) + "\n"
    result = cleaner.clean("ja", text)
    assert all(paragraph in result.cleaned_text for paragraph in JAPANESE_ARTICLE)
    assert result.language == "ja"
    assert not any(paragraph in removed(result) for paragraph in JAPANESE_ARTICLE)
