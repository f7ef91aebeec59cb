"""Plain data passed between the stages: read → normalise → extract → resolve → store → graph.

Every stage takes and returns these frozen dataclasses, never dicts of its own making,
so that each stage can be tested alone and the JSON output (``to_json``) follows
``shared/gold/SCHEMA.md`` field for field, with offsets and evidence added.

Offsets (``start``/``end``) are always character offsets into ``Document.text`` (the
normalised text); ``Document.source_offset`` maps them back to the raw reader text.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any


# --------------------------------------------------------------------------- read


@dataclass(frozen=True)
class FileInfo:
    """A file found in the archive, before it is read (the ``files`` table's key data)."""

    path: str  # as given / relative to the archive root
    sha256: str
    size: int
    mtime: float
    format: str  # by content sniffing where possible, else by extension
    # The name on disk (relative to the root) when ``path`` had to be escaped: a file name
    # that is not valid UTF-8 is stored with its bytes as ``\xNN``; "" when the same.
    source: str = ""


@dataclass(frozen=True)
class Page:
    """One page of a document: its span in ``Document.text`` and how it was read."""

    number: int  # 1-based
    start: int
    end: int
    ocr: bool = False
    confidence: float | None = None  # mean Tesseract word confidence, 0-100


@dataclass(frozen=True)
class Table:
    """A table as cells, with its position in ``Document.text``.

    Each row is also present in ``Document.text`` as one line with cells joined by
    " | ", so that text extractors see table content; ``row_starts[i]`` is the offset
    of row ``i``'s line in ``Document.text``.
    """

    index: int  # order of the table in the document
    start: int
    end: int
    rows: tuple[tuple[str, ...], ...]
    row_starts: tuple[int, ...] = ()
    page: int | None = None


@dataclass(frozen=True)
class Document:
    """What a reader returns for one file, after normalisation."""

    path: str
    sha256: str
    format: str  # txt, md, docx, doc, pdf, pdf-scan, image
    text: str  # normalised (NFC, Đ, spacing, re-joined symbols)
    raw_text: str = ""  # the reader's text before normalisation
    pages: tuple[Page, ...] = ()
    tables: tuple[Table, ...] = ()
    ocr_used: bool = False
    ocr_confidence: float | None = None
    # source_offsets[i] = offset in raw_text of text[i]; empty means identity.
    source_offsets: tuple[int, ...] = field(default=(), repr=False)
    notes: tuple[str, ...] = ()  # reader warnings ("page 3 OCR skipped: ...")

    @property
    def stem(self) -> str:
        from pathlib import PurePath

        return PurePath(self.path).stem

    def source_offset(self, i: int) -> int:
        """Map an offset in ``text`` back to ``raw_text``."""
        if not self.source_offsets:
            return i
        if i >= len(self.source_offsets):
            return len(self.raw_text)
        return self.source_offsets[i]


# ------------------------------------------------------------------------ extract


@dataclass(frozen=True)
class Mention:
    """One place in the text where a document is referred to."""

    start: int
    end: int
    text: str  # the matched words, e.g. "Kết luận số 21-KL/TW, ngày 25/10/2021"
    sentence: str  # the sentence it stands in: the evidence
    form: str = "full"  # full | short ("Kết luận số 21") | table


@dataclass(frozen=True)
class Citation:
    """A distinct document that the text refers to by number (SCHEMA.md "citations")."""

    key: str  # 21-KL/TW@2021-10-25 (SCHEMA.md "The key of a document")
    doc_type: str | None  # Kết luận
    symbol: str | None  # 21-KL/TW, leading zeros kept
    date: str | None  # ISO, or None
    issuer: str | None  # Ban Chấp hành Trung ương
    number: str = ""  # "21" (no leading zeros)
    type_code: str = ""  # KL
    issuer_code: str = ""  # TW, or for State symbols the part after the type (UBND)
    year: int | None = None  # year from date or from a State symbol
    mentions: tuple[Mention, ...] = ()
    resolved: bool = True  # False for a short form with no unique full citation


@dataclass(frozen=True)
class Header:
    doc_type: str | None = None
    symbol: str | None = None
    issuer: str | None = None
    place: str | None = None
    date: str | None = None
    title: str | None = None
    # Where non-central issuer codes (KH/TU, KH-UBND) live: province or body name
    # taken from the document's context ("Hải Dương", "Quảng Ninh"); used by resolve.
    scope: str | None = None


@dataclass(frozen=True)
class Deadline:
    """A time limit or window the plan sets (SCHEMA.md "deadlines")."""

    text: str
    start: str | None  # ISO date or None
    end: str | None
    recurring: bool = False
    period: str | None = None  # year | quarter | month | week | day | continuous | None
    kind: str = "window"  # window | before | after | from | until | recurring | relative | conditional
    offset: int = -1  # start offset of ``text`` in Document.text
    sentence: str = ""


@dataclass(frozen=True)
class NumberFact:
    """A count, percentage or target with what it counts ("100% chi bộ")."""

    text: str  # "ít nhất 02 lần/năm"
    value: float
    unit: str | None  # "%", "lần/năm", "đảng viên"
    counted: str | None  # the thing counted: "chi bộ"
    qualifier: str | None = None  # "ít nhất", "trên", "100%"→None
    kind: str = "count"  # count | percent | target | rate | money | ordinal
    offset: int = -1
    sentence: str = ""


@dataclass(frozen=True)
class Assignment:
    """A unit told to act (SCHEMA.md "assignments")."""

    unit: str
    role: str  # chủ trì | phối hợp | tham mưu | chỉ đạo | hướng dẫn | ... | thực hiện
    deadline: str | None  # as written; several joined by "; "
    task: str = ""
    deadline_start: str | None = None
    deadline_end: str | None = None
    offset: int = -1
    sentence: str = ""


@dataclass(frozen=True)
class Signer:
    on_behalf: str | None = None  # T/M BAN THƯỜNG VỤ
    position: str | None = None  # PHÓ BÍ THƯ
    name: str | None = None


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one document: SCHEMA.md plus numbers and evidence."""

    doc: str  # document stem
    header: Header
    implements: tuple[str, ...]  # citation keys, in text order
    citations: tuple[Citation, ...]
    assignments: tuple[Assignment, ...]
    deadlines: tuple[Deadline, ...]
    signer: Signer | None
    recipients: tuple[str, ...]
    numbers: tuple[NumberFact, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return to_json(self)


def to_json(obj: Any) -> Any:
    """Dataclasses → JSON-ready dicts and lists (tuples become lists)."""
    if is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_json(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [to_json(x) for x in obj]
    if isinstance(obj, dict):
        return {k: to_json(v) for k, v in obj.items()}
    return obj


__all__ = [
    "Assignment",
    "Citation",
    "Deadline",
    "Document",
    "Extraction",
    "FileInfo",
    "Header",
    "Mention",
    "NumberFact",
    "Page",
    "Signer",
    "Table",
    "asdict",
    "to_json",
]
