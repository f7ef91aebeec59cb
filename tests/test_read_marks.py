"""The syllable bigram model that chooses again the marks of shaky OCR words (read/marks.py)."""

from __future__ import annotations

from pipeline.read.marks import Model, model, respell, skeleton


def test_the_model_ships_with_the_package() -> None:
    m = model()
    assert m is not None and len(m.uni) > 3000
    assert {"tổng", "tông"} <= set(m.sets["tong"])


def test_misread_marks_are_chosen_again_from_the_words_around() -> None:
    line = [("Báo", 96.0), ("cáo", 96.0), ("Tông", 80.0), ("kết", 96.0)]
    assert respell(line) == ["Báo", "cáo", "Tổng", "kết"]
    assert respell([("Vì", 96.0), ("sự", 96.0), ("tiên", 90.0), ("bộ", 96.0)])[2] == "tiến"
    assert respell([("LÂM", 90.0), ("ĐÒNG", 70.0)]) == ["LÂM", "ĐỒNG"]  # case kept letter by letter


def test_sure_or_lone_words_are_kept() -> None:
    assert respell([("Tông", 98.0), ("kết", 96.0)]) == ["Tông", "kết"]  # Tesseract was sure
    assert respell([("tiên", 40.0)]) == ["tiên"]  # a known word with nothing around it
    assert respell([("tông,", 50.0), ("kết", 96.0)])[0] == "tông,"  # punctuation ends the context


def test_a_tiny_model() -> None:
    m = Model({"vốn": 10, "vôn": 1, "năm": 10}, {"năm vốn": 10})
    assert respell([("năm", 96.0), ("vôn", 10.0)], m) == ["năm", "vốn"]
    assert respell([("năm", 96.0), ("vôn", 90.0)], m) == ["năm", "vôn"]  # surer readings need more evidence
    assert skeleton("Đổi") == "doi"
