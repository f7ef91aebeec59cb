"""Page layout: positioned text segments in, blocks in text order out.

Readers with boxes (PDF text layers, Tesseract) give *segments*: runs of text on one
printed line with their box, in the reader's own order (content order, Tesseract's
order). This module keeps that order, except where the page shows text side by side:

- a *column region* is a run of rows sharing an empty vertical strip (the gutter) with
  text on both sides, one of whose lines starts with a header or signature marker
  (``patterns/layout.json``: the motto, "Số:", a place-date, "Nơi nhận:", TM./KT./TL.):
  the national header (issuer | motto, "Số: ..." | place-date) and the signature ("Nơi
  nhận" | "KT. CHỦ TỊCH ... name"). It is laid out as the whole left column, then the
  whole right column, never interleaved line by line, and no text line holds words of
  both columns;
- other side-by-side text (a table, ruled or not) keeps the reader's order, and so does a
  region whose rows pair up left and right row after row (names and posts): reading it
  column by column would part each name from its post.

Lines of full-width text are grouped into blocks (paragraphs) at vertical gaps.

Word and ``.doc`` files have no boxes, but put the header and the signature in small
layout tables: :func:`layout_table_blocks` turns such a table (a cell line starts with a
header or signature marker, ``patterns/layout.json``) into column blocks in the same
order: each column's cells top to bottom, left column first. Data tables stay tables.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from pipeline.models import BBox
from pipeline.pattern_tables import load
from pipeline.read.assemble import RawBlock, RawLine, RawWord

MIN_GAP = 2.0  # a horizontal gap of this many line heights may part two columns
MIN_GUTTER = 0.5  # the strip left empty through a whole region, in line heights
MAX_ROW_GAP = 6.0  # rows further apart than this (line heights) end a region
PARA_GAP = 0.6  # a vertical gap of this many line heights starts a new block
TABULAR_ROWS = 5  # at least this many rows with text on both sides ...
TABULAR_SHARE = 0.8  # ... making up this share of the region's rows: a table, kept by rows
LAYOUT_TABLE_COLS = 3  # a layout table (header, signature) has at most this many filled columns,
LAYOUT_TABLE_ROWS = 6  # and a marker in one of its first rows (a ``.doc`` table has a row per printed line)


@dataclass(frozen=True)
class Segment:
    """Text on one printed line with its box (x0, top, x1, bottom; top-down)."""

    text: str
    bbox: BBox
    line: int  # the reader's line it came from: segments of one line are re-joined outside regions
    confidence: float | None = None
    words: tuple[RawWord, ...] = ()  # spans in ``text``


def lay_out(segments: Sequence[Segment]) -> list[RawBlock]:
    """Blocks in text order (see the module docstring)."""
    segs = [s for s in segments if s.text.strip()]
    if not segs:
        return []
    height = statistics.median(s.bbox[3] - s.bbox[1] for s in segs) or 1.0
    rows = _rows(segs)
    regions = _regions(segs, rows, height)
    region_of = {i: k for k, (members, _) in enumerate(regions) for i in members}
    out: list[RawBlock] = []
    pending: list[list[int]] = []  # full-width lines (segment indices) not yet put in a block
    done: set[int] = set()
    for i in range(len(segs)):
        if i in region_of:
            k = region_of[i]
            if k not in done:
                out.extend(_flush(segs, pending, height))
                pending = []
                out.extend(_columns(segs, regions[k], height))
                done.add(k)
            continue
        if pending and segs[pending[-1][-1]].line == segs[i].line:
            pending[-1].append(i)
        else:
            pending.append([i])
    out.extend(_flush(segs, pending, height))
    return out


def _rows(segs: list[Segment]) -> list[list[int]]:
    """Segments grouped into printed rows (vertical overlap), top to bottom, each left to right."""
    order = sorted(range(len(segs)), key=lambda i: (segs[i].bbox[1] + segs[i].bbox[3]) / 2)
    rows: list[list[int]] = []
    spans: list[tuple[float, float]] = []
    for i in order:
        top, bottom = segs[i].bbox[1], segs[i].bbox[3]
        mid = (top + bottom) / 2
        if rows and spans[-1][0] <= mid <= spans[-1][1]:
            rows[-1].append(i)
            spans[-1] = (min(spans[-1][0], top), max(spans[-1][1], bottom))
        else:
            rows.append([i])
            spans.append((top, bottom))
    return [sorted(r, key=lambda i: segs[i].bbox[0]) for r in rows]


def _widest_gap(segs: list[Segment], row: list[int], height: float) -> tuple[float, float] | None:
    best = None
    right = segs[row[0]].bbox[2]
    for i in row[1:]:
        gap = (right, segs[i].bbox[0])
        if gap[1] - gap[0] >= MIN_GAP * height and (best is None or gap[1] - gap[0] > best[1] - best[0]):
            best = gap
        right = max(right, segs[i].bbox[2])
    return best


def _fit(segs: list[Segment], row: list[int], gutter: tuple[float, float], height: float) -> tuple[float, float] | None:
    """The gutter narrowed to this row, or None when the row's text crosses it."""
    a, b = gutter
    for i in row:
        x0, _, x1, _ = segs[i].bbox
        if x0 < a and x1 <= b:  # left of the gutter, maybe reaching into it
            a = max(a, x1)
        elif x0 >= a and x1 > b:
            b = min(b, x0)
        else:
            return None
    return (a, b) if b - a >= MIN_GUTTER * height else None


def _centred_title(segs: list[Segment], row: list[int], centres: tuple[float, float], page: tuple[float, float]) -> bool:
    """A one-sided row centred on the page but not on its column: a title under the header."""
    x0 = min(segs[i].bbox[0] for i in row)
    x1 = max(segs[i].bbox[2] for i in row)
    mid = (x0 + x1) / 2
    tol = 0.04 * (page[1] - page[0])
    return abs(mid - (page[0] + page[1]) / 2) <= tol and min(abs(mid - c) for c in centres) > tol


def _regions(segs: list[Segment], rows: list[list[int]], height: float) -> list[tuple[list[int], float]]:
    """Column regions: (segment indices, gutter middle).

    A region starts at a row with a wide gap; it takes the rows below that keep the gutter
    clear, and the rows above with text right of the gutter (the first header row, whose
    two long lines leave a narrower gap; "TM. ..." above "Nơi nhận"), but not a left-only
    row above it (the last line of a paragraph).
    """
    out: list[tuple[list[int], float]] = []
    page = (min(s.bbox[0] for s in segs), max(s.bbox[2] for s in segs))
    taken = 0  # rows before this one belong to an earlier region or were passed
    r = 0
    while r < len(rows):
        gutter = _widest_gap(segs, rows[r], height)
        if gutter is None:
            r += 1
            continue
        sides = ([i for i in rows[r] if segs[i].bbox[2] <= gutter[0]], [i for i in rows[r] if segs[i].bbox[0] >= gutter[1]])
        centres = tuple((min(segs[i].bbox[0] for i in s) + max(segs[i].bbox[2] for i in s)) / 2 for s in sides)
        first = r
        while first - 1 >= taken:
            row = rows[first - 1]
            narrowed = _fit(segs, row, gutter, height) if _row_gap(segs, row, rows[first]) <= MAX_ROW_GAP * height else None
            if narrowed is None or not any(segs[i].bbox[0] >= narrowed[1] for i in row):
                break
            gutter = narrowed
            first -= 1
        k = r + 1
        while k < len(rows):
            narrowed = _fit(segs, rows[k], gutter, height) if _row_gap(segs, rows[k - 1], rows[k]) <= MAX_ROW_GAP * height else None
            if narrowed is None or (
                _widest_gap(segs, rows[k], height) is None and _centred_title(segs, rows[k], centres, page)  # type: ignore[arg-type]
            ):
                break
            gutter = narrowed
            k += 1
        members = rows[first:k]
        mid = (gutter[0] + gutter[1]) / 2
        two_sided = sum(1 for row in members if min(segs[i].bbox[0] for i in row) < mid < max(segs[i].bbox[2] for i in row))
        tabular = two_sided >= TABULAR_ROWS and two_sided >= TABULAR_SHARE * len(members)
        marked = any(_markers().match(segs[i].text) for row in members for i in row)
        if marked and not tabular:
            out.append(([i for row in members for i in row], mid))
        r = taken = k
    return out


def _row_gap(segs: list[Segment], upper: list[int], lower: list[int]) -> float:
    return min(segs[i].bbox[1] for i in lower) - max(segs[i].bbox[3] for i in upper)


def _columns(segs: list[Segment], region: tuple[list[int], float], height: float) -> list[RawBlock]:
    """A region's left column, then its right column, each as blocks of lines top to bottom."""
    members, mid = region
    out: list[RawBlock] = []
    for column, side in ((1, [i for i in members if segs[i].bbox[2] <= mid]), (2, [i for i in members if segs[i].bbox[2] > mid])):
        lines = [[side[j] for j in row] for row in _rows([segs[i] for i in side])]
        out.extend(_blocks(segs, lines, height, column))
    return out


def _flush(segs: list[Segment], pending: list[list[int]], height: float) -> list[RawBlock]:
    return _blocks(segs, pending, height, 0) if pending else []


def _blocks(segs: list[Segment], lines: list[list[int]], height: float, column: int) -> list[RawBlock]:
    """Lines (each a list of segment indices) grouped into blocks at vertical gaps."""
    blocks: list[RawBlock] = []
    current: list[RawLine] = []
    prev: BBox | None = None
    for line in lines:
        raw = _line(segs, line)
        box = raw.bbox
        assert box is not None
        if current and prev is not None and (box[1] - prev[3] > PARA_GAP * height or box[3] < prev[1]):
            blocks.append(_block(current, column))
            current = []
        current.append(raw)
        prev = box
    if current:
        blocks.append(_block(current, column))
    return blocks


def _line(segs: list[Segment], idx: list[int]) -> RawLine:
    text = ""
    words: list[RawWord] = []
    confs: list[float] = []
    for i in idx:
        s = segs[i]
        lead = len(s.text) - len(s.text.lstrip())
        body = s.text.strip()
        if text:
            text += " "
        base = len(text) - lead
        words.extend(RawWord(base + w.start, base + w.end, w.confidence, w.bbox) for w in s.words)
        text += body
        if s.confidence is not None:
            confs.append(s.confidence)
    box = union(segs[i].bbox for i in idx)
    conf = round(sum(confs) / len(confs), 2) if confs else None
    return RawLine(text, box, conf, tuple(w for w in words if 0 <= w.start < w.end <= len(text)))


def _block(lines: list[RawLine], column: int) -> RawBlock:
    return RawBlock(tuple(lines), union(ln.bbox for ln in lines if ln.bbox), column=column)


@cache
def _markers() -> re.Pattern[str]:
    t = load("layout")
    header = "|".join(f"(?i:{x})" for x in t["header"])
    return re.compile(rf"\s*(?:{header}|{'|'.join(t['signature'])})")


def is_layout_table(rows: Sequence[Sequence[str]]) -> bool:
    """A table of two or three filled columns with a header or signature marker in one of
    its first rows (see the module docstring)."""
    filled = {c for row in rows for c, cell in enumerate(row) if cell.strip()}
    if not rows or not 2 <= len(filled) <= LAYOUT_TABLE_COLS:
        return False
    rx = _markers()
    return any(rx.match(line) for row in rows[:LAYOUT_TABLE_ROWS] for cell in row for line in cell.splitlines())


def layout_table_blocks(rows: Sequence[Sequence[str]]) -> list[RawBlock] | None:
    """A layout table as column blocks (kind ``cell``, ``table`` None), or None for a data table."""
    if not is_layout_table(rows):
        return None
    width = max(len(r) for r in rows)
    filled = [c for c in range(width) if any(c < len(r) and r[c].strip() for r in rows)]
    return [
        RawBlock.of_text(rows[r][c].strip(), column=k, kind="cell", row=r, col=c)
        for k, c in enumerate(filled, start=1)
        for r in range(len(rows))
        if c < len(rows[r]) and rows[r][c].strip()
    ]


def union(boxes: object) -> BBox:
    """The box around ``boxes``."""
    bs = list(boxes)  # type: ignore[call-overload]
    return (min(b[0] for b in bs), min(b[1] for b in bs), max(b[2] for b in bs), max(b[3] for b in bs))


__all__ = ["Segment", "is_layout_table", "lay_out", "layout_table_blocks", "union"]
