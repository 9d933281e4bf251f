"""A text's topic: the content words that carry it, and how much of their weight another text shares.

Topic rules (an off-topic story glued to the article, a list of other stories' teasers) and the
block model's coherence feature measure the same thing: the IDF-weighted share of a line's content
words that the article uses. `coherence` is that one measure.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Iterable
from typing import Any

from .text import WORD_RE, per_document_cache
from .view import BatchStats

# Scripts written without spaces between words: kana, Han, Hangul, Thai, Lao, Khmer, Myanmar.
_UNSPACED_SCRIPT_RE = re.compile(
    r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)


_SENTENCE_BREAK_RE = re.compile(r"[.!?:“\"«]")


def _cjk_bigrams(token: str) -> list[str]:
    return [token[i : i + 2] for i in range(len(token) - 1)]


@per_document_cache
def content_terms(text: str, stopwords: frozenset[str]) -> dict[str, bool]:
    """The topic-bearing words of a text, each with whether it was used as a name.

    Lower-cased words of three letters or more that are not stopwords or numbers; a word written
    with a capital inside a sentence counts as a name. Scripts written without spaces give
    character bigrams instead of words.
    """
    terms: dict[str, bool] = {}
    first = True
    unspaced = _UNSPACED_SCRIPT_RE.search(text) is not None  # most texts have none: one search, not one a word
    previous_end = 0
    for match in WORD_RE.finditer(text):
        # The gap is what stands between two words (one regex over gap and word would try every
        # start inside a long gap again: quadratic on a line of ". . . .").
        gap, token = text[previous_end : match.start()], match.group()
        previous_end = match.end()
        sentence_start = first or bool(gap and _SENTENCE_BREAK_RE.search(gap))
        first = False
        if unspaced and _UNSPACED_SCRIPT_RE.search(token):
            for bigram in _cjk_bigrams(token):
                terms.setdefault(bigram, False)
            continue
        lower = token.lower()
        if len(lower) < 3 or lower in stopwords or lower.isdigit():
            continue
        if token[0].isupper() and not sentence_start:
            terms[lower] = True
        else:
            terms.setdefault(lower, False)
    return terms


def term_set(text: str, stopwords: frozenset[str]) -> set[str]:
    """The words of a text that can carry a topic (three letters or more, not a number, not in
    `stopwords`), without the name flags: what the corpus statistics count (with no stoplist)."""
    tokens = WORD_RE.findall(text.lower())
    if _UNSPACED_SCRIPT_RE.search(text) is None:
        return {token for token in set(tokens) if len(token) >= 3 and token not in stopwords and not token.isdigit()}
    terms = set()
    for token in tokens:
        if _UNSPACED_SCRIPT_RE.search(token):
            terms.update(_cjk_bigrams(token))
        elif len(token) >= 3 and token not in stopwords and not token.isdigit():
            terms.add(token)
    return terms


def coherence(
    terms: dict[str, bool], shared: Callable[[str], bool], batch: BatchStats, prior: int, name_weight: float
) -> float:
    """The IDF-weighted share of these content words (name flags as content_terms gives them) for
    which `shared` holds; 1 when they weigh nothing. Names weigh `name_weight` times as much, and
    IDF is smoothed by a prior of `prior` documents."""
    total = in_common = 0.0
    for term, is_name in terms.items():
        weight = batch.term_weight(term, is_name, prior, name_weight)
        total += weight
        if shared(term):
            in_common += weight
    return in_common / total if total else 1.0


def reference_coherence(terms: dict[str, bool], reference: set[str], batch: BatchStats, settings: Any) -> float:
    """`coherence` of these content words with a reference's words, IDF smoothed and names weighed
    as a topic rule's settings say (`idf_prior_docs`, `name_weight`)."""
    return coherence(terms, reference.__contains__, batch, settings.idf_prior_docs, settings.name_weight)


def median_coherence(
    texts: Iterable[str], reference: set[str], stopwords: frozenset[str], batch: BatchStats, settings: Any
) -> float:
    """The median `reference_coherence` of a list's entries (their `content_terms`) with a
    reference's words: how much a list of teasers is about the text it stands beside."""
    return statistics.median(
        reference_coherence(content_terms(text, stopwords), reference, batch, settings) for text in texts
    )
