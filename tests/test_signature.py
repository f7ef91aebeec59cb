"""Signer (T/M, K/T, TM.; position; name) and the "Nơi nhận" list."""

from __future__ import annotations

import json

from pipeline.extract.signature import find_recipients, find_signer
from pipeline.models import Signer, Table

PLAIN = """Trên đây là Kế hoạch ...

Nơi nhận:
- Ban Tuyên giáo TW (để báo cáo),
- Thường trực Tỉnh ủy (b/c);
- Các huyện, thị, thành ủy,
  đảng ủy trực thuộc tỉnh,
- Lưu VP./.
\tT/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ
(Đã ký)

Ngô Hoàng Ngân
"""


def test_plain_block() -> None:
    assert find_recipients(PLAIN) == (
        "Ban Tuyên giáo TW", "Thường trực Tỉnh ủy", "Các huyện, thị, thành ủy, đảng ủy trực thuộc tỉnh", "Lưu VP",
    )  # fmt: skip
    assert find_signer(PLAIN) == Signer("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Ngô Hoàng Ngân")


def test_kt_and_upper_case_name() -> None:
    text = "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nK/T TRƯỞNG BAN\nPHÓ TRƯỞNG BAN\n\nTRIỆU THỊ NGỌC\n"
    assert find_signer(text) == Signer("K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Triệu Thị Ngọc")
    assert find_recipients(text) == ("Như trên", "Lưu: VT")


def test_layout_table_beside_signature() -> None:
    left = "Nơi nhận:\n- Ủy ban Thường vụ Quốc hội (báo cáo);\n- Các bộ: Tài chính, Tư pháp;\n- Lưu: VT, HĐ8."
    right = "CHỦ TỊCH\n\n\nTrịnh Thị Minh Thanh"
    line = f"{left.replace(chr(10), ' ')} | {right.replace(chr(10), ' ')}"
    text = "Nghị quyết này có hiệu lực./.\n" + line + "\n"
    t = Table(index=0, start=text.index("Nơi"), end=len(text) - 1, rows=((left, right),), row_starts=(text.index("Nơi"),))
    assert find_recipients(text, (t,)) == ("Ủy ban Thường vụ Quốc hội", "Các bộ: Tài chính, Tư pháp", "Lưu: VT, HĐ8")
    assert find_signer(text, (t,)) == Signer(None, "CHỦ TỊCH", "Trịnh Thị Minh Thanh")


def test_tm_dot_and_items_on_one_line() -> None:
    text = "Nơi nhận: - Thường trực Đảng ủy (Báo cáo); - Lưu Ban xây dựng Đảng.\nTM. TIỂU BAN\nTRƯỞNG TIỂU BAN\nNguyễn Văn Hoàn\n"
    assert find_recipients(text) == ("Thường trực Đảng ủy", "Lưu Ban xây dựng Đảng")
    assert find_signer(text) == Signer("TM. TIỂU BAN", "TRƯỞNG TIỂU BAN", "Nguyễn Văn Hoàn")


def test_unsigned() -> None:
    text = "III. TỔ CHỨC THỰC HIỆN\n1. Các chi bộ thực hiện.\n"
    assert find_signer(text) is None
    assert find_recipients(text) == ()


def test_corpus(corpus, gold) -> None:  # noqa: ANN001
    from pipeline.models import to_json
    from pipeline.read import read

    for path in sorted(corpus.glob("*.txt")):
        doc = read(path)
        expected = json.loads((gold / f"{path.stem}.json").read_text("utf-8"))
        assert to_json(find_signer(doc.text, doc.tables)) == expected["signer"], path.name
        assert list(find_recipients(doc.text, doc.tables)) == expected["recipients"], path.name


def test_pdf_columns_interleaved() -> None:
    text = (
        "Quá trình thực hiện nếu còn vướng mắc, phản ánh về Ban.\n Nơi nhận: K/T TRƯỞNG BAN\n"
        "- Ban Bí thư (để báo cáo), PHÓ\nTRƯỞNG BAN\n- Các tỉnh ủy, thành ủy, đảng ủy trực thuộc\nTrung ương,\n"
        "- Các đồng chí Phó Trưởng Ban, - Các vụ, cục,\nđơn vị trong Ban, - Lưu VP, Vụ CSĐ, ĐV.\nNguyễn Thanh Bình\n"
    )
    assert find_recipients(text) == (
        "Ban Bí thư", "Các tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương", "Các đồng chí Phó Trưởng Ban",
        "Các vụ, cục, đơn vị trong Ban", "Lưu VP, Vụ CSĐ, ĐV",
    )  # fmt: skip
    s = find_signer(text)
    assert s is not None and (s.on_behalf, s.name) == ("K/T TRƯỞNG BAN", "Nguyễn Thanh Bình")


def test_state_style_double_authority_and_dashless_list() -> None:
    text = (
        "Quyết định có hiệu lực kể từ ngày ký./.\nNơi nhận:\nNhư Điều 3;\nThường trực Tỉnh ủy;\nLưu: VT, NC.\n"
        "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n\nLê Văn Hà\n"
    )
    assert find_recipients(text) == ("Như Điều 3", "Thường trực Tỉnh ủy", "Lưu: VT, NC")
    assert find_signer(text) == Signer("TM. ỦY BAN NHÂN DÂN", "PHÓ CHỦ TỊCH", "Lê Văn Hà")


def test_heldout_signers_follow_the_gold_convention() -> None:
    import json
    from pathlib import Path

    from pipeline.read import read

    root = Path(__file__).parent / "resources" / "heldout"
    for gold in sorted((root / "gold").glob("*.json")):
        doc = read(root / f"{gold.stem}.txt")
        want = json.loads(gold.read_text("utf-8"))["signer"]
        got = find_signer(doc.text, doc.tables)
        assert got == Signer(**want), gold.stem


def test_joint_signatures_side_by_side() -> None:
    text = "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\tGIÁM ĐỐC SỞ TÀI CHÍNH\n\n\nLê Văn Hà\tGIÁM ĐỐC\nSỞ NỘI VỤ\n\n\nTrần Văn Nam\n"
    assert find_signer(text) == Signer(None, "GIÁM ĐỐC SỞ TÀI CHÍNH", "Lê Văn Hà")


def test_name_after_a_military_rank_keeps_the_rank() -> None:
    text = "Nơi nhận:\n- Như trên;\n- Lưu.\nT/M ĐẢNG ỦY\nPHÓ BÍ THƯ\n(đã ký)\nThượng tá Lê Văn Bình\n"
    assert find_signer(text) == Signer("T/M ĐẢNG ỦY", "PHÓ BÍ THƯ", "Thượng tá Lê Văn Bình")


def test_a_scans_dashes_and_lower_case_in_the_list_are_mended() -> None:
    """OCR of a list: "—-" for the dash between a name and a title, a dash left at the end
    of an entry, "lưu" read in lower case; a list entry opens with a capital."""
    from pipeline.extract.signature import recipients_from_lines

    got = recipients_from_lines(["Nơi nhận:", "- Như trên;", "- Đ/c Nguyễn Văn A —- PGĐCA tỉnh;", "- Sở Nội vụ -", "- lưu: VT, PC04."])
    assert got == ("Như trên", "Đ/c Nguyễn Văn A – PGĐCA tỉnh", "Sở Nội vụ", "Lưu: VT, PC04")
    assert recipients_from_lines(["Nơi nhận:", "- Sở Tài chính - Kế hoạch;"]) == ("Sở Tài chính - Kế hoạch",)  # one dash is a name's
    assert recipients_from_lines(["Nơi nhận:", "- Lưu: VI, PC04."]) == ("Lưu: VT, PC04",)  # the archive's T read as I


def test_an_ocr_list_takes_the_marks_the_text_gives_its_words() -> None:
    """A scan's "Tô Công tác" and "Điêu 3" spelt as the decision writes them above; a text
    layer's list is left as it is."""
    text = (
        "Điều 3. Chánh Văn phòng và Tổ Công tác liên ngành các tỉnh, thành phố chịu trách nhiệm thi hành.\n"
        "Nơi nhận:\n- Như Điêu 3;\n- Tô Công tác liên ngành các tỉnh, thành phố;\n- Lưu: VT.\n"
    )
    assert find_recipients(text, ocr=True) == ("Như Điều 3", "Tổ Công tác liên ngành các tỉnh, thành phố", "Lưu: VT")
    assert find_recipients(text)[:2] == ("Như Điêu 3", "Tô Công tác liên ngành các tỉnh, thành phố")
