"""Issue 14's measurements: memory and stage times at 10,000 and 100,000 documents,
documents/s after start-up per runner on 200 text files, the Dask speed-up with 2
worker processes, and an unchanged re-run of the sample archive through ``kehoach ingest``.

Usage::

    python bench/scale.py                       # everything (the 100,000 run takes an hour or more on 2 cores)
    python bench/scale.py --parts throughput,rerun
    python bench/scale.py --sizes 1000,10000    # a smaller memory check
    python bench/scale.py --parts seeded        # memory per stage at 10,000 and 100,000 on seeded rows (~1 h)
    python bench/scale.py --parts throughput --runners processx2

``--parts seeded`` answers the memory question without extracting 100,000 plans: see
``bench/seed_db.py`` for what is seeded and what runs for real. Each ingest runs in its own process (``bench/e2e_child.py``), so its peak RSS is its own.
Results go to ``bench/results-scale.json`` and the section "Scale and run (issue 14)" of
``bench/RESULTS.md``. Nothing here is run by the tests.
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

from machine import describe  # noqa: E402
from run import archive, log  # noqa: E402

SECTION = "## Scale and run (issue 14)"
KEPT = "### Reports memory"  # a subsection of SECTION that bench/reports_memory.py writes
PARTS = ("rerun", "throughput", "memory", "seeded")
RUNNERS = [("thread", 1), ("thread", 2), ("process", 2), ("dask", 1), ("dask", 2)]


def child(archive_dir: Path, work: Path, label: str, *extra: str) -> dict[str, Any]:
    """One ingest in ``bench/e2e_child.py``; its JSON line, with wall time and load average."""
    cmd = [sys.executable, str(HERE / "e2e_child.py"), "--archive", str(archive_dir), "--db", str(work / "kehoach.duckdb"),
           "--parquet", str(work / "parquet"), "--label", label, *extra]  # fmt: skip
    load = os.getloadavg()[0]
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, stdout=subprocess.PIPE, text=True, check=False)
    wall = time.perf_counter() - t
    lines = [x for x in proc.stdout.splitlines() if x.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {"label": label, "error": f"exit {proc.returncode}", "wall_s": round(wall, 2)}
    res = json.loads(lines[-1])
    res.update(label=label, wall_s=round(wall, 2), load_before=round(load, 2), load_after=round(os.getloadavg()[0], 2))
    log(f"  {label}: {res['wall_s']} s, peak {res['peak_rss_mb']} MB, {res.get('docs_per_s_after_startup')} docs/s")
    return res


def sized(out: Path, n: int) -> Path:
    """The n-plan text archive under ``out/scale-n`` (generated if missing, in a process of
    its own: a child inherits its parent's peak RSS across fork and exec, Linux ``ru_maxrss``,
    so this process must stay small for each ingest's peak to be its own)."""
    src = out / f"scale-{n}"
    if not (src / "archive").is_dir():
        code = (f"import sys; from pathlib import Path; sys.path.insert(0, {str(HERE)!r}); from run import archive; "
                "archive(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), 1, 'txt=1')")
        subprocess.run([sys.executable, "-c", code, str(out), f"scale-{n}", str(n)], cwd=REPO, check=True)
    return src / "archive"


def workdir(path: Path) -> Path:
    """``path`` as a new empty folder."""
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def run_args(runner: str, workers: int) -> tuple[str, ...]:
    """``bench/e2e_child.py`` arguments of a library run drawing the reports."""
    return ("--mode", "run", "--runner", runner, "--workers", str(workers), "--batch-size", "16", "--reports")


def memory(out: Path, sizes: list[int], runner: str, workers: int, save: Any) -> dict[str, Any]:
    """First run and unchanged re-run at each size (library run, reports drawn); ``save``
    gets the results after each size (the largest takes hours)."""
    res: dict[str, Any] = {}
    for n in sizes:
        src, work, args = sized(out, n), workdir(out / f"scale-run-{n}"), run_args(runner, workers)
        log(f"memory: {n} documents, first run ({runner} x{workers})")
        first = child(src, work, f"run {n} first", *args)
        log(f"memory: {n} documents, unchanged re-run")
        rerun = child(src, work, f"run {n} rerun", *args)
        res[str(n)] = {"first": first, "rerun": rerun}
        save(res)
    return res


def seeded(out: Path, sizes: list[int], template_n: int, fresh: int, runner: str, workers: int, save: Any
           ) -> dict[str, Any]:
    """At each size N: a database seeded with the rows of N - ``fresh`` documents
    (``bench/seed_db.py``, copied from the real ingest of ``template_n`` plans), then a real
    ``pipeline.run.ingest`` of the N-plan archive over it: ``fresh`` files read, extracted
    and stored, then discover, graph, Parquet and reports over all N."""
    template = out / f"scale-run-{template_n}" / "kehoach.duckdb"
    if not template.exists():
        memory(out, [template_n], runner, workers, lambda res: None)
    res: dict[str, Any] = {}
    for n in sizes:
        src, work = sized(out, n), workdir(out / f"seeded-{n}")
        log(f"seeded: {n} documents, seeding {n - fresh} from {template}")
        # in a process of its own, like the archive (see ``sized``)
        proc = subprocess.run([sys.executable, str(HERE / "seed_db.py"), str(work / "kehoach.duckdb"), str(src),
                               str(template), "--fresh", str(fresh)], cwd=REPO, stdout=subprocess.PIPE, text=True,
                              check=True)  # fmt: skip
        info = json.loads(proc.stdout.splitlines()[-1])
        log(f"  {info}")
        res[str(n)] = {"seed": info, "run": child(src, work, f"seeded {n}", *run_args(runner, workers))}
        save(res)
    return res


def throughput(out: Path, n: int, runners: list[tuple[str, int]] = RUNNERS) -> dict[str, Any]:
    """``kehoach ingest`` through Prefect (embedded API) on ``n`` text files, per runner."""
    src = archive(out, f"arch-{n}", n, 1, "txt=1")
    res: dict[str, Any] = {}
    for runner, workers in runners:
        work = out / f"throughput-{runner}-{workers}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        log(f"throughput: {n} files, flow, {runner} x{workers}")
        res[f"{runner} x{workers}"] = child(src / "archive", work, f"flow {runner} x{workers}", "--mode", "flow",
                                            "--runner", runner, "--workers", str(workers), "--batch-size", "16")  # fmt: skip
    return res


def rerun(out: Path, tries: int = 5) -> dict[str, Any]:
    """``kehoach ingest data/raw`` once (skipped in effect when ``out`` already holds a
    current database), then ``tries`` times more: these find nothing to do; their wall time."""
    work = out / "rerun-sample"
    db = work / "kehoach.duckdb"
    kehoach = [sys.executable, "-c", "from pipeline.cli import main; main()", "ingest", "data/raw", "--db", str(db),
               "--no-progress", "--json"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(REPO), "PREFECT_LOGGING_LEVEL": "WARNING"}
    subprocess.run([*kehoach, "--local", "--runner", "process", "--workers", "2"], cwd=REPO, env=env,
                   stdout=subprocess.DEVNULL, check=True)  # fmt: skip
    times = []
    for _ in range(tries):
        load = os.getloadavg()[0]
        t = time.perf_counter()
        p = subprocess.run(kehoach, cwd=REPO, env=env, stdout=subprocess.PIPE, text=True, check=True)
        times.append({"wall_s": round(time.perf_counter() - t, 2), "load": round(load, 2),
                      "counts": json.loads(p.stdout)["counts"]})  # fmt: skip
    log(f"  unchanged re-run of data/raw: {[t['wall_s'] for t in times]} s")
    walls = sorted(t["wall_s"] for t in times)
    return {"runs": times, "best_wall_s": walls[0], "median_wall_s": walls[len(walls) // 2]}


def _table(title: str, intro: str, columns: list[str]) -> list[str]:
    return [f"### {title}", "", intro, "", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]


def render(r: dict[str, Any]) -> str:
    """The RESULTS.md section."""
    m = r["machine"]
    lines = [SECTION, "", f"{m['nproc']} cores ({m['cpu_model']}), {m['ram_gb']} GB, shared with other sessions: the "
             "load average (1 min) is given per row. Each part as last run:", ""]  # fmt: skip
    for part, run in (r.get("parts") or {"all": {"argv": r["argv"], "when": r["when"]}}).items():
        lines.append(f"- {part}: `python bench/scale.py {run['argv']}`, {run['when']}")
    lines.append("")
    if "memory" in r:
        lines += _table(
            "Memory and time per stage",
            "`pipeline.run.ingest` (`kehoach ingest --local`), text plans from `bench/make_archive.py`, first run then "
            "an unchanged re-run; peak RSS of the run's own process (`ru_maxrss`) and of its largest child (a worker, "
            "or the process drawing the reports). Stages in wall seconds.",
            ["documents", "run", "wall s", "peak RSS MB", "peak before graph MB", "child peak MB", "docs/s", "load",
             "stages (s)"],
        )  # fmt: skip
        for n, runs in r["memory"].items():
            for kind, x in runs.items():
                if "error" in x:
                    lines.append(f"| {n} | {kind} | {x['wall_s']} | {x['error']} | | | | | |")
                    continue
                stages = ", ".join(f"{k} {v}" for k, v in x["phases"].items())
                lines.append(f"| {n} | {kind} | {x['wall_s']} | {x['peak_rss_mb']} | "
                             f"{(x.get('peak_rss_by_phase') or {}).get('after_streaming') or ''} | "
                             f"{x['children_peak_rss_mb']} | {x.get('docs_per_s_after_startup') or ''} | "
                             f"{x['load_before']}–{x['load_after']} | {stages} |")  # fmt: skip
        sizes = sorted(r["memory"], key=int)
        if len(sizes) > 1:
            lo, hi = (r["memory"][s]["first"] for s in (sizes[0], sizes[-1]))
            if "error" not in lo and "error" not in hi:
                ratio = hi["peak_rss_mb"] / lo["peak_rss_mb"]
                lines += ["", f"Peak RSS at {int(sizes[-1]):,} documents is **{ratio:.2f}×** that at "
                          f"{int(sizes[0]):,} ({lo['peak_rss_mb']} → {hi['peak_rss_mb']} MB; wanted ≤ 1.5×)."]  # fmt: skip
        lines.append("")
    if "seeded" in r:
        lines += _seeded_table(r["seeded"])
    if "throughput" in r:
        lines += _table(
            f"Documents per second after start-up ({r['n']} text files, `kehoach ingest` through Prefect)",
            "From the first document stored to the last (start-up: Prefect's embedded server, worker processes "
            "importing spaCy and underthesea, not counted).",
            ["runner", "workers", "docs/s after start-up", "wall s", "start-up s", "load"],
        )
        for name, x in r["throughput"].items():
            if "error" in x:
                lines.append(f"| {name} | | {x['error']} | {x['wall_s']} | | |")
                continue
            rate = x.get("docs_per_s_after_startup") or 0
            startup = round(x["wall_s"] - (x["processed"] / rate if rate else 0), 1)
            lines.append(f"| {x['runner']} | {x['workers']} | {rate} | {x['wall_s']} | {startup} | "
                         f"{x['load_before']}–{x['load_after']} |")  # fmt: skip
        d1, d2 = r["throughput"].get("dask x1", {}), r["throughput"].get("dask x2", {})
        if d1.get("docs_per_s_after_startup") and d2.get("docs_per_s_after_startup"):
            lines += ["", f"Dask speed-up, 2 worker processes against 1 on 2 cores: "
                      f"**{d2['docs_per_s_after_startup'] / d1['docs_per_s_after_startup']:.2f}×**."]  # fmt: skip
        lines.append("")
    if "rerun" in r:
        lines += _table(
            "Unchanged re-run of the sample archive",
            "`kehoach ingest data/raw` after a first ingest: nothing new, changed or deleted, so it records the run "
            "and returns without starting Prefect (size and mtime unchanged: nothing is hashed).",
            ["try", "wall s", "load", "counts"],
        )
        for i, x in enumerate(r["rerun"]["runs"], 1):
            lines.append(f"| {i} | {x['wall_s']} | {x['load']} | {x['counts']} |")
        if "median_wall_s" in r["rerun"]:
            lines += ["", f"Median **{r['rerun']['median_wall_s']} s** (best {r['rerun']['best_wall_s']} s; wanted ≤ 3 s)."]
        lines.append("")
    return "\n".join(lines)


def _seeded_table(seeded: dict[str, Any]) -> list[str]:
    """Peak RSS per stage of a real ingest of fresh files over a seeded database."""
    some = next(iter(seeded.values()))
    lines = _table(
        "Memory per stage at N documents (seeded database, real ingest of the newcomers)",
        f"`--parts seeded`: the database first holds the rows of N − {some['seed']['fresh']} documents, real "
        f"extraction rows copied from the {some['seed']['template_documents']:,}-plan ingest of the memory part "
        "onto the files of a real N-plan archive (`bench/seed_db.py`: beyond the template, each copy gets its "
        "numbers shifted so it forms its own cluster of documents and citations). Then `pipeline.run.ingest` "
        f"(process runner) runs for real on the N-plan archive: it discovers all N files (the seeded ones by stat "
        f"only), reads, extracts and stores the {some['seed']['fresh']} new ones, rebuilds the graph over all N, "
        "exports Parquet and draws the reports (own process). Peak RSS (`ru_maxrss`, MB) of the run's process at "
        "the end of each stage; the reports process and workers are children.",
        ["documents", "seeded rows", "wall s", "open", "discover", "read/extract", "store", "graph", "parquet",
         "reports", "children peak", "load", "stages (s)"],
    )  # fmt: skip
    for n, x in seeded.items():
        run = x["run"]
        if "error" in run:
            lines.append(f"| {int(n):,} | {x['seed']['seeded']:,} | {run['wall_s']} | {run['error']} |" + " |" * 9)
            continue
        peak = run["peak_rss_mb_by_stage"]
        rows = x["seed"]["rows"]
        cells = [f"{int(n):,}", f"{rows['documents']:,} docs, {rows['citations']:,} citations", str(run["wall_s"])]
        cells += [str(peak.get(k, "")) for k in ("open", "discover", "read_extract", "store", "graph", "parquet", "reports")]
        cells += [str(run["children_peak_rss_mb"]), f"{run['load_before']}–{run['load_after']}",
                  ", ".join(f"{k} {v}" for k, v in run["phases"].items())]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    sizes = sorted((k for k in seeded if "error" not in seeded[k]["run"]), key=int)
    if len(sizes) > 1:
        lo, hi = (seeded[s]["run"] for s in (sizes[0], sizes[-1]))
        ratio = hi["peak_rss_mb"] / lo["peak_rss_mb"]
        kids = hi["children_peak_rss_mb"] / lo["children_peak_rss_mb"] if lo["children_peak_rss_mb"] else 0
        lines += ["", f"Peak RSS of the ingest process at {int(sizes[-1]):,} documents is **{ratio:.2f}×** that at "
                  f"{int(sizes[0]):,} ({lo['peak_rss_mb']} → {hi['peak_rss_mb']} MB; wanted ≤ 1.5×). Its largest "
                  f"child (the reports process): {lo['children_peak_rss_mb']} → {hi['children_peak_rss_mb']} MB "
                  f"({kids:.2f}×)."]  # fmt: skip
    return lines + [""]


def write(results: dict[str, Any]) -> None:
    path = HERE / "results-scale.json"
    old = json.loads(path.read_text()) if path.exists() else {}  # other parts' results stay
    if "throughput" in results:  # so do other runners' rows
        results = {**results, "throughput": {**old.get("throughput", {}), **results["throughput"]}}
    parts = {**old.get("parts", {}), **{p: {"argv": results["argv"], "when": results["when"]} for p in PARTS if p in results}}
    old.update(results)
    old["parts"] = parts
    path.write_text(json.dumps(old, ensure_ascii=False, indent=1) + "\n")
    md = HERE / "RESULTS.md"
    text = md.read_text(encoding="utf-8")
    head, _, rest = text.partition(SECTION)
    tail = rest[rest.index("\n## "):] if "\n## " in rest else ""  # sections written after this one stay
    kept = rest[rest.index(KEPT):len(rest) - len(tail)].rstrip() + "\n" if KEPT in rest else ""  # and so does that
    md.write_text(head.rstrip() + "\n\n" + render(old) + "\n" + ("\n" + kept if kept else "") + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--parts", default="memory,throughput,rerun", help="also: seeded")
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--runner", default="process", help="memory runs: thread | process")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--n", type=int, default=200, help="files for the throughput part")
    ap.add_argument("--runners", default=",".join(f"{r}x{w}" for r, w in RUNNERS),
                    help="throughput part: runner x workers, e.g. processx2,daskx2")
    ap.add_argument("--template", type=int, default=10000, help="seeded part: plans really ingested for the rows")
    ap.add_argument("--fresh", type=int, default=500, help="seeded part: new files the real ingest reads")
    ap.add_argument("--out", type=Path, default=HERE / "out")
    args = ap.parse_args(argv)
    parts = set(args.parts.split(","))
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"argv": " ".join(argv if argv is not None else sys.argv[1:]),
                               "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": describe()}  # fmt: skip
    if "rerun" in parts:
        results["rerun"] = rerun(out)
        write(results)
    if "throughput" in parts:
        runners = [(r, int(w)) for r, _, w in (x.partition("x") for x in args.runners.split(","))]
        results["throughput"] = throughput(out, args.n, runners)
        results["n"] = args.n
        write(results)
    if "memory" in parts:
        sizes = [int(s) for s in args.sizes.split(",")]
        results["memory"] = memory(out, sizes, args.runner, args.workers, lambda res: write({**results, "memory": res}))
    if "seeded" in parts:
        sizes = [int(s) for s in args.sizes.split(",")]
        results["seeded"] = seeded(out, sizes, args.template, args.fresh, args.runner, args.workers,
                                   lambda res: write({**results, "seeded": res}))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
