"""pipeline.identity: symbol (số ký hiệu) normalisation, document keys (SCHEMA.md rules),
central or scoped issuer codes."""

from __future__ import annotations

import pytest

from pipeline.identity import find_symbols, is_central, make_key, normalise_scope, normalise_symbol, parse_symbol, split_key

# fmt: off
NORMALISED = [
    ("21- KL/TW", "21-KL/TW", "21-KL/TW"),
    ("27 - CT/TW", "27-CT/TW", "27-CT/TW"),
    ("05 – CT/TW", "05-CT/TW", "5-CT/TW"),
    ("46 - CT/TW", "46-CT/TW", "46-CT/TW"),
    ("12- HD/BTCTW", "12-HD/BTCTW", "12-HD/BTCTW"),
    ("08 –HD/BTCTU", "08-HD/BTCTU", "8-HD/BTCTU"),
    ("Số 40 - KH/ĐUK", "40-KH/ĐUK", "40-KH/ĐUK"),
    ("51-KH/TU", "51-KH/TU", "51-KH/TU"),
    ("18-CTr/TU", "18-CTr/TU", "18-CTr/TU"),
    ("13-CTR/TU", "13-CTr/TU", "13-CTr/TU"),
    ("05-QĐ/ThU", "05-QĐ/ThU", "5-QĐ/ThU"),
    ("183-QĐ/THU", "183-QĐ/ThU", "183-QĐ/ThU"),
    ("09-nq/tu", None, None),  # lower-case first letters are not a symbol
    ("35/2022/NĐ-CP", "35/2022/NĐ-CP", "35/2022/NĐ-CP"),
    ("1074/QĐ-BXD", "1074/QĐ-BXD", "1074/QĐ-BXD"),
    ("Số: 134 /KH-UBND", "134/KH-UBND", "134/KH-UBND"),
    ("16/KH-MTTQ-BTT", "16/KH-MTTQ-BTT", "16/KH-MTTQ-BTT"),
    ("03/QĐ-UBBC", "03/QĐ-UBBC", "3/QĐ-UBBC"),
    ("28/CT-TTg", "28/CT-TTg", "28/CT-TTg"),
    ("72/2025/QH15", "72/2025/QH15", "72/2025/QH15"),
    ("02/2011/QH13", "02/2011/QH13", "2/2011/QH13"),
    ("123/UBND - VP", "123/UBND-VP", "123/UBND-VP"),
    ("01/2024/TT-BNV", "01/2024/TT-BNV", "1/2024/TT-BNV"),
    ("15/NQ-HĐND", "15/NQ-HĐND", "15/NQ-HĐND"),
]
# parsed parts: (number as written, type, issuer, State form, year)
PARTS = [
    ("21-KL/TW",        ("21", "KL", "TW", False, None)),
    ("05-CT/TW",        ("05", "CT", "TW", False, None)),
    ("13-CTr/TU",       ("13", "CTr", "TU", False, None)),
    ("183-QĐ/ThU",      ("183", "QĐ", "ThU", False, None)),
    ("35/2022/NĐ-CP",   ("35", "NĐ", "CP", True, 2022)),
    ("134/KH-UBND",     ("134", "KH", "UBND", True, None)),
    ("51-KH/TU@2022-01-28", ("51", "KH", "TU", False, None)),
    ("56/2024/QH15",    ("56", "", "QH15", True, 2024)),
]
CENTRAL = [
    ("21-KL/TW", True), ("3-KH/TW", True), ("37-HD/BTGTW", True), ("35/2022/NĐ-CP", True),
    ("1074/QĐ-BXD", True), ("5/CT-TTg", True), ("56/2024/QH15", True), ("6/KH-MTTW-BTT", True),
    ("100/2025/TT-BTC", True), ("33/KH-MTTQ-BTT", False), ("99/2025/NQ-HĐND", False),
    ("51-KH/TU", False), ("40-KH/ĐUK", False), ("27-HD/BTG", False), ("134/KH-UBND", False),
    ("38-KH/ĐU", False), ("12-KH/HU", False),
]
NOT_SYMBOLS = ["ngày 25/10/2021", "19/5/1890", "2020-2025", "tỷ lệ 1/2", "COVID-19", "Điều 3/4", "số 45"]
# fmt: on


@pytest.mark.parametrize("written,symbol,key", NORMALISED)
def test_normalise(written: str, symbol: str | None, key: str | None) -> None:
    sym = parse_symbol(written)
    assert (sym.text if sym else None) == symbol
    assert (sym.base_key if sym else None) == key


@pytest.mark.parametrize("text", NOT_SYMBOLS)
def test_not_symbols(text: str) -> None:
    assert find_symbols(text) == ()


def test_spans_and_order() -> None:
    text = "Căn cứ Nghị định số 35/2022/NĐ-CP và Chỉ thị số 05 – CT/TW, Kế hoạch 38-KH/ĐU"
    found = find_symbols(text)
    assert [s.text for s in found] == ["35/2022/NĐ-CP", "05-CT/TW", "38-KH/ĐU"]
    assert [text[s.start : s.end] for s in found] == ["35/2022/NĐ-CP", "05 – CT/TW", "38-KH/ĐU"]
    assert found[0].state and found[0].year == 2022 and found[0].issuer_code == "CP"


@pytest.mark.parametrize("symbol,expected", PARTS)
def test_parse_symbol_parts(symbol, expected):
    p = parse_symbol(symbol)
    assert (p.number, p.type_code, p.issuer_code, p.state, p.year) == expected


def test_parse_symbol_rejects_free_text():
    assert parse_symbol("Kết luận số 21") is None
    assert parse_symbol(None) is None


def test_keys() -> None:
    assert make_key("21-KL/TW", "2021-10-25") == "21-KL/TW@2021-10-25"
    assert make_key("21-KL/TW", None, 2021) == "21-KL/TW@2021"
    assert make_key("37-QĐ/TW") == "37-QĐ/TW"
    assert make_key("05 – CT/TW", "2016-05-15") == "5-CT/TW@2016-05-15"
    assert make_key("108-KH/ĐUK", None) == "108-KH/ĐUK"
    assert make_key("7-KH/TU", "2016") == "7-KH/TU@2016"
    assert make_key("7-KH/TU", "tháng 3") == "7-KH/TU"
    assert make_key("7-KH/TU", "2021-02-30") == "7-KH/TU"  # not a calendar day
    assert make_key(None, "2020-01-01") is None
    assert make_key("Nghị quyết số 34") == "Nghị quyết số 34"  # no symbol: kept as written
    assert parse_symbol("05-CT/TW").key("2016-05-15") == "5-CT/TW@2016-05-15"
    assert split_key("40-KH/ĐUK@2022-03-03") == ("40-KH/ĐUK", "2022-03-03")
    assert split_key("40-KH/ĐUK") == ("40-KH/ĐUK", "")
    assert normalise_symbol("Số 108 -KH/ĐUK") == "108-KH/ĐUK"


@pytest.mark.parametrize("symbol,central", CENTRAL)
def test_is_central(symbol, central):
    assert is_central(symbol) is central


def test_normalise_scope():
    assert normalise_scope("  tỉnh   Hải Dương ") == "Hải Dương"
    assert normalise_scope("") is None
    assert normalise_scope(None) is None


def test_ocr_slips_in_codes() -> None:
    # Tesseract doubles letters and adds tone marks inside codes
    assert normalise_symbol("Quyết định 82-QĐĐ/ĐỦ") == "82-QĐ/ĐU"
    assert normalise_symbol("Quy định số 724-QĐĐ/TU") == "724-QĐ/TU"
    assert normalise_symbol("Thông tri 12-TT/TW") == "12-TT/TW"  # a real double letter stays


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_ALPHABET = "0123456789 -–/\nKLTWNQĐCHUrhđ.,ngàyốsố"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=60))
def test_spans_reparse_to_the_same_symbol(text: str) -> None:
    for sym in find_symbols(text):
        assert 0 <= sym.start < sym.end <= len(text)
        again = parse_symbol(text[sym.start : sym.end])
        assert again is not None and again.text == sym.text


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=_ALPHABET + "Kết luận Quy định của Bộ Chính trị Nơi nhận T/M", max_size=120))
def test_extractors_never_crash(text: str) -> None:
    from pipeline.extract import extract
    from pipeline.models import Document

    e = extract(Document(path="x.txt", sha256="", format="txt", text=text))
    for c in e.citations:
        for m in c.mentions:
            assert 0 <= m.start < m.end <= len(text)


def test_codes_with_ampersand_and_long_joint_codes() -> None:
    assert normalise_symbol("Công văn số 77/SYT-KH&TC") == "77/SYT-KH&TC"
    assert normalise_symbol("Số: 12-CV/B&PT") == "12-CV/B&PT"
    sym = parse_symbol("Nghị quyết liên tịch số 03/2023/NQLT-UBTVQH15-CP-ĐCTUBTWMTTQVN")
    assert sym is not None and sym.type_code == "NQLT" and sym.issuer_code == "UBTVQH15-CP-ĐCTUBTWMTTQVN"


def test_ocr_glued_and_misread_codes() -> None:
    assert normalise_symbol("Nghị định số 15/2021/NĐCP") == "15/2021/NĐ-CP"  # the dash lost
    assert normalise_symbol("Luật số 61/2020/QHI4") == "61/2020/QH14"  # QH14 read as QHI4
    assert normalise_symbol("Quyết định 44/QĐUBND") == "44/QĐ-UBND"
    assert normalise_symbol("Kết luận số 88/TTCP") == "88/TTCP"  # a code that is itself a body stays whole


def test_loose_symbols_only_where_the_text_names_a_document() -> None:
    # one-part State codes and a space for the Party dash count after "số" or a type word
    assert [s.text for s in find_symbols("theo Công văn 812/TCT ngày 3/3/2024")] == ["812/TCT"]
    assert [s.text for s in find_symbols("Thông báo số 45/VPĐP06")] == ["45/VPĐP06"]
    assert [s.text for s in find_symbols("Nghị quyết 33 NQ/TW ngày 9/6/2014")] == ["33-NQ/TW"]
    assert find_symbols("đạt 12/ABC điểm, lớp 10 A/B") == ()
    assert find_symbols("có 33 CT/TW") == ()  # no type word: a count, not a symbol
    # written alone, a loose form is a symbol (keys are re-read this way)
    assert parse_symbol("812/TCT@2024-03-03").text == "812/TCT"
    assert parse_symbol("33 NQ/TW").text == "33-NQ/TW"


def test_retype_takes_the_type_word_over_a_damaged_code() -> None:
    from pipeline.identity import retype

    sym = parse_symbol("12/2024/NC-CP")
    assert sym is not None and retype(sym, "NĐ").text == "12/2024/NĐ-CP"
    good = parse_symbol("12/2024/NQ-CP")
    assert good is not None and retype(good, "NĐ") is good  # a known code is never rewritten


def test_numbered_series_keeps_its_dot() -> None:
    from pipeline.identity import find_symbols, make_key

    (s,) = find_symbols("Nghị quyết số 12.3/2024/NQ-CP ngày 5/6/2024")
    assert (s.text, s.plain_number) == ("12.3/2024/NQ-CP", "12.3")
    assert make_key("012.3/2024/NQ-CP", "2024-06-05") == "12.3/2024/NQ-CP@2024-06-05"
    assert find_symbols("đạt 1.200/2.000 hộ") == ()
