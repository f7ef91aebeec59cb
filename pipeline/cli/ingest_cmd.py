"""``kehoach ingest DIR``: one ingest run (``pipeline.run``) through the Prefect flow, and
``--nightly``: the same settings served on a schedule by the nightly deployment.

The command only builds an :class:`~pipeline.settings.IngestSettings`. When nothing is
new, changed or deleted it records the run and returns without starting Prefect;
otherwise it runs the Prefect flow, which this package reaches through the
``kehoach.flows`` entry points (the flows are an application over the library, not a part
of it). ``--local`` runs the same library code without Prefect.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import typer

from pipeline.cli.app import DbOption, JsonOption, VerboseOption, app
from pipeline.cli.output import emit_json, err, out
from pipeline.errors import ExitCode, KehoachError, Reason
from pipeline.settings import NIGHTLY_CRON, NIGHTLY_TIMEZONE, RUNNERS, IngestSettings

RUNNER_HELP = f"{' | '.join(RUNNERS)}: threads, a local process pool, or Dask (a local cluster, or --dask-address)."
D = IngestSettings()  # the defaults: written once, in pipeline/settings.py


@app.command("ingest")
def ingest(
    archive: Path = typer.Argument(Path(D.archive), help="Archive folder to ingest (walked recursively)."),
    db: Path = DbOption,
    runner: str = typer.Option(D.runner, "--runner", help=RUNNER_HELP),
    dask_address: str = typer.Option(D.dask_address, "--dask-address", help="Existing Dask scheduler, e.g. tcp://host:8786."),
    workers: int = typer.Option(D.workers, "--workers", min=1, help="Threads or processes (default: CPU count)."),
    batch_size: int = typer.Option(D.batch_size, "--batch-size", min=1, help="Files per task."),
    retry_failed: bool = typer.Option(D.retry_failed, "--retry-failed", help="Also redo files that failed before."),
    rehash: bool = typer.Option(D.rehash, "--rehash", help="Hash every file, even those whose size and mtime are unchanged."),
    wait: float = typer.Option(D.lock_wait, "--wait", min=0, help="Seconds to wait if another ingest holds the database."),
    no_reports: bool = typer.Option(False, "--no-reports", help="Do not draw the report PNGs."),
    local: bool = typer.Option(False, "--local", help="Run without Prefect: batches in this process, or its own thread or process pool."),
    nightly: bool = typer.Option(False, "--nightly", help="Serve these settings on a schedule (needs PREFECT_API_URL; see scripts/nightly.sh)."),
    cron: str = typer.Option(NIGHTLY_CRON, "--cron", help="With --nightly: when, as a cron line."),
    timezone: str = typer.Option(NIGHTLY_TIMEZONE, "--timezone", help="With --nightly: the cron line's time zone."),
    no_progress: bool = typer.Option(False, "--no-progress", help="No progress bar."),
    as_json: bool = JsonOption,
    verbose: bool = VerboseOption,
) -> None:
    """Ingest an archive folder into DuckDB + Parquet, skipping unchanged files.

    Exit status: 0 all files stored; 3 finished, some files failed (listed with reasons);
    5 another ingest holds the database; 130 interrupted (rerun to finish); 10 crashed.
    """
    if not archive.is_dir():
        raise KehoachError(Reason.unreadable, str(archive), "not a folder")
    settings = IngestSettings(
        archive=str(archive), db=str(db), runner=runner, dask_address=dask_address, workers=workers,
        batch_size=batch_size, retry_failed=retry_failed, rehash=rehash, lock_wait=wait, reports=not no_reports,
    )  # fmt: skip
    if nightly:
        _quiet_prefect(verbose)
        _flow("nightly")(settings, cron=cron, timezone=timezone)
        return
    from pipeline import run

    with _progress(enabled=not no_progress) as bar:
        if local:
            summary = run.ingest(settings)
        else:
            summary = run.current(settings) or _run_flow(settings, verbose, bar)
    if as_json:
        emit_json(summary)
    else:
        print_summary(summary)
    if summary["counts"]["failed"]:
        raise typer.Exit(ExitCode.finished_with_failures)


def _flow(name: str) -> Callable[..., Any]:
    """The ``kehoach.flows`` entry point ``name`` (``flows.ingest:ingest_flow``, ...)."""
    found = entry_points(group="kehoach.flows", name=name)
    if not found:
        raise KehoachError(
            Reason.missing_dependency, None,
            f"the Prefect flows are not installed (entry point kehoach.flows:{name}); "
            "`pip install -e .` installs them, or use --local",
        )  # fmt: skip
    return next(iter(found)).load()


def _run_flow(settings: IngestSettings, verbose: bool, bar: _progress) -> dict[str, Any]:
    _quiet_prefect(verbose)
    with _console_logs_above_errors_only() if bar.enabled else contextlib.nullcontext():
        return _flow("ingest")(settings)


def _quiet_prefect(verbose: bool) -> None:
    """Keep Prefect's and Dask's console to warnings (our one line per failed file) unless -v."""
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")  # no network calls at run time
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
        os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")  # read by dask at import
        # A local cluster's nannies kill workers slow to exit at shutdown: routine, not news.
        logging.getLogger("distributed.nanny").setLevel(logging.ERROR)


class _progress:
    """A rich progress bar on stderr while files are read, shown only on a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and err.is_terminal
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> _progress:
        if not self.enabled:
            return self
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        from pipeline.ingest import failure_line
        from pipeline.run import progress_reporter

        bar = Progress(
            TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            TextColumn("{task.fields[last]}"), console=err, transient=True,
        )  # fmt: skip
        task_id = bar.add_task("ingest", total=None, last="")

        def update(done: int, total: int, outcome: Any) -> None:
            last = outcome.info.path if outcome is not None else ""
            bar.update(task_id, completed=done, total=total or None, last=last)
            if outcome is not None and not outcome.ok:
                bar.console.print(failure_line(outcome), highlight=False, markup=False)

        self._stack.enter_context(bar)
        self._stack.enter_context(progress_reporter(update))
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stack.close()


@contextlib.contextmanager
def _console_logs_above_errors_only() -> Iterator[None]:
    """Keep Prefect's console handlers to errors while the bar runs (the UI still gets all).

    They write to the terminal behind the bar's back, gluing lines onto it; the bar's own
    console prints the one line per failed file instead.
    """
    from prefect.logging.handlers import PrefectConsoleHandler

    loggers = [logging.getLogger()] + [
        lg for lg in logging.Logger.manager.loggerDict.values() if isinstance(lg, logging.Logger)
    ]
    handlers = {id(h): h for lg in loggers for h in lg.handlers if isinstance(h, PrefectConsoleHandler)}
    saved = {k: h.level for k, h in handlers.items()}
    for h in handlers.values():
        h.setLevel(max(h.level, logging.ERROR))
    try:
        yield
    finally:
        for k, h in handlers.items():
            h.setLevel(saved[k])


def print_summary(summary: dict[str, Any]) -> None:
    """Counts, per-format counts, failures and where the outputs are, as rich tables."""
    from rich.table import Table

    c = summary["counts"]
    counts = Table(title=f"kehoach ingest: {summary['archive']}")
    for key in ("new", "changed", "unchanged", "failed", "deleted"):
        counts.add_column(key, justify="right")
    counts.add_row(*(str(c[k]) for k in ("new", "changed", "unchanged", "failed", "deleted")))
    out.print(counts)
    if summary["formats"]:
        formats = Table(title="by format")
        for col in ("format", "ok", "failed", "unchanged"):
            formats.add_column(col, justify="left" if col == "format" else "right")
        for fmt, n in summary["formats"].items():
            formats.add_row(fmt, *(str(n.get(k, 0)) for k in ("ok", "failed", "unchanged")))
        out.print(formats)
    if summary["failures"]:
        failures = Table(title="failed files")
        for col in ("file", "reason", "detail"):
            failures.add_column(col, overflow="fold")
        for f in summary["failures"]:
            failures.add_row(f["path"], f["reason"], f["detail"])
        out.print(failures)
    if summary.get("tables"):
        tables = Table(title="what the database holds")
        tables.add_column("rows")
        tables.add_column("count", justify="right")
        for name, n in summary["tables"].items():
            tables.add_row(name, str(n))
        out.print(tables)
    out.print(f"database: {summary['db']}", highlight=False)
    out.print(f"parquet:  {summary['parquet_dir']} ({len(summary['parquet'])} files)", highlight=False)
    if summary.get("reports"):
        out.print(f"reports:  {Path(summary['reports'][0]).parent} ({len(summary['reports'])} PNGs)", highlight=False)
    out.print(f"run:      {summary['run_id']} ({summary['status']}, {summary['seconds']} s)", highlight=False)


__all__ = ["ingest", "print_summary"]
