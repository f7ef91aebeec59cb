"""The printed lines of a document, with where they stand on the page.

The zoner works on lines, not on characters. A line knows its span in ``Document.text``
(whitespace trimmed), its column (0 full width, 1 left, 2 right, ...), its page, and
whether it is a row of a data table. Lines come from ``Document.blocks`` where the reader
gives a layout; otherwise from the text itself, where a layout table of the reader (the
header's or the signature's two columns, kept as one " | " row per table row) is unfolded
into the lines of each cell, left column first, each located inside the row's text.
Plain text has no columns: :func:`split_gaps` cuts a line where a tab or a run of spaces
sets two columns apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from bisect import bisect_right
from dataclasses import dataclass, replace

from pipeline.models import Document, Table
from pipeline.structure.cues import is_layout_cell


@dataclass(frozen=True)
class TextLine:
    """One printed line (or one column's part of it): a span of ``Document.text``."""

    start: int
    end: int
    text: str  # Document.text[start:end]
    column: int = 0  # 0 full width, 1 left, 2 right, ...
    page: int | None = None
    table: int | None = None  # a data table's index (Document.tables) for its rows
    row: int | None = None
    cell: bool = False  # a cell of a layout table (header, signature)
    blank_before: bool = False  # a blank line stands before it (or it is the first line)
    source: int = -1  # index of the raw line (or block line) it was cut from


_BLANK = re.compile(r"\n[ \t|]*\n")
_GAP = re.compile(r"(?<=\S)(?:[ \t]*\t[ \t]*| {3,})(?=\S)")


def document_lines(doc: Document) -> tuple[TextLine, ...]:
    """Every non-empty line of ``doc`` in text order (blocks where the reader gave them)."""
    return tuple(_numbered(doc, _from_blocks(doc) if doc.blocks else _from_text(doc.text, doc.tables)))


def _trimmed(text: str, start: int, end: int, strip: str = "") -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in strip):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in strip):
        end -= 1
    return start, end


def _plain(text: str, start: int, end: int, out: list[TextLine]) -> None:
    while start < end:
        nl = text.find("\n", start, end)
        stop = end if nl < 0 else nl
        s, e = _trimmed(text, start, stop)
        if e > s:
            out.append(TextLine(s, e, text[s:e]))
        start = stop + 1


def _is_layout(table: Table) -> bool:
    """A table that only lays out the header or the signature (its cells hold a motto, a
    number, a place-date line, "Nơi nhận" or an authority line), not data."""
    if len(table.rows) > 40:
        return False
    return any(is_layout_cell(cell) for row in table.rows for cell in row if cell.strip())


def _is_prose(table: Table) -> bool:
    """A "table" a PDF reader made of one paragraph (no row has two cells with text): its
    rows are lines of text, not data."""
    return all(sum(1 for c in row if c.strip()) <= 1 for row in table.rows)


def _locate(row_text: str, piece: str, cursor: int) -> tuple[int, int] | None:
    """Where ``piece`` (a cell line, spaced as the cell has it) stands in the row's text."""
    words = piece.split()
    if not words:
        return None
    rx = re.compile(r"\s*".join(re.escape(w) for w in words))
    m = rx.search(row_text, cursor)
    return (m.start(), m.end()) if m else None


def _from_text(text: str, tables: tuple[Table, ...]) -> list[TextLine]:
    out: list[TextLine] = []
    pos = 0
    for t in sorted(tables, key=lambda t: t.start):
        if t.start < pos or t.end > len(text):
            continue
        _plain(text, pos, t.start, out)
        _table(text, t, out)
        pos = t.end
    _plain(text, pos, len(text), out)
    return out


def _table(text: str, t: Table, out: list[TextLine]) -> None:
    """The lines of a reader's table: a layout table's cells unfolded line by line (left
    cell first), a paragraph split into cells as lines of text, a data table's rows."""
    layout = _is_layout(t)
    prose = not layout and _is_prose(t)
    for r, row in enumerate(t.rows):
        at = t.row_starts[r] if r < len(t.row_starts) else t.start
        nl = text.find("\n", at, t.end)
        row_end = t.end if nl < 0 else nl
        if not layout:
            s, e = _trimmed(text, at, row_end, strip="|" if prose else "")
            if e > s:
                table = None if prose else t.index
                out.append(TextLine(s, e, text[s:e], table=table, row=None if prose else r))
            continue
        row_text = text[at:row_end]
        cursor = 0
        filled = sum(1 for x in row if x.strip())
        for c, cell in enumerate(row):
            for piece in cell.split("\n"):
                span = _locate(row_text, piece, cursor)
                if span is None:
                    continue
                cursor = span[1]
                s, e = at + span[0], at + span[1]
                column = c + 1 if filled > 1 else 0
                out.append(TextLine(s, e, text[s:e], column=column, cell=True))


def _from_blocks(doc: Document) -> list[TextLine]:
    """Lines of the reader's blocks; its data tables as :func:`_table` gives them; text
    outside every block (notes a reader appends) as plain lines."""
    text = doc.text
    out: list[TextLine] = []
    covered: list[tuple[int, int]] = []
    tables: dict[int, Table] = {}
    for b in doc.blocks:
        if b.kind == "cell" and b.table is not None and 0 <= b.table < len(doc.tables):
            tables[b.table] = doc.tables[b.table]
            continue
        for ln in b.lines or ():
            s, e = _trimmed(text, ln.start, ln.end)
            if e > s:
                out.append(TextLine(s, e, text[s:e], column=b.column, page=ln.page, cell=b.kind == "cell"))
        covered.append((b.start, b.end))
    for t in tables.values():
        _table(text, t, out)
        covered.append((t.start, t.end))
    covered.sort()
    pos = 0
    gaps: list[TextLine] = []
    for s, e in covered:
        if s > pos:
            _plain(text, pos, s, gaps)
        pos = max(pos, e)
    _plain(text, pos, len(text), gaps)
    out += gaps
    out.sort(key=lambda ln: ln.start)
    return out


def _numbered(doc: Document, lines: list[TextLine]) -> list[TextLine]:
    """Lines with their index, their page, and whether a blank line (or the start) stands
    before each."""
    text = doc.text
    starts = [p.start for p in doc.pages]
    numbers = [p.number for p in doc.pages]
    out = []
    prev_end = 0
    for i, ln in enumerate(lines):
        blank = i == 0 or bool(_BLANK.search(text, prev_end, ln.start))
        page = numbers[max(bisect_right(starts, ln.start) - 1, 0)] if starts else ln.page
        out.append(
            TextLine(ln.start, ln.end, ln.text, ln.column, page, ln.table, ln.row, ln.cell, blank, i)
        )  # fmt: skip
        prev_end = max(prev_end, ln.end)
    return out


def split_gaps(line: TextLine, keep: Callable[[str, str], bool] | None = None) -> list[TextLine]:
    """``line`` cut where a tab or three spaces set two columns apart (plain text only);
    ``keep(left, right)`` says a gap is no column gap."""
    if line.cell or line.table is not None or line.column:
        return [line]
    cuts = [m for m in _GAP.finditer(line.text) if not (keep and keep(line.text[: m.start()], line.text[m.end() :]))]
    if not cuts:
        return [line]
    out = []
    prev = 0
    for n, m in enumerate([*cuts, None], start=1):
        stop = m.start() if m else len(line.text)
        out.append(cut(line, prev, stop, column=n))
        prev = m.end() if m else prev
    return out


def cut(line: TextLine, start: int, end: int, column: int | None = None) -> TextLine:
    """The part ``line.text[start:end]`` of ``line`` (trimmed), as a line of its own."""
    s, e = _trimmed(line.text, start, end)
    return replace(
        line, start=line.start + s, end=line.start + e, text=line.text[s:e],
        column=line.column if column is None else column,
    )  # fmt: skip


__all__ = ["TextLine", "cut", "document_lines", "split_gaps"]
