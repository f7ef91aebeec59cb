"""``pipeline.prefilter``: a prefiltered pattern finds exactly what ``Pattern.finditer`` finds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.prefilter import Prefilter

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
FILLER = "Các đơn vị triển khai thực hiện nghiêm túc, báo cáo kết quả về Ban Thường vụ. " * 8


def _same(rx: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None) -> None:
    pf = Prefilter(rx)
    end = len(text) if endpos is None else endpos
    want = [(m.span(), m.groups()) for m in rx.finditer(text, pos, end)]
    got = [(m.span(), m.groups()) for m in pf.finditer(text, pos, endpos)]
    assert got == want


# fmt: off
PATTERNS = [
    (r"(?<![^\W_])(?:trước|chậm\s+nhất)\s+ngày\s+(\d{1,2}/\d{1,2}/\d{4})(?![^\W_])", re.IGNORECASE),
    (r"(?<!\w)(?:tháng|THÁNG)\s*(\d{1,2})", 0),
    (r"(?m:^[ \t*_]*)(?:\d+[.)][ \t]+)?[^\W\d_][^\n:]{2,40}:", 0),             # a line start
    (r"(?<![\w/.\-])(\d{1,5})[ \t]*-[ \t]*([A-Z]{1,4})/([A-Z]{1,5})", 0),      # a digit start
    (r"(?:ngày\s*)?(?:0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|1[0-2])", re.IGNORECASE),  # optional word, then digits
    (r"[IVX]+\.\s+[A-ZĐ]", 0),                                                 # a class of capitals
    (r"(?i:quý)\s+(I{1,3}|IV)", 0),                                            # an inline flag
    (r"\bSỐ\b|\bsố\b", re.IGNORECASE),
    (r"ſố|kelvin|ıt", re.IGNORECASE),                                          # extra case-equivalents
    (r"\w+ất", 0),                                                             # an open start: no prefilter
]
# fmt: on


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
def test_same_matches_as_finditer(pattern: str, flags: int) -> None:
    rx = re.compile(pattern, flags)
    texts = [
        FILLER + "Hoàn thành trước ngày 30/6/2026; CHẬM NHẤT ngày 5/7/2026. Số 21-KL/TW, số 134/KH-UBND.\n"
        "1. Hội nghị: ngày 12/5/2026\nIII. TỔ CHỨC THỰC HIỆN\nQUÝ III/2026, tháng 10, THÁNG 11, ſố, KELVIN, ıt",
        FILLER + "\n- Tuyên truyền: 15/3\n" + FILLER,
        FILLER + "İT ıt số 5/3 (lower-casing 'İ' changes the length: the pattern runs as it is)",
    ]
    texts += [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))[:2]]
    for text in texts:
        _same(rx, text)
        _same(rx, text, 37, len(text) - 50)


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS + [(r"ngày\s+(\d+)\s+tháng\s+(\d+)\s+năm", re.IGNORECASE), (r"(?:Số|số)\s+(\d+)", 0)])
def test_short_windows(pattern: str, flags: int) -> None:
    """A short text is scanned only when it holds the literal runs every match holds."""
    rx = re.compile(pattern, flags)
    text = (CORPUS / sorted(p.name for p in CORPUS.glob("*.txt"))[0]).read_text(encoding="utf-8")
    text += " NGÀY 5 THÁNG 6 NĂM 2026, Ngày 7 Tháng 8 Năm 2026, ſố 3 KELVIN ıt İT ngày 1 tháng 2 năm"
    for start in range(0, len(text) - 80, 97):
        window = text[start : start + 80]
        _same(rx, window)
        _same(rx, text, start, start + 80)


def test_reads_required_runs() -> None:
    pf = Prefilter(re.compile(r"(?:ngày\s*)?(\d+)\s*tháng\s*(\d+)\s*(?:,\s*)?năm", re.IGNORECASE))
    assert pf.required == ("tháng", "năm") and pf.folded
    assert Prefilter(re.compile(r"ſố|số")).required == ()  # a branch: no run every match holds
    assert Prefilter(re.compile(r"(?i:số) (\d+)")).required == ()  # a group with flags of its own
    assert "kelvin" not in "".join(Prefilter(re.compile(r"kelvin", re.IGNORECASE)).required)  # "K" (Kelvin sign)


def test_reads_literal_prefixes() -> None:
    pf = Prefilter(re.compile(r"(?<![^\W_])(?:trước|chậm)\s+ngày", re.IGNORECASE))
    assert pf.strings == frozenset({"trư", "chậ"}) and not pf.digit
    assert Prefilter(re.compile(r"(?<!\w)\d+/KH")).digit
    assert Prefilter(re.compile(r"(?m:^)[ \t]*\w")).line
    assert Prefilter(re.compile(r"\w+")).strings is None  # may start with any letter
    assert Prefilter(re.compile(r"a*")).strings is None  # may match the empty string


def test_search_is_the_first_match() -> None:
    rx = re.compile(r"(?<!\w)năm\s+(20\d\d)", re.IGNORECASE)
    text = FILLER + "trong NĂM 2026 và năm 2027"
    assert Prefilter(rx).search(text).span() == rx.search(text).span()  # type: ignore[union-attr]
    assert Prefilter(rx).search(FILLER) is None


def test_first_keys() -> None:
    from pipeline.prefilter import first_keys

    assert first_keys(re.compile(r"^(?:PHẦN|Chương)\s+\d")) == (frozenset("PC"), False, False)
    assert first_keys(re.compile(r"^\d{1,2}\.")) == (frozenset(), True, False)
    assert first_keys(re.compile(r"(?i:phần)\s")) == (frozenset("p"), False, True)  # folded keys
    assert first_keys(re.compile(r"^\w+")) is None


def test_label_gate_changes_no_label(monkeypatch: pytest.MonkeyPatch) -> None:
    """``label_at`` skips its patterns for a line whose first character no label has."""
    from pipeline.structure import cues

    lines = [ln for p in sorted(CORPUS.glob("*.txt")) for ln in p.read_text(encoding="utf-8").splitlines()]
    lines += ["III. TỔ CHỨC", "Phần thứ nhất", "Điều 3. Giao", "a) Nội dung", "- Lưu: VT", "١. x", "Ⅳ. y", "İ. z", ""]
    gated = [cues.label_at.__wrapped__(ln) for ln in lines]
    monkeypatch.setattr(cues, "_label_starts", lambda: None)
    assert gated == [cues.label_at.__wrapped__(ln) for ln in lines]
