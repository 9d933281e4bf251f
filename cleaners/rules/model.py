"""The learned block classifier: what the rules left, scored line by line by a small linear model.

The model is a logistic regression over the features of `cleaners.block_features`, trained by
`scripts/train_block_model.py` on the first half (by id) of the L3S-GN1 benchmark and shipped as
`cleaners/block_model.json` (its means, scales, weights, threshold and provenance). It runs after
every rule, so it only judges lines that no rule explained. Its reason names the features that
pushed the line's score up most, so that a wrong removal can be traced to what decided it.

Three rules share one scoring of the document and split what it removes by form, so that the log
says what kind of debris each line is: sentences in the voice of a conversation (first or second
person, thanks) are comments (`comments.block_model`), other sentences teasers of other stories
(`related_links.block_model`), and lines that are not sentences menus, labels and footers
(`navigation.block_model`).
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

from ..block_features import FEATURE_NAMES, block_features
from ..model import Hit
from ..rule import Rule
from ..view import DocumentView

SHIPPED_MODEL = "block_model.json"
_SENTENCE = FEATURE_NAMES.index("sentence")
_CONVERSATIONAL = FEATURE_NAMES.index("conversational_share")


class ModelFileError(ValueError):
    """A model file that cannot be used; the message says why."""


@dataclass(frozen=True)
class BlockModel:
    """A standardized logistic regression: p = sigmoid(intercept + sum(w * (x - mean) / scale))."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    intercept: float
    threshold: float

    def contributions(self, values: list[float]) -> list[float]:
        return [w * (x - m) / s for w, x, m, s in zip(self.weights, values, self.mean, self.scale, strict=True)]

    def probability(self, contributions: list[float]) -> float:
        z = self.intercept + sum(contributions)
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


@lru_cache(maxsize=4)
def load_model(path: str = "") -> BlockModel:
    """The shipped model, or the one at `path`; refused when its features are not this version's."""
    try:
        if path:
            raw = Path(path).read_text(encoding="utf-8")
        else:
            raw = resources.files("cleaners").joinpath(SHIPPED_MODEL).read_text(encoding="utf-8")
        data = json.loads(raw)
        model = BlockModel(
            tuple(data["features"]),
            tuple(float(v) for v in data["mean"]),
            tuple(float(v) if v else 1.0 for v in data["scale"]),
            tuple(float(v) for v in data["weights"]),
            float(data["intercept"]),
            float(data["threshold"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelFileError(f"block model {path or SHIPPED_MODEL} cannot be read: {exc}") from None
    if model.features != FEATURE_NAMES:
        raise ModelFileError(
            f"block model {path or SHIPPED_MODEL} was trained on other features; retrain it with "
            "scripts/train_block_model.py"
        )
    return model


_BINARY = frozenset(
    {
        "ends_sentence", "ends_with_ellipsis", "prose", "sentence", "separator", "date_line", "in_body",
        "in_headline_zone", "justext_good", "has_terms", "question_or_exclamation", "starts_lowercase",
    }
)  # fmt: skip


def _describe(name: str, value: float) -> str:
    """A feature as a person reads it: counts instead of logarithms, yes or no for flags."""
    if name in _BINARY:
        return f"{name.replace('_', ' ')}: {'yes' if value else 'no'}"
    if name.startswith("log_") and "_x_" not in name:
        return f"{name[4:].replace('_', ' ')} {math.expm1(value):.0f}"
    if name.endswith("_distance") or name == "paragraph_lines":
        return f"{name.replace('_', ' ')} {math.expm1(value):.0f}"
    return f"{name.replace('_', ' ')} {value:.2f}"


def _kind(values: list[float]) -> str:
    if not values[_SENTENCE]:
        return "navigation"
    return "comments" if values[_CONVERSATIONAL] > 0 else "related_links"


def scores(doc: DocumentView) -> dict[int, tuple[float, str, str]]:
    """Block index -> (probability of boilerplate, the features that decided, the kind of debris)
    for the lines the model removes, once a document: later rules read what the first computed,
    before its removals change the view."""
    cached = doc.notes.get("block_model")
    if cached is not None:
        return cached
    config = doc.settings["block_model"]
    model = load_model(config["model_file"])
    top = config["reason_features"]
    result: dict[int, tuple[float, str, str]] = {}
    for block, values in block_features(doc, config):
        parts = model.contributions(values)
        probability = model.probability(parts)
        if probability >= model.threshold:
            order = sorted(range(len(parts)), key=lambda i: parts[i], reverse=True)[:top]
            deciding = ", ".join(_describe(model.features[i], values[i]) for i in order if parts[i] > 0)
            result[block.index] = (probability, deciding, _kind(values))
    doc.notes["block_model"] = result
    return result


class _BlockModelRule(Rule):
    """The learned block model's verdicts of one category."""

    guarded = True
    on_extracted_html = False  # trained on naive page text, not on an extractor's output
    corpus_statistics = True  # its features count the documents that share a line
    needs_model = True

    def find(self, doc: DocumentView) -> Iterator[Hit]:
        judged = scores(doc)
        for block in doc.kept():
            if block.index in judged and judged[block.index][2] == self.category:
                probability, deciding, _ = judged[block.index]
                yield self.whole(
                    block,
                    f"the block model scores it boilerplate (p={probability:.2f}); deciding: {deciding}",
                )


class NavigationBlockModel(_BlockModelRule):
    id = "navigation.block_model"
    category = "navigation"
    description = "Lines the rules left that the learned model scores as boilerplate and are not sentences."


class CommentsBlockModel(_BlockModelRule):
    id = "comments.block_model"
    category = "comments"
    description = "Sentences in a conversation's voice that the learned model scores as boilerplate."


class RelatedBlockModel(_BlockModelRule):
    id = "related_links.block_model"
    category = "related_links"
    description = "Other sentences the learned model scores as boilerplate: teasers of other stories."


def model_digest(path: str) -> str:
    """The model file's content as part of the rules version: a new model is a new version."""
    load_model(path)  # refuses a file that cannot be used, with the reason
    raw = Path(path).read_bytes() if path else resources.files("cleaners").joinpath(SHIPPED_MODEL).read_bytes()
    return hashlib.sha256(raw).hexdigest()[:10]
