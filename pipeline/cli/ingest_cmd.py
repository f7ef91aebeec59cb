"""``kehoach ingest DIR``: run the ingest flow (Prefect embedded mode) and print a summary.

The command is a thin shell over ``flows.ingest.ingest_flow``: the same flow the nightly
deployment serves. Prefect is imported only when the command runs, so other commands
start fast.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

from pipeline.cli.app import DbOption, JsonOption, VerboseOption, app
from pipeline.cli.output import emit_json, err, out
from pipeline.errors import DatabaseLocked, ExitCode

RUNNER_HELP = "thread (default) or dask (a local Dask cluster, or --dask-address)."


@app.command("ingest")
def ingest(
    archive: Path = typer.Argument(..., help="Archive folder to ingest (walked recursively)."),
    db: Path = DbOption,
    runner: str = typer.Option("thread", "--runner", help=RUNNER_HELP),
    dask_address: str = typer.Option(None, "--dask-address", help="Existing Dask scheduler, e.g. tcp://host:8786."),
    workers: int = typer.Option(None, "--workers", min=1, help="Threads or Dask workers (default: CPU count)."),
    batch_size: int = typer.Option(8, "--batch-size", min=1, help="Files per Prefect task."),
    retry_failed: bool = typer.Option(False, "--retry-failed", help="Also redo files that failed before."),
    wait: float = typer.Option(0.0, "--wait", min=0, help="Seconds to wait if another ingest holds the database."),
    no_progress: bool = typer.Option(False, "--no-progress", help="No progress bar."),
    as_json: bool = JsonOption,
    verbose: bool = VerboseOption,
) -> None:
    """Ingest an archive folder into DuckDB + Parquet, skipping unchanged files.

    Exit status: 0 all files stored; 3 finished, some files failed (listed with reasons);
    5 another ingest holds the database; 10 crashed.
    """
    if runner not in ("thread", "dask"):
        err.print(f"[red]error[/red]: --runner must be thread or dask, not {runner!r}", highlight=False)
        raise typer.Exit(ExitCode.bad_args)
    if not archive.is_dir():
        err.print(f"[red]error[/red]: {archive}: unreadable: not a folder", highlight=False)
        raise typer.Exit(ExitCode.input_file)
    _quiet_prefect(verbose)
    from flows.ingest import ingest_flow

    params = dict(
        archive=str(archive), db=str(db), batch_size=batch_size, runner=runner,
        dask_address=dask_address, workers=workers, retry_failed=retry_failed, lock_wait=wait,
    )
    try:
        with _progress(enabled=not no_progress):
            summary = ingest_flow(**params)
    except DatabaseLocked as e:
        err.print(f"[red]DatabaseLocked[/red]: {e}; wait for the other ingest to finish (or use --wait SECONDS)", highlight=False)
        raise typer.Exit(ExitCode.database_locked) from None
    if as_json:
        emit_json(summary)
    else:
        print_summary(summary)
    if summary["counts"]["failed"]:
        raise typer.Exit(ExitCode.finished_with_failures)


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
        self._stack: Any = None

    def __enter__(self) -> _progress:
        if not self.enabled:
            return self
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        from flows.ingest import progress_reporter
        from pipeline.ingest import failure_line

        bar = Progress(
            TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            TextColumn("{task.fields[last]}"), console=err, transient=True,
        )
        task_id = bar.add_task("ingest", total=None, last="")

        def update(done: int, total: int, outcome: Any) -> None:
            last = outcome.info.path if outcome is not None else ""
            bar.update(task_id, completed=done, total=total or None, last=last)
            if outcome is not None and not outcome.ok:
                bar.console.print(failure_line(outcome), highlight=False, markup=False)

        self._stack = contextlib.ExitStack()
        self._stack.enter_context(bar)
        self._stack.enter_context(progress_reporter(update))
        self._stack.enter_context(_console_logs_above_errors_only())
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._stack is not None:
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
