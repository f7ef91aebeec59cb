"""Targets against figures, and bench/RESULTS.md written from the results JSON."""

from __future__ import annotations

from typing import Any

MEMORY_FLAT_RATIO = 1.5  # peak RSS at the largest size over the smallest: "flat" up to this


def _largest(results: dict[str, Any], mode: str, which: str) -> tuple[str, dict[str, Any]] | None:
    runs = {k: v for k, v in results.get("e2e", {}).get(mode, {}).items() if v.get(which)}
    if not runs:
        return None
    size = max(runs, key=int)
    return size, runs[size][which]


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each issue-8 target with its measured figure and whether it is met."""
    out: list[dict[str, Any]] = []

    def add(name: str, target: str, figure: Any, ok: bool | None, note: str = "") -> None:
        out.append({"target": name, "wanted": target, "figure": figure, "met": ok, "note": note})

    for mode, runs in results.get("e2e", {}).items():
        big = _largest(results, mode, "first")
        if big:
            size, first = big
            wall = first["processed"] / first["wall_s"] if first.get("wall_s") else None
            per_cpu = first["processed"] / first["cpu_s"] if first.get("cpu_s") else None
            add(f"text end to end ({mode}, {size} docs, 1 process)", "≥ 50 docs/s per core",
                f"{per_cpu:.1f} docs per CPU-second" if per_cpu else None, per_cpu is not None and per_cpu >= 50,
                f"{wall:.1f} docs/s wall on the shared machine" if wall else "")
        big = _largest(results, mode, "rerun")
        if big:
            size, re = big
            ph = re.get("phases", {})
            add(f"re-run unchanged ({mode}, {size} docs)", "≤ 30 s", f"{re['wall_s']:.1f} s", re["wall_s"] <= 30,
                f"of which Prefect start/stop {ph['prefect_overhead']} s" if "prefect_overhead" in ph else "")
        sizes = sorted((k for k, v in runs.items() if v.get("first")), key=int)
        if len(sizes) > 1:
            lo, hi = runs[sizes[0]]["first"], runs[sizes[-1]]["first"]
            ratio = hi["peak_rss_mb"] / lo["peak_rss_mb"]
            note = ""
            if lo.get("peak_rss_by_phase") and hi.get("peak_rss_by_phase"):
                a, b = lo["peak_rss_by_phase"]["after_streaming"], hi["peak_rss_by_phase"]["after_streaming"]
                note = (f"read/extract/store loop alone: {a:.0f} → {b:.0f} MB (×{b / a:.2f}); the rest is "
                        "Store.rebuild_graph, which loads every document and citation")
            add(f"memory flat in archive size ({mode})", f"peak RSS {sizes[-1]} / {sizes[0]} ≤ {MEMORY_FLAT_RATIO}",
                f"{lo['peak_rss_mb']:.0f} → {hi['peak_rss_mb']:.0f} MB (×{ratio:.2f})", ratio <= MEMORY_FLAT_RATIO, note)
    pdf = results.get("read", {}).get("formats", {}).get("pdf")
    if pdf:
        rate = pdf.get("pages_per_cpu_s") or pdf["pages_per_s"]
        add("digital PDF read (synthetic plans)", "≥ 100 pages/s per core", f"{rate} pages per CPU-second", rate >= 100,
            f"{pdf['pages_per_s']} pages/s wall on the shared machine")
    real = results.get("read", {}).get("formats", {}).get("pdf (real, shared/dev)")
    if real and real.get("pages_per_cpu_s"):
        add("digital PDF read (real PDFs, shared/dev)", "≥ 100 pages/s per core",
            f"{real['pages_per_cpu_s']} pages per CPU-second", real["pages_per_cpu_s"] >= 100,
            f"{real['pages_per_s']} pages/s wall; includes header OCR of a stamped number")
    ocr = results.get("ocr", {}).get("rows", [])
    if len(ocr) > 1:
        top = ocr[-1]
        add("OCR scaling", "≥ 0.75 of linear", f"{top['efficiency']} at {top['cores']} cores ({top['speedup']}×)",
            top["efficiency"] >= 0.75,
            f"1-min load average {top.get('load_avg_1min')} on {results['machine']['nproc']} cores during the run")
    return out


def _mark(ok: bool | None) -> str:
    return "✓" if ok else ("✗" if ok is not None else "–")


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join("" if c is None else str(c) for c in r) + " |" for r in rows]
    return lines + [""]


def render(results: dict[str, Any]) -> str:
    """RESULTS.md: machine, one table per measurement, targets against figures."""
    m = results["machine"]
    md = ["# Benchmark results", "",
          f"One run of `python bench/run.py {results.get('argv', '')}`, {m['date']}.", ""]
    md += _table(["machine", ""], [
        ["cores (nproc)", m["nproc"]], ["CPU", m["cpu_model"]], ["RAM", f"{m['ram_gb']} GB"],
        ["load average at start", m["load_avg_at_start"]], ["Python", m["python"]], ["OS", m["os"]],
        ["Tesseract", m["tesseract"]], ["PIPELINE_VERSION", m["pipeline_version"]],
        ["packages", ", ".join(f"{k} {v}" for k, v in m["packages"].items())],
    ])
    md += ["Archives are synthetic (`bench/make_archive.py`, seeds in results.json) and exact gold comes "
           "with them. The machine was shared with other work during the run (see load average), so "
           "figures are lower bounds.", ""]

    rd = results.get("read", {})
    if rd.get("formats"):
        md += ["## Read throughput per format (one core)", "",
               "Pages of text and DOCX are estimated at 3,000 characters; scans and images are OCR'd with one "
               "Tesseract worker.", ""]
        md += _table(["format", "files", "pages", "seconds", "pages/s", "CPU s", "pages per CPU-s", "docs/s", "MB/s",
                      "failed"],
                     [[k, v["files"], v["pages"], v["seconds"], v["pages_per_s"], v.get("cpu_s"),
                       v.get("pages_per_cpu_s"), v["docs_per_s"], v["mb_per_s"], v["failed"]]
                      for k, v in rd["formats"].items()])
    for name, lib in rd.get("pdf_libraries", {}).items():
        md += [f"### pypdfium2 against pdfplumber: {name}", ""]
        md += _table(["library", "pages", "seconds", "pages/s"],
                     [[k, lib[k]["pages"], lib[k]["seconds"], lib[k]["pages_per_s"]] for k in ("pypdfium2", "pdfplumber")])
        md += [f"pypdfium2 is **{lib['ratio_pdfium_over_plumber']}×** as fast as pdfplumber on these "
               f"{lib['files']} PDFs (text of every page).", ""]

    ocr = results.get("ocr")
    if ocr and ocr.get("rows"):
        md += ["## OCR pages/s by cores", "", f"The same {ocr['rows'][0]['pages']} scanned pages "
               f"(rendered at {ocr.get('dpi')} dpi) through `pipeline.read.ocr.ocr_images`.", ""]
        md += _table(["cores", "pages", "seconds", "pages/s", "speedup", "of linear", "load avg (1 min)",
                      "mean confidence"],
                     [[r["cores"], r["pages"], r["seconds"], r["pages_per_s"], r["speedup"], r["efficiency"],
                       r.get("load_avg_1min"), r["mean_confidence"]] for r in ocr["rows"]])

    ex = results.get("extract")
    if ex:
        t = ex["throughput"]
        md += ["## Extract throughput on text (one core)", "",
               f"{t['docs']} text plans: **{t['docs_per_s']} docs/s**, {t['mb_per_s']} MB/s, "
               f"{t['ms_per_doc']} ms per document.", ""]
        md += _table(["extractor (as extract() calls it)", "share of time"],
                     [[k, f"{100 * v:.1f} %"] for k, v in t["share"].items()])
    acc = results.get("accuracy")
    if acc:
        md += ["## Accuracy against the synthetic gold", "",
               "Micro F1 per field (SCHEMA.md scoring, `pipeline.evaluate.score_document`); header = share of "
               "header fields exactly right.", ""]
        fields = ["citations", "implements", "assignments", "deadlines", "recipients"]
        md += _table(["format", "header exact", *fields],
                     [[fmt, v["header_exact"], *[v[f]["f1"] for f in fields]] for fmt, v in acc.items()])

    e2e = results.get("e2e", {})
    if e2e:
        md += ["## End to end over text archives", "",
               "Each run in its own process (peak RSS = that process's `ru_maxrss`; CPU s = its user+system "
               "time, the per-core measure on a shared machine). `core`: the plain batch core "
               "(`pipeline.ingest` + `Store.put_document`, one process, one file at a time); `core-after`: the "
               "same writing one store transaction per batch of 64 files (`Store.put_documents`, "
               "first measured as a prototype); `flow`: `flows.ingest.ingest_flow` "
               "(Prefect, thread runner, 1 worker). Re-run: the same archive again, nothing changed.", ""]
        rows = []
        for mode, runs in e2e.items():
            for size, run in sorted(runs.items(), key=lambda kv: int(kv[0])):
                for which in ("first", "rerun"):
                    r = run.get(which)
                    if not r:
                        continue
                    rate = round(r["processed"] / r["wall_s"], 1) if r.get("processed") else None
                    per_cpu = round(r["processed"] / r["cpu_s"], 1) if r.get("processed") and r.get("cpu_s") else None
                    by_phase = r.get("peak_rss_by_phase") or {}
                    rows.append([mode, size, which, r["wall_s"], r.get("processed"), rate, r.get("cpu_s"), per_cpu,
                                 r["peak_rss_mb"], by_phase.get("after_streaming"), _phases(r.get("phases", {})),
                                 r.get("failures") or ""])
        md += _table(["path", "docs", "run", "wall s", "processed", "docs/s", "CPU s", "docs per CPU-s",
                      "peak RSS MB", "peak before graph", "phases (s)", "failures"], rows)

    g = results.get("graph")
    if g:
        md += [f"## Graph queries on the {g.get('size')}-document graph", "",
               f"{g['nodes']} nodes, {g['edges']} edges. `pipeline.queries.implementers` (transitive) for the "
               f"{len(g['targets'])} central directives with most direct implementers, {g['queries']} queries: "
               f"median **{g['median_ms']} ms**, p95 {g['p95_ms']} ms, max {g['max_ms']} ms. Implementing files "
               f"found against those the gold implies: precision {g['precision']}, recall {g['recall']}.", ""]
        md += _table(["directive", "direct", "rows", "implementing files", "gold", "correct", "depth", "best ms"],
                     [[t["key"], t["direct"], t["rows"], t["implementers"], t["gold_implementers"], t["correct"],
                       t["max_depth"], t["best_ms"]] for t in g["targets"][:10]])

    md += _before_after(results)
    md += ["## Targets", ""]
    md += _table(["target", "wanted", "figure", "met", "note"],
                 [[t["target"], t["wanted"], t["figure"], _mark(t["met"]), t["note"]] for t in results["targets"]])
    if results.get("notes"):
        md += ["## Notes", "", *[f"- {n}" for n in results["notes"]], ""]
    return "\n".join(md)


def _phases(p: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v}" for k, v in p.items() if v is not None)


def _before_after(results: dict[str, Any]) -> list[str]:
    """Hot-spot fixes: the plain core against the core with the prototype fixes, same archive."""
    e2e = results.get("e2e", {})
    before, after = e2e.get("core", {}), e2e.get("core-after", {})
    rows = []
    for size in sorted(set(before) & set(after), key=int):
        b, a = before[size]["first"], after[size]["first"]
        for label, key in (("store rows (wall s)", "store_rows"), ("read + extract (wall s)", "read_extract")):
            rows.append([size, label, b["phases"].get(key), a["phases"].get(key)])
        rows.append([size, "whole run (wall s)", b["wall_s"], a["wall_s"]])
        rows.append([size, "CPU s", b["cpu_s"], a["cpu_s"]])
        rows.append([size, "docs per CPU-second", round(b["processed"] / b["cpu_s"], 1),
                     round(a["processed"] / a["cpu_s"], 1)])
    if not rows:
        return []
    return ["## Hot spots: before and after", "",
            "Profiled with cProfile and per-phase CPU time on the text path. The fixes are prototypes in "
            "bench/ (the real change belongs in the modules named in the notes below); `core-after` gives "
            "the same tables row for row (checked on 100 plans).", "",
            *_table(["docs", "measure", "before (core)", "after (core-after)"], rows)]
