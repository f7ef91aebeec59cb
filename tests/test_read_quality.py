"""Text-layer quality (valid Vietnamese syllables), legacy encodings, and the language judged
on the document's own text: broken layers caught, no real document rejected."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import KehoachError, Reason
from pipeline.read import read
from pipeline.read.legacy import convert, detect
from pipeline.read.quality import is_syllable, measure

VIETNAMESE = (
    "Căn cứ Luật số 57/2023/QH15 của Quốc hội về tổ chức chính quyền địa phương; theo đề nghị của "
    "Giám đốc Sở Nội vụ, Ủy ban nhân dân tỉnh ban hành kế hoạch thực hiện nhiệm vụ trọng tâm năm 2026 "
    "như sau: các sở, ngành, địa phương khẩn trương triển khai, báo cáo kết quả trước ngày 15 tháng 12."
)


@pytest.mark.parametrize(
    "word",
    ["Cộng", "HÒA", "nghĩa", "Việt", "quyết", "nghiêng", "khuyến", "giết", "gì", "thuế", "hoá", "uỷ", "người",
     "Nguyễn", "quỳnh", "trưởng", "được", "oanh", "khuya", "Thường"],
)  # fmt: skip
def test_valid_syllables(word: str) -> None:
    assert is_syllable(word)


@pytest.mark.parametrize(
    "word",
    ["viet", "phuc", "thuc", "cac", "ka", "ci", "ngi", "ghu", "qua̋", "hộì", "CQNG", "HQI", "oxy", "committee", "Kiến̉"],
)
def test_invalid_syllables(word: str) -> None:
    assert not is_syllable(word)  # stop rhymes need sắc/nặng; k/gh/ngh before i e ê only; one tone


def test_real_vietnamese_scores_high() -> None:
    q = measure(VIETNAMESE)
    assert q.valid >= 0.95 and q.marked > 0.6 and q.junk == 0 and q.verdict == "vietnamese"


def test_mojibake_font_layer_is_broken() -> None:
    q = measure("&ăQ Fͱ /X̵W V͙ 57/2023/QH15 " * 5 + "7ͱ\u0335 FK͟F Q̈ J ,ͱ ͱQK Fͱ " * 5)
    assert q.verdict == "broken" and q.junk > 0.5


def test_english_ocr_layer_of_a_scan_is_broken() -> None:
    layer = (
        "CQNG HOA XA HQI CHU NGHIA VIET NAM DQc l$p - Tg do - Hanh phuc Lam Dang, ngay 03 thang 9 nam 2025 "
        "Thuc hien C6ng van s6 1189/SNV ngay 29 thang 8 nam 2025 cua S& NQI vu ve viec cu lanh dao tham gia Ban"
    )
    q = measure(layer)
    assert q.verdict == "broken" and q.valid < 0.75 and q.marked < 0.1


def test_foreign_text_is_foreign_not_broken() -> None:
    text = "Sodium chloride, potassium hydroxide, methanol, ethylene glycol, benzene and toluene are listed. " * 3
    assert measure(text).verdict == "foreign"


def test_abbreviations_symbols_and_numbers_are_not_counted() -> None:
    q = measure("UBND tỉnh, HĐND, TCCB; Số: 1239/SYT-TCCB ngày 29/8/2025; QH15; 1.234,5 tỷ đồng")
    assert q.valid == 1.0 and q.words == 5  # tỉnh Số ngày tỷ đồng


@pytest.mark.parametrize(
    "legacy,encoding",
    [
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam. KÕ ho¹ch sè 21-KL/TW cña Ban ChÊp hµnh Trung ­¬ng. ", "tcvn3"),
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam. Keá hoaïch soá 21-KL/TW cuûa Ban Chaáp haønh Trung öông. ", "vni"),
    ],
)
def test_legacy_encodings_are_detected_and_converted(legacy: str, encoding: str) -> None:
    text = legacy * 4
    assert detect(text) == encoding
    out = convert(text, encoding)
    assert out.startswith("Cộng h")
    assert "xã hội chủ nghĩa Việt Nam. Kế hoạch số 21-KL/TW của Ban Chấp hành Trung ương." in out
    assert detect(VIETNAMESE * 3) is None


def test_unicode_words_in_a_legacy_document_stay(tmp_path: Path) -> None:
    mixed = "Kế hoạch số 21 của Ban Chấp hành. " * 20 + "Céng hoµ x· héi chñ nghÜa ViÖt Nam. " * 2
    assert convert(mixed, "tcvn3").count("Kế hoạch số 21 của Ban Chấp hành.") == 20


# ---------------------------------------------------------------- the whole document

CHEMICALS = [
    "Acetone", "Benzene", "Toluene", "Xylene", "Methanol", "Ethanol", "Isopropanol", "Chloroform",
    "Dichloromethane", "Hexane", "Heptane", "Sodium hydroxide", "Potassium permanganate", "Sulfuric acid",
    "Hydrochloric acid", "Nitric acid", "Ammonium nitrate", "Ephedrine", "Pseudoephedrine", "Safrole",
]  # fmt: skip


def test_decree_with_a_long_foreign_appendix_is_kept(tmp_path: Path) -> None:
    head = (
        "CHÍNH PHỦ\nSố: 57/2022/NĐ-CP\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Hà Nội, ngày 25 tháng 8 năm 2022\nNGHỊ ĐỊNH\nQuy định các danh mục chất ma túy và tiền chất\n"
        + VIETNAMESE + "\n" + VIETNAMESE + "\nNơi nhận:\n- Các Bộ;\nTM. CHÍNH PHỦ\nTHỦ TƯỚNG\n\nPHỤ LỤC\n"
    )
    rows = "\n".join(f"{k}. {CHEMICALS[k % 20]} {CHEMICALS[(k * 7) % 20]} CAS {100 + k}-{k % 90}-{k % 9}" for k in range(900))
    doc = read(_write(tmp_path, "nghi-dinh.txt", head + rows))  # the appendix is most of the text
    assert "Ephedrine" in doc.text and doc.text.startswith("CHÍNH PHỦ")
    assert measure(doc.text).verdict != "vietnamese"  # weighed as a whole, the file is not Vietnamese


def test_english_document_is_refused(tmp_path: Path) -> None:
    english = "The committee shall report to the ministry every quarter on the progress of the plan. " * 30
    with pytest.raises(KehoachError) as e:
        read(_write(tmp_path, "english.txt", english))
    assert e.value.reason is Reason.not_vietnamese and "valid Vietnamese syllables" in e.value.detail


def test_tiny_junk_docx_is_no_text(tmp_path: Path) -> None:
    p = tmp_path / "junk.docx"
    p.write_bytes(b"not a zip")
    with pytest.raises(KehoachError) as e:
        read(p)
    assert e.value.reason is Reason.no_text


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


DEV2 = Path(__file__).resolve().parents[2] / "shared" / "dev2" / "files"


def test_dev2_text_layers_are_judged() -> None:
    """Without OCR: every digital dev2 file reads with Vietnamese text layers; every
    scanner-OCR layer is caught as not Vietnamese (the scans themselves: test_read_ocr_layers)."""
    from pipeline.read import ReadSettings

    if not DEV2.is_dir():
        pytest.skip("no dev2 files")
    for f in sorted(DEV2.iterdir()):
        if "scan" in f.name:
            continue
        if "badocr" in f.name:
            with pytest.raises(KehoachError) as e:  # no OCR: only the broken layer is left
                read(f, ReadSettings(ocr=False))
            assert e.value.reason is Reason.not_vietnamese, f.name
            continue
        doc = read(f, ReadSettings(ocr=False))
        for p in doc.pages:
            assert p.quality is None or p.quality >= 0.9 or p.source == "ocr", (f.name, p)
