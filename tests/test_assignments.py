"""Assignments: only the organisation part, one entry per unit, roles and deadlines."""

from __future__ import annotations

from pipeline.extract.assignments import find_assignments
from pipeline.extract.deadlines import find_deadlines
from pipeline.extract.header import find_header
from pipeline.models import Header
from tests.helpers_extract_b import corpus_cases, make_doc, micro_f1, norm

PLAN = """KẾ HOẠCH
I. MỤC ĐÍCH, YÊU CẦU
Ban Tuyên giáo Tỉnh ủy chủ trì tuyên truyền (không phải phần tổ chức thực hiện).
II. NỘI DUNG
1. Các chi bộ tổ chức sinh hoạt hằng tháng.
III. TỔ CHỨC THỰC HIỆN
1. Ủy ban nhân dân các xã, phường chủ trì, phối hợp với Mặt trận Tổ quốc tổ chức tuyên truyền (hoàn thành trong Quý II/2024).
2. Giao Văn phòng Tỉnh ủy theo dõi, đôn đốc việc thực hiện Kế hoạch; báo cáo Ban Thường vụ trước ngày 15/12/2024.
3. Sở Văn hóa, Thể thao và Du lịch: Hướng dẫn các huyện tổ chức các hoạt động; định kỳ hằng quý báo cáo.
4. Công an tỉnh
- Chủ trì, phối hợp với các cơ quan liên quan bảo đảm an ninh, trật tự.
- Đồng chí Giám đốc Công an tỉnh trực tiếp chỉ đạo và chịu trách nhiệm.
5. Các đảng đoàn, ban cán sự đảng, huyện, thị, thành ủy và các tổ chức chính trị - xã hội tỉnh
Tổ chức quán triệt. Báo cáo Ban Thường vụ Tỉnh ủy (qua Ban Tuyên giáo Tỉnh ủy) vào cuối tháng 6/2024.
Nơi nhận:
- Ban Tổ chức Tỉnh ủy,
- Lưu VP.
"""


def _by_unit():
    doc = make_doc(PLAN)
    header = Header(date="2024-03-01")
    return {a.unit: a for a in find_assignments(doc, header, find_deadlines(doc, header))}


def test_units_of_the_organisation_part_only() -> None:
    units = set(_by_unit())
    assert units == {
        "Ủy ban nhân dân các xã, phường", "Mặt trận Tổ quốc", "Văn phòng Tỉnh ủy",
        "Sở Văn hóa, Thể thao và Du lịch", "Công an tỉnh", "Đồng chí Giám đốc Công an tỉnh",
        "Các đảng đoàn", "ban cán sự đảng", "huyện, thị, thành ủy", "các tổ chức chính trị - xã hội tỉnh",
    }  # not: Ban Tuyên giáo (part I), Ban Thường vụ (receives reports), generic partners, Nơi nhận


def test_roles() -> None:
    a = _by_unit()
    assert a["Ủy ban nhân dân các xã, phường"].role == "chủ trì, phối hợp"
    assert a["Mặt trận Tổ quốc"].role == "phối hợp"
    assert a["Văn phòng Tỉnh ủy"].role == "theo dõi, đôn đốc"
    assert a["Sở Văn hóa, Thể thao và Du lịch"].role == "hướng dẫn"
    assert a["Đồng chí Giám đốc Công an tỉnh"].role == "chỉ đạo, chịu trách nhiệm"
    assert a["Các đảng đoàn"].role == "thực hiện"


def test_deadlines_of_each_unit() -> None:
    a = _by_unit()
    office = a["Văn phòng Tỉnh ủy"]
    assert office.deadline == "trước ngày 15/12/2024"
    assert (office.deadline_start, office.deadline_end) == (None, "2024-12-15")
    assert a["Ủy ban nhân dân các xã, phường"].deadline == "hoàn thành trong Quý II/2024"
    assert a["Sở Văn hóa, Thể thao và Du lịch"].deadline == "định kỳ hằng quý"
    assert a["Công an tỉnh"].deadline is None
    assert a["huyện, thị, thành ủy"].deadline == "vào cuối tháng 6/2024"


def test_evidence_and_task() -> None:
    a = _by_unit()["Văn phòng Tỉnh ủy"]
    assert PLAN[a.offset :].startswith("Văn phòng Tỉnh ủy theo dõi")
    assert a.sentence.startswith("2. Giao Văn phòng Tỉnh ủy theo dõi")
    assert a.task.startswith("theo dõi, đôn đốc việc thực hiện Kế hoạch")


def test_one_entry_per_unit_heading_spelling_kept() -> None:
    text = (
        "III. TỔ CHỨC THỰC HIỆN\n"
        "Các ban, các đoàn thể trực thuộc Đảng ủy Khối và các cấp ủy chủ động ban hành văn bản.\n"
        "1. Các đoàn thể trực thuộc Đảng ủy Khối\n- Thường xuyên tuyên truyền.\n"
    )
    doc = make_doc(text)
    found = find_assignments(doc, Header(), find_deadlines(doc, Header()))
    names = [a.unit for a in found]
    assert names.count("Các đoàn thể trực thuộc Đảng ủy Khối") == 1
    assert "các đoàn thể trực thuộc Đảng ủy Khối" not in names


def _names(text: str) -> list[str]:
    """The units found in a hand-written text under an empty header, no deadlines."""
    return [a.unit for a in find_assignments(make_doc(text), Header(), ())]


def test_decision_article() -> None:
    text = (
        "Điều 1. Thành lập Tổ tiếp công dân.\nĐiều 2. Nhiệm vụ của Tổ.\n"
        "Điều 3. Văn phòng Ủy ban nhân dân xã, các bộ phận chuyên môn thuộc Ủy ban nhân dân xã và "
        "các ông (bà) có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.\n"
    )
    assert _names(text) == [
        "Văn phòng Ủy ban nhân dân xã", "các bộ phận chuyên môn thuộc Ủy ban nhân dân xã", "các ông (bà) có tên tại Điều 1",
    ]


def test_no_organisation_part() -> None:
    doc = make_doc("Thông báo\nBan Tổ chức Tỉnh ủy chủ trì.")
    assert find_assignments(doc, Header(), ()) == ()


def test_corpus_micro_f1_by_unit(corpus) -> None:
    pairs = [
        ({norm(a.unit) for a in find_assignments(doc, header, find_deadlines(doc, header))}, {norm(a["unit"]) for a in g["assignments"]})
        for doc, header, g in corpus_cases(corpus)
    ]
    assert micro_f1(pairs) >= 0.9


def test_generic_subject_heading_kept_generic_partner_dropped() -> None:
    text = (
        "III. TỔ CHỨC THỰC HIỆN\n1. Các cơ quan, đơn vị\nCăn cứ Kế hoạch xây dựng kế hoạch.\n"
        "2. Sở Nội vụ chủ trì, phối hợp với các cơ quan, đơn vị tham mưu.\n"
    )
    assert _names(text) == ["Các cơ quan, đơn vị", "Sở Nội vụ"]


def test_docx_and_pdf_renders_give_the_text_units_and_deadlines(corpus) -> None:
    from pipeline.read import read
    from tests.conftest import SAMPLE

    for path in sorted(corpus.glob("*.txt")):
        results = []
        for render in (path, SAMPLE / "docx" / f"{path.stem}.docx", SAMPLE / "pdf" / f"{path.stem}.pdf"):
            doc = read(render)
            header = find_header(doc.text, doc.tables)
            deadlines = find_deadlines(doc, header)
            units = {norm(a.unit) for a in find_assignments(doc, header, deadlines)}
            results.append((units, {(d.start, d.end) for d in deadlines}))
        assert results[1] == results[0] and results[2] == results[0], path.stem


def test_heading_over_its_members_is_a_label() -> None:
    text = (
        "III. TỔ CHỨC THỰC HIỆN\n1. Ban Thường trực Ủy ban MTTQ xã\n"
        "- Đồng chí Chủ tịch Ủy ban MTTQ xã lãnh đạo, chỉ đạo chung.\n"
        "- Các đồng chí Phó Chủ tịch Ủy ban MTTQ xã chỉ đạo thực hiện.\n"
        "2. Cán bộ phụ trách lĩnh vực giám sát và phản biện xã hội\n- Tham mưu xây dựng Kế hoạch.\n"
        "3. Các cấp ủy đảng trực thuộc Thành ủy: thực hiện.\n4. Các cấp ủy trực thuộc Thành ủy chỉ đạo.\n"
        "5. Chuyên viên chủ trì, phối hợp với các thành viên khác trong tổ thực hiện.\n"
    )
    assert _names(text) == [
        "Đồng chí Chủ tịch Ủy ban MTTQ xã",
        "Các đồng chí Phó Chủ tịch Ủy ban MTTQ xã",
        "Cán bộ phụ trách lĩnh vực giám sát và phản biện xã hội",
        "Các cấp ủy đảng trực thuộc Thành ủy",  # "cấp ủy đảng" is "cấp ủy": one entry
        "Chuyên viên",  # members of the team are no named partner
    ]


_PIECES = [
    "III. TỔ CHỨC THỰC HIỆN\n", "1. ", "Ban Tổ chức ", "Đảng ủy Khối", ": ", "chủ trì, ", "phối hợp với ", "các ", "(",
    "trước ngày ", "30/6/2022", "tháng 3/2022", "Quý II", "cuối năm", ", ", "; ", "\n", "- ", "và ", "100%", "02 lần/năm",
    "Điều 3. ", "thường xuyên", "từ ", "đến ", "năm 2022", "Giao ", "Đồng chí ", "Nơi nhận:\n", "**", "“", "”", "xã, phường",
]


def test_never_crash_on_arbitrary_text() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from pipeline.extract.numbers import find_numbers

    @settings(max_examples=150, deadline=None)
    @given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=4), max_size=30), st.sampled_from([None, "2022-03-03"]))
    def check(parts: list[str], date: str | None) -> None:
        doc = make_doc("".join(parts))
        header = Header(date=date)
        deadlines = find_deadlines(doc, header)
        find_numbers(doc)
        for a in find_assignments(doc, header, deadlines):
            assert a.unit and doc.text[a.offset : a.offset + 1].strip()

    check()


def test_state_plan_with_sub_items_partners_and_heading_lists() -> None:
    text = (
        "IV. TỔ CHỨC THỰC HIỆN\n1. Sở Nội vụ\n"
        "a) Chủ trì, phối hợp với Sở Tài chính, Sở Tư pháp tham mưu UBND tỉnh ban hành Quyết định trước ngày 30/6/2024.\n"
        "b) Định kỳ 6 tháng, hằng năm tổng hợp, báo cáo UBND tỉnh.\n"
        "2. Các sở, ban, ngành, đoàn thể tỉnh; UBND các huyện, thị xã, thành phố\n"
        "- Căn cứ chức năng, nhiệm vụ, xây dựng kế hoạch triển khai trong Quý III/2024.\n"
        "3. Báo Quảng Trị, Đài Phát thanh - Truyền hình tỉnh: mở chuyên mục tuyên truyền.\nNơi nhận:\n"
    )
    doc = make_doc(text)
    header = Header(date="2024-03-01")
    found = {a.unit: a for a in find_assignments(doc, header, find_deadlines(doc, header))}
    assert list(found) == [
        "Sở Nội vụ", "Sở Tài chính", "Sở Tư pháp", "Các sở, ban, ngành, đoàn thể tỉnh",
        "UBND các huyện, thị xã, thành phố", "Báo Quảng Trị", "Đài Phát thanh - Truyền hình tỉnh",
    ]
    assert found["Sở Nội vụ"].role == "chủ trì, phối hợp"
    assert found["Sở Nội vụ"].deadline == "trước ngày 30/6/2024; Định kỳ; hằng năm"
    assert found["Sở Tài chính"].role == "phối hợp"
    assert found["UBND các huyện, thị xã, thành phố"].deadline_end == "2024-09-30"


def _units_of(text: str) -> list[str]:
    doc = make_doc(text)
    header = Header(date="2024-03-01")
    return [a.unit for a in find_assignments(doc, header, find_deadlines(doc, header))]


def test_units_directed_by_another_unit_inside_its_clause() -> None:
    units = _units_of(
        "III. TỔ CHỨC THỰC HIỆN\n"
        "1. Ban cán sự đảng Ủy ban nhân dân huyện lãnh đạo, chỉ đạo Công an huyện phối hợp thực hiện.\n"
        "2. Giao Ủy ban nhân dân các huyện chỉ đạo Ủy ban nhân dân cấp xã kiểm tra, xử lý vi phạm.\n"
        "3. Văn phòng Huyện ủy chủ trì tham mưu tổ chức Hội nghị giao ban Đảng ủy Khối các cơ quan tỉnh.\n"
        "Nơi nhận:\n"
    )
    assert units == [
        "Ban cán sự đảng Ủy ban nhân dân huyện", "Công an huyện", "Ủy ban nhân dân các huyện",
        "Ủy ban nhân dân cấp xã", "Văn phòng Huyện ủy",
    ]


def test_closing_appeal_repeating_a_listed_unit_adds_none() -> None:
    units = _units_of(
        "III. TỔ CHỨC THỰC HIỆN\n1. Các chi bộ trực thuộc xây dựng kế hoạch thực hiện.\n"
        "2. Đoàn Thanh niên xã hỗ trợ đảng viên.\nĐề nghị các chi bộ nghiêm túc triển khai thực hiện./.\nNơi nhận:\n"
    )
    assert units == ["Các chi bộ trực thuộc", "Đoàn Thanh niên xã"]


def test_partners_on_the_next_line_and_after_a_generic_member() -> None:
    units = _units_of(
        "III. TỔ CHỨC THỰC HIỆN\na) Ban Tổ chức Thị ủy\n- Chủ trì, phối hợp với Văn phòng Thị ủy tham mưu báo cáo.\n"
        "b) Ban Tuyên giáo Thị ủy chủ trì, phối hợp với các ban, Ủy ban Kiểm tra Thị ủy tuyên truyền.\n"
        "c) Phòng Giáo dục và Đào tạo các huyện phối hợp với Trung tâm Y tế cùng cấp triển khai.\nNơi nhận:\n"
    )
    assert units == [
        "Ban Tổ chức Thị ủy", "Văn phòng Thị ủy", "Ban Tuyên giáo Thị ủy", "Ủy ban Kiểm tra Thị ủy",
        "Phòng Giáo dục và Đào tạo các huyện",
    ]


# Issue 13 (made-up wording): where a letter, a decision, a notice or a task table tells units to act.
def _units(text: str, doc_type: str | None, issuer: str | None = None, tables: tuple = ()) -> list[str]:
    from pipeline.models import Document

    doc = Document("t.txt", "x", "txt", text, tables=tables)
    header = Header(doc_type=doc_type, issuer=issuer)
    return [a.unit for a in find_assignments(doc, header, find_deadlines(doc, header))]


def test_letter_body_hands_over_and_requests() -> None:
    text = (
        "SỞ Y TẾ\nSố: 12/SYT-NV\nV/v phòng chống dịch\nKính gửi:\n- UBND các huyện;\n- Bệnh viện Đa khoa tỉnh.\n"
        "Thực hiện Công văn số 45/UBND-VX ngày 2/3/2024 của UBND tỉnh, Sở Y tế nhận được ý kiến và đề nghị "
        "Ủy ban nhân dân các huyện khẩn trương rà soát các ổ dịch; giao Trung tâm Kiểm soát bệnh tật tỉnh chủ trì, "
        "phối hợp với Bệnh viện Đa khoa tỉnh tổ chức giám sát.\nSở Y tế trân trọng cảm ơn./.\nNơi nhận:\n- Như trên;\n"
    )
    assert _units(text, "Công văn", "Sở Y tế") == [
        "Ủy ban nhân dân các huyện", "Trung tâm Kiểm soát bệnh tật tỉnh", "Bệnh viện Đa khoa tỉnh",
    ]  # the issuer speaking ("Sở Y tế nhận được", "trân trọng cảm ơn") is not told to act


def test_labelled_fields_of_a_task_list() -> None:
    text = (
        "Kính gửi: Các sở, ngành\n1. Nâng cấp đường giao thông nông thôn.\n- Đơn vị chủ trì thực hiện: Sở Xây dựng.\n"
        "- Đơn vị phối hợp: Công an tỉnh; UBND các huyện, thị xã.\n- Thời gian hoàn thành: Quý III/2026.\n"
    )
    assert _units(text, "Công văn") == ["Sở Xây dựng", "Công an tỉnh", "UBND các huyện, thị xã"]


def test_decision_charges_and_its_execution_list() -> None:
    text = (
        "QUYẾT ĐỊNH:\nĐiều 1. Thành lập Đoàn kiểm tra liên ngành (gọi tắt là Đoàn kiểm tra), gồm các ông (bà):\n"
        "1. Ông Lê Văn Bình - Phó Giám đốc Sở Tài chính, Trưởng đoàn.\n2. Bà Trần Thị Hoa - Chuyên viên Sở Y tế.\n"
        "Điều 2. Đoàn kiểm tra có nhiệm vụ kiểm tra việc quản lý giá tại các chợ; giao Sở Tài chính bố trí kinh phí.\n"
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.\n"
        "Điều 4. Chánh Văn phòng UBND huyện, Trưởng phòng Nội vụ; Chủ tịch UBND các xã và các ông (bà) có tên tại "
        "Điều 1 chịu trách nhiệm thi hành Quyết định này./.\n"
    )
    assert _units(text, "Quyết định") == [
        "Đoàn kiểm tra", "Sở Tài chính", "Chánh Văn phòng UBND huyện", "Trưởng phòng Nội vụ", "Chủ tịch UBND các xã",
        "các ông (bà) có tên tại Điều 1",
    ]  # the founding article's members are charged only by the last article


def test_notice_hands_over_by_item_and_names_no_presiding_official() -> None:
    text = (
        "Ngày 5/3/2026, đồng chí Lê Văn Tâm - Phó Chủ tịch UBND tỉnh chủ trì cuộc họp. Sau khi nghe báo cáo, "
        "đồng chí Lê Văn Tâm kết luận và chỉ đạo như sau:\n1. Giao Sở Giao thông vận tải:\na) Rà soát hồ sơ.\n"
        "2. Các sở, ban, ngành; UBND các huyện\n- Phối hợp Ban Quản lý dự án đầu tư xây dựng tỉnh hoàn thành trước ngày 30/6/2026.\n"
    )
    assert _units(text, "Thông báo") == [
        "Sở Giao thông vận tải", "Các sở, ban, ngành", "UBND các huyện", "Ban Quản lý dự án đầu tư xây dựng tỉnh",
    ]


def test_responsibility_column_of_a_task_table() -> None:
    from pipeline.models import Table

    rows = (("TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian"), ("1", "Rà soát quy hoạch", "Sở Xây dựng", "Quý I/2026"),
            ("2", "Kiểm tra cơ sở", "Lãnh đạo Công an tỉnh; UBND các huyện", "Quý II/2026"))  # fmt: skip
    head = "IV. TỔ CHỨC THỰC HIỆN\nPhân công cụ thể theo bảng sau:\n"
    lines = [" | ".join(r) for r in rows]
    text = head + "\n".join(lines) + "\n"
    starts = tuple(len(head) + sum(len(x) + 1 for x in lines[:i]) for i in range(len(lines)))
    table = Table(0, len(head), len(text) - 1, rows, starts)
    assert _units(text, "Kế hoạch", tables=(table,)) == ["Sở Xây dựng", "Lãnh đạo Công an tỉnh", "UBND các huyện"]


def test_list_quantifier_reaches_class_members_and_aliases_name_a_body() -> None:
    text = (
        "QUYẾT ĐỊNH:\nĐiều 1. Thành lập Ban Chỉ đạo phòng chống thiên tai huyện (sau đây gọi là Ban Chỉ đạo).\n"
        "Điều 2. Ban Chỉ đạo có nhiệm vụ điều hành công tác ứng phó; các phòng, ban, đơn vị chuyên môn thuộc UBND huyện, "
        "đoàn thể phối hợp thực hiện.\nĐiều 3. Các phòng, ban, đoàn thể và Công an huyện chịu trách nhiệm thi hành Quyết định này.\n"
    )
    assert _units(text, "Quyết định") == [
        "Ban Chỉ đạo", "các phòng, ban", "các đơn vị chuyên môn thuộc UBND huyện", "các đoàn thể", "Công an huyện",
    ]  # "ban, đơn vị ..." and "ban, đoàn thể" split, each member under the list's "các"


def test_located_department_heads_office_holders_and_an_apposition() -> None:
    text = (
        "V. TỔ CHỨC THỰC HIỆN\n"
        "1. Giao Phòng 3, Cục Quản lý thị trường, Bộ Công Thương - đơn vị đầu mối của Đoàn kiểm tra liên ngành chủ trì, "
        "phối hợp với các đơn vị tổ chức thực hiện.\n"
        "2. Đề nghị lãnh đạo các cơ quan, đơn vị quan tâm chỉ đạo triển khai Kế hoạch này.\n"
        "3. Sở Công Thương phối hợp với Sở Tài chính, Nhà đầu tư và các đơn vị liên quan rà soát hồ sơ.\n"
    )
    assert _units(text, "Kế hoạch") == [
        "Phòng 3, Cục Quản lý thị trường, Bộ Công Thương",  # one unit: its parents locate it; the apposition is cut
        "lãnh đạo các cơ quan, đơn vị",  # the heads of the bodies named after "lãnh đạo"
        "Sở Công Thương", "Sở Tài chính", "Nhà đầu tư",
    ]


def test_one_body_written_two_ways_is_one_unit() -> None:
    text = (
        "III. TỔ CHỨC THỰC HIỆN\n"
        "1. Ủy ban nhân dân cấp huyện chủ trì rà soát danh sách.\n"
        "2. Sở Nội vụ hướng dẫn Ủy ban nhân dân các huyện, thị xã triển khai.\n"
        "3. Các cơ quan, đơn vị, địa phương báo cáo kết quả trước ngày 15/12/2026.\n"
        "4. UBND tỉnh giao các Hội Nông dân huyện phối hợp thực hiện; đề nghị Hội Nông dân huyện báo cáo định kỳ.\n"
        "Đề nghị các cơ quan, địa phương nghiêm túc triển khai thực hiện.\n"
    )
    assert _units(text, "Kế hoạch") == [
        "Ủy ban nhân dân cấp huyện",  # = "Ủy ban nhân dân các huyện, thị xã", listed under its first form
        "Sở Nội vụ", "Các cơ quan, đơn vị, địa phương",  # the closing appeal names part of that class again
        "các Hội Nông dân huyện",  # = "Hội Nông dân huyện"
    ]


def test_letter_quotes_another_commits_itself_and_sends_for_action() -> None:
    text = (
        "BỘ TÀI CHÍNH\nSố: 15/BTC-NSNN\nV/v trả lời Sở Tài chính\nKính gửi: Sở Tài chính tỉnh Bình Minh\n"
        "Bộ Tài chính nhận được Công văn số 12/STC-NS của Sở Tài chính tỉnh Bình Minh như sau:\n"
        "“Ngày 2/9/2025, UBND huyện An Phú đề nghị Sở Tài chính hướng dẫn việc lập dự toán;\n"
        "qua nghiên cứu, Sở Tài chính đề nghị Bộ Tài chính hướng dẫn.”\n"
        "Bộ Tài chính có ý kiến như sau:\n1. Việc lập dự toán thực hiện theo quy định.\n"
        "(Bộ Tài chính sẽ tổ chức tập huấn trong quý IV/2025).\n"
        "Trên đây là ý kiến của Bộ Tài chính gửi Sở Tài chính tỉnh Bình Minh biết, thực hiện./.\nNơi nhận:\n- Như trên;\n"
    )
    assert _units(text, "Công văn", issuer="Bộ Tài chính") == ["Bộ Tài chính", "Sở Tài chính tỉnh Bình Minh"]


def test_role_columns_and_cells_that_only_name() -> None:
    from pipeline.models import Table

    rows = (("TT", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Theo dõi, đôn đốc"),
            ("1", "Rà soát trụ sở", "Các sở, ban, ngành, địa phương", "Các đơn vị có trụ sở trên địa bàn", "Sở Tài chính"),
            ("2", "Sắp xếp trường học", "Sở Tài chính", "Cơ quan quản lý cấp trên của trường công lập; các cơ quan liên quan", ""))  # fmt: skip
    head = "III. TỔ CHỨC THỰC HIỆN\nPhân công theo bảng sau:\n"
    lines = [" | ".join(r) for r in rows]
    text = head + "\n".join(lines) + "\n"
    starts = tuple(len(head) + sum(len(x) + 1 for x in lines[:i]) for i in range(len(lines)))
    table = Table(0, len(head), len(text) - 1, rows, starts)
    assert _units(text, "Kế hoạch", tables=(table,)) == [
        "Các sở, ban, ngành", "các địa phương", "Các đơn vị có trụ sở trên địa bàn", "Sở Tài chính",
        "Cơ quan quản lý cấp trên của trường công lập",
    ]  # a column of role words assigns; a cell names to its end; "các" reaches a class; generic partners go


def test_main_clause_after_a_condition_and_no_narration() -> None:
    text = (
        "HƯỚNG DẪN\nTổ chức hội nghị chi hội\n1. Nếu đã có ý kiến của cơ quan (Sở Y tế, Sở Giáo dục) thì làm theo.\n"
        "2. Để chuẩn bị tài liệu, Ban Chấp hành các chi hội cần họp thống nhất.\n"
        "3. Sau khi kết thúc hội nghị, Ban Chấp hành lâm thời gửi biên bản về Trung ương Hội.\n"
        "4. Ban Kiểm tra đã ban hành quy chế. Văn phòng Trung ương Hội là cơ quan giúp việc.\n"
    )
    assert _units(text, "Hướng dẫn") == ["Ban Chấp hành các chi hội", "Ban Chấp hành lâm thời"]
    # a plan type without an organisation part tells throughout; a comma inside brackets opens no clause


def test_places_written_once_and_a_report_assigns_in_its_proposals() -> None:
    letter = "Kính gửi: Các tỉnh\n1. Đề nghị UBND tỉnh Hà Giang, Cao Bằng và Lào Cai phối hợp chuẩn bị địa điểm.\n"
    assert _units(letter, "Công văn") == ["UBND tỉnh Hà Giang", "UBND tỉnh Cao Bằng", "UBND tỉnh Lào Cai"]
    report = (
        "BÁO CÁO\nKết quả công tác quý I\nI. KẾT QUẢ\n- Sở Y tế chủ trì tổ chức tiêm chủng cho trẻ em.\n"
        "II. KIẾN NGHỊ, ĐỀ XUẤT\n1. Đề nghị Sở Tài chính bố trí kinh phí.\n"
    )
    assert _units(report, "Báo cáo") == ["Sở Tài chính"]  # what the report narrates is done


def test_task_part_of_a_plan_whose_organisation_part_names_no_unit() -> None:
    plan = (
        "KẾ HOẠCH\nPhòng chống dịch năm 2026\nI. MỤC TIÊU, NHIỆM VỤ\n1. Tiêm chủng\n- Tiêm đủ liều cho trẻ em.\n"
        "- Giao Sở Y tế chủ trì tổ chức tiêm chủng.\nII. TỔ CHỨC THỰC HIỆN\n1. Công tác triển khai\n"
        "Các sở, ban, ngành xây dựng kế hoạch thực hiện.\n2. Kinh phí thực hiện\nKinh phí từ ngân sách nhà nước.\n"
    )
    assert _units(plan, "Kế hoạch") == ["Sở Y tế", "Các sở, ban, ngành"]
    by_unit = plan.replace("1. Công tác triển khai\n", "1. Sở Tài chính bố trí kinh phí.\n")
    assert _units(by_unit, "Kế hoạch") == ["Sở Tài chính", "Các sở, ban, ngành"]  # it allocates by unit there only
