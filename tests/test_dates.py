"""Dates in every written form, and sentence spans used as evidence."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.extract.dates import find_dates, parse_date, parse_iso
from pipeline.extract.text import sentence_at, sentence_spans

# fmt: off
CASES = [
    ("Kết luận số 21-KL/TW, ngày 25/10/2021 của BCH", [("ngày 25/10/2021", date(2021, 10, 25))]),
    ("Hải Dương, ngày 03tháng 3năm 2022", [("ngày 03tháng 3năm 2022", date(2022, 3, 3))]),
    ("Hà Nội, ngày 25 tháng 10 năm 2021", [("ngày 25 tháng 10 năm 2021", date(2021, 10, 25))]),
    ("Lạng Sơn, ngày 5 tháng 01, năm 2024", [("ngày 5 tháng 01, năm 2024", date(2024, 1, 5))]),
    ("ban hành 25-10-2021 và 25.10.2021", [("25-10-2021", date(2021, 10, 25)), ("25.10.2021", date(2021, 10, 25))]),
    ("ngày 09 / 02 / 2018", [("ngày 09 / 02 / 2018", date(2018, 2, 9))]),
    ("(19/5/1890 - 19/5/2022)", [("19/5/1890", date(1890, 5, 19)), ("19/5/2022", date(2022, 5, 19))]),
]
# fmt: on


@pytest.mark.parametrize("text,expected", CASES)
def test_full_dates(text: str, expected: list[tuple[str, date]]) -> None:
    got = [(d.text, d.date) for d in find_dates(text)]
    assert got == expected
    for d in find_dates(text):
        assert text[d.start : d.end] == d.text


def test_month_year_and_bounds() -> None:
    (m,) = find_dates("hoàn thành trong tháng 3/2022")
    assert (m.precision, m.first, m.last, m.date) == ("month", date(2022, 3, 1), date(2022, 3, 31), None)
    (m,) = find_dates("tháng 02 năm 2024")
    assert m.last == date(2024, 2, 29)
    (y,) = find_dates("thực hiện trong năm 2021")
    assert (y.precision, y.first, y.last) == ("year", date(2021, 1, 1), date(2021, 12, 31))


def test_day_month_without_year() -> None:
    (d,) = find_dates("kỷ niệm ngày 2/9")
    assert (d.precision, d.day, d.month, d.year, d.date) == ("daymonth", 2, 9, None, None)


@pytest.mark.parametrize("text", ["Nghị định số 35/2022/NĐ-CP", "ngày 31/2/2022", "tỷ lệ 1/2", "Số 1074/QĐ-BXD"])
def test_not_dates(text: str) -> None:
    assert [d for d in find_dates(text) if d.date] == []


def test_parse_date() -> None:
    assert parse_date("ngày 25 tháng 10 năm 2021") == date(2021, 10, 25)
    assert parse_iso("ngày 9/2/2018") == "2018-02-09"
    assert parse_date("năm 2021") is None


def test_sentences_keep_offsets() -> None:
    t = "Thực hiện Kế hoạch số 51. Ban Thường vụ tại TP. Hà Nội như sau:\nI. MỤC ĐÍCH\n1. Tổ chức. Xong!"
    spans = sentence_spans(t)
    assert [t[a:b] for a, b in spans] == [
        "Thực hiện Kế hoạch số 51.", "Ban Thường vụ tại TP. Hà Nội như sau:", "I. MỤC ĐÍCH", "1. Tổ chức.", "Xong!",
    ]
    assert sentence_at(t, t.index("Hà Nội")) == "Ban Thường vụ tại TP. Hà Nội như sau:"
