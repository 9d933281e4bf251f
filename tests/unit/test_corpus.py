"""The clean folder's corpus statistics: generations, the pointer to the current one, what is refused."""

from __future__ import annotations

import json

from cleaners.statistics import CorpusStatistics
from flows.corpus import CURRENT_FILE, current_statistics, generations_folder, keep_statistics
from flows.state import STATE_FOLDER


def statistics(generation: str, cleaner, texts=("A line of the site\nThe article itself\n",)) -> CorpusStatistics:
    corpus = CorpusStatistics(rules_version="v1", generation=generation)
    for text in texts:
        corpus.add(cleaner.evidence(text).keys())
    return corpus


def test_the_kept_generation_is_current_and_the_older_ones_go(cleaner, tmp_path):
    keep_statistics(tmp_path, statistics("run-1", cleaner))
    keep_statistics(tmp_path, statistics("run-2", cleaner, texts=("One\n", "Two\n")))
    assert [p.name for p in generations_folder(tmp_path).iterdir()] == ["run-2"]
    current = current_statistics(tmp_path, "v1")
    assert current is not None and (current.generation, current.documents) == ("run-2", 2)


def test_statistics_of_other_rules_or_none_readable_are_gathered_anew(cleaner, tmp_path):
    assert current_statistics(tmp_path, "v1") is None
    keep_statistics(tmp_path, statistics("run-1", cleaner))
    assert current_statistics(tmp_path, "v2") is None
    pointer = tmp_path / STATE_FOLDER / CURRENT_FILE
    for broken in ("{", json.dumps({"generation": "../elsewhere"}), json.dumps({"generation": "gone"}), "[]"):
        pointer.write_text(broken, encoding="utf-8")
        assert current_statistics(tmp_path, "v1") is None


def test_a_dry_runs_statistics_leave_the_current_ones(cleaner, tmp_path):
    keep_statistics(tmp_path, statistics("run-1", cleaner))
    keep_statistics(tmp_path, statistics("dry-run", cleaner, texts=("Other\n",)), current=False)
    assert current_statistics(tmp_path, "v1").generation == "run-1"
    keep_statistics(tmp_path, statistics("run-3", cleaner))  # the next run drops the dry run's
    assert [p.name for p in generations_folder(tmp_path).iterdir()] == ["run-3"]
