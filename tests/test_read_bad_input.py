"""Bad input never stops a batch: each kind gives one KehoachError with the right reason,
one clear line naming the file, a machine-readable record, and an untouched file."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from pipeline.errors import KehoachError, Reason
from pipeline.read import ReadSettings, read, sniff_format

from helpers_read import sha256

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
PDF = RAW / "pdf" / "002_da91f612a0e083d6.pdf"
DOCX = RAW / "docx" / "002_da91f612a0e083d6.docx"
DOC = RAW / "doc" / "002_da91f612a0e083d6.doc"
TXT = RAW / "text" / "002_da91f612a0e083d6.txt"


def expect(path: Path, reason: Reason, settings: ReadSettings | None = None) -> KehoachError:
    """Read ``path`` expecting ``reason``; check the message, the record and the file."""
    before = sha256(path)
    with pytest.raises(KehoachError) as info:
        read(path, settings)
    e = info.value
    assert e.reason is reason, e.message
    assert e.message.startswith(f"{path}: {reason.value}")
    assert "\n" not in e.message
    assert e.record()["reason"] == reason.value and e.record()["path"] == str(path) and e.remedy
    assert sha256(path) == before, "the original file was changed"
    return e


def put(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


@pytest.mark.parametrize("name", ["empty.txt", "empty.pdf", "empty.docx", "empty.doc", "empty.png"])
def test_zero_bytes(tmp_path: Path, name: str) -> None:
    expect(put(tmp_path, name, b""), Reason.empty)


def test_only_blank_space(tmp_path: Path) -> None:
    expect(put(tmp_path, "blank.txt", b" \n\t\r\n"), Reason.empty)


def test_truncated_pdf(tmp_path: Path) -> None:
    expect(put(tmp_path, "cut.pdf", PDF.read_bytes()[:3000]), Reason.corrupt)


def test_pdf_header_then_garbage(tmp_path: Path) -> None:
    expect(put(tmp_path, "junk.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 20), Reason.corrupt)


def test_password_protected_pdf(tmp_path: Path) -> None:
    out = tmp_path / "locked.pdf"
    subprocess.run(["qpdf", "--encrypt", "user", "owner", "256", "--", str(PDF), str(out)], check=True)
    expect(out, Reason.encrypted)


def test_pdf_with_owner_password_only_is_readable(tmp_path: Path) -> None:
    out = tmp_path / "owner.pdf"
    subprocess.run(["qpdf", "--encrypt", "", "owner", "256", "--", str(PDF), str(out)], check=True)
    assert "Kế hoạch" in read(out).text or "KẾ HOẠCH" in read(out).text


def test_password_protected_docx(tmp_path: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    buf = io.BytesIO()
    with DOCX.open("rb") as f:
        OOXMLFile(f).encrypt("secret", buf)
    p = put(tmp_path, "locked.docx", buf.getvalue())
    assert sniff_format(p) == "office-encrypted"
    expect(p, Reason.encrypted)


def test_password_protected_doc(tmp_path: Path) -> None:
    import olefile

    p = tmp_path / "locked.doc"
    shutil.copyfile(DOC, p)
    with olefile.OleFileIO(str(p), write_mode=True) as ole:
        stream = bytearray(ole.openstream("WordDocument").read())
        stream[0x0B] |= 0x01  # FIB fEncrypted
        ole.write_stream("WordDocument", bytes(stream))
    expect(p, Reason.encrypted)


def test_corrupt_zip_in_docx(tmp_path: Path) -> None:
    expect(put(tmp_path, "cut.docx", DOCX.read_bytes()[:5000]), Reason.corrupt)


def test_docx_missing_its_document_part(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(DOCX) as src, zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            if item.filename != "word/document.xml":
                dst.writestr(item, src.read(item))
    e = expect(put(tmp_path, "hollow.docx", buf.getvalue()), Reason.unsupported)
    assert "ZIP" in e.detail


def test_damaged_doc(tmp_path: Path) -> None:
    data = bytearray(DOC.read_bytes())
    data[512:] = bytes(len(data) - 512)  # OLE header kept, content wiped
    expect(put(tmp_path, "wiped.doc", bytes(data)), Reason.corrupt)


def test_pdf_named_docx_is_read_as_pdf(tmp_path: Path) -> None:
    p = put(tmp_path, "really-a-pdf.docx", PDF.read_bytes())
    doc = read(p)
    assert doc.format == "pdf"
    assert any("wrong extension" in n and "pdf" in n for n in doc.notes)
    assert sha256(p) == sha256(PDF)


def test_docx_named_pdf_is_read_as_docx(tmp_path: Path) -> None:
    p = put(tmp_path, "really-a-docx.pdf", DOCX.read_bytes())
    doc = read(p)
    assert doc.format == "docx" and any("wrong extension" in n for n in doc.notes)
    assert doc.text.split() == read(DOCX).text.split()


def test_text_named_doc_is_read_as_text(tmp_path: Path) -> None:
    doc = read(put(tmp_path, "plain.doc", TXT.read_bytes()))
    assert doc.format == "txt" and any("wrong extension" in n for n in doc.notes)


def test_binary_garbage_named_txt(tmp_path: Path) -> None:
    e = expect(put(tmp_path, "garbage.txt", bytes(range(256)) * 64), Reason.wrong_ext)
    assert "not text" in e.detail


def test_unknown_binary_with_unknown_extension(tmp_path: Path) -> None:
    expect(put(tmp_path, "data.bin", b"\x00\x01\x02\x03" * 100), Reason.unsupported)


def test_spreadsheet_is_unsupported(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    expect(put(tmp_path, "bang.xlsx", buf.getvalue()), Reason.unsupported)


def test_image_without_text(tmp_path: Path) -> None:
    buf = io.BytesIO()
    Image.new("L", (1200, 1600), 255).save(buf, "PNG")
    expect(put(tmp_path, "blank.png", buf.getvalue()), Reason.no_text)


def test_pdf_without_text_after_ocr(tmp_path: Path) -> None:
    buf = io.BytesIO()
    Image.new("L", (800, 1100), 255).save(buf, "PDF", resolution=100)
    expect(put(tmp_path, "blank-scan.pdf", buf.getvalue()), Reason.no_text)


def test_truncated_image(tmp_path: Path) -> None:
    buf = io.BytesIO()
    Image.new("L", (600, 800), 200).save(buf, "PNG")
    expect(put(tmp_path, "cut.png", buf.getvalue()[:200]), Reason.corrupt)


def test_not_vietnamese(tmp_path: Path) -> None:
    english = (
        "The committee shall implement the plan and report to the board every quarter. "
        "All departments must coordinate their work and submit their results on time. "
    ) * 10
    e = expect(put(tmp_path, "english.txt", english.encode()), Reason.not_vietnamese)
    assert "Vietnamese" in e.detail


def test_short_text_is_not_judged_for_language(tmp_path: Path) -> None:
    short = "Plan 21-KL/TW of the committee, to be discussed next week."
    assert read(put(tmp_path, "short.txt", short.encode())).text == short


def test_a_few_characters_are_no_document(tmp_path: Path) -> None:
    expect(put(tmp_path, "tiny.txt", b"Plan 21-KL/TW"), Reason.no_text)
    e = expect(put(tmp_path, "junk.docx", b"not a zip"), Reason.no_text)  # read as text: 7 letters
    assert "too little text" in e.detail


def test_too_large_by_size(tmp_path: Path) -> None:
    p = tmp_path / "big.pdf"
    shutil.copyfile(PDF, p)
    e = expect(p, Reason.too_large, ReadSettings(max_bytes=10_000))
    assert "MB" in e.detail


def test_too_many_pages(tmp_path: Path) -> None:
    p = tmp_path / "long.pdf"
    shutil.copyfile(PDF, p)
    e = expect(p, Reason.too_large, ReadSettings(max_pages=2))
    assert "page" in e.detail


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(KehoachError) as e:
        read(tmp_path / "nowhere.pdf")
    assert e.value.reason is Reason.unreadable


def test_directory(tmp_path: Path) -> None:
    d = tmp_path / "folder.pdf"
    d.mkdir()
    with pytest.raises(KehoachError) as e:
        read(d)
    assert e.value.reason is Reason.unreadable


def test_a_batch_goes_on_after_bad_files(tmp_path: Path) -> None:
    files = [
        put(tmp_path, "a-empty.txt", b""),
        put(tmp_path, "b-cut.pdf", PDF.read_bytes()[:2000]),
        TXT,
        put(tmp_path, "d-garbage.txt", bytes(range(256)) * 8),
        DOCX,
    ]
    ok, failed = [], []
    for f in files:
        try:
            ok.append(read(f).format)
        except KehoachError as e:
            failed.append(e.record()["reason"])
    assert ok == ["txt", "docx"]
    assert failed == ["empty", "corrupt", "wrong_ext"]


def test_legacy_font_text_in_a_docx(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    for _ in range(10):
        d.add_paragraph("Céng hoµ x· héi chñ nghÜa ViÖt Nam. KÕ ho¹ch sè 21-KL/TW cña Ban ChÊp hµnh Trung −¬ng.")
    p = tmp_path / "vntime.docx"
    d.save(p)
    doc = read(p)  # a .VnTime document: converted, not refused
    assert "Cộng hoà xã hội chủ nghĩa Việt Nam. Kế hoạch số 21-KL/TW của Ban Chấp hành" in doc.text
    assert any("TCVN3" in n for n in doc.notes)
