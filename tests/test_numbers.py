"""Numbers with their meaning: percentages, counts, rates, money, targets; labels skipped."""

from __future__ import annotations

import pytest

from pipeline.extract.numbers import find_numbers, parse_number
from tests.helpers_extract_b import make_doc


def _facts(text: str) -> list[tuple]:
    return [(n.kind, n.value, n.unit, n.counted, n.qualifier, n.text) for n in find_numbers(make_doc(text))]


# fmt: off
CASES = [
    ("100% chi bộ tổ chức sinh hoạt.", [("percent", 100.0, "%", "chi bộ", None, "100% chi bộ")]),
    ("Có trên 90% đảng viên tham gia.", [("percent", 90.0, "%", "đảng viên", "trên", "trên 90% đảng viên")]),
    ("Phấn đấu 100% tổ chức cơ sở đảng hoàn thành nhiệm vụ.", [("target", 100.0, "%", "tổ chức cơ sở đảng", None, "100% tổ chức cơ sở đảng")]),
    ("Sinh hoạt chuyên đề ít nhất 02 lần/năm.", [("rate", 2.0, "lần/năm", "lần", "ít nhất", "ít nhất 02 lần/năm")]),
    ("Mỗi chi bộ tổ chức 01 buổi sinh hoạt.", [("count", 1.0, "buổi", "buổi", None, "01 buổi")]),
    ("Chi bộ có 30 đảng viên.", [("count", 30.0, "đảng viên", "đảng viên", None, "30 đảng viên")]),
    ("Hội nghị không quá 50 đại biểu.", [("count", 50.0, "đại biểu", "đại biểu", "không quá", "không quá 50 đại biểu")]),
    ("Mức chi 1.500.000 đồng.", [("money", 1500000.0, "đồng", None, None, "1.500.000 đồng")]),
    ("Hỗ trợ 2,5 triệu đồng cho mỗi tổ.", [("money", 2.5, "triệu đồng", None, None, "2,5 triệu đồng")]),
    ("Gửi báo cáo trước 05 ngày tổ chức hội nghị.", [("count", 5.0, "ngày", "ngày", None, "05 ngày")]),
]
# fmt: on


@pytest.mark.parametrize("text,expected", CASES)
def test_numbers(text: str, expected: list[tuple]) -> None:
    assert _facts(text) == expected


# fmt: off
LABELS = [
    "Thực hiện Kết luận số 21-KL/TW, ngày 25/10/2021 của Ban Chấp hành Trung ương.",
    "Nghị định số 35/2022/NĐ-CP; Quyết định 82-QĐ/ĐU; Chỉ thị 05 của Bộ Chính trị.",
    "Hà Nội, ngày 25 tháng 10 năm 2021",
    "Hội nghị Trung ương 4 khoá XIII; Điều 39 Luật; Đợt 1: Trong tháng 12/2025.",
    "1. Ban Tổ chức\n2.1. Văn phòng\n3) Công an",
]
# fmt: on


@pytest.mark.parametrize("text", LABELS)
def test_labels_are_not_numbers(text: str) -> None:
    assert _facts(text) == []


def test_evidence_and_offsets() -> None:
    text = "I. MỤC TIÊU\nPhấn đấu 100% chi bộ hoàn thành. Tổ chức 02 hội nghị."
    facts = find_numbers(make_doc(text))
    assert [text[n.offset : n.offset + len(n.text)] for n in facts] == ["100% chi bộ", "02 hội nghị"]
    assert facts[0].sentence == "Phấn đấu 100% chi bộ hoàn thành."


@pytest.mark.parametrize("s,value", [("1.500.000", 1500000.0), ("2,5", 2.5), ("02", 2.0), ("100", 100.0)])
def test_parse_number(s: str, value: float) -> None:
    assert parse_number(s) == value


def test_corpus_numbers_are_not_symbols_or_dates(corpus) -> None:
    for path in sorted(corpus.glob("*.txt")):
        for n in find_numbers(make_doc(path.read_text("utf-8"), str(path))):
            assert "/" not in n.text or n.kind == "rate", n
            assert n.unit, n


# Issue 13 (made-up wording): counts of any thing, numbers written as words, shares of a
# whole, fractions, and the labels and names that are no counts.
OPEN_COUNTS = [
    ("Lắp đặt 12 trạm quan trắc và 40 trạm đo mưa.", [(12.0, "trạm"), (40.0, "trạm")]),
    ("Đã cấp 1.250 giấy chứng nhận cho 36 hộ dân/4,5 ha đất.", [(1250.0, "giấy"), (36.0, "hộ"), (4.5, "ha")]),
    ("Tổ chức tại ba tỉnh miền núi.", [(3.0, "tỉnh")]),
    ("Mỗi xã cử 02 (hai) cán bộ tham dự.", [(2.0, "cán")]),
    ("Đã kiểm tra 18/20 trường học.", [(18.0, "trường"), (20.0, "trường")]),
    ("Thời lượng dự kiến ½ buổi.", [(0.5, "buổi")]),
    ("Họp trong 1⁄2 ngày.", [(0.5, "ngày")]),
    ("Xây dựng 01 triệu căn hộ.", [(1000000.0, "căn")]),
    # heldout3's classes: a spelling of several words, a capitalised or multi-word counted
    # noun, a noun that is also a verb, a name that ended before the number, thousands in
    # a share
    ("Hội có từ 150 (một trăm năm mươi) hội viên trở lên.", [(150.0, "hội")]),
    ("Đã tổ chức 03 Hội nghị, kết nối 96 điểm cầu, hoàn thành 04 nhiệm vụ trong 02 (hai) nhiệm kỳ.",
     [(3.0, "Hội"), (96.0, "điểm"), (4.0, "nhiệm"), (2.0, "nhiệm")]),
    ("Còn 4/90 đề xuất tồn đọng; tiếp nhận 1.250/4.800 hồ sơ; kiểm tra 75/75 cơ sở.",
     [(4.0, "đề"), (90.0, "đề"), (1250.0, "hồ"), (4800.0, "hồ"), (75.0, "cơ")]),
    ("Kết nối qua phần mềm XYZ cho 75 cơ sở; tổng số lượt của hệ thống là 9.120 lượt.", [(75.0, "cơ"), (9120.0, "lượt")]),
    ("Giải quyết 410 hồ sơ/520 tổng hồ sơ; cấp 96 thẻ trên tổng số 1.240 hồ sơ.", [(410.0, "hồ"), (520.0, "hồ"), (96.0, "thẻ"), (1240.0, "hồ")]),
    ("Khi đó 31 (ba mươi mốt) Hội nông dân tổ chức; trên hệ thống ABC 1.019/1.525 trường hợp.",
     [(31.0, "Hội"), (1019.0, "trường"), (1525.0, "trường")]),
]
NOT_COUNTS = [
    "Phát sóng tối thứ Bảy tuần thứ 2 hằng tháng lúc 8 giờ 30.",
    "Trụ sở tại Phường 3 Đà Lạt; Khu vực 10 tham gia; trong 3 năm qua; kỷ niệm 95 năm ngày thành lập.",
    "Vận hành mô hình chính quyền địa phương 02 cấp; thực hiện khẩu hiệu “3 không”.",
    "Sơ kết 6 tháng cuối năm 2026; gặp ông Nguyễn Văn A, số điện thoại 0912.345.678.",
]


@pytest.mark.parametrize("text,expected", OPEN_COUNTS)
def test_open_counts(text: str, expected: list[tuple[float, str]]) -> None:
    got = [(n.value, (n.unit or "").split()[0].rstrip(",")) for n in find_numbers(make_doc(text))]
    assert got == expected


@pytest.mark.parametrize("text", NOT_COUNTS)
def test_labels_names_and_times_are_not_counts(text: str) -> None:
    assert [(n.value, n.unit) for n in find_numbers(make_doc(text)) if n.kind != "percent"] == []


def test_table_values_take_the_unit_of_their_column() -> None:
    from pipeline.models import Document, Table

    rows = (("STT", "Xã", "Số hộ nghèo", "Tỷ lệ (%)", "Kinh phí (triệu đồng)"), ("1", "Xã An Bình", "120", "35,5", "1.200"))
    lines = [" | ".join(r) for r in rows]
    text = "Bảng 1.\n" + "\n".join(lines) + "\n"
    starts = (len("Bảng 1.\n"), len("Bảng 1.\n") + len(lines[0]) + 1)
    doc = Document("t.docx", "x", "docx", text, tables=(Table(0, starts[0], len(text) - 1, rows, starts),))
    got = [(n.value, n.unit) for n in find_numbers(doc)]
    assert got == [(120.0, "hộ nghèo"), (35.5, "%"), (1200.0, "triệu đồng")]


ATTACHED = """SỞ Y TẾ TỈNH A
Số: 12/TTr-SYT
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
A, ngày 10 tháng 5 năm 2027
TỜ TRÌNH
Về việc ban hành kế hoạch tiêm chủng
Kính gửi: Ủy ban nhân dân tỉnh A
Sở Y tế đã dự thảo kế hoạch, gồm 05 văn bản, kính trình Ủy ban nhân dân tỉnh xem xét.
Nơi nhận:
- Như trên;
- Lưu: VT.
GIÁM ĐỐC
Trần Văn C
ỦY BAN NHÂN DÂN
TỈNH A
Số: /KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
A, ngày tháng năm 2027
KẾ HOẠCH
Tiêm chủng mở rộng năm 2027
I. MỤC TIÊU
- Bảo đảm ít nhất 60% trẻ em được tiêm đủ liều.
2
- Mở thêm 12 điểm tiêm.
"""


def test_an_attached_draft_and_page_numbers_state_nothing() -> None:
    """The draft a Tờ trình submits is another document (its header after the signature),
    and a page number is furniture: only the submission's own count is read."""
    from pipeline.extract import extract

    got = [(n.value, n.unit) for n in extract(make_doc(ATTACHED)).numbers]
    assert got == [(5.0, "văn bản")]
