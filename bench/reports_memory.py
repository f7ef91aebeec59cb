"""Issue 14's report memory: peak RSS and wall time of drawing the reports, per database.

``pipeline.run`` draws the reports in a process of their own after an ingest; this runs
``pipeline.reports.write_reports`` the same way, in a fresh process per database, and
reads its peak RSS (``ru_maxrss``) there, so imports and nothing else come before it.
``--figures`` also draws each figure alone in its own fresh process, to see which one
sets the peak. The databases are opened read-only; the PNGs go to a temporary folder.

Usage::

    python bench/reports_memory.py /tmp/10k.duckdb /tmp/100k.duckdb
    python bench/reports_memory.py --figures /tmp/100k.duckdb

Prints one Markdown table row per database (and figure); wall seconds count the child's
imports. Nothing here is run by the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# Run in the child: draw, then report the child's own peak RSS (Linux: KiB) and wall time.
CHILD = """
import json, resource, sys, tempfile, time
t0 = time.perf_counter()
from pipeline.reports import write
db, figure = sys.argv[1], sys.argv[2]
if figure:
    write.FIGURES = {figure: write.FIGURES[figure]}
with tempfile.TemporaryDirectory() as out:
    write.write_reports(db, out, as_of="2026-01-01")
print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "wall_s": time.perf_counter() - t0}))
"""


def measure(db: str, figure: str = "") -> dict:
    """Draw the reports (or one figure) of ``db`` in a fresh process; its peak and time."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "MPLBACKEND": "Agg"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, db, figure], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def documents(db: str) -> int:
    import duckdb

    with duckdb.connect(db, read_only=True) as con:
        row = con.execute("select count(*) from documents").fetchone()
    return int(row[0]) if row else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dbs", nargs="+", help="DuckDB stores written by kehoach ingest")
    parser.add_argument("--figures", action="store_true", help="also draw each figure alone")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from pipeline.reports.write import FIGURES

    print("| documents | figures | peak RSS MB | wall s | load |")
    print("|---|---|---|---|---|")
    for db in args.dbs:
        n = documents(db)
        for figure in [""] + (list(FIGURES) if args.figures else []):
            result = measure(db, figure)
            load = os.getloadavg()[0]
            print(f"| {n:,} | {figure or 'all'} | {result['peak_mb']:.1f} | {result['wall_s']:.1f} | {load:.1f} |",
                  flush=True)


if __name__ == "__main__":
    main()
