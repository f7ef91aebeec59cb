"""The nightly deployment: the ingest flow served on a cron at 02:00 Asia/Ho_Chi_Minh.

Needs a running Prefect server (``PREFECT_API_URL``); ``scripts/nightly.sh`` starts one
(``prefect server start``) and then this module's ``serve`` command::

    bash scripts/nightly.sh data/raw data/processed/kehoach.duckdb
    # or, with a server already up:
    python -m flows.nightly serve --archive data/raw --db data/processed/kehoach.duckdb

Each scheduled run is an ordinary ``kehoach-ingest`` flow run: its counts and failures
appear in the UI (an artifact, and one log line per failed file) and in the ``runs``
table. The archive path and database are deployment parameters; they are stored as
absolute paths because served runs start in their own working directory.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from prefect.flows import EntrypointType
from prefect.schedules import Cron

from flows.ingest import DEFAULT_ARCHIVE, DEFAULT_DB, RUNNERS, ingest_flow

CRON = "0 2 * * *"
TIMEZONE = "Asia/Ho_Chi_Minh"
DEPLOYMENT = "nightly"
FLOW_NAME = "kehoach-ingest"
LOCK_WAIT = 1800.0  # a scheduled run waits up to 30 min for a manual ingest to finish


def nightly_deployment(
    archive: str = DEFAULT_ARCHIVE,
    db: str = DEFAULT_DB,
    *,
    name: str = DEPLOYMENT,
    runner: str = "thread",
    dask_address: str | None = None,
    workers: int | None = None,
    cron: str = CRON,
    timezone: str = TIMEZONE,
    lock_wait: float = LOCK_WAIT,
) -> Any:
    """The ``RunnerDeployment`` of the ingest flow on the nightly schedule.

    Args:
        archive: archive folder (made absolute).
        db: DuckDB file (made absolute).
        name: deployment name; the run name is ``kehoach-ingest/<name>``.
        runner, dask_address, workers: passed to the flow (see ``flows.ingest``).
        cron, timezone: the schedule; the timezone is always set explicitly.
        lock_wait: seconds a scheduled run waits for a manual ingest holding the database.
    """
    parameters: dict[str, Any] = {
        "archive": str(Path(archive).resolve()),
        "db": str(Path(db).resolve()),
        "runner": runner,
        "lock_wait": lock_wait,
    }
    if dask_address:
        parameters["dask_address"] = dask_address
    if workers:
        parameters["workers"] = workers
    return ingest_flow.to_deployment(
        name=name,
        schedules=[Cron(cron, timezone=timezone)],
        parameters=parameters,
        description=f"kehoach nightly ingest of {parameters['archive']} at {cron} {timezone}",
        tags=["kehoach", "nightly"],
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def serve(deployment: Any, *, limit: int | None = 1) -> None:
    """Serve the deployment until interrupted (one run at a time: a single DuckDB writer)."""
    from prefect import serve as prefect_serve

    prefect_serve(deployment, limit=limit)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.nightly", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="serve the nightly deployment (needs PREFECT_API_URL)")
    s.add_argument("--archive", default=DEFAULT_ARCHIVE)
    s.add_argument("--db", default=DEFAULT_DB)
    s.add_argument("--name", default=DEPLOYMENT)
    s.add_argument("--runner", choices=RUNNERS, default="thread")
    s.add_argument("--dask-address")
    s.add_argument("--workers", type=int)
    s.add_argument("--cron", default=CRON)
    s.add_argument("--timezone", default=TIMEZONE)
    s.add_argument("--lock-wait", type=float, default=LOCK_WAIT, help="seconds to wait for a held database")
    args = parser.parse_args(argv)
    deployment = nightly_deployment(
        args.archive, args.db, name=args.name, runner=args.runner, dask_address=args.dask_address,
        workers=args.workers, cron=args.cron, timezone=args.timezone, lock_wait=args.lock_wait,
    )
    serve(deployment)
    return 0


if __name__ == "__main__":
    sys.exit(main())
