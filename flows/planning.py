"""What a run does to the clean folder around its units, without Prefect: which sources to clean,
which record ids they may use, which raw files are gone, and the logs of runs that were killed.

The CLI asks it whether there is anything to do before it starts Prefect; the flow runs it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Generic, TypeVar

from cleaners.documents import (
    SourceFile,
    SourceRejection,
    discover,
    kind_of,
    output_names,
    shard_record_ids,
    split_name,
)

from .batch import PAGES_FOLDER, RUNS_FOLDER, Job, outputs_exist
from .io import atomic_write_json, concatenate_atomically
from .state import Manifest


def plan(
    sources: list[SourceFile], manifest: Manifest, job: Job, full: bool
) -> tuple[list[SourceFile], list[SourceFile]]:
    """(to clean, unchanged): unchanged when the stat and rules version match and every output
    exists; a source whose unit failed is cleaned again whatever it left."""
    if full:
        return sources, []
    clean_dir = Path(job.clean)
    known = manifest.lookup([s.source for s in sources])
    todo, unchanged = [], []
    for source in sources:
        state = known.get(source.source)
        if state is None or state.rules_version != job.rules_version or state.status not in ("cleaned", "rejected"):
            todo.append(source)
            continue
        output_exists = state.status == "rejected" or outputs_exist(clean_dir, source)
        if (state.size, state.mtime_ns) == (source.size, source.mtime_ns) and output_exists:
            unchanged.append(source)
        elif state.status == "cleaned" and output_exists:
            # Touched since: the unit compares content hashes before cleaning it again.
            todo.append(replace(source, known_sha256=state.sha256))
        else:
            todo.append(source)
    # A file keeps its id: an unchanged shard with a record of the same id is cleaned again, without it.
    clashing = manifest.shards_holding([s.doc_id for s in sources if s.kind != "shard"])
    todo += [s for s in unchanged if s.source in clashing]
    return todo, [s for s in unchanged if s.source not in clashing]


def gone_sources(
    sources: list[SourceFile], refused: list[SourceRejection], manifest: Manifest, clean_dir: Path, prune: bool
) -> list[str]:
    """The raw files cleaned by an earlier run that are gone from the raw folder; with `prune`,
    their outputs are removed and the manifest forgets them (without, their outputs stay)."""
    present = {s.source for s in sources} | {r.source for r in refused}
    gone = manifest.gone(present)
    if prune:
        for state in gone:
            _doc_id, suffix, gzipped = split_name(state.source)
            kind = kind_of(suffix) or "text"
            names = [state.outputs] if kind == "shard" else output_names(state.outputs, kind, gzipped=gzipped)
            for name in names:
                (clean_dir / name).unlink(missing_ok=True)
        manifest.forget([state.source for state in gone])
    return [state.source for state in gone]


T = TypeVar("T")


class _Counted(Generic[T]):
    """An iterable that counts the items that pass through it (a shard's records, read once)."""

    def __init__(self, items: Iterable[T]) -> None:
        self.items = items
        self.count = 0

    def __iter__(self) -> Iterator[T]:
        for item in self.items:
            self.count += 1
            yield item


def assign_record_ids(
    todo: list[SourceFile], sources: list[SourceFile], manifest: Manifest, job: Job
) -> tuple[list[SourceFile], int]:
    """Reads the ids of the shards to clean and claims them in order, so that no document id is used
    twice across files and shards: a record whose id a file, an unchanged shard or an earlier
    record holds is marked to be rejected (SourceFile.taken_lines). A pass over ids only: a JSON
    parse a record, small beside cleaning it. Returns the sources and the documents they hold (a
    file one, a shard its records), what the run's progress counts."""
    manifest.forget_shards_except({s.source for s in sources if s.kind == "shard"})
    files = {s.doc_id: s.source for s in sources if s.kind != "shard"}
    renewed = {s.source for s in todo if s.kind == "shard"}
    assigned = []
    documents = 0
    for source in todo:
        if source.kind == "shard":
            records = _Counted(shard_record_ids(Path(job.raw), source, max_bytes=job.max_bytes))
            taken = tuple(manifest.claim_record_ids(source.source, records, renewed, files))
            source = replace(source, taken_lines=taken)
            documents += max(1, records.count)
        else:
            documents += 1
        assigned.append(source)
    return assigned, documents


def units(todo: list[SourceFile], batch_size: int) -> list[list[SourceFile]]:
    """Text files in batches of batch_size; every shard a unit of its own."""
    shards = [[s] for s in todo if s.kind == "shard"]
    files = [s for s in todo if s.kind != "shard"]
    return [files[i : i + batch_size] for i in range(0, len(files), batch_size)] + shards


def finish_run_log(run_folder: Path, committed: set[str]) -> tuple[Path, Path]:
    """Joins a run's committed log parts into removals.jsonl and rejects.jsonl; drops the others."""
    parts = run_folder / "parts"
    removal_log, rejects_log = run_folder / "removals.jsonl", run_folder / "rejects.jsonl"

    def chosen(kind: str) -> list[Path]:
        return sorted(p for p in parts.glob(f"*.{kind}.jsonl") if p.name.split(".")[0] in committed)

    concatenate_atomically(chosen("removals"), removal_log)
    concatenate_atomically(chosen("rejects"), rejects_log)
    return removal_log, rejects_log


def remove_parts(run_folder: Path) -> None:
    """Drops what a run keeps only while it runs: its log parts, and the pages its first pass
    extracted that no unit cleaned (a unit that failed, a killed run)."""
    for name in ("parts", PAGES_FOLDER):
        folder = run_folder / name
        if folder.is_dir():
            for part in folder.iterdir():
                part.unlink()
            folder.rmdir()


def recover_interrupted_runs(clean_dir: Path, manifest: Manifest) -> list[str]:
    """Finishes the logs of runs that were killed: their committed units stay logged, once."""
    recovered = []
    runs = clean_dir / RUNS_FOLDER
    if not runs.is_dir():
        return recovered
    for run_folder in sorted(p for p in runs.iterdir() if p.is_dir()):
        if (run_folder / "summary.json").exists():
            remove_parts(run_folder)  # killed after its summary, before it dropped its parts
            continue
        committed = manifest.committed_parts(run_folder.name)
        removal_log, rejects_log = finish_run_log(run_folder, committed)
        atomic_write_json(
            run_folder / "summary.json",
            {
                "run_id": run_folder.name,
                "interrupted": True,
                "units_committed": len(committed),
                "removal_log": str(removal_log),
                "rejects_log": str(rejects_log),
            },
        )
        remove_parts(run_folder)
        recovered.append(run_folder.name)
    return recovered


def all_parts(run_folder: Path) -> set[str]:
    parts = run_folder / "parts"
    return {p.name.split(".")[0] for p in parts.glob("*.jsonl")} if parts.is_dir() else set()


def nothing_to_do(raw_dir: Path, clean_dir: Path, rules: str | None) -> int | None:
    """How many sources a run would find unchanged when it would do nothing else: no source to
    clean, no file to reject, no killed run to finish, no gone file to report; None when a run has
    work (or the folder holds no run yet). Read only: the CLI asks before it starts Prefect."""
    if not (clean_dir / RUNS_FOLDER).is_dir():
        return None
    if any(not (folder / "summary.json").exists() for folder in (clean_dir / RUNS_FOLDER).iterdir() if folder.is_dir()):
        return None
    sources, refused = discover(raw_dir)
    if refused or not sources:
        return None
    job = Job(str(raw_dir), str(clean_dir), "(planning)", rules=str(Path(rules).resolve()) if rules else None)
    with Manifest(clean_dir) as manifest:
        todo, unchanged = plan(sources, manifest, job, full=False)
        if todo or manifest.gone({s.source for s in sources}):  # gone files are reported (or pruned) by a run
            return None
    return len(unchanged)
