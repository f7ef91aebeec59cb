"""Images (PNG, JPEG, TIFF, BMP, GIF, WebP): every frame is a page, read by Tesseract.

Multi-page TIFFs give one page per frame. A very tall image (a whole document saved as
one long PNG, or a phone screenshot) is cut into A4-proportioned pages at blank rows, as
Tesseract reads page-sized images best and its layout analysis gets lost on long strips.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image, ImageOps, UnidentifiedImageError

from pipeline.errors import KehoachError, Reason
from pipeline.read.assemble import RawRead

if TYPE_CHECKING:
    from pipeline.read import ReadSettings

A4_RATIO = 297 / 210
MAX_PIXELS = 400_000_000  # refuse decompression bombs


def read_image(path: Path, data: bytes, settings: ReadSettings) -> RawRead:
    """OCR an image file, page by page."""
    from pipeline.read.ocr import check_tesseract, ocr_images, raw_page

    spath = str(path)
    if not settings.ocr:
        raise KehoachError(Reason.no_text, spath, "an image needs OCR, which is off")
    check_tesseract(settings.ocr_lang, spath)
    pages = load_pages(data, spath, settings.max_pages)
    colour = _first_in_colour(data, pages[0].size) if settings.header_ocr and pages else None
    results = ocr_images(
        pages, lang=settings.ocr_lang, workers=settings.ocr_workers, rotate=settings.ocr_rotate, path=spath,
        marks=settings.ocr_marks, header_fields=settings.header_ocr, header_colour=colour,
    )  # fmt: skip
    notes = tuple(f"page {i}: turned {r.rotated}° before OCR" for i, r in enumerate(results, 1) if r.rotated)
    notes += tuple(f"page {i}: straightened {r.skew:+.1f}° before OCR" for i, r in enumerate(results, 1) if r.skew)
    return RawRead(pages=tuple(raw_page(r) for r in results), notes=notes)


def load_pages(data: bytes, spath: str, max_pages: int) -> list[Image.Image]:
    """Greyscale page images: one per frame, tall frames cut into page-sized parts."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        im = Image.open(io.BytesIO(data))
        im.load()
    except Image.DecompressionBombError:
        raise KehoachError(Reason.too_large, spath, "the image has too many pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
        raise KehoachError(Reason.corrupt, spath, f"damaged image ({type(e).__name__})") from None
    frames: list[Image.Image] = []
    n = getattr(im, "n_frames", 1)
    if n > max_pages:
        raise KehoachError(Reason.too_large, spath, f"{n} pages is over the {max_pages}-page limit")
    for k in range(n):
        try:
            im.seek(k)
            frame = ImageOps.exif_transpose(im.copy())
        except (OSError, EOFError, ValueError) as e:
            raise KehoachError(Reason.corrupt, spath, f"damaged image frame {k + 1} ({type(e).__name__})") from None
        frames.extend(split_tall(_grey(frame)))
    if len(frames) > max_pages:
        raise KehoachError(Reason.too_large, spath, f"{len(frames)} pages is over the {max_pages}-page limit")
    return frames


def _first_in_colour(data: bytes, size: tuple[int, int]) -> Image.Image | None:
    """The first page in colour (the top of the first frame, as ``load_pages`` cut it), for
    the header's hand-written digits; None when it cannot be had."""
    try:
        im = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
        im = _flat(im).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    return im.crop((0, 0, *size)) if im.width == size[0] and im.height >= size[1] else None


def _flat(im: Image.Image) -> Image.Image:
    """``im`` with any transparency laid on white."""
    if im.mode in ("RGBA", "LA", "P"):
        im = im.convert("RGBA")
        white = Image.new("RGBA", im.size, (255, 255, 255, 255))
        im = Image.alpha_composite(white, im)
    return im


def _grey(im: Image.Image) -> Image.Image:
    return _flat(im).convert("L")


def split_tall(im: Image.Image, ratio: float = A4_RATIO) -> list[Image.Image]:
    """Cut an image taller than ~1.6 pages into parts of about one page, at blank rows."""
    w, h = im.size
    page_h = int(w * ratio)
    if h <= page_h * 1.6:
        return [im]
    # Row "ink": count of dark pixels per row, from a thumbnail-width copy for speed.
    small_w = min(w, 400)
    small = im.resize((small_w, h), Image.Resampling.BOX) if small_w < w else im
    px = small.load()
    ink = [sum(1 for x in range(0, small_w, 2) if px[x, y] < 128) for y in range(h)]
    parts: list[Image.Image] = []
    top = 0
    while h - top > page_h * 1.2:
        target = top + page_h
        lo, hi = top + int(page_h * 0.75), min(h - 1, top + int(page_h * 1.1))
        cut = min(range(lo, hi), key=lambda y: (ink[y], abs(y - target)))
        parts.append(im.crop((0, top, w, cut)))
        top = cut
    parts.append(im.crop((0, top, w, h)))
    return parts


__all__ = ["load_pages", "read_image", "split_tall"]
