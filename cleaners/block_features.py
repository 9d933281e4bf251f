"""Features of the lines the rules left, for the learned block classifier.

Each feature is a number that describes a line's form (length, punctuation, capitals, stopwords),
its place relative to the article's body, what jusText makes of it, how many documents of the batch
share it, and the same few measures of its neighbours, because a short line inside the body is a
subheading while the same line among menu items is navigation. Names are part of the model file:
the model is refused when they differ.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

from .model import Block
from .text import batch_line_key, ends_with_ellipsis, is_date_line, word_count, words
from .topics import coherence, content_terms
from .view import DocumentView

FEATURE_NAMES: tuple[str, ...] = (
    "log_words",
    "log_chars",
    "mean_word_length",
    "ends_sentence",
    "ends_with_ellipsis",
    "prose",
    "sentence",
    "stopword_share",
    "capitalized_share",
    "digit_share",
    "punctuation_share",
    "separator",
    "date_line",
    "position",
    "in_body",
    "before_body_distance",
    "after_body_distance",
    "in_headline_zone",
    "justext_good",
    "log_shared_documents",
    "previous_prose",
    "next_prose",
    "window_prose_share",
    "window_log_words",
    "window_justext_good",
    "window_short_share",
    "paragraph_lines",
    "log_words_x_outside_body",
    "sentence_x_outside_body",
    "topic_coherence",
    "has_terms",
    "conversational_share",
    "question_or_exclamation",
    "starts_lowercase",
)

_SEPARATOR_RE = re.compile(r"[|»›•·■▪►>/]")
_WINDOW = 3


def _shape(
    block: Block, view: DocumentView, conversational: frozenset[str], date_words: frozenset[str]
) -> dict[str, float]:
    """The line's own measures. Character counts go through str methods mapped in C: this runs on
    every line the rules leave, so a Python loop per character would cost more than a rule."""
    text = block.text
    tokens = words(text)
    count = len(tokens)
    chars = max(1, len(text))
    lowered = [t.lower() for t in tokens]
    letters_words = [t for t in tokens if t[:1].isalpha()]
    stopwords = view.stopwords
    sentence = view.is_sentence(block)
    alnum = sum(map(str.isalnum, text))
    spaces = sum(map(str.isspace, text))
    return {
        "log_words": math.log1p(count),
        "log_chars": math.log1p(len(text)),
        "mean_word_length": min(15.0, sum(map(len, tokens)) / count) if count else 0.0,
        "ends_sentence": float(sentence or text.rstrip()[-1:] in ".!?。！？"),
        "ends_with_ellipsis": float(ends_with_ellipsis(text)),
        "prose": float(view.is_prose(block)),
        "sentence": float(sentence),
        "stopword_share": sum(map(stopwords.__contains__, lowered)) / count if count else 0.0,
        "capitalized_share": (
            sum(1 for t in letters_words if t[0].isupper()) / len(letters_words) if letters_words else 0.0
        ),
        "digit_share": sum(map(str.isdigit, text)) / chars,
        "punctuation_share": (len(text) - alnum - spaces) / chars,
        "separator": float(bool(_SEPARATOR_RE.search(text))),
        "date_line": float(is_date_line(text, date_words)),
        "conversational_share": sum(map(conversational.__contains__, lowered)) / count if count else 0.0,
        "question_or_exclamation": float("?" in text or "!" in text),
        "starts_lowercase": float(text[:1].islower()),
    }


def _line_coherences(
    kept: list[Block], reference: list[int], view: DocumentView, config: dict[str, Any]
) -> list[float]:
    """For each line, the IDF-weighted share of its content words that the article's body and head
    use elsewhere (its own use not counted): teasers of other stories share few."""
    terms = [content_terms(block.text, view.stopwords) for block in kept]
    counts: Counter[str] = Counter()
    for i in reference:
        counts.update(terms[i])
    in_reference = set(reference)
    return [
        coherence(
            line_terms,
            lambda term, own=int(i in in_reference): counts[term] - own > 0,
            view.batch,
            config["idf_prior_docs"],
            config["name_weight"],
        )
        for i, line_terms in enumerate(terms)
    ]


def block_features(view: DocumentView, config: dict[str, Any]) -> list[tuple[Block, list[float]]]:
    """Every kept line of the document with its feature vector, in FEATURE_NAMES order."""
    kept = view.kept()
    if not kept:
        return []
    bounds = view.body_bounds()
    head = view.headline_zone()
    classes = view.justext_classes(kept) or ["bad"] * len(kept)
    frequency = view.batch.line_frequency
    conversational = frozenset(w.lower() for w in config["conversational_words"].get(view.language, []))
    date_words = frozenset(view.text_settings["date_words"])
    shapes = [_shape(block, view, conversational, date_words) for block in kept]
    short_max = view.text_settings["short_line_max_words"]
    paragraph_sizes: dict[int, int] = {}
    for block in kept:
        paragraph_sizes[block.paragraph] = paragraph_sizes.get(block.paragraph, 0) + 1
    if bounds is None:
        body_first = body_last = None
    else:
        positions = [i for i, b in enumerate(kept) if bounds[0] <= b.index <= bounds[1]]
        body_first, body_last = positions[0], positions[-1]
    reference = [
        i for i, b in enumerate(kept) if b.index in head or (bounds is not None and bounds[0] <= b.index <= bounds[1])
    ]
    coherences = _line_coherences(kept, reference, view, config)
    last = max(1, len(kept) - 1)
    rows = []
    for i, block in enumerate(kept):
        shape = shapes[i]
        window = [j for j in range(max(0, i - _WINDOW), min(len(kept), i + _WINDOW + 1)) if j != i]
        size = max(1, len(window))
        if body_first is None:
            in_body, before, after = 0.0, 0.0, 0.0
        else:
            in_body = float(body_first <= i <= body_last)
            before = math.log1p(body_first - i) if i < body_first else 0.0
            after = math.log1p(i - body_last) if i > body_last else 0.0
        outside = 1.0 - in_body
        features = {
            **shape,
            "position": i / last,
            "in_body": in_body,
            "before_body_distance": before,
            "after_body_distance": after,
            "in_headline_zone": float(block.index in head),
            "justext_good": float(classes[i] == "good"),
            "log_shared_documents": math.log1p(max(0, frequency.get(batch_line_key(block.text), 1) - 1)),
            "previous_prose": shapes[i - 1]["prose"] if i > 0 else 0.0,
            "next_prose": shapes[i + 1]["prose"] if i + 1 < len(kept) else 0.0,
            "window_prose_share": sum(shapes[j]["prose"] for j in window) / size,
            "window_log_words": sum(shapes[j]["log_words"] for j in window) / size,
            "window_justext_good": sum(1.0 for j in window if classes[j] == "good") / size,
            "window_short_share": sum(1.0 for j in window if word_count(kept[j].text) <= short_max) / size,
            "paragraph_lines": math.log1p(paragraph_sizes[block.paragraph]),
            "log_words_x_outside_body": shape["log_words"] * outside,
            "sentence_x_outside_body": shape["sentence"] * outside,
            "topic_coherence": coherences[i],
            "has_terms": float(bool(content_terms(block.text, view.stopwords))),
        }
        rows.append((block, [features[name] for name in FEATURE_NAMES]))
    return rows
