"""The one typer application, its shared options, and the one error boundary.

Command modules register on ``app``. Every way of running it (the ``kehoach`` script,
``python -c "from pipeline.cli import main; main()"``, typer's ``CliRunner``) goes through
:meth:`KehoachGroup.main`: a ``KehoachError`` prints its message and remedy and exits with
its code, Ctrl-C stops the run within :data:`GRACE_SECONDS` and exits 130, any other
exception is a bug (exit 10).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
import typer
from typer.core import TyperGroup

from pipeline.errors import REMEDIES, ExitCode, KehoachError, Reason
from pipeline.settings import DEFAULT_DB

GRACE_SECONDS = 8.0  # after Ctrl-C, the run has this long to record itself; then the process exits


class KehoachGroup(TyperGroup):
    """The command group whose ``main`` is the command line's one error boundary."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:  # noqa: ARG002
        argv = kwargs.get("args", args[0] if args else None)
        argv = sys.argv[1:] if argv is None else list(argv)
        verbose = "-v" in argv or "--verbose" in argv
        with _ctrl_c_stops():
            try:
                code = super().main(*args, standalone_mode=False, **kwargs)
            except (click.exceptions.Abort, KeyboardInterrupt):
                _say("interrupted", "stopped by Ctrl-C (an ingest run is recorded as interrupted and keeps what it stored)",
                     "run the same command again to finish")  # fmt: skip
                code = ExitCode.interrupted
            except click.ClickException as e:  # usage errors: click's own message and code (2)
                e.show()
                code = e.exit_code
            except KehoachError as e:
                if verbose:
                    raise
                _say(type(e).__name__, e.message, e.remedy)
                code = e.exit_code
            except Exception as e:  # noqa: BLE001 - the one boundary that turns bugs into exit 10
                if verbose:
                    raise
                _say(type(e).__name__, str(e) or "unexpected error", REMEDIES[Reason.internal] + " (rerun with -v for the traceback)")
                code = ExitCode.crashed
        sys.exit(int(code or 0))


def _say(kind: str, message: str, remedy: str) -> None:
    from pipeline.cli.output import err

    err.print(f"[red]{kind}[/red]: {message}", highlight=False, soft_wrap=True)
    if remedy:
        err.print(f"remedy: {remedy}", highlight=False, markup=False, soft_wrap=True)


@contextmanager
def _ctrl_c_stops() -> Iterator[None]:
    """The first Ctrl-C stops the run (workers take no more files) and starts a timer that
    ends the process after :data:`GRACE_SECONDS`, whatever still runs; a second one ends it now."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_sigint(signum: int, frame: Any) -> None:
        from pipeline.run import request_stop, stopping

        if stopping():
            os._exit(ExitCode.interrupted)
        request_stop()
        timer = threading.Timer(GRACE_SECONDS, _force_exit)
        timer.daemon = True
        timer.start()
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _force_exit() -> None:
    """The run has recorded itself by now; what still runs is teardown (Prefect reporting
    the crash, its embedded server stopping, worker pools). Stop our child processes so
    none is orphaned, then exit."""
    sys.stderr.write(f"kehoach: still busy {GRACE_SECONDS:.0f} s after Ctrl-C; exiting now\n")
    sys.stderr.flush()
    for pid in _children():
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass
    os._exit(ExitCode.interrupted)


def _children() -> list[int]:
    """This process's child processes (from /proc; none where there is no /proc)."""
    me, kids = os.getpid(), []
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])  # the field after state
        except (OSError, ValueError, IndexError):
            continue
        if ppid == me:
            kids.append(int(entry))
    return kids


app = typer.Typer(
    name="kehoach",
    cls=KehoachGroup,
    help="Vietnamese plans (KẾ HOẠCH) and the directives they implement → tables and a graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Shared option definitions, so every command spells them the same way.
DbOption = typer.Option(Path(DEFAULT_DB), "--db", help="DuckDB file (created if missing).")
CsvOption = typer.Option(False, "--csv", help="Write CSV to stdout instead of a table.")
JsonOption = typer.Option(False, "--json", help="Write JSON to stdout instead of a table.")
VerboseOption = typer.Option(False, "--verbose", "-v", help="Show tracebacks.")
