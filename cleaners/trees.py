"""A gradient-boosted tree ensemble read from JSON and evaluated with numpy, with the features that
decided each verdict.

The ensemble is what scripts/train_line_model.py exports from scikit-learn: a base score and trees
whose nodes are flat lists (feature index, -1 at a leaf; threshold, go left when the value is at
most it; left and right child; value). Cleaning never imports scikit-learn: all trees are walked
together, one level at a time, over all lines of a document. Why a line got its score is told by
the path it took (Saabas' attribution): each split credits the change of the expected score to the
feature it tested, the value of an inner node being the mean of its leaves' weighted by the
training lines that reached them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


class EnsembleError(ValueError):
    """Trees that cannot be evaluated; the message says why."""


@dataclass(frozen=True)
class TreeEnsemble:
    """All trees' nodes in flat arrays: node k of tree t is at roots[t] + k."""

    base: float
    roots: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray
    children: np.ndarray  # node k's left child at 2k, its right child at 2k + 1
    value: np.ndarray

    @classmethod
    def from_json(cls, data: dict[str, Any], features: int) -> TreeEnsemble:
        """The ensemble of a model file's `base` and `trees`; EnsembleError when a tree is broken."""
        roots, feature, threshold, left, right, value = [], [], [], [], [], []
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
            feature += [int(f) for f in tree["feature"]]
            threshold += [float(t) for t in tree["threshold"]]
            left += [offset + int(n) for n in tree["left"]]
            right += [offset + int(n) for n in tree["right"]]
            value += [float(v) for v in tree["value"]]
        return cls(
            float(data["base"]),
            np.array(roots, dtype=np.int64),
            np.array(feature, dtype=np.int64),
            np.array(threshold),
            np.column_stack([left, right]).astype(np.int64).ravel(),
            np.array(value),
        )

    def _leaves(self, rows: np.ndarray, explain: bool) -> tuple[np.ndarray, np.ndarray | None]:
        """Each row's leaf in every tree, and (explain) each row's credit per feature. All (row,
        tree) pairs step down together, a level at a time, those at a leaf dropping out; every
        child stands after its parent (from_json checks it), so the walk ends."""
        count, trees = rows.shape[0], len(self.roots)
        node = np.tile(self.roots, count)  # pair k is row k // trees, tree k % trees
        width = rows.shape[1]
        start = np.repeat(np.arange(count) * width, trees)  # where each pair's row starts in `flat`
        flat = rows.ravel()
        walking = np.arange(count * trees)
        credit = np.zeros(rows.shape) if explain else None
        while walking.size:
            at = node[walking]
            feature = self.feature[at]
            inner = feature >= 0
            walking, at, feature = walking[inner], at[inner], feature[inner]
            cell = start[walking] + feature
            right = ~(flat[cell] <= self.threshold[at])  # at most the threshold goes left, as trained
            child = self.children[2 * at + right]
            if credit is not None:
                np.add.at(credit.ravel(), cell, self.value[child] - self.value[at])
            node[walking] = child
        return node.reshape(count, trees), credit

    def scores(self, rows: np.ndarray) -> np.ndarray:
        """The ensemble's log-odds for each row."""
        if rows.shape[0] == 0:
            return np.zeros(0)
        leaves, _ = self._leaves(rows, explain=False)
        return self.base + self.value[leaves].sum(axis=1)

    def credits(self, rows: np.ndarray) -> np.ndarray:
        """Per row and feature, how much the feature moved the row's log-odds from the trees' mean."""
        return self._leaves(rows, explain=True)[1]


def probabilities(scores: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(scores, -50.0, 50.0)))
