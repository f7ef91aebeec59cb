#!/usr/bin/env bash
# Issue 14: the Ctrl-C test ten times in a row under load: two busy processes keep both
# cores loaded, unless the machine is already loaded (1-min load average >= 4; BURN=1 forces
# them, BURN=0 never). Prints one line per try with the load average, and the verdict.
#   bash bench/ctrl_c_loop.sh [TRIES=10]
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
TRIES=${1:-10}
B1=""; B2=""
busy=$(awk '{print ($1 >= 4)}' /proc/loadavg)
if [ "${BURN:-auto}" = 1 ] || { [ "${BURN:-auto}" = auto ] && [ "$busy" = 0 ]; }; then
  "$PY" -c 'while True: pass' & B1=$!
  "$PY" -c 'while True: pass' & B2=$!
fi
trap '[ -n "$B1" ] && kill $B1 $B2 2>/dev/null' EXIT
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
