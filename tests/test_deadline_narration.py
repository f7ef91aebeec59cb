"""Time words that narrate are not deadlines (``pipeline.extract.narration``): results
sections and report periods, past facts, a submission's attached draft, names of
programmes and terms of office. Made-up documents, read through the structure stage."""

from __future__ import annotations

from pipeline.extract.deadlines import find_deadlines
from pipeline.extract.header import find_header
from pipeline.extract.scope import Scope
from pipeline.structure import structure_of
from tests.helpers_extract_b import make_doc


def _bounds(text: str) -> list[tuple[str | None, str | None]]:
    doc = make_doc(text)
    st = structure_of(doc)
    header = find_header(text, (), structure=st)
    return [(d.start, d.end) for d in find_deadlines(doc, header, Scope.of(doc, st.zones))]


_CLOSING = "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nCHỦ TỊCH\nNguyễn Văn A\n"


def test_a_report_sets_deadlines_only_in_its_tasks() -> None:
    text = (
        "ỦY BAN NHÂN DÂN TỈNH X\nSố: 12/BC-UBND\nX, ngày 25 tháng 3 năm 2026\nBÁO CÁO\n"
        "Kết quả thực hiện chuyển đổi số tháng 3 năm 2026\n"
        "Thực hiện Kế hoạch số 5/KH-UBND ngày 02/01/2026, Ủy ban nhân dân tỉnh báo cáo kết quả thực hiện tháng 3/2026 như sau:\n"
        "I. KẾT QUẢ THỰC HIỆN\n1. Về dịch vụ công\n- Trong tháng 3/2026, toàn tỉnh tiếp nhận 5.000 hồ sơ trực tuyến.\n"
        "- Tỉnh thường xuyên rà soát thủ tục hành chính.\n"
        "II. NHIỆM VỤ THỜI GIAN TỚI\n1. Sở Nội vụ hoàn thành rà soát trong tháng 5/2026.\n" + _CLOSING
    )
    assert _bounds(text) == [("2026-05-01", "2026-05-31")]


def test_a_past_fact_is_not_a_deadline() -> None:
    text = "KẾ HOẠCH\nRà soát thủ tục\n1. Sở Tư pháp đã ban hành danh mục tháng 01/2026; các xã hoàn thành rà soát trước ngày 30/6/2026.\n"
    assert _bounds(text) == [(None, "2026-06-30")]


def test_a_past_marker_of_a_relative_clause_leaves_the_limit() -> None:
    text = (
        "KẾ HOẠCH\nThi đua\n1. Những đơn vị đã đăng ký thi đua gửi hồ sơ trước ngày 15/10/2026.\n"
        "2. Các xã đã rà soát xong nay tiếp tục cập nhật trong tháng 11/2026.\n"
    )
    assert _bounds(text) == [(None, "2026-10-15"), ("2026-11-01", "2026-11-30")]


def test_the_draft_a_submission_attaches_sets_none() -> None:
    text = (
        "CÔNG AN TỈNH X\nSố: 12/TTr-CAT\nX, ngày 25 tháng 1 năm 2026\nTỜ TRÌNH\nVề việc ban hành Kế hoạch phòng, chống ma túy\n"
        "Kính gửi: Ủy ban nhân dân tỉnh.\nCông an tỉnh kính trình Ủy ban nhân dân tỉnh xem xét, ký ban hành Kế hoạch./.\n"
        + _CLOSING + "\nPHỤ LỤC\nDỰ THẢO KẾ HOẠCH\n1. Các xã hoàn thành kế hoạch trong tháng 3/2026.\n2. Định kỳ báo cáo kết quả.\n"
    )
    assert _bounds(text) == []


def test_a_horizon_in_a_wrapped_subject_or_a_capital_heading_is_a_name() -> None:
    letter = (
        "BỘ X\nSố: 12/BX-C1\nV/v triển khai Chương trình mục tiêu quốc gia\n- giảm nghèo bền vững đến năm 2035\n"
        "Hà Nội, ngày 16 tháng 9 năm 2025\nKính gửi: Ủy ban nhân dân các tỉnh.\nĐề nghị các tỉnh gửi báo cáo trước ngày 30/9/2025.\n"
    )
    assert _bounds(letter) == [(None, "2025-09-30")]
    table = "KẾ HOẠCH\nGiảm nghèo\nDANH MỤC CHỈ TIÊU THEO DÕI CHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA\nGIẢM NGHÈO BỀN VỮNG ĐẾN NĂM 2035\n"
    assert (None, "2035-12-31") not in _bounds(table)


def test_a_term_of_office_is_not_a_window() -> None:
    text = "KẾ HOẠCH\nĐại hội\n1. Nhiệm kỳ của Ban Chấp hành khóa mới từ năm 2021 đến năm 2026; Đại hội tổ chức trong Quý IV/2021.\n"
    assert _bounds(text) == [("2021-10-01", "2021-12-31")]


def test_a_task_heading_names_the_year_of_its_tasks() -> None:
    text = (
        "ỦY BAN NHÂN DÂN XÃ Y\nSố: 3/CV-UBND\nY, ngày 02 tháng 12 năm 2025\nV/v cải thiện chỉ số\nKính gửi: Các thôn.\n"
        "I. KẾT QUẢ NĂM 2025\n1. Các thôn hoàn thành 20 nhiệm vụ.\nII. NHIỆM VỤ TRỌNG TÂM NĂM 2026\n1. Các thôn rà soát hồ sơ.\n"
    )
    assert _bounds(text) == [("2026-01-01", "2026-12-31")]


def test_a_plan_s_evaluation_part_still_sets_limits() -> None:
    text = "KẾ HOẠCH\nRà soát thủ tục năm 2026\nIV. ĐÁNH GIÁ KẾT QUẢ\n1. Các xã báo cáo kết quả trước ngày 15/12/2026.\n"
    assert (None, "2026-12-15") in _bounds(text)


def test_a_copy_before_signing_is_dated_by_its_month() -> None:
    text = "ỦY BAN NHÂN DÂN XÃ Y\nY, ngày    tháng 11 năm 2025\nKẾ HOẠCH\nTập huấn\n1. Tổ chức tập huấn trong tháng 10/2025.\n2. Tổng kết trong tháng 12/2025.\n"
    assert _bounds(text) == [("2025-12-01", "2025-12-31")]
