"""Numbers and days a signing tool stamps into page 1 of an e-signed PDF.

Signing software (VGCA and the like) leaves "Số:      /BNV-TCPCP" and "ngày    tháng 12"
blank in the text layer and draws the number and the day as small signature widgets
over the blanks. What a widget draws is either text (a form XObject with a font) or an
image:

- text: a private copy of the page is *flattened* (PDFium moves every annotation's
  appearance into the page content, after the page's own objects), and the characters
  that were not there before are the stamps, each with its box. No OCR.
- image: the widget is rendered with and without forms; the pixels that differ are the
  stamp's ink alone (no printed "/" or letters beside it), read by Tesseract as digits.

Each stamp is put into the line it stands on, after the last character to its left
(never inside a word), where the line is blank under it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.errors import KehoachError

if TYPE_CHECKING:
    from pipeline.read import ReadSettings

# A number or day left blank: "Số:    /UBND", "Số    -HD/...", "ngày   tháng", "tháng   năm".
_EMPTY_NUMBER = re.compile(
    r"Số(?::)?\s*[-–/]\s*[A-ZĐ]{1,8}\b|ngày\s+tháng\b|tháng\s+năm\b", re.IGNORECASE
)
_STAMP_TEXT = re.compile(r"^\d[\d./-]{0,11}$")  # what a stamp holds: a number, a day, a month, a year
TOP_SHARE = 0.45  # stamps are looked for in this top share of the page (the header)
OCR_DPI = 400

Box = tuple[float, float, float, float]  # left, bottom, right, top (PDF points, bottom-up)


@dataclass(frozen=True)
class Stamp:
    text: str
    box: Box


def number_blank(head: str) -> bool:
    """The header's number or day is blank in the text layer."""
    return bool(_EMPTY_NUMBER.search(head))


def widget_boxes(page: object) -> list[Box]:
    """Small form-field/signature widgets in the header (left, bottom, right, top)."""
    import pypdfium2.raw as c

    height = page.get_height()  # type: ignore[attr-defined]
    boxes = []
    for i in range(c.FPDFPage_GetAnnotCount(page.raw)):  # type: ignore[attr-defined]
        annot = c.FPDFPage_GetAnnot(page.raw, i)  # type: ignore[attr-defined]
        try:
            r = c.FS_RECTF()
            if c.FPDFAnnot_GetSubtype(annot) == c.FPDF_ANNOT_WIDGET and c.FPDFAnnot_GetRect(annot, r):
                if r.right - r.left < 250 and r.top - r.bottom < 60 and r.bottom > height * (1 - TOP_SHARE):
                    boxes.append((r.left, r.bottom, r.right, r.top))
        finally:
            c.FPDFPage_CloseAnnot(annot)
    return boxes


def text_stamps(data: bytes, index: int, password: str | None = None) -> list[Stamp]:
    """The texts page ``index``'s annotations draw in its header, found by flattening a
    private copy of the document (the caller's copy is left as it is)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as c

    pdf = pdfium.PdfDocument(data, password=password)
    try:
        page = pdf[index]
        tp = page.get_textpage()
        before = tp.get_text_range()
        n = tp.count_chars()
        tp.close()
        if c.FPDFPage_Flatten(page.raw, c.FLAT_NORMALDISPLAY) != c.FLATTEN_SUCCESS:
            page.close()
            return []
        page.close()
        page = pdf[index]
        height = page.get_height()
        tp = page.get_textpage()
        try:
            if tp.get_text_range(0, n) != before:  # the page's own text moved: cannot tell stamps apart
                return []
            return _runs(tp, n, height)
        finally:
            tp.close()
            page.close()
    except pdfium.PdfiumError:
        return []
    finally:
        pdf.close()


def _runs(tp: object, first: int, height: float) -> list[Stamp]:
    """Characters from ``first`` on, cut into runs at spaces and line ends; the runs in
    the header that hold a number."""
    out: list[Stamp] = []
    text, boxes = "", []

    def flush() -> None:
        if text and boxes:
            box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
            if _STAMP_TEXT.match(text) and box[1] > height * (1 - TOP_SHARE):
                out.append(Stamp(text, box))

    for i in range(first, tp.count_chars()):  # type: ignore[attr-defined]
        ch = tp.get_text_range(i, 1)  # type: ignore[attr-defined]
        if not ch or ch.isspace():
            flush()
            text, boxes = "", []
            continue
        text += ch
        boxes.append(tp.get_charbox(i))  # type: ignore[attr-defined]
    flush()
    return out


def image_stamps(page: object, boxes: list[Box], settings: ReadSettings, spath: str) -> list[Stamp]:
    """Widgets that draw an image: their ink (the render with forms less the render
    without) read by Tesseract as one line of digits."""
    from PIL import ImageChops, ImageOps

    from pipeline.read.ocr import ocr_images, tesseract_path

    if not boxes or not tesseract_path():
        return []
    k = OCR_DPI / 72
    width, height = page.get_width(), page.get_height()  # type: ignore[attr-defined]
    crops = []
    for left, bottom, right, top in boxes:
        crop = (max(0.0, left - 2), max(0.0, bottom - 2), max(0.0, width - right - 2), max(0.0, height - top - 2))
        with_forms = page.render(scale=k, grayscale=True, may_draw_forms=True, crop=crop).to_pil()  # type: ignore[attr-defined]
        without = page.render(scale=k, grayscale=True, may_draw_forms=False, crop=crop).to_pil()  # type: ignore[attr-defined]
        ink = ImageChops.subtract(without, with_forms)  # darker with the stamp: its ink
        crops.append(ImageOps.expand(ImageOps.invert(ink), border=20, fill=255))
    try:
        found = ocr_images(crops, lang=settings.ocr_lang, workers=1, rotate=False, path=spath, psm=7, whitelist="0123456789")
    except KehoachError:
        return []
    out = []
    for box, res in zip(boxes, found):
        digits = "".join(ch for ch in res.text if ch.isdigit())
        if digits:
            out.append(Stamp(digits, box))
    return out


def inserts(tp: object, stamps: list[Stamp]) -> dict[int, str]:
    """Where each stamp goes in the page's text: {index after which it stands: text}. A
    stamp over printed letters or digits (no blank there) or on no text line is left out."""
    out: dict[int, str] = {}
    count = tp.count_chars()  # type: ignore[attr-defined]
    chars = [tp.get_charbox(i) for i in range(count)]  # type: ignore[attr-defined]
    text = tp.get_text_range()  # type: ignore[attr-defined]
    for s in stamps:
        left, bottom, right, top = s.box
        pad = 0.3 * (top - bottom)
        low, high = bottom - pad, top + pad
        line = [i for i, (l, b, r, t) in enumerate(chars) if t > b and min(t, high) - max(b, low) > 0.5 * (t - b)]
        if any(left < (chars[i][0] + chars[i][2]) / 2 < right and text[i].isalnum() for i in line):
            continue  # printed words under the stamp: no blank
        before = [i for i in line if (chars[i][0] + chars[i][2]) / 2 < left]
        if not before:
            continue
        at = max(before, key=lambda i: (chars[i][0] + chars[i][2]) / 2)
        while at > 0 and text[at].isalpha() and text[at + 1 : at + 2].isalpha():  # never inside a word
            at -= 1
        out[at + 1] = f"{out[at + 1]} {s.text}" if at + 1 in out else s.text
    return out


__all__ = ["Stamp", "image_stamps", "inserts", "number_blank", "text_stamps", "widget_boxes"]
