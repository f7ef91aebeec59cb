"""Regression floors on dev2: 33 real office documents (scans, wrong OCR layers, digital
PDFs, DOCX, DOC, Markdown) whose gold was written before anyone looked at the extractor's
output (``tests/resources/dev2``). Their unseen score is in its README; since then the set
has been developed against, so these floors guard regressions, they do not measure
generalisation. A floor sits a little under the score reached (2026-12-02):

| field | F1 reached | floor |
|---|---|---|
| citations | 0.953 (0.968 after issue 13's citation rules) | 0.94 |
| implements | 0.939 (0.959 after issue 13's opening rules) | 0.93 |
| assignments | 0.886 | 0.85 |
| deadlines | 0.947 (0.985 after issue 13's narration rules) | 0.96 |
| numbers | 0.993 | 0.96 |

heldout3 (9 real documents, ``tests/resources/heldout3``) was kept out of the repository
until the extractor was scored on it once (its README holds that unseen figure); its floors
sit a little under that score: citations .923, implements .765, assignments .534,
deadlines .651, recipients .919, numbers .761, header 40/54. Since then it has been developed
against too (assignments reached .855, its floor raised to .83; deadlines reached .954, floor .93;
header 45/54, floor 44; numbers reached .985 after issue 13's numbers work, floor .96; citations
and implements reached 1.000 with issue 13's general citation and opening rules, floors .97).
The hand-written digit model (read/digits.py) is trained on the digits of these sets' scans,
so their header floors are in-sample for it; bench/digits_lodo.py gives the scans' header
with each document's digits left out of training (the honest figure).

Do NOT copy gold values into code or pattern tables; fix the general rule a failure
points to. Reading the scans takes OCR, so the module is slow.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.evaluate import Report, evaluate

pytestmark = pytest.mark.slow

RESOURCES = Path(__file__).parent / "resources"
# set → (field F1 floors, header fields exact floor); files in ../shared/dev2/files
SETS: dict[str, tuple[dict[str, float], int]] = {
    "dev2": (
        {"citations": 0.94, "implements": 0.93, "assignments": 0.85, "deadlines": 0.96, "recipients": 0.95, "numbers": 0.96},
        185,  # of 198 (187 with the digit model that learnt these scans' digits); tests/test_dev2_structure.py holds the digital and scan floors apart
    ),
    "heldout3": (
        {"citations": 0.97, "implements": 0.97, "assignments": 0.83, "deadlines": 0.93, "recipients": 0.95, "numbers": 0.96},
        47,  # 49 with the digit model that learnt these scans' digits
    ),
}
FIELDS = sorted({f for floors, _ in SETS.values() for f in floors})


@pytest.fixture(scope="module", params=sorted(SETS))
def scored(request: pytest.FixtureRequest, shared: Path) -> tuple[str, Report]:
    files = shared / "dev2" / "files"
    if not files.is_dir():
        pytest.skip(f"{files} is not here")
    return request.param, evaluate(RESOURCES / request.param / "gold", [files])


def test_every_gold_document_is_found(scored: tuple[str, Report]) -> None:
    name, report = scored
    assert not report.missing
    assert len(report.docs) == len(list((RESOURCES / name / "gold").glob("*.json")))


@pytest.mark.parametrize("field", FIELDS)
def test_field_f1_floor(scored: tuple[str, Report], field: str) -> None:
    name, report = scored
    floor = SETS[name][0][field]
    failures = [f"{d.doc}: {f}" for d in report.docs for f in d.failures if f.startswith(field)]
    assert report.micro()[field].f1 >= floor, "\n".join(failures)


def test_header_floor(scored: tuple[str, Report]) -> None:
    name, report = scored
    ok, total = report.header_exact()
    floor = SETS[name][1]
    assert ok >= floor, f"header exact {ok}/{total}"
