"""The nightly deployment: the ingest flow served on a cron (02:00 Asia/Ho_Chi_Minh by
default) against the long-lived Prefect server that ``scripts/nightly.sh`` starts.

Started by ``kehoach ingest ARCHIVE --db DB --nightly`` (what ``scripts/nightly.sh``
runs), so a scheduled run gets the same :class:`~pipeline.settings.IngestSettings` as a
manual one; they are the deployment's parameters, with absolute paths because served
runs start in their own working directory. Each scheduled run is an ordinary
``kehoach-ingest`` flow run: its counts and failures appear in the UI and in ``runs``.
Served runs talk to the server at ``PREFECT_API_URL``, so none starts a server of its own.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

from prefect.flows import EntrypointType
from prefect.schedules import Cron

from flows.ingest import ingest_flow
from pipeline.errors import KehoachError, Reason
from pipeline.settings import NIGHTLY_CRON as CRON
from pipeline.settings import NIGHTLY_TIMEZONE as TIMEZONE
from pipeline.settings import IngestSettings

DEPLOYMENT = "nightly"
LOCK_WAIT = 1800.0  # unless told otherwise, a scheduled run waits up to 30 min for a manual ingest


def nightly_deployment(
    settings: IngestSettings, *, name: str = DEPLOYMENT, cron: str = CRON, timezone: str = TIMEZONE
) -> Any:
    """The ``RunnerDeployment`` of the ingest flow with these settings on the schedule."""
    s = settings.resolved()
    s = replace(s, lock_wait=s.lock_wait or LOCK_WAIT)
    return ingest_flow.to_deployment(
        name=name,
        schedules=[Cron(cron, timezone=timezone)],
        parameters={"settings": s.to_json()},
        description=f"kehoach nightly ingest of {s.archive} at {cron} {timezone}",
        tags=["kehoach", "nightly"],
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def serve(
    settings: IngestSettings, *, name: str = DEPLOYMENT, cron: str = CRON, timezone: str = TIMEZONE
) -> None:
    """Serve the deployment until interrupted (one run at a time: a single DuckDB writer)."""
    from prefect import serve as prefect_serve

    if not os.environ.get("PREFECT_API_URL"):
        raise KehoachError(Reason.no_server, None, "PREFECT_API_URL is not set")
    prefect_serve(nightly_deployment(settings, name=name, cron=cron, timezone=timezone), limit=1)


__all__ = ["CRON", "DEPLOYMENT", "TIMEZONE", "nightly_deployment", "serve"]
