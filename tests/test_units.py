"""Unit recognition: tokens with offsets, heads and stops, cutting names, splitting lists."""

from __future__ import annotations

import pytest

from pipeline.extract.units import UnitFinder, find_units, is_generic, normalised_tokens, ocr_correct, split_units, tokens


def _unit(text: str) -> str | None:
    hit = UnitFinder(text).unit_at(0, len(text))
    return text[hit[0] : hit[1]] if hit else None


def test_tokens_keep_source_spelling_and_offsets() -> None:
    text = "Uỷ ban Kiểm tra Đảng uỷ Khối: 21-KL/TW."
    spans, norms = normalised_tokens(text)
    assert [text[s:e] for s, e in spans][:6] == ["Uỷ", "ban", "Kiểm", "tra", "Đảng", "uỷ"]
    assert norms[0] == "ủy" and norms[5] == "ủy"
    assert tokens("a  b") == [(0, 1), (3, 4)]


# fmt: off
NAMES = [
    ("Ban Tổ chức Đảng ủy Khối: Chủ trì, tham mưu", "Ban Tổ chức Đảng ủy Khối"),
    ("Uỷ ban Kiểm tra Đảng ủy Khối\nChủ trì", "Uỷ ban Kiểm tra Đảng ủy Khối"),
    ("Giao Văn phòng Tỉnh ủy theo dõi, đôn đốc việc thực hiện", "Văn phòng Tỉnh ủy"),
    ("Cấp ủy các chi bộ căn cứ Kế hoạch tổ chức quán triệt", "Cấp ủy các chi bộ"),
    ("Ủy ban nhân dân các xã, phường chủ trì, phối hợp với Mặt trận Tổ quốc", "Ủy ban nhân dân các xã, phường"),
    ("Sở Văn hóa, Thể thao và Du lịch hướng dẫn các huyện", "Sở Văn hóa, Thể thao và Du lịch"),
    ("Đồng chí bí thư cấp ủy, người đứng đầu cơ quan, đơn vị trực tiếp lãnh đạo", "Đồng chí bí thư cấp ủy, người đứng đầu cơ quan, đơn vị"),
    ("Đoàn công tác theo Quyết định 82-QĐ/ĐU\n- Hỗ trợ", "Đoàn công tác theo Quyết định 82-QĐ/ĐU"),
    ("Các đoàn thể trực thuộc căn cứ Kế hoạch", "Các đoàn thể trực thuộc"),
    ("Trường Đào tạo cán bộ Nguyễn Văn Cừ: Chủ trì", "Trường Đào tạo cán bộ Nguyễn Văn Cừ"),
    ("Hội đồng nhân dân tỉnh giao Ủy ban nhân dân tỉnh tổ chức thực hiện", "Ủy ban nhân dân tỉnh"),
    ("Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội tỉnh tuyên truyền", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội tỉnh"),
    ("Công an tỉnh chủ trì bảo đảm an ninh", "Công an tỉnh"),
    ("Báo cáo Ban Thường vụ Tỉnh ủy kết quả", None),
    ("Căn cứ Kế hoạch này xây dựng kế hoạch", None),
    ("Hội nghị cán bộ toàn quốc", None),
]
# fmt: on


@pytest.mark.parametrize("text,name", NAMES)
def test_unit_names(text: str, name: str | None) -> None:
    assert _unit(text) == name


def test_verb_flag() -> None:
    text = "Ban Tuyên giáo Tỉnh ủy chỉ đạo"
    assert UnitFinder(text).unit_at(0, len(text))[3] is True
    text = "Ban Tuyên giáo Tỉnh ủy"
    assert UnitFinder(text).unit_at(0, len(text))[3] is False


def _split(text: str) -> list[str]:
    return [text[s:e] for s, e in split_units(text, 0, len(text))]


# fmt: off
LISTS = [
    ("Các đảng đoàn, ban cán sự đảng, huyện, thị, thành ủy, đảng ủy trực thuộc tỉnh, Ủy ban Mặt trận Tổ quốc và các tổ chức chính trị - xã hội",
     ["Các đảng đoàn", "ban cán sự đảng", "huyện, thị, thành ủy", "đảng ủy trực thuộc tỉnh", "Ủy ban Mặt trận Tổ quốc", "các tổ chức chính trị - xã hội"]),
    ("Chi uỷ, Chi bộ trực thuộc Đảng bộ xã", ["Chi uỷ, Chi bộ trực thuộc Đảng bộ xã"]),
    ("Cấp ủy các chi bộ, đảng bộ cơ sở", ["Cấp ủy các chi bộ, đảng bộ cơ sở"]),
    ("các Ban xây dựng Đảng, Văn phòng Đảng ủy Khối, các đoàn thể trực thuộc Đảng ủy Khối và các cấp ủy, chi bộ cơ sở",
     ["các Ban xây dựng Đảng", "Văn phòng Đảng ủy Khối", "các đoàn thể trực thuộc Đảng ủy Khối", "các cấp ủy, chi bộ cơ sở"]),
    ("Văn phòng Đảng uỷ, Cán bộ phụ trách tổ chức của Đảng uỷ", ["Văn phòng Đảng uỷ", "Cán bộ phụ trách tổ chức của Đảng uỷ"]),
    ("Sở Văn hóa, Thể thao và Du lịch, Sở Tài chính", ["Sở Văn hóa, Thể thao và Du lịch", "Sở Tài chính"]),
    ("Ủy ban nhân dân các xã, phường", ["Ủy ban nhân dân các xã, phường"]),
]
# fmt: on


@pytest.mark.parametrize("text,parts", LISTS)
def test_split_lists(text: str, parts: list[str]) -> None:
    assert _split(text) == parts


def test_shared_owner_list_kept_whole() -> None:
    text = "Thường trực, các ban, các tổ đại biểu Hội đồng nhân dân tỉnh"
    assert UnitFinder(text).split(0, len(text), "state") == [(0, len(text))]


def test_person_never_split() -> None:
    text = "Đồng chí Bí thư, Chủ tịch Ủy ban nhân dân xã"
    assert UnitFinder(text).split(0, len(text), "person") == [(0, len(text))]


def test_partners_and_roles() -> None:
    text = "Sở Nội vụ chủ trì, phối hợp với Sở Tài chính và các cơ quan liên quan tham mưu."
    f = UnitFinder(text)
    partners = [text[s:e] for s, e, *_ in f.partners_after(0, len(text))]
    assert partners == ["Sở Tài chính và các cơ quan liên quan"]
    assert f.roles(len("Sở Nội vụ"), len(text)) == ["chủ trì", "phối hợp"]


@pytest.mark.parametrize("name,generic", [("các cơ quan liên quan", True), ("các cơ quan, đơn vị", True), ("các đơn vị có liên quan", True), ("Sở Tài chính", False), ("Các đoàn thể trực thuộc", False)])
def test_generic(name: str, generic: bool) -> None:
    assert is_generic(name) is generic


def test_find_units_in_running_text() -> None:
    text = "Báo cáo về Ban Tuyên giáo Tỉnh ủy và Sở Nội vụ.\nUBND các huyện chủ trì."
    found = [(text[u.start : u.end], u.kind) for u in find_units(text)]
    assert ("Ban Tuyên giáo Tỉnh ủy và Sở Nội vụ", "party") in found
    assert ("UBND các huyện", "state") in found


def test_ocr_misreadings_of_body_names() -> None:
    text = "6. Các cấp ủy, chỉ bộ cơ sở\n1. Chi uỷ, Chi bộ trực thuộc Đảng bộ xã l\n"
    assert _split("Các cấp ủy, chỉ bộ cơ sở") == ["Các cấp ủy, chỉ bộ cơ sở"]
    assert ocr_correct("Các cấp ủy, chỉ bộ cơ sở") == "Các cấp ủy, chi bộ cơ sở"
    assert ocr_correct("Chỉ bộ Tân Phúc") == "Chi bộ Tân Phúc"
    line2 = text.index("Chi uỷ")
    f = UnitFinder(text)
    s, e, *_ = f.unit_at(line2, text.index("\n", line2))
    assert text[s:e] == "Chi uỷ, Chi bộ trực thuộc Đảng bộ xã"


# fmt: off
OTHER_WORDING = [
    ("Các chi, đảng bộ cơ sở căn cứ Kế hoạch", ["Các chi, đảng bộ cơ sở"]),
    ("Trung tâm Văn hóa - Thể thao và Truyền thông huyện chủ trì", ["Trung tâm Văn hóa - Thể thao và Truyền thông huyện"]),
    ("Công an huyện, Ban Chỉ huy Quân sự huyện phối hợp", ["Công an huyện", "Ban Chỉ huy Quân sự huyện"]),
    ("UBND các xã, thị trấn chỉ đạo", ["UBND các xã, thị trấn"]),
    ("Phòng Văn hóa - Thông tin huyện, Văn phòng HĐND - UBND huyện tham mưu", ["Phòng Văn hóa - Thông tin huyện", "Văn phòng HĐND - UBND huyện"]),
    ("Thủ trưởng các cơ quan, đơn vị chịu trách nhiệm", ["Thủ trưởng các cơ quan, đơn vị"]),
]
# fmt: on


@pytest.mark.parametrize("text,units", OTHER_WORDING)
def test_other_provinces_wording(text: str, units: list[str]) -> None:
    f = UnitFinder(text)
    s, e, kind, verb = f.unit_at(0, len(text))
    assert verb
    assert [text[a:b] for a, b in f.split(s, e, kind)] == units


def _members(text: str) -> list[str]:
    finder = UnitFinder(text)
    s, e, kind, _ = finder.unit_at(0, len(text))
    return [text[a:b] for a, b in finder.split(s, e, kind)]


# fmt: off
GENERAL_LISTS = [
    ("Phòng Lao động - Thương binh và Xã hội, Phòng Tài chính - Kế hoạch chủ trì",
     ["Phòng Lao động - Thương binh và Xã hội", "Phòng Tài chính - Kế hoạch"]),
    ("Bộ Kế hoạch và Đầu tư thực hiện", ["Bộ Kế hoạch và Đầu tư"]),
    ("Phòng Giáo dục và Đào tạo thành phố Thủ Đức và các quận, huyện thực hiện",
     ["Phòng Giáo dục và Đào tạo thành phố Thủ Đức và các quận, huyện"]),
    ("Các huyện ủy, thị ủy, thành ủy và đảng ủy trực thuộc Tỉnh ủy tổ chức quán triệt",
     ["Các huyện ủy, thị ủy, thành ủy", "đảng ủy trực thuộc Tỉnh ủy"]),
    ("Các huyện, thị, thành đoàn, đoàn trực thuộc xây dựng kế hoạch", ["Các huyện, thị, thành đoàn, đoàn trực thuộc"]),
    ("Thành ủy, Ủy ban nhân dân thành phố chỉ đạo", ["Thành ủy", "Ủy ban nhân dân thành phố"]),
    ("Ban Tuyên giáo các huyện ủy, quận ủy, đảng ủy trực thuộc Thành ủy xây dựng kế hoạch",
     ["Ban Tuyên giáo các huyện ủy, quận ủy, đảng ủy trực thuộc Thành ủy"]),
    ("Thường trực các huyện ủy, thị ủy, thành ủy, Ủy ban nhân dân tỉnh chỉ đạo",
     ["Thường trực các huyện ủy, thị ủy, thành ủy", "Ủy ban nhân dân tỉnh"]),
]

UNIT_WORDS = [
    ("Ngân hàng Chính sách xã hội huyện bố trí nguồn vốn.", "Ngân hàng Chính sách xã hội huyện"),
    ("Các bệnh viện trực thuộc Sở bố trí nhân lực.", "Các bệnh viện trực thuộc Sở"),
    ("Các tổ chức thành viên của Mặt trận phối hợp tuyên truyền.", "Các tổ chức thành viên của Mặt trận"),
    ("Các thành viên khác trong Tiểu ban thực hiện nhiệm vụ.", "Các thành viên khác trong Tiểu ban"),
    ("Các xã, phường thực hiện.", None),
]
# fmt: on


@pytest.mark.parametrize("text,parts", GENERAL_LISTS)
def test_general_list_members(text: str, parts: list[str]) -> None:
    assert _members(text) == parts


@pytest.mark.parametrize("text,name", UNIT_WORDS)
def test_general_unit_words(text: str, name: str | None) -> None:
    assert _unit(text) == name


def test_partner_list_opening_with_a_generic_member() -> None:
    text = "Chủ trì, phối hợp với các ban, Văn phòng Đảng ủy Khối tham mưu; phối hợp với Công an tỉnh trong kiểm tra."
    finder = UnitFinder(text)
    assert [text[s:e] for s, e, _, _ in finder.partners_after(0, len(text))] == ["Văn phòng Đảng ủy Khối", "Công an tỉnh"]


def test_directed_units_need_a_verb_and_a_name() -> None:
    text = "Chủ trì chỉ đạo Ủy ban nhân dân cấp xã kiểm tra; tổ chức Hội nghị giao ban Đảng ủy Khối; chỉ đạo Công an huyện."
    finder = UnitFinder(text)
    assert [text[s:e] for s, e, _, _ in finder.directed_after(0, len(text))] == ["Ủy ban nhân dân cấp xã"]


def test_requests_to_a_superior_or_sources_are_not_hand_overs() -> None:
    for text in (
        "Tham mưu đề nghị Ủy ban nhân dân tỉnh ban hành quyết định.",
        "Báo cáo Ban Thường vụ theo yêu cầu Ban Tổ chức Tỉnh ủy hướng dẫn.",
    ):
        assert UnitFinder(text).directed_after(0, len(text)) == []


def test_task_verb_inside_a_department_name() -> None:
    text = "a) Phòng Kế hoạch, tài chính và tổ chức cán bộ phối hợp rà soát biên chế."
    hit = UnitFinder(text).unit_at(3, len(text))
    assert hit and text[hit[0] : hit[1]] == "Phòng Kế hoạch, tài chính và tổ chức cán bộ"
    text = "Phòng Chính trị, Phòng Hậu cần - Kỹ thuật bảo đảm kinh phí."
    assert _members(text) == ["Phòng Chính trị", "Phòng Hậu cần - Kỹ thuật"]
    text = "3. Sở Y tế tổ chức tập huấn, chủ trì kiểm tra."
    hit = UnitFinder(text).unit_at(3, len(text))
    assert hit and text[hit[0] : hit[1]] == "Sở Y tế"


def test_commune_office_holders_and_hamlets() -> None:
    assert _unit("Công chức Văn hóa - Xã hội chủ trì tuyên truyền.") == "Công chức Văn hóa - Xã hội"
    assert _unit("Trưởng các ấp rà soát hộ nghèo.") == "Trưởng các ấp"
    assert _unit("Trưởng các tổ dân phố thống kê số hộ.") == "Trưởng các tổ dân phố"
    text = "Chủ trì, phối hợp với các ấp kiểm tra kênh mương."
    assert [text[s:e] for s, e, *_ in UnitFinder(text).partners_after(0, len(text))] == ["các ấp"]
