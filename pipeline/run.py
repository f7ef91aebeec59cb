"""One ingest run: discover → plan → read/extract in batches → store → graph → export.

The library owns the run. What runs the batches is an :data:`Engine`: in this process
or a local pool (:func:`local_engine`, ``kehoach ingest --local``), or Prefect tasks on
threads, processes or Dask (``flows/ingest.py``). Every engine gets the same batches and
hands back their outcomes; this module writes them, one transaction per batch, as they
come back, so an interrupted run keeps every batch it committed.

A run is recorded in ``runs`` (status ``running`` → ``ok`` | ``finished_with_failures``
| ``interrupted`` | ``crashed``). :func:`current` records a run that has nothing to do
without starting any engine, which is how ``kehoach ingest`` skips Prefect then.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

from pipeline.errors import KehoachError, Reason, usage
from pipeline.ingest import (
    COUNT_KEYS,
    STOP,
    BatchSettings,
    Outcome,
    Plan,
    Tally,
    discover,
    failed,
    failure_line,
    make_batches,
    plan,
    process_batch,
)
from pipeline.models import FileInfo
from pipeline.settings import IngestSettings
from pipeline.store import Store
from pipeline.version import PIPELINE_VERSION

Batch = tuple[FileInfo, ...]
# (batches, what workers need) → each batch with its outcomes, as batches finish
Engine = Callable[[Iterable[Batch], BatchSettings], Iterator[tuple[Batch, list[Outcome]]]]
# (files done, files to do, the outcome just written or None) → None
ProgressCallback = Callable[[int, int, "Outcome | None"], None]
IN_FLIGHT_PER_WORKER = 2  # batches submitted ahead per worker: keeps workers busy, memory bounded

log = logging.getLogger("kehoach.ingest")
_progress: list[ProgressCallback] = []


class Logger(Protocol):
    def info(self, msg: str, *args: Any) -> None: ...
    def warning(self, msg: str, *args: Any) -> None: ...


@contextlib.contextmanager
def progress_reporter(callback: ProgressCallback) -> Iterator[None]:
    """Call ``callback(done, total, outcome)`` as files finish during runs in this process."""
    _progress.append(callback)
    try:
        yield
    finally:
        _progress.remove(callback)


def _report(done: int, total: int, outcome: Outcome | None) -> None:
    for cb in list(_progress):
        cb(done, total, outcome)


def request_stop() -> None:
    """Ask the run in this process to stop: workers finish their file and take no more."""
    STOP.set()


def stopping() -> bool:
    """Whether a stop was asked for since the run began."""
    return STOP.is_set()


# ----------------------------------------------------------------------- engines


def bounded(
    batches: Iterable[Batch],
    submit: Callable[[Batch], Any],
    first_done: Callable[[list[Any]], Any],
    limit: int,
) -> Iterator[tuple[Batch, list[Outcome]]]:
    """Keep at most ``limit`` batches submitted; yield each with its outcomes as it finishes.

    A batch whose future fails (a lost worker) comes back with every file failed
    (``internal``), so no file is dropped. ``submit`` returns a future, ``first_done``
    picks a finished one from a list.
    """
    queue = iter(batches)
    in_flight: dict[Any, Batch] = {}

    def refill() -> None:
        while len(in_flight) < limit and (batch := next(queue, None)):
            in_flight[submit(batch)] = batch

    refill()
    while in_flight:
        future = first_done(list(in_flight))
        batch = in_flight.pop(future)
        try:
            results = future.result()
        except Exception as e:  # noqa: BLE001 - a lost worker: every file of the batch fails, none is dropped
            results = [failed(info, Reason.internal, f"batch failed: {type(e).__name__}: {e}") for info in batch]
        del future
        refill()
        yield batch, results


def local_engine(settings: IngestSettings) -> Engine:
    """Batches in this process (one worker), or a local thread or process pool; no Prefect."""
    if settings.runner == "dask":
        raise usage("the dask runner needs Prefect: drop --local")
    workers = slots(settings)

    def engine(batches: Iterable[Batch], bs: BatchSettings) -> Iterator[tuple[Batch, list[Outcome]]]:
        if workers == 1 and settings.runner == "thread":
            for batch in batches:
                yield batch, process_batch(batch, bs)
            return
        if settings.runner == "process":
            pool: cf.Executor = _spawned(workers)
        else:
            pool = cf.ThreadPoolExecutor(workers, thread_name_prefix="kehoach")
        with pool:
            try:
                yield from bounded(
                    batches, lambda b: pool.submit(process_batch, b, bs),
                    lambda fs: next(cf.as_completed(fs)), IN_FLIGHT_PER_WORKER * workers,
                )  # fmt: skip
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise

    return engine


def slots(settings: IngestSettings) -> int:
    """How many batches run at once: ``workers``, else the CPU count."""
    return settings.workers or os.cpu_count() or 1


# --------------------------------------------------------------------------- run


class _Stages:
    """Wall seconds per stage of the run, and this process's peak RSS (MB) at the end of
    each (``summary["stages"]``, ``summary["peak_rss_mb"]``; bench/RESULTS.md)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.peak_rss_mb: dict[str, float] = {}

    @contextlib.contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        t = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - t, 3)
            self.peak_rss_mb[name] = _peak_rss_mb()


def _peak_rss_mb() -> float:
    try:
        import resource
    except ImportError:  # not on Linux/macOS
        return 0.0
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def ingest(settings: IngestSettings, *, engine: Engine | None = None, logger: Logger | None = None) -> dict[str, Any]:
    """Run the ingest ``settings`` describe and return its summary.

    Args:
        settings: what to ingest, where to, how.
        engine: how batches run (default: :func:`local_engine`).
        logger: where progress lines and one line per failed file go.

    Returns:
        counts (new, changed, unchanged, failed, deleted), per-format counts, failures
        ``{path, reason, detail}``, run id and status, outputs, table counts, seconds per stage.

    Raises:
        DatabaseLocked: another process holds the database after ``settings.lock_wait``.
        KeyboardInterrupt: the run was interrupted (recorded as ``interrupted``).
    """
    summary = _run(settings, engine, logger or log, only_if_current=False)
    assert summary is not None
    return summary


def current(settings: IngestSettings, *, logger: Logger | None = None) -> dict[str, Any] | None:
    """Record a run and return its summary if the archive needs no work; else None.

    No work: nothing new, changed or deleted (judged by path, size and mtime, nothing is
    hashed), the graph current and the outputs there. Then nothing is read and no
    engine starts; ``kehoach ingest`` uses this to skip starting Prefect. With
    ``rehash`` it always returns None.
    """
    if settings.rehash:
        return None
    return _run(settings, None, logger or log, only_if_current=True)


def _run(settings: IngestSettings, engine: Engine | None, logger: Logger, *, only_if_current: bool) -> dict[str, Any] | None:
    s = settings.resolved()
    STOP.clear()
    t0 = time.perf_counter()
    stages = _Stages()
    with stages("open"):
        store = open_store(s, logger)
    changed = False
    try:
        the_plan = None
        if only_if_current:
            with stages("discover"):
                the_plan = scan(store, s, hash_unknown=False)
            if the_plan.todo or the_plan.deleted or store.graph_stale() or not _outputs_there(s):
                return None
        run_id = store.begin_run(s.archive, {**s.to_json(), "pipeline_version": PIPELINE_VERSION})
        tally: Tally | None = None
        status = "crashed"
        try:
            if the_plan is None:
                with stages("discover"):
                    the_plan = scan(store, s)
            tally = Tally(the_plan)
            the_plan = replace(the_plan, unchanged=())  # only counted from here on
            logger.info(
                "%s: %d new, %d changed, %d unchanged, %d deleted", s.archive, len(the_plan.new),
                len(the_plan.changed), tally.unchanged, len(the_plan.deleted),
            )  # fmt: skip
            if the_plan.deleted:
                store.mark_deleted(run_id, list(the_plan.deleted))
            _process(store, run_id, s, the_plan, tally, engine or local_engine(s), logger, stages)
            changed = bool(tally.done or the_plan.deleted) or store.graph_stale()
            if store.graph_stale():
                with stages("graph"):
                    store.rebuild_graph()
            if changed or not _outputs_there(s, reports=False):
                with stages("parquet"):
                    store.export_parquet(s.parquet_dir)
            tables = store.table_counts()
            status = "finished_with_failures" if tally.failures else "ok"
        except KeyboardInterrupt:
            STOP.set()
            status = "interrupted"
            raise
        finally:
            store.finish_run(run_id, tally.counts() if tally else dict.fromkeys(COUNT_KEYS, 0), status)
    finally:
        store.close()
    reports = _reports(s, changed, stages, logger)
    assert tally is not None
    return tally.summary(
        run_id=run_id, status=status, archive=s.archive, db=s.db, parquet_dir=s.parquet_dir,
        parquet=sorted(str(p) for p in Path(s.parquet_dir or "").glob("*.parquet")), runner=s.runner,
        seconds=round(time.perf_counter() - t0, 3), reports=reports, tables=tables, stages=stages.seconds,
        peak_rss_mb=stages.peak_rss_mb,
    )  # fmt: skip


def open_store(s: IngestSettings, logger: Logger = log) -> Store:
    """The store for writing, waiting up to ``lock_wait`` seconds while another ingest holds it."""
    from pipeline.errors import DatabaseLocked

    deadline = time.monotonic() + s.lock_wait
    while True:
        try:
            return Store(s.db, memory_limit=s.db_memory)
        except DatabaseLocked:
            if time.monotonic() >= deadline:
                raise
            logger.warning("%s: held by another ingest; waiting (up to %.0f s)", s.db, s.lock_wait)
            time.sleep(min(5.0, max(0.1, deadline - time.monotonic())))


def scan(store: Store, s: IngestSettings, *, hash_unknown: bool = True) -> Plan:
    """Discover the archive against the store's state and plan the run."""
    known = store.known_files()
    db = Path(s.db)
    outputs = [db, Path(f"{db}.wal"), Path(s.parquet_dir or ""), Path(s.reports_dir or "")]
    files = discover(s.archive, exclude=outputs, known=known, rehash=s.rehash, hash_unknown=hash_unknown)
    return plan(files, known, PIPELINE_VERSION, retry_failed=s.retry_failed)


def _process(
    store: Store, run_id: str, s: IngestSettings, the_plan: Plan, tally: Tally, engine: Engine, logger: Logger,
    stages: _Stages,
) -> None:  # fmt: skip
    """Run the batches through ``engine`` and write each as it comes back."""
    todo = the_plan.todo
    _report(0, len(todo), None)
    if not todo:
        return
    bs = BatchSettings(root=s.archive, reader=s.reader, extractor=s.extractor)
    batches = make_batches(todo, s.batch_size, slots(s))
    with stages("read_extract"), contextlib.closing(engine(batches, bs)) as results:  # type: ignore[arg-type]
        for _batch, outcomes in results:
            with stages("store"):
                written = write_batch(store, run_id, outcomes, logger)
            for outcome in written:
                tally.add(outcome)
                _report(tally.done, len(todo), outcome)
    if "store" in stages.seconds:  # read_extract is the loop's wall time less the writes
        stages.seconds["read_extract"] = round(stages.seconds["read_extract"] - stages.seconds["store"], 3)


def write_batch(store: Store, run_id: str, results: Sequence[Outcome], logger: Logger = log) -> list[Outcome]:
    """Store a batch's documents in one transaction, then its failures; light outcomes back.

    If the batch write fails, each file is written on its own, so that only the file at
    fault is recorded as failed.
    """
    ok = [o for o in results if o.ok]
    try:
        store.put_documents(run_id, [(o.info, o.document, o.extraction) for o in ok])  # type: ignore[misc]
    except Exception:  # noqa: BLE001 - isolate the culprit file by file
        return [_write(store, run_id, o, logger) for o in results]
    return [o.light() if o.ok else _write(store, run_id, o, logger) for o in results]


def _write(store: Store, run_id: str, outcome: Outcome, logger: Logger) -> Outcome:
    """Store one outcome in its own transaction; a store error becomes the file's failure."""
    if outcome.ok:
        try:
            store.put_document(run_id, outcome.info, outcome.document, outcome.extraction)  # type: ignore[arg-type]
            return outcome.light()
        except KehoachError as e:
            outcome = failed(outcome.info, e.reason, e.detail, outcome.seconds)
        except Exception as e:  # noqa: BLE001 - per-file boundary: the run goes on
            outcome = failed(outcome.info, Reason.internal, f"store: {type(e).__name__}: {e}", outcome.seconds)
    logger.warning(failure_line(outcome))
    exc = outcome.exception()
    assert exc is not None
    store.put_failure(run_id, outcome.info, exc)
    return outcome.light()


def _outputs_there(s: IngestSettings, *, reports: bool = True) -> bool:
    """Whether the Parquet files (and, when drawn, the report PNGs) of an earlier run exist."""
    parquet = Path(s.parquet_dir or "")
    there = (parquet / "documents.parquet").is_file()
    if reports and s.reports:
        there = there and any(Path(s.reports_dir or "").glob("*.png"))
    return there


def _reports(s: IngestSettings, changed: bool, stages: _Stages, logger: Logger) -> list[str]:
    """The analyst PNGs, redrawn when the run changed something or they are missing.

    Drawn after the store is closed (the reports open the database read-only), in a
    process of their own: matplotlib and the reports' DuckDB working memory stay out of
    this process, and a plotting fault never fails the ingest.
    """
    out = Path(s.reports_dir or "")
    if not s.reports:
        return []
    if changed or not any(out.glob("*.png")):
        try:
            with stages("reports"), _spawned(1) as pool:
                pool.submit(_draw_reports, s.db, str(out)).result()
        except Exception as e:  # noqa: BLE001 - reports are a by-product of the run
            logger.warning("reports not written: %s: %s", type(e).__name__, e)
    return sorted(str(p) for p in out.glob("*.png"))


def _spawned(workers: int) -> cf.ProcessPoolExecutor:
    """Worker processes started fresh (spawn: never fork a process holding DuckDB's
    threads) that end with this process (``die_with_parent``)."""
    return cf.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=die_with_parent, initargs=(os.getpid(),))


def die_with_parent(parent: int) -> None:
    """In a worker process: end when the run's process ends, however it ends.

    Ctrl-C reaches the whole process group, but a SIGTERM (a scheduler cancelling the
    flow, ``kill``) reaches the run alone; a worker left behind would hold the database
    open (read-only, so the next run could not write) and draw or parse for nobody. Linux
    only (``prctl``); elsewhere the worker ends when its task does."""
    import ctypes
    import signal
    import sys

    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the run was gone before prctl took effect
        os._exit(1)


def _draw_reports(db: str, out: str) -> None:
    """In the report process: matplotlib and pandas are imported there, not here."""
    from pipeline.reports.write import write_reports

    write_reports(db, out)


__all__ = [
    "Engine",
    "IngestSettings",
    "ProgressCallback",
    "bounded",
    "current",
    "ingest",
    "local_engine",
    "open_store",
    "progress_reporter",
    "request_stop",
    "scan",
    "slots",
    "stopping",
    "write_batch",
]
