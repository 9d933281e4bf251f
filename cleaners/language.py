"""Language detection with langdetect, made deterministic, and the stoplists that go with it."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from justext import get_stoplist
from langdetect import DetectorFactory, detect_langs
from langdetect.detector_factory import init_factory

UNDETERMINED = "und"

# langdetect codes to the names of jusText's stoplists.
JUSTEXT_STOPLISTS: dict[str, str] = {
    "af": "Afrikaans",
    "ar": "Arabic",
    "bg": "Bulgarian",
    "bn": "Bengali",
    "ca": "Catalan",
    "cs": "Czech",
    "cy": "Welsh",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "es": "Spanish",
    "et": "Estonian",
    "fa": "Persian",
    "fi": "Finnish",
    "fr": "French",
    "gu": "Gujarati",
    "he": "Hebrew",
    "hi": "Hindi",
    "hr": "Croatian",
    "hu": "Hungarian",
    "id": "Indonesian",
    "it": "Italian",
    "kn": "Kannada",
    "ko": "Korean",
    "lt": "Lithuanian",
    "lv": "Latvian",
    "mk": "Macedonian",
    "ml": "Malayalam",
    "mr": "Marathi",
    "ne": "Nepali",
    "nl": "Dutch",
    "no": "Norwegian_Bokmal",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sk": "Slovak",
    "sl": "Slovenian",
    "sq": "Albanian",
    "sv": "Swedish",
    "sw": "Swahili",
    "ta": "Tamil",
    "te": "Telugu",
    "tl": "Tagalog",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "vi": "Vietnamese",
}

_init_lock = threading.Lock()
_initialized = False


def _ensure_seeded() -> None:
    """Seed langdetect and load its profiles once, under a lock.

    Unseeded it answers differently from run to run; and its lazy loader publishes the factory
    before the profiles are loaded, so a second thread could detect with half the languages.
    """
    global _initialized
    if not _initialized:
        with _init_lock:
            if not _initialized:
                DetectorFactory.seed = 0
                init_factory()
                _initialized = True


def detect_language(text: str, *, sample_chars: int = 1000, min_letters: int = 20) -> tuple[str, float]:
    """ISO 639-1 code (as langdetect spells it) and its probability; `und` when it cannot tell.

    Never raises: langdetect fails on text with no letters, emoji, URLs and unknown scripts.
    """
    sample = text[:sample_chars]
    if sum(1 for ch in sample if ch.isalpha()) < min_letters:
        return UNDETERMINED, 0.0
    _ensure_seeded()
    try:
        best = detect_langs(sample)[0]
    except Exception:  # langdetect raises its own and assorted errors on odd input
        return UNDETERMINED, 0.0
    return best.lang, round(float(best.prob), 4)


@lru_cache(maxsize=64)
def stopwords_for(language: str) -> frozenset[str]:
    """jusText's stoplist for the language; empty when it has none."""
    name = JUSTEXT_STOPLISTS.get(language)
    if name is None:
        return frozenset()
    try:
        return get_stoplist(name)
    except ValueError:
        return frozenset()


def _index_cache_file() -> Path:
    """Where the stopword index is kept between processes: per jusText version and language map."""
    base = Path(os.environ.get("NEWSCLEAN_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"))
    key = hashlib.sha256(json.dumps(JUSTEXT_STOPLISTS, sort_keys=True).encode()).hexdigest()[:10]
    return base / "newsclean" / f"stopword-index-justext{version('justext')}-{key}.json"


@lru_cache(maxsize=1)
def _stopword_index() -> dict[str, tuple[str, ...]]:
    """Each stopword of jusText's 49 lists with the languages that have it.

    Building it reads every list (about half a second); a process loads it from the cache file in
    a tenth of that, which is what makes `newsclean explain` and a fresh Dask worker start fast.
    The cache is only an accelerator: unreadable or missing, the index is built again.
    """
    cache = _index_cache_file()
    try:
        return {word: tuple(codes) for word, codes in json.loads(cache.read_text(encoding="utf-8")).items()}
    except (OSError, ValueError, AttributeError):
        pass
    index: dict[str, list[str]] = {}
    for code in JUSTEXT_STOPLISTS:
        for word in stopwords_for(code):
            index.setdefault(word, []).append(code)
    temp_name = None
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=cache.parent, delete=False) as temp:
            temp_name = temp.name
            json.dump(index, temp, ensure_ascii=False)
        os.replace(temp_name, cache)
    except OSError:  # a read-only home: build it in every process
        if temp_name:
            Path(temp_name).unlink(missing_ok=True)
    return {word: tuple(codes) for word, codes in index.items()}


def guess_stoplist_language(text: str, max_words: int = 400) -> str:
    """The language whose jusText stoplist the text's words hit most: a cheap first guess.

    Rules need a stoplist before the article is known; langdetect runs once, on the cleaned text.
    """
    return _guess_from_words(tuple(text[: max_words * 20].lower().split()[:max_words]))


@lru_cache(maxsize=256)
def _guess_from_words(words: tuple[str, ...]) -> str:
    index = _stopword_index()
    scores: dict[str, int] = {}
    for word in words:
        for code in index.get(word.strip(".,;:!?\"'“”«»()[]"), ()):
            scores[code] = scores.get(code, 0) + 1
    if not scores:
        return UNDETERMINED
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] >= 3 else UNDETERMINED
