"""pipeline.normalise: every branch, and the offset map back to the raw text."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.normalise import fold_tones, normalise, normalise_text, to_normalised

# fmt: off
CASES = [
    # line ends, invisible characters, spaces
    ("a\r\nb\rc", "a\nb\nc"),
    ("Kế\u200bhoạch\ufeff", "Kếhoạch"),
    ("số\u00a021-KL/TW", "số 21-KL/TW"),
    ("a\u202fb\u2009c", "a b c"),
    ("soft\u00adhyphen", "softhyphen"),
    # Ð (U+00D0) from Tesseract, ð, Ɖ
    ("ÐẢNG ỦY KHỐI", "ĐẢNG ỦY KHỐI"),
    ("40-KH/ÐUK", "40-KH/ĐUK"),
    ("ðảng", "đảng"),
    ("\u0189oàn", "Đoàn"),
    ("724-QĐ\u00d0/TU và 02-Q\u00d0Đ/ĐUK", "724-QĐ/TU và 02-QĐ/ĐUK"),  # OCR doubling
    ("ĐĐBQH", "ĐĐBQH"),
    # decomposed and oddly-ordered marks compose to one letter
    ("Vie\u0302\u0323t Nam", "Việt Nam"),
    ("Vie\u0323\u0302t Nam", "Việt Nam"),
    ("ke\u0301 hoa\u0323ch", "ké hoạch"),
    ("ê\u0301", "ế"),
    ("e\u0301\u0302", "ế"),
    ("o\u031b\u0300", "ờ"),
    ("o\u0300\u031b", "ờ"),
    ("a\u0306\u0301", "ắ"),
    ("a\u0301\u0306", "ắ"),
    # tone placement is kept as written
    ("hoá và hóa", "hoá và hóa"),
    ("Đảng uỷ, Đảng ủy", "Đảng uỷ, Đảng ủy"),
    # spacing in dates
    ("ngày 03tháng 3năm 2022", "ngày 03 tháng 3 năm 2022"),
    ("ngày03 tháng 3 năm2022", "ngày 03 tháng 3 năm 2022"),
    ("NGÀY 03THÁNG 3NĂM 2022", "NGÀY 03 THÁNG 3 NĂM 2022"),
    ("Ngày 5Tháng 6Năm 2023", "Ngày 5 Tháng 6 Năm 2023"),
    ("từ năm 2022 đến tháng 3/2022", "từ năm 2022 đến tháng 3/2022"),
    ("12 thángtrước", "12 thángtrước"),
    # symbols split by a line break
    ("Kết luận số 21-\nKL/TW", "Kết luận số 21-KL/TW"),
    ("Kết luận số 21- \n  KL/TW", "Kết luận số 21-KL/TW"),
    ("số 21-KL/\nTW ngày", "số 21-KL/TW ngày"),
    ("số 134/\nKH-UBND", "số 134/KH-UBND"),
    ("số 134/KH-\nUBND", "số 134/KH-UBND"),
    ("số 35/2022/\nNĐ-CP", "số 35/2022/NĐ-CP"),
    ("số 16/KH-MTTQ-\nBTT", "số 16/KH-MTTQ-\nBTT"),  # ambiguous third part: left alone
    # left alone
    ("Số 40 - KH/ĐUK", "Số 40 - KH/ĐUK"),
    ("2021 – 2025\n– Các chi bộ", "2021 – 2025\n– Các chi bộ"),
    ("năm 2022-\nCác cấp ủy", "năm 2022-\nCác cấp ủy"),
    ("\tĐẢNG BỘ TỈNH  ", "\tĐẢNG BỘ TỈNH  "),
    ("“tự diễn biến”", "“tự diễn biến”"),
    ("", ""),
]
# fmt: on


@pytest.mark.parametrize("raw,expected", CASES)
def test_normalise_cases(raw: str, expected: str) -> None:
    text, offsets = normalise(raw)
    assert text == expected
    assert len(offsets) == len(text)


@pytest.mark.parametrize("raw,expected", CASES)
def test_offsets_point_at_the_source_character(raw: str, expected: str) -> None:
    text, offsets = normalise(raw)
    assert list(offsets) == sorted(offsets)
    for i, ch in enumerate(text):
        src = raw[offsets[i]]
        # either the same character, or one it was made from (Ð→Đ, ê+́→ế, \r→\n, nbsp→space,
        # or the character an inserted space precedes)
        assert (
            src == ch
            or unicodedata.normalize("NFD", ch)[0] == unicodedata.normalize("NFD", src)[0]
            or ch in " \nĐđ"
        ), (i, ch, src)


def test_offsets_map_symbols_back() -> None:
    raw = "Hải Dương, ngày 03tháng 3năm 2022\nthực hiện Kết luận số 21-\nKL/TW, ngày 25/10/2021"
    text, offsets = normalise(raw)
    i = text.index("21-KL/TW")
    assert raw[offsets[i] : offsets[i + len("21-KL/TW") - 1] + 1] == "21-\nKL/TW"
    j = text.index("năm 2022")
    assert raw[offsets[j] : offsets[j + len("năm 2022") - 1] + 1] == "năm 2022"
    assert to_normalised(offsets, raw.index("thực hiện")) == text.index("thực hiện")


def test_already_normal_text_is_unchanged() -> None:
    raw = "KẾ HOẠCH\nThực hiện Kế hoạch số 60-KH/ĐUK ngày 18/4/2022 của Đảng ủy Khối."
    text, offsets = normalise(raw)
    assert text == raw and offsets == tuple(range(len(raw)))


def test_normalise_is_idempotent_on_corpus(corpus) -> None:
    for f in sorted(corpus.glob("*.txt")):
        once = normalise_text(f.read_text(encoding="utf-8"))
        assert normalise_text(once) == once


def test_fold_tones() -> None:
    assert fold_tones("hoá khoá uỷ ban Thuỷ HOÁ") == "hóa khóa ủy ban Thủy HÓA"
    assert fold_tones("quý hoàn toàn loại") == "quý hoàn toàn loại"
    s = "Đảng uỷ xã Kỳ Lợi, tự chuyển hoá"
    assert len(fold_tones(s)) == len(s)


_alphabet = st.sampled_from(
    list("aeoudĐđ -/\n\t0123456789KLTWHáàêếệươ") + ["\u0301", "\u0302", "\u0323", "\u00d0", "\r", "\u00a0", "\u200b"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_alphabet, max_size=60).map("".join))
def test_offsets_are_valid_for_any_text(raw: str) -> None:
    text, offsets = normalise(raw)
    assert len(offsets) == len(text)
    assert all(0 <= o < len(raw) for o in offsets)
    assert list(offsets) == sorted(offsets)
    assert normalise_text(text) == text or "\n" in raw  # stable once normalised


def test_marks_around_a_precomposed_letter_are_ordered_once() -> None:
    # Hypothesis: a letter that carries a mark already ("à", "ạ") with more marks after it
    # gave a different text when normalised again.
    for raw in ("ạ́̂", "à\u0302\u0323\u0302", "\u0301\u0323\u0302", "á\u0302"):
        text, offsets = normalise(raw)
        assert normalise_text(text) == text
        assert len(offsets) == len(text) and all(0 <= o < len(raw) for o in offsets)
    assert normalise_text("a\u0301\u0302") == "ấ"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("qQoOuUyYaAeE xđ.") + list("áàảãạÁÀẢÃẠéèÉÈýỳỷỸÝỴ")), max_size=30).map("".join))
def test_fold_tones_moves_exactly_the_table_pairs(s: str) -> None:
    """The class-based pattern moves what the table's alternation of pairs moved, nothing else."""
    from pipeline.normalise import _FOLD

    reference = re.compile("(?<![qQ])(" + "|".join(sorted(_FOLD, key=len, reverse=True)) + r")(?![^\W\d_])")
    assert fold_tones(s) == reference.sub(lambda m: _FOLD[m.group(1)], s)
