"""Language: langdetect made deterministic, `und` instead of exceptions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


@pytest.mark.parametrize(
    ("name", "build"),
    [("_stopword_index", "_build_stopword_index"), ("_detector_factory", "_packed_profiles")],
)
def test_tables_are_cached_between_processes_and_rebuilt_when_broken(tmp_path, monkeypatch, name, build):
    from cleaners import language

    monkeypatch.setenv("NEWSCLEAN_CACHE", str(tmp_path))
    builds = []
    real_build = getattr(language, build)
    monkeypatch.setattr(language, build, lambda: builds.append(1) or real_build())

    def load():
        getattr(language, name).cache_clear()
        table = getattr(language, name)()
        return table if name == "_stopword_index" else dict(dict.items(table.word_lang_prob_map))

    built = load()
    (cache,) = (tmp_path / "newsclean").iterdir()
    assert load() == built and len(builds) == 1  # loaded from the file
    cache.write_bytes(b"\x00 broken")
    assert load() == built and len(builds) == 2  # built again, and the file repaired
    assert load() == built and len(builds) == 2
    getattr(language, name).cache_clear()


def test_the_unpacked_table_is_langdetects_own():
    """Rows unpacked on demand equal the ones langdetect builds from its profiles, answers too."""
    from langdetect import DetectorFactory
    from langdetect.detector_factory import PROFILES_DIRECTORY

    from cleaners.language import _detector_factory

    theirs = DetectorFactory()
    theirs.load_profile(PROFILES_DIRECTORY)
    theirs.seed = 0
    ours = _detector_factory()
    assert ours.langlist == theirs.langlist
    words = list(theirs.word_lang_prob_map)
    assert all(word in ours.word_lang_prob_map for word in words)
    assert "never an n-gram" not in ours.word_lang_prob_map
    assert all(ours.word_lang_prob_map[word].tolist() == theirs.word_lang_prob_map[word] for word in words[::97])
    for text in SAMPLES.values():
        answers = []
        for factory in (ours, theirs):
            detector = factory.create()
            detector.append(text)
            answers.append([(found.lang, found.prob) for found in detector.get_probabilities()])
        assert answers[0] == answers[1]


# Characters of the scripts and signs langdetect's per-character code treats apart: Basic Latin
# (letters, the signs between Z and a, digits, punctuation), Latin-1 and Extended-B (Romanian
# commas), Greek and Cyrillic, Arabic (Farsi yeh), Vietnamese (Latin Extended Additional and
# combining marks), general punctuation, kana, CJK ideographs, Hangul, and runs of spaces.
_SCRIPTS = st.sampled_from(
    [chr(c) for c in range(0x20, 0x80)]
    + [chr(c) for c in range(0xC0, 0x250)]
    + [chr(c) for c in range(0x300, 0x310)]
    + [chr(c) for c in range(0x370, 0x500)]
    + [chr(c) for c in range(0x600, 0x700)]
    + [chr(c) for c in range(0x1E00, 0x1F00)]
    + [chr(c) for c in range(0x2000, 0x2030)]
    + [chr(c) for c in range(0x3040, 0x3100)]
    + [chr(c) for c in range(0x4E00, 0x4F00)]
    + [chr(c) for c in range(0xAC00, 0xAC40)]
    + [" ", "  ", "   "]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_SCRIPTS, max_size=300).map("".join))
def test_our_detector_reads_and_cuts_text_exactly_as_langdetects(text):
    """The detector's per-character loops, redone with str methods, give langdetect's own results,
    and its answers are langdetect's to the last digit."""
    from langdetect.detector import Detector
    from langdetect.lang_detect_exception import LangDetectException

    from cleaners.language import _detector_factory

    factory = _detector_factory()
    ours, theirs = factory.create(), Detector(factory)
    assert type(ours) is not Detector
    ours.append(text)
    theirs.append(text)
    assert ours.text == theirs.text
    ours.cleaning_text()
    theirs.cleaning_text()
    assert ours.text == theirs.text
    assert ours._extract_ngrams() == Detector._extract_ngrams(theirs)
    answers = []
    for detector in (ours, theirs):
        try:
            answers.append([(found.lang, found.prob) for found in detector.get_probabilities()])
        except LangDetectException as error:
            answers.append(error.code)
    assert answers[0] == answers[1]
