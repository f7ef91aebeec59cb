"""Read any archive file into one normalised :class:`~pipeline.models.Document`.

``read(path)`` sniffs the real format from the file's bytes, hands it to the one reader
module for that format (``text``, ``docx``, ``doc``, ``pdf``, ``image``; OCR through
``ocr``), then lays out and normalises the result (``assemble``). Every failure is a
:class:`~pipeline.errors.KehoachError` with a :class:`~pipeline.errors.Reason`; the file is
only ever opened for reading.

Wrong extensions: a file whose content is a format we read (a PDF named ``.docx``) is read
as what it really is, with a note in ``Document.notes``; content that is no readable
format raises ``Reason.wrong_ext`` (supported extension) or ``Reason.unsupported``.

Content checks, after reading: text in a legacy font encoding (TCVN3, VNI) is converted
(``legacy``); fewer than ``min_doc_chars`` letters and digits is ``no_text``, not a
document; and the language is judged on the document's own text (its opening words
outside data tables: header and body, not an appendix of chemical names or code lists)
by its share of valid Vietnamese syllables (``quality``).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import KehoachError, Reason
from pipeline.models import Document
from pipeline.read.quality import Quality
from pipeline.read.assemble import RawRead, assemble, map_text, text_of
from pipeline.read.language import looks_legacy_encoded
from pipeline.read.sniff import READABLE, SUPPORTED_SUFFIXES, sniff_bytes, sniff_format, suffix_format


@dataclass(frozen=True)
class ReadSettings:
    """Options for every reader (one object, passed down; no module-level state)."""

    max_bytes: int = 200 * 1024 * 1024  # larger files: Reason.too_large
    max_pages: int = 2000  # PDFs/images with more pages: Reason.too_large
    ocr: bool = True  # OCR pages without a usable text layer, and images
    ocr_lang: str = "vie"
    ocr_dpi: int = 300  # rendering resolution for PDF pages sent to OCR
    ocr_workers: int | None = None  # parallel Tesseract processes; None: one per core
    ocr_rotate: bool = True  # detect pages stored rotated 90/180/270° (Tesseract OSD)
    header_ocr: bool = True  # OCR page 1's header when its number/date are images
    ocr_marks: bool = True  # choose again the marks of words OCR was unsure of (read/marks.py)
    min_page_chars: int = 30  # fewer text-layer characters than this: the page gets OCR
    min_ocr_confidence: float = 20.0  # mean word confidence below this: Reason.no_text
    check_language: bool = True  # refuse text that is clearly not Vietnamese
    min_words_for_language: int = 40
    min_doc_chars: int = 40  # fewer letters and digits than this: Reason.no_text
    language_words: int = 1500  # the own text's words (before an appendix, outside tables) the language is judged on


_FORMAT_NAMES = {"text": "txt", "docx": "docx", "doc": "doc", "pdf": "pdf", "image": "image"}
_CANNOT_READ = {
    "office-encrypted": (Reason.encrypted, "password-protected Office file"),
    "zip": (Reason.unsupported, "a ZIP archive that is not a Word document (XLSX, ODT, ...)"),
    "ole": (Reason.unsupported, "an Office file that is not a Word document (XLS, PPT, ...)"),
    "rtf": (Reason.unsupported, "RTF is not read; save it as DOCX"),
}


def read(path: str | Path, settings: ReadSettings | None = None) -> Document:
    """Read one file into a normalised ``Document``.

    Args:
        path: the file; never modified or moved.
        settings: reader options; defaults if None.

    Returns:
        The document: normalised text, pages, tables, sha256, format, OCR use.

    Raises:
        KehoachError: with the reason (empty, corrupt, encrypted, wrong_ext, ...).
        MissingDependency: tesseract/antiword needed for this file is not installed.
    """
    settings = settings or ReadSettings()
    p = Path(path)
    spath = str(path)
    data = _load(p, spath, settings)
    if not data.strip():
        raise KehoachError(Reason.empty, spath, "the file has no content" if not data else "the file holds only blank space")
    sha = hashlib.sha256(data).hexdigest()
    real = sniff_bytes(data[:8192], p)
    expected = suffix_format(p)
    notes: list[str] = []
    if real not in READABLE:
        reason, detail = _CANNOT_READ.get(real, (None, "content is not text, PDF, Word or an image"))
        if reason is None:
            reason = Reason.wrong_ext if expected else Reason.unsupported
        raise KehoachError(reason, spath, detail)
    if expected and expected != real:
        notes.append(f"wrong extension: {p.suffix} file is really {_FORMAT_NAMES[real]}; read as {_FORMAT_NAMES[real]}")
    raw = _dispatch(real, p, data, settings)
    fmt = _FORMAT_NAMES[real]
    if real == "text" and p.suffix.lower() in (".md", ".markdown"):
        fmt = "md"
    raw = RawRead(raw.pages, tuple(notes) + raw.notes, raw.format, raw.extra)
    if real in ("text", "docx", "doc"):
        raw = _convert_legacy(raw)
    doc = assemble(raw, path=spath, sha256=sha, fmt=fmt)
    _check_content(doc, settings)
    return doc


def _load(p: Path, spath: str, settings: ReadSettings) -> bytes:
    try:
        size = p.stat().st_size
        if not p.is_file():
            raise KehoachError(Reason.unreadable, spath, "not a regular file")
        if size > settings.max_bytes:
            raise KehoachError(
                Reason.too_large, spath, f"{size / 1e6:.1f} MB is over the {settings.max_bytes / 1e6:.0f} MB limit"
            )
        return p.read_bytes()
    except KehoachError:
        raise
    except FileNotFoundError:
        raise KehoachError(Reason.unreadable, spath, "no such file") from None
    except OSError as e:
        raise KehoachError(Reason.unreadable, spath, e.strerror or type(e).__name__) from None


def _dispatch(real: str, p: Path, data: bytes, settings: ReadSettings) -> RawRead:
    if real == "text":
        from pipeline.read.text import read_text

        return read_text(p, data)
    if real == "docx":
        from pipeline.read.docx import read_docx

        return read_docx(p, data)
    if real == "doc":
        from pipeline.read.doc import read_doc

        return read_doc(p, data)
    if real == "pdf":
        from pipeline.read.pdf import read_pdf

        return read_pdf(p, data, settings)
    from pipeline.read.image import read_image

    return read_image(p, data, settings)


def _convert_legacy(raw: RawRead) -> RawRead:
    """A text in a legacy font encoding converted to Unicode (``legacy``), with a note."""
    from dataclasses import replace

    from pipeline.read import legacy

    enc = legacy.detect(text_of(raw))
    if enc is None:
        return raw

    def fn(s: str) -> str:
        return legacy.convert(s, enc)

    pages = tuple(replace(p, blocks=map_text(p.blocks, fn)) for p in raw.pages)
    note = f"text in the {legacy.NAMES[enc]} font encoding; converted to Unicode"
    return RawRead(pages, raw.notes + (note,), raw.format, raw.extra)


def _check_content(doc: Document, settings: ReadSettings) -> None:
    if not doc.text.strip():
        if doc.ocr_used:
            raise KehoachError(Reason.no_text, doc.path, "OCR found no text")
        raise KehoachError(Reason.no_text, doc.path, "the document holds no text")
    useful = sum(map(str.isalnum, doc.text[: 50 * settings.min_doc_chars]))
    if useful < settings.min_doc_chars:
        raise KehoachError(Reason.no_text, doc.path, f"only {useful} letters and digits: too little text for a document")
    if doc.ocr_used and doc.ocr_confidence is not None and doc.ocr_confidence < settings.min_ocr_confidence:
        raise KehoachError(
            Reason.no_text, doc.path, f"OCR confidence {doc.ocr_confidence:.0f} is too low to trust the text"
        )
    if looks_legacy_encoded(doc.text):
        raise KehoachError(
            Reason.encoding, doc.path, "the text uses a legacy Vietnamese font encoding (TCVN3/ABC or VNI)"
        )
    if settings.check_language:
        q = own_text_quality(doc, settings.language_words)
        if q.words >= settings.min_words_for_language and q.verdict in ("foreign", "broken"):
            raise KehoachError(
                Reason.not_vietnamese,
                doc.path,
                f"the document's own text is not Vietnamese ({q.valid:.0%} valid Vietnamese syllables in its first {q.words} words)",
            )


def own_text_quality(doc: Document, words: int = 1500) -> Quality:
    """Syllable quality of the document's own text: the header and body, i.e. the text
    before an appendix heading (``patterns/layout.json``) and outside data tables, its first
    ``words`` words. An appendix of chemical names or a list of codes does not count."""
    from pipeline.read.quality import measure

    end = len(doc.text)
    m = _appendix().search(doc.text, min(300, len(doc.text)))  # not a title that is itself "DANH MỤC ..."
    if m:
        end = m.start()
    parts: list[str] = []
    pos = 0
    for t in sorted(doc.tables, key=lambda t: t.start):
        parts.append(doc.text[pos : min(t.start, end)])
        pos = max(pos, t.end)
    parts.append(doc.text[pos:end])
    return measure(" ".join(parts), max_words=words)


@functools.cache
def _appendix() -> re.Pattern[str]:
    from pipeline.pattern_tables import load

    return re.compile("|".join(f"^[ \t]*(?:{x})" for x in load("layout")["appendix"]), re.MULTILINE)


def cpu_count() -> int:
    """Cores this process may use (respects affinity/cgroup limits where known)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


__all__ = ["ReadSettings", "SUPPORTED_SUFFIXES", "cpu_count", "own_text_quality", "read", "sniff_format"]
