#!/usr/bin/env bash
# Issue 14: the Ctrl-C test ten times in a row, with two busy processes keeping both cores
# loaded on top of whatever else runs. Prints one line per try and the verdict.
#   bash bench/ctrl_c_loop.sh [TRIES=10]
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
TRIES=${1:-10}
burn() { "$PY" -c 'while True: pass' & }
burn; B1=$!; burn; B2=$!
trap 'kill $B1 $B2 2>/dev/null' EXIT
passed=0
for i in $(seq 1 "$TRIES"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  out=$("$PY" -m pytest -q -s -p no:cacheprovider tests/test_crash.py -k ctrl_c 2>&1)
  rc=$?
  took=$(grep -o 'exit 130 after [0-9.]* s' <<<"$out" | head -1)
  if [ $rc -eq 0 ]; then passed=$((passed + 1)); verdict=pass; else verdict=FAIL; fi
  echo "try $i: $verdict (${took:-no exit line}; load average $load)"
  [ $rc -eq 0 ] || tail -30 <<<"$out"
done
echo "$passed of $TRIES passed"
