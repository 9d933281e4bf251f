"""Run progress in documents: counted as they end in this process, settled when a unit ends."""

from __future__ import annotations

import pytest

from flows import progress


@pytest.fixture
def seen():
    calls: list[tuple[int, int, str]] = []
    progress.set_listener(lambda done, total, phase: calls.append((done, total, phase)))
    yield calls
    progress.set_listener(None)


def test_documents_count_as_they_end_and_a_finished_unit_is_not_counted_twice(seen):
    progress.start(5)
    progress.advance(0)
    progress.advance(0)
    progress.finish_unit(0, 2)
    assert [(done, total) for done, total, _ in seen] == [(0, 5), (1, 5), (2, 5), (2, 5)]
    assert {phase for _, _, phase in seen} == {progress.CLEANING}


def test_a_unit_of_another_process_counts_when_it_ends(seen):
    progress.start(4)
    progress.finish_unit(3, 3)  # a Dask worker's unit: no advance reached this process
    progress.advance(1)
    assert [(done, total) for done, total, _ in seen[-2:]] == [(3, 4), (4, 4)]


def test_more_documents_than_announced_raise_the_total(seen):
    progress.start(1)
    progress.finish_unit(0, 3)  # a shard's unreadable lines are documents too
    assert seen[-1][:2] == (3, 3)


def test_the_statistics_pass_counts_sources_and_the_cleaning_starts_anew(seen):
    progress.start(10, phase=progress.GATHERING)
    progress.finish_unit(0, 10)
    progress.start(7)
    progress.advance(0)
    assert seen == [(0, 10, progress.GATHERING), (10, 10, progress.GATHERING), (0, 7, "documents"), (1, 7, "documents")]
