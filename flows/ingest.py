"""The ingest run as a Prefect flow: each batch of files a task (retried on transient I/O
faults), run on threads, local processes or Dask.

Everything else (run rows, deletions, writes, graph, Parquet, reports) is
``pipeline.run.ingest``; this module only supplies its engine. Incremental state lives in
the project's DuckDB tables, not in Prefect's cache.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import TaskRunContext
from prefect.futures import as_completed
from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

from pipeline import run
from pipeline.ingest import BatchSettings, Outcome, TransientError, process_batch
from pipeline.settings import IngestSettings

RETRIES = 2


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


def make_task_runner(settings: IngestSettings) -> Any:
    """Threads, a local process pool, a local Dask cluster of processes, or a Dask scheduler."""
    workers = run.slots(settings)
    if settings.runner == "process":
        return ProcessPoolTaskRunner(max_workers=workers)
    if settings.runner == "dask":
        from prefect_dask import DaskTaskRunner

        if settings.dask_address:
            return DaskTaskRunner(address=settings.dask_address)
        kwargs = {"n_workers": workers, "threads_per_worker": 1, "processes": True, "dashboard_address": None}
        return DaskTaskRunner(cluster_kwargs=kwargs)
    return ThreadPoolTaskRunner(max_workers=workers)


def prefect_engine(settings: IngestSettings) -> run.Engine:
    """A ``pipeline.run`` engine that submits each batch as a task to the settings' runner."""

    def engine(batches: Iterable[run.Batch], bs: BatchSettings) -> Iterator[tuple[run.Batch, list[Outcome]]]:
        with make_task_runner(settings) as runner:
            yield from run.bounded(
                batches,
                lambda b: runner.submit(read_extract_batch, {"infos": b, "settings": bs}),
                lambda futures: next(as_completed(futures)),
                run.IN_FLIGHT_PER_WORKER * run.slots(settings),
            )

    return engine


@flow(name="kehoach-ingest", log_prints=False)
def ingest_flow(settings: IngestSettings | None = None) -> dict[str, Any]:
    """Ingest an archive into the DuckDB database, incrementally (``pipeline.run.ingest``)."""
    settings = settings or IngestSettings()
    summary = run.ingest(settings, engine=prefect_engine(settings), logger=get_run_logger())
    _publish(summary)
    return summary


def _publish(summary: dict[str, Any]) -> None:
    """Show the run's counts and failures in the Prefect UI (an artifact); best effort."""
    from prefect.artifacts import create_markdown_artifact

    c = summary["counts"]
    lines = ["| new | changed | unchanged | failed | deleted |", "|---|---|---|---|---|"]
    lines.append(f"| {c['new']} | {c['changed']} | {c['unchanged']} | {c['failed']} | {c['deleted']} |")
    if summary["failures"]:
        lines += ["", "| file | reason | detail |", "|---|---|---|"]
        lines += [f"| {f['path']} | {f['reason']} | {f['detail']} |" for f in summary["failures"]]
    try:
        create_markdown_artifact("\n".join(lines), key="kehoach-ingest-summary", description="kehoach ingest counts")
    except Exception:  # noqa: BLE001 - the UI nicety must not fail the run
        pass


__all__ = ["ingest_flow", "make_task_runner", "prefect_engine", "read_extract_batch"]
