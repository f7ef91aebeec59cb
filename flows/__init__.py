"""Prefect flows around the plain ``pipeline`` library: ``ingest`` (batch, incremental) and ``nightly`` (the served deployment).

kehoach makes no network calls at run time, so Prefect's usage telemetry is switched off
here, before Prefect is imported (an explicit setting in the environment still wins).
"""

import os

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
