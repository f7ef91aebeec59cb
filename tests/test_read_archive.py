"""The sample archive: every render of every corpus text reads back as the text.

Digital renders (docx, pdf, doc) must give exactly the text reader's words; OCR renders
(scan PDF, tall PNG) must be within 2 % character error rate with document symbols
intact. Each OCR render is read once per session (OCR takes a few seconds a page).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.models import Document
from pipeline.read import read

from helpers_read import cer, comparable, sha256, words

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
GOLD = REPO / "data" / "gold"
STEMS = sorted(p.stem for p in (RAW / "text").glob("*.txt"))
SYMBOL = re.compile(r"\b\d{1,4}\s?-\s?(?:KH|KL|NQ|QĐ|CT|HD|CTr|TB)/[A-ZĐ][A-Za-zĐ]*\b")
MAX_CER = 0.02


def test_archive_layout() -> None:
    assert len(STEMS) == 5
    for stem in STEMS:
        for kind, ext in (("docx", "docx"), ("pdf", "pdf"), ("scan", "pdf"), ("png", "png"), ("doc", "doc")):
            assert (RAW / kind / f"{stem}.{ext}").is_file(), (kind, stem)
        assert (GOLD / f"{stem}.json").is_file()
    assert len(list((RAW / "dev").iterdir())) == 7
    assert (RAW / "README.md").is_file()
    total = sum(f.stat().st_size for f in RAW.rglob("*") if f.is_file())
    assert total < 12e6, "keep the sample archive small"


def test_text_copies_are_verbatim(corpus: Path) -> None:
    for stem in STEMS:
        assert sha256(RAW / "text" / f"{stem}.txt") == sha256(corpus / f"{stem}.txt")


@pytest.fixture(scope="module")
def texts() -> dict[str, Document]:
    return {stem: read(RAW / "text" / f"{stem}.txt") for stem in STEMS}


@pytest.mark.parametrize("kind,ext", [("docx", "docx"), ("pdf", "pdf"), ("doc", "doc")])
@pytest.mark.parametrize("stem", STEMS)
def test_digital_renders_match_the_text(texts: dict[str, Document], stem: str, kind: str, ext: str) -> None:
    doc = read(RAW / kind / f"{stem}.{ext}")
    assert doc.format == kind and not doc.ocr_used
    assert words(doc.text) == words(texts[stem].text)
    assert len(doc.tables) == len(texts[stem].tables)
    if kind == "doc":
        return  # antiword draws no row borders: rows with an empty first cell join the row above
    assert [len(t.rows) for t in doc.tables] == [len(t.rows) for t in texts[stem].tables]
    for got, want in zip(doc.tables, texts[stem].tables):
        assert [[comparable(c) for c in r] for r in got.rows] == [[comparable(c) for c in r] for r in want.rows]


# ------------------------------------------------------------------------------- OCR


@pytest.fixture(scope="session")
def ocr_reads() -> dict[tuple[str, str], Document]:
    """Every scan and PNG render, read once (about 3 minutes on 2 cores)."""
    out = {}
    for stem in STEMS:
        out[("scan", stem)] = read(RAW / "scan" / f"{stem}.pdf")
        out[("png", stem)] = read(RAW / "png" / f"{stem}.png")
    return out


# Every OCR render of every text: (kind, stem) pairs for the slow OCR tests.
OCR_RENDERS = [(kind, stem) for stem in STEMS for kind in ("scan", "png")]


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "stem"), OCR_RENDERS)
def test_ocr_renders_within_2_percent_cer(ocr_reads: dict[tuple[str, str], Document], texts: dict[str, Document], stem: str, kind: str) -> None:
    doc = ocr_reads[(kind, stem)]
    assert doc.ocr_used and doc.format == ("pdf-scan" if kind == "scan" else "image")
    assert doc.ocr_confidence and doc.ocr_confidence > 80
    assert all(p.ocr for p in doc.pages)
    error = cer(doc.text, texts[stem].text)
    assert error <= MAX_CER, f"{kind}/{stem}: CER {error:.2%}"


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "stem"), OCR_RENDERS)
def test_ocr_keeps_document_symbols(ocr_reads: dict[tuple[str, str], Document], texts: dict[str, Document], stem: str, kind: str) -> None:
    want = {" ".join(s.split()) for s in SYMBOL.findall(texts[stem].text)}
    got = {" ".join(s.split()) for s in SYMBOL.findall(ocr_reads[(kind, stem)].text)}
    missing = want - got
    assert len(missing) <= max(1, len(want) // 20), f"{kind}/{stem}: lost {sorted(missing)}"


@pytest.mark.slow
def test_ocr_symbols_of_the_header(ocr_reads: dict[tuple[str, str], Document]) -> None:
    for kind in ("scan", "png"):
        assert "40 - KH/ĐUK" in ocr_reads[(kind, "004_3e1be27b5e1fb67a")].text
        assert "21-KL/TW" in ocr_reads[(kind, "004_3e1be27b5e1fb67a")].text
        assert "31-KH/ĐUK" in ocr_reads[(kind, "000_3b1757ecb9cfc0d3")].text
