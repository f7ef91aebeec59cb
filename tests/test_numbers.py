"""Numbers with their meaning: percentages, counts, rates, money, targets; labels skipped."""

from __future__ import annotations

import pytest

from pipeline.extract.numbers import find_numbers, parse_number
from tests.helpers_extract_b import make_doc


def _facts(text: str) -> list[tuple]:
    return [(n.kind, n.value, n.unit, n.counted, n.qualifier, n.text) for n in find_numbers(make_doc(text))]


# fmt: off
CASES = [
    ("100% chi bộ tổ chức sinh hoạt.", [("percent", 100.0, "%", "chi bộ", None, "100% chi bộ")]),
    ("Có trên 90% đảng viên tham gia.", [("percent", 90.0, "%", "đảng viên", "trên", "trên 90% đảng viên")]),
    ("Phấn đấu 100% tổ chức cơ sở đảng hoàn thành nhiệm vụ.", [("target", 100.0, "%", "tổ chức cơ sở đảng", None, "100% tổ chức cơ sở đảng")]),
    ("Sinh hoạt chuyên đề ít nhất 02 lần/năm.", [("rate", 2.0, "lần/năm", "lần", "ít nhất", "ít nhất 02 lần/năm")]),
    ("Mỗi chi bộ tổ chức 01 buổi sinh hoạt.", [("count", 1.0, "buổi", "buổi", None, "01 buổi")]),
    ("Chi bộ có 30 đảng viên.", [("count", 30.0, "đảng viên", "đảng viên", None, "30 đảng viên")]),
    ("Hội nghị không quá 50 đại biểu.", [("count", 50.0, "đại biểu", "đại biểu", "không quá", "không quá 50 đại biểu")]),
    ("Mức chi 1.500.000 đồng.", [("money", 1500000.0, "đồng", None, None, "1.500.000 đồng")]),
    ("Hỗ trợ 2,5 triệu đồng cho mỗi tổ.", [("money", 2500000.0, "đồng", None, None, "2,5 triệu đồng")]),
    ("Gửi báo cáo trước 05 ngày tổ chức hội nghị.", [("count", 5.0, "ngày", "ngày", None, "05 ngày")]),
]
# fmt: on


@pytest.mark.parametrize("text,expected", CASES)
def test_numbers(text: str, expected: list[tuple]) -> None:
    assert _facts(text) == expected


# fmt: off
LABELS = [
    "Thực hiện Kết luận số 21-KL/TW, ngày 25/10/2021 của Ban Chấp hành Trung ương.",
    "Nghị định số 35/2022/NĐ-CP; Quyết định 82-QĐ/ĐU; Chỉ thị 05 của Bộ Chính trị.",
    "Hà Nội, ngày 25 tháng 10 năm 2021",
    "Hội nghị Trung ương 4 khoá XIII; Điều 39 Luật; Đợt 1: Trong tháng 12/2025.",
    "1. Ban Tổ chức\n2.1. Văn phòng\n3) Công an",
]
# fmt: on


@pytest.mark.parametrize("text", LABELS)
def test_labels_are_not_numbers(text: str) -> None:
    assert _facts(text) == []


def test_evidence_and_offsets() -> None:
    text = "I. MỤC TIÊU\nPhấn đấu 100% chi bộ hoàn thành. Tổ chức 02 hội nghị."
    facts = find_numbers(make_doc(text))
    assert [text[n.offset : n.offset + len(n.text)] for n in facts] == ["100% chi bộ", "02 hội nghị"]
    assert facts[0].sentence == "Phấn đấu 100% chi bộ hoàn thành."


@pytest.mark.parametrize("s,value", [("1.500.000", 1500000.0), ("2,5", 2.5), ("02", 2.0), ("100", 100.0)])
def test_parse_number(s: str, value: float) -> None:
    assert parse_number(s) == value


def test_corpus_numbers_are_not_symbols_or_dates(corpus) -> None:
    for path in sorted(corpus.glob("*.txt")):
        for n in find_numbers(make_doc(path.read_text("utf-8"), str(path))):
            assert "/" not in n.text or n.kind == "rate", n
            assert n.unit, n
