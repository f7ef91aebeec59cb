"""Word ``.docx``: body paragraphs and tables in document order, headers and footnotes.

python-docx lists paragraphs and tables separately and drops footnotes, but plans put
their issuer/number/date in a two-column layout table before the title and some cite
their directives only in footnotes. So the body XML is walked in order (paragraphs,
tables, content controls), automatic list numbers are put back ("I.", "1.", "a)"; see
``docx_numbering``), page headers come first, and footnote/endnote texts are appended
under a ``Chú thích:`` line. Each paragraph is a block; a layout table (header,
signature: ``layout.layout_table_blocks``) becomes column blocks, left column first, and
only data tables stay tables. Merged cells appear once per row; deleted
revisions and field codes are skipped, and a text box's fallback copy is not read twice.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from lxml import etree

from pipeline.errors import KehoachError, Reason
from pipeline.read.assemble import Block, RawBlock, RawPage, RawRead, RawTable
from pipeline.read.docx_numbering import Numbering
from pipeline.read.layout import layout_table_blocks

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
FOOTNOTES_LABEL = "Chú thích:"
_PAGE_NUMBER = re.compile(r"^\W*(?:[Tt]rang\s*)?\d*\W*$")  # header lines that are only a page number


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_SKIP = {_w("del"), _w("delText"), _w("instrText"), _w("moveFrom"), f"{{{MC}}}Fallback", _w("rPr"), _w("pPr")}


def read_docx(path: Path, data: bytes) -> RawRead:
    """Read a ``.docx`` into one page of blocks (Word has no fixed pages)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, etree.XMLSyntaxError, ValueError) as e:
        raise KehoachError(Reason.corrupt, str(path), f"damaged Word file ({type(e).__name__})") from None
    blocks: list[Block] = []
    header_lines = _header_lines(document)
    if header_lines:
        blocks.append(RawBlock.of_text("\n".join(header_lines), kind="header"))
    blocks.extend(_body_blocks(document.element.body, _numbering(document), layout=True))
    notes = _note_texts(document)
    if notes:
        blocks.append(RawBlock.of_text("\n" + FOOTNOTES_LABEL + "\n" + "\n".join(notes)))
    return RawRead(pages=(RawPage(blocks=tuple(blocks)),))


def _body_blocks(container: etree._Element, numbering: Numbering | None = None, *, layout: bool = False) -> list[Block]:
    """Paragraphs and tables in order; with ``layout``, paragraphs are blocks and layout
    tables column blocks (the body), else plain text and tables (page headers)."""
    blocks: list[Block] = []
    for child in container.iterchildren():
        if child.tag == _w("p"):
            label = numbering.label(child) if numbering else ""
            text = label + paragraph_text(child)
            blocks.append(RawBlock.of_text(text) if layout else text + "\n")
        elif child.tag == _w("tbl"):
            rows = table_rows(child, numbering)
            columns = layout_table_blocks(rows) if layout and rows else None
            if columns:
                blocks.extend(columns)
            elif rows:
                blocks.append(RawTable(rows))
        elif child.tag in (_w("sdt"), _w("customXml"), _w("ins"), _w("smartTag")):
            inner = child.find(_w("sdtContent")) if child.tag == _w("sdt") else child
            if inner is not None:
                blocks.extend(_body_blocks(inner, numbering, layout=layout))
    return blocks


def paragraph_text(p: etree._Element) -> str:
    """Text of a ``w:p`` (runs, tabs, breaks, hyperlinks, text boxes), revisions applied."""
    out: list[str] = []
    _collect(p, out)
    return "".join(out)


def _collect(el: etree._Element, out: list[str]) -> None:
    for child in el.iterchildren():
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == _w("t"):
            out.append(child.text or "")
        elif tag == _w("tab"):
            out.append("\t")
        elif tag in (_w("br"), _w("cr")):
            out.append("\n")
        elif tag == _w("noBreakHyphen"):
            out.append("-")
        elif tag == _w("sym"):
            out.append(_sym(child))
        elif tag == _w("p"):  # a paragraph inside a text box
            if out and not out[-1].endswith("\n"):
                out.append("\n")
            _collect(child, out)
            out.append("\n")
        elif tag == _w("tbl"):  # a table inside a text box or cell
            for row in table_rows(child):
                out.append(" | ".join(c.replace("\n", " ") for c in row) + "\n")
        else:
            _collect(child, out)


def _sym(el: etree._Element) -> str:
    code = el.get(_w("char"), "")
    try:
        c = int(code, 16)
    except ValueError:
        return ""
    return chr(c - 0xF000) if c >= 0xF000 else chr(c)


def table_rows(tbl: etree._Element, numbering: Numbering | None = None) -> tuple[tuple[str, ...], ...]:
    """Cells of a ``w:tbl``, row by row; a horizontally merged cell counts once."""
    rows: list[tuple[str, ...]] = []
    for tr in tbl.iterchildren(_w("tr")):
        cells: list[str] = []
        for tc in _row_cells(tr):
            paras = [(numbering.label(p) if numbering else "") + paragraph_text(p) for p in tc.iterchildren(_w("p"))]
            for nested in tc.iterchildren(_w("tbl")):
                paras.extend(" | ".join(r) for r in table_rows(nested, numbering))
            cells.append("\n".join(x.strip() for x in paras if x.strip()))
        if any(cells):
            rows.append(tuple(cells))
    width = max((len(r) for r in rows), default=0)
    return tuple(r + ("",) * (width - len(r)) for r in rows)


def _row_cells(tr: etree._Element) -> list[etree._Element]:
    cells: list[etree._Element] = []
    for child in tr.iterchildren():
        if child.tag == _w("tc"):
            cells.append(child)
        elif child.tag in (_w("sdt"), _w("customXml")):
            inner = child.find(_w("sdtContent")) if child.tag == _w("sdt") else child
            if inner is not None:
                cells.extend(inner.iterchildren(_w("tc")))
    return cells


def _numbering(document: object) -> Numbering:
    blobs: dict[str, bytes] = {}
    for rel in document.part.rels.values():  # type: ignore[attr-defined]
        kind = rel.reltype.rsplit("/", 1)[-1]
        if kind in ("numbering", "styles") and not rel.is_external:
            blobs[kind] = rel.target_part.blob
    return Numbering.from_xml(blobs.get("numbering"), blobs.get("styles"))


def _header_lines(document: object) -> list[str]:
    """Distinct non-empty lines of the sections' page headers (first-page header first)."""
    seen: set[str] = set()
    lines: list[str] = []
    for section in document.sections:  # type: ignore[attr-defined]
        for header in (section.first_page_header, section.header):
            if header.is_linked_to_previous and section is not document.sections[0]:  # type: ignore[attr-defined]
                continue
            try:
                element = header._element
            except Exception:  # noqa: BLE001 - a header part python-docx cannot build
                continue
            for block in _body_blocks(element):
                text = block if isinstance(block, str) else "\n".join(" | ".join(r) for r in block.rows)
                for line in text.splitlines():
                    if _PAGE_NUMBER.match(line):
                        continue
                    if line.strip() and line.strip() not in seen:
                        seen.add(line.strip())
                        lines.append(line.rstrip())
    return lines


def _note_texts(document: object) -> list[str]:
    """Footnote then endnote texts, numbered in order, separators skipped."""
    texts: list[str] = []
    part = document.part  # type: ignore[attr-defined]
    for kind, tag in (("footnotes", "footnote"), ("endnotes", "endnote")):
        for rel in part.rels.values():
            if rel.reltype != _RT + kind or rel.is_external:
                continue
            try:
                root = etree.fromstring(rel.target_part.blob)
            except etree.XMLSyntaxError:
                continue
            for note in root.iterchildren(_w(tag)):
                if note.get(_w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                body = " ".join(paragraph_text(p).strip() for p in note.iter(_w("p")))
                body = " ".join(body.split())
                if body:
                    texts.append(f"{len(texts) + 1}. {body}")
    return texts


__all__ = ["FOOTNOTES_LABEL", "paragraph_text", "read_docx", "table_rows"]
