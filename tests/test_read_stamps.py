"""Numbers and days stamped into e-signed PDFs by their signature widgets (read/stamps.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.read import ReadSettings, read
from pipeline.read.stamps import number_blank, text_stamps


@pytest.fixture(scope="module")
def dev2(shared: Path) -> Path:
    files = shared / "dev2" / "files"
    if not files.is_dir():
        pytest.skip(f"{files} is not here")
    return files


def _head(doc_text: str) -> list[str]:
    return [ln for ln in doc_text[:800].splitlines() if re.search(r"^Số|ngày \S+ tháng", ln)]


def test_widgets_that_draw_text_are_read_without_ocr(dev2: Path) -> None:
    # The text layer reads "Số: /BNV-TCPCP" and "ngày tháng 12": the widgets draw the rest as text.
    path = dev2 / "bnv-cv11902-2025-bao-cao-quan-ly-hoi.pdf"
    stamps = text_stamps(path.read_bytes(), 0)
    assert [s.text for s in stamps] == ["11902", "11"]
    doc = read(path, ReadSettings(ocr=False))
    assert not doc.ocr_used
    head = _head(doc.text)
    assert re.fullmatch(r"Số: 11902 ?/BNV-TCPCP", head[0]), head  # no extra digit from a "/" read as "1"
    assert "ngày 11 tháng 12 năm 2025" in head[1]
    assert any("stamped by signature widgets" in n for n in doc.notes)


def test_a_day_is_never_put_inside_a_word(dev2: Path) -> None:
    # The day's widget reaches over "tháng": the day goes before the word, not after its "t".
    doc = read(dev2 / "lamdong-hdtd-qd10797-2025-to-giup-viec-chi-so-cchc.pdf", ReadSettings(ocr=False))
    head = _head(doc.text)
    assert head[0].replace(" ", "") == "Số:10797/QĐ-HĐTĐ", head  # the stamp reaches over the printed "/"
    assert "ngày 28 tháng 10 năm 2025" in head[1]


def test_month_and_year_stamps_too(dev2: Path) -> None:
    doc = read(dev2 / "vpcp-cd2003-2025-hoi-nghi-ctmtqg-ma-tuy.pdf", ReadSettings(ocr=False))
    assert "ngày 07 tháng 10 năm 2025" in doc.text[:600]


def test_blank_number_or_day() -> None:
    assert number_blank("Số: /BNV-TCPCP")
    assert number_blank("Số    -HD/BTCTU")
    assert number_blank("Hà Nội, ngày tháng 12 năm 2025")
    assert number_blank("Hà Nội, ngày 12 tháng năm 2025")
    assert not number_blank("Số: 3917/BTP-BTTP\nHà Nội, ngày 01 tháng 7 năm 2025")
