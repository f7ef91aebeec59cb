"""What every format reader returns (pages of text blocks and tables), and how that
becomes one normalised :class:`~pipeline.models.Document`.

Readers only say *what* is on each page, in reading order; this module alone decides how
tables appear in the text (one line per row, cells joined by ``" | "``), how blocks and
pages are joined, and maps page, table, block, line and word positions through
normalisation, so that every format produces the same shape of ``Document``.

Blank lines: a block (:class:`RawBlock`: a paragraph, a column of a two-column header or
signature, a layout-table cell) is a run of lines, each ending with a line break; the
layout adds no blank line between blocks, in any format. Blank lines in ``Document.text``
are the page separator and the empty lines the source itself holds (an empty Word
paragraph, a blank line of a text file).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from pipeline.models import BBox, Block as LayoutBlock, Document, Line, Page, Table, Word
from pipeline.normalise import normalise, normalise_text, to_normalised

CELL_SEP = " | "
PAGE_SEP = "\n\n"


@dataclass(frozen=True)
class RawTable:
    """Table cells as the reader found them (cell text may hold line breaks)."""

    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class RawWord:
    """An OCR word: its span in its line's text, Tesseract's confidence and its box."""

    start: int
    end: int
    confidence: float
    bbox: BBox | None = None


@dataclass(frozen=True)
class RawLine:
    """One printed line (no line break inside) with its box."""

    text: str
    bbox: BBox | None = None
    confidence: float | None = None
    words: tuple[RawWord, ...] = ()


@dataclass(frozen=True)
class RawBlock:
    """Lines shown as one unit (see :class:`pipeline.models.Block` for the fields)."""

    lines: tuple[RawLine, ...]
    bbox: BBox | None = None
    column: int = 0
    kind: str = "text"
    row: int | None = None
    col: int | None = None

    @staticmethod
    def of_text(text: str, **kw: object) -> RawBlock:
        """A block of plain text lines (no boxes): one line per ``\\n``-separated part."""
        body = text[:-1] if text.endswith("\n") else text
        return RawBlock(tuple(RawLine(x) for x in body.split("\n")), **kw)  # type: ignore[arg-type]


Block = str | RawTable | RawBlock


@dataclass(frozen=True)
class RawPage:
    """One page (or the whole of a page-less format) as blocks in reading order."""

    blocks: tuple[Block, ...]
    ocr: bool = False
    confidence: float | None = None
    width: float | None = None
    height: float | None = None
    rotation: int = 0
    skew: float = 0.0
    quality: float | None = None
    source: str = "text"


@dataclass(frozen=True)
class RawRead:
    """A reader's result before normalisation."""

    pages: tuple[RawPage, ...]
    notes: tuple[str, ...] = ()
    format: str | None = None  # overrides the sniffed format (e.g. pdf-scan)
    extra: dict[str, object] = field(default_factory=dict)


def map_text(blocks: tuple[Block, ...] | list[Block], fn: Callable[[str], str]) -> tuple[Block, ...]:
    """``blocks`` with ``fn`` applied to every text they hold (a legacy encoding converted).

    For text-layer blocks only: OCR word spans would not follow a change of length."""
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, str):
            out.append(fn(b))
        elif isinstance(b, RawTable):
            out.append(RawTable(tuple(tuple(fn(c) for c in row) for row in b.rows)))
        else:
            out.append(replace(b, lines=tuple(replace(ln, text=fn(ln.text), words=()) for ln in b.lines)))
    return tuple(out)


def row_line(cells: tuple[str, ...]) -> str:
    """A table row as one text line: cells joined by ``" | "``, cell line breaks as spaces."""
    return CELL_SEP.join(" ".join(c.split()) for c in cells).rstrip()


def text_of(raw: RawRead) -> str:
    """The raw text of a reader's result, exactly as :func:`assemble` lays it out."""
    return _layout(raw).text


@dataclass
class _Placed:
    """Where the layout put things, as offsets into the raw text."""

    text: str = ""
    pages: list[tuple[int, int]] = field(default_factory=list)
    tables: list[tuple[int, list[int], int]] = field(default_factory=list)  # (start, row starts, page)
    # per raw table: (row, col, start, end) of each cell in the row lines
    cells: list[list[tuple[int, int, int, int]]] = field(default_factory=list)
    # (block, page, start, end, [(line, start, end, [(word, start, end)])])
    blocks: list[tuple[RawBlock, int, int, int, list[tuple[RawLine, int, int, list[tuple[RawWord, int, int]]]]]] = field(
        default_factory=list
    )


def _layout(raw: RawRead) -> _Placed:
    """Lay out pages and blocks; return raw text and the raw positions of what was placed."""
    parts: list[str] = []
    pos = 0
    placed = _Placed()

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
                cells: list[tuple[int, int, int, int]] = []
                for r, row in enumerate(block.rows):
                    starts.append(pos)
                    at = pos
                    for c, cell in enumerate(row):
                        n = len(" ".join(cell.split()))
                        cells.append((r, c, at, at + n))
                        at += n + len(CELL_SEP)
                    put(row_line(row) + "\n")
                placed.tables.append((t_start, starts, pno))
                placed.cells.append(cells)
            elif isinstance(block, RawBlock):
                if not at_line_start():
                    put("\n")
                b_start = pos
                lines = []
                for line in block.lines:
                    words = [(w, pos + w.start, pos + w.end) for w in line.words]
                    lines.append((line, pos, pos + len(line.text), words))
                    put(line.text + "\n")
                placed.blocks.append((block, pno, b_start, max(b_start, pos - 1), lines))
            else:
                if block and pos > start and not at_line_start():
                    put("\n")
                put(block)
        placed.pages.append((start, pos))
    placed.text = "".join(parts)
    return placed


def _join_continued(
    raw: RawRead, table_pos: list[tuple[int, list[int], int]]
) -> list[tuple[tuple[tuple[str, ...], ...], int, list[int], int, list[int]]]:
    """Tables with their positions; a table that ends a page and one of the same width
    that starts the next page are one table broken by the page (PDF renders)."""
    raw_tables: list[tuple[RawTable, bool, bool]] = []  # (table, first block of page, last block)
    for page in raw.pages:
        blocks = [b for b in page.blocks if not (isinstance(b, str) and not b.strip())]
        for k, b in enumerate(blocks):
            if isinstance(b, RawTable):
                raw_tables.append((b, k == 0, k == len(blocks) - 1))
    out: list[tuple[tuple[tuple[str, ...], ...], int, list[int], int, list[int]]] = []
    last_page: list[int] = []  # page on which each table of ``out`` ends
    prev_last = False
    for k, ((rt, first, last), (t_start, starts, pno)) in enumerate(zip(raw_tables, table_pos)):
        width = max((len(r) for r in rt.rows), default=0)
        if out and prev_last and first and pno == last_page[-1] + 1 and width == max(len(r) for r in out[-1][0]):
            rows, start, prev_starts, first_page, parts = out[-1]
            out[-1] = (rows + rt.rows, start, prev_starts + starts, first_page, parts + [k])
            last_page[-1] = pno
        else:
            out.append((rt.rows, t_start, list(starts), pno, [k]))
            last_page.append(pno)
        prev_last = last
    return out


def assemble(raw: RawRead, *, path: str, sha256: str, fmt: str) -> Document:
    """Normalise a reader's result into a ``Document`` with pages, tables and layout placed."""
    placed = _layout(raw)
    raw_text = placed.text
    text, offsets = normalise(raw_text)
    identity = len(text) == len(raw_text) and text == raw_text

    def at(i: int) -> int:
        return i if identity else to_normalised(offsets, i)

    pages = tuple(
        Page(
            number=n, start=at(s), end=at(e), ocr=p.ocr, confidence=p.confidence, width=p.width, height=p.height,
            rotation=p.rotation, skew=p.skew, quality=p.quality, source=p.source,
        )
        for n, ((s, e), p) in enumerate(zip(placed.pages, raw.pages), start=1)
    )  # fmt: skip
    tables = []
    cell_blocks: list[tuple[int, LayoutBlock]] = []
    many_pages = len(raw.pages) > 1
    for index, (rows, t_start, starts, pno, parts) in enumerate(_join_continued(raw, placed.tables)):
        end = starts[-1] + len(row_line(rows[-1])) if starts else t_start
        tables.append(
            Table(
                index=index,
                start=at(t_start),
                end=at(end),
                rows=tuple(tuple(normalise_text(c) for c in row) for row in rows),
                row_starts=tuple(at(s) for s in starts),
                page=pno if many_pages else None,
            )
        )
        row0 = 0
        for k in parts:
            cells = placed.cells[k]
            page = placed.tables[k][2]
            for r, c, s, e in cells:
                if e > s:
                    cell_blocks.append((s, LayoutBlock(at(s), at(e), page, (Line(at(s), at(e), page),), kind="cell",
                                                       table=index, row=row0 + r, col=c)))  # fmt: skip
            row0 += max((r for r, *_ in cells), default=-1) + 1
    blocks = [(b_start, _block(block, page, b_start, b_end, lines, at)) for block, page, b_start, b_end, lines in placed.blocks]
    blocks.extend(cell_blocks)
    blocks.sort(key=lambda x: x[0])
    words = tuple(
        Word(at(ws), at(we), w.confidence, page, w.bbox)
        for _, page, _, _, lines in placed.blocks
        for _, _, _, ws_ in lines
        for w, ws, we in ws_
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
        blocks=tuple(b for _, b in blocks),
        words=words,
    )


def _block(
    block: RawBlock,
    page: int,
    start: int,
    end: int,
    lines: list[tuple[RawLine, int, int, list[tuple[RawWord, int, int]]]],
    at: Callable[[int], int],
) -> LayoutBlock:
    return LayoutBlock(
        start=at(start),
        end=at(end),
        page=page,
        lines=tuple(Line(at(s), max(at(s), at(e)), page, line.bbox, line.confidence) for line, s, e, _ in lines),
        bbox=block.bbox,
        column=block.column,
        kind=block.kind,
        row=block.row,
        col=block.col,
    )


__all__ = [
    "Block", "CELL_SEP", "PAGE_SEP", "RawBlock", "RawLine", "RawPage", "RawRead", "RawTable", "RawWord", "assemble",
    "map_text", "row_line", "text_of",
]  # fmt: skip
