"""Nested implements read from the words between two citation mentions."""

from __future__ import annotations

import re

import pytest

from pipeline.nesting import nested_implements


def _spans(text: str, needles: dict[str, str]) -> list[tuple[str, int, int]]:
    return [(key, m.start(), m.end()) for key, rx in needles.items() for m in re.finditer(rx, text)]


def test_nested_implements_on_real_opening_sentences(corpus):
    text = (corpus / "004_3e1be27b5e1fb67a.txt").read_text(encoding="utf-8")
    spans = _spans(text, {"51": r"Kế hoạch số 51-KH/TU, ngày 28/01/2022", "21": r"Kết luận số 21- ?KL/TW(, ngày 25/10/2021)?"})
    assert nested_implements(text, spans) == {"51": ("21",)}

    text = (corpus / "003_e0cf88b19ba32315.txt").read_text(encoding="utf-8")
    spans = _spans(
        text,
        {
            "27": r"Hướng dẫn số 27-HD/BTG, ngày 05/8/2022",
            "22": r"Hướng dẫn số 22-HD/BTG, ngày 22/3/2022",
            "01": r"Kết luận số 01, ngày 18/5/2021",
            "21": r"Kết luận số 21-KL/TW, ngày 25/10/2021",
            "38": r"Kế hoạch 38-KH/ĐU ngày 11/5/2022",
        },
    )
    found = nested_implements(text, spans)
    assert found["22"] == ("01", "21")
    assert "27" not in found and "38" not in found


@pytest.mark.parametrize(
    "gap,nested",
    [
        (" của Ban Thường vụ Tỉnh ủy thực hiện ", True),
        (", ngày 01/12/2021 của Bộ Chính trị về thực hiện ", True),
        (" của Bộ Chính trị tiếp tục thực hiện ", True),
        (" của Ban Thường vụ Tỉnh ủy và ", False),
        ("; ", False),
        (" của Ban Thường vụ Tỉnh ủy. Các chi bộ thực hiện ", False),
    ],
)
def test_nested_gap_table(gap, nested):
    text = "Kế hoạch số 51-KH/TU" + gap + "Kết luận số 21-KL/TW"
    a_end = len("Kế hoạch số 51-KH/TU")
    b_start = a_end + len(gap)
    result = nested_implements(text, [("A", 0, a_end), ("B", b_start, len(text))])
    assert (result == {"A": ("B",)}) is nested
