#!/usr/bin/env bash
# README command 1: set everything up, then ingest the sample archive in data/raw/ with the
# Prefect flow (embedded mode, no server) and print where the results are.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS=${PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS:-180}
export OMP_THREAD_LIMIT=1
.venv/bin/kehoach ingest "${1:-data/raw}" --db "${KEHOACH_DB:-data/processed/kehoach.duckdb}"
