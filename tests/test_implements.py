"""Implements: documents named in the title and the opening sentence(s), not those cited later."""

from __future__ import annotations

import json

from pipeline.extract import extract
from pipeline.extract.citations import find_citations
from pipeline.extract.header import find_header
from pipeline.extract.implements import find_implements
from pipeline.models import Document


def implements(text: str) -> list[str]:
    """What ``text`` implements, its header read first as ``extract`` reads it."""
    h = find_header(text)
    return list(find_implements(text, find_citations(text, h), (), h))


def test_title_and_opening_with_nested_documents() -> None:
    text = (
        "Số 40-KH/ĐUK\nKẾ HOẠCH\nthực hiện Kết luận số 21-KL/TW, ngày 25/10/2021\ncủa Ban Chấp hành Trung ương\n-----\n"
        "Thực hiện Kế hoạch số 51-KH/TU, ngày 28/01/2022 của Ban Thường vụ Tỉnh ủy thực hiện Kết luận số 21-KL/TW, "
        "ngày 25/10/2021 của Ban Chấp hành Trung ương Đảng, Ban Thường vụ Đảng ủy Khối xây dựng kế hoạch như sau:\n"
        "I. MỤC ĐÍCH, YÊU CẦU\n1. Gắn với Chỉ thị số 05-CT/TW, ngày 15/5/2016 của Bộ Chính trị.\n"
    )
    assert implements(text) == ["51-KH/TU@2022-01-28", "21-KL/TW@2021-10-25"]


def test_state_decision_can_cu_lines_but_not_xet() -> None:
    text = (
        "NGHỊ QUYẾT\nQUY ĐỊNH MỨC CHI\n\nHỘI ĐỒNG NHÂN DÂN TỈNH BẮC GIANG\n\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;\n\n"
        "Căn cứ Nghị định số 35/2022/NĐ-CP ngày 28/5/2022 của Chính phủ;\n\n"
        "Xét Tờ trình số 4486/TTr-UBND ngày 22 tháng 11 năm 2025 của Ủy ban nhân dân tỉnh;\n\n"
        "QUYẾT NGHỊ:\nĐiều 1. Áp dụng Thông tư số 42/2022/TT-BTC.\n"
    )
    assert implements(text) == ["72/2025/QH15", "35/2022/NĐ-CP@2022-05-28"]


def test_wrapped_pdf_lines() -> None:
    text = (
        "KẾ HOẠCH\nTổ chức hội nghị\n-----\n Thực hiện Hướng dẫn số 27-HD/BTG, ngày 05/8/2022 của Ban Tuyên giáo Thị ủy và\n"
        "Hướng dẫn số 22-HD/BTG, ngày 22/3/2022 của Ban Tuyên giáo Thị ủy thực hiện Kết luận\n"
        "số 01, ngày 18/5/2021 của Bộ Chính trị; Kế hoạch 38-KH/ĐU ngày 11/5/2022 của BTV Đảng uỷ;\n"
        "Quy định số 37-QĐ/TW, ngày 25/10/2021 của Ban Chấp hành Trung ương. Ban Thường vụ Đảng uỷ xây dựng Kế\n"
        "hoạch như sau:\n I. MỤC ĐÍCH\n Thực hiện Kết luận số 29-KL/TU của Tỉnh ủy.\n"
    )
    assert implements(text) == [
        "27-HD/BTG@2022-08-05", "22-HD/BTG@2022-03-22", "1-KL/TW@2021-05-18", "38-KH/ĐU@2022-05-11", "37-QĐ/TW@2021-10-25",
    ]


def test_plain_opening_without_title() -> None:
    text = "Căn cứ Chỉ thị số 46-CT/TW ngày 16/5/2025 của Bộ Chính trị, Ban Thường vụ Đảng ủy ban hành kế hoạch.\nI. MỤC ĐÍCH\nTheo Chỉ thị số 28/CT-TTg."
    assert implements(text) == ["46-CT/TW@2025-05-16"]


def test_corpus_implements(corpus, gold) -> None:  # noqa: ANN001
    from pipeline.read import read

    for path in sorted(corpus.glob("*.txt")):
        doc = read(path)
        h = find_header(doc.text, doc.tables)
        got = find_implements(doc.text, find_citations(doc.text, h, doc.tables), doc.tables)
        expected = json.loads((gold / f"{path.stem}.json").read_text("utf-8"))["implements"]
        assert set(got) == set(expected), path.name


def test_other_opening_verbs() -> None:
    text = (
        "KẾ HOẠCH\nhọc tập chuyên đề năm 2024\n\nĐể cụ thể hoá Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị và "
        "Kế hoạch số 20-KH/TU ngày 10/01/2024 của Tỉnh ủy, Huyện ủy xây dựng kế hoạch như sau:\n"
        "I. MỤC ĐÍCH\nGắn với Nghị quyết số 19-NQ/HU ngày 2/2/2021 của Huyện ủy.\n"
    )
    assert implements(text) == ["5-CT/TW@2016-05-15", "20-KH/TU@2024-01-10"]
    text = "KẾ HOẠCH\nphòng chống thiên tai\n\nTriển khai Công văn số 1234/UBND-NN ngày 3/5/2024 của UBND tỉnh, UBND xã ban hành kế hoạch.\nI. MỤC ĐÍCH\n"
    assert implements(text) == ["1234/UBND-NN@2024-05-03"]


def test_letter_opening_after_the_addressees_and_its_subject_line() -> None:
    text = (
        "BỘ TÀI CHÍNH\nSố: 812/BTC-NSNN\nV/v triển khai Công văn số 77/VPCP-KTTH\ncủa Văn phòng Chính phủ\n"
        "Hà Nội, ngày 3 tháng 4 năm 2024\nKính gửi:\n- Các bộ, ngành;\n- UBND các tỉnh.\n"
        "Căn cứ Thông tư số 12/2023/TT-BTC ngày 5/3/2023 của Bộ Tài chính và xét đề nghị của Cục Thuế tại "
        "Tờ trình số 9/TTr-CT ngày 1/4/2024; Để thực hiện Kế hoạch 04-KH/BCĐ, Bộ Tài chính đề nghị:\n"
        "1. Các bộ rà soát theo Công văn số 77/VPCP-KTTH ngày 2/4/2024.\n"
    )
    assert implements(text) == ["12/2023/TT-BTC@2023-03-05", "4-KH/BCĐ", "77/VPCP-KTTH@2024-04-02"]


def test_reply_is_not_carried_out() -> None:
    text = "Kính gửi: Sở Nội vụ\nPhúc đáp Công văn số 15/SNV-TCBC ngày 2/2/2024 của Sở Nội vụ, Bộ Nội vụ có ý kiến:\n1. Về việc ..."
    assert implements(text) == []


def test_weighed_report_in_an_opening_is_not_carried_out() -> None:
    text = (
        "Kính gửi: Các sở, ngành\nCăn cứ Quyết định số 45/QĐ-BTC ngày 2/3/2024 của Bộ Tài chính; xét Báo cáo số 12/BC-STC "
        "ngày 5/6/2024 của Sở Tài chính về tình hình thu chi, Ủy ban nhân dân tỉnh yêu cầu:\n1. Các sở rà soát.\n"
    )
    assert implements(text) == ["45/QĐ-BTC@2024-03-02"]


def test_scanned_letter_addressees_read_after_the_motto() -> None:
    # OCR reads the right column (motto, place-date) between "Kính gửi:" and its list
    text = (
        "BỘ XÂY DỰNG\nSố: /BXD-KHTC\nV/v triển khai chương trình\nKính gửi:\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHà Nội, ngày tháng 4 năm 2024\n"
        "- Các bộ, cơ quan ngang bộ;\n- Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.\n"
        "Thực hiện Nghị quyết số 12/NQ-CP ngày 5/2/2024 của Chính phủ về chương trình phát triển nhà ở, "
        "Bộ Xây dựng đề nghị các bộ, địa phương thực hiện một số nội dung sau:\n"
        "1. Tiếp tục thực hiện Nghị định số 35/2023/NĐ-CP ngày 20/6/2023 của Chính phủ.\n"
    )
    doc = Document(path="", sha256="", format="txt", text=text)
    assert extract(doc).implements == ("12/NQ-CP@2024-02-05",)


def test_opening_word_damaged_by_a_stamp() -> None:
    text = (
        "TỜ TRÌNH\nđề nghị ban hành báo cáo tháng 5/2024\nKính gửi: Ủy ban nhân dân tỉnh.\n"
        "tục! hiện Quyết định số 08/QĐ-TTg ngày 10/01/2023 của Thủ tướng Chính phủ về đề án chuyển đổi số.\n"
        "Sở đã dự thảo báo cáo tháng 5/2024. Kính trình Ủy ban nhân dân tỉnh xem xét./.\n"
    )
    assert implements(text) == ["8/QĐ-TTg@2023-01-10"]


def test_every_can_cu_line_of_a_decision_short_dated_law_included() -> None:
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH BẮC KẠN\nSố: 12/QĐ-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Bắc Kạn, ngày 5 tháng 3 năm 2024\nQUYẾT ĐỊNH\nVề việc thành lập Tổ công tác\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH\n"
        "Căn cứ Luật số 41/2019/QH14 ngày 14/11/2019;\n"
        "Căn cứ Nghị định số 16/2021/NĐCP ngày 30/12/2021 của Chính phủ;\n"
        "Căn cứ Nghị quyết liên tịch số 03/2022/NQLT-UBTVQH15-CP-ĐCTUBTWMTTQVN ngày 1/2/2022;\n"
        "Xét đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 5/TTr-SNV ngày 1/3/2024.\nQUYẾT ĐỊNH:\n"
        "Điều 1. Thành lập Tổ công tác theo Quyết định số 7/QĐ-UBND.\n"
    )
    doc = Document(path="", sha256="", format="txt", text=text)
    assert extract(doc).implements == (
        "41/2019/QH14@2019-11-14", "16/2021/NĐ-CP@2021-12-30", "3/2022/NQLT-UBTVQH15-CP-ĐCTUBTWMTTQVN@2022-02-01",
    )
