"""A gradient-boosted tree ensemble read from JSON and evaluated with numpy, with the features that
decided each verdict.

The ensemble is what scripts/train_line_model.py exports from scikit-learn: a base score and trees
whose nodes are flat lists (feature index, -1 at a leaf; threshold, go left when the value is at
most it; left and right child; value). Cleaning never imports scikit-learn: all trees are walked
together, one level at a time, over all lines of a document, as many levels as the deepest tree
has; a leaf is its own child both ways, so a walk that reached it stays there without a test of
which walks are done (that test and the arrays it filters cost more than the steps it saves).
Why a line got its score is told by the path it took (Saabas' attribution): each split credits
the change of the expected score to the feature it tested, the value of an inner node being the
mean of its leaves' weighted by the training lines that reached them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np


class EnsembleError(ValueError):
    """Trees that cannot be evaluated; the message says why."""


@dataclass(frozen=True)
class TreeEnsemble:
    """All trees' nodes in flat arrays: node k of tree t is at roots[t] + k. A leaf tests feature 0
    against infinity and has itself as both children (a NaN goes right, as trained, and stays)."""

    base: float
    roots: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray
    children: np.ndarray  # node k's left child at 2k, its right child at 2k + 1
    value: np.ndarray
    depth: int  # the levels of the deepest tree

    @classmethod
    def from_json(cls, data: dict[str, Any], features: int) -> TreeEnsemble:
        """The ensemble of a model file's `base` and `trees`; EnsembleError when a tree is broken."""
        roots, feature, threshold, left, right, value = [], [], [], [], [], []
        depth = [0]
        for tree in data["trees"]:
            offset = len(feature)
            size = len(tree["feature"])
            parts = (tree["threshold"], tree["left"], tree["right"], tree["value"])
            if size == 0 or any(len(part) != size for part in parts):
                raise EnsembleError("a tree's node lists differ in length")
            for k in range(size):
                f = int(tree["feature"][k])
                if f >= features or not (0 <= tree["left"][k] < size and 0 <= tree["right"][k] < size):
                    raise EnsembleError("a tree's node points outside it")
                if f >= 0 and (tree["left"][k] <= k or tree["right"][k] <= k):
                    raise EnsembleError("a tree's node points back up the tree")
            roots.append(offset)
            levels = [0] * size
            for k in range(size):
                leaf = int(tree["feature"][k]) < 0
                feature.append(0 if leaf else int(tree["feature"][k]))
                threshold.append(math.inf if leaf else float(tree["threshold"][k]))
                left.append(offset + (k if leaf else int(tree["left"][k])))
                right.append(offset + (k if leaf else int(tree["right"][k])))
                value.append(float(tree["value"][k]))
                if not leaf:  # children stand after their parent: their level is known in order
                    levels[tree["left"][k]] = levels[tree["right"][k]] = levels[k] + 1
            depth.append(max(levels))
        return cls(
            float(data["base"]),
            np.array(roots, dtype=np.int64),
            np.array(feature, dtype=np.int64),
            np.array(threshold),
            np.column_stack([left, right]).astype(np.int64).ravel(),
            np.array(value),
            max(depth),
        )

    def _leaves(self, rows: np.ndarray, explain: bool) -> tuple[np.ndarray, np.ndarray | None]:
        """Each row's leaf in every tree, and (explain) each row's credit per feature. All (row,
        tree) pairs step down together, a level at a time, `depth` levels: a pair at its leaf
        steps to the leaf again and credits nothing."""
        count, trees = rows.shape[0], len(self.roots)
        node = np.tile(self.roots, count)  # pair k is row k // trees, tree k % trees
        start = np.repeat(np.arange(count) * rows.shape[1], trees)  # where each pair's row starts in `flat`
        flat = rows.ravel()
        credit = np.zeros(rows.shape) if explain else None
        for _ in range(self.depth):
            cell = start + self.feature.take(node)
            right = np.logical_not(flat.take(cell) <= self.threshold.take(node))  # at most goes left, as trained
            child = self.children.take(2 * node + right)
            if credit is not None:
                np.add.at(credit.ravel(), cell, self.value.take(child) - self.value.take(node))
            node = child
        return node.reshape(count, trees), credit

    def scores(self, rows: np.ndarray) -> np.ndarray:
        """The ensemble's log-odds for each row."""
        if rows.shape[0] == 0:
            return np.zeros(0)
        parts = []
        for chunk in _chunks(rows):
            leaves, _ = self._leaves(chunk, explain=False)
            parts.append(self.base + self.value[leaves].sum(axis=1))
        return np.concatenate(parts)

    def credits(self, rows: np.ndarray) -> np.ndarray:
        """Per row and feature, how much the feature moved the row's log-odds from the trees' mean."""
        if rows.shape[0] == 0:
            return np.zeros(rows.shape)
        return np.concatenate([self._leaves(chunk, explain=True)[1] for chunk in _chunks(rows)])


# Rows walked at once: the walk holds several arrays of rows x trees; in blocks of this many a
# document of half a million lines needs a few tens of MB for them instead of gigabytes.
_ROWS_AT_ONCE = 2048


def _chunks(rows: np.ndarray) -> list[np.ndarray]:
    return [rows[start : start + _ROWS_AT_ONCE] for start in range(0, rows.shape[0], _ROWS_AT_ONCE)]


def probabilities(scores: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(scores, -50.0, 50.0)))
