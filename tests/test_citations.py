"""Citations: hand-written sentences in the styles of many provinces, plus the corpus."""

from __future__ import annotations

import pytest

from pipeline.extract.citations import find_citations
from pipeline.extract.shortforms import ShortForm, resolve_unique
from pipeline.models import Header, Table


def keys(text: str, own: Header | None = None) -> list[str]:
    return [c.key for c in find_citations(text, own) if c.resolved]


def one(text: str):  # noqa: ANN201
    (c,) = [c for c in find_citations(text) if c.resolved]
    return c


# fmt: off
FORMS = [
    # Party symbols, spaced and dashed every way
    ("Thực hiện Kết luận số 21- KL/TW, ngày 25/10/2021 của BCH Trung ương Đảng", "21-KL/TW@2021-10-25"),
    ("sơ kết 5 năm thực hiện Chỉ thị số 27 - CT/TW, ngày 10/01/2019 của Bộ Chính trị", "27-CT/TW@2019-01-10"),
    ("tiếp tục thực hiện Chỉ thị số 05 – CT/TW, ngày 15/5/2016 của Bộ Chính trị", "5-CT/TW@2016-05-15"),
    ("Chương trình hành động số 18-CTr/TU, ngày 06/4/1999 của Ban Thường vụ Tỉnh ủy", "18-CTr/TU@1999-04-06"),
    ("theo Quyết định số 05-QĐ/ThU ngày 02/3/2020 của Thị ủy Sơn Tây", "5-QĐ/ThU@2020-03-02"),
    ("Hướng dẫn số 08 –HD/BTCTU ngày 16/8/2017 về việc trao huy hiệu", "8-HD/BTCTU@2017-08-16"),
    # State symbols
    ("Căn cứ Nghị định số 35/2022/NĐ-CP ngày 28/5/2022 của Chính phủ", "35/2022/NĐ-CP@2022-05-28"),
    ("Quyết định số 1074/QĐ-BXD ngày 12-10-2023 của Bộ Xây dựng", "1074/QĐ-BXD@2023-10-12"),
    ("Kế hoạch số 134 /KH-UBND ngày 05.6.2023 của UBND tỉnh Bắc Giang", "134/KH-UBND@2023-06-05"),
    ("Chỉ thị số 28/CT-TTg, ngày 18/9/2025 của Thủ tướng Chính phủ", "28/CT-TTg@2025-09-18"),
    ("Kế hoạch số 16/KH-MTTQ-BTT ngày 18/11/2025 của Ban Thường trực", "16/KH-MTTQ-BTT@2025-11-18"),
    ("Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;", "72/2025/QH15"),
    # dates written in words, glued, or only the year
    ("Nghị quyết số 09-NQ/TU ngày 15 tháng 3 năm 2023 của Tỉnh ủy Lạng Sơn", "9-NQ/TU@2023-03-15"),
    ("Kế hoạch số 40-KH/ĐUK, ngày 03 tháng 3 năm 2022 của Đảng ủy Khối", "40-KH/ĐUK@2022-03-03"),
    ("Chương trình số 11-CTr/TU năm 2021 của Thành ủy", "11-CTr/TU@2021"),
    ("Quy định 02-QĐ/ĐUK, ngày 10/2/2022 Ban Thường vụ Đảng ủy Khối về trách nhiệm", "2-QĐ/ĐUK@2022-02-10"),
    # a symbol with no type word
    ("theo tinh thần 29-KL/TU ngày 22/7/2021", "29-KL/TU@2021-07-22"),
]
# fmt: on


@pytest.mark.parametrize("text,key", FORMS)
def test_forms(text: str, key: str) -> None:
    assert keys(text) == [key]


def test_type_issuer_and_fields() -> None:
    c = one("Thực hiện Kết luận số 21-KL/TW, ngày 25/10/2021 của Ban Chấp hành Trung ương Đảng (khóa XIII) về ...")
    assert (c.doc_type, c.symbol, c.date, c.issuer) == ("Kết luận", "21-KL/TW", "2021-10-25", "Ban Chấp hành Trung ương")
    assert (c.number, c.type_code, c.issuer_code, c.year) == ("21", "KL", "TW", 2021)
    c = one("Kế hoạch 38-KH/ĐU ngày 11/5/2022 của BTV Đảng uỷ; Quy định ...")
    assert c.issuer == "Ban Thường vụ Đảng ủy"
    c = one("Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị khoá XII “về đẩy mạnh...”")
    assert (c.symbol, c.issuer) == ("05-CT/TW", "Bộ Chính trị")
    c = one("Nghị quyết số 03-NQ/TW, ngày 26/6/1992 Hội nghị Trung ương 3 khóa VII về một số nhiệm vụ")
    assert c.issuer == "Hội nghị Trung ương 3 khóa VII"
    c = one("Luật Ngân sách nhà nước số 83/2015/QH13 được sửa đổi")
    assert (c.doc_type, c.date, c.year) == ("Luật", None, 2015)


def test_line_breaks_inside_a_citation() -> None:
    text = "các quy định như Kết luận số 14-KL/TW, ngày\n22/9/2021 của Bộ Chính trị về chủ trương; Kết luận\nsố 01, ngày 18/5/2021 của\nBộ Chính trị về tiếp tục"
    cits = find_citations(text)
    assert [c.key for c in cits] == ["14-KL/TW@2021-09-22", "1-KL/TW@2021-05-18"]
    assert cits[0].issuer == "Bộ Chính trị"


def test_mentions_merge_and_carry_evidence() -> None:
    text = (
        "Thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị. Tổ chức học tập.\n"
        "Tiếp tục thực hiện Chỉ thị số 05 – CT/TW, ngày 15/5/2016 của Bộ Chính trị về đẩy mạnh học tập."
    )
    (c,) = find_citations(text)
    assert c.key == "5-CT/TW@2016-05-15"
    assert [m.sentence for m in c.mentions] == [
        "Thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị.",
        "Tiếp tục thực hiện Chỉ thị số 05 – CT/TW, ngày 15/5/2016 của Bộ Chính trị về đẩy mạnh học tập.",
    ]
    for m in c.mentions:
        assert text[m.start : m.end].startswith("Chỉ thị số 05")


def test_same_symbol_two_dates_are_two_documents() -> None:
    text = "Kế hoạch số 15-KH/HU ngày 20/4/2023 của Huyện ủy; Kế hoạch số 15-KH/HU ngày 12/9/2021 của Huyện ủy."
    assert keys(text) == ["15-KH/HU@2023-04-20", "15-KH/HU@2021-09-12"]


def test_own_symbol_is_not_a_citation() -> None:
    text = (
        "Số 31-KH/ĐUK\nKẾ HOẠCH\n...\n(kèm theo Kế hoạch số 31-KH/ĐUK, ngày 19/4/2022 của Đảng ủy Sở Tài chính)\n"
        "Kế hoạch số 31-KH/ĐUK, ngày 19/12/2016 của Ban Thường vụ Đảng ủy Khối các cơ quan"
    )
    own = Header(doc_type="Kế hoạch", symbol="31-KH/ĐUK", date="2022-04-19")
    assert keys(text, own) == ["31-KH/ĐUK@2016-12-19"]


def test_short_forms_resolve_only_when_unique() -> None:
    text = "Kết luận số 21 của BCH Trung ương. Sau đó: Kết luận số 21-KL/TW, ngày 25/10/2021 của Ban Chấp hành Trung ương."
    (c,) = find_citations(text)
    assert c.key == "21-KL/TW@2021-10-25" and [m.form for m in c.mentions] == ["short", "full"]
    # two candidates (central and provincial 34): "Nghị quyết 34" stays unresolved
    cits = find_citations("Nghị quyết 34 và Nghị quyết số 34-NQ/TW của Bộ Chính trị; Nghị quyết số 34-NQ/TU của Tỉnh ủy.")
    assert [(c.key, c.resolved) for c in cits] == [("34-NQ/TW", True), ("34-NQ/TU", True), ("Nghị quyết số 34", False)]
    # the issuer decides between them
    cits = find_citations("Nghị quyết số 34 của Bộ Chính trị; Nghị quyết số 34-NQ/TW; Nghị quyết số 34-NQ/TU của Tỉnh ủy.")
    assert [len(c.mentions) for c in cits if c.key == "34-NQ/TW"] == [2]


def test_short_form_with_central_issuer_is_constructed() -> None:
    c = one("Quy định số 37 của Ban Chấp hành Trung ương Đảng về những điều đảng viên không được làm")
    assert (c.key, c.symbol, c.doc_type, c.date) == ("37-QĐ/TW", "37-QĐ/TW", "Quy định", None)
    c = one("Kết luận số 01, ngày 18/5/2021 của Bộ Chính trị")
    assert (c.key, c.symbol) == ("1-KL/TW@2021-05-18", "01-KL/TW")
    # a local issuer does not fix the code: no citation, the short form stays unresolved
    (c,) = find_citations("Kế hoạch số 12 của Huyện ủy về chuyển đổi số")
    assert not c.resolved


def test_anaphora() -> None:
    (c,) = find_citations("Triển khai Chỉ thị số 27-CT/TW của Bộ Chính trị. Chỉ thị này được quán triệt sâu rộng.")
    assert [m.form for m in c.mentions] == ["full", "short"]


def test_not_citations() -> None:
    text = (
        "Nghị quyết Đại hội XIII của Đảng; Hội nghị Trung ương 4 khóa XIII; Ban Chỉ đạo 35; "
        "Đoàn 183 của Thị ủy; theo mục 3 của hướng dẫn này; kỷ niệm ngày 2/9; giai đoạn 2021-2025."
    )
    assert keys(text) == []


def test_table_rows_are_read_row_by_row() -> None:
    text = (
        "Thời gian | Nội dung\n"
        "Tháng 4/2022 | 1. Nghị quyết số 03-NQ/TW, ngày 26/6/1992 Hội nghị Trung ương 3 khóa VII. 2. Kế hoạch số 07-KH/TU ngày 18/02/2016 của Ban Thường vụ Tỉnh ủy |\n"
        "Tháng 5/2022 | 1. Quy định số 1031-QĐ/TU ngày 22/9/2016 về trách nhiệm |\n"
    )
    table = Table(index=0, start=0, end=len(text), rows=(), row_starts=())
    cits = find_citations(text, None, (table,))
    assert [c.key for c in cits] == ["3-NQ/TW@1992-06-26", "7-KH/TU@2016-02-18", "1031-QĐ/TU@2016-09-22"]
    assert all(c.mentions[0].form == "table" for c in cits)
    assert cits[2].issuer is None


def test_injectable_resolver() -> None:
    def never(short: ShortForm, candidates):  # noqa: ANN001, ANN202
        return None

    text = "Kết luận số 21-KL/TW của Bộ Chính trị; Kết luận số 21 trong toàn Đảng bộ."
    assert [c.resolved for c in find_citations(text)] == [True]
    assert [c.resolved for c in find_citations(text, resolve_short=never)] == [True, False]
    assert resolve_unique is not never


def test_corpus_citations(corpus, gold) -> None:  # noqa: ANN001
    import json

    from pipeline.extract.header import find_header
    from pipeline.read import read

    for path in sorted(corpus.glob("*.txt")):
        doc = read(path)
        expected = {c["key"] for c in json.loads((gold / f"{path.stem}.json").read_text("utf-8"))["citations"]}
        got = {c.key for c in find_citations(doc.text, find_header(doc.text, doc.tables), doc.tables) if c.resolved}
        assert got == expected, path.name


def test_header_number_line_is_own_even_without_header() -> None:
    text = "ĐẢNG ỦY XÃ AN BÌNH\nSố: 12-KH/ĐU\nKẾ HOẠCH\n...\nThực hiện Kế hoạch số 12-KH/HU ngày 2/3/2024 của Huyện ủy."
    assert keys(text) == ["12-KH/HU@2024-03-02"]


def test_body_after_a_comma_is_the_next_clause() -> None:
    (c,) = find_citations("Xét Tờ trình số 120/TTr-STTTT ngày 01/8/2023,\nỦy ban nhân dân tỉnh ban hành Kế hoạch.")
    assert c.issuer is None
    (c,) = find_citations("Quy định số 724-QĐ/TU, ngày 30/8/2021 Ban Thường vụ Tỉnh ủy về trách nhiệm")
    assert c.issuer == "Ban Thường vụ Tỉnh ủy"


def test_upper_case_title_citation() -> None:
    text = "KẾ HOẠCH\nTHỰC HIỆN NGHỊ QUYẾT SỐ 09-NQ/TU\nNGÀY 15/3/2023 CỦA BAN CHẤP HÀNH ĐẢNG BỘ TỈNH\nVỀ PHÁT TRIỂN NÔNG NGHIỆP\n---\nCăn cứ Nghị quyết số 09-NQ/TU ngày 15/3/2023 của Ban Chấp hành Đảng bộ tỉnh; ..."
    (c,) = find_citations(text)
    assert (c.key, c.doc_type, c.issuer) == ("9-NQ/TU@2023-03-15", "Nghị quyết", "Ban Chấp hành Đảng bộ tỉnh")


def test_numbers_sharing_one_suffix_are_one_citation_each() -> None:
    text = "Thực hiện Nghị quyết số 23, 24-NQ/TW ngày 12/3/2018 của Ban Chấp hành Trung ương Đảng khóa XII; Kế hoạch số 04-KH/HU."
    cs = {c.key: c for c in find_citations(text) if c.resolved}
    assert list(cs) == ["23-NQ/TW@2018-03-12", "24-NQ/TW@2018-03-12", "4-KH/HU"]
    assert cs["23-NQ/TW@2018-03-12"].issuer == "Ban Chấp hành Trung ương"
    assert cs["23-NQ/TW@2018-03-12"].doc_type == "Nghị quyết"
    assert keys("các Chỉ thị số 11, 12 và 13-CT/TU ngày 02/8/2021") == [
        "11-CT/TU@2021-08-02", "12-CT/TU@2021-08-02", "13-CT/TU@2021-08-02",
    ]  # fmt: skip


def test_date_after_a_list_of_symbols_dates_each() -> None:
    assert keys("quán triệt các Nghị quyết số 23-NQ/TW, 24-NQ/TW ngày 12/3/2018 của Bộ Chính trị") == [
        "23-NQ/TW@2018-03-12", "24-NQ/TW@2018-03-12",
    ]  # fmt: skip
    assert keys("Nghị quyết số 23-NQ/TW và 24-NQ/TW cùng ngày 12/3/2018 của Bộ Chính trị") == [
        "23-NQ/TW@2018-03-12", "24-NQ/TW@2018-03-12",
    ]  # fmt: skip
    # different kinds of document in one list keep their own (missing) dates
    assert keys("Kết luận số 21-KL/TW, Quy định số 37-QĐ/TW ngày 25/10/2021") == ["21-KL/TW", "37-QĐ/TW@2021-10-25"]


def test_list_members_share_the_type_word_and_bracketed_date() -> None:
    cs = [c for c in find_citations("Quy định số 144-QĐ/TW, 145-QĐ/TW ngày 09/5/2024 của Bộ Chính trị") if c.resolved]
    assert [(c.key, c.doc_type, c.issuer) for c in cs] == [
        ("144-QĐ/TW@2024-05-09", "Quy định", "Bộ Chính trị"), ("145-QĐ/TW@2024-05-09", "Quy định", "Bộ Chính trị"),
    ]  # fmt: skip
    assert keys("Quyết định số 01/2024/QĐ-UBND và số 02/2024/QĐ-UBND ngày 09/5/2024 của UBND tỉnh") == [
        "1/2024/QĐ-UBND@2024-05-09", "2/2024/QĐ-UBND@2024-05-09",
    ]  # fmt: skip
    assert keys("các Nghị quyết: số 23-NQ/TW, số 24-NQ/TW ngày 12/3/2018 của BCH TW") == ["23-NQ/TW@2018-03-12", "24-NQ/TW@2018-03-12"]
    assert one("Thực hiện Kết luận số 21-KL/TW (ngày 25/10/2021) của Ban Chấp hành Trung ương").issuer == "Ban Chấp hành Trung ương"


def test_state_dates_after_issuer_and_in_a_dated_sentence() -> None:
    text = (
        "Vào ngày 12/3/2024, Sở Tài chính đã ban hành Công văn số 640/STC-NS về dự toán. "
        "Ngày 02 tháng 4 năm 2024, Bộ Y tế có Công văn số 1502/BYT-KHTC gửi các tỉnh. "
        "Căn cứ Nghị định số 45/2023/NC-CP ngày 1/7/2023 của Chính phủ; "
        "Kết luận 35 KL/TW ngày 5/5/2022 của Bộ Chính trị."
    )
    keys = [c.key for c in find_citations(text)]
    assert keys == ["640/STC-NS@2024-03-12", "1502/BYT-KHTC@2024-04-02", "45/2023/NĐ-CP@2023-07-01", "35-KL/TW@2022-05-05"]


def test_look_alike_slashes_and_truncated_symbols() -> None:
    text = (
        "theo Nghị định số 12/2022/NĐ-CP ngày 3/5/2022 của Chính phủ; tại Điều 5 Nghị định số 12/2022/NĐ\n"
        "theo Quyết định số 31/ 2024/QĐ-TTg ngày 4/7⁄2024 của Thủ tướng Chính phủ.\n"
        "Hướng dẫn số 9/HD- 'BNV-TCBC; thực hiện theo Hướng dẫn số 9/HD-BNV-TCBC ngày 2/3/2024.\n"
    )
    assert keys(text) == ["12/2022/NĐ-CP@2022-05-03", "31/2024/QĐ-TTg@2024-07-04", "9/HD-BNV-TCBC@2024-03-02"]


def test_a_draft_submitted_in_the_same_file_is_another_document() -> None:
    from pipeline.extract import extract
    from pipeline.models import Document

    text = (
        "SỞ TÀI CHÍNH\nSố: 15/TTr-STC\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Hà Giang, ngày 4 tháng 3 năm 2024\nTỜ TRÌNH\nvề việc ban hành kế hoạch kiểm tra\nKính gửi: Ủy ban nhân dân tỉnh\n"
        "Thực hiện Quyết định số 8/QĐ-BTC ngày 2/1/2024 của Bộ Tài chính, Sở đã dự thảo kế hoạch. Kính trình xem xét./.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nGIÁM ĐỐC\n\n"
        "ỦY BAN NHÂN DÂN\nTỈNH HÀ GIANG\nSố: /KH-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Hà Giang, ngày tháng năm 2024\nKẾ HOẠCH\nKiểm tra tài chính năm 2024\n"
        "Căn cứ Nghị định số 11/2020/NĐ-CP ngày 20/1/2020 của Chính phủ, Ủy ban nhân dân tỉnh ban hành kế hoạch:\n"
        "I. MỤC ĐÍCH\n1. Kiểm tra theo Thông tư số 5/2023/TT-BTC.\n"
    )
    ex = extract(Document(path="", sha256="", format="txt", text=text))
    assert [c.key for c in ex.citations] == ["8/QĐ-BTC@2024-01-02"]


def test_issuer_code_damaged_by_ocr_read_from_the_issuer_named() -> None:
    assert keys("Thực hiện Quyết định số 15/QĐ-TTs ngày 3/4/2024 của Thủ tướng Chính phủ về đề án") == ["15/QĐ-TTg@2024-04-03"]
    # an unknown code that no body named after it explains stays as written
    assert keys("theo Quyết định số 15/QĐ-TTs ngày 3/4/2024 của Sở Tài chính") == ["15/QĐ-TTS@2024-04-03"]


def test_number_broken_by_a_space_rejoined_where_written_whole() -> None:
    text = "Quyết định số 4512/QĐ-TTg ngày 2/5/2024 của Thủ tướng Chính phủ.\n- Căn cứ Quyết định số 45 12/QĐ-TTg ngày 2/5/2024;\n"
    assert keys(text) == ["4512/QĐ-TTg@2024-05-02"]
    # without the whole form elsewhere the digits before stay apart
    assert keys("Căn cứ Quyết định số 45 12/QĐ-TTg ngày 2/5/2024;") == ["12/QĐ-TTg@2024-05-02"]


def test_state_short_form_with_a_central_body_builds_its_symbol() -> None:
    assert keys("theo Công điện 41 của Thủ tướng Chính phủ về phòng chống lụt bão") == ["41/CĐ-TTg"]
    # Bộ Chính trị shares its code with a ministry: a Party document, /TW
    assert keys("Thực hiện Kết luận số 07 của Bộ Chính trị về công tác") == ["7-KL/TW"]


def test_date_after_the_issuer_and_its_verb() -> None:
    assert keys("Căn cứ Nghị định số 14/2021/NĐ-CP do Chính phủ ban hành ngày 3/2/2021;") == ["14/2021/NĐ-CP@2021-02-03"]
    assert keys("Căn cứ Luật Thủy lợi số 8/2017/QH14 được Quốc hội khóa XIV thông qua ngày 19/6/2017;") == ["8/2017/QH14@2017-06-19"]
    # an amendment's date is not the document's
    assert keys("theo Nghị định số 14/2021/NĐ-CP được sửa đổi, bổ sung ngày 3/2/2022") == ["14/2021/NĐ-CP"]
