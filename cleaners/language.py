"""Language detection with langdetect, made deterministic, and the stoplists that go with it."""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import re
import sys
import tempfile
from array import array
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from importlib.metadata import version
from itertools import chain
from pathlib import Path
from typing import TypeVar

import numpy as np
from justext import get_stoplist
from langdetect import DetectorFactory
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.ngram import NGram

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

T = TypeVar("T")


def _cache_dir() -> Path:
    """Where tables derived from installed packages are kept between processes."""
    base = os.environ.get("NEWSCLEAN_CACHE") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "newsclean"


def _cached_table(name: str, expected: type[T], build: Callable[[], T]) -> T:
    """`build()`'s result, kept in a marshal file so the next process loads it in a few milliseconds.

    The file name carries the packages' versions and the interpreter's tag (marshal's format is
    the interpreter's). The cache only accelerates: a missing, unreadable or foreign file is built
    again and replaced atomically; a read-only home builds the table in every process.
    """
    path = _cache_dir() / f"{name}-{sys.implementation.cache_tag}.marshal"
    try:
        table = marshal.loads(path.read_bytes())
        if isinstance(table, expected):
            return table
    except (OSError, ValueError, EOFError, TypeError):
        pass
    table = build()
    temp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as temp:
            temp_name = temp.name
            marshal.dump(table, temp)
        os.replace(temp_name, path)
    except OSError:
        if temp_name:
            Path(temp_name).unlink(missing_ok=True)
    return table


class _Probabilities(dict):
    """langdetect's n-gram table, each row unpacked on first use.

    Building the whole table from langdetect's 55 JSON profiles takes about half a second a
    process; the packed rows load in a twentieth of that, and a document needs few of them.
    Every n-gram is a key from the start (its value packed bytes until first read), so the
    detector's `word in table`, its most frequent call, stays the dict's own; only reading a row
    goes through Python. The detector asks nothing else, so answers are langdetect's own.
    """

    __slots__ = ("_width",)

    def __init__(self, packed: dict[str, bytes], width: int) -> None:
        super().__init__(packed)
        self._width = width

    def __getitem__(self, word: str) -> np.ndarray:
        row = dict.__getitem__(self, word)
        if type(row) is bytes:
            row = _unpack_row(row, self._width)
            dict.__setitem__(self, word, row)
        return row


def _pack_row(row: list[float]) -> bytes:
    """A row of per-language probabilities as the indexes of its non-zero cells, then their values."""
    cells = [(index, value) for index, value in enumerate(row) if value]
    return bytes(index for index, _ in cells) + array("d", [value for _, value in cells]).tobytes()


def _unpack_row(packed: bytes, width: int) -> np.ndarray:
    count = len(packed) // 9
    row = np.zeros(width)
    row[np.frombuffer(packed, np.uint8, count)] = np.frombuffer(packed, np.float64, offset=count)
    return row


def _packed_profiles() -> tuple[list[str], int, dict[str, bytes]]:
    """langdetect's languages, row width and packed n-gram table, built from its shipped profiles."""
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    width = len(next(iter(factory.word_lang_prob_map.values())))
    return factory.langlist, width, {word: _pack_row(row) for word, row in factory.word_lang_prob_map.items()}


class _NormalizedChars(dict):
    """langdetect's per-character normalization as a `str.translate` table, filled as met."""

    def __missing__(self, code: int) -> str:
        value = self[code] = NGram.normalize(chr(code))
        return value


_NORMALIZED = _NormalizedChars()
_SPACE_RUNS_RE = re.compile(" {2,}")
_ASCII_LETTERS_RE = re.compile("[A-z]")  # langdetect's range, with the six signs between Z and a
_NOT_LATIN_RE = re.compile("[^\\u0000-\\u02ff]")


class _Detector(Detector):
    """langdetect's Detector, faster with the same answers: `str` methods, regexes and a cache
    of each token's n-grams for its per-character loops, numpy rows for its updates.

    Those loops (reading the text, dropping Latin letters from mostly non-Latin text, cutting the
    n-grams) were half of its time, its probability updates a Python loop over 55 languages most
    of the rest. Each override computes exactly what langdetect's own code does: unit tests
    compare them on generated text of every script, and the answers, so they stay langdetect's.
    """

    def append(self, text: str) -> None:
        text = self.URL_RE.sub(" ", text)
        text = self.MAIL_RE.sub(" ", text)
        text = NGram.normalize_vi(text)
        self.text += _SPACE_RUNS_RE.sub(" ", text[: self.max_text_length])

    def cleaning_text(self) -> None:
        # langdetect compares a block number with a block name there, so every character from
        # U+0300 on counts as not Latin; kept, since the point is langdetect's answers.
        latin = len(_ASCII_LETTERS_RE.findall(self.text))
        if latin * 2 < len(_NOT_LATIN_RE.findall(self.text)):
            self.text = _ASCII_LETTERS_RE.sub("", self.text)

    def _extract_ngrams(self) -> list[str]:
        # langdetect's n-gram buffer starts afresh after every space, so the n-grams of a text are
        # those of its space-separated tokens, each a pure function of the token: kept per token.
        tokens = self.text.translate(_NORMALIZED).split(" ")
        last = len(tokens) - 1  # the only token with no space after it
        result: list[str] = []
        for index, token in enumerate(tokens):
            if token and (found := _token_ngrams(token, index < last)):
                result += found.split("\n")
        return result

    def _detect_block(self) -> None:
        # langdetect's own loop (its verbose printing left out) on numpy rows: each update is
        # the same multiplication and addition per language, in one call instead of a Python
        # loop, and the normalizing sum is Python's own over the same numbers in the same order.
        self.cleaning_text()
        ngrams = self._extract_ngrams()
        if not ngrams:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        table = self.word_lang_prob_map
        width = len(self.langlist)
        langprob = np.zeros(width)
        self.random.seed(self.seed)
        for _ in range(self.n_trial):
            prob = np.full(width, 1.0 / width) if self.prior_map is None else np.array(self.prior_map)
            weight = (self.alpha + self.random.gauss(0.0, 1.0) * self.ALPHA_WIDTH) / self.BASE_FREQ
            i = 0
            while True:
                prob *= weight + table[self.random.choice(ngrams)]
                if i % 5 == 0:
                    prob /= sum(prob.tolist())
                    if prob.max() > self.CONV_THRESHOLD or i >= self.ITERATION_LIMIT:
                        break
                i += 1
            langprob += prob / self.n_trial
        self.langprob = langprob.tolist()


@lru_cache(maxsize=20_000)
def _token_ngrams(token: str, space_follows: bool) -> str:
    """The n-grams langdetect's buffer gives a normalized token (and the space after it) that
    are in its table: its characters, pairs and triples with a space before the token and after
    it, none while the buffer holds a run of capitals.

    Joined by line breaks (normalization turns every one into a space), as one string is a
    tenth of the memory of a tuple of short strings: the cache holds about 6 MB when full.
    """
    table = _detector_factory().word_lang_prob_map
    found: list[str] = []
    grams = " "
    capital_word = False
    for char in token + " " if space_follows else token:
        last = grams[-1]
        grams = grams[1:] + char if len(grams) >= 3 else grams + char
        if char.isupper():
            if last.isupper():
                capital_word = True
        else:
            capital_word = False
        if capital_word:
            continue
        if char != " " and char in table:
            found.append(char)
        if len(grams) >= 2 and grams[-2:] in table:
            found.append(grams[-2:])
        if len(grams) == 3 and grams in table:
            found.append(grams)
    return "\n".join(found)


class _Factory(DetectorFactory):
    """A DetectorFactory whose detectors are `_Detector`s."""

    def _create_detector(self) -> Detector:
        return _Detector(self)


@lru_cache(maxsize=1)
def _detector_factory() -> DetectorFactory:
    """A seeded langdetect factory of our own, built once a process.

    Unseeded langdetect answers differently from run to run; and its module-level lazy loader
    publishes its factory before the profiles are loaded, so a second thread could detect with
    half the languages. This factory is complete before any thread sees it (threads racing on
    the first call may each build one; every one is whole).
    """
    languages, width, packed = _cached_table(f"langdetect{version('langdetect')}-profiles", tuple, _packed_profiles)
    factory = _Factory()
    factory.seed = 0
    factory.langlist = list(languages)
    factory.word_lang_prob_map = _Probabilities(packed, width)
    return factory


def detect_language(text: str, *, sample_chars: int = 1000, min_letters: int = 20) -> tuple[str, float]:
    """ISO 639-1 code (as langdetect spells it) and its probability; `und` when it cannot tell.

    Never raises: langdetect fails on text with no letters, emoji, URLs and unknown scripts.
    """
    sample = text[:sample_chars]
    if sum(map(str.isalpha, sample)) < min_letters:
        return UNDETERMINED, 0.0
    try:
        detector = _detector_factory().create()
        detector.append(sample)
        best = detector.get_probabilities()[0]
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


def _build_stopword_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for code in JUSTEXT_STOPLISTS:
        for word in stopwords_for(code):
            index.setdefault(word, []).append(code)
    return {word: tuple(codes) for word, codes in index.items()}


@lru_cache(maxsize=1)
def _stopword_index() -> dict[str, tuple[str, ...]]:
    """Each stopword of jusText's 49 lists with the languages that have it.

    Building it reads every list (about half a second); a process loads it from the cache in a
    twentieth of that, which is what makes `newsclean explain` and a fresh Dask worker start fast.
    """
    key = hashlib.sha256(json.dumps(JUSTEXT_STOPLISTS, sort_keys=True).encode()).hexdigest()[:10]
    return _cached_table(f"stopword-index-justext{version('justext')}-{key}", dict, _build_stopword_index)


def guess_stoplist_language(text: str, max_words: int = 400) -> str:
    """The language whose jusText stoplist the text's words hit most: a cheap first guess.

    Rules need a stoplist before the article is known; langdetect runs once, on the cleaned text.
    """
    return _guess_from_words(tuple(text[: max_words * 20].lower().split()[:max_words]))


@lru_cache(maxsize=256)
def _guess_from_words(words: tuple[str, ...]) -> str:
    index = _stopword_index()
    scores = Counter(chain.from_iterable(index.get(word.strip(".,;:!?\"'“”«»()[]"), ()) for word in words))
    if not scores:
        return UNDETERMINED
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] >= 3 else UNDETERMINED
