"""Features of every line of a document once the rules have run, for the learned line model.

A line is described by its own form (length, punctuation, capitals, stopwords, a list marker), by
its place relative to the article's body, by what jusText makes of it, by how many documents share
it, by the same measures of its neighbours (a short line inside the body is a subheading, the same
line among menu items is navigation), and by what the rules decided about it and around it: which
category of rule took it, whether that rule judged by statistics (the model may take such a line
back), and how much of the neighbourhood and of the document the rules took. Names are part of the
model file: a model trained on other features is refused.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from itertools import accumulate
from typing import Any

import numpy as np

from .model import Block
from .registry import CATEGORIES
from .text import (
    TERMINAL,
    batch_line_key,
    character_classes,
    ends_with_colon,
    ends_with_ellipsis,
    is_date_line,
    word_count,
    words,
)
from .topics import coherence, content_terms
from .view import DocumentView

# The categories a text rule takes a line under (one feature each; the extractor's runs before
# the model is never asked).
TEXT_CATEGORIES: tuple[str, ...] = tuple(c for c in CATEGORIES if c != "html_boilerplate")

SHAPE_NAMES: tuple[str, ...] = (
    "log_words",
    "log_chars",
    "mean_word_length",
    "ends_sentence",
    "ends_with_ellipsis",
    "ends_with_colon",
    "prose",
    "sentence",
    "stopword_share",
    "capitalized_share",
    "digit_share",
    "punctuation_share",
    "separator",
    "list_marker",
    "date_line",
    "conversational_share",
    "question_or_exclamation",
    "starts_lowercase",
)

FEATURE_NAMES: tuple[str, ...] = (
    *SHAPE_NAMES,
    "position",
    "in_body",
    "before_body_distance",
    "after_body_distance",
    "in_headline_zone",
    "nearest_kept_prose_distance",
    "justext_good",
    "log_shared_documents",
    "previous_prose",
    "next_prose",
    "previous_log_words",
    "next_log_words",
    "window_prose_share",
    "window_log_words",
    "window_justext_good",
    "window_short_share",
    "window_list_marker_share",
    "paragraph_lines",
    "topic_coherence",
    "has_terms",
    "taken",
    "taken_revisable",
    *(f"taken_{category}" for category in TEXT_CATEGORIES),
    "taken_run_lines",
    "previous_taken",
    "next_taken",
    "window_taken_share",
    "document_taken_share",
    "document_log_lines",
    "document_prose_share",
)

_SEPARATOR_RE = re.compile(r"[|»›•·■▪►>/]")
_LIST_MARKER_RE = re.compile(r"^(?:[-–—•·*▪►✓✔→]|\d{1,3}[.)]|[a-zA-Z][.)]\s|\(\d{1,3}\))")
_WINDOW = 3


def _shape(
    block: Block,
    view: DocumentView,
    common: tuple[float, float, float],
    conversational: frozenset[str],
    date_words: frozenset[str],
) -> list[float]:
    """The line's own measures, in SHAPE_NAMES order (`common`: its log words, prose and list
    marker, which every line's neighbours read). Characters are counted in C (`character_classes`):
    this runs on most lines, so a Python loop per character would cost more than a rule."""
    text = block.text
    tokens = words(text)
    count = len(tokens)
    chars = max(1, len(text))
    lowered = [t.lower() for t in tokens]
    letters_words = [t for t in tokens if t[:1].isalpha()]
    sentence = view.is_sentence(block)
    alnum, spaces, digits = character_classes(text)
    last = text.rstrip()[-1:]
    log_words, prose, list_marker = common
    return [
        log_words,
        math.log1p(len(text)),
        min(15.0, sum(map(len, tokens)) / count) if count else 0.0,
        float(sentence or last in TERMINAL),
        float(ends_with_ellipsis(text)),
        float(ends_with_colon(text)),
        prose,
        float(sentence),
        sum(map(view.stopwords.__contains__, lowered)) / count if count else 0.0,
        sum(1 for t in letters_words if t[0].isupper()) / len(letters_words) if letters_words else 0.0,
        digits / chars,
        (len(text) - alnum - spaces) / chars,
        float(bool(_SEPARATOR_RE.search(text))),
        list_marker,
        float(is_date_line(text, date_words)),
        sum(map(conversational.__contains__, lowered)) / count if count else 0.0,
        float("?" in text or "!" in text),
        float(text[:1].islower()),
    ]


_PROSE = SHAPE_NAMES.index("prose")
_LOG_WORDS = SHAPE_NAMES.index("log_words")
_LIST_MARKER = SHAPE_NAMES.index("list_marker")


def _coherences(
    view: DocumentView, reference: set[int], judged: list[int], config: dict[str, Any]
) -> tuple[list[float], list[bool]]:
    """For each judged line, the IDF-weighted share of its content words that the article's body
    and head use elsewhere (its own use not counted), and whether it has content words at all."""
    terms = {i: content_terms(view.blocks[i].text, view.stopwords) for i in sorted(reference.union(judged))}
    counts: Counter[str] = Counter()
    for i in reference:
        counts.update(terms[i])
    values = [
        coherence(
            terms[i],
            lambda term, own=int(i in reference): counts[term] - own > 0,
            view.batch,
            config["idf_prior_docs"],
            config["name_weight"],
        )
        for i in judged
    ]
    return values, [bool(terms[i]) for i in judged]


def _window_sums(values: list[float]) -> list[float]:
    """For each position, the sum of the values of the _WINDOW positions on each side (itself not),
    added in order from the first, as a loop over the window would (so that the sum of fractions
    is the same to the last bit)."""
    count = len(values)
    return [
        sum(values[i + 1 : min(count, i + _WINDOW + 1)], sum(values[max(0, i - _WINDOW) : i])) for i in range(count)
    ]


def _window_counts(flags: list[bool]) -> list[int]:
    """For each position, how many of the _WINDOW positions on each side (itself not) are set."""
    count = len(flags)
    running = [0, *accumulate(flags)]
    return [running[min(count, i + _WINDOW + 1)] - running[max(0, i - _WINDOW)] - flags[i] for i in range(count)]


def _distance(index: int, first: int, last: int) -> tuple[float, float, float]:
    """in the span, log distance above it, log distance below it."""
    if index < first:
        return 0.0, math.log1p(first - index), 0.0
    if index > last:
        return 0.0, 0.0, math.log1p(index - last)
    return 1.0, 0.0, 0.0


def line_features(view: DocumentView, config: dict[str, Any]) -> tuple[list[int], np.ndarray]:
    """The lines the model judges (kept, or taken by a revisable rule), by block index, and their
    feature vectors in FEATURE_NAMES order, a row each; what the rules decided is the view's
    (`taken_by`, `revisable`). The measures neighbours read are computed for every line, the rest
    for the judged ones only. The rows fill one float array as they are made: as lists of Python
    floats a document of many short lines would need gigabytes for them."""
    blocks = view.blocks
    taken_by = view.taken_by
    taken = view.taken
    judged = [b.index for b in blocks if not taken[b.index] or taken_by[b.index] in view.revisable]
    rows = np.empty((len(judged), len(FEATURE_NAMES)))
    if not judged:
        return [], rows
    count = len(blocks)
    bounds = view.body_bounds()
    head = view.headline_zone()
    classes = view.justext_classes(blocks) or ["bad"] * count
    frequency = view.batch.line_frequency
    conversational = frozenset(w.lower() for w in config["conversational_words"].get(view.language, []))
    date_words = frozenset(view.text_settings["date_words"])
    kinds = view.line_kinds()
    log_words = [math.log1p(word_count(b.text)) for b in blocks]
    prose = [float(kinds[i][0]) for i in range(count)]
    list_marker = [float(bool(_LIST_MARKER_RE.match(b.text))) for b in blocks]
    short_max = view.text_settings["short_line_max_words"]
    window_words = _window_sums(log_words)
    windows = {
        name: _window_counts(flags)
        for name, flags in (
            ("prose", [p > 0 for p in prose]),
            ("good", [c == "good" for c in classes]),
            ("short", [word_count(b.text) <= short_max for b in blocks]),
            ("list_marker", [m > 0 for m in list_marker]),
            ("taken", taken),
        )
    }
    paragraph_sizes = Counter(b.paragraph for b in blocks)
    reference = {
        b.index for b in blocks if b.index in head or (bounds is not None and bounds[0] <= b.index <= bounds[1])
    }
    reference = {i for i in reference if not taken[i]}
    coherences, has_terms = _coherences(view, reference, judged, config)
    kept_prose = [i for i in range(count) if not taken[i] and prose[i]]
    total_words = sum(word_count(b.text) for b in blocks) or 1
    taken_words = sum(word_count(b.text) for b in blocks if taken[b.index])
    document = [
        taken_words / total_words,
        math.log1p(count),
        sum(1 for p in prose if p) / count,
    ]
    run_lines = [0] * count
    start = 0
    for i in range(1, count + 1):
        if i == count or taken_by[i] != taken_by[start]:
            for j in range(start, i):
                run_lines[j] = i - start if taken_by[start] else 0
            start = i
    last = max(1, count - 1)
    nearest = 0
    for position, i in enumerate(judged):
        block = blocks[i]
        shape = _shape(block, view, (log_words[i], prose[i], list_marker[i]), conversational, date_words)
        size = min(count, i + _WINDOW + 1) - max(0, i - _WINDOW) - 1 or 1
        body = (0.0, 0.0, 0.0) if bounds is None else _distance(i, bounds[0], bounds[1])
        while nearest + 1 < len(kept_prose) and abs(kept_prose[nearest + 1] - i) <= abs(kept_prose[nearest] - i):
            nearest += 1
        prose_distance = math.log1p(abs(kept_prose[nearest] - i)) if kept_prose else 5.0
        rule = taken_by[i]
        category = rule.split(".", 1)[0] if rule else ""
        rows[position] = [
            *shape,
            i / last,
            *body,
            float(i in head),
            prose_distance,
            1.0 if classes[i] == "good" else 0.0,
            math.log1p(max(0, frequency.get(batch_line_key(block.text), 1) - 1)),
            prose[i - 1] if i > 0 else 0.0,
            prose[i + 1] if i + 1 < count else 0.0,
            log_words[i - 1] if i > 0 else 0.0,
            log_words[i + 1] if i + 1 < count else 0.0,
            windows["prose"][i] / size,
            window_words[i] / size,
            windows["good"][i] / size,
            windows["short"][i] / size,
            windows["list_marker"][i] / size,
            math.log1p(paragraph_sizes[block.paragraph]),
            coherences[position],
            float(has_terms[position]),
            float(taken[i]),
            float(rule in view.revisable),
            *(float(category == c) for c in TEXT_CATEGORIES),
            math.log1p(run_lines[i]),
            float(taken[i - 1]) if i > 0 else 1.0,
            float(taken[i + 1]) if i + 1 < count else 1.0,
            windows["taken"][i] / size,
            *document,
        ]
    return judged, rows
