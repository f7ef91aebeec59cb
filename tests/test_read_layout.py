"""Layout kept in the Document: two-column headers and signatures read column by column,
blocks and lines with boxes, on real dev2 files (digital PDF, DOCX) and built cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.models import Document
from pipeline.read import ReadSettings, read
from pipeline.read.layout import Segment, lay_out

DEV2 = Path(__file__).resolve().parents[2] / "shared" / "dev2" / "files"


def _dev2(name: str) -> Path:
    path = DEV2 / name
    if not path.exists():
        pytest.skip(f"no dev2 file {path}")
    return path


def read_json(path: Path, ocr: bool = False) -> dict:  # type: ignore[type-arg]
    """``kehoach read --json`` of ``path``."""
    from pipeline.cli import app

    result = CliRunner().invoke(app, ["read", str(path), "--json"] + ([] if ocr else ["--no-ocr"]))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def block_with(data: dict, needle: str) -> dict:  # type: ignore[type-arg]
    """The first block of ``read --json`` output whose text holds ``needle``."""
    text = data["text"]
    return next(b for b in data["blocks"] if needle in text[b["start"] : b["end"]])


def assert_columns_apart(data: dict, left: str, right: str) -> None:  # type: ignore[type-arg]
    """``left`` in a column-1 block, ``right`` in a column-2 block, never on one text line."""
    a, b = block_with(data, left), block_with(data, right)
    assert (a["column"], b["column"]) == (1, 2), (a, b)
    assert a["start"] < b["start"]  # the left column comes first in the text
    assert not any(left in line and right in line for line in data["text"].splitlines())


def test_digital_pdf_header_columns() -> None:
    # PDFium runs "BỘ TƯ PHÁP" and the motto together on one line of its text layer
    data = read_json(_dev2("btp-cv3917-2025-hop-nhat-hoi-cong-chung-luat-su.pdf"))
    assert_columns_apart(data, "BỘ TƯ PHÁP", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert_columns_apart(data, "Số: 3917/BTP-BTTP", "Hà Nội, ngày 01 tháng 7 năm 2025")
    issuer = block_with(data, "BỘ TƯ PHÁP")
    assert issuer["page"] == 1 and issuer["bbox"][2] < block_with(data, "Độc lập")["bbox"][0]
    for b in data["blocks"]:
        for line in b["lines"]:
            assert b["start"] <= line["start"] <= line["end"] <= b["end"]
            assert line["bbox"] or b["kind"] == "cell"  # a text layer's lines have boxes
    assert data["pages"][0]["width"] > 500 and data["pages"][0]["height"] > 800


def test_digital_pdf_signature_columns() -> None:
    data = read_json(_dev2("bnv-cv11902-2025-bao-cao-quan-ly-hoi.pdf"))
    assert_columns_apart(data, "Nơi nhận:", "KT. BỘ TRƯỞNG")
    recipients = block_with(data, "Nơi nhận:")
    assert block_with(data, "THỨ TRƯỞNG")["column"] == 2
    text = data["text"]
    tail = [b for b in data["blocks"] if b["column"] == 2 and b["start"] > recipients["start"]]
    assert any(text[b["start"] : b["end"]].strip() == "Vũ Chiến Thắng" for b in tail)  # the signer's name is right


def test_docx_header_table_becomes_columns() -> None:
    data = read_json(_dev2("lamdong-ubnd-bc-2025-tong-ket-phong-chong-ma-tuy.docx"))
    assert_columns_apart(data, "ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert_columns_apart(data, "/BC-UBND", "Lâm Đồng, ngày")
    cell = block_with(data, "/BC-UBND")
    assert (cell["kind"], cell["table"], cell["row"], cell["col"]) == ("cell", None, 1, 0)
    assert_columns_apart(data, "Nơi nhận:", "KT. CHỦ TỊCH")


def test_data_tables_stay_tables_with_cell_blocks() -> None:
    doc = read(_dev2("lamdong-ubnd-kh-2026-kiem-tra-cchc.docx"))
    (table,) = doc.tables
    assert table.rows[0] == ("STT", "Đơn vị được kiểm tra", "Thời gian kiểm tra")
    cells = [b for b in doc.blocks if b.table == 0]
    assert cells and {(b.row, b.col) for b in cells} >= {(0, 0), (0, 1), (0, 2)}
    first = next(b for b in cells if (b.row, b.col) == (0, 1))
    assert doc.text[first.start : first.end] == "Đơn vị được kiểm tra"


# ----------------------------------------------------------------- the layout rule


def _seg(text: str, x0: float, top: float, x1: float, line: int) -> Segment:
    return Segment(text, (x0, top, x1, top + 12), line)


def _text(blocks: list) -> str:  # type: ignore[type-arg]
    return "\n".join(ln.text for b in blocks for ln in b.lines)


def test_lay_out_reads_a_header_left_column_first() -> None:
    # a text layer that interleaves the two columns line by line
    segs = [
        _seg("UBND TỈNH X", 80, 50, 220, 0), _seg("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 260, 50, 540, 0),
        _seg("SỞ CÔNG THƯƠNG", 90, 66, 210, 1), _seg("Độc lập - Tự do - Hạnh phúc", 300, 66, 500, 1),
        _seg("Số: 2150/SCT-QLCN", 85, 100, 215, 2), _seg("X, ngày 14 tháng 7 năm 2026", 290, 100, 510, 2),
        _seg("KẾ HOẠCH", 270, 140, 340, 3),
        _seg("Thực hiện Kết luận số 21-KL/TW của Ban Chấp hành Trung ương về xây dựng", 80, 160, 540, 4),
    ]  # fmt: skip
    blocks = lay_out(segs)
    assert _text(blocks).splitlines() == [
        "UBND TỈNH X", "SỞ CÔNG THƯƠNG", "Số: 2150/SCT-QLCN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "X, ngày 14 tháng 7 năm 2026",
        "KẾ HOẠCH", "Thực hiện Kết luận số 21-KL/TW của Ban Chấp hành Trung ương về xây dựng",
    ]  # fmt: skip
    assert [b.column for b in blocks[:4]] == [1, 1, 2, 2]
    assert all(b.column == 0 for b in blocks[4:])


def test_lay_out_keeps_a_borderless_table_by_rows() -> None:
    rows = [("Ông Nguyễn Văn A", "Giám đốc Sở"), ("Bà Trần Thị B", "Phó Giám đốc"), ("Ông Lê C", "Trưởng phòng"),
            ("Bà Phạm D", "Chuyên viên"), ("Ông Hoàng E", "Chuyên viên")]  # fmt: skip
    segs = [s for k, (a, b) in enumerate(rows) for s in (_seg(a, 80, 50 + 16 * k, 220, k), _seg(b, 320, 50 + 16 * k, 450, k))]
    assert _text(lay_out(segs)).splitlines() == [f"{a} {b}" for a, b in rows]


def test_document_words_and_lines_map_into_text() -> None:
    doc: Document = read(_dev2("lamdong-syt-cv1239-2025-cu-lanh-dao-ban-vstbpn.pdf"), ReadSettings(ocr=False))
    for b in doc.blocks:
        assert 0 <= b.start <= b.end <= len(doc.text)
        for ln in b.lines:
            assert "\n" not in doc.text[ln.start : ln.end]
    i = doc.text.index("Huỳnh Thị Phương Duyên")
    assert doc.raw_text[doc.source_offset(i) : doc.source_offset(i) + 22] == "Huỳnh Thị Phương Duyên"


def test_tesseract_lines_are_cut_at_column_gaps() -> None:
    from pipeline.read.ocr import tsv_segments

    words = [("UBND", 100, 90), ("TỈNH", 200, 91), ("CỘNG", 900, 88), ("HÒA", 1010, 95), ("Số:", 100, 70)]
    data: dict = {k: [] for k in ("level", "page_num", "block_num", "par_num", "line_num", "left", "top", "width", "height", "conf", "text")}
    for k, (w, x, c) in enumerate(words):
        line = 2 if w == "Số:" else 1
        for key, v in zip(data, (5, 1, 1, 1, line, x, 50 * line, 90, 40, c, w)):
            data[key].append(v)
    segs = tsv_segments(data)
    assert [s.text for s in segs] == ["UBND TỈNH", "CỘNG HÒA", "Số:"]  # one Tesseract line, two columns
    assert segs[0].line == segs[1].line != segs[2].line
    assert [(w.start, w.end, w.confidence) for w in segs[1].words] == [(0, 4, 88.0), (5, 8, 95.0)]
    assert segs[1].bbox == (900.0, 50.0, 1100.0, 90.0)


def test_skew_is_measured() -> None:
    from PIL import Image, ImageDraw

    from pipeline.read.ocr import skew_angle

    im = Image.new("L", (1200, 1600), 255)
    draw = ImageDraw.Draw(im)
    for y in range(100, 1500, 40):
        draw.rectangle((100, y, 1100, y + 12), fill=0)
    assert skew_angle(im) == 0.0
    assert abs(skew_angle(im.rotate(1.5, expand=True, fillcolor=255)) - 1.5) <= 0.1
