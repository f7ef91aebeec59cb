"""Headings and their spans: parts, items, letters, end markers, the organisation part."""

from __future__ import annotations

import pytest

from pipeline.extract.sections import enclosing, find_sections, fold, organisation_part, paragraphs

PLAN = """KẾ HOẠCH
**I- MỤC ĐÍCH, YÊU CẦU**
1. Mục đích
- Nâng cao nhận thức.
## II- NỘI DUNG
1.4 Chú trọng triển khai.
2.1. Hình thức
a) Mở đầu
b) Kết thúc
25.10.2021 không phải là mục
III- TÔ CHỨC THỰC HIỆN
1. Ban Tổ chức Tỉnh ủy: Hướng dẫn.
2. Văn phòng Tỉnh ủy
Theo dõi, đôn đốc.
Trên đây là Kế hoạch ...
Nơi nhận:
- Như trên,
T/M BAN THƯỜNG VỤ
"""


def test_heading_kinds_and_labels() -> None:
    found = [(s.kind, s.label, s.level) for s in find_sections(PLAN)]
    assert ("part", "I", 1) in found
    assert ("part", "II", 1) in found  # markdown "##" ignored
    assert ("item", "1.4", 3) in found  # "1.4 " without a final dot
    assert ("item", "2.1", 3) in found
    assert ("letter", "a", 6) in found and ("letter", "b", 6) in found
    assert ("part", "III", 1) in found  # "TÔ CHỨC" spelling slip still a part
    assert [k for k, *_ in found][-3:] == ["closing", "recipients", "signature"]
    assert not any(label.startswith("25") for _, label, _ in found)  # a date is not a label


def test_spans_close_at_same_or_higher_level() -> None:
    sections = find_sections(PLAN)
    part1 = next(s for s in sections if s.label == "I")
    part2 = next(s for s in sections if s.label == "II")
    assert part1.end == part2.start
    a = next(s for s in sections if s.label == "a")
    assert PLAN[a.start : a.end].startswith("a) Mở đầu") and "b)" not in PLAN[a.start : a.end]
    item = enclosing(sections, PLAN.index("Theo dõi"))
    assert item is not None and item.title == "Văn phòng Tỉnh ủy"


def test_organisation_part_ends_before_closing() -> None:
    part = organisation_part(PLAN)
    assert part is not None and part.label == "III"
    body = PLAN[part.start : part.end]
    assert "Ban Tổ chức Tỉnh ủy" in body and "Trên đây" not in body and "Nơi nhận" not in body


def test_organisation_article_of_a_decision() -> None:
    text = "Điều 1. Thành lập Tổ.\nĐiều 2. Nhiệm vụ của Tổ.\nĐiều 3. Văn phòng và các ông (bà) có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.\n"
    part = organisation_part(text)
    assert part is not None and part.label == "Điều 3"


def test_numbered_item_titled_organisation() -> None:
    text = "1. Mục đích\nNâng cao.\n4. Tổ chức thực hiện\nSở Tài chính chủ trì.\n"
    part = organisation_part(text)
    assert part is not None and part.label == "4"


def test_no_organisation_part() -> None:
    assert organisation_part("Thông báo\nNội dung không có phần tổ chức.") is None


def test_fold() -> None:
    assert fold("Tổ chức  thực hiện") == "TO CHUC THUC HIEN"
    assert fold("ĐẢNG ỦY") == "DANG UY"


@pytest.mark.parametrize("stem", ["000_3b1757ecb9cfc0d3", "001_748aad981df4fb60", "002_da91f612a0e083d6", "003_e0cf88b19ba32315", "004_3e1be27b5e1fb67a"])
def test_corpus_organisation_parts(corpus, stem: str) -> None:
    text = (corpus / f"{stem}.txt").read_text("utf-8")
    part = organisation_part(text)
    assert part is not None and part.kind == "part" and part.label == "III"
    items = [s for s in find_sections(text) if s.kind == "item" and part.start < s.start < part.end]
    assert len(items) >= 2


def test_paragraphs_undo_pdf_wraps_keep_offsets() -> None:
    line = "Chủ trì, tham mưu cho Ban Thường vụ Đảng ủy Khối chỉ đạo, triển khai thực hiện một"
    text = (
        "III. TỔ CHỨC THỰC HIỆN\n1. Ban Tổ chức Đảng ủy Khối\n"
        f"{line}\nsố nội dung trọng tâm sau:\n"
        f"- {line[:-4]}\nBan Thường vụ Đảng ủy Khối ban hành quy định cấp ủy các cấp\n\n\n"
        "của cơ quan, đơn vị.\n"
        f"- {line}\n- {line}\n- {line}\n"
    )
    out = paragraphs(text)
    assert len(out) == len(text)
    assert "1. Ban Tổ chức Đảng ủy Khối\nChủ trì" in out  # a heading line stays a line
    assert f"{line} số nội dung" in out  # lower-case continuation
    assert f"{line[:-4]} Ban Thường vụ" in out  # a full line ending without punctuation
    assert "các cấp   của cơ quan" in out  # across a page break


def test_paragraphs_keep_lines_of_paragraph_formats() -> None:
    text = "1. Các đảng đoàn, ban cán sự đảng, huyện, thị, thành ủy và các tổ chức chính trị - xã hội tỉnh\nTổ chức quán triệt.\n- Ngắn.\n"
    assert paragraphs(text) == text


def test_other_titles_of_the_organisation_part() -> None:
    text = "I. MỤC ĐÍCH\nNâng cao.\nIV. TRÁCH NHIỆM THỰC HIỆN\n1. Sở Nội vụ chủ trì.\n"
    part = organisation_part(text)
    assert part is not None and part.label == "IV"


def test_ocr_roman_label_and_task_items() -> None:
    text = (
        "II. NHIỆM VỤ\n5. Tổ chức thực hiện việc lấy phiếu tín nhiệm đối với thành viên lãnh đạo cấp ủy.\n"
        "lII. TỔ CHỨC THỰC HIỆN\n1. Ban Tổ chức Tỉnh ủy chủ trì.\n"
    )
    part = organisation_part(text)
    assert part is not None and (part.kind, part.label) == ("part", "III")


def test_paragraphs_keep_an_ocr_roman_heading() -> None:
    text = "- Giữ vững nguyên tắc (thực hiện thường xuyên).\n\n\nlII. TỔ CHỨC THỰC HIỆN\n1. Ban Tổ chức\n"
    assert paragraphs(text) == text
    part = organisation_part(paragraphs(text))
    assert part is not None and part.label == "III"
