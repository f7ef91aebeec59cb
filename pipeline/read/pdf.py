"""PDF: pypdfium2's text layer, pdfplumber for ruled tables, Tesseract for pages without text.

- Text: PDFium's text page gives characters in content order with combining marks in
  place, fast enough for 1000-page rule books. Each of its lines is cut into segments at
  wide gaps between its text objects (PDFium's rects), and ``layout`` orders the segments:
  content order, except that a two-column header or signature is read left column first.
- Tables: only pages with enough drawn lines are handed to pdfplumber (slow); a found
  table replaces the text inside its box, and the text above, between and below tables
  comes from PDFium's bounded text, so reading order is kept.
- Scans: a page whose text layer has fewer than ``min_page_chars`` useful characters, a
  scanned page whose layer holds only a stamp's words, or a page whose layer is not
  Vietnamese text (``quality``: a scanner's English OCR layer, a font without a Unicode
  map) is rendered in grey (at the scan's own resolution, 200-``ocr_dpi`` dpi) and OCR'd,
  with a note saying why; mixed PDFs are read page by page. A layer in a legacy font
  encoding (``.VnTime``: "Céng hoµ x· héi") is converted instead (``legacy``). A PDF
  whose every page needed OCR has format ``pdf-scan``.
- Stamped numbers: an e-signed PDF's number and day are often drawn by signature
  widgets over blanks of the text layer (``Số:    /BNV-TCPCP``); ``stamps`` reads them
  (as text where the widget draws text, else by OCR of its ink) and puts them where they
  stand; failing that, when page 1's number or day is blank, the page's top is OCR'd and
  its "Số"/"ngày" lines are added at the start of page 1. ``Document.notes`` says so.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import KehoachError, Reason
from pipeline.read.assemble import Block, RawBlock, RawPage, RawRead, RawTable, map_text
from pipeline.read.layout import Segment, lay_out
from pipeline.read.stamps import image_stamps, inserts, number_blank, text_stamps, widget_boxes

if TYPE_CHECKING:
    from pipeline.read import ReadSettings
    from pipeline.read.ocr import OcrPage

MIN_TABLE_PATHS = 3  # drawn path objects on a page before pdfplumber is asked for tables
STAMP_CHARS = 300  # a scanned page with fewer text-layer characters holds only a stamp's or signer's words
_USEFUL = re.compile(r"[^\W_]", re.UNICODE)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass
class _PageText:
    blocks: list[Block]
    useful: int  # letters/digits in the text layer
    width: float | None = None
    height: float | None = None
    text: str = field(default="", repr=False)  # the layer's text in content order
    tables: list[tuple[tuple[float, float, float, float], tuple[tuple[str, ...], ...]]] = field(default_factory=list)
    quality: float | None = None  # share of valid Vietnamese syllables (quality.measure)
    source: str = "text"

    def convert(self, fn: Callable[[str], str]) -> None:
        """Apply ``fn`` to every text of the page (a legacy encoding converted)."""
        self.blocks = list(map_text(self.blocks, fn))

    def plain(self) -> str:
        """The page's text as laid out (tables left out)."""
        out = []
        for b in self.blocks:
            if isinstance(b, str):
                out.append(b)
            elif isinstance(b, RawBlock):
                out.extend(ln.text + "\n" for ln in b.lines)
        return "".join(out)


def read_pdf(path: Path, data: bytes, settings: ReadSettings) -> RawRead:
    """Read a PDF: text layer per page, tables as cells, OCR where the layer is empty or broken."""
    import pypdfium2 as pdfium

    spath = str(path)
    pdf = _open(pdfium, data, spath)
    notes: list[str] = []
    try:
        n = len(pdf)
        if n == 0:
            raise KehoachError(Reason.empty, spath, "the PDF has no pages")
        if n > settings.max_pages:
            raise KehoachError(Reason.too_large, spath, f"{n} pages is over the {settings.max_pages}-page limit")
        texts = [_read_page(pdfium, pdf, data, i, spath) for i in range(n)]
        need_ocr = _judge_layers(pdf, texts, settings, notes)
        ocr_results: dict[int, OcrPage] = {}
        if need_ocr and settings.ocr:
            ocr_results = _ocr_pages(pdf, need_ocr, settings, spath)
        elif need_ocr:
            notes.append(f"OCR skipped on page(s) {_ranges(need_ocr)} (OCR is off)")
        header_lines = None
        if settings.header_ocr and 0 not in ocr_results:
            spliced, how = _splice_stamps(pdf, data, settings, spath, texts[0])
            if spliced:
                spliced.quality, spliced.source = texts[0].quality, "text" if how == "text" else "text+ocr"
                texts[0] = spliced
                notes.append(f"page 1: number/date stamped by signature widgets ({_HOW[how]}); put in place")
            elif settings.ocr and number_blank(texts[0].plain()[:600]):
                header_lines = _header_ocr(pdf, settings, spath)
    finally:
        pdf.close()
    from pipeline.read.ocr import raw_page

    pages: list[RawPage] = []
    for i, t in enumerate(texts):
        if i in ocr_results:
            pages.append(raw_page(ocr_results[i]))
            if ocr_results[i].rotated:
                notes.append(f"page {i + 1}: turned {ocr_results[i].rotated}° before OCR")
            if ocr_results[i].skew:
                notes.append(f"page {i + 1}: straightened {ocr_results[i].skew:+.1f}° before OCR")
        else:
            pages.append(RawPage(tuple(t.blocks), width=t.width, height=t.height, quality=t.quality, source=t.source))
    if header_lines:
        p0 = pages[0]
        pages[0] = replace(p0, blocks=(header_lines,) + p0.blocks, source="text+ocr")
        notes.append("page 1: number/date stamped as an image; header OCR'd and added at the top")
    fmt = "pdf-scan" if ocr_results and len(ocr_results) == len(texts) else None
    if ocr_results and fmt is None:
        notes.append(f"OCR used on page(s) {_ranges(sorted(ocr_results))}")
    return RawRead(pages=tuple(pages), notes=tuple(notes), format=fmt)


def _judge_layers(pdf: object, texts: list[_PageText], settings: ReadSettings, notes: list[str]) -> list[int]:
    """Pages to OCR: no text layer, only a stamp's words on a scanned page, or a layer that
    is not Vietnamese text (``quality``); a layer in a legacy font encoding is converted."""
    from pipeline.read import legacy
    from pipeline.read.quality import measure

    empty, stamp, broken, converted = [], [], [], {}
    for i, t in enumerate(texts):
        if t.useful < settings.min_page_chars:
            empty.append(i)
            continue
        plain = t.plain()
        q = measure(plain)
        t.quality = q.valid if q.words else None
        if t.useful < STAMP_CHARS and _mostly_image(pdf, i):
            stamp.append(i)
        elif q.verdict == "broken":
            enc = legacy.detect(plain)
            if enc:
                t.convert(lambda s, e=enc: legacy.convert(s, e))
                t.quality = measure(t.plain()).valid
                converted.setdefault(enc, []).append(i)
            else:
                broken.append((i, q))
    for enc, pages in converted.items():
        notes.append(f"page(s) {_ranges(pages)}: text layer in the {legacy.NAMES[enc]} font encoding; converted to Unicode")
    if stamp:
        notes.append(f"page(s) {_ranges(stamp)}: a scanned page whose text layer holds only a stamp's words; OCR instead")
    if broken:
        worst = min(q.valid for _, q in broken)
        notes.append(
            f"page(s) {_ranges([i for i, _ in broken])}: text layer is not Vietnamese text (valid syllables "
            f"{worst:.2f}: a scanner's OCR layer or a font without a Unicode map); OCR instead"
        )
    return sorted(set(empty) | set(stamp) | {i for i, _ in broken})


def _mostly_image(pdf: object, index: int) -> bool:
    """An image covers most of the page (a scan)."""
    import pypdfium2.raw as c

    page = pdf[index]  # type: ignore[index]
    try:
        area = page.get_width() * page.get_height()
        for o in page.get_objects(max_depth=2):
            if o.type == c.FPDF_PAGEOBJ_IMAGE:
                left, bottom, right, top = o.get_bounds()
                if (right - left) * (top - bottom) >= 0.5 * area:
                    return True
        return False
    finally:
        page.close()


def _open(pdfium: object, data: bytes, spath: str) -> object:
    import pypdfium2.raw as c

    try:
        pdf = pdfium.PdfDocument(data)  # type: ignore[attr-defined]
    except pdfium.PdfiumError as e:  # type: ignore[attr-defined]
        if getattr(e, "err_code", None) == c.FPDF_ERR_PASSWORD:
            raise KehoachError(Reason.encrypted, spath, "password-protected PDF") from None
        if getattr(e, "err_code", None) == c.FPDF_ERR_SECURITY:
            raise KehoachError(Reason.encrypted, spath, "unsupported PDF security handler") from None
        raise KehoachError(Reason.corrupt, spath, "damaged or truncated PDF") from None
    try:
        pdf.init_forms()  # so that renders show form fields and signature stamps (numbers, dates)
    except Exception:  # noqa: BLE001 - no form environment: render without it
        pass
    return pdf


def _read_page(pdfium: object, pdf: object, data: bytes, index: int, spath: str) -> _PageText:
    try:
        page = pdf[index]  # type: ignore[index]
    except pdfium.PdfiumError:  # type: ignore[attr-defined]
        raise KehoachError(Reason.corrupt, spath, f"page {index + 1} cannot be loaded") from None
    try:
        return _page_text(page, data, index)
    finally:
        page.close()  # type: ignore[attr-defined]


def _page_text(
    page: object, data: bytes, index: int, inserts: dict[int, str] | None = None, tables: list | None = None  # type: ignore[type-arg]
) -> _PageText:
    """A page's text layer laid out, with pdfplumber's ruled tables (``tables``: found before)."""
    textpage = page.get_textpage()  # type: ignore[attr-defined]
    try:
        full = textpage.get_text_range()
        useful = len(_USEFUL.findall(full)) - full.count("\ufffd")
        width = page.get_width()  # type: ignore[attr-defined]
        height = page.get_height()  # type: ignore[attr-defined]
        if useful <= 0:
            return _PageText([], useful, width, height, full)
        segments = _segments(textpage, full, height, inserts or {})
    finally:
        textpage.close()
    if tables is None:
        tables = _plumber_tables(data, index) if _path_count(page) >= MIN_TABLE_PATHS else []
    boxes = tables
    blocks: list[Block] = []
    top = 0.0
    for (_, t, _, b), rows in boxes:
        blocks.extend(lay_out([s for s in segments if top <= _mid(s) < t]))
        blocks.append(RawTable(rows))
        top = b
    blocks.extend(lay_out([s for s in segments if _mid(s) >= top]))
    return _PageText(blocks, useful, width, height, full, boxes)


def _mid(s: Segment) -> float:
    return (s.bbox[1] + s.bbox[3]) / 2


def _segments(textpage: object, full: str, height: float, inserts: dict[int, str]) -> list[Segment]:
    """PDFium's lines as segments with boxes (top-down), cut at wide gaps between text objects."""
    import pypdfium2.raw as c

    raw = textpage.raw  # type: ignore[attr-defined]
    left, top, right, bottom = (ctypes.c_double() for _ in range(4))
    refs = (ctypes.byref(left), ctypes.byref(top), ctypes.byref(right), ctypes.byref(bottom))
    out: list[Segment] = []
    pos = 0
    line_no = 0
    for m in [*_LINE_BREAK.finditer(full), None]:
        end = m.start() if m else len(full)
        if full[pos:end].strip():
            rects = []
            for j in range(c.FPDFText_CountRects(raw, pos, end - pos)):
                c.FPDFText_GetRect(raw, j, *refs)
                rects.append((left.value, height - top.value, right.value, height - bottom.value))
            cuts = _cuts(raw, rects, pos, end, height) if len(rects) > 1 else []
            starts = [pos, *(k for k, _ in cuts)]
            firsts = [0, *(j for _, j in cuts)]
            for n, (a, r0) in enumerate(zip(starts, firsts)):
                b = starts[n + 1] if n + 1 < len(starts) else end
                r1 = firsts[n + 1] if n + 1 < len(firsts) else len(rects)
                text = _piece(full, a, b, inserts)
                if text.strip() and rects[r0:r1]:
                    out.append(Segment(text, _union(rects[r0:r1]), line_no))
            line_no += 1
        pos = m.end() if m else end
    return out


def _cuts(
    raw: object, rects: list[tuple[float, float, float, float]], start: int, end: int, height: float
) -> list[tuple[int, int]]:
    """(char index, rect index) where a line jumps a wide gap (or back left) between text objects."""
    import pypdfium2.raw as c

    out: list[tuple[int, int]] = []
    h = max(1.0, max(r[3] - r[1] for r in rects))
    reach = rects[0][2]
    for j in range(1, len(rects)):
        x0, t, _, b = rects[j]
        if x0 - reach >= 2 * h or x0 < rects[j - 1][0] - h:
            k = c.FPDFText_GetCharIndexAtPos(raw, x0 + 0.5, height - (t + b) / 2, 1.0, 1.0)  # PDF y: bottom-up
            if start < k < end and (not out or k > out[-1][0]):
                out.append((k, j))
        reach = max(reach, rects[j][2])
    return out


def _union(rects: list[tuple[float, float, float, float]]) -> tuple[float, float, float, float]:
    return (min(r[0] for r in rects), min(r[1] for r in rects), max(r[2] for r in rects), max(r[3] for r in rects))


def _piece(full: str, a: int, b: int, inserts: dict[int, str]) -> str:
    """``full[a:b]`` cleaned, with stamped digits put in at their character positions."""
    text = full[a:b]
    for pos in sorted((p for p in inserts if a < p <= b), reverse=True):  # after the character at pos - 1
        k = pos - a
        before = "" if k > 0 and text[k - 1].isspace() else " "
        after = "" if k < len(text) and (text[k].isspace() or text[k] in "-–/") else " "
        text = text[:k] + before + inserts[pos] + after + text[k:]
    return text.replace("\x02", "-").strip()


def _path_count(page: object) -> int:
    import pypdfium2.raw as c

    return sum(1 for o in page.get_objects(max_depth=1) if o.type == c.FPDF_PAGEOBJ_PATH)  # type: ignore[attr-defined]


def _plumber_tables(data: bytes, index: int) -> list[tuple[tuple[float, float, float, float], tuple[tuple[str, ...], ...]]]:
    """Ruled tables of one page: (bbox in top-down points, rows), top to bottom."""
    import io

    import pdfplumber

    found = []
    try:
        with pdfplumber.open(io.BytesIO(data), pages=[index + 1]) as pl:
            page = pl.pages[0]
            for t in page.find_tables():
                rows = tuple(
                    tuple((cell or "").strip() for cell in row) for row in t.extract() if any((c or "").strip() for c in row)
                )
                if len(rows) >= 1 and max(len(r) for r in rows) >= 2:
                    found.append((t.bbox, rows))
    except Exception:  # noqa: BLE001 - table detection is an extra; the text layer stands
        return []
    found.sort(key=lambda x: x[0][1])
    return found


MIN_OCR_DPI = 200


def _render(pdf: object, index: int, dpi: int, *, native: bool = False, colour: bool = False) -> object:
    """Page image in grey (in colour with ``colour``); with ``native``, at the scan's own
    resolution when that is at least 200 dpi (up-sampling a 200-dpi scan to 300 dpi
    doubles OCR time, gains nothing)."""
    page = pdf[index]  # type: ignore[index]
    try:
        if native:
            scan_dpi = _image_dpi(page)
            if scan_dpi:
                dpi = int(min(dpi, max(MIN_OCR_DPI, scan_dpi)))
        return page.render(scale=dpi / 72, grayscale=not colour, may_draw_forms=True).to_pil()
    finally:
        page.close()


def _image_dpi(page: object) -> float | None:
    """Resolution of the largest image on the page, or None."""
    import pypdfium2.raw as c

    best = None
    for o in page.get_objects(max_depth=2):  # type: ignore[attr-defined]
        if o.type != c.FPDF_PAGEOBJ_IMAGE:
            continue
        try:
            m = o.get_metadata()
        except Exception:  # noqa: BLE001 - an image pdfium cannot describe
            continue
        if best is None or m.width * m.height > best[0]:
            best = (m.width * m.height, min(m.horizontal_dpi, m.vertical_dpi))
    return best[1] if best and best[1] > 0 else None


def _ocr_pages(pdf: object, indices: list[int], settings: ReadSettings, spath: str) -> dict[int, OcrPage]:
    from pipeline.read.ocr import check_tesseract, ocr_images

    check_tesseract(settings.ocr_lang, spath)
    images = [_render(pdf, i, settings.ocr_dpi, native=True) for i in indices]  # PDFium is not thread-safe: render here
    fields = settings.header_ocr and indices[0] == 0
    # Page 1 is rendered twice on purpose: PDFium's grey render is not the colour render
    # turned grey (a JPEG scan's grey comes from its luma, a widget's text is drawn
    # otherwise), and OCR read from the converted image differs on most scans.
    colour = _render(pdf, 0, settings.ocr_dpi, native=True, colour=True) if fields else None
    results = ocr_images(
        images, lang=settings.ocr_lang, workers=settings.ocr_workers, rotate=settings.ocr_rotate, path=spath,
        marks=settings.ocr_marks, header_fields=fields, header_colour=colour,  # type: ignore[arg-type]
    )  # fmt: skip
    return dict(zip(indices, results))


_HOW = {"text": "drawn as text; read from the widgets", "ocr": "drawn as images; OCR'd"}


def _splice_stamps(pdf: object, data: bytes, settings: ReadSettings, spath: str, first: _PageText) -> tuple[_PageText | None, str]:
    """Page 1's text with the numbers and days its signature widgets stamp put where they
    stand (``stamps``), and how they were read ("text" or "ocr")."""
    page = pdf[0]  # type: ignore[index]
    try:
        boxes = widget_boxes(page)
        if not boxes:
            return None, ""
        found, how = text_stamps(data, 0), "text"
        if not found and settings.ocr and number_blank(first.plain()[:600]):
            found, how = image_stamps(page, boxes, settings, spath), "ocr"
        if not found:
            return None, ""
        textpage = page.get_textpage()
        try:
            where = inserts(textpage, found)
        finally:
            textpage.close()
        return (_page_text(page, data, 0, where, first.tables), how) if where else (None, "")
    finally:
        page.close()


def _header_ocr(pdf: object, settings: ReadSettings, spath: str) -> str | None:
    """OCR the top quarter of page 1; the lines with the number and date, or None."""
    from pipeline.read.ocr import ocr_images, tesseract_path

    if not tesseract_path():
        return None
    image = _render(pdf, 0, max(settings.ocr_dpi, 300))
    w, h = image.size  # type: ignore[attr-defined]
    top = image.crop((0, 0, w, h // 4))  # type: ignore[attr-defined]
    try:
        result = ocr_images([top], lang=settings.ocr_lang, workers=1, rotate=False, path=spath, marks=settings.ocr_marks)[0]
    except KehoachError:
        return None
    keep = [ln.strip() for ln in result.text.splitlines() if re.search(r"\bSố\b|\bngày\b", ln, re.IGNORECASE)]
    return "\n".join(keep) + "\n" if keep else None


def _ranges(pages: list[int]) -> str:
    """0-based indices → "1-3, 5" (1-based)."""
    out: list[str] = []
    for i in pages:
        if out and out[-1].split("-")[-1] == str(i):
            out[-1] = out[-1].split("-")[0] + f"-{i + 1}"
        else:
            out.append(str(i + 1))
    return ", ".join(out)


__all__ = ["read_pdf"]
