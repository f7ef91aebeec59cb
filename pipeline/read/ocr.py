"""The one Tesseract adapter (pytesseract): page images in, laid-out blocks, words and
confidences out.

Each page is one ``image_to_data`` run (Tesseract's TSV: blocks, lines, word boxes and
confidences) with ``OMP_THREAD_LIMIT=1``, so that N pages use N cores instead of N pages
fighting over every core. Pages run in parallel in a thread pool: the work is in the
Tesseract child process, so threads give full parallelism, need no pickling of page
images, and still work inside daemonic Dask/Prefect worker processes, which may not start
process pools of their own.

- Skew: a page scanned a few degrees askew is measured (the angle whose rotation makes
  the rows of dark pixels sharpest) and straightened before OCR, so that line boxes and
  the header's two columns are level.
- Rotation: when a page's confidence is low or its text is not Vietnamese, Tesseract's
  orientation detection (``image_to_osd``, needs ``osd.traineddata``; skipped if absent)
  says whether the page is stored turned by 90/180/270°, and the page is read again upright.
- Layout: Tesseract's lines are cut at wide gaps between words (Tesseract may run the two
  header columns into one line) and ordered by ``layout.lay_out``: a two-column header or
  signature is read left column first, whatever order Tesseract found its blocks in.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image

from pipeline.errors import KehoachError, MissingDependency, Reason
from pipeline.read.assemble import RawBlock, RawPage, RawWord
from pipeline.read.layout import MIN_GAP, Segment, lay_out, union

TIMEOUT_S = 300
LOW_CONFIDENCE = 50.0  # below this, try orientation detection
MIN_SKEW = 0.2  # degrees; straighter pages are read as they are
MAX_SKEW = 5.0


@dataclass(frozen=True)
class OcrPage:
    text: str  # the page's lines as laid out, one per line
    confidence: float | None  # mean word confidence 0-100; None when no words
    rotated: int = 0  # degrees the page was turned before reading
    skew: float = 0.0  # degrees of skew straightened before reading
    blocks: tuple[RawBlock, ...] = ()
    width: int = 0  # of the image read (after turning and straightening)
    height: int = 0


@lru_cache(maxsize=1)
def tesseract_path() -> str | None:
    return shutil.which("tesseract")


@lru_cache(maxsize=4)
def languages() -> frozenset[str]:
    if not tesseract_path():
        return frozenset()
    import pytesseract

    try:
        return frozenset(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractError, OSError):
        return frozenset()


def check_tesseract(lang: str, path: str | None = None) -> str:
    """The tesseract executable; raises MissingDependency when it or ``lang`` is missing."""
    exe = tesseract_path()
    if not exe:
        raise MissingDependency("tesseract", path)
    missing = [x for x in lang.split("+") if x not in languages()]
    if missing:
        raise MissingDependency(f"tesseract language data '{'+'.join(missing)}' (tesseract-ocr-{missing[0]})", path)
    return exe


def ocr_images(
    images: Sequence[Image.Image],
    *,
    lang: str = "vie",
    workers: int | None = None,
    rotate: bool = True,
    path: str | None = None,
    psm: int = 3,
    whitelist: str | None = None,
    deskew: bool = True,
    marks: bool = True,
    header_fields: bool = False,
    header_colour: Image.Image | None = None,
) -> list[OcrPage]:
    """OCR page images in parallel, in order.

    Args:
        images: one PIL image per page (greyscale, ~300 dpi works best).
        lang: Tesseract language(s), e.g. ``"vie"``.
        workers: parallel Tesseract processes; None means one per core.
        rotate: detect and undo 90/180/270° page rotation on pages read badly.
        path: the source file, for error messages.
        psm: Tesseract page segmentation mode (3: full page, 7: one line).
        whitelist: only these characters may be recognised (e.g. digits of a stamp).
        deskew: measure and straighten a page scanned askew.
        marks: choose again the marks of words Tesseract was unsure of (``marks``).
        header_fields: the first image is a document's first page: read its header's
            number and day again from tight crops (``fields``).
        header_colour: the first page in colour, the size of ``images[0]``, where the
            header's digits may be written by hand in coloured ink (``digits``).

    Raises:
        MissingDependency: tesseract or the language data is not installed.
        KehoachError: ``ocr_failed`` when Tesseract crashes or times out on a page.
    """
    check_tesseract(lang, path)
    from pipeline.read import cpu_count

    os.environ["OMP_THREAD_LIMIT"] = "1"  # Tesseract children: one thread each
    n = max(1, min(workers or cpu_count(), len(images)))
    can_rotate = rotate and "osd" in languages()
    config = f"--psm {psm}" + (f" -c tessedit_char_whitelist={whitelist}" if whitelist else "")

    def one(k: int) -> OcrPage:
        return _ocr_page(
            images[k], lang, config, can_rotate, deskew and psm not in (7, 8, 10, 13), path, marks and not whitelist,
            fields=header_fields and k == 0, colour=header_colour if header_fields and k == 0 else None,
        )  # fmt: skip

    if n == 1:
        return [one(k) for k in range(len(images))]
    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(one, range(len(images))))


def _ocr_page(
    im: Image.Image, lang: str, config: str, can_rotate: bool, deskew: bool, path: str | None, marks: bool = True,
    *, fields: bool = False, colour: Image.Image | None = None,
) -> OcrPage:
    skew = skew_angle(im) if deskew else 0.0
    if colour is not None and colour.size != im.size:
        colour = None
    if abs(skew) >= MIN_SKEW:
        im = _turn(im, -skew)
        colour = _turn(colour, -skew) if colour is not None else None
    else:
        skew = 0.0
    page = _read(im, lang, config, path, skew=round(skew, 2), marks=marks, fields=fields, colour=colour)
    if can_rotate and _poor(page):
        angle = _orientation(im, path)
        if angle:
            turned = _turn(colour, -angle) if colour is not None else None
            again = _read(_turn(im, -angle), lang, config, path, rotated=angle, skew=page.skew, marks=marks, fields=fields, colour=turned)
            if (again.confidence or 0) > (page.confidence or 0):
                return again
    return page


def _poor(page: OcrPage) -> bool:
    from pipeline.read.quality import measure

    if page.confidence is None or page.confidence < LOW_CONFIDENCE:
        return True
    return measure(page.text).verdict in ("broken", "foreign")


def _turn(im: Image.Image, degrees: float) -> Image.Image:
    """``im`` turned counter-clockwise by ``degrees`` on a white ground."""
    fill = 255 if im.mode == "L" else (255, 255, 255) if im.mode == "RGB" else None
    return im.rotate(degrees, expand=True, fillcolor=fill, resample=Image.Resampling.BICUBIC)  # type: ignore[arg-type]


def _read(
    im: Image.Image, lang: str, config: str, path: str | None, *, rotated: int = 0, skew: float = 0.0, marks: bool = True,
    fields: bool = False, colour: Image.Image | None = None,
) -> OcrPage:
    import pytesseract

    try:
        data = pytesseract.image_to_data(im, lang=lang, config=config, output_type=pytesseract.Output.DICT, timeout=TIMEOUT_S)
    except RuntimeError as e:  # pytesseract's timeout
        raise KehoachError(Reason.ocr_failed, path, f"Tesseract took over {TIMEOUT_S} s on one page ({e})") from None
    except pytesseract.TesseractError as e:
        detail = (e.message or "no output").strip().splitlines()[-1:] or ["no output"]
        raise KehoachError(Reason.ocr_failed, path, f"tesseract: {detail[0]}") from None
    segments = tsv_segments(data, marks=marks)
    blocks = tuple(lay_out(segments))
    if fields:
        from pipeline.read.fields import reread

        blocks = reread(im, blocks, lang, path, colour=colour)
    confs = [w.confidence for s in segments for w in s.words]
    text = "".join(ln.text + "\n" for b in blocks for ln in b.lines)
    conf = round(sum(confs) / len(confs), 2) if confs else None
    return OcrPage(text, conf, rotated, skew, blocks, im.width, im.height)


def tsv_segments(data: dict[str, list], marks: bool = True) -> list[Segment]:  # type: ignore[type-arg]
    """Tesseract's words (``image_to_data`` as a dict) as line segments, each Tesseract line
    cut where a gap between two words is wider than ``layout.MIN_GAP`` line heights; with
    ``marks``, the marks of words Tesseract was unsure of chosen again (``marks.respell``)."""
    lines: dict[tuple[int, int, int, int], list[tuple[str, float, tuple[float, float, float, float]]]] = {}
    for k, word in enumerate(data["text"]):
        word = (word or "").strip()
        if data["level"][k] != 5 or not word:
            continue
        try:
            conf = float(data["conf"][k])
        except (TypeError, ValueError):
            conf = -1.0
        x, y, w, h = (float(data[c][k]) for c in ("left", "top", "width", "height"))
        key = (data["page_num"][k], data["block_num"][k], data["par_num"][k], data["line_num"][k])
        lines.setdefault(key, []).append((word, conf, (x, y, x + w, y + h)))
    if marks:  # a paragraph's words in order: a line's last word has the next line's first after it
        from pipeline.read.marks import respell

        paragraphs: dict[tuple[int, int, int], list[tuple[list, int]]] = {}  # type: ignore[type-arg]
        for key, words in lines.items():
            paragraphs.setdefault(key[:3], []).extend((words, k) for k in range(len(words)))
        for members in paragraphs.values():
            for (words, k), text in zip(members, respell([(words[k][0], words[k][1]) for words, k in members])):
                words[k] = (text, words[k][1], words[k][2])
    out: list[Segment] = []
    for line_no, words in enumerate(lines.values()):
        height = statistics.median(b[3] - b[1] for _, _, b in words) or 1.0
        run: list[tuple[str, float, tuple[float, float, float, float]]] = []
        for word in words:
            if run and word[2][0] - run[-1][2][2] >= MIN_GAP * height:
                out.append(_segment(run, line_no))
                run = []
            run.append(word)
        if run:
            out.append(_segment(run, line_no))
    return out


def _segment(words: list[tuple[str, float, tuple[float, float, float, float]]], line_no: int) -> Segment:
    text = ""
    spans: list[RawWord] = []
    for word, conf, box in words:
        if text:
            text += " "
        if conf >= 0:
            spans.append(RawWord(len(text), len(text) + len(word), conf, box))
        text += word
    confs = [w.confidence for w in spans]
    mean = round(sum(confs) / len(confs), 2) if confs else None
    return Segment(text, union(b for _, _, b in words), line_no, mean, tuple(spans))


def skew_angle(im: Image.Image) -> float:
    """Degrees the text lines of ``im`` are turned counter-clockwise (0 when unsure).

    The dark pixels of a reduced copy are projected on the vertical axis at angles from
    -5° to 5°; level lines give the sharpest profile (the largest sum of squared row counts).
    """
    import numpy as np

    small = im.convert("L")
    scale = 1000 / max(small.size)
    if scale < 1:
        small = small.resize((max(1, int(small.width * scale)), max(1, int(small.height * scale))))
    a = np.asarray(small)
    ys, xs = np.nonzero(a < 128)
    if len(ys) < 500:
        return 0.0
    if len(ys) > 60000:
        pick = np.random.default_rng(0).choice(len(ys), 60000, replace=False)
        ys, xs = ys[pick], xs[pick]
    ys, xs = ys.astype(float), xs.astype(float)

    def score(deg: float) -> float:
        t = np.deg2rad(deg)
        rows = np.round(ys * np.cos(t) + xs * np.sin(t)).astype(int)
        counts = np.bincount(rows - rows.min())
        return float((counts.astype(float) ** 2).sum())

    coarse = [x / 2 for x in range(-int(2 * MAX_SKEW), int(2 * MAX_SKEW) + 1)]
    best = max(coarse, key=score)
    fine = [best + x / 10 for x in range(-5, 6)]
    angle = max(fine, key=score)
    base = score(0.0)
    return angle if score(angle) > base * 1.02 else 0.0


def _orientation(im: Image.Image, path: str | None) -> int:
    """Clockwise degrees the page is turned (0/90/180/270), 0 when unsure."""
    import pytesseract

    try:
        out = pytesseract.image_to_osd(im, config="--psm 0", timeout=TIMEOUT_S)
    except (pytesseract.TesseractError, RuntimeError):
        return 0
    rot = re.search(r"Rotate:\s*(\d+)", out)
    conf = re.search(r"Orientation confidence:\s*([\d.]+)", out)
    if not rot or (conf and float(conf.group(1)) < 2.0):
        return 0
    return int(rot.group(1)) % 360




def raw_page(page: OcrPage) -> RawPage:
    """An OCR'd page as the assembler takes it: blocks with boxes and words, quality measured."""
    from pipeline.read.quality import measure

    q = measure(page.text)
    return RawPage(
        blocks=page.blocks, ocr=True, confidence=page.confidence, width=page.width, height=page.height,
        rotation=page.rotated, skew=page.skew, quality=q.valid if q.words else None, source="ocr",
    )  # fmt: skip


__all__ = ["OcrPage", "check_tesseract", "ocr_images", "raw_page", "skew_angle", "tesseract_path", "tsv_segments"]
