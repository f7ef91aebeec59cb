"""What every format reader returns (pages of text blocks and tables), and how that
becomes one normalised :class:`~pipeline.models.Document`.

Readers only say *what* is on each page, in reading order; this module alone decides how
tables appear in the text (one line per row, cells joined by ``" | "``), how pages are
joined, and maps page and table positions through normalisation, so that every format
produces the same shape of ``Document``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.models import Document, Page, Table
from pipeline.normalise import normalise, normalise_text, to_normalised

CELL_SEP = " | "
PAGE_SEP = "\n\n"


@dataclass(frozen=True)
class RawTable:
    """Table cells as the reader found them (cell text may hold line breaks)."""

    rows: tuple[tuple[str, ...], ...]


Block = str | RawTable


@dataclass(frozen=True)
class RawPage:
    """One page (or the whole of a page-less format) as blocks in reading order."""

    blocks: tuple[Block, ...]
    ocr: bool = False
    confidence: float | None = None


@dataclass(frozen=True)
class RawRead:
    """A reader's result before normalisation."""

    pages: tuple[RawPage, ...]
    notes: tuple[str, ...] = ()
    format: str | None = None  # overrides the sniffed format (e.g. pdf-scan)
    extra: dict[str, object] = field(default_factory=dict)


def row_line(cells: tuple[str, ...]) -> str:
    """A table row as one text line: cells joined by ``" | "``, cell line breaks as spaces."""
    return CELL_SEP.join(" ".join(c.split()) for c in cells).rstrip()


def text_of(raw: RawRead) -> str:
    """The raw text of a reader's result, exactly as :func:`assemble` lays it out."""
    return _layout(raw)[0]


def _layout(raw: RawRead) -> tuple[str, list[tuple[int, int]], list[tuple[int, list[int], int]]]:
    """Lay out pages and blocks; return raw text, page spans and table (start, row starts, page)."""
    parts: list[str] = []
    pos = 0
    page_spans: list[tuple[int, int]] = []
    tables: list[tuple[int, list[int], int]] = []

    def put(s: str) -> None:
        nonlocal pos
        if s:
            parts.append(s)
            pos += len(s)

    def at_line_start() -> bool:
        return not parts or parts[-1].endswith("\n")

    for pno, page in enumerate(raw.pages, start=1):
        if pno > 1:
            put(PAGE_SEP)
        start = pos
        for block in page.blocks:
            if isinstance(block, RawTable):
                if not at_line_start():
                    put("\n")
                t_start = pos
                starts: list[int] = []
                for row in block.rows:
                    starts.append(pos)
                    put(row_line(row) + "\n")
                tables.append((t_start, starts, pno))
            else:
                if block and pos > start and not at_line_start():
                    put("\n")
                put(block)
        page_spans.append((start, pos))
    return "".join(parts), page_spans, tables


def _join_continued(
    raw: RawRead, table_pos: list[tuple[int, list[int], int]]
) -> list[tuple[tuple[tuple[str, ...], ...], int, list[int], int]]:
    """Tables with their positions; a table that ends a page and one of the same width
    that starts the next page are one table broken by the page (PDF renders)."""
    raw_tables: list[tuple[RawTable, bool, bool]] = []  # (table, first block of page, last block)
    for page in raw.pages:
        blocks = [b for b in page.blocks if not (isinstance(b, str) and not b.strip())]
        for k, b in enumerate(blocks):
            if isinstance(b, RawTable):
                raw_tables.append((b, k == 0, k == len(blocks) - 1))
    out: list[tuple[tuple[tuple[str, ...], ...], int, list[int], int]] = []
    last_page: list[int] = []  # page on which each table of ``out`` ends
    prev_last = False
    for (rt, first, last), (t_start, starts, pno) in zip(raw_tables, table_pos):
        width = max((len(r) for r in rt.rows), default=0)
        if out and prev_last and first and pno == last_page[-1] + 1 and width == max(len(r) for r in out[-1][0]):
            rows, start, prev_starts, first_page = out[-1]
            out[-1] = (rows + rt.rows, start, prev_starts + starts, first_page)
            last_page[-1] = pno
        else:
            out.append((rt.rows, t_start, list(starts), pno))
            last_page.append(pno)
        prev_last = last
    return out


def assemble(raw: RawRead, *, path: str, sha256: str, fmt: str) -> Document:
    """Normalise a reader's result into a ``Document`` with pages and tables placed."""
    raw_text, page_spans, table_pos = _layout(raw)
    text, offsets = normalise(raw_text)
    identity = len(text) == len(raw_text) and text == raw_text

    def at(i: int) -> int:
        return i if identity else to_normalised(offsets, i)

    pages = tuple(
        Page(number=n, start=at(s), end=at(e), ocr=p.ocr, confidence=p.confidence)
        for n, ((s, e), p) in enumerate(zip(page_spans, raw.pages), start=1)
    )
    tables = []
    for index, (rows, t_start, starts, pno) in enumerate(_join_continued(raw, table_pos)):
        end = starts[-1] + len(row_line(rows[-1])) if starts else t_start
        tables.append(
            Table(
                index=index,
                start=at(t_start),
                end=at(end),
                rows=tuple(tuple(normalise_text(c) for c in row) for row in rows),
                row_starts=tuple(at(s) for s in starts),
                page=pno if len(raw.pages) > 1 else None,
            )
        )
    ocr_pages = [p for p in raw.pages if p.ocr]
    confs = [p.confidence for p in ocr_pages if p.confidence is not None]
    return Document(
        path=path,
        sha256=sha256,
        format=raw.format or fmt,
        text=text,
        raw_text=raw_text,
        pages=pages,
        tables=tuple(tables),
        ocr_used=bool(ocr_pages),
        ocr_confidence=round(sum(confs) / len(confs), 2) if confs else None,
        source_offsets=() if identity else offsets,
        notes=raw.notes,
    )


__all__ = ["Block", "CELL_SEP", "PAGE_SEP", "RawPage", "RawRead", "RawTable", "assemble", "row_line", "text_of"]
