"""Each format reader on real files: the dev set (real office files) and hand-made cases."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from pipeline.read import SUPPORTED_SUFFIXES, ReadSettings, read, sniff_format
from pipeline.read.assemble import RawBlock, RawPage, RawRead, RawTable, assemble
from pipeline.read.doc import parse_antiword
from pipeline.read.docx import FOOTNOTES_LABEL
from pipeline.read.image import split_tall

from helpers_read import cer, sha256

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
DEV = RAW / "dev"
SYMBOL = re.compile(r"\d+\s?[-–]\s?[A-ZĐ][A-Za-zĐ]*/[A-ZĐ][A-Za-zĐ]*|\d+/(?:\d{4}/)?[A-ZĐ][A-Za-zĐ]*-[A-ZĐ][A-Za-zĐ-]*")


def test_supported_suffixes_and_sniffing() -> None:
    for s in (".txt", ".md", ".docx", ".doc", ".pdf", ".png", ".jpg", ".tif"):
        assert s in SUPPORTED_SUFFIXES
    assert sniff_format(RAW / "pdf" / "000_3b1757ecb9cfc0d3.pdf") == "pdf"
    assert sniff_format(RAW / "scan" / "000_3b1757ecb9cfc0d3.pdf") == "pdf"
    assert sniff_format(RAW / "docx" / "000_3b1757ecb9cfc0d3.docx") == "docx"
    assert sniff_format(RAW / "doc" / "000_3b1757ecb9cfc0d3.doc") == "doc"
    assert sniff_format(RAW / "png" / "000_3b1757ecb9cfc0d3.png") == "image"
    assert sniff_format(RAW / "text" / "000_3b1757ecb9cfc0d3.txt") == "text"


# ----------------------------------------------------------------------------- docx


def test_docx_layout_table_and_body_order() -> None:
    doc = read(DEV / "quangninh-luongminh-mttq-kh16-2025-thuchien-baucu-ct46.docx")
    assert doc.format == "docx"
    assert not doc.tables  # the header and signature tables are layout, not data
    cells = [b for b in doc.blocks if b.kind == "cell"]
    assert all(b.table is None for b in cells)
    left, right = (doc.text[b.start : b.end] for b in cells[:2])
    assert [b.column for b in cells[:2]] == [1, 2] and (cells[0].col, cells[1].col) == (0, 1)
    assert cells[1].start < doc.text.index("KẾ HOẠCH")  # the layout table comes before the title
    assert "Số:" in left and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right
    assert re.search(r"ngày \d+ tháng \d+ năm \d{4}", right)
    assert cells[0].end < cells[1].start  # the whole left column, then the right column
    assert not any("Số:" in ln and "ngày" in ln for ln in doc.text.splitlines())
    # the signature block is a layout table too, after the body
    sign = [b for b in cells if "Nơi nhận" in doc.text[b.start : b.end]]
    assert sign and sign[0].start > doc.text.index("TỔ CHỨC THỰC HIỆN") and sign[0].column == 1


def test_docx_footnotes_are_read() -> None:
    doc = read(DEV / "phobang-tieuban-kh01-2025-tuyentruyen-baucu.docx")
    assert FOOTNOTES_LABEL in doc.text
    notes = doc.text[doc.text.index(FOOTNOTES_LABEL) :]
    body = doc.text[: doc.text.index(FOOTNOTES_LABEL)]
    assert notes.count("\n1. ") == 1
    only_in_notes = set(SYMBOL.findall(notes)) - set(SYMBOL.findall(body))
    assert len(only_in_notes) >= 3  # documents cited only in footnotes


def test_docx_reads_every_dev_docx() -> None:
    for f in sorted(DEV.glob("*.docx")):
        doc = read(f)
        assert len(doc.text) > 1000 and any(b.kind == "cell" for b in doc.blocks), f
        assert "Số" in doc.text


# ------------------------------------------------------------------------------ doc


def test_doc_real_file() -> None:
    f = DEV / "quangninh-hdnd-nq99-2025-muc-chi-baucu.doc"
    before = sha256(f)
    doc = read(f)
    assert doc.format == "doc"
    assert "NGHỊ QUYẾT" in doc.text and "99/2025/NQ-HĐND" in doc.text
    left = [doc.text[b.start : b.end] for b in doc.blocks if b.column == 1][:4]
    right = [doc.text[b.start : b.end] for b in doc.blocks if b.column == 2][:4]
    assert left[0] == "HỘI ĐỒNG NHÂN DÂN" and right[0] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert "Quảng Ninh, ngày 16 tháng 12 năm 2025" in right
    assert doc.text.index("Số: 99/2025/NQ-HĐND") < doc.text.index("CỘNG HÒA")  # left column first
    # antiword -w 0: a paragraph is one line, symbols are not wrapped apart
    assert "Căn cứ Luật Ban hành văn bản quy phạm pháp luật số 64/2025/QH15 được sửa đổi, bổ sung" in doc.text
    assert sha256(f) == before


def test_parse_antiword_tables() -> None:
    out = (
        "|ĐẢNG BỘ TỈNH     |ĐẢNG CỘNG SẢN VIỆT NAM |\n"
        "|Số 40-KH/ĐUK     |Hải Dương, ngày 3/3    |\n"
        "\n"
        "Nội dung\n"
        "|Thời gian |Văn bản               |\n"
        "|Tháng 4   |1. Nghị quyết số      |\n"
        "|          |03-NQ/TW              |\n"
        "|Tháng 5   |2. Kết luận 21-KL/TW  |\n"
    )
    blocks = parse_antiword(out)
    header = [b for b in blocks if isinstance(b, RawBlock)]  # a layout table: its columns
    assert [(b.column, b.row, b.lines[0].text) for b in header] == [
        (1, 0, "ĐẢNG BỘ TỈNH"), (1, 1, "Số 40-KH/ĐUK"), (2, 0, "ĐẢNG CỘNG SẢN VIỆT NAM"), (2, 1, "Hải Dương, ngày 3/3"),
    ]  # fmt: skip
    tables = [b for b in blocks if isinstance(b, RawTable)]
    assert tables[0].rows == (
        ("Thời gian", "Văn bản"),
        ("Tháng 4", "1. Nghị quyết số\n03-NQ/TW"),
        ("Tháng 5", "2. Kết luận 21-KL/TW"),
    )


# ------------------------------------------------------------------------------ pdf


def test_pdf_real_files() -> None:
    doc = read(DEV / "tw-bchtw-qd294-2025-thi-hanh-dieu-le-dang.pdf", ReadSettings(ocr=False))
    assert doc.format == "pdf" and not doc.ocr_used
    assert len(doc.pages) > 5
    assert all(p.start <= p.end for p in doc.pages)
    assert [p.number for p in doc.pages] == list(range(1, len(doc.pages) + 1))
    assert "294-QĐ/TW" in doc.text[doc.pages[0].start : doc.pages[0].end]
    doc = read(DEV / "tw-btctw-hd38-2025-nghiep-vu-dang-vien.pdf", ReadSettings(ocr=False))
    assert "Quy định số 294-QĐ/TW" in doc.text


def test_pdf_ruled_table_becomes_cells() -> None:
    doc = read(RAW / "pdf" / "000_3b1757ecb9cfc0d3.pdf")
    assert doc.tables, "the DANH MỤC table was not found"
    first = doc.tables[0]
    assert first.rows[0][:2] == ("Thời gian", "Nội dung văn bản triển khai")
    assert len(first.rows) == 11  # the parts on three pages are joined into one table
    assert [" ".join(r[0].split()) for r in first.rows][1:4] == ["Tháng 4/2022", "Tháng 5/2022", "Tháng 6/2022"]
    assert doc.text[first.row_starts[0] :].startswith("Thời gian | Nội dung văn bản triển khai")
    assert first.page is not None and doc.pages[first.page - 1].start <= first.start


def test_stamped_number_is_ocred_into_the_header() -> None:
    doc = read(DEV / "hanoi-btctu-hd-2025-trao-huy-hieu-dang.pdf")
    assert any("stamped" in n for n in doc.notes)
    head = doc.text[:200]
    assert re.search(r"\nSố \d+-HD/BTCTU\n", head), head  # the text layer alone reads "Số -HD/BTCTU"
    assert re.search(r"ngày \d+ tháng 8 năm 2025", head), head
    assert doc.ocr_used is False  # the body is the text layer


@pytest.mark.slow
def test_mixed_pdf_ocrs_only_pages_without_text(tmp_path: Path) -> None:
    out = tmp_path / "mixed.pdf"
    stem = "002_da91f612a0e083d6"
    subprocess.run(
        ["qpdf", "--empty", "--pages", str(RAW / "pdf" / f"{stem}.pdf"), "1",
         str(RAW / "scan" / f"{stem}.pdf"), "2", "--", str(out)],
        check=True,
    )  # fmt: skip
    doc = read(out)
    assert doc.format == "pdf" and doc.ocr_used
    assert [p.ocr for p in doc.pages] == [False, True]
    assert doc.pages[1].confidence and doc.pages[1].confidence > 80
    assert any("OCR used on page(s) 2" in n for n in doc.notes)
    src = read(RAW / "pdf" / f"{stem}.pdf")
    assert cer(doc.text, src.text[: src.pages[1].end]) < 0.02


# ---------------------------------------------------------------------------- image


def test_split_tall_cuts_at_blank_rows() -> None:
    page = Image.new("L", (200, 283), 255)
    for y in range(20, 260, 12):
        page.paste(0, (20, y, 180, y + 6))
    tall = Image.new("L", (200, 283 * 3), 255)
    for k in range(3):
        tall.paste(page, (0, 283 * k))
    parts = split_tall(tall)
    assert len(parts) == 3
    assert sum(p.height for p in parts) == tall.height
    for p in parts:  # no cut through a text line: each part starts and ends on white
        assert p.getpixel((100, 0)) == 255 and p.getpixel((100, p.height - 1)) == 255
    assert split_tall(page) == [page]


@pytest.mark.slow
def test_rotated_scan_is_turned_upright(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(RAW / "scan" / "002_da91f612a0e083d6.pdf"))
    page = pdf[0].render(scale=200 / 72, grayscale=True).to_pil()
    pdf.close()
    buf = io.BytesIO()
    page.rotate(90, expand=True).save(buf, "PNG")
    p = tmp_path / "rotated.png"
    p.write_bytes(buf.getvalue())
    doc = read(p)
    assert any("turned" in n for n in doc.notes)
    assert "KẾ HOẠCH" in doc.text or "Kế hoạch" in doc.text


# ------------------------------------------------------------------------- assemble


def test_assemble_places_pages_and_tables_through_normalisation() -> None:
    raw = RawRead(
        pages=(
            RawPage(blocks=("Hải Dương, ngày 03tháng 3năm 2022\nSố 21-\nKL/TW\n",)),
            RawPage(blocks=("Trước\n", RawTable((("Tháng 4/2022", "Ðảng ủy\nKhối"),)), "Sau\n"), ocr=True, confidence=91.0),
        )
    )
    doc = assemble(raw, path="x.pdf", sha256="0" * 64, fmt="pdf")
    assert doc.text.startswith("Hải Dương, ngày 03 tháng 3 năm 2022\nSố 21-KL/TW\n")
    p1, p2 = doc.pages
    assert doc.text[p2.start : p2.end] == "Trước\nTháng 4/2022 | Đảng ủy Khối\nSau\n"
    assert p1.end <= p2.start and p2.ocr and not p1.ocr
    (t,) = doc.tables
    assert t.rows == (("Tháng 4/2022", "Đảng ủy\nKhối"),)
    assert doc.text[t.start : t.end] == "Tháng 4/2022 | Đảng ủy Khối"
    assert t.page == 2
    assert doc.ocr_used and doc.ocr_confidence == 91.0
    i = doc.text.index("21-KL/TW")
    assert doc.raw_text[doc.source_offset(i) : doc.source_offset(i + 7) + 1] == "21-\nKL/TW"


def test_docx_automatic_numbering_is_put_back(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("KẾ HOẠCH thực hiện Kết luận số 21-KL/TW")
    for style, text in [
        ("List Number", "MỤC ĐÍCH, YÊU CẦU"),
        ("List Number", "NHIỆM VỤ VÀ GIẢI PHÁP"),
        ("List Bullet", "Các chi bộ tổ chức học tập"),
        ("List Number", "TỔ CHỨC THỰC HIỆN"),
    ]:
        d.add_paragraph(text, style=style)
    p = tmp_path / "numbered.docx"
    d.save(p)
    lines = read(p, ReadSettings(check_language=False)).text.splitlines()
    assert lines[1:] == ["1. MỤC ĐÍCH, YÊU CẦU", "2. NHIỆM VỤ VÀ GIẢI PHÁP", "- Các chi bộ tổ chức học tập", "3. TỔ CHỨC THỰC HIỆN"]


def test_numbering_formats() -> None:
    from lxml import etree

    from pipeline.read.docx_numbering import Numbering

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    numbering = f"""<w:numbering xmlns:w="{w}">
      <w:abstractNum w:abstractNumId="7">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2."/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>
    </w:numbering>""".encode()
    n = Numbering.from_xml(numbering)

    def para(ilvl: int) -> etree._Element:
        return etree.fromstring(
            f'<w:p xmlns:w="{w}"><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="3"/></w:numPr></w:pPr></w:p>'
        )

    labels = [n.label(para(k)) for k in (0, 1, 1, 2, 2, 0, 1)]
    assert labels == ["I. ", "I.1. ", "I.2. ", "a) ", "b) ", "II. ", "II.1. "]
    assert Numbering.from_xml(None).label(para(0)) == ""


def test_pdf_with_legacy_font_text_layer_is_converted(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", "", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.set_font("DejaVu", size=12)
    pdf.add_page()
    for _ in range(12):
        pdf.multi_cell(0, 7, "Céng hoµ x· héi chñ nghÜa ViÖt Nam. KÕ ho¹ch sè 21-KL/TW cña Ban ChÊp hµnh.",
                       new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    p = tmp_path / "vntime.pdf"
    pdf.output(str(p))
    doc = read(p)  # (a real .VnTime PDF shows proper Vietnamese glyphs; these show the garble)
    assert not doc.ocr_used  # a recognisable legacy encoding is converted, not OCR'd
    assert "Cộng hoà xã hội chủ nghĩa Việt Nam. Kế hoạch số 21-KL/TW của Ban Chấp hành." in doc.text
    assert any("TCVN3" in n and "converted" in n for n in doc.notes)
    assert doc.pages[0].quality and doc.pages[0].quality > 0.9
