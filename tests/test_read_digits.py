"""Digits written by hand in coloured ink into a scanned header's blanks (read/digits.py),
and how fields.py takes them: a reading only when every digit is clear and the day fits
the printed month; blank otherwise."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.read import digits
from pipeline.read.assemble import RawLine
from pipeline.read.digits import Reading
from pipeline.read.fields import _agreed, _span, _valid_day

GOLD = Path(__file__).parent / "resources" / "dev2" / "gold"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _blank(text: str, ink: tuple[int, int, int] = (30, 60, 170), print_: str = "Số:") -> Image.Image:
    """A header's blank: black print on the left, ``text`` written over it in ``ink``."""
    im = Image.new("RGB", (60 + 40 * len(text), 90), (250, 248, 240))
    draw = ImageDraw.Draw(im)
    draw.text((2, 30), print_, font=ImageFont.truetype(FONT, 22), fill=(20, 20, 20))
    draw.text((50, 12), text, font=ImageFont.truetype(FONT, 52), fill=ink)
    return im


def test_coloured_ink_is_separated_from_the_black_print() -> None:
    mask = digits.ink(_blank("7"))
    cols = np.nonzero(mask.any(axis=0))[0]
    assert cols.min() >= 45  # "Số:" (black) is not ink
    assert mask.sum() > 100


def test_the_classifier_reads_synthetic_digits() -> None:
    font = ImageFont.truetype(FONT, 80)
    right = 0
    for d in range(10):
        im = Image.new("L", (120, 120), 0)
        ImageDraw.Draw(im).text((20, 5), str(d), font=font, fill=255)
        a = np.asarray(im) > 127
        rows, cols = np.nonzero(a)
        p = digits.classify(digits.features(a[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]))[0]
        right += int(p.argmax()) == d
    assert right >= 9


@pytest.mark.parametrize("text", ["113", "2805", "24"])
def test_a_number_written_in_blue_is_read(text: str) -> None:
    found = digits.read(_blank(text))
    assert found is not None and found.text == text and found.prob >= digits.MIN_PROB


def test_ink_that_is_no_row_of_digits_is_not_read() -> None:
    im = Image.new("RGB", (200, 80), "white")
    ImageDraw.Draw(im).line([(10, 40), (190, 42)], fill=(30, 60, 170), width=4)  # a stroke through the blank
    assert digits.read(im) is None
    assert digits.read(Image.new("RGB", (100, 60), "white")) is None  # nothing written


def test_a_hand_reading_only_fills_a_blank_and_must_fit() -> None:
    month = " tháng 9 năm 2025"

    def r(text: str, prob: float = 0.92) -> Reading:
        return Reading(text, prob)

    assert _agreed(None, r("11"), "day", month, []) == "11"
    assert _agreed(None, r("31"), "day", month, []) is None  # September has 30 days
    assert _agreed(None, r("9"), "day", month, []) == "09"
    assert _agreed(None, r("113"), "day", month, []) is None
    assert _agreed(None, r("19"), "day", month, [(12, 9, 2025)]) is None  # dated after it was signed
    assert _agreed("16", r("18"), "day", month, []) == "16"  # Tesseract's vote stands
    assert _agreed(None, r("1?"), "day", month, []) is None  # a glyph that is no digit
    assert _agreed(None, r("113"), "number", "", [], Counter({"113": 1, "13": 3})) is None  # a number alone is no number
    assert _agreed(None, r("113"), "number", "", [], Counter({"113": 2})) == "113"
    assert _agreed(None, r("113", 0.97), "number", "", [], Counter()) == "113"  # unless it is very sure
    assert _valid_day(29, " tháng 2 năm 2024", []) and not _valid_day(29, " tháng 2 năm 2025", [])
    assert _agreed(None, r("2"), "month", " năm 2026", []) == "02"
    assert _agreed(None, r("13"), "month", " năm 2026", []) is None


def test_a_month_not_read_as_one_is_a_field_too() -> None:
    line = RawLine("Hà Nội, ngày44 tháng Q2»ăm 2026")
    a, b = _span(line, "month")  # type: ignore[misc]
    assert line.text[a:b] == " Q2"
    a, b = _span(line, "day")  # type: ignore[misc]
    assert line.text[a:b] == "44 "


def _page_one(path: Path):  # type: ignore[no-untyped-def]
    """Page 1 of a scanned PDF read as the pipeline reads it (grey for Tesseract, colour
    for the hand-written digits)."""
    import pypdfium2 as pdfium

    from pipeline.read import ReadSettings
    from pipeline.read.pdf import _ocr_pages

    pdf = pdfium.PdfDocument(str(path))
    try:
        return _ocr_pages(pdf, [0], ReadSettings(), str(path))[0]
    finally:
        pdf.close()


def _gold(stem: str) -> dict:  # type: ignore[type-arg]
    return json.loads((GOLD / f"{stem}.json").read_text("utf-8"))["header"]


@pytest.mark.slow
def test_blue_ink_on_a_real_scan_is_the_hand_not_the_print(shared: Path) -> None:
    import pypdfium2 as pdfium

    path = shared / "dev2" / "files" / "lamdong-hoilhpn-cv-2025-cu-lanh-dao-ban-vstbpn-scan.pdf"
    if not path.exists():
        pytest.skip(f"{path} is not here")
    page = pdfium.PdfDocument(str(path))[0]
    top = page.render(scale=200 / 72).to_pil().convert("RGB")
    top = top.crop((0, 0, top.width, top.height // 4))
    mask = digits.ink(top)
    grey = np.asarray(top.convert("L")) < 100
    assert mask.sum() > 200  # the hand-written number and day
    assert (mask & grey).sum() < 0.05 * grey.sum()  # hardly any of the black print


@pytest.mark.slow
@pytest.mark.parametrize(
    "stem",
    ["lamdong-hoilhpn-cv-2025-cu-lanh-dao-ban-vstbpn-scan", "lamdong-bao-ptth-cv73-2025-cu-lanh-dao-ban-vstbpn-badocr",
     "bca-cv5689-2025-dau-tu-cong-ctmtqg-scan"],
)  # fmt: skip
def test_a_hand_written_day_is_read_right_or_left_blank(shared: Path, stem: str) -> None:
    """The day of the place-date line of real scans with a hand-written day: the gold's, or
    blank; never another day. The number beside it, when read, is the gold's too."""
    path = shared / "dev2" / "files" / f"{stem}.pdf"
    if not path.exists():
        pytest.skip(f"{path} is not here")
    gold = _gold(stem)
    text = _page_one(path).text
    day = re.search(r"ngày\s*(\d{1,2})?\s*tháng", text)
    assert day is not None, text[:400]
    assert day.group(1) in (None, gold["date"][-2:]), day.group(0)
    number = re.search(r"Số\s*:?\s*(\d+)?\s*[/-]", text)
    assert number is None or number.group(1) in (None, re.match(r"\d+", gold["symbol"]).group(0))  # type: ignore[union-attr]


def test_a_thin_stroke_broken_into_pieces_is_one_digit_and_the_print_below_is_not_the_hand() -> None:
    """A faint pen on a coarse scan leaves a digit in pieces a pixel apart; the line under
    the blank (print, or a rule over it) is on another row and is no digit."""
    mask = np.zeros((80, 90), dtype=bool)
    mask[20:50, 20:23] = True  # a "1" broken in three
    mask[27:29, 20:23] = False
    mask[38:40, 20:23] = False
    mask[20:50, 40:43] = True  # and another, whole
    mask[70:76, 5:85] = True  # print below the blank
    mask[5:7, 5:85] = True  # a rule above it
    found = digits.glyphs(mask)
    assert found is not None and len(found) == 2
    assert all(g.shape[0] == 30 for g in found)


def test_the_hand_digits_the_model_learnt_from_are_real_and_labelled() -> None:
    """scripts/data/hand_digits.npz: the real digits (with their documents) the shipped
    model was trained on, so the model can be rebuilt and checked document by document."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    import build_digits_model as build

    glyphs_, labels, docs, names = build.hand_digits()
    assert len(glyphs_) == len(labels) == len(docs) >= 40
    assert set(labels.tolist()) <= set(range(10)) and len(names) >= 10
    right = sum(int(digits.classify(digits.features(g))[0].argmax()) == int(y) for g, y in zip(glyphs_, labels))
    assert right >= 0.9 * len(labels)  # learnt (the honest, left-out figure is bench/digits_lodo.py's)
