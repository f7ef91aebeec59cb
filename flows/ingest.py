"""The ingest flow: discover → plan → read+extract in batches → store → graph → Parquet.

A thin Prefect wrapper over ``pipeline.ingest`` (the plain core) and
``pipeline.store.Store``. One task per batch of files, not per file (Prefect's
bookkeeping costs milliseconds and ~20 KB per task run); batches run on threads by
default or on a Dask cluster (``runner="dask"``). Workers only read and extract; this
flow's own process writes every result through ``Store``, one file per transaction, as
the batches come back, so a crash loses at most the batches still in flight.

Incremental state lives in the project's DuckDB tables (``files``, ``runs``), not in
Prefect's cache: an unchanged file (same sha256, same ``PIPELINE_VERSION``) is skipped,
a changed one replaces its rows, a deleted one is marked deleted.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import TaskRunContext
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from pipeline.errors import DatabaseLocked, KehoachError, Reason
from pipeline.ingest import (
    COUNT_KEYS,
    BatchSettings,
    Outcome,
    TransientError,
    count,
    discover,
    failed,
    failure_line,
    make_batches,
    plan,
    process_batch,
    summarise,
)
from pipeline.version import PIPELINE_VERSION

DEFAULT_ARCHIVE = "data/raw"
DEFAULT_DB = "data/processed/kehoach.duckdb"
DEFAULT_BATCH_SIZE = 8
RETRIES = 2
RUNNERS = ("thread", "dask")
IN_FLIGHT_PER_WORKER = 2  # batches submitted ahead per worker: keeps workers busy, memory bounded

# (done, total, outcome or None) → None; set by the CLI for its progress bar.
ProgressCallback = Callable[[int, int, "Outcome | None"], None]
_progress: list[ProgressCallback] = []


@contextlib.contextmanager
def progress_reporter(callback: ProgressCallback) -> Iterator[None]:
    """Call ``callback(done, total, outcome)`` as files finish during flows run here."""
    _progress.append(callback)
    try:
        yield
    finally:
        _progress.remove(callback)


def _report(done: int, total: int, outcome: Outcome | None) -> None:
    for cb in list(_progress):
        cb(done, total, outcome)


def _retry_transient(task: Any, task_run: Any, state: Any) -> bool:
    """Retry a batch only for transient I/O faults, never for bugs."""
    try:
        state.result()
    except TransientError:
        return True
    except Exception:  # noqa: BLE001
        return False
    return False


@task(
    name="read-extract-batch",
    retries=RETRIES,
    retry_delay_seconds=2,
    retry_condition_fn=_retry_transient,
    cache_policy=NO_CACHE,
)
def read_extract_batch(infos: tuple, settings: BatchSettings) -> list[Outcome]:
    """Read and extract one batch; transient I/O faults retry the batch, the last try records them."""
    ctx = TaskRunContext.get()
    last_try = ctx is None or ctx.task_run.run_count > RETRIES
    return process_batch(infos, settings, raise_transient=not last_try)


def make_task_runner(runner: str = "thread", dask_address: str | None = None, workers: int | None = None) -> Any:
    """The task runner for ``runner``: threads, a local Dask cluster, or a Dask scheduler."""
    if runner == "thread":
        return ThreadPoolTaskRunner(max_workers=workers or os.cpu_count() or 1)
    if runner == "dask":
        from prefect_dask import DaskTaskRunner

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        return DaskTaskRunner(
            cluster_kwargs={
                "n_workers": workers or os.cpu_count() or 1,
                "threads_per_worker": 1,
                "processes": True,
                "dashboard_address": None,
            }
        )
    raise ValueError(f"unknown runner {runner!r}; choose one of {', '.join(RUNNERS)}")


def _open_store(db: str) -> Any:
    from pipeline.store import Store

    Path(db).parent.mkdir(parents=True, exist_ok=True)
    return Store(db)


def _open_store_waiting(db: str, wait: float, logger: Any) -> Any:
    """Open the store, waiting up to ``wait`` seconds while another ingest holds it."""
    deadline = time.monotonic() + max(0.0, wait)
    while True:
        try:
            return _open_store(db)
        except DatabaseLocked:
            if time.monotonic() >= deadline:
                raise
            logger.warning("%s: held by another ingest; waiting (up to %.0f s)", db, wait)
            time.sleep(min(5.0, max(0.1, deadline - time.monotonic())))


def _write_batch(store: Any, run_id: str, results: list[Outcome], logger: Any) -> list[Outcome]:
    """Store a batch's documents in one transaction, then its failures.

    If the batch write fails, each file is written on its own, so that only the file at
    fault is recorded as failed.
    """
    ok = [o for o in results if o.ok]
    try:
        store.put_documents(run_id, [(o.info, o.document, o.extraction) for o in ok])
    except Exception:  # noqa: BLE001 - isolate the culprit file by file
        return [_write(store, run_id, o, logger) for o in results]
    return [o.light() if o.ok else _write(store, run_id, o, logger) for o in results]


def _write(store: Any, run_id: str, outcome: Outcome, logger: Any) -> Outcome:
    """Store one outcome in its own transaction; a store error becomes the file's failure."""
    if outcome.ok:
        try:
            store.put_document(run_id, outcome.info, outcome.document, outcome.extraction)
            return outcome.light()
        except KehoachError as e:
            outcome = failed(outcome.info, e.reason, e.detail, outcome.seconds)
        except Exception as e:  # noqa: BLE001 - per-file boundary: the run goes on
            outcome = failed(outcome.info, Reason.internal, f"store: {type(e).__name__}: {e}", outcome.seconds)
    logger.warning(failure_line(outcome))
    store.put_failure(run_id, outcome.info, outcome.exception())
    return outcome.light()


def _publish(summary: dict[str, Any]) -> None:
    """Show the run's counts and failures in the Prefect UI (an artifact); best effort."""
    try:
        from prefect.artifacts import create_markdown_artifact

        c = summary["counts"]
        lines = ["| new | changed | unchanged | failed | deleted |", "|---|---|---|---|---|"]
        lines.append(f"| {c['new']} | {c['changed']} | {c['unchanged']} | {c['failed']} | {c['deleted']} |")
        if summary["failures"]:
            lines += ["", "| file | reason | detail |", "|---|---|---|"]
            lines += [f"| {f['path']} | {f['reason']} | {f['detail']} |" for f in summary["failures"]]
        create_markdown_artifact("\n".join(lines), key="kehoach-ingest-summary", description="kehoach ingest counts")
    except Exception:  # noqa: BLE001 - the UI nicety must not fail the run
        pass


@flow(name="kehoach-ingest", log_prints=False)
def ingest_flow(
    archive: str = DEFAULT_ARCHIVE,
    db: str = DEFAULT_DB,
    batch_size: int = DEFAULT_BATCH_SIZE,
    runner: str = "thread",
    dask_address: str | None = None,
    workers: int | None = None,
    retry_failed: bool = False,
    parquet_dir: str | None = None,
    lock_wait: float = 0.0,
) -> dict[str, Any]:
    """Ingest an archive folder into the DuckDB database, incrementally.

    Args:
        archive: the archive folder (walked recursively).
        db: the DuckDB file (created if missing); Parquet goes next to it in ``parquet/``.
        batch_size: files per task.
        runner: ``"thread"`` or ``"dask"``.
        dask_address: an existing Dask scheduler (``tcp://host:8786``); default a local cluster.
        workers: threads or Dask workers (default: CPU count).
        retry_failed: also redo files that failed before with the same bytes.
        parquet_dir: where to export Parquet (default ``<db folder>/parquet``).
        lock_wait: seconds to wait while another ingest holds the database (0: refuse).

    Returns:
        The summary: counts (new, changed, unchanged, failed, deleted), per-format counts,
        failures ``{path, reason, detail}``, run id, database and Parquet paths.

    Raises:
        pipeline.errors.DatabaseLocked: another process still holds the database after ``lock_wait``.
    """
    logger = get_run_logger()
    t0 = time.perf_counter()
    root = Path(archive).resolve()
    db_path = Path(db).resolve()
    out_dir = Path(parquet_dir).resolve() if parquet_dir else db_path.parent / "parquet"
    if runner not in RUNNERS:
        raise ValueError(f"unknown runner {runner!r}; choose one of {', '.join(RUNNERS)}")
    store = _open_store_waiting(str(db_path), lock_wait, logger)
    try:
        params = {
            "batch_size": batch_size,
            "runner": runner,
            "dask_address": dask_address,
            "workers": workers,
            "retry_failed": retry_failed,
            "pipeline_version": PIPELINE_VERSION,
            "flow_run_id": _flow_run_id(),
        }
        run_id = store.begin_run(str(root), params)
        outcomes: list[Outcome] = []
        the_plan = None
        changed = False
        tables: dict[str, int] = {}
        status = "crashed"
        try:
            files = discover(root, exclude=[db_path, Path(f"{db_path}.wal"), out_dir, db_path.parent / "reports"])
            the_plan = plan(files, store.known_files(), PIPELINE_VERSION, retry_failed=retry_failed)
            logger.info(
                "%s: %d files: %d new, %d changed, %d unchanged, %d deleted",
                root, len(files), len(the_plan.new), len(the_plan.changed), len(the_plan.unchanged),
                len(the_plan.deleted),
            )
            if the_plan.deleted:
                store.mark_deleted(run_id, list(the_plan.deleted))
            _run_batches(store, run_id, the_plan, root, outcomes, batch_size, runner, dask_address, workers, logger)
            # An unchanged re-run neither rebuilds the graph nor redraws the reports.
            changed = bool(outcomes or the_plan.deleted) or store.graph_stale()
            if store.graph_stale():
                store.rebuild_graph()
            parquet = [str(p) for p in store.export_parquet(out_dir)]
            tables = _table_counts(store)
            status = "finished_with_failures" if any(not o.ok for o in outcomes) else "ok"
        except KeyboardInterrupt:
            status = "interrupted"
            raise
        finally:
            counts = count(the_plan, outcomes) if the_plan else dict.fromkeys(COUNT_KEYS, 0)
            store.finish_run(run_id, counts, status)
    finally:
        _close(store)
    reports_dir = db_path.parent / "reports"
    if changed or not any(reports_dir.glob("*.png")):
        reports = _write_reports(db_path, reports_dir, logger)
    else:
        reports = sorted(str(p) for p in reports_dir.glob("*.png"))
    summary = summarise(
        the_plan,
        outcomes,
        run_id=run_id,
        status=status,
        archive=str(root),
        db=str(db_path),
        parquet_dir=str(out_dir),
        parquet=parquet,
        runner=runner,
        seconds=round(time.perf_counter() - t0, 3),
        reports=reports,
        tables=tables,
    )
    _publish(summary)
    logger.info("counts: %s", summary["counts"])
    return summary


def _table_counts(store: Any) -> dict[str, int]:
    """What the archive amounts to after this run: rows of the main tables, edges by type."""
    con = store.con
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("documents", "nodes", "citations", "deadlines", "assignments", "numbers")}
    for kind, n in con.execute("SELECT type, count(*) FROM edges GROUP BY type ORDER BY type").fetchall():
        counts[f"{kind} edges"] = n
    return counts


def _write_reports(db_path: Path, reports_dir: Path, logger: Any) -> list[str]:
    """The analyst plots as PNGs beside the database; a plotting fault never fails the ingest.

    Runs after the store is closed: the reports open the database read-only.
    """
    from pipeline.reports import write_reports

    try:
        return [str(p) for p in write_reports(db_path, reports_dir)]
    except Exception as e:  # noqa: BLE001 - reports are a by-product of the run
        logger.warning("reports not written: %s: %s", type(e).__name__, e)
        return []


def _run_batches(
    store: Any,
    run_id: str,
    the_plan: Any,
    root: Path,
    outcomes: list[Outcome],
    batch_size: int,
    runner: str,
    dask_address: str | None,
    workers: int | None,
    logger: Any,
) -> None:
    """Submit one task per batch; write each result as it comes back and add it to ``outcomes``.

    ``outcomes`` is filled in place so that a crash half-way still counts what was stored.
    """
    todo = the_plan.todo
    total = len(todo)
    _report(0, total, None)
    if not todo:
        return
    settings = BatchSettings(root=str(root))
    in_flight: dict[Any, tuple] = {}  # future → its batch; bounded so finished documents are freed
    with make_task_runner(runner, dask_address, workers) as task_runner:
        n_workers = _slots(task_runner, runner, workers)
        queue = iter(make_batches(todo, batch_size, n_workers))

        def refill() -> None:
            while len(in_flight) < IN_FLIGHT_PER_WORKER * n_workers and (batch := next(queue, None)):
                in_flight[task_runner.submit(read_extract_batch, {"infos": batch, "settings": settings})] = batch

        refill()
        while in_flight:
            future = next(as_completed(list(in_flight)))
            batch = in_flight.pop(future)
            try:
                results = future.result()
            except Exception as e:  # noqa: BLE001 - a lost worker: every file of the batch fails, none is dropped
                detail = f"batch failed: {type(e).__name__}: {e}"
                results = [failed(info, Reason.internal, detail) for info in batch]
            del future
            refill()
            for outcome in _write_batch(store, run_id, results, logger):
                outcomes.append(outcome)
                _report(len(outcomes), total, outcome)


def _slots(task_runner: Any, runner: str, workers: int | None) -> int:
    """How many batches can run at once: ``workers``, the Dask cluster's threads, or the CPUs."""
    if workers:
        return workers
    if runner == "dask":
        try:
            info = task_runner.client.scheduler_info()
            return max(1, sum(int(w.get("nthreads", 1)) for w in info["workers"].values()))
        except Exception:  # noqa: BLE001 - a hint only
            pass
    return os.cpu_count() or 1


def _flow_run_id() -> str | None:
    try:
        from prefect.runtime import flow_run

        return str(flow_run.id) if flow_run.id else None
    except Exception:  # noqa: BLE001
        return None


def _close(store: Any) -> None:
    close = getattr(store, "close", None)
    if callable(close):
        close()


__all__ = ["DEFAULT_ARCHIVE", "DEFAULT_DB", "RUNNERS", "ingest_flow", "make_task_runner", "progress_reporter"]
