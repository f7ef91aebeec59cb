#!/usr/bin/env bash
# Nightly ingest: start a Prefect server (UI at http://127.0.0.1:4200) and serve the
# kehoach-ingest/nightly deployment on cron "0 2 * * *", timezone Asia/Ho_Chi_Minh.
#   bash scripts/nightly.sh [ARCHIVE=data/raw] [DB=data/processed/kehoach.duckdb] [extra `kehoach ingest` options]
# e.g. bash scripts/nightly.sh data/raw data/processed/kehoach.duckdb --runner dask --workers 2
# Scheduled runs use this one long-lived server (PREFECT_API_URL), so none starts its own.
# Runs until Ctrl-C/SIGTERM, then stops serving and stops the server. Trigger a run now from
# the UI or with
#   PREFECT_API_URL=http://127.0.0.1:4200/api .venv/bin/prefect deployment run kehoach-ingest/nightly
set -euo pipefail
cd "$(dirname "$0")/.."
ARCHIVE=${1:-data/raw}; DB=${2:-data/processed/kehoach.duckdb}; shift $(( $# < 2 ? $# : 2 ))
HOST=${KEHOACH_PREFECT_HOST:-127.0.0.1}; PORT=${KEHOACH_PREFECT_PORT:-4200}
export PREFECT_API_URL="http://$HOST:$PORT/api"
export PREFECT_SERVER_ANALYTICS_ENABLED=false DO_NOT_TRACK=1 OMP_THREAD_LIMIT=1
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS=${PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS:-180}

# The server gets its own session so that Ctrl-C reaches only this script, which stops the
# serve process first (it pauses the deployment through the server) and the server last.
setsid .venv/bin/prefect server start --host "$HOST" --port "$PORT" \
  >"${KEHOACH_PREFECT_LOG:-/tmp/kehoach-prefect-server.log}" 2>&1 &
SERVER=$!
SERVE=""
stop() {
  trap - INT TERM EXIT
  if [ -n "$SERVE" ]; then
    kill -TERM "$SERVE" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$SERVE" 2>/dev/null || break; sleep 1; done
    kill -KILL "$SERVE" 2>/dev/null || true
  fi
  kill -TERM "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
}
trap stop EXIT
trap 'stop; exit 130' INT TERM

healthy() { .venv/bin/python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$PREFECT_API_URL/health" >/dev/null 2>&1; }
for _ in $(seq 1 240); do
  healthy && break
  kill -0 "$SERVER" 2>/dev/null || { echo "nightly: prefect server exited, see its log" >&2; exit 1; }
  sleep 1
done
healthy || { echo "nightly: prefect server did not start in 240 s" >&2; exit 1; }
echo "nightly: Prefect UI at http://$HOST:$PORT, serving kehoach-ingest/nightly for $ARCHIVE -> $DB" >&2
.venv/bin/kehoach ingest "$ARCHIVE" --db "$DB" --nightly "$@" &
SERVE=$!
wait "$SERVE"
