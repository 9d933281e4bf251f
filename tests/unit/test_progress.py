"""Run progress in documents: counted as they end in this process, settled when a unit ends."""

from __future__ import annotations

import pytest

from flows import progress


@pytest.fixture
def seen():
    calls: list[tuple[int, int]] = []
    progress.set_listener(lambda done, total: calls.append((done, total)))
    yield calls
    progress.set_listener(None)


def test_documents_count_as_they_end_and_a_finished_unit_is_not_counted_twice(seen):
    progress.start(5)
    progress.advance(0)
    progress.advance(0)
    progress.finish_unit(0, 2)
    assert seen == [(0, 5), (1, 5), (2, 5), (2, 5)]


def test_a_unit_of_another_process_counts_when_it_ends(seen):
    progress.start(4)
    progress.finish_unit(3, 3)  # a Dask worker's unit: no advance reached this process
    progress.advance(1)
    assert seen[-2:] == [(3, 4), (4, 4)]


def test_more_documents_than_announced_raise_the_total(seen):
    progress.start(1)
    progress.finish_unit(0, 3)  # a shard's unreadable lines are documents too
    assert seen[-1] == (3, 3)
