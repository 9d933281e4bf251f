"""The tree ensemble: walked as the trees say, and each verdict credited to the features on its path."""

from __future__ import annotations

import numpy as np
import pytest

from cleaners.trees import EnsembleError, TreeEnsemble

# Tree 1: x0 <= 0.5 ? (x1 <= 2 ? -1 : 1) : 3; tree 2: x1 <= 5 ? 0.5 : -0.5. Inner values are means.
MODEL = {
    "base": 0.25,
    "trees": [
        {
            "feature": [0, 1, -1, -1, -1],
            "threshold": [0.5, 2.0, 0.0, 0.0, 0.0],
            "left": [1, 2, 0, 0, 0],
            "right": [4, 3, 0, 0, 0],
            "value": [1.0, 0.0, -1.0, 1.0, 3.0],
        },
        {
            "feature": [1, -1, -1],
            "threshold": [5.0, 0.0, 0.0],
            "left": [1, 0, 0],
            "right": [2, 0, 0],
            "value": [0.0, 0.5, -0.5],
        },
    ],
}


def test_each_row_ends_in_the_leaves_its_values_lead_to():
    ensemble = TreeEnsemble.from_json(MODEL, features=2)
    rows = np.array([[0.0, 1.0], [0.0, 3.0], [1.0, 9.0], [0.5, 2.0]])
    assert ensemble.scores(rows).tolist() == [0.25 - 1 + 0.5, 0.25 + 1 + 0.5, 0.25 + 3 - 0.5, 0.25 - 1 + 0.5]


def test_the_credits_add_up_from_the_trees_mean_to_the_score():
    ensemble = TreeEnsemble.from_json(MODEL, features=2)
    rows = np.array([[0.0, 1.0], [1.0, 9.0], [0.2, 7.0]])
    credits = ensemble.credits(rows)
    mean = MODEL["base"] + sum(tree["value"][0] for tree in MODEL["trees"])
    assert np.allclose(mean + credits.sum(axis=1), ensemble.scores(rows))
    assert credits[1, 0] == 2.0  # x0 > 0.5 moved tree 1 from its mean 1 to 3


def test_a_missing_value_goes_right_as_trained_and_stays_at_its_leaf():
    ensemble = TreeEnsemble.from_json(MODEL, features=2)
    rows = np.array([[np.nan, 1.0], [0.0, np.nan]])
    assert ensemble.scores(rows).tolist() == [0.25 + 3 + 0.5, 0.25 + 1 - 0.5]


def test_trees_of_different_depths_are_walked_to_their_own_leaves():
    lone_leaf = {"feature": [-1], "threshold": [0.0], "left": [0], "right": [0], "value": [2.0]}
    ensemble = TreeEnsemble.from_json({**MODEL, "trees": [lone_leaf, *MODEL["trees"]]}, features=2)
    rows = np.array([[0.0, 1.0], [1.0, 9.0]])
    assert ensemble.scores(rows).tolist() == [0.25 + 2 - 1 + 0.5, 0.25 + 2 + 3 - 0.5]
    assert np.allclose(ensemble.credits(rows)[:, 0], [-1.0, 2.0])  # the lone leaf credits nothing


def test_rows_walked_in_blocks_score_and_credit_as_one_at_a_time(monkeypatch):
    """A long document's rows are walked a block at a time (memory): the same scores and credits."""
    import cleaners.trees

    ensemble = TreeEnsemble.from_json(MODEL, features=2)
    rows = np.random.default_rng(0).uniform(-1, 10, size=(23, 2))
    whole_scores, whole_credits = ensemble.scores(rows), ensemble.credits(rows)
    monkeypatch.setattr(cleaners.trees, "_ROWS_AT_ONCE", 5)
    assert ensemble.scores(rows).tolist() == whole_scores.tolist()
    assert ensemble.credits(rows).tolist() == whole_credits.tolist()
    assert ensemble.credits(rows[:0]).shape == (0, 2)


def test_a_document_without_lines_has_no_scores():
    assert TreeEnsemble.from_json(MODEL, features=2).scores(np.zeros((0, 2))).shape == (0,)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"left": [7, 2, 0, 0, 0]}, "outside"),
        ({"feature": [0, 5, -1, -1, -1]}, "outside"),
        ({"right": [4, 0, 0, 0, 0]}, "back up"),
        ({"value": [1.0]}, "differ in length"),
    ],
)
def test_a_broken_tree_is_refused(change, message):
    broken = {"base": 0.0, "trees": [{**MODEL["trees"][0], **change}]}
    with pytest.raises(EnsembleError, match=message):
        TreeEnsemble.from_json(broken, features=2)
