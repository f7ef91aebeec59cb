"""Page times of the web explorer (`kehoach serve`) on synthetic archives of 1,000 and 10,000 plans.

Usage::

    python bench/measure_web.py                          # 1,000 and 10,000 plans, archives in bench/out/
    python bench/measure_web.py --sizes 1000 --runs 5
    python bench/measure_web.py --db path/to/kehoach.duckdb   # an existing database

Each archive is generated (``make_archive.py``, text plans) and ingested through the
library (``pipeline.run.ingest``, no Prefect, no report drawing) once, then reused. The server runs
as `kehoach serve` in its own process; every page is fetched over HTTP once to warm up
and then ``--runs`` times. Reported per page: the median and the slowest wall time, and
the server's CPU time for the request (from /proc, so a busy machine shows as wall time
well above CPU time). Results go to ``OUT/web.json`` and are printed as a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import make_archive  # noqa: E402
from machine import describe  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def build(out: Path, n: int, seed: int) -> Path:
    """The database of an ``n``-plan text archive (generated and ingested once)."""
    root = out / f"web-{n}"
    db = root / "kehoach.duckdb"
    if db.exists():
        return db
    archive = root / "archive"
    if not archive.exists():
        make_archive.main([str(root), "--n", str(n), "--seed", str(seed), "--formats", "txt=1", "--quiet"])
    print(f"ingesting {n} plans into {db} ...", file=sys.stderr, flush=True)
    from pipeline.run import ingest
    from pipeline.settings import IngestSettings

    t = time.perf_counter()
    ingest(IngestSettings(archive=str(archive.resolve()), db=str(db.resolve()), reports=False, batch_size=32))
    print(f"  {time.perf_counter() - t:.0f} s", file=sys.stderr, flush=True)
    return db


def pages(db: Path) -> list[tuple[str, str]]:
    """(name, URL) of the pages to time, picked from the database (the largest cases)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    one = lambda sql: con.execute(sql).fetchall()[0][0]  # noqa: E731
    top = one("SELECT target FROM edges WHERE type = 'implements' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
    plan = one("SELECT e.target FROM edges e JOIN nodes n ON n.node_id = e.target WHERE e.type = 'implements'"
               " AND n.level = 'province' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
    doc = one("SELECT doc_id FROM (SELECT doc_id, count(*) AS n FROM assignments GROUP BY 1"
              " UNION ALL SELECT doc_id, count(*) FROM citations GROUP BY 1) GROUP BY 1 ORDER BY sum(n) DESC, 1 LIMIT 1")
    symbol = one(f"SELECT symbol FROM nodes WHERE node_id = '{top}'")
    unit = one("SELECT unit FROM assignments GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
    con.close()
    q = lambda s: quote(s, safe="")  # noqa: E731
    return [
        ("home", "/"),
        ("search: a symbol", f"/search?q={q(symbol)}"),
        ("search: diacritic-free words + symbol", f"/search?q={q('ke hoach ' + symbol)}"),
        ("search: common words", "/search?q=ban+tuyen+giao"),
        ("search: words + level filter", "/search?q=hoi+nong+dan&level=commune"),
        ("search: all documents, page 3", "/search?page=3"),
        ("document: most facts", f"/doc/{doc}"),
        ("node: most implemented directive", f"/node/{q(top)}"),
        ("node: most implemented province plan", f"/node/{q(plan)}"),
        ("deadlines: all", "/deadlines"),
        ("deadlines: unit filter", f"/deadlines?unit={q(unit)}"),
        ("deadlines: overdue in a year", "/deadlines?overdue=1&from=2022-01&to=2022-12"),
        ("graph page", "/graph"),
        ("graph data: default", "/graph?format=json"),
        ("graph data: one directive", f"/graph?format=json&directive={q(symbol)}"),
        ("runs", "/runs"),
        ("reports", "/reports"),
        ("search JSON", f"/search?q={q(symbol)}&format=json"),
        ("node JSON", f"/node/{q(top)}?format=json"),
    ]


def cpu(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def serve(db: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-c", "from pipeline.cli import main; main()", "serve", "--db", str(db),
                             "--port", str(port)], env=env, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    t = time.perf_counter()
    while True:
        try:
            urllib.request.urlopen(base + "/favicon.ico", timeout=2).read()
            break
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None or time.perf_counter() - t > 60:
                raise RuntimeError("kehoach serve did not start")
            time.sleep(0.05)
    return proc, base, time.perf_counter() - t  # type: ignore[return-value]


def measure(db: Path, runs: int) -> dict[str, Any]:
    proc, base, started = serve(db)  # type: ignore[misc]
    rows = []
    try:
        for name, url in pages(db):
            walls, cpus, size, status = [], [], 0, 0
            for i in range(runs + 1):
                c0, t0 = cpu(proc.pid), time.perf_counter()
                with urllib.request.urlopen(base + url, timeout=120) as r:
                    body = r.read()
                    status = r.status
                wall, used = time.perf_counter() - t0, cpu(proc.pid) - c0
                if i:  # the first fetch warms up
                    walls.append(wall)
                    cpus.append(used)
                size = len(body)
            rows.append({"page": name, "url": url, "status": status, "bytes": size,
                         "median_ms": round(1000 * statistics.median(walls), 1), "max_ms": round(1000 * max(walls), 1),
                         "cpu_ms": round(1000 * statistics.median(cpus), 1)})
            print(f"  {name:40s} {rows[-1]['median_ms']:7.1f} ms (max {rows[-1]['max_ms']:.1f}, cpu {rows[-1]['cpu_ms']:.1f})",
                  file=sys.stderr, flush=True)
    finally:
        proc.terminate()
        proc.wait(10)
    return {"db": str(db), "startup_s": round(started, 2), "pages": rows}


def table(results: list[dict[str, Any]]) -> str:
    names = [p["page"] for p in results[0]["pages"]]
    head = "| page | " + " | ".join(f"{r['documents']:,} docs: median / max / CPU ms" for r in results) + " |"
    lines = [head, "|---|" + "---|" * len(results)]
    for i, name in enumerate(names):
        cells = [f"{r['pages'][i]['median_ms']} / {r['pages'][i]['max_ms']} / {r['pages'][i]['cpu_ms']}" for r in results]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--out", type=Path, default=HERE / "out")
    ap.add_argument("--db", type=Path, action="append", help="time these databases instead of generating archives")
    args = ap.parse_args()
    dbs = args.db or [build(args.out, int(n), seed=i + 1) for i, n in enumerate(args.sizes.split(","))]
    results = []
    for db in dbs:
        import duckdb

        con = duckdb.connect(str(db), read_only=True)
        n = con.execute("SELECT count(DISTINCT coalesce(node_id, doc_id)) FROM documents").fetchall()[0][0]
        con.close()
        print(f"{db}: {n} documents", file=sys.stderr, flush=True)
        results.append({"documents": n, "load_before": os.getloadavg(), **measure(db, args.runs),
                        "load_after": os.getloadavg()})
    out = {"machine": describe(), "runs": args.runs, "results": results}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "web.json").write_text(json.dumps(out, indent=1, default=str), encoding="utf-8")
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
