"""What earlier runs did to a clean folder: the manifest behind incremental runs and crash recovery.

One SQLite file in the clean folder, written only by the flow's own process (never by workers):
- `sources`: per raw file, its size, mtime, content hash, the rules version that cleaned it, and
  the outcome; a file whose stat and rules version match is skipped without being read.
- `record_ids`: the id of every record of the shards cleaned, so that no id is used twice across
  shards and files, in this run or an earlier one.
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
                    "CREATE TABLE IF NOT EXISTS record_ids (id TEXT PRIMARY KEY, source TEXT, line INTEGER)"
                )
                self.connection.execute("CREATE INDEX IF NOT EXISTS record_ids_by_source ON record_ids (source)")
                self.connection.execute(
                    "SELECT source, size, mtime_ns, sha256, rules_version, run_id, status, outputs FROM sources LIMIT 1"
                ).fetchall()
            # This run's claims, kept out of record_ids until each shard's unit is committed.
            self.connection.execute("CREATE TEMP TABLE claims (id TEXT PRIMARY KEY, source TEXT, line INTEGER)")
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

    def shards_holding(self, ids: list[str]) -> set[str]:
        """The shards whose records hold any of these ids."""
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT DISTINCT source FROM record_ids WHERE id IN ({marks})"
            with closing(self.connection.execute(query, chunk)) as rows:
                found.update(row[0] for row in rows)
        return found

    def claim_record_ids(
        self, shard: str, records: Iterable[tuple[int, str]], renewed: set[str], files: dict[str, str]
    ) -> list[tuple[int, str]]:
        """Claims a shard's record ids for this run; returns (line, why) for each id already taken by a
        file, by a record of a shard not cleaned again (`renewed` are), or by an earlier claim of this run."""
        taken: list[tuple[int, str]] = []
        for line, record_id in records:
            holder = files.get(record_id)
            if holder is None:
                row = self.connection.execute("SELECT source, line FROM claims WHERE id = ?", (record_id,)).fetchone()
                if row is None:
                    row = self.connection.execute(
                        "SELECT source, line FROM record_ids WHERE id = ?", (record_id,)
                    ).fetchone()
                    row = None if row is None or row[0] in renewed else row
                holder = f"{row[0]}:{row[1]}" if row else None
            if holder is None:
                self.connection.execute("INSERT INTO claims VALUES (?, ?, ?)", (record_id, shard, line))
            else:
                taken.append((line, holder))
        return taken

    def gone(self, present: set[str]) -> list[SourceState]:
        """The cleaned sources the manifest knows that are no longer in the raw folder."""
        with closing(self.connection.execute("SELECT * FROM sources WHERE status = 'cleaned'")) as rows:
            return [SourceState(*row) for row in rows if row[0] not in present]

    def forget(self, sources: list[str]) -> None:
        """Drops what the manifest knows of these sources (their outputs are gone too)."""
        with self.connection:
            self.connection.executemany("DELETE FROM sources WHERE source = ?", [(s,) for s in sources])
            self.connection.executemany("DELETE FROM record_ids WHERE source = ?", [(s,) for s in sources])

    def forget_shards_except(self, shards: set[str]) -> None:
        """Drops the record ids of shards that are gone from the raw folder."""
        with self.connection:
            known = {row[0] for row in self.connection.execute("SELECT DISTINCT source FROM record_ids")}
            self.connection.executemany("DELETE FROM record_ids WHERE source = ?", [(s,) for s in known - shards])

    def commit(self, run_id: str, part: str, states: Iterable[SourceState], shards: Iterable[str] = ()) -> None:
        """Records a finished unit of work: its sources' new state, its log part and the record ids
        its shards claimed, together."""
        with self.connection:
            for shard in shards:
                self.connection.execute("DELETE FROM record_ids WHERE source = ?", (shard,))
                self.connection.execute(
                    "INSERT OR REPLACE INTO record_ids SELECT * FROM claims WHERE source = ?", (shard,)
                )
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
