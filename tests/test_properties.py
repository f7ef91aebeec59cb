"""Property tests (hypothesis): the normaliser and the extractors never crash on any text,
and every offset they return points at the text it claims.

Two kinds of input: arbitrary Unicode, and text built from the pieces plans are made of
(headers, symbols, dates, time phrases, units and role verbs, numbers, signature blocks)
joined by spaces, punctuation and line breaks in any order, so the extractors' deeper
branches run on shapes no real document has.
"""

from __future__ import annotations

import functools
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.extract import extract
from pipeline.extract.dates import find_dates
from pipeline.extract.sections import find_sections, paragraphs
from pipeline.identity import find_symbols
from pipeline.extract.text import sentence_at, squash
from pipeline.extract.units import find_units
from pipeline.models import Document, Extraction, FileInfo
from pipeline.normalise import normalise
from pipeline.privacy import find_personal, redact
from pipeline.store import Store

PROFILE = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FRAGMENTS = [
    "ĐẢNG BỘ TỈNH HẢI DƯƠNG", "BAN THƯỜNG VỤ", "*", "ĐẢNG CỘNG SẢN VIỆT NAM", "UBND TỈNH QUẢNG NINH",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
    "Số 12-KH/TU", "Số: 134/KH-UBND", "Số 05 -KH/ĐUK", "21-KL/TW", "56/2024/QH15", "số 21-\nKL/TW",
    "Hải Dương, ngày 3 tháng 3 năm 2022", "ngày 25/10/2021", "ngày 03tháng 3năm 2022", "năm 2023",
    "KẾ HOẠCH", "Kế hoạch", "Kết luận số 21-KL/TW, ngày 25/10/2021 của Ban Chấp hành Trung ương Đảng khóa XIII",
    "Thực hiện Nghị quyết số 04-NQ/TW", "Chỉ thị 05", "Kết luận nêu trên", "Quyết định số 1234/QĐ-TTg",
    "I. MỤC ĐÍCH, YÊU CẦU", "II. TỔ CHỨC THỰC HIỆN", "1.", "2.1.", "a)", "-", "Điều 3.",
    "Ban Tuyên giáo Tỉnh ủy chủ trì", "phối hợp với Ban Tổ chức Tỉnh ủy", "tham mưu", "hướng dẫn thực hiện",
    "Các huyện ủy, thành ủy trực thuộc Tỉnh ủy", "Văn phòng Tỉnh ủy", "Mặt trận Tổ quốc tỉnh", "các chi bộ",
    "trước ngày 30/6/2022", "trong quý II/2022", "hằng năm", "6 tháng đầu năm", "từ tháng 4 đến tháng 11/2022",
    "từ ngày 15/3/2026", "định kỳ hằng quý", "chậm nhất ngày 31-12-2022", "Từ 20-8-1945 đến nay",
    "100% chi bộ", "ít nhất 02 lần/năm", "trên 95% đảng viên", "1.000.000 đồng", "5 tỷ đồng", "0,5%",
    "T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Nguyễn Văn An", "Nơi nhận:", "- Như trên,", "- Lưu VP.",
    "email: a.b@tinhuy.gov.vn", "ĐT: 0912.345.678", "**", "|", " | ", "\t", "(", ")", "“", "”", "\u00d0", "\u0301",
]  # fmt: skip
SEPARATORS = [" ", "  ", "\n", "\n\n", ", ", ". ", "; ", ": ", "\t", "\r\n", " - ", "\u00a0", ""]

unicode_text = st.text(max_size=400)
plan_like = st.lists(
    st.tuples(st.sampled_from(FRAGMENTS) | st.text(max_size=6), st.sampled_from(SEPARATORS)), max_size=60
).map(lambda parts: "".join(a + b for a, b in parts))
UNITS = ["Ban Tuyên giáo Tỉnh ủy", "Ban Tổ chức Tỉnh ủy", "Văn phòng Tỉnh ủy", "Các huyện ủy, thành ủy",
         "Ủy ban nhân dân tỉnh", "Sở Nội vụ", "Đảng ủy Khối", "Mặt trận Tổ quốc và các đoàn thể"]  # fmt: skip
ROLES = ["chủ trì", "phối hợp với", "tham mưu", "chỉ đạo", "hướng dẫn", "thực hiện", "chủ trì, phối hợp với"]
item = st.tuples(
    st.sampled_from(["", "- ", "1. ", "2. ", "a) ", "3.1. "]), st.sampled_from(UNITS), st.sampled_from(ROLES),
    st.sampled_from(UNITS + [""]), plan_like,
).map(lambda t: f"{t[0]}{t[1]} {t[2]} {t[3]} {t[4]}")  # fmt: skip
plan_shaped = st.tuples(plan_like, plan_like, st.lists(item, max_size=8), plan_like).map(
    lambda t: f"{t[0]}\n\nKẾ HOẠCH\n{t[1]}\n\nII. TỔ CHỨC THỰC HIỆN\n" + "\n".join(t[2]) + f"\n\n{t[3]}"
)
any_text = unicode_text | plan_like | plan_shaped


def document(raw: str) -> Document:
    text, offsets = normalise(raw)
    return Document(path="t.txt", sha256="0" * 64, format="txt", text=text, raw_text=raw, source_offsets=offsets)


# ------------------------------------------------------------------------ normalise


@PROFILE
@given(any_text)
def test_normalise_offsets_are_monotone_and_within_the_raw_text(raw: str) -> None:
    text, offsets = normalise(raw)
    assert len(offsets) == len(text)
    assert all(0 <= o < len(raw) for o in offsets)
    assert all(a <= b for a, b in zip(offsets, offsets[1:]))
    assert unicodedata.is_normalized("NFC", text)
    for i, ch in enumerate(text):  # a letter or digit comes from the same letter in raw
        if ch.isascii() and ch.isalnum():
            assert unicodedata.normalize("NFKC", raw[offsets[i]]) == ch, (i, ch, raw[offsets[i]])


# ------------------------------------------------------------------------- extract


def check_offsets(text: str, ex: Extraction) -> None:
    """Every offset/sentence of ``ex`` points at what it says, in ``text``.

    Deadlines and assignments quote sentences of ``paragraphs(text)`` (PDF line wraps
    undone, same offsets); citations and numbers those of the text itself.
    """
    flowing = paragraphs(text)
    for c in ex.citations:
        for m in c.mentions:
            assert 0 <= m.start < m.end <= len(text)
            assert m.text == squash(text[m.start : m.end])
            assert m.sentence == sentence_at(text, m.start)
    for d in ex.deadlines:
        assert 0 <= d.offset < len(text)
        quoted = squash(text[d.offset :].replace("*", "")).lstrip(" ,;:.(")
        assert d.text and quoted.startswith(d.text), (d.offset, d.text, quoted[:80])
        assert d.sentence == squash(sentence_at(flowing, d.offset)) or d.text in d.sentence
    for n in ex.numbers:
        assert 0 <= n.offset < len(text)
        assert n.text and squash(text[n.offset :]).startswith(n.text), (n.offset, n.text)
        assert n.sentence == squash(sentence_at(text, n.offset))
    for a in ex.assignments:
        assert a.unit and 0 <= a.offset < len(text)
        assert a.sentence == squash(sentence_at(flowing, a.offset))


@PROFILE
@given(any_text)
def test_extract_never_crashes_and_offsets_hold(raw: str) -> None:
    doc = document(raw)
    ex = extract(doc)  # a crash in any extractor raises KehoachError(extract_failed)
    check_offsets(doc.text, ex)
    ex.to_json()


@PROFILE
@given(any_text)
def test_sub_extractors_point_at_their_text(raw: str) -> None:
    text = document(raw).text
    for d in find_dates(text):
        assert text[d.start : d.end] == d.text
    for s in find_symbols(text):
        assert 0 <= s.start < s.end <= len(text)
    for u in find_units(text):
        assert 0 <= u.start < u.end <= len(text) and text[u.start : u.end].strip()
    for sec in find_sections(text):
        assert 0 <= sec.start <= sec.end <= len(text)


@functools.lru_cache(maxsize=1)
def _store() -> tuple[Store, str]:
    store = Store(":memory:")
    return store, store.begin_run("hypothesis", {})


@PROFILE
@given(any_text)
def test_whatever_is_extracted_can_be_stored(raw: str) -> None:
    """The store takes any extraction (odd characters, empty fields) in its transaction."""
    store, run_id = _store()
    doc = document(raw)
    info = FileInfo(path="t.txt", sha256="0" * 64, size=len(raw), mtime=0.0, format="txt")
    store.put_document(run_id, info, doc, extract(doc))
    assert store.con.execute("SELECT count(*) FROM documents").fetchone() == (1,)


# -------------------------------------------------------------------------- privacy


@PROFILE
@given(any_text)
def test_redact_masks_every_span_it_finds(raw: str) -> None:
    spans = find_personal(raw)
    assert all(0 <= s < e <= len(raw) for s, e, _ in spans)
    assert all(e1 <= s2 for (_, e1, _), (s2, _, _) in zip(spans, spans[1:]))  # no overlaps
    out = redact(raw)
    assert not find_personal(out.replace("[email]", " ").replace("[phone]", " "))
