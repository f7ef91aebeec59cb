"""Header: the document's own type, symbol, issuer, place, date, title and scope."""

from __future__ import annotations

import json

from pipeline.extract.header import find_header, org_case
from pipeline.models import Table

HUYEN = """ĐẢNG BỘ TỈNH NGHỆ AN
HUYỆN ỦY NAM ĐÀN
*
Số 45-KH/HU
ĐẢNG CỘNG SẢN VIỆT NAM
Nam Đàn, ngày 12 tháng 5 năm 2023

KẾ HOẠCH
thực hiện Nghị quyết số 09-NQ/TU, ngày 15/3/2023
của Ban Chấp hành Đảng bộ tỉnh về phát triển du lịch
-----
Thực hiện Nghị quyết số 09-NQ/TU, ngày 15/3/2023 của Ban Chấp hành Đảng bộ tỉnh, Ban Thường vụ Huyện ủy ban hành Kế hoạch như sau:
I. MỤC ĐÍCH, YÊU CẦU
"""


def test_party_header_lines() -> None:
    h = find_header(HUYEN)
    assert h.doc_type == "Kế hoạch"
    assert h.symbol == "45-KH/HU"
    assert h.issuer == "Huyện ủy Nam Đàn"
    assert (h.place, h.date) == ("Nam Đàn", "2023-05-12")
    assert h.title == "thực hiện Nghị quyết số 09-NQ/TU, ngày 15/3/2023 của Ban Chấp hành Đảng bộ tỉnh về phát triển du lịch"
    assert h.scope == "Nghệ An"


def test_state_header_in_a_layout_table() -> None:
    row = "ỦY BAN NHÂN DÂN\nTỈNH BẮC GIANG\n-------\nSố: 134 /KH-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nBắc Giang, ngày 05 tháng 6 năm 2023"
    line = " | ".join(c.replace("\n", " ") for c in row)
    text = line + "\n\nKẾ HOẠCH\nChuyển đổi số năm 2023\n\nCăn cứ Nghị định số 35/2022/NĐ-CP ngày 28/5/2022 của Chính phủ;\n"
    table = Table(index=0, start=0, end=len(line), rows=(row,), row_starts=(0,))
    h = find_header(text, (table,))
    assert (h.doc_type, h.symbol, h.issuer) == ("Kế hoạch", "134/KH-UBND", "Ủy ban nhân dân tỉnh Bắc Giang")
    assert (h.place, h.date, h.title) == ("Bắc Giang", "2023-06-05", "Chuyển đổi số năm 2023")


def test_decision_with_sub_body_and_authority_line() -> None:
    text = (
        "ỦY BAN MTTQ VIỆT NAM\nXÃ LƯƠNG MINH\nBAN THƯỜNG TRỰC\nSố: /QĐ-MTTQ-BTT\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nLương Minh, ngày 12 tháng 01 năm 2026\n\n"
        "QUYẾT ĐỊNH\nVề việc thành lập Tổ tiếp công dân\nnhiệm kỳ 2026 – 2031\n\n"
        "BAN THƯỜNG TRỰC ỦY BAN MTTQ VIỆT NAM XÃ LƯƠNG MINH\n\nCăn cứ Luật Tố cáo số 25/2018/QH14;\n"
    )
    h = find_header(text)
    assert h.doc_type == "Quyết định"
    assert h.symbol is None  # the number is left blank
    assert h.issuer == "Ban Thường trực Ủy ban MTTQ Việt Nam xã Lương Minh"
    assert h.title == "Về việc thành lập Tổ tiếp công dân nhiệm kỳ 2026 – 2031"
    assert (h.place, h.date) == ("Lương Minh", "2026-01-12")


def test_no_header_lines_issuer_from_opening_sentence() -> None:
    text = (
        "KẾ HOẠCH\ntổ chức hội nghị\n\nThực hiện Kế hoạch số 12-KH/TU ngày 02/3/2022 của Tỉnh ủy, "
        "Ban Thường vụ Đảng uỷ xây dựng Kế hoạch như sau:\nI. MỤC ĐÍCH\n... trong toàn Đảng bộ xã Kỳ Sơn ...\n"
        "Ma két: Kỳ Sơn, ngày .... tháng .... năm 2022\n"
    )
    h = find_header(text)
    assert (h.issuer, h.symbol, h.place, h.date) == ("Đảng ủy xã Kỳ Sơn", None, None, None)
    assert h.title == "tổ chức hội nghị"


def test_own_date_from_caption() -> None:
    text = (
        "Số 31-KH/ĐUK\nKẾ HOẠCH\nTổ chức đợt sinh hoạt chính trị\n-----\nThực hiện ..., Đảng ủy Sở Tài chính xây dựng kế hoạch như sau:\n"
        "DANH MỤC\n(kèm theo Kế hoạch số 31-KH/ĐUK, ngày 19/4/2022 của Đảng ủy Sở Tài chính)\n"
    )
    h = find_header(text)
    assert (h.symbol, h.date, h.issuer) == ("31-KH/ĐUK", "2022-04-19", "Đảng ủy Sở Tài chính")


def test_title_word_glued_to_title() -> None:
    h = find_header("KẾ HOẠCHtổ chức đợt sinh hoạt chính trị\nvà hệ thống chính trị\n\nThực hiện Kết luận số 21-KL/TW ...")
    assert (h.doc_type, h.title) == ("Kế hoạch", "tổ chức đợt sinh hoạt chính trị và hệ thống chính trị")


def test_org_case() -> None:
    assert org_case("ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH") == "Đảng ủy Khối các cơ quan tỉnh"
    assert org_case("ĐẢNG UỶ XÃ KỲ LỢI") == "Đảng ủy xã Kỳ Lợi"
    assert org_case("THÀNH UỶ HÀ NỘI") == "Thành ủy Hà Nội"
    assert org_case("ĐẢNG ỦY SỞ TÀI CHÍNH") == "Đảng ủy Sở Tài chính"
    assert org_case("HỘI ĐỒNG NHÂN DÂN TỈNH QUẢNG NINH") == "Hội đồng nhân dân tỉnh Quảng Ninh"


def test_corpus_headers(corpus, gold) -> None:  # noqa: ANN001
    from pipeline.read import read

    exact = 0
    for path in sorted(corpus.glob("*.txt")):
        doc = read(path)
        h = find_header(doc.text, doc.tables)
        expected = json.loads((gold / f"{path.stem}.json").read_text("utf-8"))["header"]
        exact += sum(getattr(h, k) == v for k, v in expected.items())
    assert exact >= 28


def test_pdf_columns_run_together() -> None:
    text = (
        "BAN CHẤP HÀNH TRUNG ƯƠNG ĐẢNG CỘNG SẢN VIỆT NAM\nBAN TỔ CHỨC\n* Hà Nội, ngày 29 tháng 9 năm 2025\n"
        "Số 38 - HD/BTCTW\nHƯỚNG DẪN\nnghiệp vụ công tác đảng viên\n-----\nCăn cứ Điều lệ Đảng, ...\n"
    )
    h = find_header(text)
    assert (h.doc_type, h.symbol, h.issuer) == ("Hướng dẫn", "38-HD/BTCTW", "Ban Tổ chức Trung ương")
    assert (h.place, h.date, h.title) == ("Hà Nội", "2025-09-29", "nghiệp vụ công tác đảng viên")
    h = find_header("BAN CHẤP HÀNH TRUNG ƯƠNG\n*\nSố 294-QĐ/TW Hà Nội, ngày 26 tháng 5 năm 2025\nQUY ĐỊNH\nTHI HÀNH ĐIỀU LỆ ĐẢNG\n- Căn cứ Điều lệ Đảng;\n")
    assert (h.symbol, h.place, h.date, h.title, h.issuer) == (
        "294-QĐ/TW", "Hà Nội", "2025-05-26", "THI HÀNH ĐIỀU LỆ ĐẢNG", "Ban Chấp hành Trung ương",
    )  # fmt: skip


def test_official_letter_subject() -> None:
    text = (
        "TỈNH ỦY BẮC NINH\n*\nSố 245-CV/TU\nV/v triển khai thực hiện\nKết luận số 21-KL/TW\n"
        "ĐẢNG CỘNG SẢN VIỆT NAM\nBắc Ninh, ngày 04 tháng 4 năm 2024\nKính gửi: Các huyện ủy, thị ủy, thành ủy\n"
    )
    h = find_header(text)
    assert (h.doc_type, h.symbol, h.issuer) == ("Công văn", "245-CV/TU", "Tỉnh ủy Bắc Ninh")
    assert (h.title, h.place, h.date) == ("V/v triển khai thực hiện Kết luận số 21-KL/TW", "Bắc Ninh", "2024-04-04")


def test_title_stops_before_attached_to_line() -> None:
    text = (
        "TỈNH ỦY LẠNG SƠN\n*\nĐẢNG CỘNG SẢN VIỆT NAM\n\nQUY CHẾ\nlàm việc của Ban Chỉ đạo chuyển đổi số\n"
        "(Ban hành kèm theo Quyết định số 1520-QĐ/TU, ngày 12/4/2024 của Ban Thường vụ Tỉnh ủy)\n\nChương I\n"
    )
    h = find_header(text)
    assert (h.doc_type, h.title, h.issuer) == ("Quy chế", "làm việc của Ban Chỉ đạo chuyển đổi số", "Tỉnh ủy Lạng Sơn")


def _issuer(lines: str) -> str | None:
    return find_header(lines + "\n*\nSố 12-KH/TU\nĐẢNG CỘNG SẢN VIỆT NAM\nVinh, ngày 02 tháng 3 năm 2023\n\nKẾ HOẠCH\nthực hiện chuyển đổi số\n-----\n").issuer


def test_bare_committee_and_department_take_the_parent_place() -> None:
    assert _issuer("ĐẢNG BỘ TỈNH HÀ TĨNH\nTỈNH ỦY") == "Tỉnh ủy Hà Tĩnh"
    assert _issuer("ĐẢNG BỘ TỈNH HÀ TĨNH\nHUYỆN ỦY CAN LỘC") == "Huyện ủy Can Lộc"
    assert _issuer("ỦY BAN NHÂN DÂN\nTỈNH HÀ TĨNH\nSỞ TÀI CHÍNH") == "Sở Tài chính tỉnh Hà Tĩnh"
    assert _issuer("UBND TỈNH HÀ TĨNH\nSỞ NỘI VỤ") == "Sở Nội vụ tỉnh Hà Tĩnh"  # issue 13: the body under its parent


def test_wrapped_body_name_is_one_name() -> None:
    assert _issuer("ĐẢNG BỘ TỈNH HÀ TĨNH\nĐẢNG ỦY KHỐI CÁC CƠ QUAN\nVÀ DOANH NGHIỆP TỈNH") == (
        "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Hà Tĩnh"
    )


def test_abbreviated_body_is_written_out() -> None:
    assert _issuer("BCH ĐOÀN TỈNH HÀ TĨNH") == "Ban Chấp hành Đoàn tỉnh Hà Tĩnh"
    assert _issuer("UBND HUYỆN CAN LỘC") == "Ủy ban nhân dân huyện Can Lộc"


def test_joint_plan_two_bodies() -> None:
    text = (
        "SỞ NỘI VỤ\nSỞ TÀI CHÍNH\nTỈNH HÀ TĨNH\nSố: 03/KHLT-SNV-STC\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Hà Tĩnh, ngày 02 tháng 3 năm 2023\n\nKẾ HOẠCH LIÊN TỊCH\nVề kiểm tra công vụ năm 2023\n\nCăn cứ ...\n"
    )
    h = find_header(text)
    assert (h.doc_type, h.title, h.symbol) == ("Kế hoạch liên tịch", "Về kiểm tra công vụ năm 2023", "03/KHLT-SNV-STC")
    assert h.issuer == "Sở Nội vụ và Sở Tài chính tỉnh Hà Tĩnh"


def test_more_title_words() -> None:
    for word, kind in [("TỜ TRÌNH", "Tờ trình"), ("BÁO CÁO", "Báo cáo"), ("ĐỀ ÁN", "Đề án"), ("CÔNG ĐIỆN", "Công điện"),
                       ("NGHỊ QUYẾT LIÊN TỊCH", "Nghị quyết liên tịch"), ("CHƯƠNG TRÌNH PHỐI HỢP", "Chương trình phối hợp")]:  # fmt: skip
        assert find_header(f"TỈNH ỦY HÀ TĨNH\n*\n\n{word}\nvề công tác cán bộ\n\nCăn cứ ...\n").doc_type == kind


def test_special_city_name_keeps_its_capital() -> None:
    assert _issuer("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH") == "Ủy ban nhân dân Thành phố Hồ Chí Minh"


def test_party_sub_bodies_and_district_departments() -> None:
    assert _issuer("ĐẢNG BỘ TỈNH HÀ TĨNH\nBAN TUYÊN GIÁO TỈNH ỦY") == "Ban Tuyên giáo Tỉnh ủy Hà Tĩnh"
    assert _issuer("ĐẢNG BỘ TỈNH HÀ TĨNH\nỦY BAN KIỂM TRA TỈNH ỦY") == "Ủy ban Kiểm tra Tỉnh ủy Hà Tĩnh"
    assert _issuer("ĐẢNG BỘ TỈNH HÀ TĨNH\nTỈNH ỦY\nBAN DÂN VẬN") == "Ban Dân vận Tỉnh ủy Hà Tĩnh"
    assert _issuer("ĐẢNG BỘ TỈNH HÀ TĨNH\nBAN TUYÊN GIÁO TỈNH ỦY\nBAN DÂN VẬN TỈNH ỦY") == (
        "Ban Tuyên giáo Tỉnh ủy và Ban Dân vận Tỉnh ủy Hà Tĩnh"
    )
    assert _issuer("UBND HUYỆN CAN LỘC\nPHÒNG GIÁO DỤC VÀ ĐÀO TẠO") == "Phòng Giáo dục và Đào tạo huyện Can Lộc"
    assert _issuer("ĐOÀN TNCS HỒ CHÍ MINH\nBCH ĐOÀN TỈNH HÀ TĨNH") == "Ban Chấp hành Đoàn tỉnh Hà Tĩnh"
    assert org_case("ĐẢNG BỘ TỈNH HÀ TĨNH") == "Đảng bộ tỉnh Hà Tĩnh"


def test_plain_text_columns_split_at_tabs_and_wide_spaces() -> None:
    text = (
        "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH HÀ TĨNH\tĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 12/KH-UBND\tHà Tĩnh, ngày 20 tháng 6 năm 2023\n\nKẾ HOẠCH\nvề chuyển đổi số\n\nCăn cứ ...\n"
    )
    h = find_header(text)
    assert (h.symbol, h.issuer, h.place, h.date) == ("12/KH-UBND", "Ủy ban nhân dân tỉnh Hà Tĩnh", "Hà Tĩnh", "2023-06-20")
    text = (
        "SỞ Y TẾ          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH HÀ TĨNH          Độc lập - Tự do - Hạnh phúc\n"
        "Số:     /KH-SYT        Hà Tĩnh, ngày 20 tháng 6 năm 2023\n\nKẾ HOẠCH\nvề tiêm chủng\n\nCăn cứ ...\n"
    )
    h = find_header(text)
    assert (h.symbol, h.issuer, h.place, h.title) == (None, "Sở Y tế tỉnh Hà Tĩnh", "Hà Tĩnh", "về tiêm chủng")


def test_capitalised_city_name_is_kept_whole() -> None:
    h = find_header("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\nSỞ TƯ PHÁP\nSố: 12/KH-STP\n\nKẾ HOẠCH\nvề phổ biến pháp luật\n\nCăn cứ ...\n")
    assert (h.issuer, h.scope) == ("Sở Tư pháp Thành phố Hồ Chí Minh", "Hồ Chí Minh")
    assert _issuer("ĐẢNG BỘ THÀNH PHỐ HỒ CHÍ MINH\nTHÀNH ỦY") == "Thành ủy Thành phố Hồ Chí Minh"


def test_organ_under_party_organisation_belongs_to_its_committee() -> None:
    assert _issuer("ĐẢNG BỘ HUYỆN ĐÔNG ANH\nỦY BAN KIỂM TRA") == "Ủy ban Kiểm tra Huyện ủy Đông Anh"
    assert _issuer("ĐẢNG BỘ TỈNH BẮC NINH\nVĂN PHÒNG") == "Văn phòng Tỉnh ủy Bắc Ninh"
    assert _issuer("ĐẢNG BỘ TỈNH BẮC NINH\nBAN CHẤP HÀNH") == "Ban Chấp hành Đảng bộ tỉnh Bắc Ninh"


def test_national_parent_line_is_dropped_and_body_names_keep_their_capitals() -> None:
    lines = "HỘI LIÊN HIỆP PHỤ NỮ VIỆT NAM\nBAN THƯỜNG VỤ HỘI LIÊN HIỆP PHỤ NỮ TỈNH NGHỆ AN"
    assert _issuer(lines) == "Ban Thường vụ Hội Liên hiệp Phụ nữ tỉnh Nghệ An"
    assert _issuer("ĐẢNG BỘ TỈNH GIA LAI\nĐẢNG ỦY QUÂN SỰ TỈNH") == "Đảng ủy Quân sự tỉnh Gia Lai"


def test_teams_and_councils_are_named_under_the_body_that_sets_them_up() -> None:
    assert _issuer("UBND TỈNH HÀ TĨNH\nĐOÀN KIỂM TRA") == "Đoàn kiểm tra tỉnh Hà Tĩnh"
    assert _issuer("BỘ Y TẾ\nĐOÀN KIỂM TRA LIÊN NGÀNH") == "Đoàn kiểm tra liên ngành Bộ Y tế"
    assert _issuer("UBND TỈNH HÀ TĨNH\nHỘI ĐỒNG THẨM ĐỊNH,\nĐÁNH GIÁ CHỈ SỐ CẢI CÁCH\nHÀNH CHÍNH TỈNH") == (
        "Hội đồng thẩm định, đánh giá chỉ số cải cách hành chính tỉnh Hà Tĩnh"
    )
    assert _issuer("HỘI ĐỒNG NHÂN DÂN\nTỈNH HÀ TĨNH") == "Hội đồng nhân dân tỉnh Hà Tĩnh"


def test_subject_opening_with_its_type_keeps_it() -> None:
    """A subject under the number that opens with a type name in ordinary case is printed
    whole: the type word stays in the title."""
    text = (
        "HIỆP HỘI NGHỀ CÁ TỈNH\nBAN THƯỜNG VỤ\nSố: 12/HD-BTV\nHướng dẫn tổ chức đại hội nhiệm kỳ mới\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHuế, ngày 03 tháng 5 năm 2024\n"
        "Kính gửi: Các hội thành viên\n"
    )
    h = find_header(text)
    assert (h.doc_type, h.title) == ("Hướng dẫn", "Hướng dẫn tổ chức đại hội nhiệm kỳ mới")


def test_scan_subject_marker_without_its_v() -> None:
    text = (
        "BỘ NỘI VỤ\nSố: 45/BNV-TCCB\nV/ Triển khai công tác thi đua\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHà Nội, ngày 04 tháng 4 năm 2024\n"
        "Kính gửi: Các sở, ngành\n"
    )
    h = find_header(text, ocr=True)
    assert (h.doc_type, h.title, h.place) == ("Công văn", "V/v Triển khai công tác thi đua", "Hà Nội")


def test_scan_subject_opening_ve_viec_is_capitalised() -> None:
    text = (
        "ỦY BAN NHÂN DÂN TỈNH HÀ NAM\nSố: 17/TTr-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nHà Nam, ngày 04 tháng 4 năm 2024\nTỜ TRÌNH\nvề việc thành lập tổ công tác\n"
        "Kính gửi: Hội đồng nhân dân tỉnh\n"
    )
    assert find_header(text, ocr=True).title == "Về việc thành lập tổ công tác"


def test_misread_day_past_31_is_no_date() -> None:
    """"ngày 99 tháng 10" (a hand-written day misread) holds no "9 tháng 10"."""
    text = (
        "ỦY BAN NHÂN DÂN TỈNH HÀ NAM\nSố: 17/TTr-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nHà Nam, ngày 99 tháng 10 năm 2025\nTỜ TRÌNH\nVề việc thành lập tổ công tác\n"
    )
    assert find_header(text, ocr=True).date is None


def test_unsure_title_word_spelt_as_the_text_spells_it() -> None:
    """A misread mark whose neighbours stand on other lines (no phrase to match) is spelt as
    the text writes that word, only where Tesseract was unsure of it and the text decides."""
    from pipeline.extract.respell import as_used

    text = "V/v phân bổ vôn đầu tư\nBố trí vốn năm sau; nguồn vốn đối ứng; bộ máy; bộ phận; bỏ phiếu."
    span = (0, 22)
    assert as_used("V/v phân bổ vôn đầu tư", text, {"vôn"}, skip=span) == "V/v phân bổ vốn đầu tư"
    assert as_used("V/v phân bổ vôn đầu tư", text, set(), skip=span) == "V/v phân bổ vôn đầu tư"  # read surely
    # "bổ" is never written elsewhere, but "bộ" (twice) and "bỏ" (once) split the text's votes: kept
    assert as_used("V/v phân bổ vôn đầu tư", text, {"bổ"}, skip=span) == "V/v phân bổ vôn đầu tư"
