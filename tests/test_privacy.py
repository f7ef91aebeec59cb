"""Personal data: e-mail addresses and phone numbers never reach the analyst tables' evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.privacy import EMAIL_MASK, PHONE_MASK, find_personal, redact, redact_rows

EMAIL = "letruong28ht@gmail.com"
PHONES = ("0912.345.678", "(0225) 3.842.123", "+84 912 345 678", "0084912345678", "024.3825.1234", "098 765 4321")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("(qua Email: letruong28ht@gmail.com) để", "(qua Email: [email]) để"),
        ("ĐT: 0912.345.678, fax (0225) 3.842.123.", "ĐT: [phone], fax [phone]."),
        ("gọi +84 912 345 678 hoặc 0084912345678", "gọi [phone] hoặc [phone]"),
        ("(+84) 24 3825 1234; 098 765 4321", "[phone]; [phone]"),
        ("Email: van.a-b+1@tinhuy.haiduong.gov.vn.", "Email: [email]."),
    ],
)
def test_masks_emails_and_vietnamese_phone_numbers(raw: str, expected: str) -> None:
    assert redact(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Kết luận số 21-KL/TW, ngày 25/10/2021 của Ban Chấp hành Trung ương",
        "Số 05-KH/TU ngày 01.01.2022; Quyết định số 0123456789/QĐ",
        "kinh phí 1.000.000.000 đồng, tỷ lệ 0,5%, 100% chi bộ",
        "các ngày 01 02 03 04 05 tháng 6",
        "năm 2022 có 012 345 chi bộ",
        "Hotline ngày 30-6-2022",
    ],
)
def test_leaves_symbols_dates_and_numbers_alone(text: str) -> None:
    assert redact(text) == text
    assert find_personal(text) == []


def test_spans_point_at_what_they_mask() -> None:
    text = f"Liên hệ đồng chí An, ĐT {PHONES[0]}, email {EMAIL}."
    spans = find_personal(text)
    assert [(text[s:e], k) for s, e, k in spans] == [(PHONES[0], "phone"), (EMAIL, "email")]


def test_redact_rows_masks_only_text_columns() -> None:
    rows = {
        "assignments": [{"unit": "Văn phòng", "sentence": f"gửi về {EMAIL}", "offset": 3, "task": "ĐT 0912345678"}],
        "documents": [{"recipients": ["Như trên", f"Email {EMAIL}"], "signer_name": "Nguyễn Văn An", "path": "a.txt"}],
        "files": [{"path": "0912345678.txt"}],
    }
    out = redact_rows(rows)
    assert out["assignments"][0] == {"unit": "Văn phòng", "sentence": f"gửi về {EMAIL_MASK}", "offset": 3, "task": f"ĐT {PHONE_MASK}"}
    assert out["documents"][0]["recipients"] == ["Như trên", f"Email {EMAIL_MASK}"]
    assert out["documents"][0]["signer_name"] == "Nguyễn Văn An"
    assert out["files"] == rows["files"]


PLAN = """ĐẢNG BỘ TỈNH HẢI DƯƠNG
BAN THƯỜNG VỤ
*
Số 12-KH/TU\t\t\t\tHải Dương, ngày 3 tháng 3 năm 2022

KẾ HOẠCH
thực hiện Kết luận số 21-KL/TW, ngày 25/10/2021 của Ban Chấp hành Trung ương Đảng

Thực hiện Kết luận số 21-KL/TW, ngày 25/10/2021 của Ban Chấp hành Trung ương Đảng khóa XIII (liên hệ ĐT: 0912.345.678, email: {email}), Ban Thường vụ Tỉnh ủy xây dựng kế hoạch thực hiện như sau:

I. MỤC ĐÍCH, YÊU CẦU
1. Quán triệt sâu sắc nội dung Kết luận đến 100% chi bộ, báo cáo qua số (0220) 3.842.123.

II. TỔ CHỨC THỰC HIỆN
1. Ban Tuyên giáo Tỉnh ủy chủ trì, phối hợp với Ban Tổ chức Tỉnh ủy hướng dẫn thực hiện, gửi báo cáo về hộp thư {email} hoặc số 0912 345 678 trước ngày 30/6/2022.
2. Các huyện ủy, thành ủy trực thuộc Tỉnh ủy xây dựng kế hoạch thực hiện trước ngày 30/6/2022.

T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ
Nguyễn Văn An
"""


def test_contact_details_are_masked_in_every_stored_table(tmp_path: Path) -> None:
    """Read → extract → Store: the reader's text keeps them, no table row does."""
    from pipeline.extract import extract
    from pipeline.ingest import describe
    from pipeline.read import read
    from pipeline.store import PER_FILE_TABLES, Store

    path = tmp_path / "kh.txt"
    path.write_text(PLAN.format(email=EMAIL), encoding="utf-8")
    doc = read(path)
    assert EMAIL in doc.text and "0912.345.678" in doc.text  # the full text is the reader's
    ex = extract(doc)
    evidence = [m.sentence for c in ex.citations for m in c.mentions] + [a.sentence for a in ex.assignments]
    assert any(EMAIL in s for s in evidence), "the fixture should put contacts into evidence"
    with Store(":memory:") as store:
        run = store.begin_run(str(tmp_path), {})
        store.put_document(run, describe(path, "kh.txt"), doc, ex)
        store.rebuild_graph()
        dumped = []
        for table in (*PER_FILE_TABLES, "nodes", "edges"):
            dumped += [str(r) for r in store.con.execute(f"SELECT * FROM {table}").fetchall()]
        masked = sum(s.count(EMAIL_MASK) + s.count(PHONE_MASK) for s in dumped)
    blob = "\n".join(dumped)
    assert EMAIL not in blob and "gmail" not in blob
    for phone in ("0912.345.678", "0912 345 678", "3.842.123"):
        assert phone not in blob
    assert masked >= 2
    assert "Nguyễn Văn An" in blob  # the signer is a public office holder: kept (docs/DATA.md)


def test_mask_in_place_keeps_offsets():
    from pipeline.privacy import mask_in_place

    text = "Liên hệ: ĐT 0912.345.678, email a.b@gmail.com; Kế hoạch 05-KH/TU."
    masked = mask_in_place(text)
    assert len(masked) == len(text)
    assert "0912" not in masked and "gmail" not in masked
    assert masked.index("05-KH/TU") == text.index("05-KH/TU")
