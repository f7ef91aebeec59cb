"""Bad input at the batch level: every file of a hostile archive ends as one ``files`` row.

The archive holds each kind of bad file the issue lists, next to good plans. Through the
flow and through ``kehoach ingest`` in a subprocess, each file is either read (status
``ok``) or recorded as ``failed`` with its reason and a one-line message naming it; the
batch completes and the CLI exits 3 ("finished with failures"), not 10 ("crashed").
"""

from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path

import pytest

from helpers_ingest import local_run, plan_text, prefect_harness, settings  # noqa: F401 (fixture)
from helpers_reliability import prefect_api, query, run_cli, to_cp1258, to_tcvn3  # noqa: F401 (fixture)
from pipeline.errors import ExitCode

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
PDF = REPO / "data" / "raw" / "pdf" / "002_da91f612a0e083d6.pdf"
DOCX = REPO / "data" / "raw" / "docx" / "002_da91f612a0e083d6.docx"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

ENGLISH = (
    "The committee will review the annual budget report and publish its findings before the end "
    "of the second quarter. All departments are asked to submit their figures on time, to check "
    "the totals twice and to send any questions to the finance office well before the meeting. "
) * 3
PAGE = (
    "Trang {n}. Các cấp ủy, tổ chức đảng tiếp tục quán triệt, triển khai thực hiện nghiêm túc "
    "Kết luận số 21-KL/TW, ngày 25/10/2021 của Ban Chấp hành Trung ương Đảng khóa XIII."
)

# archive path → expected status ("ok") or failure reason
EXPECTED = {
    "good/kh_01.txt": "ok",
    "good/Kế hoạch số 12 Tỉnh ủy (bản cuối).txt": "ok",  # diacritics and spaces in the name
    "Thư mục mới/kh cp1258.txt": "ok",  # Windows-1258 is decoded
    "bad/empty.txt": "empty",
    "bad/truncated.pdf": "corrupt",
    "bad/really a pdf.docx": "ok",  # a PDF with a wrong extension is read as what it is
    "bad/locked.pdf": "encrypted",
    "bad/locked.docx": "encrypted",
    "bad/cut zip.docx": "corrupt",
    "bad/blank.png": "no_text",
    "bad/english.txt": "not_vietnamese",
    "bad/tcvn3.txt": "ok",  # a legacy TCVN3 (ABC) file is converted, not refused
    "bad/garbage.txt": "wrong_ext",
    "bad/dangling.txt": "unreadable",  # a symlink to nothing
    "bad/pipe.txt": "unreadable",  # a FIFO: opening it would block
    "bad/zero.txt": "unreadable",  # a link to /dev/zero: hashing it would never end
    "big/500 trang.pdf": "ok",  # 500 pages, read from the text layer
}


def _pdf_500(path: Path) -> None:
    """A 500-page PDF with a Vietnamese text layer: one page typeset, then copied by pdfium."""
    import pypdfium2 as pdfium
    from fpdf import FPDF

    one = FPDF()
    one.add_font("dv", fname=str(FONT))
    one.set_font("dv", size=11)
    one.add_page()
    one.multi_cell(0, 6, "\n".join(PAGE.format(n=i) for i in range(1, 4)))
    src = pdfium.PdfDocument(bytes(one.output()))
    dst = pdfium.PdfDocument.new()
    dst.import_pages(src, [0] * 500)
    dst.save(str(path))


def build_archive(root: Path) -> None:
    """Write every kind of bad file of the issue (and a few good ones) under ``root``."""
    from msoffcrypto.format.ooxml import OOXMLFile
    from PIL import Image

    def put(rel: str, data: bytes) -> Path:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        return p

    put("good/kh_01.txt", plan_text(1).encode())
    put("good/Kế hoạch số 12 Tỉnh ủy (bản cuối).txt", plan_text(12, "Quảng Ninh").encode())
    put("Thư mục mới/kh cp1258.txt", to_cp1258(plan_text(13, "Bắc Giang", "Bình")))
    put("bad/empty.txt", b"")
    put("bad/truncated.pdf", PDF.read_bytes()[:3000])
    put("bad/really a pdf.docx", PDF.read_bytes())
    subprocess.run(
        ["qpdf", "--encrypt", "user", "owner", "256", "--", str(PDF), str(root / "bad/locked.pdf")], check=True
    )
    buf = io.BytesIO()
    with DOCX.open("rb") as f:
        OOXMLFile(f).encrypt("secret", buf)
    put("bad/locked.docx", buf.getvalue())
    data = bytearray(DOCX.read_bytes())
    data[len(data) // 3 : len(data) // 3 + 4000] = os.urandom(4000)  # damaged deflate streams
    put("bad/cut zip.docx", bytes(data[: len(data) * 2 // 3]))  # and no central directory
    img = io.BytesIO()
    Image.new("L", (600, 400), 255).save(img, "PNG")
    put("bad/blank.png", img.getvalue())
    put("bad/english.txt", ENGLISH.encode())
    put("bad/tcvn3.txt", to_tcvn3(plan_text(14, "Thái Bình", "Hà")))
    put("bad/garbage.txt", bytes(range(256)) * 64)
    os.symlink(root / "nowhere.txt", root / "bad/dangling.txt")
    os.mkfifo(root / "bad/pipe.txt")
    os.symlink("/dev/zero", root / "bad/zero.txt")
    os.symlink(root, root / "good/loop")  # a folder link to an ancestor: a loop
    (root / "big").mkdir()
    _pdf_500(root / "big/500 trang.pdf")


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bad") / "lưu trữ"
    root.mkdir()
    build_archive(root)
    return root


def check_files_table(db: Path, runs: int = 1) -> None:
    """One row per file, each ok or failed with the expected reason and a clear message."""
    rows = query(db, "SELECT path, status, error_reason, error_message FROM files ORDER BY path")
    paths = [r[0] for r in rows]
    assert sorted(paths) == sorted(EXPECTED), "every file exactly once, nothing through the loop"
    for path, status, reason, message in rows:
        expected = EXPECTED[path]
        if expected == "ok":
            assert (status, reason) == ("ok", None), f"{path}: {status} {reason}: {message}"
        else:
            assert (status, reason) == ("failed", expected), f"{path}: {status} {reason}: {message}"
            assert message.startswith(f"{path}: {expected}") and "\n" not in message, message
    stored = {r[0] for r in query(db, "SELECT path FROM documents")}
    assert stored == {p for p, s in EXPECTED.items() if s == "ok"}
    [(status, failed)] = query(db, "SELECT status, failed FROM runs ORDER BY started_at LIMIT 1")
    assert status == "finished_with_failures"
    assert failed == sum(1 for s in EXPECTED.values() if s != "ok")
    assert query(db, "SELECT count(*) FROM runs WHERE status = 'finished_with_failures'") == [(runs,)]


def test_flow_records_every_bad_file_and_completes(archive: Path, tmp_path: Path, prefect_harness: None) -> None:  # noqa: F811
    from flows.ingest import ingest_flow

    db = tmp_path / "flow.duckdb"
    summary = ingest_flow(settings(archive, db, batch_size=4, workers=2))
    assert summary["status"] == "finished_with_failures"
    assert {f["path"]: f["reason"] for f in summary["failures"]} == {p: r for p, r in EXPECTED.items() if r != "ok"}
    assert all(f["detail"] for f in summary["failures"])
    check_files_table(db)
    [(pages,)] = query(db, "SELECT text_chars FROM documents WHERE path = 'big/500 trang.pdf'")
    assert pages > 500 * len(PAGE)


def test_cli_exits_finished_with_failures_not_crashed(archive: Path, tmp_path: Path, prefect_api: str) -> None:  # noqa: F811
    db = tmp_path / "cli.duckdb"
    r = run_cli(["ingest", str(archive), "--db", str(db), "--no-progress", "--json", "--workers", "2"], prefect_api)
    assert r.returncode == ExitCode.finished_with_failures, r.stderr[-3000:]
    summary = json.loads(r.stdout)
    assert summary["counts"]["failed"] == sum(1 for s in EXPECTED.values() if s != "ok")
    for path, reason in EXPECTED.items():  # one warning line per failed file, naming it
        if reason != "ok":
            assert f"{path}: {reason}" in r.stderr, path
    check_files_table(db)

    again = run_cli(["ingest", str(archive), "--db", str(db), "--no-progress", "--json"], prefect_api)
    assert again.returncode == ExitCode.finished_with_failures, again.stderr[-3000:]
    counts = json.loads(again.stdout)["counts"]
    # Same bytes fail the same way and are skipped; only the files that cannot be hashed are redone.
    unhashable = 3  # dangling link, FIFO, /dev/zero
    assert counts == {"new": 0, "changed": 0, "unchanged": len(EXPECTED) - unhashable, "failed": unhashable, "deleted": 0}
    check_files_table(db, runs=2)


def test_a_file_name_that_is_not_utf8_does_not_crash_the_batch(tmp_path: Path) -> None:
    """A Windows archive unpacked on Linux keeps legacy (cp1258/TCVN3) bytes in its names:
    the file is read, stored under its name with those bytes escaped, and found unchanged
    on the next run."""
    root = tmp_path / "raw"
    root.mkdir()
    (root / "kh_01.txt").write_text(plan_text(1), encoding="utf-8")
    legacy = os.fsdecode(root) + "/" + os.fsdecode(b"K\xe9 ho\xb8ch.txt")  # "Kế hoạch" in cp1258-ish bytes
    Path(legacy).write_text(plan_text(2), encoding="utf-8")
    db = tmp_path / "kehoach.duckdb"
    for _ in range(2):  # the rerun sees the same single row, not a new file and a deleted one
        summary = local_run(root, db)
        assert summary["status"] in ("ok", "finished_with_failures")
        rows = query(db, "SELECT path, status FROM files WHERE path <> 'kh_01.txt'")
        assert rows == [("K\\xe9 ho\\xb8ch.txt", "ok")], rows
    assert summary["counts"] == {"new": 0, "changed": 0, "unchanged": 2, "failed": 0, "deleted": 0}
