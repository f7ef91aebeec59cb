"""Scans and broken text layers are re-read by OCR (slow: Tesseract on a few pages).

Built cases: a page image of a Vietnamese letter under an invisible text layer that is
mojibake (a font without a Unicode map) or a scanner's English OCR. Real cases from dev2,
one per kind: a scan with no text layer, a scan whose layer holds only an e-signature
stamp, a scan with a wrong OCR layer; and the two-column header of a scan.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.models import Document
from pipeline.read import read
from pipeline.read.quality import measure

from test_read_layout import _dev2, assert_columns_apart, read_json

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
LETTER = [
    ("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("TỈNH LÂM ĐỒNG", "Độc lập - Tự do - Hạnh phúc"),
    ("", ""),
    ("Số: 1716/QĐ-UBND", "Lâm Đồng, ngày 16 tháng 10 năm 2025"),
    ("", ""),
    ("Kính gửi: Sở Nội vụ tỉnh Lâm Đồng", None),
    ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;", None),
    ("Căn cứ Nghị quyết số 76/NQ-CP ngày 15 tháng 7 năm 2021 của Chính phủ;", None),
    ("Ủy ban nhân dân tỉnh đề nghị các sở, ngành khẩn trương triển khai thực hiện", None),
    ("các nhiệm vụ được giao và báo cáo kết quả trước ngày 15 tháng 12 năm 2025.", None),
    ("Trân trọng cảm ơn sự phối hợp của các cơ quan, đơn vị có liên quan.", None),
]
MOJIBAKE = "&ăQ Fͱ /X̵W V͙ 57/2023/QH15 7ͱ̵ FK͟F Q̈ J ,ͱ ͱQK Fͱ͟ Ŭ̈́S ÿ͓ D ͥL͓ K̇ͱQK "
ENGLISH_LAYER = "CQNG HOA XA HQI CHU NGHIA VIET NAM DQc l$p - Tg do - Hanh phuc Lam Dang, ngay 16 thang 10 nam 2025 "


def _page_image() -> Image.Image:
    """An A4 page at 200 dpi showing the letter (two-column header, then body)."""
    im = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(im)
    font = ImageFont.truetype(FONT, 34)
    y = 160
    for left, right in LETTER:
        if right is None:
            draw.text((200, y), left, font=font, fill=0)
        else:
            draw.text((170, y), left, font=font, fill=0)
            draw.text((820, y), right, font=font, fill=0)
        y += 62
    return im


def _pdf_with_layer(tmp_path: Path, layer: str) -> Path:
    from fpdf import FPDF
    from fpdf.enums import TextMode

    png = tmp_path / "page.png"
    _page_image().save(png, dpi=(200, 200))
    pdf = FPDF()
    pdf.add_font("DejaVu", "", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.set_font("DejaVu", size=10)
    pdf.add_page()
    pdf.image(str(png), x=0, y=0, w=210, h=297)
    pdf.text_mode = TextMode.INVISIBLE
    pdf.set_xy(20, 20)
    pdf.multi_cell(170, 6, layer * 12)
    out = tmp_path / "layer.pdf"
    pdf.output(str(out))
    return out


def _vietnamese_pages(doc: Document) -> None:
    for p in doc.pages:
        q = measure(doc.text[p.start : p.end])
        assert p.ocr and p.source == "ocr" and q.valid >= 0.9 and q.marked > 0.5, (p.number, q)
        assert p.quality is not None and p.quality >= 0.9


@pytest.mark.slow
@pytest.mark.parametrize("layer", [MOJIBAKE, ENGLISH_LAYER], ids=["mojibake-font", "english-ocr-layer"])
def test_broken_text_layer_is_reread_by_ocr(tmp_path: Path, layer: str) -> None:
    doc = read(_pdf_with_layer(tmp_path, layer))
    assert doc.ocr_used and doc.format == "pdf-scan"
    assert any("not Vietnamese text" in n and "OCR instead" in n for n in doc.notes), doc.notes
    _vietnamese_pages(doc)
    assert "Kính gửi: Sở Nội vụ tỉnh Lâm Đồng" in doc.text
    assert doc.words and all(0 <= w.confidence <= 100 for w in doc.words)
    assert [doc.text[w.start : w.end] for w in doc.words[:4]] == ["ỦY", "BAN", "NHÂN", "DÂN"]
    assert_columns_apart(json.loads(json.dumps(_doc_json(doc))), "TỈNH LÂM ĐỒNG", "Độc lập")


def _doc_json(doc: Document) -> dict:  # type: ignore[type-arg]
    from pipeline.cli.read_cmd import document_json

    return document_json(doc)


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        "lamdong-cat-ttr-2025-bao-cao-tong-ket-ma-tuy-scan.pdf",  # no text layer
        "lamdong-cat-bcdx03-2026-cong-bo-xa-khong-ma-tuy-scan.pdf",  # only the e-signature stamp's words
        "lamdong-bao-ptth-cv73-2025-cu-lanh-dao-ban-vstbpn-badocr.pdf",  # the scanner's wrong OCR layer
    ],
)
def test_dev2_scans_read_as_vietnamese(name: str) -> None:
    doc = read(_dev2(name))
    _vietnamese_pages(doc)


@pytest.mark.slow
def test_scan_header_columns_apart() -> None:
    data = read_json(_dev2("lamdong-cat-ttr-2025-bao-cao-tong-ket-ma-tuy-scan.pdf"), ocr=True)
    assert_columns_apart(data, "BỘ CÔNG AN", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert_columns_apart(data, "Số:", "tháng 12 năm 2025")
    assert data["words"] and all(w["bbox"] for w in data["words"][:20])
    assert data["pages"][0]["source"] == "ocr" and data["pages"][0]["quality"] >= 0.9
