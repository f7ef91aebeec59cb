"""Regression floors on heldout3: 9 real office documents (4 scans, 1 digital PDF, 4 DOCX)
whose gold was kept out of the repository until the extractor was scored on it once
(``tests/resources/heldout3/README.md``: the unseen figure). A floor sits a little under
that score, so the set guards regressions; improving on it is development, not evidence
of generalisation. Do NOT copy gold values into code or pattern tables. OCR: slow.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.evaluate import Report, evaluate

pytestmark = pytest.mark.slow

GOLD = Path(__file__).parent / "resources" / "heldout3" / "gold"
FLOORS = {
    "citations": 0.90,
    "implements": 0.74,
    "assignments": 0.50,
    "deadlines": 0.62,
    "recipients": 0.89,
    "numbers": 0.73,
}
HEADER_FLOOR = 38  # of 54 header fields exact (40 when scored unseen)


@pytest.fixture(scope="module")
def report(shared: Path) -> Report:
    files = shared / "dev2" / "files"
    if not files.is_dir():
        pytest.skip(f"{files} is not here")
    return evaluate(GOLD, [files])


def test_every_gold_document_is_found_and_read(report: Report) -> None:
    assert not report.missing
    assert len(report.docs) == len(list(GOLD.glob("*.json")))


@pytest.mark.parametrize("field", sorted(FLOORS))
def test_field_f1_floor(report: Report, field: str) -> None:
    score = report.micro()[field]
    failures = [f"{d.doc}: {f}" for d in report.docs for f in d.failures if f.startswith(field)]
    assert score.f1 >= FLOORS[field], "\n".join(failures)


def test_header_floor(report: Report) -> None:
    ok, total = report.header_exact()
    assert ok >= HEADER_FLOOR, f"header exact {ok}/{total}"
