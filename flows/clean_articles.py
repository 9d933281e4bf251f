"""The `clean-articles` Prefect flow: discover, plan, gather corpus statistics, clean in units, commit, log, publish.

Tasks are units of many documents (a batch of files, or a whole JSON Lines shard), never single
documents: a task run costs milliseconds of orchestration, a document a few of cleaning.
Runs are incremental: a source whose size, mtime (or content hash) and rules version match what
the clean folder's manifest recorded is skipped. A killed run is finished by the next one.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.runtime import deployment as runtime_deployment
from prefect.task_runners import ThreadPoolTaskRunner

from cleaners.documents import (
    DEFAULT_MAX_BYTES,
    SourceFile,
    discover,
)
from cleaners.settings import load_settings
from cleaners.statistics import CorpusStatistics, KeyedEvidence

from . import progress
from .batch import (
    DEFAULT_BATCH_SIZE,
    BatchReport,
    Job,
    UnitResult,
    fail_unit,
    gather_evidence,
    process_batch,
    process_shard,
    write_rejections,
)
from .corpus import current_statistics, keep_statistics, statistics_summary
from .deployment import deployment_folder_problem
from .io import RunSetupError, atomic_write_json, check_folders, sweep_temp_files
from .lock import FolderLock
from .planning import (
    all_parts,
    assign_record_ids,
    finish_run_log,
    gone_sources,
    plan,
    recover_interrupted_runs,
    remove_parts,
    units,
)
from .state import Manifest
from .tally import COLUMNS, cell

ARTIFACT_KEY = "clean-articles-removals"
SUMMARY_ARTIFACT_KEY = "clean-articles-summary"
RUNNERS = ("threads", "dask")


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


# A unit's task: retried as a whole (transient I/O), never cached, its result kept in memory only.
UNIT_TASK: dict[str, Any] = {"retries": 2, "retry_delay_seconds": 2, "cache_policy": NO_CACHE, "persist_result": False}


@task(name="clean-unit", task_run_name="clean-unit-{number}", **UNIT_TASK)
def clean_unit(number: int, sources: list[SourceFile], job: Job) -> UnitResult:
    """A batch of text files, or one shard. Retried as a whole: its writes are atomic and idempotent."""
    if len(sources) == 1 and sources[0].kind == "shard":
        return process_shard(number, sources[0], job)
    return process_batch(number, sources, job)


@task(name="gather-statistics", task_run_name="gather-statistics-{number}", **UNIT_TASK)
def gather_unit(number: int, sources: list[SourceFile], job: Job, extract: list[str]) -> list[KeyedEvidence]:
    """The first pass over a unit's sources: their documents' evidence for the corpus statistics
    (and the pages of `extract`, which this run cleans, extracted and kept for their cleaning)."""
    return gather_evidence(sources, job, frozenset(extract))


def gather_statistics(
    sources: list[SourceFile], todo: list[SourceFile], job: Job, full: bool, logger: Any
) -> tuple[Job, dict[str, Any] | None]:
    """Adds the evidence of the documents to clean to the clean folder's corpus statistics (of
    every raw document when there are none for these rules, or with `full`), keeps them, and
    returns the job that points its units at them, with the summary's account of them. Before
    any document is cleaned: a gathering that fails stops the run with nothing written."""
    if not todo:
        return job, None
    clean_dir = Path(job.clean)
    kept = None if full else current_statistics(clean_dir, job.rules_version)
    if kept is None:
        statistics, over = CorpusStatistics(rules_version=job.rules_version), sources
    else:
        statistics, over = kept, todo
    logger.info(
        "gathering corpus statistics over %d sources (%s)",
        len(over),
        "anew" if kept is None else f"adding to {kept.documents} documents counted before",
    )
    statistics.generation = job.run_id
    work = units(over, job.batch_size)
    progress.start(len(over), phase=progress.GATHERING)
    cleaned = {source.source for source in todo}
    futures = {
        gather_unit.submit(number, unit, job, [s.source for s in unit if s.source in cleaned]): (number, unit)
        for number, unit in enumerate(work)
    }
    added = 0
    for future in as_completed(list(futures)):
        number, unit = futures[future]
        try:
            evidence = future.result()
        except Exception as exc:
            raise RunSetupError(
                f"gathering the corpus statistics failed ({type(exc).__name__}: {exc}); nothing was cleaned: run again"
            ) from None
        added += sum(statistics.add(item) for item in evidence)
        progress.finish_unit(number, len(unit))
    folder = keep_statistics(clean_dir, statistics, current=not job.dry_run)
    logger.info(
        "corpus statistics %s: %d documents (%d new) of %d sites",
        statistics.generation,
        statistics.documents,
        added,
        len(statistics.site_documents),
    )
    return replace(job, statistics=str(folder)), statistics_summary(statistics)


def _task_runner(runner: str, dask_address: str | None, dask_workers: int) -> Any:
    if runner == "threads":
        return None
    if runner != "dask":
        raise ValueError(f"runner must be one of {', '.join(RUNNERS)}, not {runner!r}")
    from prefect_dask import DaskTaskRunner

    if dask_address:
        return DaskTaskRunner(address=dask_address)
    return DaskTaskRunner(
        cluster_kwargs={
            "n_workers": dask_workers,
            "threads_per_worker": 1,
            "processes": True,
            "dashboard_address": None,
        }
    )


# Cleaning is CPU-bound Python: more threads only fight over the GIL and hold more batches in
# memory at once (Prefect's default pool is unbounded). One worker thread; Dask for more cores.
LOCAL_RUNNER = ThreadPoolTaskRunner(max_workers=1)


@dataclass(frozen=True)
class RunOptions:
    """A run's options, as the flow's parameters give them, passed on as one value."""

    raw: str = "raw"
    clean: str = "clean"
    rules: str | None = None
    batch_size: int = DEFAULT_BATCH_SIZE
    max_bytes: int = DEFAULT_MAX_BYTES
    full: bool = False
    runner: str = "threads"
    dask_address: str | None = None
    dask_workers: int = 2
    dry_run: bool = False
    lock_wait_seconds: float = 0
    prune: bool = False


@flow(name="clean-articles", log_prints=False, task_runner=LOCAL_RUNNER)
def clean_articles(
    raw: str = "raw",
    clean: str = "clean",
    rules: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_bytes: int = DEFAULT_MAX_BYTES,
    full: bool = False,
    runner: str = "threads",
    dask_address: str | None = None,
    dask_workers: int = 2,
    dry_run: bool = False,
    lock_wait_seconds: float = 0,
    prune: bool = False,
) -> dict[str, Any]:
    """Cleans the documents of `raw` that are new or changed into `clean` (all of them, with the corpus
    statistics gathered anew, with `full`).

    `runner="dask"` runs the units on a Dask cluster: a local one of `dask_workers` processes, or
    the one at `dask_address`. `dry_run` writes the run's logs only: no cleaned file, and nothing
    that would make the next run skip a document. One run at a time holds the clean folder: another
    run into it waits up to `lock_wait_seconds`, then fails naming the run that holds it. `prune`
    removes the outputs of raw files that are gone since an earlier run.
    """
    options = RunOptions(
        raw,
        clean,
        rules,
        batch_size,
        max_bytes,
        full,
        runner,
        dask_address,
        dask_workers,
        dry_run,
        lock_wait_seconds,
        prune,
    )
    if runtime_deployment.id:  # a worker's run: relative folders would resolve against its own folder
        for name, value in (("raw", raw), ("clean", clean)):
            problem = deployment_folder_problem(name, value)
            if problem:
                raise RunSetupError(problem)
    task_runner = _task_runner(runner, dask_address, dask_workers)
    if task_runner is None:
        return run_cleaning(options)
    # A flow's task runner is fixed when it starts, so the Dask run is a subflow that has it.
    return clean_articles_on_dask.with_options(task_runner=task_runner)(options)


@flow(name="clean-articles-on-dask", log_prints=False)
def clean_articles_on_dask(options: RunOptions) -> dict[str, Any]:
    return run_cleaning(options)


def run_cleaning(options: RunOptions) -> dict[str, Any]:
    """The run itself, inside a flow run whose task runner executes the units; it holds the clean
    folder's lock from before its first write to after its last."""
    logger = get_run_logger()
    started = time.perf_counter()
    raw_dir, clean_dir = check_folders(options.raw, options.clean)
    settings = load_settings(options.rules)
    job = Job(
        str(raw_dir),
        str(clean_dir),
        new_run_id(),
        rules=str(Path(options.rules).resolve()) if options.rules else None,
        max_bytes=options.max_bytes,
        batch_size=max(1, options.batch_size),
        dry_run=options.dry_run,
    )
    with FolderLock(clean_dir, job.run_id, options.lock_wait_seconds):
        swept = sweep_temp_files(clean_dir)
        if swept:
            logger.info("removed %d temp files left by an interrupted run", swept)
        with Manifest(clean_dir) as manifest:
            recovered = recover_interrupted_runs(clean_dir, manifest)
            for run_id in recovered:
                logger.warning("finished the log of interrupted run %s", run_id)
            sources, refused = discover(raw_dir)
            gone = gone_sources(sources, refused, manifest, clean_dir, options.prune and not job.dry_run)
            todo, unchanged = plan(sources, manifest, job, options.full)
            todo, documents_to_clean = assign_record_ids(todo, sources, manifest, job)
            job, statistics = gather_statistics(sources, todo, job, options.full, logger)
            work = units(todo, job.batch_size)
            logger.info(
                "run %s: %d sources, %d to clean in %d units, %d unchanged, rules %s",
                job.run_id,
                len(sources) + len(refused),
                len(todo),
                len(work),
                len(unchanged),
                settings["rules_version"],
            )
            totals = BatchReport()
            totals.unchanged = len(unchanged)
            for rejection in refused:
                totals.add_rejected(rejection.reason)
            write_rejections(job, "discovery", refused)
            manifest.commit(job.run_id, "discovery", [])
            total_sources = len(sources) + len(refused)
            progress.start(documents_to_clean)
            done_sources = len(refused) + len(unchanged)
            for number, unit, result in _run_units(work, job, logger):
                totals.merge(result.report)
                # A dry run records its parts (a killed dry run's log is finished too), never its sources.
                shards = [s.source for s in unit if s.kind == "shard" and not result.failed]
                manifest.commit(
                    job.run_id, result.part, [] if job.dry_run else result.states, [] if job.dry_run else shards
                )
                done_sources += len(unit)
                progress.finish_unit(number, result.report.documents + result.report.unchanged)
                logger.info("unit %d done: %d/%d sources", number, done_sources, total_sources)

        removal_log, rejects_log = finish_run_log(job.run_folder, committed=all_parts(job.run_folder))
        summary = {
            "run_id": job.run_id,
            "raw": str(raw_dir),
            "clean": str(clean_dir),
            "rules_version": settings["rules_version"],
            "runner": options.runner,
            "full": options.full,
            "statistics": statistics,
            "dry_run": options.dry_run,
            "sources": total_sources,
            "units": len(work),
            "recovered_runs": recovered,
            "gone": len(gone),
            "pruned": options.prune and not job.dry_run,
            **totals.to_dict(),
            "removal_log": str(removal_log),
            "rejects_log": str(rejects_log),
            "seconds": round(time.perf_counter() - started, 2),
        }
        atomic_write_json(job.run_folder / "summary.json", summary)
        remove_parts(job.run_folder)
        publish_artifact(job.run_id, totals, summary)
        if not work:
            logger.info("nothing new to clean: %d sources unchanged since the last run", len(unchanged))
        logger.info(
            "run %s finished: %d cleaned, %d rejected, %d unchanged in %.1f s",
            job.run_id,
            totals.cleaned,
            totals.rejected,
            totals.unchanged,
            summary["seconds"],
        )
        return summary


def _run_units(
    work: list[list[SourceFile]], job: Job, logger: Any
) -> Iterable[tuple[int, list[SourceFile], UnitResult]]:
    """Submits every unit and yields results as they finish; a unit failing after its retries
    has its documents rejected with the reason, and the run goes on."""
    futures = {clean_unit.submit(number, unit, job): (number, unit) for number, unit in enumerate(work)}
    for future in as_completed(list(futures)):
        number, unit = futures[future]
        try:
            result = future.result()
        except Exception as exc:
            reason = f"unit failed after retries: {type(exc).__name__}: {exc}"
            logger.error("unit %d: %s", number, reason)
            result = fail_unit(number, unit, job, reason)
        yield number, unit, result


def publish_artifact(run_id: str, totals: BatchReport, summary: dict[str, Any]) -> None:
    rows = totals.rule_rows() or [
        {"rule": "(none)", "category": "", "documents": 0, "spans": 0, "chars": 0, "share_of_removed": 0}
    ]
    by_category = ", ".join(f"{c} {v['chars']} chars" for c, v in summary["removals_by_category"].items())
    create_table_artifact(
        key=ARTIFACT_KEY,
        table=rows,
        description=(
            f"Removals by rule, run {run_id}: {totals.cleaned} documents cleaned, {totals.rejected} rejected, "
            f"{totals.unchanged} unchanged; by category: {by_category or 'none'}"
        ),
    )
    create_markdown_artifact(key=SUMMARY_ARTIFACT_KEY, markdown=summary_markdown(totals, summary))


def _markdown_table(rows: list[dict[str, Any]], columns: list[str]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        cells = [cell(c, row[c]) for c in columns]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def summary_markdown(totals: BatchReport, summary: dict[str, Any]) -> str:
    """The run's summary as `newsclean log summary` prints it: counts, then per category and per rule."""
    counts = (
        f"**{summary['run_id']}**: {totals.cleaned:,} documents cleaned, {totals.rejected:,} rejected, "
        f"{totals.unchanged:,} unchanged; {totals.chars_in:,} characters in, {totals.chars_out:,} out; "
        f"rules {summary['rules_version']}{' (dry run)' if summary.get('dry_run') else ''}"
    )
    columns = list(COLUMNS)
    return "\n\n".join(
        [
            counts,
            "### Removals by category",
            _markdown_table(totals.category_rows(), ["category", *columns]),
            "### Removals by rule",
            _markdown_table(totals.rule_rows(), ["rule", "category", *columns]),
        ]
    )
