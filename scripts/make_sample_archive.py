#!/usr/bin/env python
"""Build the sample archive in ``data/raw/``: every corpus text in every archive format.

For each text of ``shared/corpus/`` (read with kehoach's own text reader, so that the
DANH MỤC appendix comes out as table cells):

- ``text/<stem>.txt``  the text, copied byte for byte;
- ``docx/<stem>.docx`` paragraphs line by line, tables as real Word tables (python-docx);
- ``pdf/<stem>.pdf``   digital PDF with a text layer (fpdf2, DejaVu Sans, ruled tables);
- ``scan/<stem>.pdf``  that PDF rasterised at 200 dpi as a black-and-white office scan
  (ragged glyph edges, dust specks), image-only, no text layer;
- ``png/<stem>.png``   the pages rasterised at 200 dpi (4 grey levels) and stacked into
  one tall PNG per document (``read`` cuts it back into pages at blank rows);
- ``doc/<stem>.doc``   the DOCX converted by LibreOffice (only this generator needs it;
  reading a .doc needs antiword only).

Also ``dev/``: copies of the real files of ``shared/dev/files``; and ``data/gold/``:
the gold JSON of corpus and dev documents (one gold per stem scores every render).

Usage: ``.venv/bin/python scripts/make_sample_archive.py [--shared ../shared] [--only docx,pdf]``
Rendering is deterministic (fixed noise seed); the .doc step is skipped, keeping the
committed files, when LibreOffice is not installed.
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.read.assemble import RawTable  # noqa: E402
from pipeline.read.text import read_text  # noqa: E402

RAW = REPO / "data" / "raw"
GOLD = REPO / "data" / "gold"
KINDS = ("text", "docx", "pdf", "scan", "png", "doc", "dev")
FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
)
SCAN_DPI = 200
PNG_DPI = 200
FONT_SIZE = 11
LINE_H = 5.6  # mm


def font_path() -> Path:
    for p in FONT_CANDIDATES:
        if p.exists():
            return p
    import matplotlib

    p = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    if p.exists():
        return p
    raise SystemExit("DejaVuSans.ttf not found (install fonts-dejavu-core or matplotlib)")


def blocks_of(path: Path) -> list[str | RawTable]:
    raw = read_text(path, path.read_bytes())
    return [b for page in raw.pages for b in page.blocks]


# ------------------------------------------------------------------------------ docx


def write_docx(blocks: list[str | RawTable], out: Path) -> None:
    import docx
    from docx.shared import Pt

    d = docx.Document()
    style = d.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    style.paragraph_format.space_after = Pt(0)
    for block in blocks:
        if isinstance(block, RawTable):
            table = d.add_table(rows=len(block.rows), cols=max(len(r) for r in block.rows))
            table.style = "Table Grid"
            for r, row in enumerate(block.rows):
                for c, cell_text in enumerate(row):
                    cell = table.cell(r, c)
                    lines = cell_text.split("\n")
                    cell.paragraphs[0].text = lines[0]
                    for line in lines[1:]:
                        cell.add_paragraph(line)
            continue
        for line in block.rstrip("\n").split("\n"):
            d.add_paragraph(line.rstrip())
    d.core_properties.author = "kehoach sample archive"
    d.save(out)


# ------------------------------------------------------------------------------- pdf


def write_pdf(blocks: list[str | RawTable], out: Path) -> None:
    from fpdf import FPDF
    from fpdf.enums import TableHeadingsDisplay

    pdf = FPDF(format="A4")
    pdf.set_margins(20, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font("DejaVu", "", str(font_path()))
    pdf.set_font("DejaVu", size=FONT_SIZE)
    pdf.set_creation_date(__import__("datetime").datetime(2024, 1, 1, tzinfo=__import__("datetime").timezone.utc))
    pdf.add_page()
    for block in blocks:
        if isinstance(block, RawTable):
            width = max(len(r) for r in block.rows)
            widths = (22, 110, 28)[:width] if width == 3 else None
            with pdf.table(
                col_widths=widths,
                text_align="LEFT",
                line_height=LINE_H,
                first_row_as_headings=False,
                repeat_headings=TableHeadingsDisplay.NONE,
            ) as table:
                for row in block.rows:
                    r = table.row()
                    for cell in row:
                        r.cell(cell)
            pdf.ln(LINE_H)
            continue
        for line in block.rstrip("\n").split("\n"):
            line = line.replace("\t", "    ").rstrip()
            if not line.strip():
                pdf.ln(LINE_H)
                continue
            pdf.multi_cell(0, LINE_H, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(out))


# ------------------------------------------------------------------------- rasterise


def page_images(pdf_path: Path, dpi: int) -> list:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return [pdf[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(pdf))]
    finally:
        pdf.close()


def scan_look(im, seed: int):
    """A black-and-white office scan: blurred then thresholded glyph edges, dust specks."""
    from PIL import ImageDraw, ImageFilter

    rng = random.Random(seed)
    im = im.filter(ImageFilter.GaussianBlur(0.7)).point(lambda v: 255 if v > 150 else 0)
    draw = ImageDraw.Draw(im)
    for _ in range(150):
        x, y = rng.randrange(im.width), rng.randrange(im.height)
        r = rng.choice((0, 0, 1))
        draw.ellipse((x, y, x + r, y + r), fill=0)
    return im.convert("1")


def write_scan(pdf_path: Path, out: Path, seed: int) -> None:
    pages = [scan_look(im, seed * 100 + i) for i, im in enumerate(page_images(pdf_path, SCAN_DPI))]
    buf = io.BytesIO()
    pages[0].save(buf, "PDF", resolution=SCAN_DPI, save_all=True, append_images=pages[1:])
    out.write_bytes(buf.getvalue())


def write_png(pdf_path: Path, out: Path) -> None:
    from PIL import Image

    pages = page_images(pdf_path, PNG_DPI)
    w = max(p.width for p in pages)
    h = sum(p.height for p in pages)
    tall = Image.new("L", (w, h), 255)
    y = 0
    for p in pages:
        tall.paste(p, (0, y))
        y += p.height
    # 4 grey levels keep anti-aliased glyph edges and compress well.
    tall.quantize(4, dither=Image.Dither.NONE).save(out, optimize=True)


def write_doc(docx_path: Path, out: Path) -> bool:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        print("  (LibreOffice not installed: .doc left as it is)")
        return False
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile",
             "--convert-to", "doc:MS Word 97", "--outdir", tmp, str(docx_path)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        shutil.copyfile(Path(tmp) / (docx_path.stem + ".doc"), out)
    return True


# ------------------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--only", default=",".join(KINDS), help="comma-separated kinds to build")
    args = ap.parse_args(argv)
    only = set(args.only.split(","))
    corpus = args.shared / "corpus"
    for kind in KINDS:
        (RAW / kind).mkdir(parents=True, exist_ok=True)
    GOLD.mkdir(parents=True, exist_ok=True)
    for g in sorted((args.shared / "gold").glob("*.json")) + sorted((args.shared / "dev" / "gold").glob("*.json")):
        shutil.copyfile(g, GOLD / g.name)
    if "dev" in only:
        for f in sorted((args.shared / "dev" / "files").iterdir()):
            shutil.copyfile(f, RAW / "dev" / f.name)
    for n, src in enumerate(sorted(corpus.glob("*.txt"))):
        stem = src.stem
        print(stem)
        blocks = blocks_of(src)
        if "text" in only:
            shutil.copyfile(src, RAW / "text" / src.name)
        docx_path = RAW / "docx" / f"{stem}.docx"
        pdf_path = RAW / "pdf" / f"{stem}.pdf"
        if "docx" in only:
            write_docx(blocks, docx_path)
        if "pdf" in only:
            write_pdf(blocks, pdf_path)
        if "scan" in only:
            write_scan(pdf_path, RAW / "scan" / f"{stem}.pdf", seed=n)
        if "png" in only:
            write_png(pdf_path, RAW / "png" / f"{stem}.png")
        if "doc" in only:
            write_doc(docx_path, RAW / "doc" / f"{stem}.doc")
    total = sum(f.stat().st_size for f in RAW.rglob("*") if f.is_file())
    print(f"data/raw: {total / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
