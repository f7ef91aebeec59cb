"""Run every benchmark of issue 8 in one go; write bench/RESULTS.md and bench/results.json.

Usage::

    python bench/run.py                      # full: 1,000 and 10,000 text documents
    python bench/run.py --quick              # smoke run: small sizes, a few pages
    python bench/run.py --sizes 1000,10000 --flow-sizes 1000 --out bench/out

Synthetic archives (``bench/make_archive.py``) are generated under ``--out`` once and
reused while their parameters stay the same. Each end-to-end ingest runs in its own
process (``bench/e2e_child.py``) so its peak memory is its own. Nothing here is run by
the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")

import make_archive  # noqa: E402
import report  # noqa: E402
from machine import describe  # noqa: E402

DEV_FILES = Path(os.environ.get("KEHOACH_SHARED", REPO.parent / "shared")) / "dev" / "files"


# What profiling found (cProfile + per-phase CPU time, text path); figures are in the tables.
NOTES = [
    "Hot spot 1 — `pipeline/store.py` `Store.put_document`: one transaction per file with a DELETE per "
    "per-file table, an Arrow registration per table and a `meta` rewrite cost ~37 ms CPU a document, more than "
    "read + extract together. Fixed: `Store.put_documents(run_id, items)` "
    "writing a batch in one transaction — one `DELETE … WHERE list_contains(?, path)` per table, one Arrow "
    "insert per table, `meta` once — and `flows/ingest.py` `_run_batches` calling it per returned batch "
    "(falling back to `put_document` per file when a batch write fails, to isolate the culprit).",
    "Hot spot 2 — `pipeline/read/language.py` `letter_stats`: `cache.setdefault(c, _letter_kind(c))` evaluates "
    "`_letter_kind` for every character (the default is computed eagerly), so the cache never saves a call. "
    "Fixed: memoising `_letter_kind` gives the same answers; ~1 ms CPU a "
    "document (it looked like 17 ms under cProfile, whose per-call overhead inflates it).",
    "Remaining gap to 50 docs/s per core is in extraction (~20 ms CPU a plan): assignments (units.py builds a "
    "spaCy Doc of the whole text from underthesea tokens per document), deadlines (`_scan` runs every rule "
    "regex over the whole text) and numbers (four regex passes, `_is_label` per match); restricting the "
    "assignment and deadline scans to the organisation part / sentences with a time word would cut most of it.",
    "Re-run through the Prefect flow: the flow itself takes seconds, the rest is starting Prefect's ephemeral "
    "API server (`prefect_overhead`); `flows/ingest.py` also calls `rebuild_graph()` and `export_parquet()` "
    "when nothing changed — guard them with `store.graph_stale()` / a changed-count check, and let "
    "`kehoach ingest` plan first and skip the flow when there is nothing to do.",
    "Hot spot 3 — `flows/ingest.py` `_write_reports` (commit 4b61e74) renders the report PNGs after every "
    "run, an unchanged re-run too, and with `rebuild_graph()`/`export_parquet()` also unconditional: the flow's own "
    "time for an unchanged re-run of 1,000 plans went from 5.3 s (run at 04:55, before that commit) to 53 s, "
    "and 10,000 plans take minutes at ~1 GB peak. Guard all three with 'something changed' (new + changed + "
    "deleted > 0, or the outputs are missing).",
    "Memory: the read/extract/store loop streams (its peak hardly moves with archive size); "
    "`Store.rebuild_graph` loads every document and citation into Python and resolves them at once "
    "(~+350 MB and ~17-50 s at 10,000 documents). Resolving per scope (province) or in SQL would keep it flat.",
    "The machine is 2 vCPUs shared with several other processes (load average 7-11 during the run): wall-clock "
    "rates are lower bounds, CPU-second rates are the per-core figures, and OCR scaling cannot show a "
    "speed-up when no core is idle.",
]


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def archive(out: Path, name: str, n: int, seed: int, formats: str) -> Path:
    """Generate (or reuse) a synthetic archive under ``out/name``."""
    target = out / name
    params = {"n": n, "seed": seed, "formats": formats, "generator": _generator_digest()}
    stamp = target / "params.json"
    if stamp.exists() and json.loads(stamp.read_text()) == params:
        return target
    shutil.rmtree(target, ignore_errors=True)
    log(f"generating {name}: {n} plans, {formats}, seed {seed}")
    t = time.perf_counter()
    make_archive.main([str(target), "--n", str(n), "--seed", str(seed), "--formats", formats, "--quiet"])
    stamp.write_text(json.dumps(params))
    log(f"  {time.perf_counter() - t:.1f} s")
    return target


def _generator_digest() -> str:
    import hashlib

    h = hashlib.sha256()
    for f in ("archive_model.py", "plan_text.py", "plan_files.py", "make_archive.py", "vocab.json"):
        h.update((HERE / f).read_bytes())
    return h.hexdigest()[:16]


# End-to-end variants: the plain core writing one file per transaction, the core writing
# a batch per transaction (Store.put_documents, as the flow does since the first run), and
# the Prefect flow as `kehoach ingest` runs it.
MODES = {
    "core": ["--mode", "core"],
    "core-after": ["--mode", "core", "--store", "batched", "--batch-size", "64"],
    "flow": ["--mode", "flow", "--workers", "1"],
}


def e2e(archive_dir: Path, work: Path, mode: str, label: str) -> dict[str, Any]:
    """One ingest of ``archive_dir/archive`` in a child process; wall time and its report."""
    cmd = [sys.executable, str(HERE / "e2e_child.py"), "--archive", str(archive_dir / "archive"),
           "--db", str(work / "kehoach.duckdb"), "--parquet", str(work / "parquet"), *MODES[mode],
           "--label", label]
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, stdout=subprocess.PIPE, text=True, check=False)
    wall = time.perf_counter() - t
    lines = [x for x in proc.stdout.splitlines() if x.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {"wall_s": round(wall, 2), "error": f"exit {proc.returncode}", "peak_rss_mb": 0, "processed": 0}
    res = json.loads(lines[-1])
    res["wall_s"] = round(wall, 2)
    if "processed" not in res:  # flow: processed = new + changed + failed
        c = res.get("counts") or {}
        res["processed"] = c.get("new", 0) + c.get("changed", 0) + c.get("failed", 0)
    log(f"  {label}: {res['wall_s']} s wall, {res['processed']} processed, peak {res['peak_rss_mb']} MB")
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes: a smoke run of every measurement")
    ap.add_argument("--sizes", default=None,
                    help="text archive sizes for end to end with the hot-spot fixes (default 1000,10000)")
    ap.add_argument("--core-sizes", default=None, help="sizes run through the unpatched core (default: the smallest)")
    ap.add_argument("--flow-sizes", default=None, help="sizes run through the Prefect flow (default: the smallest)")
    ap.add_argument("--out", type=Path, default=HERE / "out", help="archives and databases (ignored by git)")
    ap.add_argument("--results", type=Path, default=None,
                    help="where RESULTS.md and results.json go (default bench/, or --out with --quick)")
    ap.add_argument("--ocr-pages", type=int, default=None, help="scanned pages for OCR scaling (default 8)")
    ap.add_argument("--skip", default="", help="comma list of parts to skip: read,ocr,extract,e2e,graph")
    args = ap.parse_args(argv)
    q = args.quick
    sizes = [int(s) for s in (args.sizes or ("100,300" if q else "1000,10000")).split(",") if s]
    per_mode = {
        "core": [int(s) for s in args.core_sizes.split(",") if s] if args.core_sizes is not None else sizes[:1],
        "core-after": sizes,
        "flow": [int(s) for s in args.flow_sizes.split(",") if s] if args.flow_sizes is not None else sizes[:1],
    }
    skip = set(filter(None, args.skip.split(",")))
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"argv": " ".join(argv if argv is not None else sys.argv[1:]), "machine": describe(),
                               "seeds": {"formats": 11, "scans": 12, "text": 1}, "notes": []}
    log(f"machine: {results['machine']['nproc']} cores, {results['machine']['cpu_model']}")

    from measure_extract import ExtractBench, bench_text
    from measure_read import manifest, ocr_scaling, page_images, pdf_libraries, read_formats

    acc = ExtractBench(out)  # accuracy over every format read (extraction untimed here)
    if "read" not in skip:
        fmt_dir = archive(out, "arch-formats", 12 if q else 60, 11, "txt=1,docx=1,pdf=1")
        scan_dir = archive(out, "arch-scans", 2 if q else 6, 12, "scan=2,png=1")
        from pipeline.read import ReadSettings

        log("read throughput per format")

        def score(rec: dict[str, Any], doc: Any, base: Path) -> None:
            acc.gold_dir = base / "gold"
            acc.feed(rec, doc, timed=False)

        formats = read_formats(fmt_dir, manifest(fmt_dir), on_doc=lambda r, d: score(r, d, fmt_dir))
        formats.update(read_formats(scan_dir, manifest(scan_dir), ReadSettings(ocr_workers=1),
                                    on_doc=lambda r, d: score(r, d, scan_dir)))
        libs = {"synthetic plans": pdf_libraries([fmt_dir / r["path"] for r in manifest(fmt_dir) if r["format"] == "pdf"], 3)}
        dev_pdfs = sorted(DEV_FILES.glob("*.pdf"))
        if dev_pdfs:
            libs["real PDFs (shared/dev)"] = pdf_libraries(dev_pdfs, 1)
            t, c = time.perf_counter(), time.process_time()
            from pipeline.read import read

            pages = sum(len(read(p).pages) for p in dev_pdfs)
            s, c = time.perf_counter() - t, time.process_time() - c
            formats["pdf (real, shared/dev)"] = {"files": len(dev_pdfs), "failed": 0, "pages": pages,
                                                 "seconds": round(s, 3), "pages_per_s": round(pages / s, 2),
                                                 "cpu_s": round(c, 3), "pages_per_cpu_s": round(pages / c, 2),
                                                 "docs_per_s": round(len(dev_pdfs) / s, 2),
                                                 "mb_per_s": round(sum(p.stat().st_size for p in dev_pdfs) / 1e6 / s, 3)}
        results["read"] = {"formats": formats, "pdf_libraries": libs}
        if "ocr" not in skip:
            from pipeline.read import cpu_count

            dpi = ReadSettings().ocr_dpi
            images = page_images([scan_dir / r["path"] for r in manifest(scan_dir)], dpi, args.ocr_pages or (2 if q else 8))
            cores = sorted({1, min(2, cpu_count()), cpu_count()})
            log(f"OCR scaling: {len(images)} pages at {cores} cores")
            results["ocr"] = {**ocr_scaling(images, cores), "dpi": dpi}

    text_dirs = {n: archive(out, f"arch-{n}", n, 1, "txt=1") for n in sorted({n for v in per_mode.values() for n in v})}
    if "extract" not in skip:
        d = text_dirs[sizes[0]]
        log(f"extract throughput on {sizes[0]} text plans")
        bench = bench_text(d, manifest(d), sizes[0])
        results["extract"] = {"throughput": bench.throughput(), "archive": d.name}
    results["accuracy"] = {k: v for k, v in acc.accuracy().items() if k != "all"}
    if "extract" in results:
        results["accuracy"][f"txt ({sizes[0]} plans)"] = bench.accuracy()["txt"]

    if "e2e" not in skip:
        results["e2e"] = {}
        for mode in MODES:
            for n in per_mode[mode]:
                work = out / f"e2e-{mode}-{n}"
                shutil.rmtree(work, ignore_errors=True)
                work.mkdir(parents=True)
                log(f"end to end ({mode}) over {n} text plans: first run")
                first = e2e(text_dirs[n], work, mode, f"{mode} {n} first")
                log(f"end to end ({mode}) over {n} text plans: re-run, nothing changed")
                rerun = e2e(text_dirs[n], work, mode, f"{mode} {n} rerun")
                results["e2e"].setdefault(mode, {})[str(n)] = {"first": first, "rerun": rerun}
                (out / "results.partial.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
        big = sizes[-1]
        if big not in per_mode["flow"] and (out / f"e2e-core-after-{big}" / "kehoach.duckdb").exists():
            # the flow's incremental state is the store's files table: re-run the flow over the
            # database the core filled, to time an unchanged re-run at the largest size
            work = out / f"e2e-flow-{big}"
            shutil.rmtree(work, ignore_errors=True)
            shutil.copytree(out / f"e2e-core-after-{big}", work)
            log(f"end to end (flow) over {big} text plans: re-run, nothing changed (database from core-after)")
            rerun = e2e(text_dirs[big], work, "flow", f"flow {big} rerun")
            results["e2e"].setdefault("flow", {})[str(big)] = {"rerun": rerun}
        if "graph" not in skip:
            n = sizes[-1]
            db = out / f"e2e-core-after-{n}" / "kehoach.duckdb"
            if db.exists():
                log(f"graph queries on the {n}-document graph")
                try:
                    from measure_graph import bench_queries

                    results["graph"] = {**bench_queries(db, text_dirs[n]), "size": n}
                except Exception as e:  # noqa: BLE001 - keep the figures of the other parts
                    results["notes"].append(f"graph queries failed: {type(e).__name__}: {e}")
                    log(results["notes"][-1])

    results["notes"] += NOTES
    results["targets"] = report.targets(results)
    args.results = args.results or (out if q else HERE)
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (args.results / "RESULTS.md").write_text(report.render(results), encoding="utf-8")
    for t in results["targets"]:
        log(f"{report._mark(t['met'])} {t['target']}: {t['figure']} (wanted {t['wanted']})")
    log(f"wrote {args.results / 'RESULTS.md'} and results.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
