"""Read throughput per format, pypdfium2 against pdfplumber, and OCR scaling in cores.

Everything runs in this process on one core unless a worker count says otherwise, so
the figures are per core. Each file is read once for timing; what the reader returns
is handed to ``on_doc`` (the extract benchmark scores it) and then dropped.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.errors import KehoachError
from pipeline.models import Document


def manifest(archive_dir: Path) -> list[dict[str, Any]]:
    """The generator's manifest records (one per file)."""
    lines = (archive_dir / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(x) for x in lines if x.strip()]


def read_formats(archive_dir: Path, records: list[dict[str, Any]], settings: Any = None,
                 on_doc: Callable[[dict[str, Any], Document], None] | None = None) -> dict[str, dict[str, Any]]:
    """Read every file, grouped by generator format; pages/s, docs/s and MB/s per format.

    Pages are the reader's own page count for PDFs and images, and the generator's
    estimate (3,000 characters a page) for text and DOCX, which have no pages.
    """
    from pipeline.read import read

    out: dict[str, dict[str, Any]] = {}
    for fmt in sorted({r["format"] for r in records}):
        recs = [r for r in records if r["format"] == fmt]
        seconds, cpu, pages, size, failures = 0.0, 0.0, 0, 0, 0
        for r in recs:
            path = archive_dir / r["path"]
            t, c = time.perf_counter(), time.process_time()
            try:
                doc = read(path, settings=settings) if settings is not None else read(path)
            except KehoachError:
                seconds += time.perf_counter() - t
                cpu += time.process_time() - c
                failures += 1
                continue
            seconds += time.perf_counter() - t
            cpu += time.process_time() - c
            pages += len(doc.pages) if fmt in ("pdf", "scan", "png") and doc.pages else r["pages"]
            size += r["bytes"]
            if on_doc is not None:
                on_doc(r, doc)
        out[fmt] = {
            "files": len(recs), "failed": failures, "pages": pages, "seconds": round(seconds, 3),
            "pages_per_s": round(pages / seconds, 2) if seconds else None,
            # this process's CPU time: the per-core rate on a shared machine (OCR runs in
            # Tesseract child processes, so for scans and images only wall time counts)
            "cpu_s": round(cpu, 3),
            "pages_per_cpu_s": round(pages / cpu, 2) if cpu and fmt not in ("scan", "png") else None,
            "docs_per_s": round(len(recs) / seconds, 2) if seconds else None,
            "mb_per_s": round(size / 1e6 / seconds, 3) if seconds else None,
        }
    return out


def pdf_libraries(pdfs: list[Path], repeat: int = 1) -> dict[str, Any]:
    """Text of every page with pypdfium2 and with pdfplumber: pages/s each, and the ratio."""
    import pdfplumber
    import pypdfium2 as pdfium

    def with_pdfium() -> int:
        n = 0
        for p in pdfs:
            doc = pdfium.PdfDocument(str(p))
            for page in doc:
                tp = page.get_textpage()
                tp.get_text_range()
                tp.close()
                page.close()
                n += 1
            doc.close()
        return n

    def with_plumber() -> int:
        n = 0
        for p in pdfs:
            with pdfplumber.open(str(p)) as doc:
                for page in doc.pages:
                    page.extract_text()
                    page.close()
                    n += 1
        return n

    res: dict[str, Any] = {"files": len(pdfs)}
    for name, fn in (("pypdfium2", with_pdfium), ("pdfplumber", with_plumber)):
        t = time.perf_counter()
        pages = sum(fn() for _ in range(repeat))
        s = time.perf_counter() - t
        res[name] = {"pages": pages, "seconds": round(s, 3), "pages_per_s": round(pages / s, 1)}
    res["pages_per_file"] = res["pypdfium2"]["pages"] // max(1, repeat * len(pdfs))
    res["ratio_pdfium_over_plumber"] = round(res["pypdfium2"]["pages_per_s"] / res["pdfplumber"]["pages_per_s"], 1)
    return res


def page_images(scans: list[Path], dpi: int, limit: int) -> list[Any]:
    """The first ``limit`` page images of the scanned PDFs/PNGs, as the reader renders them."""
    import pypdfium2 as pdfium

    from pipeline.read.image import load_pages

    images: list[Any] = []
    for p in scans:
        if p.suffix.lower() == ".pdf":
            doc = pdfium.PdfDocument(str(p))
            for page in doc:
                images.append(page.render(scale=dpi / 72, grayscale=True).to_pil())
                page.close()
            doc.close()
        else:
            images.extend(load_pages(p.read_bytes(), str(p), 100))
        if len(images) >= limit:
            break
    return images[:limit]


def ocr_scaling(images: list[Any], core_counts: list[int]) -> dict[str, Any]:
    """OCR the same page images with 1, 2, ... Tesseract workers (``pipeline.read.ocr``)."""
    from pipeline.read.ocr import ocr_images

    rows = []
    base = None
    for n in core_counts:
        t = time.perf_counter()
        pages = ocr_images(images, workers=n)
        s = time.perf_counter() - t
        pps = len(images) / s
        base = base or pps
        conf = [p.confidence for p in pages if p.confidence is not None]
        rows.append({"cores": n, "pages": len(images), "seconds": round(s, 2), "pages_per_s": round(pps, 3),
                     "load_avg_1min": round(os.getloadavg()[0], 2),
                     "speedup": round(pps / base, 2), "efficiency": round(pps / base / n, 2),
                     "mean_confidence": round(sum(conf) / len(conf), 1) if conf else None})
    return {"rows": rows}
