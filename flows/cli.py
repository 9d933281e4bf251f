"""The `newsclean` command.

`newsclean run` runs the clean-articles flow in this process. Without a Prefect server configured,
it starts Prefect's temporary local one and points every process of the run at it; with
PREFECT_API_URL set, the run is recorded on that server.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

from . import progress
from .io import RunSetupError, check_folders
from .terminal import fail

EXIT_INTERRUPTED = 130  # what a shell reports for a command stopped by Ctrl-C

_EPILOG_RUN = """\
outputs, in the clean folder:
  <id>.txt                    the cleaned article, paragraphs separated by a blank line
  <id>.json                   language, removals (offsets, rule, category, reason, text), counts
  _runs/<run>/removals.jsonl  every removed span of the run, one a line: grep it, aggregate it
  _runs/<run>/rejects.jsonl   documents that could not be cleaned, with the reason
  _runs/<run>/summary.json    the run's counts

examples:
  newsclean run                                  clean raw/ into clean/
  newsclean run --raw corpus/ --out out/ --rules my-rules.toml
  newsclean run --full                           clean everything again, statistics gathered anew
  newsclean run --runner dask --dask-workers 4   run the units on a local Dask cluster
  newsclean run --dry-run --rules my.toml        see what new rules would remove (log + report only)

runs are incremental: a document whose content and rules version did not change since the last
run into the same clean folder is skipped; a run that was killed is finished by the next one.
"""


_EPILOG_SERVE = """\
then, in another terminal (prefect is the one in newsclean's venv, .venv/bin/prefect):
  export PREFECT_API_URL=http://127.0.0.1:4200/api
  prefect deployment run 'clean-articles/on-demand' --param raw=$PWD/raw --param clean=$PWD/clean --watch
  prefect deployment run 'clean-articles/on-demand' --param raw=... --param clean=... --param runner=dask
"""


def _prefect_environment(verbose: bool) -> None:
    """Offline, quiet defaults for Prefect; the user's own settings win."""
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
        os.environ.setdefault("PREFECT_LOGGING_SERVER_LEVEL", "WARNING")
        # A failed run is one line of the CLI's own; Prefect's traceback of it only with --verbose.
        os.environ.setdefault("PREFECT_LOGGING_LOGGERS_PREFECT_FLOW_RUNS_LEVEL", "CRITICAL")
        os.environ.setdefault("PREFECT_LOGGING_LOGGERS_PREFECT_TASK_RUNS_LEVEL", "CRITICAL")
        # Dask's own lines only with --verbose: a local cluster's workers starting and stopping, and
        # the traceback of a worker whose heartbeat finds the scheduler already closed at shutdown.
        # A unit that fails on a worker is the run's own one line, as on threads.
        os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "critical")


TEMPORARY_SERVER_LOG = "temporary-server.log"  # in the user's state folder (flows.serve.state_folder)


def _temporary_server_address() -> str | None:
    """Starts Prefect's temporary server when no server is configured, and returns its API URL.

    Prefect would start one lazily in this process, but only this process would know its address:
    each Dask worker, finding no PREFECT_API_URL, would start a server of its own. With the address
    in the environment and the settings, workers (local or remote) report to this one.
    """
    from prefect.settings import PREFECT_API_URL

    if PREFECT_API_URL.value():
        return None
    from prefect.server.api.server import SubprocessASGIServer

    from .serve import state_folder

    server = SubprocessASGIServer()  # the instance Prefect's own client would use; stopped at exit
    # The server inherits the standard error it starts with: its own, to a log file, so that what
    # it says while it is stopped (a Ctrl-C mid-run) never reaches the user's terminal.
    log = state_folder() / TEMPORARY_SERVER_LOG
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as sink:
        terminal = os.dup(2)
        os.dup2(sink.fileno(), 2)
        try:
            server.start()
        finally:
            os.dup2(terminal, 2)
            os.close(terminal)
    os.environ["PREFECT_API_URL"] = server.api_url
    return server.api_url


def version_line() -> str:
    """`newsclean 0.1.0 (rules 2026.11.22)`: the package's version and the shipped rule set's."""
    import tomllib
    from importlib.metadata import PackageNotFoundError, version

    from cleaners.settings import default_settings_text

    try:
        package = version("newsclean")
    except PackageNotFoundError:
        package = "(not installed)"
    return f"newsclean {package} (rules {tomllib.loads(default_settings_text())['version']})"


def build_parser() -> argparse.ArgumentParser:
    from cleaners.documents import DEFAULT_MAX_BYTES

    from .batch import DEFAULT_BATCH_SIZE

    parser = argparse.ArgumentParser(
        prog="newsclean",
        description="Turn raw scraped news pages into clean articles, with a log of every removal.",
    )
    parser.add_argument("--version", action="version", version=version_line())
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    run = commands.add_parser(
        "run",
        help="clean a folder of raw documents (runs the clean-articles Prefect flow)",
        description="Clean every document in the raw folder into the clean folder. Reads text (.txt), "
        "HTML pages (.html, .htm) and JSON Lines shards (.jsonl), each optionally gzipped, in any "
        "encoding; what cannot be cleaned is listed with the reason. One run at a time holds the "
        "clean folder.",
        epilog=_EPILOG_RUN,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("--raw", default="raw", help="folder of raw documents, never written to (default: raw)")
    run.add_argument("--out", default="clean", help="folder for the cleaned documents and logs (default: clean)")
    run.add_argument(
        "--rules", default=None, metavar="FILE", help="a rules file merged over the shipped cleaners/rules.toml"
    )
    run.add_argument(
        "--batch-size",
        type=int,
        default=DEFAULT_BATCH_SIZE,
        metavar="N",
        help=f"documents per Prefect task (default: {DEFAULT_BATCH_SIZE})",
    )
    run.add_argument(
        "--max-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        metavar="N",
        help=f"reject files larger than this (default: {DEFAULT_MAX_BYTES:,})",
    )
    run.add_argument(
        "--full",
        action="store_true",
        help="clean every document again, not only the new and changed ones, and gather the corpus statistics anew",
    )
    run.add_argument(
        "--runner",
        choices=("threads", "dask"),
        default="threads",
        help="where the units run: threads in this process, or a Dask cluster (default: threads)",
    )
    run.add_argument(
        "--dask-address",
        default=None,
        metavar="ADDR",
        help="an existing Dask scheduler (tcp://host:8786); default: start a local cluster",
    )
    run.add_argument(
        "--dask-workers",
        type=int,
        default=2,
        metavar="N",
        help="worker processes of the local Dask cluster (default: 2)",
    )
    run.add_argument(
        "--dry-run",
        action="store_true",
        help="write the removal log and an HTML report of the run (in clean/_runs/<run>/), no cleaned files",
    )
    run.add_argument(
        "--prune",
        action="store_true",
        help="remove the outputs of raw files that are gone since an earlier run (without it they stay)",
    )
    run.add_argument(
        "--wait",
        type=float,
        default=0,
        metavar="SECONDS",
        help="when another run holds the clean folder, wait this long for it before giving up (default: 0)",
    )
    run.add_argument("--quiet", action="store_true", help="no progress bar and no summary table")
    run.add_argument("--verbose", action="store_true", help="show Prefect's own log lines")
    run.set_defaults(handler=command_run)
    serve = commands.add_parser(
        "serve",
        help="start a local Prefect server (with its UI), worker and the deployments of prefect.yaml, until Ctrl-C",
        description="One-step local setup: a Prefect server with its UI on 127.0.0.1, the process work pool "
        "'newsclean', the deployments 'clean-articles/nightly' (cron 02:00 UTC, on --raw and --out) "
        "and 'clean-articles/on-demand', and a worker. Ctrl-C stops what it started.",
        epilog=_EPILOG_SERVE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument("--port", type=int, default=4200, help="port of the Prefect server (default: 4200)")
    serve.add_argument("--raw", default="raw", help="raw folder of the nightly deployment (default: raw)")
    serve.add_argument("--out", default="clean", help="clean folder of the nightly deployment (default: clean)")
    serve.add_argument("--no-ui", action="store_true", help="start the server without its web UI")
    serve.add_argument(
        "--logs",
        default=None,
        metavar="DIR",
        help="folder for the server's and the worker's logs (default: ~/.local/state/newsclean/serve-PORT)",
    )
    serve.set_defaults(handler=command_serve)
    from .review import add_commands

    add_commands(commands)
    return parser


def command_run(args: argparse.Namespace) -> int:
    from cleaners.settings import RulesFileError, load_settings

    try:
        raw_dir, clean_dir = check_folders(args.raw, args.out)
        if args.rules:
            load_settings(args.rules)
    except (RunSetupError, RulesFileError) as exc:
        return fail(str(exc))
    if args.batch_size < 1:
        return fail("--batch-size must be at least 1")
    if args.dask_workers < 1:
        return fail("--dask-workers must be at least 1")
    if args.max_bytes < 1:
        return fail("--max-bytes must be at least 1")
    if args.wait < 0:
        return fail("--wait must be 0 or more seconds")
    busy = _folder_in_use(clean_dir, args.wait)
    if busy:
        return fail(busy)
    if not (args.full or args.dry_run):
        from .planning import nothing_to_do

        unchanged = nothing_to_do(raw_dir, clean_dir, args.rules)
        if unchanged is not None:  # answered without starting Prefect: no run, no run folder
            print(
                f"nothing new to clean: {unchanged} files unchanged since the last run into {Path(args.out)} "
                "(--full cleans them all again)"
            )
            return 0

    _prefect_environment(args.verbose)
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from .clean_articles import clean_articles

    console = Console(stderr=True)
    started = time.perf_counter()
    bar = Progress(
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[phase]} {task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        disable=args.quiet or not console.is_terminal,
    )
    if not args.quiet:
        console.print(f"[dim]starting Prefect and the clean-articles flow on {args.raw} ...[/dim]")
    from prefect.settings import PREFECT_API_URL, temporary_settings

    try:
        api_url = _temporary_server_address()
    except Exception as exc:
        from .serve import state_folder

        log = state_folder() / TEMPORARY_SERVER_LOG
        print(f"newsclean: could not start Prefect's temporary server: {exc} (its log: {log})", file=sys.stderr)
        return 1
    with bar, temporary_settings(updates={PREFECT_API_URL: api_url} if api_url else {}):
        task_id = bar.add_task("clean", total=None, rate="", phase=progress.CLEANING)
        progress.set_listener(_progress_listener(bar, task_id, console, enabled=not args.quiet))
        try:
            summary = clean_articles(
                raw=args.raw,
                clean=args.out,
                rules=args.rules,
                batch_size=args.batch_size,
                max_bytes=args.max_bytes,
                full=args.full,
                runner=args.runner,
                dask_address=args.dask_address,
                dask_workers=args.dask_workers,
                dry_run=args.dry_run,
                lock_wait_seconds=args.wait,
                prune=args.prune,
            )
        except RunSetupError as exc:  # another run took the folder since the check above
            return fail(str(exc))
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            print(f"newsclean: the run failed: {exc.strerror or exc}{where}", file=sys.stderr)
            return 1
        except Exception as exc:
            print(f"newsclean: the run failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            print(
                "newsclean: interrupted; what was committed stays and the next run into "
                f"{args.out} finishes the log. Stopping Prefect's temporary server (a few seconds) ...",
                file=sys.stderr,
                flush=True,
            )
            return EXIT_INTERRUPTED
        finally:
            progress.set_listener(None)
    if args.dry_run:
        _dry_run_report(summary)
    if not args.quiet:
        print_summary(summary, time.perf_counter() - started)
    return 0


def _folder_in_use(clean_dir: Path, wait_seconds: float) -> str | None:
    """Why the clean folder cannot be taken now (another run holds it, it cannot be written, its
    manifest is damaged), or None; asked before Prefect starts, so that the answer comes at once."""
    from .lock import FolderLock
    from .state import Manifest

    try:
        with FolderLock(clean_dir, "(checking)", wait_seconds), Manifest(clean_dir):
            return None
    except RunSetupError as exc:
        return str(exc)


def _dry_run_report(summary: dict[str, Any]) -> None:
    """A dry run's report beside its log, so that the removals can be read before anything is written."""
    from .io import atomic_write_text
    from .report import build_report

    run_folder = Path(summary["removal_log"]).parent
    for name, page in build_report(run_folder, Path(summary["raw"])).items():
        atomic_write_text(run_folder / name, page)
    summary["report"] = str(run_folder / "report.html")


def _progress_listener(bar: Any, task_id: Any, console: Any, *, enabled: bool) -> progress.ProgressListener:
    """Feeds the bar on a terminal; elsewhere (a log file, CI) prints a line at most every 10 s.
    Both show what is done of what there is to do in the phase (sources read for the statistics,
    then documents cleaned), the rate since the phase began and the time left."""
    started = [0.0]
    last_line = [0.0]
    counting = [progress.CLEANING]

    def listen(done: int, total: int, phase: str) -> None:
        now = time.monotonic()
        if not started[0] or phase != counting[0]:  # a new phase: its own rate
            started[0], counting[0], last_line[0] = now, phase, 0.0
        rate = done / (now - started[0]) if done and now > started[0] else 0.0
        shown_rate = f"{rate:,.1f}/s" if rate else ""
        bar.update(task_id, completed=done, total=total, rate=shown_rate, phase=phase)
        if enabled and not console.is_terminal and (now - last_line[0] >= 10 or done == total):
            last_line[0] = now
            left = f", about {_duration((total - done) / rate)} left" if rate and done < total else ""
            speed = f", {shown_rate}" if shown_rate else ""
            print(f"newsclean: {done:,}/{total:,} {phase}{speed}{left}", file=sys.stderr, flush=True)

    return listen


def _duration(seconds: float) -> str:
    """`42 s`, `3 min 5 s`, `2 h 10 min`: a time left as a person reads it."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


def print_summary(summary: dict[str, Any], wall_seconds: float) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    overview = Table(title=f"newsclean run {summary['run_id']}", show_header=False)
    overview.add_row("documents", str(summary["documents"]))
    overview.add_row("cleaned", str(summary["cleaned"]))
    overview.add_row("rejected", str(summary["rejected"]))
    overview.add_row("unchanged files (skipped)", str(summary["unchanged"]))
    if summary.get("set_aside"):  # see a page's record: set_aside says why
        overview.add_row("pages the text rules read", f"{summary['set_aside']} (trafilatura kept a sliver, or a forum)")
    kept = summary["chars_out"] / summary["chars_in"] if summary["chars_in"] else 0
    overview.add_row("characters in / out", f"{summary['chars_in']:,} / {summary['chars_out']:,} ({kept:.0%} kept)")
    overview.add_row("languages", ", ".join(f"{k} {v}" for k, v in summary["languages"].items()) or "-")
    overview.add_row("wall time", f"{wall_seconds:.1f} s (flow {summary['seconds']:.1f} s)")
    console.print(overview)
    if summary["removals_by_category"]:
        categories = Table(title="removals by category")
        categories.add_column("category")
        categories.add_column("spans", justify="right")
        categories.add_column("characters", justify="right")
        for category, counts in summary["removals_by_category"].items():
            categories.add_row(category, str(counts["spans"]), f"{counts['chars']:,}")
        console.print(categories)
    if summary["reject_reasons"]:
        rejects = Table(title="rejected documents")
        rejects.add_column("reason")
        rejects.add_column("documents", justify="right")
        for reason, count in summary["reject_reasons"].items():
            rejects.add_row(reason, str(count))
        console.print(rejects)
    if summary["sources"] == 0:
        console.print(f"the raw folder {summary['raw']} holds no documents (.txt, .html, .htm, .jsonl, optionally .gz)")
    elif summary["units"] == 0:
        console.print(
            f"nothing new to clean: {summary['unchanged']} files unchanged since the last run "
            "(--full cleans them all again)"
        )
    if summary.get("gone"):
        gone = summary["gone"]
        console.print(
            f"removed the outputs of {gone} raw files gone since the last run"
            if summary.get("pruned")
            else f"{gone} raw files are gone since the last run; their outputs stay (--prune removes them)"
        )
    for run_id in summary["recovered_runs"]:
        console.print(f"finished the log of interrupted run {run_id}")
    console.print(f"cleaned files in {summary['clean']}")
    if summary.get("dry_run"):
        console.print("dry run: no cleaned file was written")
    console.print(f"removal log      {summary['removal_log']}")
    if summary.get("report"):
        console.print(f"report           {summary['report']}")
    console.print(f"rejects list     {summary['rejects_log']}")


def command_serve(args: argparse.Namespace) -> int:
    from .serve import PREFECT, LocalPrefect, ServeError, default_log_dir, project_folder

    try:
        raw, clean = check_folders(args.raw, args.out)
        project = project_folder()
    except (RunSetupError, ServeError) as exc:
        return fail(str(exc))
    log_dir = Path(args.logs).expanduser().resolve() if args.logs else default_log_dir(args.port)
    if log_dir == clean or clean in log_dir.parents:
        return fail(f"the log folder {log_dir} is inside the clean folder {clean}; choose another with --logs")
    stop = {"now": False}

    def request_stop(*_: object) -> None:
        stop["now"] = True

    signal.signal(signal.SIGTERM, request_stop)
    try:
        with LocalPrefect(port=args.port, log_dir=log_dir, ui=not args.no_ui) as local:
            local.deploy(project, raw, clean)
            local.start_worker()
            ui = "off (--no-ui)" if args.no_ui else local.ui_url
            links = (
                ""
                if args.no_ui
                else f"                nightly   {local.deployment_url('clean-articles/nightly')}\n"
                f"                on-demand {local.deployment_url('clean-articles/on-demand')}\n"
            )
            print(
                f"Prefect UI      {ui}\n"
                f"Prefect API     {local.api_url}\n"
                f"deployments     clean-articles/nightly (02:00 UTC daily: {raw} -> {clean}),"
                " clean-articles/on-demand\n"
                f"{links}"
                f"worker          pool '{local.pool}'\n"
                f"logs            {log_dir}\n\n"
                f"run one:  PREFECT_API_URL={local.api_url} {PREFECT} deployment run 'clean-articles/on-demand' "
                f"--param raw={raw} --param clean={clean} --watch\n"
                "Ctrl-C stops the server and the worker.\n"
                "newsclean serve: ready",
                flush=True,
            )
            while not stop["now"]:
                time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    except ServeError as exc:
        print(f"newsclean: {exc} (logs in {log_dir})", file=sys.stderr)
        return 1
    print("newsclean serve: stopped", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
