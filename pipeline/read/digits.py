"""Digits written by hand into a printed blank ("Số: 113 /CV-BTV", "ngày 11 tháng 9"),
read without Tesseract.

A scanned header's number and day are often written in blue (or red) ink after signing,
into blanks of the black print. On a colour scan the ink is what has colour: the pixels
whose colour stands well above the paper's are the strokes, and the print is gone (a grey
scan gives the blank's dark pixels instead). The strokes are cut into connected
components, the pieces of one digit (a "5"'s flag, a "4"'s bar) joined by their overlap
along the line, and each digit is classified by a small multilayer perceptron
(``data/digits.npz``, built by ``scripts/build_digits_model.py`` from MNIST digits,
pen-drawn synthetic ones, font digits and the digits of our own annotated real scans;
numpy alone runs it) on a 16x16 grid of ink shares. Its eleventh class is ink that is no
one digit (two run together): such a glyph is cut in two at its thinnest column.

A reading carries the least sure digit's probability, and 0 when a glyph is no clear
digit or when taking more or less of the strokes' faint edges changes it. The model has
seen few real Vietnamese hands (a few dozen digits): ``fields`` takes its day only inside
the printed month and its number only when it is very sure or Tesseract read the same (a
wrong number is worse than none).
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
from PIL import Image

MIN_CHROMA = 40  # colour (distance from grey) above the paper's: surely ink, not a JPEG fringe
FAINT = 0.5  # a pixel this share as coloured as the ink is ink when it touches sure ink
LEVELS = (0.8, 1.0, 1.25)  # the ink taken with more, as much and less of its faint edges
MIN_CONTRAST = 60  # grey levels between paper and the darkest pixel of a crop with writing
MIN_INK = 30  # sure pixels of colour for a crop to count as written in colour
MIN_PROB = 0.9  # the model's probability every digit of a reading must reach
MAX_DIGITS = 6
JUNK = 10  # the model's class of ink that is not one digit (two run together, a piece, a scrawl)
GRID = 32  # a digit is fitted into GRID x GRID, then counted in 2x2 blocks
CELLS = 16  # features: CELLS x CELLS shares of ink
MIN_WIDTH = 0.6  # a narrow digit (a 1) is widened to this share of the box, as thick pens draw it
STROKE = 4.0  # the pen width, in GRID pixels, every digit is brought to


@dataclass(frozen=True)
class Reading:
    """Digits read from a blank, and the least sure of the model's probabilities."""

    text: str
    prob: float


def ink(rgb: Image.Image, level: float = 1.0) -> np.ndarray:
    """The ink pixels of ``rgb`` (True where a stroke is); a ``level`` over 1 takes less of a
    stroke's faint edge, under 1 more.

    On a colour crop, the coloured ink: each pixel's colour less its grey is projected on
    the ink's own colour (the mean of the surely coloured pixels), so a faint edge of a
    blue stroke counts and black print (no colour) does not; a faint pixel is kept only
    when it touches a sure one. A crop without colour (a grey scan) gives its dark pixels
    (Otsu's threshold), less long rules."""
    a = np.asarray(rgb.convert("RGB"), dtype=np.float32)
    v = a - a.mean(axis=2, keepdims=True)
    chroma = np.sqrt((v**2).sum(axis=2))
    sure = chroma >= float(np.median(chroma)) + MIN_CHROMA
    if sure.sum() < MIN_INK:
        return _dark(a.mean(axis=2), level)
    hue = _hue(v[sure])
    if hue is None:
        return _dark(a.mean(axis=2), level)
    along = v @ hue
    weak = (along >= level * FAINT * float(np.percentile(along[sure], 75))) & (along >= 0.7 * chroma)
    keep = np.zeros(weak.shape, dtype=bool)
    for p in components(weak):
        if sure[p[:, 0], p[:, 1]].any():
            keep[p[:, 0], p[:, 1]] = True
    return keep


def _hue(colours: np.ndarray) -> np.ndarray | None:
    """The unit colour (less grey) most of ``colours`` share: the mean of those within 30°
    of the commonest hue, so a stamp's red rule does not tint a blue hand's."""
    angle = np.arctan2(colours[:, 1] - colours[:, 2], colours[:, 0] - 0.5 * (colours[:, 1] + colours[:, 2]))
    weight = np.sqrt((colours**2).sum(axis=1))
    bins = np.bincount(((angle + np.pi) / (2 * np.pi) * 12).astype(int) % 12, weights=weight, minlength=12)
    mode = (np.argmax(bins) + 0.5) / 12 * 2 * np.pi - np.pi
    near = np.abs(np.angle(np.exp(1j * (angle - mode)))) <= np.radians(30)
    mean = colours[near].mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if near.any() and norm > 1e-6 else None


def _dark(grey: np.ndarray, level: float = 1.0) -> np.ndarray:
    """Dark pixels of a grey crop by Otsu's threshold, rows of a long rule cleared."""
    if grey.size == 0 or float(grey.max() - grey.min()) < MIN_CONTRAST:
        return np.zeros(grey.shape, dtype=bool)  # nothing written
    hist = np.bincount(grey.astype(np.uint8).ravel(), minlength=256).astype(np.float64)
    levels = np.arange(256)
    w0 = np.cumsum(hist)
    m0 = np.cumsum(hist * levels)
    total, mean = w0[-1], m0[-1]
    w1 = total - w0
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean * w0 / total - m0) ** 2 / (w0 * w1)
    between = np.nan_to_num(between[:-1], nan=-1.0)
    t = int(np.argmax(between)) + round((1.0 - level) * 75)
    mask = grey <= t
    for r in range(mask.shape[0]):  # an underline or a form's rule
        if _longest_run(mask[r]) >= 0.6 * mask.shape[1]:
            mask[r] = False
    return mask


def _longest_run(row: np.ndarray) -> int:
    best = run = 0
    for v in row:
        run = run + 1 if v else 0
        best = max(best, run)
    return best


def components(mask: np.ndarray) -> list[np.ndarray]:
    """The 8-connected components of ``mask``, each as an array of (row, col)."""
    seen = np.zeros(mask.shape, dtype=bool)
    h, w = mask.shape
    out = []
    for r0, c0 in zip(*np.nonzero(mask)):
        if seen[r0, c0]:
            continue
        seen[r0, c0] = True
        stack, pts = [(r0, c0)], []
        while stack:
            r, c = stack.pop()
            pts.append((r, c))
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    rr, cc = r + dr, c + dc
                    if 0 <= rr < h and 0 <= cc < w and mask[rr, cc] and not seen[rr, cc]:
                        seen[rr, cc] = True
                        stack.append((rr, cc))
        out.append(np.array(pts))
    return out


def glyphs(mask: np.ndarray) -> list[np.ndarray] | None:
    """The digits of a blank's ink, left to right, each a boolean image cropped to it;
    None when the ink does not look like a row of digits.

    A thin pen on a coarse scan breaks a stroke into pieces, so pieces a pixel apart are
    one part. Only the parts on the row of the biggest one count (the print of the line
    below, a rule above are not the hand), and a long flat part is a rule; parts one above
    the other are one digit (a "5"'s flag), and a short speck beside the row is dropped."""
    parts = [p for p in _parts(mask) if len(p) >= 6]
    parts = [p for p in parts if not _rule(p, mask.shape)]
    if not parts:
        return None
    r0, r1 = _rows(max(parts, key=len))
    parts = [p for p in parts if _overlap(_rows(p), (r0, r1)) >= 0.5 * _height(p)]
    tall = max(map(_height, parts))
    parts.sort(key=lambda p: p[:, 1].min())
    groups: list[np.ndarray] = []
    for p in parts:  # a piece mostly above or below the last digit is part of it
        if groups:
            g = groups[-1]
            a0, a1, b0, b1 = g[:, 1].min(), g[:, 1].max(), p[:, 1].min(), p[:, 1].max()
            overlap = min(a1, b1) - max(a0, b0) + 1
            if overlap >= 0.5 * min(a1 - a0 + 1, b1 - b0 + 1):
                groups[-1] = np.vstack([g, p])
                continue
        groups.append(p)
    most = max(map(len, groups))
    groups = [g for g in groups if _height(g) >= 0.5 * tall or len(g) >= 0.25 * most]
    if not groups or len(groups) > MAX_DIGITS:
        return None
    out = []
    for g in groups:
        r0, c0 = g.min(axis=0)
        r1, c1 = g.max(axis=0)
        hh, ww = r1 - r0 + 1, c1 - c0 + 1
        if hh < 0.5 * tall or ww > 3.5 * hh or hh < 8:
            return None  # a dash, a dot, or a scrawl: not digits
        im = np.zeros((hh, ww), dtype=bool)
        im[g[:, 0] - r0, g[:, 1] - c0] = True
        out.append(im)
    return out


def _parts(mask: np.ndarray) -> list[np.ndarray]:
    """The ink's parts: its pixels grouped by the components of the ink grown by a pixel."""
    grown = mask.copy()
    grown[1:, :] |= mask[:-1, :]
    grown[:-1, :] |= mask[1:, :]
    grown[:, 1:] |= mask[:, :-1]
    grown[:, :-1] |= mask[:, 1:]
    out = []
    for p in components(grown):
        q = p[mask[p[:, 0], p[:, 1]]]
        if len(q):
            out.append(q)
    return out


def _rows(p: np.ndarray) -> tuple[int, int]:
    return int(p[:, 0].min()), int(p[:, 0].max())


def _height(p: np.ndarray) -> int:
    a, b = _rows(p)
    return b - a + 1


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return min(a[1], b[1]) - max(a[0], b[0]) + 1


def _rule(p: np.ndarray, shape: tuple[int, ...]) -> bool:
    """A long flat part: an underline or the rule under a header's body name."""
    h, w = _height(p), int(p[:, 1].max() - p[:, 1].min()) + 1
    return w > 3 * h and h <= 0.15 * shape[0] and w >= 0.4 * shape[1]


def features(glyph: np.ndarray) -> np.ndarray:
    """A digit fitted into a GRID x GRID box (aspect kept, but no narrower than
    ``MIN_WIDTH`` of it), strokes brought to one pen width, and the share of ink of each
    2x2 block taken (CELLS x CELLS values, 0..1), so MNIST's, a font's and a scan's digits
    look alike. A
    slanted hand is first set upright (sheared by its second moments), as a writer's slant
    says nothing of the digit."""
    glyph = _upright(glyph)
    h, w = glyph.shape
    scale = (GRID - 2) / max(h, w)
    nh, nw = max(1, round(h * scale)), max(1, round(w * scale))
    nw = max(nw, round(MIN_WIDTH * (GRID - 2)))  # a narrow 1 is widened, as a thick pen draws it
    small = Image.fromarray(glyph.astype(np.uint8) * 255).resize((nw, nh), Image.Resampling.BILINEAR)
    box = np.zeros((GRID, GRID), dtype=bool)
    top, left = (GRID - nh) // 2, (GRID - nw) // 2
    box[top : top + nh, left : left + nw] = np.asarray(small) >= 96
    box = _pen(box)
    k = GRID // CELLS
    return box.reshape(CELLS, k, CELLS, k).mean(axis=(1, 3)).astype(np.float32).reshape(CELLS * CELLS)


def _upright(glyph: np.ndarray) -> np.ndarray:
    rows, cols = np.nonzero(glyph)
    if len(rows) < 3:
        return glyph
    y, x = rows - rows.mean(), cols - cols.mean()
    slant = float((x * y).sum() / max(1e-6, (y * y).sum()))
    slant = max(-1.0, min(1.0, slant))
    if abs(slant) < 0.05:
        return glyph
    h, w = glyph.shape
    pad = int(abs(slant) * h) + 2
    im = Image.fromarray(glyph.astype(np.uint8) * 255)
    wide = Image.new("L", (w + 2 * pad, h), 0)
    wide.paste(im, (pad, 0))
    # output (u, v) takes input (u + slant * (v - centre), v): the slant is sheared away
    centre = rows.mean()
    turned = wide.transform(wide.size, Image.Transform.AFFINE, (1, slant, -slant * centre, 0, 1, 0), resample=Image.Resampling.BILINEAR)
    a = np.asarray(turned) >= 96
    r, c = np.nonzero(a)
    return a[r.min() : r.max() + 1, c.min() : c.max() + 1] if len(r) else glyph


def _pen(box: np.ndarray) -> np.ndarray:
    """``box`` with its strokes thickened to about ``STROKE`` pixels (2 x area / edge)."""
    for _ in range(4):
        area = box.sum()
        if not area:
            return box
        inner = box[1:-1, 1:-1] & box[:-2, 1:-1] & box[2:, 1:-1] & box[1:-1, :-2] & box[1:-1, 2:]
        edge = area - inner.sum()
        if 2 * area / max(1, edge) >= STROKE - 0.5:
            return box
        grown = box.copy()
        grown[1:, :] |= box[:-1, :]
        grown[:-1, :] |= box[1:, :]
        grown[:, 1:] |= box[:, :-1]
        grown[:, :-1] |= box[:, 1:]
        box = grown
    return box


@lru_cache(maxsize=1)
def _model() -> list[tuple[np.ndarray, np.ndarray]]:
    raw = resources.files("pipeline.read").joinpath("data/digits.npz").read_bytes()
    with np.load(io.BytesIO(raw)) as z:
        n = len([k for k in z.files if k.startswith("W")])
        return [(z[f"W{i}"], z[f"b{i}"]) for i in range(n)]


def classify(x: np.ndarray) -> np.ndarray:
    """Probabilities of the ten digits and of ``JUNK`` for rows of features (n x CELLS²)."""
    a = np.atleast_2d(x).astype(np.float64)
    layers = _model()
    for i, (w, b) in enumerate(layers):
        a = a @ w + b
        if i < len(layers) - 1:
            a = np.maximum(a, 0.0)
    a = np.exp(a - a.max(axis=1, keepdims=True))
    return a / a.sum(axis=1, keepdims=True)


def read(rgb: Image.Image) -> Reading | None:
    """The digits written in ``rgb`` (a tight crop of a blank), or None when it holds no
    row of digit-shaped ink; a glyph that is no clear digit reads "?" with probability 0.

    The ink is taken three ways (``LEVELS``: more or less of the strokes' faint edges) and
    read each time. A reading most of them give stands, with the least of their least
    sure digits' probabilities (a faint stroke lost at one level or a blot at another is
    not the writing); one they do not agree on is unsure (probability 0)."""
    found = [_read_mask(ink(rgb, level)) for level in LEVELS]
    middle = found[len(found) // 2]
    if middle is None:
        return None
    texts = Counter(r.text for r in found if r)
    text, n = texts.most_common(1)[0]
    if 2 * n <= len(found):
        return Reading(middle.text, 0.0)
    return Reading(text, min(r.prob for r in found if r and r.text == text))


def _read_mask(mask: np.ndarray) -> Reading | None:
    found = glyphs(mask)
    if not found:
        return None
    read = [_glyph(g) for g in found]
    text = "".join(t for t, _ in read)
    return Reading(text, min(p for _, p in read)) if len(text) <= MAX_DIGITS else None


def _glyph(glyph: np.ndarray, depth: int = 0) -> tuple[str, float]:
    """One glyph's digits: itself when the model sees one clear digit, else its two halves
    (digits that touch), at most twice over."""
    p = classify(features(glyph))[0]
    best = int(p.argmax())
    if best != JUNK and p[best] >= MIN_PROB and glyph.shape[1] <= 1.3 * glyph.shape[0]:
        return str(best), float(p[best])
    halves = _split(glyph) if depth < 2 else None
    if halves:
        (t1, p1), (t2, p2) = _glyph(halves[0], depth + 1), _glyph(halves[1], depth + 1)
        if min(p1, p2) >= MIN_PROB:
            return t1 + t2, min(p1, p2)
    if best == JUNK or glyph.shape[1] > 1.3 * glyph.shape[0]:
        return "?", 0.0
    return str(best), float(p[best])


def _split(glyph: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """A glyph cut in two at its thinnest column between a quarter and three quarters of its
    width, each half cropped to its ink; None when a half would be no digit."""
    h, w = glyph.shape
    lo, hi = w // 4, max(w // 4 + 1, (3 * w) // 4)
    cut = lo + int(np.argmin(glyph[:, lo:hi].sum(axis=0)))
    halves = []
    for part in (glyph[:, :cut], glyph[:, cut:]):
        rows, cols = np.nonzero(part)
        if not len(rows) or rows.max() - rows.min() + 1 < 0.5 * h:
            return None
        halves.append(part[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1])
    return halves[0], halves[1]


__all__ = ["Reading", "classify", "features", "glyphs", "ink", "read"]
