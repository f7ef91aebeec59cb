"""The one Tesseract adapter: page images in, text and mean word confidence out.

Each page is one ``tesseract IMAGE OUT -l vie txt tsv`` run (text and word confidences
from a single pass) with ``OMP_THREAD_LIMIT=1``, so that N pages use N cores instead of
N pages fighting over every core. Pages run in parallel in a thread pool: the work is in
the Tesseract child process, so threads give full parallelism, need no pickling of page
images, and still work inside daemonic Dask/Prefect worker processes, which may not start
process pools of their own.

Rotation: when a page's confidence is low, Tesseract's orientation detection
(``--psm 0``, needs ``osd.traineddata``; skipped if absent) says whether the page is stored
rotated by 90/180/270°, and the page is read again upright.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image

from pipeline.errors import KehoachError, MissingDependency, Reason

TIMEOUT_S = 300
LOW_CONFIDENCE = 50.0  # below this, try orientation detection


@dataclass(frozen=True)
class OcrPage:
    text: str
    confidence: float | None  # mean word confidence 0-100; None when no words
    rotated: int = 0  # degrees the page was turned before reading


@lru_cache(maxsize=1)
def tesseract_path() -> str | None:
    return shutil.which("tesseract")


@lru_cache(maxsize=4)
def languages() -> frozenset[str]:
    exe = tesseract_path()
    if not exe:
        return frozenset()
    proc = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, check=False)
    lines = (proc.stdout + proc.stderr).splitlines()
    return frozenset(x.strip() for x in lines if x.strip() and " " not in x.strip())


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
) -> list[OcrPage]:
    """OCR page images in parallel, in order.

    Args:
        images: one PIL image per page (greyscale, ~300 dpi works best).
        lang: Tesseract language(s), e.g. ``"vie"``.
        workers: parallel Tesseract processes; None means one per core.
        rotate: detect and undo 90/180/270° page rotation on low-confidence pages.
        path: the source file, for error messages.
        psm: Tesseract page segmentation mode (3: full page, 7: one line).
        whitelist: only these characters may be recognised (e.g. digits of a stamp).

    Raises:
        MissingDependency: tesseract or the language data is not installed.
        KehoachError: ``ocr_failed`` when Tesseract crashes on a page.
    """
    exe = check_tesseract(lang, path)
    from pipeline.read import cpu_count

    n = max(1, min(workers or cpu_count(), len(images)))
    with tempfile.TemporaryDirectory(prefix="kehoach-ocr-") as tmp:
        files = []
        for i, im in enumerate(images):
            f = Path(tmp) / f"p{i:05d}.png"
            im.save(f)
            files.append(f)
        can_rotate = rotate and "osd" in languages()

        extra = ["--psm", str(psm)] + (["-c", f"tessedit_char_whitelist={whitelist}"] if whitelist else [])

        def one(f: Path) -> OcrPage:
            return _ocr_file(exe, f, lang, can_rotate, path, extra)

        if n == 1:
            return [one(f) for f in files]
        with ThreadPoolExecutor(max_workers=n) as pool:
            return list(pool.map(one, files))


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    return env


def _run(args: list[str], path: str | None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(args, capture_output=True, timeout=TIMEOUT_S, env=_env(), check=False)
    except subprocess.TimeoutExpired:
        raise KehoachError(Reason.ocr_failed, path, f"Tesseract took over {TIMEOUT_S} s on one page") from None


def _ocr_file(exe: str, f: Path, lang: str, can_rotate: bool, path: str | None, extra: list[str]) -> OcrPage:
    page = _tesseract(exe, f, lang, path, extra)
    if can_rotate and (page.confidence is None or page.confidence < LOW_CONFIDENCE):
        angle = _orientation(exe, f, path)
        if angle:
            turned = f.with_name(f.stem + "-upright.png")
            with Image.open(f) as im:
                im.rotate(-angle, expand=True, fillcolor=255 if im.mode == "L" else None).save(turned)
            again = _tesseract(exe, turned, lang, path, extra)
            if (again.confidence or 0) > (page.confidence or 0):
                return OcrPage(again.text, again.confidence, angle)
    return page


def _tesseract(exe: str, f: Path, lang: str, path: str | None, extra: list[str]) -> OcrPage:
    base = f.with_suffix("")
    proc = _run([exe, str(f), str(base), "-l", lang, *extra, "txt", "tsv"], path)
    txt, tsv = base.with_suffix(".txt"), base.with_suffix(".tsv")
    if proc.returncode != 0 or not txt.exists():
        detail = proc.stderr.decode("utf-8", errors="replace").strip().splitlines()[-1:] or ["no output"]
        raise KehoachError(Reason.ocr_failed, path, f"tesseract: {detail[0]}")
    text = txt.read_text(encoding="utf-8", errors="replace").replace("\f", "")
    return OcrPage(text=text, confidence=_mean_confidence(tsv))


def _mean_confidence(tsv: Path) -> float | None:
    """Mean confidence of the recognised words (level-5 rows with text)."""
    if not tsv.exists():
        return None
    confs: list[float] = []
    for line in tsv.read_text(encoding="utf-8", errors="replace").splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) >= 12 and cols[0] == "5" and cols[11].strip():
            try:
                c = float(cols[10])
            except ValueError:
                continue
            if c >= 0:
                confs.append(c)
    return round(sum(confs) / len(confs), 2) if confs else None


def _orientation(exe: str, f: Path, path: str | None) -> int:
    """Clockwise degrees the page is turned (0/90/180/270), 0 when unsure."""
    proc = _run([exe, str(f), "-", "--psm", "0"], path)
    out = (proc.stdout + proc.stderr).decode("utf-8", errors="replace")
    rot = re.search(r"Rotate:\s*(\d+)", out)
    conf = re.search(r"Orientation confidence:\s*([\d.]+)", out)
    if not rot or (conf and float(conf.group(1)) < 2.0):
        return 0
    return int(rot.group(1)) % 360


__all__ = ["OcrPage", "check_tesseract", "ocr_images", "tesseract_path"]
