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
    width: float | None = None  # page size in the unit of its boxes (PDF points, image pixels)
    height: float | None = None
    rotation: int = 0  # degrees the page was turned before OCR (0, 90, 180, 270)
    skew: float = 0.0  # degrees of skew corrected before OCR
    # Share of the page's words that are valid Vietnamese syllables (read/quality.py),
    # measured on the text that was kept; None where not measured (page-less formats).
    quality: float | None = None
    source: str = "text"  # text (a text layer or file) | ocr | text+ocr (header region re-read)


# A box on a page: (x0, top, x1, bottom), top-down, in the page's unit (Page.width/height).
BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class Word:
    """One OCR word with Tesseract's confidence, so later stages can tell a shaky symbol
    from a sure one. Only OCR'd text has words."""

    start: int  # offsets into Document.text
    end: int
    confidence: float  # 0-100
    page: int
    bbox: BBox | None = None


@dataclass(frozen=True)
class Line:
    """One printed line: its span in ``Document.text`` (newline excluded) and its box."""

    start: int
    end: int
    page: int
    bbox: BBox | None = None
    confidence: float | None = None  # mean OCR word confidence; None for text layers


@dataclass(frozen=True)
class Block:
    """Lines the page shows as one unit: a paragraph, one column of a two-column header or
    signature, one table cell. Blocks are in ``Document.text`` order, which keeps a left
    column before the right column (a two-column header is never interleaved line by line).

    ``column`` says where a block stands among blocks side by side: 0 full width, 1 left,
    2 right (3.. further right). Table cells carry ``table`` (index into
    ``Document.tables``, or None for a layout table that is not kept as a data table),
    ``row`` and ``col``.
    """

    start: int
    end: int
    page: int
    lines: tuple[Line, ...] = ()
    bbox: BBox | None = None
    column: int = 0
    kind: str = "text"  # text | cell | header (a page header/footer repeated by the format)
    table: int | None = None
    row: int | None = None
    col: int | None = None


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
    # Layout (pipeline/read/layout.py): blocks and lines with boxes, in text order; empty
    # for plain text files. Words: OCR words with confidences (OCR'd pages only).
    blocks: tuple[Block, ...] = field(default=(), repr=False)
    words: tuple[Word, ...] = field(default=(), repr=False)

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


# ---------------------------------------------------------------------- structure

# Zone kinds (pipeline/structure/): the parts of a Vietnamese administrative document,
# found before any field is read, so that each extractor reads its own zone.
ZONE_KINDS = (
    "motto",  # CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc; ĐẢNG CỘNG SẢN VIỆT NAM
    "parent_body",  # the line above the issuer (UBND TỈNH X above SỞ CÔNG THƯƠNG; TỈNH ỦY X above BAN ...)
    "issuer",  # the issuing body
    "number",  # Số: 2150/SCT-QLCN
    "place_date",  # X, ngày 14 tháng 7 năm 2026
    "doc_type",  # KẾ HOẠCH, QUYẾT ĐỊNH, THÔNG BÁO, ... (absent for a Công văn)
    "title",  # the subject after the type word, or a Công văn's "V/v ..." line
    "addressee",  # Kính gửi: ...
    "legal_basis",  # Căn cứ / Thực hiện / Triển khai ... (the opening clauses)
    "heading",  # a section heading (I. MỤC ĐÍCH, YÊU CẦU; Điều 1.)
    "item",  # a numbered or bulleted item of the body (1., a), -, +)
    "body",  # running text that is not an item
    "table",  # a data table
    "recipients",  # Nơi nhận: ...
    "signature",  # TM./KT./TL. lines, position, name
    "appendix",  # PHỤ LỤC, DANH MỤC, lists after the signature
    "footnotes",  # footnotes / endnotes appended by the reader
    "page_furniture",  # page numbers, running headers, e-signature stamp text
)


@dataclass(frozen=True)
class Zone:
    """A span of ``Document.text`` with the part of the document it is.

    Zones do not overlap and are in text order. A zone inside a section carries
    ``parent``: the index (in ``Extraction.zones``) of the heading zone that encloses it,
    so "III. TỔ CHỨC THỰC HIỆN" owns its items and a sub-heading points at its heading;
    -1 outside any section.
    """

    kind: str  # one of ZONE_KINDS
    start: int
    end: int
    label: str = ""  # heading/item label as printed: "III.", "1.", "a)", "Điều 3."
    parent: int = -1
    page: int | None = None


# ------------------------------------------------------------------------ extract


@dataclass(frozen=True)
class Mention:
    """One place in the text where a document is referred to."""

    start: int
    end: int
    text: str  # the matched words, e.g. "Kết luận số 45-KL/TW, ngày 14/6/2021"
    sentence: str  # the sentence it stands in: the evidence
    form: str = "full"  # full | short ("Kết luận số 21") | table
    zone: str = ""  # ZONE_KINDS value of the zone the mention stands in


@dataclass(frozen=True)
class Citation:
    """A distinct document that the text refers to by number (SCHEMA.md "citations")."""

    key: str  # 45-KL/TW@2021-06-14 (SCHEMA.md "The key of a document")
    doc_type: str | None  # Kết luận
    symbol: str | None  # 45-KL/TW, leading zeros kept
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
    # taken from the document's context ("Hà Tĩnh", "Phú Yên"); used by resolve.
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
    zone: str = ""  # ZONE_KINDS value of the zone the fact came from


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
    zone: str = ""


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
    zone: str = ""


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
    zones: tuple[Zone, ...] = ()  # the document's structure (pipeline/structure/)

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
    "BBox",
    "Block",
    "Citation",
    "Deadline",
    "Document",
    "Extraction",
    "FileInfo",
    "Header",
    "Line",
    "Mention",
    "NumberFact",
    "Page",
    "Signer",
    "Table",
    "Word",
    "ZONE_KINDS",
    "Zone",
    "asdict",
    "to_json",
]
