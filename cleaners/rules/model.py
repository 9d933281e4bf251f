"""The learned line model: every line judged once the rules have run, with what the rules decided.

The model is a gradient-boosted tree ensemble over the features of `cleaners.line_features` (a
line's form, its place relative to the article's body, its neighbours, and which rule took it and
its neighbours), trained by `scripts/train_line_model.py` on wcxb-dev and the first half of
L3S-GN1 with labels derived from the human gold text, and shipped as `cleaners/line_model.json`.
It runs after every rule and gives two verdicts:

- a line the rules kept that it scores as boilerplate is removed, by one of three rules that say
  what kind of debris it is by its form: sentences in the voice of a conversation (first or second
  person, thanks) are comments (`comments.block_model`), other sentences teasers of other stories
  (`related_links.block_model`), and lines that are not sentences menus, labels and footers
  (`navigation.block_model`);
- a line that a revisable rule took (one that judges by a document's structure or statistics, not
  by the line's own form) and that it scores as the article's is given back; the document's record
  lists it under `taken_back` with the rule that had taken it.

Each verdict's reason names the features that moved the line's score most that way.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from ..line_features import FEATURE_NAMES, TEXT_CATEGORIES, line_features
from ..model import Hit
from ..rule import Rule
from ..trees import EnsembleError, TreeEnsemble, probabilities
from ..view import DocumentView

SHIPPED_MODEL = "line_model.json"
# Where a document's verdicts are kept (DocumentView.notes) once the model's first rule ran.
VERDICTS_NOTE = "line_model"
_SENTENCE = FEATURE_NAMES.index("sentence")
_CONVERSATIONAL = FEATURE_NAMES.index("conversational_share")


class ModelFileError(ValueError):
    """A model file that cannot be used; the message says why."""


@dataclass(frozen=True)
class LineModel:
    """The trees (log-odds that a line is the article's) and the two decision thresholds."""

    trees: TreeEnsemble
    remove_at: float  # P(boilerplate) at or above which a kept line is removed
    take_back_at: float  # P(article) at or above which a revisable rule's line is given back
    # The writing systems of the pages it was trained on (`text.main_script`): on a document in
    # another, its features (capitals, stopwords, lengths) mean what it never saw, and the rules'
    # decisions stand.
    scripts: frozenset[str]


@lru_cache(maxsize=4)
def load_model(path: str = "") -> LineModel:
    """The shipped model, or the one at `path`; refused when its features are not this version's."""
    try:
        if path:
            raw = Path(path).read_text(encoding="utf-8")
        else:
            raw = resources.files("cleaners").joinpath(SHIPPED_MODEL).read_text(encoding="utf-8")
        data = json.loads(raw)
        if tuple(data["features"]) != FEATURE_NAMES:
            raise ModelFileError(
                f"line model {path or SHIPPED_MODEL} was trained on other features; retrain it with "
                "scripts/train_line_model.py"
            )
        if not isinstance(data.get("scripts"), list) or not data["scripts"]:
            raise ModelFileError(
                f"line model {path or SHIPPED_MODEL} does not say which writing systems it was trained on "
                "(`scripts`); retrain it with scripts/train_line_model.py"
            )
        model = LineModel(
            TreeEnsemble.from_json(data, len(FEATURE_NAMES)),
            float(data["remove_at"]),
            float(data["take_back_at"]),
            frozenset(str(script) for script in data["scripts"]),
        )
    except ModelFileError:
        raise
    except (OSError, ValueError, KeyError, TypeError, EnsembleError) as exc:
        raise ModelFileError(f"line model {path or SHIPPED_MODEL} cannot be read: {exc}") from None
    return model


_BINARY = frozenset(
    {
        "ends_sentence", "ends_with_ellipsis", "ends_with_colon", "prose", "sentence", "separator",
        "list_marker", "date_line", "in_body", "in_headline_zone", "justext_good", "has_terms",
        "question_or_exclamation", "starts_lowercase", "previous_prose", "next_prose", "taken",
        "taken_revisable", "previous_taken", "next_taken", *(f"taken_{c}" for c in TEXT_CATEGORIES),
    }
)  # fmt: skip
_COUNTS = frozenset(
    {
        "before_body_distance", "after_body_distance", "nearest_kept_prose_distance", "paragraph_lines",
        "taken_run_lines", "document_log_lines",
    }
)  # fmt: skip


def _describe(name: str, value: float) -> str:
    """A feature as a person reads it: counts instead of logarithms, yes or no for flags."""
    label = name.replace("_", " ")
    if name in _BINARY:
        return f"{label}: {'yes' if value else 'no'}"
    if name.startswith("log_") or name.endswith("_log_words") or name in _COUNTS:
        return f"{label.replace('log ', '')} {math.expm1(value):.0f}"
    return f"{label} {value:.2f}"


def _kind(values: np.ndarray) -> str:
    if not values[_SENTENCE]:
        return "navigation"
    return "comments" if values[_CONVERSATIONAL] > 0 else "related_links"


@dataclass(frozen=True)
class Verdicts:
    """The model's verdicts on one document, by block index: (probability, the features that
    decided, the kind of debris) for lines to remove, (probability, the features) for lines to
    give back."""

    remove: dict[int, tuple[float, str, str]]
    give_back: dict[int, tuple[float, str]]
    not_applied: str = ""  # why the model did not judge the document, when it did not


def _deciding(ensemble: TreeEnsemble, rows: np.ndarray, sign: float, top: int) -> list[str]:
    """For each row, the `top` features that moved its log-odds most in the direction `sign`."""
    credits = ensemble.credits(rows) * sign
    named = []
    for row, credit in zip(rows, credits, strict=True):
        order = [int(i) for i in np.argsort(-credit, kind="stable")[:top] if credit[i] > 0]
        named.append(", ".join(_describe(FEATURE_NAMES[i], float(row[i])) for i in order))
    return named


def verdicts(doc: DocumentView) -> Verdicts:
    """The model's verdicts, once a document: computed when its first rule runs (after every other
    rule), read by the others and by the pipeline, which gives the lines back. On a document in a
    script the model was not trained on, none, and `not_applied` says why."""
    cached = doc.notes.get(VERDICTS_NOTE)
    if cached is not None:
        return cached
    config = doc.settings["block_model"]
    model = load_model(config["model_file"])
    if doc.main_script() not in model.scripts:
        trained = ", ".join(sorted(model.scripts))
        why = f"trained on pages in {trained} script, this document is in {doc.main_script()}: the rules decide"
        doc.notes[VERDICTS_NOTE] = Verdicts({}, {}, why)
        return doc.notes[VERDICTS_NOTE]
    judged, rows = line_features(doc, config)
    article = probabilities(model.trees.scores(rows))
    remove, give_back = [], []  # positions in `judged`
    tables = doc.table_lines()  # the article's structure: left alone, as the rules leave it
    for position, index in enumerate(judged):
        p = article[position]
        if not doc.taken[index]:
            if 1.0 - p >= model.remove_at and index not in tables:
                remove.append(position)
        elif p >= model.take_back_at:
            give_back.append(position)
    top = config["reason_features"]
    removed_why = _deciding(model.trees, rows[remove], -1.0, top)
    given_why = _deciding(model.trees, rows[give_back], 1.0, top)
    result = Verdicts(
        {judged[k]: (1.0 - float(article[k]), why, _kind(rows[k])) for k, why in zip(remove, removed_why, strict=True)},
        {judged[k]: (float(article[k]), why) for k, why in zip(give_back, given_why, strict=True)},
    )
    doc.notes[VERDICTS_NOTE] = result
    return result


class _LineModelRule(Rule):
    """The learned line model's removals of one category."""

    guarded = True
    on_extracted_html = False  # trained on naive page text, not on an extractor's output
    corpus_statistics = True  # its features count the documents that share a line
    needs_model = True

    def find(self, doc: DocumentView) -> Iterator[Hit]:
        judged = verdicts(doc).remove
        for block in doc.kept():
            if block.index in judged and judged[block.index][2] == self.category:
                probability, deciding, _ = judged[block.index]
                yield self.whole(
                    block,
                    f"the line model scores it boilerplate (p={probability:.2f}); deciding: {deciding}",
                )


class NavigationBlockModel(_LineModelRule):
    id = "navigation.block_model"
    category = "navigation"
    description = "Lines the line model scores as boilerplate that are not sentences."


class CommentsBlockModel(_LineModelRule):
    id = "comments.block_model"
    category = "comments"
    description = "Sentences in a conversation's voice that the line model scores as boilerplate."


class RelatedBlockModel(_LineModelRule):
    id = "related_links.block_model"
    category = "related_links"
    description = "Other sentences the line model scores as boilerplate: teasers of other stories."


def model_digest(path: str) -> str:
    """The model file's content as part of the rules version: a new model is a new version."""
    load_model(path)  # refuses a file that cannot be used, with the reason
    raw = Path(path).read_bytes() if path else resources.files("cleaners").joinpath(SHIPPED_MODEL).read_bytes()
    return hashlib.sha256(raw).hexdigest()[:10]
