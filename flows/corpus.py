"""The corpus statistics of a clean folder: gathered in a first pass over the raw documents before
any is cleaned, kept in the folder's state, read by every unit (cleaners.statistics).

A run gathers the evidence of the documents it will clean and adds it to what earlier runs kept,
so that an incremental run reads what a full run over the same raw folder would (a document
already counted is not counted again). Statistics gathered under another rules version, or none
at all, are gathered anew over every raw document, and `--full` always does. A document changed
or deleted since it was counted stays counted until then.

Plain Python with no Prefect in it: the flow's tasks call it, the evaluation and the tests too.
Only the flow's process writes the statistics, under the clean folder's lock: a new generation's
folder first, then the pointer to it, atomically; a killed run leaves the last one current.
"""

from __future__ import annotations

import json
import shutil
from functools import lru_cache
from pathlib import Path
from typing import Any

from cleaners.statistics import CorpusStatistics

from .io import atomic_write_json
from .state import STATE_FOLDER

STATISTICS_FOLDER = "statistics"
CURRENT_FILE = "statistics.json"


def generations_folder(clean_dir: Path) -> Path:
    """Where a clean folder keeps its statistics, one folder a generation."""
    return clean_dir / STATE_FOLDER / STATISTICS_FOLDER


def _pointer(clean_dir: Path) -> Path:
    return clean_dir / STATE_FOLDER / CURRENT_FILE


def current_statistics(clean_dir: Path, rules_version: str) -> CorpusStatistics | None:
    """The statistics earlier runs kept for this rules version, as an object of its own that a run
    may add to (its arrays mapped, never written); None when there are none (or they cannot be
    read: they are gathered anew)."""
    try:
        name = json.loads(_pointer(clean_dir).read_text(encoding="utf-8"))["generation"]
        if not isinstance(name, str) or not name or "/" in name or name.startswith("."):
            return None
        statistics = CorpusStatistics.load(generations_folder(clean_dir) / name)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return statistics if statistics.rules_version == rules_version else None


def keep_statistics(clean_dir: Path, statistics: CorpusStatistics, *, current: bool = True) -> Path:
    """Saves a generation; with `current`, makes it the clean folder's and drops the ones before
    (a dry run keeps its own in its run folder and leaves the clean folder's as they were)."""
    folder = generations_folder(clean_dir)
    target = folder / statistics.generation
    if target.exists():
        shutil.rmtree(target)  # a killed run's half-written generation of the same name
    statistics.save(target)
    if current:
        atomic_write_json(_pointer(clean_dir), {"generation": statistics.generation})
        for old in folder.iterdir():
            if old.name != statistics.generation:
                shutil.rmtree(old, ignore_errors=True)
    return target


@lru_cache(maxsize=2)
def load_statistics(folder: str) -> CorpusStatistics:
    """Statistics as a worker reads them: once a process, arrays mapped (a generation's folder
    never changes once it is written)."""
    return CorpusStatistics.load(Path(folder))


def statistics_summary(statistics: CorpusStatistics) -> dict[str, Any]:
    """What a run's summary says of the statistics its documents were cleaned with."""
    return {
        "generation": statistics.generation,
        "documents": statistics.documents,
        "sites": len(statistics.site_documents),
        "distinct_lines": len(statistics.lines),
        "distinct_words": len(statistics.terms),
    }
