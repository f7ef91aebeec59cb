"""A scanned header's number and day read again from tight crops (read/fields.py): how the
readings are chosen among, and how the line is mended."""

from __future__ import annotations

from collections import Counter

from pipeline.read.assemble import RawLine, RawWord
from pipeline.read.digits import Reading
from pipeline.read.fields import _choose, _esign_dates, _fewer_digits, _replaced, _span


def test_readings_vote_and_an_unsure_field_stays_blank() -> None:
    assert _choose(Counter({"16": 5, "6": 1}), "day", " tháng 12 năm 2025", []) == "16"
    assert _choose(Counter({"6": 3, "286": 1}), "number", "", []) is None  # too few agree
    assert _choose(Counter({"92": 4, "93": 4}), "number", "", []) is None  # two readings as strong
    assert _choose(Counter({"46": 6}), "day", " tháng 12 năm 2025", []) is None  # no day 46


def test_an_esignature_confirms_a_reading_but_is_never_the_date_alone() -> None:
    signed = _esign_dates("SAO Y; CÔNG AN TỈNH LÂM ĐỒNG; 06/01/2026; 16:42:26; +07:00\nThời gian ký: 13.11.2025")
    assert signed == [(6, 1, 2026), (13, 11, 2025)]
    assert _esign_dates("P k Thời gian ký: 2024-03-04T09:15:00+07:00") == [(4, 3, 2024)]
    assert _choose(Counter({"09": 2, "06": 1}), "day", " tháng 01 năm 2026", signed) == "06"
    assert _choose(Counter(), "day", " tháng 01 năm 2026", signed) is None
    assert _choose(Counter({"19": 5}), "day", " tháng 11 năm 2025", signed) is None  # dated after it was signed
    assert _choose(Counter({"19": 5}), "day", " tháng 10 năm 2025", signed) == "19"  # another month: no evidence
    assert _choose(Counter({"3": 2, "11": 2}), "month", " năm 2025", signed) == "11"  # a hand's 11 or OCR's 3: signed in 11
    assert _choose(Counter({"3": 2, "11": 2}), "month", " năm 2024", signed) is None  # signed in another year


def test_the_field_is_found_and_replaced_in_the_line() -> None:
    line = RawLine("Só:56ŸS /BCA-C04", (0, 0, 400, 40), 50.0, (RawWord(0, 7, 29.0, (0, 0, 180, 40)), RawWord(8, 16, 66.0, (200, 0, 400, 40))))
    a, b = _span(line, "number")  # type: ignore[misc]
    assert line.text[a:b] == "56ŸS "
    new = _replaced(line, a, b, " 5689 ", 100.0)
    assert new.text == "Só: 5689 /BCA-C04"
    assert [new.text[w.start : w.end] for w in new.words] == ["Só:", "5689", "/BCA-C04"]
    blank = _replaced(line, a, b, " ", 0.0)
    assert blank.text == "Só: /BCA-C04" and blank.text[blank.words[-1].start : blank.words[-1].end] == "/BCA-C04"
    day = RawLine("Hà Nội, ngày |6 tháng 12 năm 2025")
    a, b = _span(day, "day")  # type: ignore[misc]
    assert day.text[a:b] == " |6 "
    assert _span(RawLine("số 1189/SNV-LĐVL&TN, ngày 29/8/2025"), "number") is None  # running text, not the header's "Số"


def test_a_voted_number_inside_a_longer_hand_reading_is_refused() -> None:
    """Tesseract lost a digit written into the print: its number is another document's."""
    assert _fewer_digits("37", Reading("637", 0.8))
    assert not _fewer_digits("37", Reading("637", 0.2))  # the classifier unsure: no doubt cast
    assert not _fewer_digits("637", Reading("637", 0.99))
    assert not _fewer_digits("37", Reading("38", 0.99))  # as long: the vote stands
    assert not _fewer_digits("37", None)
