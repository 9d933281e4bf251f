"""The `clean-articles` Prefect flow: discover, batch, clean, write, log, publish an artifact.

Tasks are batches, never single documents: a task run costs milliseconds of orchestration and
server bookkeeping, a document a few milliseconds of cleaning.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed

from cleaners.documents import DEFAULT_MAX_BYTES, SourceRejection, discover
from cleaners.settings import load_settings

from . import progress
from .batch import BatchReport, Job, process_batch, write_rejections
from .io import atomic_write_json, check_folders, concatenate_atomically, sweep_temp_files

ARTIFACT_KEY = "clean-articles-removals"
DEFAULT_BATCH_SIZE = 200


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


@task(
    name="clean-batch",
    task_run_name="clean-batch-{number}",
    retries=2,
    retry_delay_seconds=2,
    cache_policy=NO_CACHE,
    persist_result=False,
)
def clean_batch(number: int, sources: list, job: Job) -> BatchReport:
    """Retried as a whole on failure: its writes are atomic and idempotent."""
    return process_batch(number, sources, job)


@flow(name="clean-articles", log_prints=False)
def clean_articles(
    raw: str = "raw",
    clean: str = "clean",
    rules: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> dict[str, Any]:
    """Cleans every document in `raw` into `clean`, with a removal log and a rejects list per run."""
    logger = get_run_logger()
    started = time.perf_counter()
    raw_dir, clean_dir = check_folders(raw, clean)
    settings = load_settings(rules)
    job = Job(
        str(raw_dir),
        str(clean_dir),
        new_run_id(),
        rules=str(Path(rules).resolve()) if rules else None,
        max_bytes=max_bytes,
    )
    swept = sweep_temp_files(clean_dir)
    if swept:
        logger.info("removed %d temp files left by an interrupted run", swept)
    sources, refused = discover(raw_dir)
    total = len(sources) + len(refused)
    batch_size = max(1, batch_size)
    batches = [sources[i : i + batch_size] for i in range(0, len(sources), batch_size)]
    logger.info(
        "run %s: %d documents in %d batches, rules %s", job.run_id, total, len(batches), settings["rules_version"]
    )

    totals = BatchReport()
    for rejection in refused:
        totals.add_rejected(rejection.reason)
    write_rejections(job, "discovery", refused)
    progress.report(totals.documents, total)
    futures = {clean_batch.submit(number, batch, job): (number, batch) for number, batch in enumerate(batches)}
    for future in as_completed(list(futures)):
        number, batch = futures[future]
        try:
            report = future.result()
        except Exception as exc:  # retries exhausted: the batch's documents are rejected, the run goes on
            reason = f"batch failed after retries: {type(exc).__name__}: {exc}"
            logger.error("batch %d: %s", number, reason)
            write_rejections(job, f"{number:06d}", [SourceRejection(s.doc_id, s.source, reason) for s in batch])
            report = BatchReport()
            for _ in batch:
                report.add_rejected(reason)
        totals.merge(report)
        progress.report(totals.documents, total)
        logger.info("batch %d done: %d/%d documents", number, totals.documents, total)

    removal_log = job.run_folder / "removals.jsonl"
    rejects_log = job.run_folder / "rejects.jsonl"
    concatenate_atomically(sorted(job.parts_folder.glob("*.removals.jsonl")), removal_log)
    concatenate_atomically(sorted(job.parts_folder.glob("*.rejects.jsonl")), rejects_log)
    for part in job.parts_folder.glob("*.jsonl"):
        part.unlink()
    job.parts_folder.rmdir()

    summary = {
        "run_id": job.run_id,
        "raw": str(raw_dir),
        "clean": str(clean_dir),
        "rules_version": settings["rules_version"],
        **totals.to_dict(),
        "removal_log": str(removal_log),
        "rejects_log": str(rejects_log),
        "seconds": round(time.perf_counter() - started, 2),
    }
    atomic_write_json(job.run_folder / "summary.json", summary)
    create_table_artifact(
        key=ARTIFACT_KEY,
        table=totals.rule_rows()
        or [{"rule": "(none)", "category": "", "documents": 0, "spans": 0, "chars": 0, "share_of_removed": 0}],
        description=(
            f"Removals by rule, run {job.run_id}: {totals.cleaned} documents cleaned, "
            f"{totals.rejected} rejected; by category: "
            + ", ".join(f"{c} {v['chars']} chars" for c, v in summary["removals_by_category"].items())
        ),
    )
    logger.info(
        "run %s finished: %d cleaned, %d rejected in %.1f s",
        job.run_id,
        totals.cleaned,
        totals.rejected,
        summary["seconds"],
    )
    return summary
