"""Time phrases → date ranges: every form of the brief, exclusions, and the corpus score."""

from __future__ import annotations

import pytest

from pipeline.extract.deadlines import document_year, find_deadlines
from pipeline.extract.header import find_header
from pipeline.models import Header
from tests.helpers_extract_b import corpus_cases, make_doc, micro_f1


def _bounds(text: str, date: str | None = "2022-03-03") -> list[tuple[str | None, str | None]]:
    return [(d.start, d.end) for d in find_deadlines(make_doc(text), Header(date=date))]


# fmt: off
FORMS = [
    ("Hoàn thành trong tháng 3/2022.", ("2022-03-01", "2022-03-31")),
    ("Nộp báo cáo trước ngày 30/6/2022.", (None, "2022-06-30")),
    ("Ban Chấp hành tổ chức sinh hoạt trước 06/9/2022.", (None, "2022-09-06")),
    ("Tổ chức hội nghị trong Quý II/2022.", ("2022-04-01", "2022-06-30")),
    ("Hoàn thành trong **Quý I/2022**.", ("2022-01-01", "2022-03-31")),
    ("Sơ kết 6 tháng đầu năm 2022.", ("2022-01-01", "2022-06-30")),
    ("Đánh giá 6 tháng cuối năm 2023.", ("2023-07-01", "2023-12-31")),
    ("Thực hiện trong năm 2022.", ("2022-01-01", "2022-12-31")),
    ("Thời gian: bắt đầu từ tháng 4 đến tháng 11/2022.", ("2022-04-01", "2022-11-30")),
    ("Tuyên truyền từ ngày 01/3/2024 đến ngày 31/5/2024.", ("2024-03-01", "2024-05-31")),
    ("Kiểm điểm cuối năm 2022.", ("2022-12-01", "2022-12-31")),
    ("Báo cáo vào cuối tháng 3/2022.", ("2022-03-21", "2022-03-31")),
    ("Báo cáo cuối Quý IV/2022.", ("2022-12-01", "2022-12-31")),
    ("Thực hiện từ năm 2022.", ("2022-01-01", None)),
    ("Theo dõi việc thực hiện đến năm 2025.", (None, "2025-12-31")),
    ("Đợt 1: Trong tháng 12/2025", ("2025-12-01", "2025-12-31")),
    ("Đợt 2: Từ tháng 01 đến ngày bầu cử 15/3/2026", ("2026-01-01", "2026-03-15")),
    ("Đợt 3: Sau ngày bầu cử 15/3/2026", ("2026-03-16", None)),
    ("Tổ chức hiệp thương: Chậm nhất ngày 10/12/2025", (None, "2025-12-10")),
    ("Nộp hồ sơ trước 17 giờ 00, ngày 01/02/2026.", (None, "2026-02-01")),
    ("Thời gian: Quý IV/2025 và Quý I/2026", ("2025-10-01", "2026-03-31")),
    ("Thời gian: Từ tháng 12/2025 đến quý I/2026", ("2025-12-01", "2026-03-31")),
    ("Trao tặng kể từ đợt 02/9/2025.", ("2025-09-02", None)),
    ("Thực hiện hằng năm từ 2022.", ("2022-01-01", None)),
    ("Kỷ niệm 95 năm Ngày thành lập Đảng (03/02/1930 - 03/02/2025).", ("2025-02-03", "2025-02-03")),
    ("Tháng 4/2022\tNghị quyết số 03-NQ/TW", ("2022-04-01", "2022-04-30")),
    ("2. Quý III/2022\n- Kiểm tra chi bộ thôn về phát triển đảng viên.", ("2022-07-01", "2022-09-30")),
    ("3) Tháng 5/2022: tổ chức hội nghị sơ kết.", ("2022-05-01", "2022-05-31")),
]
# fmt: on


@pytest.mark.parametrize("text,expected", FORMS)
def test_forms(text: str, expected: tuple[str | None, str | None]) -> None:
    assert _bounds(text, "2021-12-01") == [expected]


# fmt: off
UNBOUNDED = [
    ("Sinh hoạt chi bộ hằng tháng.", "recurring", "month"),
    ("Đánh giá kết quả hằng năm.", "recurring", "year"),
    ("Định kỳ hàng quý báo cáo kết quả.", "recurring", "quarter"),
    ("Định kỳ báo cáo kết quả.", "recurring", None),
    ("Tuyên truyền thường xuyên trên trang thông tin.", "recurring", "continuous"),
    ("Gửi báo cáo trước 05 ngày tổ chức hội nghị.", "relative", None),
    ("Thực hiện theo yêu cầu của cấp ủy cấp trên.", "conditional", None),
    ("Báo cáo Hội đồng nhân dân tại kỳ họp gần nhất.", "relative", None),
    ("Tổ tự giải thể sau khi kết thúc bầu cử.", "relative", None),
]
# fmt: on


@pytest.mark.parametrize("text,kind,period", UNBOUNDED)
def test_unbounded(text: str, kind: str, period: str | None) -> None:
    (d,) = find_deadlines(make_doc(text), Header(date="2022-03-03"))
    assert (d.start, d.end, d.kind, d.period) == (None, None, kind, period)
    assert d.recurring == (kind == "recurring")


def test_year_from_same_sentence_then_document() -> None:
    text = "Báo cáo vào cuối tháng 3/2022, cuối Quý II, cuối Quý IV/2022. Kiểm điểm cuối năm."
    assert _bounds(text, None) == [
        ("2022-03-21", "2022-03-31"), ("2022-06-01", "2022-06-30"), ("2022-12-01", "2022-12-31"), ("2022-12-01", "2022-12-31"),
    ]


def test_year_from_latest_full_date_when_undated() -> None:
    doc = make_doc("Thực hiện Kế hoạch số 5-KH/TU, ngày 10/01/2023 của Tỉnh ủy. Hoàn thành trong Quý I.")
    assert document_year(doc, Header()) == 2023
    assert [(d.start, d.end) for d in find_deadlines(doc, Header())] == [("2023-01-01", "2023-03-31")]


def test_year_not_fixed_gives_no_bounds() -> None:
    assert _bounds("Hoàn thành trong Quý I.", None) == [(None, None)]


# fmt: off
NOT_DEADLINES = [
    "Hội nghị trực tuyến vào sáng ngày 09/12/2021.",  # past event (document of 03/3/2022)
    "Thực hiện Kết luận số 21-KL/TW, ngày 25/10/2021 của Ban Chấp hành Trung ương.",  # citation date
    "Hà Nội, ngày 12 tháng 01 năm 2026",  # the date line
    "Nghị quyết này có hiệu lực từ ngày 26 tháng 12 năm 2025.",  # entry into force
    "Nghị quyết số 06-NQ/TU về xây dựng Đảng từ nay đến năm 2010.",  # a past horizon
    "Hội nghị Trung ương 3 (khoá VII) năm 1992; nhiệm kỳ 2020-2025; sơ kết 5 năm.",
]
# fmt: on


@pytest.mark.parametrize("text", NOT_DEADLINES)
def test_not_deadlines(text: str) -> None:
    assert _bounds(text, "2022-03-03") == []


def test_yearly_frame_without_year() -> None:
    assert _bounds("Đủ tuổi đảng từ ngày 01/3 đến hết tháng 5 trong năm.", None) == [(None, None)]


def test_duplicates_listed_once_and_evidence() -> None:
    doc = make_doc("Nội dung A (thực hiện thường xuyên).\nNội dung B (thực hiện thường xuyên).")
    (d,) = find_deadlines(doc, Header(date="2022-03-03"))
    assert d.text == "thực hiện thường xuyên"
    assert d.sentence == "Nội dung A (thực hiện thường xuyên)."
    assert doc.text[d.offset :].startswith("thực hiện thường xuyên")


def test_text_keeps_the_verb() -> None:
    (d,) = find_deadlines(make_doc("- Xây dựng kế hoạch (hoàn thành xong trong tháng 3/2022)."), Header(date="2022-03-03"))
    assert d.text == "hoàn thành xong trong tháng 3/2022"


def test_corpus_micro_f1(corpus) -> None:
    pairs = [
        ({(d.start, d.end) for d in find_deadlines(doc, header)}, {(d["start"], d["end"]) for d in g["deadlines"]})
        for doc, header, g in corpus_cases(corpus)
    ]
    assert micro_f1(pairs) >= 0.9


def test_period_up_to_now_is_not_a_deadline() -> None:
    assert _bounds("Đánh giá kết quả thực hiện từ năm 2016 đến nay.", "2022-03-03") == []


def test_open_window_from_long_ago_is_history() -> None:
    assert _bounds("Tuổi đảng tính từ ngày 01-01-2010.", "2025-08-21") == []
    assert _bounds("Thực hiện từ năm 2024.", "2025-08-21") == [("2024-01-01", None)]


# fmt: off
LABELLED = [
    ("Thời gian: năm 2024.", ("2024-01-01", "2024-12-31")),
    ("Thời gian: 8 giờ 00, ngày 20/3/2024 tại Hội trường.", ("2024-03-20", "2024-03-20")),
    ("Thời gian thực hiện: tháng 10/2024", ("2024-10-01", "2024-10-31")),
    ("Hội nghị tổ chức vào ngày 20/3/2024.", ("2024-03-20", "2024-03-20")),
    ("Từ ngày 01/10/2024 đến hết ngày 31/12/2024.", ("2024-10-01", "2024-12-31")),
    ("Triển khai từ nay đến cuối năm 2024.", (None, "2024-12-31")),
    ("Tổ chức trong Quý III năm 2024.", ("2024-07-01", "2024-09-30")),
    ("Hoàn thành chậm nhất ngày 15 tháng 12 năm 2024.", (None, "2024-12-15")),
]
# fmt: on


@pytest.mark.parametrize("text,expected", LABELLED)
def test_labelled_and_spelled_out_forms(text: str, expected: tuple[str | None, str | None]) -> None:
    assert _bounds(text, "2024-01-15") == [expected]


# fmt: off
GENERAL_FORMS = [
    ("Triển khai trong tháng 6 và tháng 7/2024.", [("2024-06-01", "2024-07-31")]),
    ("Tiến hành trong tháng 4 và tháng 9/2024.", [("2024-04-01", "2024-04-30"), ("2024-09-01", "2024-09-30")]),
    ("Tổ chức trong Quý III và Quý IV/2024.", [("2024-07-01", "2024-12-31")]),
    ("3. Kiểm tra liên ngành: tháng 4 - 5/2025.", [("2025-04-01", "2025-05-31")]),
    ("Sắp xếp cán bộ trong nửa cuối năm 2025.", [("2025-07-01", "2025-12-31")]),
    ("Sơ kết nửa đầu năm 2025.", [("2025-01-01", "2025-06-30")]),
    ("2. Tập huấn cho nhân viên: tuần đầu tháng 10/2024.", [("2024-10-01", "2024-10-07")]),
    ("Hội nghị tổng kết vào tuần cuối tháng 11/2024.", [("2024-11-24", "2024-11-30")]),
    ("1. Hội nghị quán triệt: ngày 25/3/2025, tại Hội trường.", [("2025-03-25", "2025-03-25")]),
    ("Biểu dương vào dịp kỷ niệm Ngày thành lập Mặt trận Tổ quốc Việt Nam 18/11/2024.", [("2024-11-18", "2024-11-18")]),
    ("Công an phường đề xuất sắp xếp lực lượng theo hướng dẫn của cấp trên.", [(None, None)]),
    ("Đề nghị sửa đổi, thực hiện đến năm 2030, tầm nhìn đến năm 2045.", [(None, "2030-12-31")]),
    ("Căn cứ Nghị quyết số 05-NQ/HU, ngày 10/01/2024 của Ban Chấp hành về chuyển đổi số đến năm 2025;\nHoàn thành trong năm 2024.", [("2024-01-01", "2024-12-31")]),
    ("Thực hiện Công văn số 120/UBND-VX ngày 12/01/2024 của Ủy ban nhân dân huyện về các hoạt động trong tháng 3/2024;\nHoàn thành trong năm 2024.", [("2024-01-01", "2024-12-31")]),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), GENERAL_FORMS)
def test_general_forms(text: str, expected: list[tuple[str | None, str | None]]) -> None:
    assert _bounds(text, "2024-03-01") == expected


def test_yearless_day_after_yearly_is_recurring() -> None:
    found = find_deadlines(make_doc("Hằng năm báo cáo kết quả thực hiện trước ngày 15/12."), Header(date="2023-03-01"))
    assert [(d.start, d.end) for d in found] == [(None, None), (None, None)]


def test_deadline_after_a_cited_plan_is_kept() -> None:
    text = "Căn cứ Kế hoạch số 12-KH/TU, ngày 02/01/2024 của Tỉnh ủy, các chi bộ xây dựng kế hoạch, hoàn thành trước ngày 30/6/2024."
    assert _bounds(text, "2024-03-01") == [(None, "2024-06-30")]


# Forms of issue 13 (made-up wording): periods, completion limits, clock times, yearless days.
ISSUE13_FORMS = [
    ("Sở Xây dựng lập kế hoạch vốn giai đoạn 2027 - 2031.", ("2027-01-01", "2031-12-31")),
    ("Các huyện xong trong tháng 9/2026.", ("2026-09-01", "2026-09-30")),
    ("Gửi báo cáo chậm nhất là ngày 20 tháng 4 năm 2026.", (None, "2026-04-20")),
    ("Hồ sơ nộp hạn chót là ngày 02/6/2026.", (None, "2026-06-02")),
    ("Lấy ý kiến trong khoảng thời gian từ ngày 10/02/2026 đến ngày 25/02/2026.", ("2026-02-10", "2026-02-25")),
    ("Hội nghị khai mạc lúc 14h30' ngày 18/5/2026 tại hội trường.", ("2026-05-18", "2026-05-18")),
    ("Phát sóng: Từ 19 giờ 30 phút - 20 giờ 00 phút ngày 7 tháng 9", ("2026-09-07", "2026-09-07")),
    ("Giấy phép có thời hạn 24 tháng kể từ ngày ký.", (None, None)),
    ("Phấn đấu tỷ lệ đạt 80% trong năm 2026 và các năm tiếp theo.", ("2026-01-01", None)),
]


@pytest.mark.parametrize("text,bounds", ISSUE13_FORMS)
def test_issue13_forms(text: str, bounds: tuple[str | None, str | None]) -> None:
    assert _bounds(text, "2026-01-05") == [bounds]


def test_periods_cells_and_the_plan_year() -> None:
    text = (
        "ỦY BAN NHÂN DÂN HUYỆN X\nHà Giang, ngày    tháng 02 năm 2026\nKẾ HOẠCH\nPhòng chống thiên tai năm 2026\n"
        "Căn cứ Quyết định số 12/QĐ-UBND phê duyệt Đề án phát triển giao thông giai đoạn 2021 - 2030;\n"
        "Nội dung | Thời gian\nSửa đê | Năm 2027\nNạo vét kênh | 2026 - 2028\n"
        "Hội nghị sơ kết vào ngày 5 tháng 8.\n"
    )
    doc = make_doc(text)
    h = find_header(text)
    got = {(d.start, d.end) for d in find_deadlines(doc, h)}
    assert got == {
        ("2026-01-01", "2026-12-31"),  # the title names the plan's year
        ("2027-01-01", "2027-12-31"),  # a cell that is only a year
        ("2026-01-01", "2028-12-31"),  # a cell that is a stretch of years
        ("2026-08-05", "2026-08-05"),  # no year written: the year of the date line
    }  # the cited programme's period is part of its name


def test_horizon_in_a_programme_name_is_not_a_deadline() -> None:
    assert _bounds("Triển khai Chiến lược phát triển du lịch bền vững đến năm 2035 trên địa bàn.", "2026-01-05") == []
    assert _bounds("Thực hiện Đề án chuyển đổi số, phấn đấu đến năm 2030 hoàn thành.", "2026-01-05") == [(None, "2030-12-31")]
    assert _bounds("Báo cáo số liệu tính từ ngày 01/01/2026 đến ngày 30/6/2026 gửi trước ngày 5/7/2026.", "2026-01-05") == [(None, "2026-07-05")]


# A limit inside a month and a day counted from a recurring period (made-up wording).
LIMIT_FORMS = [
    ("Các đơn vị tổ chức tự kiểm tra chậm nhất trong tháng 7/2026.", [(None, "2026-07-31")]),
    ("Báo cáo kết quả muộn nhất vào tháng 10/2026.", [(None, "2026-10-31")]),
    ("Công bố danh mục trước ngày 15/02 năm liền kề.", [(None, None)]),
]


@pytest.mark.parametrize(("text", "expected"), LIMIT_FORMS)
def test_limit_forms(text: str, expected: list[tuple[str | None, str | None]]) -> None:
    assert _bounds(text, "2026-01-05") == expected


# Not timings of an action, and a list of months (made-up wording).
OTHER_FORMS = [
    ("Kinh phí hoạt động của Ban do ngân sách nhà nước cấp hằng năm, bố trí trong dự toán chi thường xuyên.", []),
    ("Bảo đảm hoạt động thông suốt, liên tục, hiệu quả.", []),
    ("Tăng cường mối quan hệ thường xuyên giữa các cơ quan.", []),
    ("Thực hiện trong tháng 10, tháng 11 năm 2025.", [("2025-10-01", "2025-11-30")]),
    ("Các đơn vị sáp nhập kể từ ngày 01/7/2025 thực hiện theo hướng dẫn này.", []),  # before the letter's date
    ("Áp dụng từ ngày 01/8/2025.", [("2025-08-01", None)]),
]


@pytest.mark.parametrize(("text", "expected"), OTHER_FORMS)
def test_other_forms(text: str, expected: list[tuple[str | None, str | None]]) -> None:
    assert _bounds(text, "2025-07-16") == expected
