"""SCHEMA.md scoring: sets per field, header exact, issuer equivalence, failures listed."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from pipeline.evaluate import FieldScore, evaluate, find_pairs, score_document

GOLD = {
    "doc": "x",
    "header": {"doc_type": "Kế hoạch", "symbol": "40-KH/ĐUK", "issuer": "Tỉnh ủy Quảng Ninh", "place": None,
               "date": "2022-03-03", "title": "thực hiện  Kết luận"},
    "implements": ["21-KL/TW@2021-10-25"],
    "citations": [{"key": "21-KL/TW@2021-10-25"}, {"key": "37-QĐ/TW"}],
    "assignments": [{"unit": "Ban Tổ chức Tỉnh ủy"}, {"unit": "Văn phòng"}],
    "deadlines": [{"start": None, "end": None}, {"start": None, "end": None}, {"start": "2022-03-01", "end": "2022-03-31"}],
    "signer": None,
    "recipients": ["Lưu VP"],
}  # fmt: skip


def test_field_score() -> None:
    s = FieldScore(3, 1, 2)
    assert (round(s.precision, 3), round(s.recall, 3), round(s.f1, 3)) == (0.75, 0.6, 0.667)
    assert FieldScore().f1 == 1.0  # nothing expected, nothing found
    assert FieldScore(0, 2, 0).precision == 0.0
    assert (FieldScore(1, 0, 0) + FieldScore(0, 1, 1)) == FieldScore(1, 1, 1)


def test_score_document() -> None:
    pred = json.loads(json.dumps(GOLD))
    pred["header"]["issuer"] = "Ban Thường vụ Tỉnh ủy Quảng Ninh"  # same issuer under SCHEMA.md
    pred["header"]["title"] = "thực hiện Kết luận"  # whitespace normalised
    pred["citations"] = [{"key": "21-KL/TW@2021-10-25"}, {"key": "5-CT/TW"}, {"key": "Nghị quyết số 3", "resolved": False}]
    pred["assignments"] = [{"unit": "ban tổ chức tỉnh uỷ"}]  # case and tone placement folded
    pred["deadlines"] = [{"start": None, "end": None}]
    s = score_document(pred, GOLD)
    assert all(s.header.values())
    assert s.fields["citations"] == FieldScore(1, 1, 1)
    assert s.fields["assignments"] == FieldScore(1, 0, 1)
    assert s.fields["deadlines"] == FieldScore(1, 0, 1)
    assert "citations: missing '37-QĐ/TW'" in s.failures and "citations: extra '5-CT/TW'" in s.failures
    pred["header"]["symbol"] = "40-KH/TU"
    assert "header.symbol: got '40-KH/TU', gold '40-KH/ĐUK'" in score_document(pred, GOLD).failures


def test_numbers_scored_by_value_and_first_unit_word_only_where_gold_has_them() -> None:
    gold = {"numbers": [{"value": 12, "unit": "trạm y tế"}, {"value": 32.2, "unit": "%"}]}
    pred = {"numbers": [{"value": 12.0, "unit": None, "counted": "Trạm"}, {"value": 5, "unit": "%"}]}
    assert score_document(pred, gold).fields["numbers"] == FieldScore(1, 1, 1)
    assert "numbers" not in score_document(pred, {}).fields


def test_an_unreadable_document_costs_recall(tmp_path: Path) -> None:
    from pipeline.errors import KehoachError, Reason

    (tmp_path / "gold").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "gold" / "a.json").write_text(json.dumps(GOLD), "utf-8")
    (tmp_path / "docs" / "a.txt").write_text("x")

    def failing(path: Path):  # noqa: ANN202
        raise KehoachError(Reason.not_vietnamese, str(path))

    report = evaluate(tmp_path / "gold", [tmp_path / "docs"], reader=failing)
    assert report.errors and report.micro()["citations"].recall == 0.0
    assert report.micro()["citations"].fn == len(GOLD["citations"])


def test_pairs_by_stem_recursive_and_format(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "a.json").write_text("{}")
    (gold / "b.json").write_text("{}")
    for sub, name in (("text", "a.txt"), ("docx", "a.docx"), ("deep/pdf", "a.pdf")):
        (tmp_path / "raw" / sub).mkdir(parents=True)
        (tmp_path / "raw" / sub / name).write_text("x")
    pairs, missing = find_pairs(gold, [tmp_path / "raw"])
    assert sorted(p[1].suffix for p in pairs) == [".docx", ".pdf", ".txt"] and missing == ["b"]
    pairs, _ = find_pairs(gold, [tmp_path / "raw"], ["txt", ".pdf"])
    assert sorted(p[1].suffix for p in pairs) == [".pdf", ".txt"]


def test_evaluate_corpus_and_cli(corpus, gold) -> None:  # noqa: ANN001
    report = evaluate(gold, [corpus])
    assert len(report.docs) == 5 and not report.missing
    assert report.micro()["citations"].f1 >= 0.97
    from pipeline.cli import app

    result = CliRunner().invoke(app, ["eval", str(gold), str(corpus), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data["micro"]["fields"]) == {"citations", "implements", "assignments", "deadlines", "recipients", "numbers"}
    assert data["micro"]["header_exact"][1] == 30
    result = CliRunner().invoke(app, ["eval", str(gold), str(corpus)])
    assert result.exit_code == 0 and "citations" in result.stdout
