"""Reading cost per page of digital PDF, DOCX and scanned PDF: this process's CPU time
(and Tesseract's, for scans) for ``pipeline.read.read``, so that two versions of the
reader can be compared on a shared machine.

Usage (run once per version of the code, e.g. an older checkout on PYTHONPATH)::

    PYTHONPATH=. python bench/read_cost.py --label after --out /tmp/read-after.json
    python bench/read_cost.py --compare /tmp/read-before.json /tmp/read-after.json

Files: the sample archive's digital PDFs and DOCX (``data/raw``), the real PDFs of
shared/dev and shared/dev2 with a text layer, the DOCX of shared/dev2, and a few scanned
pages (``data/raw/scan`` and dev2 scans). DOCX "pages" are 3,000 characters of text.
Each digital file is read ``--repeat`` times and the best CPU time is kept.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("KEHOACH_SHARED", REPO.parent / "shared"))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def groups() -> dict[str, list[Path]]:
    raw = REPO / "data" / "raw"
    dev2 = sorted((SHARED / "dev2" / "files").glob("*"))
    return {
        "pdf": sorted((raw / "pdf").glob("*.pdf")) + sorted((raw / "dev").glob("*.pdf"))
        + [p for p in dev2 if p.suffix == ".pdf" and "scan" not in p.name and "badocr" not in p.name],
        "docx": sorted((raw / "docx").glob("*.docx")) + sorted((raw / "dev").glob("*.docx"))
        + [p for p in dev2 if p.suffix == ".docx"],
        "scan": sorted((raw / "scan").glob("00[01]*.pdf"))
        + [p for p in dev2 if p.name.startswith(("lamdong-cat-ttr-2025-bao-cao-tong", "lamdong-hoilhpn"))],
    }  # fmt: skip


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def measure(files: list[Path], repeat: int, kind: str) -> dict[str, Any]:
    from pipeline.errors import KehoachError
    from pipeline.read import read

    cpu = child = wall = 0.0
    pages = 0.0
    failed = []
    for f in files:
        best = None
        for _ in range(1 if kind == "scan" else repeat):
            c0, k0, t0 = time.process_time(), _children_cpu(), time.perf_counter()
            try:
                doc = read(f)
            except KehoachError as e:
                failed.append(f"{f.name}: {e.reason.value}")
                break
            run = (time.process_time() - c0, _children_cpu() - k0, time.perf_counter() - t0)
            best = run if best is None or run[0] < best[0] else best
        if best is None:
            continue
        cpu, child, wall = cpu + best[0], child + best[1], wall + best[2]
        pages += len(doc.pages) if kind != "docx" else max(1.0, len(doc.text) / 3000)
    return {
        "files": len(files), "failed": failed, "pages": round(pages, 1),
        "cpu_ms_per_page": round(1000 * cpu / pages, 2) if pages else None,
        "ocr_cpu_ms_per_page": round(1000 * child / pages, 1) if pages and kind == "scan" else None,
        "wall_ms_per_page": round(1000 * wall / pages, 1) if pages else None,
    }  # fmt: skip


def compare(before: dict[str, Any], after: dict[str, Any]) -> str:
    rows = ["| kind | pages | before CPU ms/page | after CPU ms/page | change | before OCR CPU ms/page | after OCR CPU ms/page |",
            "|---|---|---|---|---|---|---|"]  # fmt: skip
    for kind in ("pdf", "docx", "scan"):
        b, a = before["kinds"][kind], after["kinds"][kind]
        change = f"{100 * (a['cpu_ms_per_page'] / b['cpu_ms_per_page'] - 1):+.0f} %"
        rows.append(
            f"| {kind} | {a['pages']} | {b['cpu_ms_per_page']} | {a['cpu_ms_per_page']} | {change} | "
            f"{b['ocr_cpu_ms_per_page'] or ''} | {a['ocr_cpu_ms_per_page'] or ''} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--label", default="run")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--kinds", default="pdf,docx,scan")
    ap.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = ap.parse_args(argv)
    if args.compare:
        before, after = (json.loads(p.read_text()) for p in args.compare)
        print(compare(before, after))
        return 0
    kinds = {k: v for k, v in groups().items() if k in args.kinds.split(",")}
    res = {"label": args.label, "load_avg_1min_start": round(os.getloadavg()[0], 2), "kinds": {}}
    for kind, files in kinds.items():
        res["kinds"][kind] = measure(files, args.repeat, kind)
        print(kind, res["kinds"][kind], file=sys.stderr)
    res["load_avg_1min_end"] = round(os.getloadavg()[0], 2)
    text = json.dumps(res, indent=1)
    if args.out:
        args.out.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
