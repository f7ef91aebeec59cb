"""Extraction cost in CPU time: documents per CPU-second and each stage's share.

``python bench/extract_cost.py [--archive DIR] [--n 300]`` reads the synthetic text plans
of ``DIR`` (made by ``make_archive.py`` when missing) and the five corpus texts, then
extracts each document once (cold: the per-text caches do not help) and counts this
process's CPU time (``time.process_time``), so the figures hold on a shared machine where
wall time does not. The stages are timed the way ``measure_extract.py`` times them (the
functions ``extract`` looks up, wrapped), in CPU time. Run it with another checkout on
``PYTHONPATH`` to measure that revision. ``--probe pipeline.extract.units:UnitFinder.__init__``
(repeatable) also times any function or method on the corpus, wherever a module imported
it by name, and reports its CPU ms a plan (nested probes overlap; each adds ~1 µs a call).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from measure_extract import timed_extractors  # noqa: E402


def measure(docs: list[Any]) -> dict[str, Any]:
    from pipeline.extract import extract

    totals: dict[str, float] = defaultdict(float)
    with timed_extractors(totals, clock=time.process_time):
        t = time.process_time()
        for doc in docs:
            extract(doc, strict=False)
        seconds = time.process_time() - t
    share = {k: round(v / seconds, 3) for k, v in sorted(totals.items(), key=lambda kv: -kv[1])}
    return {
        "docs": len(docs), "cpu_seconds": round(seconds, 3), "docs_per_cpu_s": round(len(docs) / seconds, 1),
        "cpu_ms_per_doc": round(1000 * seconds / len(docs), 1), "share": share,
    }  # fmt: skip


@contextlib.contextmanager
def probed(specs: list[str], totals: dict[str, float]) -> Iterator[None]:
    """Wrap each ``module:attr[.attr]`` callable (and every ``pipeline`` module's name for
    it) so that its CPU seconds add up in ``totals[spec]``."""
    saved: list[tuple[Any, str, Any]] = []
    for spec in specs:
        mod_name, path = spec.split(":")
        owner: Any = importlib.import_module(mod_name)
        *outer, attr = path.split(".")
        for name in outer:
            owner = getattr(owner, name)
        fn = getattr(owner, attr)

        def wrapper(*a: Any, __fn: Any = fn, __spec: str = spec, **k: Any) -> Any:
            t = time.process_time()
            try:
                return __fn(*a, **k)
            finally:
                totals[__spec] += time.process_time() - t

        places = [(owner, attr)]
        if not outer:  # a function other modules may have imported by name
            places += [(m, attr) for n, m in list(sys.modules.items()) if n.startswith("pipeline") and m is not owner and getattr(m, attr, None) is fn]
        for obj, name in places:
            saved.append((obj, name, fn))
            setattr(obj, name, wrapper)
    try:
        yield
    finally:
        for obj, name, fn in reversed(saved):
            setattr(obj, name, fn)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--archive", type=Path, default=HERE / "out" / "arch-extract-cost")
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--corpus", type=Path, default=HERE.parent.parent / "shared" / "corpus")
    ap.add_argument("--probe", action="append", default=[], help="module:function (or module:Class.method) to time on the corpus")
    args = ap.parse_args(argv)
    from pipeline.read import read

    if not (args.archive / "manifest.jsonl").exists():
        import make_archive

        make_archive.main([str(args.archive), "--n", str(args.n), "--seed", "1", "--formats", "txt=1", "--quiet"])
    records = [json.loads(line) for line in (args.archive / "manifest.jsonl").read_text().splitlines()]
    synthetic = [read(args.archive / r["path"]) for r in records if r["format"] == "txt"][: args.n]
    corpus = [read(p) for p in sorted(args.corpus.glob("*.txt"))]
    from pipeline.extract import extract

    extract(synthetic[0])  # imports and pattern tables loaded before the clock starts
    out = {"synthetic": measure(synthetic[1:])}
    probes: dict[str, float] = defaultdict(float)
    with probed(args.probe, probes):
        out["corpus"] = measure(corpus)
    if args.probe:
        out["corpus_probe_cpu_ms_per_doc"] = {k: round(1000 * probes[k] / len(corpus), 2) for k in args.probe}
    print(json.dumps(out, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
