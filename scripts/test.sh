#!/usr/bin/env bash
# README command 2: set everything up, then run the whole test suite (what CI runs).
# Extra arguments go to pytest: `bash scripts/test.sh -m "not slow"` is the fast lane (< 3 min).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS=${PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS:-180}
export OMP_THREAD_LIMIT=1
exec .venv/bin/python -m pytest -q "$@"
