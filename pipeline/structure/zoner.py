"""``find_zones(doc)``: segment first, then label each segment (GROBID's cascade).

1. Lines (``lines.py``): from the reader's blocks, or from the text with layout tables
   unfolded into their cells' lines.
2. Page furniture anywhere: stamp text, page numbers at a page's edge, running lines
   repeated page after page.
3. Segments, each labelled by its own stage: the header from the top (``head.py``), the
   closing found from the end (``closing.py``), what follows the signature (appendix,
   notes), and the body between them (``body.py``).
4. Parts of one kind that follow each other become one zone (a paragraph, an item, a
   clause, a table, the signature); headings, items, body text and tables get the index
   of the heading they stand under.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from pipeline.models import Document, Table, Zone
from pipeline.structure.body import body
from pipeline.structure.closing import closing, tail
from pipeline.structure.cues import (
    authority_end, clean, is_number, is_page_number, is_recipients, is_stamp, is_upper, motto_span, name_in,
    place_date_span,
)  # fmt: skip
from pipeline.structure.head import head
from pipeline.structure.lines import TextLine, document_lines
from pipeline.structure.parts import Part
from pipeline.structure.skeleton import prime, skeleton
from pipeline.structure.view import Structure, ZoneLine

# Kinds whose consecutive parts make one zone even across paragraphs.
_WHOLE = frozenset(
    {"motto", "number", "place_date", "doc_type", "title", "addressee", "recipients",
     "signature", "page_furniture"}
)  # fmt: skip
_SECTIONED = frozenset({"heading", "item", "body", "table"})


def find_zones(doc: Document) -> tuple[Zone, ...]:
    """The zones of ``doc`` in text order (see the module docstring)."""
    return structure_of_document(doc).zones


def structure_of_document(doc: Document) -> Structure:
    """Zones and the printed lines in each (``Structure``) of ``doc``."""
    lines = document_lines(doc)
    prime(doc.text, [(ln.start, ln.end) for ln in lines])  # every cue reads a line's skeleton
    return _structure(doc.text, lines)


def zones_of_text(text: str, tables: Sequence[Table] = ()) -> tuple[Zone, ...]:
    """The zones of a bare text (and its reader tables), for callers without a Document."""
    return structure_of_text(text, tables).zones


def structure_of_text(text: str, tables: Sequence[Table] = ()) -> Structure:
    """The ``Structure`` of a bare text (and its reader tables), for callers without a
    Document (cached: the header and the signature of one text share it)."""
    return _structure_of_text(text, tuple(tables))


@lru_cache(maxsize=8)
def _structure_of_text(text: str, tables: tuple[Table, ...]) -> Structure:
    return structure_of_document(Document(path="", sha256="", format="txt", text=text, tables=tables))


def label_lines(lines: tuple[TextLine, ...]) -> list[Part]:
    """Every line (or column part of one) of a document labelled with its zone kind."""
    furniture = _furniture(lines)
    head_parts, body_from = head(lines, furniture)
    restart = _next_document(lines, body_from)
    own = lines[:restart]
    close_from, close_to, close_parts = closing(own, body_from, furniture)
    if close_from < body_from:
        close_from = close_to = len(own)
        close_parts = []
    inner = [ln for i, ln in enumerate(lines[body_from:close_from], start=body_from) if i not in furniture]
    parts = list(head_parts)
    parts += [Part(lines[i], "page_furniture") for i in range(body_from, close_from) if i in furniture]
    parts += body(inner)
    parts += close_parts
    parts += tail(own, close_to, furniture)
    parts += [Part(ln, "page_furniture" if i in furniture else "appendix", group=-4)
              for i, ln in enumerate(lines[restart:], start=restart)]  # fmt: skip
    parts.sort(key=lambda p: p.line.start)
    return parts


def _next_document(lines: tuple[TextLine, ...], lo: int) -> int:
    """Where a second document starts in the same file (a letter followed by its copies
    or by the draft it submits): a motto line with a number or place-date line right
    after it, once a closing has been seen. ``len(lines)`` when there is none."""
    closed = False
    for i in range(lo, len(lines)):
        t = clean(lines[i].text)
        if not closed:
            closed = is_recipients(t) or authority_end(t) is not None
            continue
        span = motto_span(t)
        if span is None or lines[i].table is not None:
            continue
        near = lines[i : i + 6]
        if any(is_number(ln.text) or place_date_span(ln.text) for ln in near):
            start = i
            while start - 1 > lo and is_upper(clean(lines[start - 1].text)) and i - start < 3 and not (
                is_recipients(lines[start - 1].text) or authority_end(lines[start - 1].text) is not None
                or name_in(lines[start - 1].text)
            ):
                start -= 1  # the issuing body's lines above the motto
            return start if span[0] == 0 or start < i else i
    return len(lines)


def _structure(text: str, lines: tuple[TextLine, ...]) -> Structure:
    """Zones from labelled lines: consecutive parts of one kind (and one paragraph, clause
    or body) merged; each part kept as a printed line of its zone."""
    merged: list[tuple[Part, int, int]] = []  # (first part, start, end)
    zone_lines: list[ZoneLine] = []
    for p in label_lines(lines):
        if not p.kind:
            continue
        if merged:
            first, s, e = merged[-1]
            same = first.kind == p.kind and (p.kind in _WHOLE or (first.group == p.group and p.group != -1))
            if same:
                merged[-1] = (first, s, max(e, p.line.end))
                zone_lines.append(ZoneLine(p.line.start, p.line.end, p.line.text, len(merged) - 1, p.line.column))
                continue
        merged.append((p, p.line.start, p.line.end))
        zone_lines.append(ZoneLine(p.line.start, p.line.end, p.line.text, len(merged) - 1, p.line.column))
    return Structure(text, _with_parents(merged), tuple(zone_lines))


def _with_parents(merged: list[tuple[Part, int, int]]) -> tuple[Zone, ...]:
    zones: list[Zone] = []
    stack: list[tuple[int, int]] = []  # (level, zone index) of open headings
    for p, s, e in merged:
        parent = -1
        if p.kind in _SECTIONED:
            level = p.level if p.level >= 0 else 99
            if p.kind == "heading" or p.kind == "item":
                while stack and stack[-1][0] >= level:
                    stack.pop()
            parent = stack[-1][1] if stack else -1
            if p.kind == "heading":
                stack.append((level, len(zones)))
        elif p.kind in ("recipients", "signature", "appendix", "footnotes"):
            stack.clear()
        zones.append(Zone(kind=p.kind, start=s, end=e, label=p.label, parent=parent, page=p.line.page))
    return tuple(zones)


def _furniture(lines: tuple[TextLine, ...]) -> set[int]:
    """Lines that belong to the page, not the document: stamp text, a page number at a
    page's edge, a running line repeated at the edge of several pages."""
    out: set[int] = set()
    edges: set[int] = set()
    for i, ln in enumerate(lines):
        if ln.page is None:
            continue
        if i < 2 or lines[i - 1].page != ln.page or lines[i - 2].page != ln.page:
            edges.add(i)
        if i + 2 >= len(lines) or lines[i + 1].page != ln.page or lines[i + 2].page != ln.page:
            edges.add(i)
    has_pages = any(ln.page is not None for ln in lines)
    seen: dict[str, set[int | None]] = {}
    for i, ln in enumerate(lines):
        if ln.table is not None:
            continue
        if is_stamp(ln.text):
            out.add(i)
        elif is_page_number(ln.text) and (i in edges if has_pages else ln.blank_before):
            out.add(i)
        elif i in edges and len(ln.text) >= 12:
            seen.setdefault(skeleton(clean(ln.text)), set()).add(ln.page)
    repeated = {k for k, pages in seen.items() if len(pages) >= 2 and not _header_cue(k)}
    if repeated:
        out |= {i for i in edges if lines[i].table is None and skeleton(clean(lines[i].text)) in repeated}
    return out


def _header_cue(text: str) -> bool:
    """A repeated line that still belongs to a document: its motto, number, place-date,
    a signature's line (a file holding a letter and its copies repeats them)."""
    return bool(
        motto_span(text) or is_number(text) or place_date_span(text) or authority_end(text) is not None
        or name_in(text.title())
    )  # fmt: skip


__all__ = ["find_zones", "label_lines", "structure_of_document", "structure_of_text", "zones_of_text"]
