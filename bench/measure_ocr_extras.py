"""What the header repairs of issues 12/13 add to reading, per page (CPU seconds).

- stamps: an e-signed digital PDF read with and without ``header_ocr`` (the widgets'
  text found by flattening a private copy of page 1): this process's CPU, best of 3;
- marks: ``marks.respell`` over every OCR'd line of a scan page (this process's CPU);
- fields: page 1's number and day read again from crops (``fields.reread``): this
  process's CPU plus the Tesseract children's CPU (``os.times``);
- digits: what reading hand-written digits adds to ``fields``: page 1 rendered again in
  colour, and the ink of the two blanks classified (``digits``).

    PYTHONPATH=$PWD python bench/measure_ocr_extras.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def best(fn, n: int = 3) -> float:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(n):
        t = cpu()
        fn()
        out.append(cpu() - t)
    return min(out)


def main() -> None:
    import pypdfium2 as pdfium

    from pipeline.read import ReadSettings, read
    from pipeline.read import digits
    from pipeline.read.fields import _where, reread
    from pipeline.read.marks import respell
    from pipeline.read.ocr import ocr_images
    from pipeline.read.pdf import _render

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = ap.parse_args()
    files = args.shared / "dev2" / "files"
    signed = [files / f for f in ("bnv-cv11902-2025-bao-cao-quan-ly-hoi.pdf", "lamdong-hdtd-qd10797-2025-to-giup-viec-chi-so-cchc.pdf",
                                  "vpcp-cd2003-2025-hoi-nghi-ctmtqg-ma-tuy.pdf")]  # fmt: skip
    for f in signed:
        pages = len(pdfium.PdfDocument(str(f)))
        on = best(lambda: read(f, ReadSettings(ocr=False)))
        off = best(lambda: read(f, ReadSettings(ocr=False, header_ocr=False)))
        print(f"stamps {f.name}: {pages} pages, {1000 * off / pages:.1f} → {1000 * on / pages:.1f} ms/page ({1000 * (on - off):+.1f} ms per file)")
    scans = [files / f for f in ("bca-cv5689-2025-dau-tu-cong-ctmtqg-scan.pdf", "lamdong-hoilhpn-cv-2025-cu-lanh-dao-ban-vstbpn-scan.pdf",
                                 "lamdong-ubnd-tb493-2025-ket-luan-chi-so-badocr.pdf")]  # fmt: skip
    for f in scans:
        pdf = pdfium.PdfDocument(str(f))
        im = _render(pdf, 0, 300, native=True)
        page = ocr_images([im], workers=1, rotate=False, marks=False)[0]
        lines = [[(ln.text[w.start : w.end], w.confidence) for w in ln.words] for b in page.blocks for ln in b.lines]
        t = time.process_time()
        for words in lines:
            respell(words)
        marks = time.process_time() - t
        t = cpu()
        reread(im, page.blocks, "vie", str(f))
        fields = cpu() - t
        t = cpu()
        colour = _render(pdf, 0, 300, native=True, colour=True)
        render = cpu() - t
        boxes = [w[2] for b in page.blocks for ln in b.lines for kind in ("number", "day") if (w := _where(ln, kind, im.height))]
        t = cpu()
        for box in boxes:
            digits.read(colour.crop(box))
        hand = cpu() - t
        t = cpu()
        ocr_images([im], workers=1, rotate=False, marks=False)
        whole = cpu() - t
        print(f"scan {f.name} page 1: OCR {whole:.2f} s CPU; marks {1000 * marks:.1f} ms; fields {fields:.2f} s CPU; "
              f"digits: colour render {1000 * render:.0f} ms + {len(boxes)} blanks read {1000 * hand:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
