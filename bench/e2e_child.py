"""One end-to-end ingest, run in its own process so its peak memory can be read alone.

``--mode core`` drives the plain batch core (``pipeline.ingest`` + ``pipeline.store``)
in this one process, streaming: each batch is read, extracted and written before the
next is read, and only light outcomes are kept. ``--mode run`` is the library run
(``pipeline.run.ingest``, what ``kehoach ingest --local`` does) and ``--mode flow`` the
same through the Prefect flow (``flows.ingest.ingest_flow``), both with ``--runner``.

Prints one JSON line on stdout: phase seconds, counts, failures by reason, peak RSS
(``ru_maxrss``, this process and its largest child), CPU seconds and, for ``run``/``flow``,
documents per second after start-up (from the first document stored to the last).
Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _usage() -> dict[str, float]:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "peak_rss_mb": round(me.ru_maxrss / 1024, 1),
        "children_peak_rss_mb": round(kids.ru_maxrss / 1024, 1),
        "cpu_s": round(me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime, 2),
    }


def run_core(archive: Path, db: Path, parquet: Path, batch_size: int, label: str, batched: bool = False
             ) -> dict[str, Any]:
    """discover → plan → read+extract+store per batch → graph → Parquet, timed by phase.

    ``batched`` writes each batch in one transaction (``Store.put_documents``) instead of
    ``Store.put_document`` per file.
    """
    from pipeline.errors import KehoachError
    from pipeline.ingest import BatchSettings, count, discover, make_batches, plan, process_batch
    from pipeline.store import Store
    from pipeline.version import PIPELINE_VERSION

    phases: dict[str, float] = {}
    t = time.perf_counter()
    store = Store(str(db))
    run_id = store.begin_run(str(archive), {"bench": "core", "batch_size": batch_size})
    phases["open"] = time.perf_counter() - t

    t = time.perf_counter()
    files = discover(archive, exclude=[db, Path(f"{db}.wal"), parquet])
    phases["discover"] = time.perf_counter() - t
    t = time.perf_counter()
    the_plan = plan(files, store.known_files(), PIPELINE_VERSION)
    if the_plan.deleted:
        store.mark_deleted(run_id, list(the_plan.deleted))
    phases["plan"] = time.perf_counter() - t

    settings = BatchSettings(root=str(archive))
    todo = the_plan.todo
    outcomes = []
    reasons: Counter[str] = Counter()
    t = time.perf_counter()
    work = {"process": 0.0, "store": 0.0}
    last = t
    for batch in make_batches(todo, batch_size, 1):
        t1 = time.perf_counter()
        results = process_batch(batch, settings)
        t2 = time.perf_counter()
        if batched:
            try:
                store.put_documents(run_id, [(o.info, o.document, o.extraction) for o in results if o.ok])
            except KehoachError:  # fall back to one file at a time to isolate the culprit
                batched = False
        for o in results:
            if o.ok and batched:
                pass
            elif o.ok:
                try:
                    store.put_document(run_id, o.info, o.document, o.extraction)
                except KehoachError as e:
                    store.put_failure(run_id, o.info, e)
                    reasons[e.reason.value] += 1
            else:
                store.put_failure(run_id, o.info, o.exception())
                reasons[o.error.reason] += 1
            outcomes.append(o.light())
        work["process"] += t2 - t1
        work["store"] += time.perf_counter() - t2
        if time.perf_counter() - last > 20:
            last = time.perf_counter()
            done = len(outcomes)
            print(f"[{label}] {done}/{len(todo)} files, {done / (last - t):.1f} files/s", file=sys.stderr, flush=True)
    phases["read_extract"] = work["process"]
    phases["store_rows"] = work["store"]
    rss = {"after_streaming": _usage()["peak_rss_mb"]}  # peak while reading, extracting, storing

    t = time.perf_counter()
    if store.graph_stale():
        store.rebuild_graph()
    phases["graph"] = time.perf_counter() - t
    rss["after_graph"] = _usage()["peak_rss_mb"]
    t = time.perf_counter()
    store.export_parquet(parquet)
    phases["parquet"] = time.perf_counter() - t
    counts = count(the_plan, outcomes)
    store.finish_run(run_id, counts, "ok")
    store.close()
    return {"phases": {k: round(v, 3) for k, v in phases.items()}, "counts": counts, "peak_rss_by_phase": rss,
            "failures": dict(reasons), "files": len(files), "processed": len(todo)}


def run_library(archive: Path, db: Path, parquet: Path, args: argparse.Namespace) -> dict[str, Any]:
    """``pipeline.run.ingest`` (``--mode run``) or the Prefect flow (``--mode flow``), timed
    by the run's own stages, with the rate after start-up from the progress callbacks."""
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    t = time.perf_counter()
    from pipeline import run
    from pipeline.settings import IngestSettings

    if args.mode == "flow":
        from flows.ingest import ingest_flow as go
    else:
        go = run.ingest
    imported = time.perf_counter() - t
    settings = IngestSettings(
        archive=str(archive), db=str(db), parquet_dir=str(parquet), reports=args.reports, runner=args.runner,
        workers=args.workers, batch_size=args.batch_size, reports_dir=str(db.parent / "reports"),
    )
    seen: list[float] = []
    peak_before_graph: list[float] = []
    last = [time.perf_counter()]

    def progress(done: int, total: int, outcome: Any) -> None:
        if outcome is None:
            return
        seen.append(time.perf_counter())
        if done == total:
            peak_before_graph.append(_usage()["peak_rss_mb"])
        if seen[-1] - last[0] > 20:
            last[0] = seen[-1]
            print(f"[{args.label}] {done}/{total} files", file=sys.stderr, flush=True)

    with run.progress_reporter(progress):
        summary = go(settings)
    # from the first batch written to the last: the first batch's documents count as start-up
    later = [t for t in seen if t - seen[0] > 0.05] if seen else []
    rate = round(len(later) / (seen[-1] - seen[0]), 2) if later else None
    reasons = Counter(f["reason"] for f in summary.get("failures", []))
    return {
        "phases": {"import": round(imported, 3), **summary["stages"]}, "counts": summary["counts"],
        "peak_rss_mb_by_stage": summary["peak_rss_mb"],
        "failures": dict(reasons), "docs_per_s_after_startup": rate, "run_seconds": summary["seconds"],
        "peak_rss_by_phase": {"after_streaming": peak_before_graph[0] if peak_before_graph else None},
        "processed": len(seen), "runner": args.runner, "workers": args.workers,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--archive", type=Path, required=True)
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--parquet", type=Path, required=True)
    ap.add_argument("--mode", choices=("core", "run", "flow"), default="core")
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--runner", default="thread", help="run/flow: thread | process | dask")
    ap.add_argument("--reports", action="store_true", help="run/flow: draw the report PNGs too")
    ap.add_argument("--label", default="e2e")
    ap.add_argument("--store", choices=("per-file", "batched"), default="per-file",
                    help="core mode: Store.put_document per file, or Store.put_documents per batch")
    args = ap.parse_args()
    t = time.perf_counter()
    if args.mode == "core":
        out = run_core(args.archive.resolve(), args.db.resolve(), args.parquet.resolve(), args.batch_size, args.label,
                       args.store == "batched")
    else:
        out = run_library(args.archive.resolve(), args.db.resolve(), args.parquet.resolve(), args)
    out["seconds"] = round(time.perf_counter() - t, 3)
    if args.mode == "flow":
        ph = out["phases"]
        ph["prefect_overhead"] = round(out["seconds"] - ph["import"] - out["run_seconds"], 3)
    out["patches"] = ["store: one transaction per batch (Store.put_documents)"] if args.store == "batched" else []
    out.update(_usage())
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
