"""What earlier runs did to a clean folder: the manifest behind incremental runs and crash recovery.

One SQLite file in the clean folder, written only by the flow's own process (never by workers):
- `sources`: per raw file, its size, mtime, content hash, the rules version that cleaned it, and
  the outcome; a file whose stat and rules version match is skipped without being read.
- `parts`: the log parts of every unit of work whose results were committed. A run that was
  killed leaves parts behind; the next run keeps the committed ones in that run's log and drops
  the others, whose documents it cleans again. So no document is lost from the logs, nor logged twice.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from .io import RunSetupError

STATE_FOLDER = "_state"
MANIFEST_FILE = "manifest.sqlite"


@dataclass(frozen=True, slots=True)
class SourceState:
    source: str
    size: int
    mtime_ns: int
    sha256: str
    rules_version: str
    run_id: str
    status: str  # "cleaned", "rejected", or "failed" (its unit failed: cleaned again by the next run)
    outputs: str  # what the source produced: its id, or a shard's output file


class Manifest:
    """The state of one clean folder. Use as a context manager; every commit is atomic."""

    def __init__(self, clean_dir: Path) -> None:
        path = clean_dir / STATE_FOLDER / MANIFEST_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.connection = sqlite3.connect(path, timeout=60)
            self.connection.execute("PRAGMA journal_mode=WAL")
            with self.connection:
                self.connection.execute(
                    "CREATE TABLE IF NOT EXISTS sources (source TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, "
                    "sha256 TEXT, rules_version TEXT, run_id TEXT, status TEXT, outputs TEXT)"
                )
                self.connection.execute(
                    "CREATE TABLE IF NOT EXISTS parts (run_id TEXT, part TEXT, PRIMARY KEY (run_id, part))"
                )
                self.connection.execute(
                    "SELECT source, size, mtime_ns, sha256, rules_version, run_id, status, outputs FROM sources LIMIT 1"
                ).fetchall()
        except sqlite3.DatabaseError as exc:
            raise RunSetupError(
                f"the clean folder's manifest {path} cannot be read ({exc}); move it away and run again "
                "with --full (every document is cleaned again)"
            ) from None

    def __enter__(self) -> Manifest:
        return self

    def __exit__(self, *exc: object) -> None:
        self.connection.close()

    def lookup(self, sources: list[str]) -> dict[str, SourceState]:
        """The recorded state of these sources (queried in chunks: a corpus may hold millions)."""
        found: dict[str, SourceState] = {}
        for i in range(0, len(sources), 500):
            chunk = sources[i : i + 500]
            marks = ",".join("?" * len(chunk))
            with closing(self.connection.execute(f"SELECT * FROM sources WHERE source IN ({marks})", chunk)) as rows:
                for row in rows:
                    found[row[0]] = SourceState(*row)
        return found

    def commit(self, run_id: str, part: str, states: Iterable[SourceState]) -> None:
        """Records a finished unit of work: its sources' new state and its log part, together."""
        with self.connection:
            self.connection.executemany(
                "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (s.source, s.size, s.mtime_ns, s.sha256, s.rules_version, s.run_id, s.status, s.outputs)
                    for s in states
                ],
            )
            self.connection.execute("INSERT OR REPLACE INTO parts VALUES (?, ?)", (run_id, part))

    def committed_parts(self, run_id: str) -> set[str]:
        with closing(self.connection.execute("SELECT part FROM parts WHERE run_id = ?", (run_id,))) as rows:
            return {row[0] for row in rows}
