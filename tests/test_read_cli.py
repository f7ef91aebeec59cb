"""``kehoach read FILE [--json]``: text to stdout, one error line and an exit code on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.errors import ExitCode

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
TXT = RAW / "text" / "004_3e1be27b5e1fb67a.txt"


def test_read_prints_normalised_text() -> None:
    result = CliRunner().invoke(app, ["read", str(TXT)])
    assert result.exit_code == 0, result.output
    assert "Hải Dương, ngày 03 tháng 3 năm 2022" in result.stdout
    assert "Số 40 - KH/ĐUK" in result.stdout


def test_read_json_has_pages_tables_and_metadata() -> None:
    result = CliRunner().invoke(app, ["read", "--json", str(RAW / "docx" / "000_3b1757ecb9cfc0d3.docx")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["format"] == "docx" and len(data["sha256"]) == 64
    assert data["stem"] == "000_3b1757ecb9cfc0d3"
    assert data["pages"][0]["number"] == 1
    assert data["tables"][0]["rows"][0] == ["Thời gian", "Nội dung văn bản triển khai", "Ghi chú"]
    assert data["ocr_used"] is False and "source_offsets" not in data
    t = data["tables"][0]
    assert data["text"][t["row_starts"][1] :].startswith("Tháng 4/2022 | ")


def test_read_bad_file_one_line_a_remedy_and_exit_code(tmp_path: Path) -> None:
    bad = tmp_path / "cut.pdf"
    bad.write_bytes((RAW / "pdf" / "002_da91f612a0e083d6.pdf").read_bytes()[:1000])
    kehoach = Path(sys.executable).parent / "kehoach"
    proc = subprocess.run([str(kehoach), "read", str(bad)], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == ExitCode.input_file
    assert proc.stdout == ""
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert lines == [
        f"KehoachError: {bad}: corrupt: damaged or truncated PDF",
        "remedy: the file is damaged or truncated; obtain a fresh copy",
    ]


def test_read_missing_file_exit_code(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["read", str(tmp_path / "none.txt")])
    assert result.exit_code == ExitCode.input_file


def test_read_help() -> None:
    result = CliRunner().invoke(app, ["read", "--help"])
    assert result.exit_code == 0 and "--json" in result.output
