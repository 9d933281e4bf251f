"""Language: langdetect made deterministic, `und` instead of exceptions."""

from __future__ import annotations

import json

import pytest

from cleaners.language import detect_language, guess_stoplist_language

SAMPLES = {
    "en": "The council approved the budget on Tuesday after a long debate about the libraries.",
    "de": "Der Stadtrat hat am Dienstag nach langer Debatte den Haushalt für die Bibliotheken beschlossen.",
    "fr": "Le conseil municipal a approuvé mardi le budget des bibliothèques après un long débat.",
    "es": "El ayuntamiento aprobó el martes el presupuesto de las bibliotecas tras un largo debate.",
    "ru": "Городской совет во вторник утвердил бюджет библиотек после долгих обсуждений.",
    "ja": "市議会は火曜日、長い議論の末に図書館の予算を承認した。",
}


@pytest.mark.parametrize(("code", "text"), SAMPLES.items())
def test_detects_languages(code, text):
    assert detect_language(text)[0] == code


@pytest.mark.parametrize("text", ["", "12345 678", "🙂🙂🙂", "https://example.com/a/b", "—", "ab"])
def test_undetermined_instead_of_errors(text):
    assert detect_language(text) == ("und", 0.0)


def test_deterministic():
    text = "Una frase corta en un idioma"
    assert len({detect_language(text) for _ in range(20)}) == 1


def test_stoplist_guess():
    assert guess_stoplist_language(SAMPLES["de"] * 3) == "de"
    assert guess_stoplist_language("") == "und"


def test_same_answers_from_many_threads_at_once():
    """langdetect's lazy loader is not thread-safe; the first calls race in a threaded run."""
    import subprocess
    import sys

    code = (
        "from concurrent.futures import ThreadPoolExecutor\n"
        "from cleaners.language import detect_language\n"
        "texts = ['Saya pergi ke pasar untuk membeli sayur dan buah bersama ibu saya'] * 16\n"
        "with ThreadPoolExecutor(8) as pool:\n"
        "    print(sorted(set(pool.map(detect_language, texts))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.count("(") == 1, out


def test_the_stopword_index_is_cached_between_processes_and_rebuilt_when_broken(tmp_path, monkeypatch):
    from cleaners import language

    monkeypatch.setenv("NEWSCLEAN_CACHE", str(tmp_path))
    language._stopword_index.cache_clear()
    built = language._stopword_index()
    cache = language._index_cache_file()
    assert cache.is_file() and cache.parent.parent == tmp_path
    language._stopword_index.cache_clear()
    assert language._stopword_index() == built  # loaded from the file
    cache.write_text("{ broken", encoding="utf-8")
    language._stopword_index.cache_clear()
    assert language._stopword_index() == built  # built again, and the file repaired
    assert json.loads(cache.read_text(encoding="utf-8"))["the"] == list(built["the"])
    language._stopword_index.cache_clear()
