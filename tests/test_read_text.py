"""Text/Markdown reader: markup stripped, tables as cells, row lines in the text, decoding."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import KehoachError, Reason
from pipeline.read import read
from pipeline.read.text import cell_text, parse_html_table, parse_markup, strip_markup
from pipeline.read.assemble import RawTable


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return p


# fmt: off
MARKUP = [
    ("## DANH MỤC\n", "DANH MỤC\n"),
    ("**I- MỤC ĐÍCH, YÊU CẦU**\n", "I- MỤC ĐÍCH, YÊU CẦU\n"),
    ("\\*  \n", "*  \n"),
    ("**KẾ HOẠCH**  \n", "KẾ HOẠCH  \n"),
    ("   ### Văn bản triển khai\n", "   Văn bản triển khai\n"),
    ("Xem [Kế hoạch](http://x.vn/kh.pdf) này\n", "Xem Kế hoạch này\n"),
    ("a<br>b &amp; c\n", "a\nb & c\n"),
    ("giá trị <5% và 3 > 2\n", "giá trị <5% và 3 > 2\n"),
    ("\tĐẢNG BỘ XÃ KỲ LỢI\n", "\tĐẢNG BỘ XÃ KỲ LỢI\n"),
    ("-----  \n", "-----  \n"),
]
# fmt: on


@pytest.mark.parametrize("line,expected", MARKUP)
def test_strip_markup(line: str, expected: str) -> None:
    assert strip_markup(line) == expected


def test_cell_text_html_fragments() -> None:
    frag = '<ol style="list-style-type: none"> <li>1. Nghị quyết số 03-NQ/TW.</li> <li>2. <b>Kế hoạch</b> số 07-KH/TU</li></ol>'
    assert cell_text(frag) == "1. Nghị quyết số 03-NQ/TW.\n2. Kế hoạch số 07-KH/TU"
    assert cell_text("<p><b>1.</b> Kế hoạch</p> <p><i>những biểu hiện</i></p>") == "1. Kế hoạch\nnhững biểu hiện"
    assert cell_text("a<br/>b") == "a\nb"


def test_tsv_table_with_blank_line_and_continuation_rows() -> None:
    text = (
        "Trước bảng\n\n"
        "Thời gian\tNội dung\tGhi chú\n"
        "Tháng 4/2022\t<ol><li>1. Nghị quyết số 03-NQ/TW</li></ol>\t\n"
        "\t<ol><li>4. Nghị quyết số 04-NQ/TW</li></ol>\t\n"
        "\n"
        "Tháng 5/2022\t<p>1. Kết luận số 21-KL/TW</p>\t\n"
        "\n"
        "Sau bảng\n"
    )
    blocks = parse_markup(text)
    tables = [b for b in blocks if isinstance(b, RawTable)]
    assert len(tables) == 1
    assert tables[0].rows == (
        ("Thời gian", "Nội dung", "Ghi chú"),
        ("Tháng 4/2022", "1. Nghị quyết số 03-NQ/TW", ""),
        ("", "4. Nghị quyết số 04-NQ/TW", ""),
        ("Tháng 5/2022", "1. Kết luận số 21-KL/TW", ""),
    )
    assert blocks[0] == "Trước bảng\n\n"
    assert "Sau bảng" in blocks[-1]


def test_tab_indentation_is_not_a_table(corpus: Path) -> None:
    doc = read(corpus / "003_e0cf88b19ba32315.txt")
    assert doc.tables == ()
    assert "\tĐẢNG BỘ XÃ KỲ LỢI" in doc.text


def test_html_table() -> None:
    rows = parse_html_table(
        "<table><tr><th>TT</th><th>Nội dung</th></tr>"
        "<tr><td>1</td><td><p>Kế hoạch số 41-KH/TU</p><p>ngày 14/12/2021</p></td></tr>"
        "<tr><td>2</td></tr></table>"
    )
    assert rows == (("TT", "Nội dung"), ("1", "Kế hoạch số 41-KH/TU\nngày 14/12/2021"), ("2", ""))


def test_markdown_pipe_table_and_html_table_in_document(tmp_path: Path) -> None:
    md = (
        "# KẾ HOẠCH\n\n"
        "| Thời gian | Văn bản |\n"
        "|---|:---|\n"
        "| Tháng 4/2022 | **Kết luận** số 21-KL/TW |\n"
        "| Tháng 5/2022 | Quy định số 37-QĐ/TW |\n"
        "\nGiữa\n"
        "<table><tr><td>A</td><td>B<br>C</td></tr></table>\n"
        "Cuối\n"
    )
    doc = read(write(tmp_path, "kh.md", md), _no_lang())
    assert doc.format == "md"
    assert [t.rows for t in doc.tables] == [
        (("Thời gian", "Văn bản"), ("Tháng 4/2022", "Kết luận số 21-KL/TW"), ("Tháng 5/2022", "Quy định số 37-QĐ/TW")),
        (("A", "B\nC"),),
    ]
    t = doc.tables[0]
    assert doc.text[t.row_starts[1] :].startswith("Tháng 4/2022 | Kết luận số 21-KL/TW\n")
    assert doc.text[t.start : t.end].count("\n") == 2
    assert doc.text.startswith("KẾ HOẠCH\n")
    assert "Giữa" in doc.text and doc.text.rstrip().endswith("Cuối")
    assert doc.text[doc.tables[1].row_starts[0] :].startswith("A | B C")


def test_corpus_table_rows_are_lines_of_the_text(corpus: Path) -> None:
    doc = read(corpus / "000_3b1757ecb9cfc0d3.txt")
    (table,) = doc.tables
    assert table.rows[0] == ("Thời gian", "Nội dung văn bản triển khai", "Ghi chú")
    assert len(table.rows) == 11 and all(len(r) == 3 for r in table.rows)
    assert table.rows[-1][0] == "Tháng 11/2022"
    assert "21-KL/TW" in table.rows[-1][1]
    for row, start in zip(table.rows, table.row_starts):
        line = doc.text[start : doc.text.index("\n", start)]
        assert line.split(" | ")[0] == " ".join(row[0].split())
    assert "<li>" not in doc.text and "<p>" not in doc.text and "**" not in doc.text
    # text outside the table is the source's, word for word
    assert "Thực hiện Kế hoạch số 60-KH/ĐUK ngày 18/4/2022 của Đảng ủy Khối" in doc.text


def test_corpus_texts_read_and_normalise(corpus: Path) -> None:
    for f in sorted(corpus.glob("*.txt")):
        doc = read(f)
        assert doc.format == "txt" and doc.pages and doc.pages[0].start == 0
        assert doc.sha256 and len(doc.sha256) == 64
        assert not doc.ocr_used
    doc = read(corpus / "004_3e1be27b5e1fb67a.txt")
    assert "Hải Dương, ngày 03 tháng 3 năm 2022" in doc.text
    assert "Số 40 - KH/ĐUK" in doc.text
    i = doc.text.index("ngày 03 tháng 3")
    assert doc.raw_text[doc.source_offset(i) :].startswith("ngày 03tháng")


def test_windows_1258_is_decoded(tmp_path: Path) -> None:
    text = "Thực hiện Kết luận số 21-KL/TW của Ban Chấp hành Trung ương Đảng về xây dựng, chỉnh đốn Đảng. " * 8
    p = write(tmp_path, "cp1258.txt", to_cp1258(text))
    doc = read(p)
    assert "Thực hiện Kết luận số 21-KL/TW" in doc.text
    assert any("Windows-1258" in n for n in doc.notes)


def test_utf16_with_bom(tmp_path: Path) -> None:
    text = "Kế hoạch số 31-KH/ĐUK về xây dựng, chỉnh đốn Đảng và hệ thống chính trị."
    doc = read(write(tmp_path, "u16.txt", text.encode("utf-16")))
    assert doc.text == text
    doc = read(write(tmp_path, "u16le.txt", text.encode("utf-16-le")))
    assert doc.text == text and any("UTF-16-LE" in n for n in doc.notes)


@pytest.mark.parametrize(
    "legacy",
    [
        # VNI-Windows writes "Kế hoạch thực hiện" as "Keá hoaïch thöïc hieän"
        "Keá hoaïch thöïc hieän Keát luaän soá 21-KL/TW cuûa Ban Chaáp haønh Trung öông. ",
        # TCVN3 (ABC) writes "Cộng hoà xã hội" as "Céng hoµ x· héi"
        "Céng hoµ x· héi chñ nghÜa ViÖt Nam. KÕ ho¹ch sè 21-KL/TW cña Ban ChÊp hµnh. ",
    ],
)
def test_legacy_font_encoding_is_converted(tmp_path: Path, legacy: str) -> None:
    doc = read(write(tmp_path, "legacy.txt", (legacy * 10).encode("cp1252")))
    assert "Kế hoạch" in doc.text or "Cộng hoà xã hội chủ nghĩa Việt Nam" in doc.text
    assert "số 21-KL/TW của Ban Chấp hành" in doc.text
    assert any("font encoding; converted" in n for n in doc.notes)


def test_unconvertible_latin_text_is_an_encoding_error(tmp_path: Path) -> None:
    with pytest.raises(KehoachError) as e:  # Latin-1 letters no Vietnamese encoding explains
        read(write(tmp_path, "latin.txt", ("Ãæ øñ ÿþ ßð åä " * 40).encode("cp1252")))
    assert e.value.reason in (Reason.encoding, Reason.not_vietnamese)


def test_undecodable_bytes(tmp_path: Path) -> None:
    data = bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 30 + "Kế hoạch".encode("utf-8")[:5]
    with pytest.raises(KehoachError) as e:
        read(write(tmp_path, "bad.txt", data))
    assert e.value.reason is Reason.encoding


def to_cp1258(text: str) -> bytes:
    """Encode as Windows does: precomposed shape letters (ê, ơ, ă), combining tone marks."""
    import unicodedata

    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            shapes = "".join(m for m in d[1:] if m in "\u0302\u0306\u031b")
            tones = "".join(m for m in d[1:] if m not in shapes)
            out.append((unicodedata.normalize("NFC", d[0] + shapes) + tones).encode("cp1258"))
    return b"".join(out)


def _no_lang():
    from pipeline.read import ReadSettings

    return ReadSettings(check_language=False)
