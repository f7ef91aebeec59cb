"""Lay a composed plan out as a file: .txt, .docx, digital .pdf, scanned .pdf, .png.

Each writer is deterministic (fixed timestamps inside containers), so the same seed
gives the same bytes. Text files vary their layout the way exported plans do (header
in columns or stacked, Markdown bold, blank lines); DOCX puts the header in a
two-column table, as offices do; scans are the digital PDF rasterised.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from pathlib import Path

from plan_text import PlanParts

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
SCAN_DPI = 200


def _ending(parts: PlanParts) -> list[list[str]]:
    recip = ["Nơi nhận:", *parts.recipients]
    sign = [parts.signature[0], parts.signature[1], "", "", parts.signature[2]]
    return [sign, recip] if parts.sign_first else [recip, sign]


def render_txt(parts: PlanParts, rng: random.Random) -> str:
    """Plain text as exported from a word processor or copied from a PDF."""
    bold = rng.random() < 0.15
    gap = "\n\n" if rng.random() < 0.8 else "\n"
    left = list(parts.header_left)
    lines: list[str] = []
    if rng.random() < 0.5:  # two columns side by side
        lines.append(f"{left[0]:<45}{parts.header_right[0]}")
        lines.extend(left[1:])
        lines.append(" " * 12 + "*")
        lines.append(f"{parts.symbol_line:<45}{parts.date_line}")
    else:  # stacked, as many PDF-to-text tools give it
        lines.extend(left + ["*", parts.symbol_line, *parts.header_right, parts.date_line])
    lines.append("")
    lines.append("**KẾ HOẠCH**" if bold else " " * rng.randint(0, 30) + "KẾ HOẠCH")
    lines.extend(parts.title_lines)
    lines.append(rng.choice(("-----", "*", "---------------")))
    body = []
    for kind, text in parts.blocks:
        body.append(f"**{text}**" if bold and kind == "heading" else text)
    ending = ["\n".join(block) for block in _ending(parts)]
    return "\n".join(lines) + "\n" + gap.join(body) + "\n\n" + "\n\n".join(ending) + "\n"


def _fixed_zip(data: bytes, when: dt.date) -> bytes:
    """Rewrite a zip container with fixed member timestamps (python-docx uses now)."""
    out = io.BytesIO()
    stamp = (when.year, when.month, when.day, 8, 0, 0)
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(zipfile.ZipInfo(item.filename, date_time=stamp), src.read(item.filename),
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def write_docx(parts: PlanParts, path: Path, when: dt.date) -> None:
    """A .docx with the header and the signature in borderless two-column tables."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    d = docx.Document()
    stamp = dt.datetime(when.year, when.month, when.day, 8, 0, 0)
    d.core_properties.created = stamp
    d.core_properties.modified = stamp
    d.core_properties.last_modified_by = "kehoach-bench"
    d.core_properties.author = "kehoach-bench"

    def two_columns(left: list[str], right: list[str]) -> None:
        t = d.add_table(rows=1, cols=2)
        for cell, lines in zip(t.rows[0].cells, (left, right)):
            cell.paragraphs[0].text = lines[0]
            for ln in lines[1:]:
                cell.add_paragraph(ln)

    two_columns([*parts.header_left, "*", parts.symbol_line], [*parts.header_right, parts.date_line])
    p = d.add_paragraph()
    p.add_run("KẾ HOẠCH").bold = True
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph(" ".join(parts.title_lines)).alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph("-----").alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in parts.blocks:
        para = d.add_paragraph()
        para.add_run(text).bold = kind == "heading"
    recip, sign = ["Nơi nhận:", *parts.recipients], list(parts.signature)
    two_columns(recip, [sign[0], sign[1], "", sign[2]])
    buf = io.BytesIO()
    d.save(buf)
    path.write_bytes(_fixed_zip(buf.getvalue(), when))


def _pdf(when: dt.date):
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(dt.datetime(when.year, when.month, when.day, 8, 0, 0, tzinfo=dt.timezone.utc))
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(20, 15, 15)
    pdf.set_auto_page_break(True, 15)
    return pdf


def write_pdf(parts: PlanParts, path: Path, when: dt.date) -> int:
    """A digital PDF (text layer) laid out like a printed plan; returns its page count."""
    pdf = _pdf(when)
    pdf.add_page()
    top = pdf.get_y()
    pdf.set_font("DejaVu", "", 11)
    left = [*parts.header_left, "*", parts.symbol_line]
    for ln in left:
        pdf.set_x(15)
        pdf.cell(85, 6, ln, align="C", new_x="LMARGIN", new_y="NEXT")
    bottom = pdf.get_y()
    pdf.set_y(top)
    for ln in [*parts.header_right, parts.date_line]:
        pdf.set_x(100)
        pdf.cell(95, 6, ln, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(bottom, pdf.get_y()) + 6)
    pdf.set_font("DejaVu", "B", 13)
    pdf.cell(0, 8, "KẾ HOẠCH", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 11)
    for ln in parts.title_lines:
        pdf.cell(0, 6, ln, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, "-----", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for kind, text in parts.blocks:
        pdf.set_font("DejaVu", "B" if kind == "heading" else "", 11)
        pdf.multi_cell(0, 6, text, align="J", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.ln(4)
    if pdf.get_y() > 230:
        pdf.add_page()
    top = pdf.get_y()
    pdf.set_font("DejaVu", "", 9)
    for ln in ["Nơi nhận:", *parts.recipients]:
        pdf.set_x(20)
        pdf.cell(85, 5, ln, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(top)
    pdf.set_font("DejaVu", "B", 11)
    for ln in [parts.signature[0], parts.signature[1], "", "", parts.signature[2]]:
        pdf.set_x(110)
        pdf.cell(85, 6, ln, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return pdf.pages_count


def _page_images(pdf_path: Path, rng: random.Random):
    """Rasterise a PDF's pages as a scanner would: grey, slightly blurred, at SCAN_DPI."""
    import pypdfium2 as pdfium
    from PIL import ImageFilter

    doc = pdfium.PdfDocument(str(pdf_path))
    try:
        images = []
        for page in doc:
            img = page.render(scale=SCAN_DPI / 72, grayscale=True).to_pil().convert("L")
            img = img.filter(ImageFilter.GaussianBlur(0.5 + rng.random() * 0.4))
            images.append(img)
            page.close()
        return images
    finally:
        doc.close()


def write_scan(parts: PlanParts, path: Path, when: dt.date, rng: random.Random) -> int:
    """A scanned PDF: page images only, no text layer; returns its page count."""
    tmp = path.with_suffix(".digital.tmp")
    write_pdf(parts, tmp, when)
    images = _page_images(tmp, rng)
    tmp.unlink()
    pdf = _pdf(when)
    for img in images:
        pdf.add_page()
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        pdf.image(buf, x=0, y=0, w=210, h=297)
    pdf.output(str(path))
    return len(images)


def write_png(parts: PlanParts, path: Path, when: dt.date, rng: random.Random) -> int:
    """A photo/scan of the whole plan as one tall PNG (pages stacked); returns pages."""
    from PIL import Image

    tmp = path.with_suffix(".digital.tmp")
    write_pdf(parts, tmp, when)
    images = _page_images(tmp, rng)
    tmp.unlink()
    tall = Image.new("L", (max(i.width for i in images), sum(i.height for i in images)), 255)
    y = 0
    for img in images:
        tall.paste(img, (0, y))
        y += img.height
    tall.save(path, format="PNG", dpi=(SCAN_DPI, SCAN_DPI))
    return len(images)
