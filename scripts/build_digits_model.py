"""Build pipeline/read/data/digits.npz: the handwritten-digit classifier of read/digits.py.

Reproducible (seeded) and offline: the training digits are
- scikit-learn's bundled ``load_digits`` (1,797 handwritten digits of 43 writers, 8x8);
- digits drawn with a pen along stroke templates of the ways people write them (a "1"
  with or without a flag, an open or closed "4", a "7" with or without a bar, ...), with
  random slant, turn, proportions, jitter and pen width;
- digits of the installed fonts (DejaVu, and matplotlib's STIX and Computer Modern),
  slanted, turned and thinned or thickened.
Every image goes through ``digits.features`` (the same code that reads a scan), and a
multilayer perceptron is fitted; its weights are saved as plain arrays, read with numpy
alone at run time (scikit-learn is needed only here).

    python scripts/build_digits_model.py [--check]

``--check`` prints held-out accuracies without writing the model.
"""

from __future__ import annotations

import argparse
import glob
import math
import os
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipeline.read.digits import features  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "pipeline/read/data/digits.npz"
SEED = 20251216
PER_DIGIT = 1000  # pen-drawn samples per digit
FONT_SAMPLES = 12  # per font and digit
JUNK = 10  # the class of ink that is not one digit
JUNK_SAMPLES = 3000


def _arc(cx: float, cy: float, rx: float, ry: float, a0: float, a1: float, n: int = 24) -> list[tuple[float, float]]:
    """Points of an ellipse arc; angles in degrees, 0 = right, 90 = up (y grows down)."""
    return [(cx + rx * math.cos(math.radians(a)), cy - ry * math.sin(math.radians(a))) for a in np.linspace(a0, a1, n)]


# Each digit: variants, each a list of strokes, each a list of (x, y) in a unit box (y down).
TEMPLATES: dict[int, list[list[list[tuple[float, float]]]]] = {
    0: [[_arc(0.5, 0.5, 0.45, 0.5, 90, 450)], [_arc(0.5, 0.5, 0.4, 0.5, 100, 470)]],
    1: [
        [[(0.5, 0.0), (0.5, 1.0)]],
        [[(0.15, 0.3), (0.55, 0.0), (0.55, 1.0)]],
        [[(0.1, 0.35), (0.6, 0.0), (0.55, 1.0)], [(0.3, 1.0), (0.8, 1.0)]],
        [[(0.25, 0.2), (0.5, 0.0), (0.45, 1.0)]],
        [[(0.0, 0.5), (0.65, 0.0), (0.6, 1.0)]],  # the long flag of a Vietnamese hand
        [[(0.0, 0.4), (0.3, 0.15), (0.7, 0.0), (0.65, 1.0)]],
        [[(0.0, 0.9), (0.7, 0.0), (0.65, 1.0)]],  # a flag drawn down to the line: a "Λ" with a stem
        [[(0.05, 0.75), (0.75, 0.0), (0.7, 1.0)]],
        [[(0.0, 0.65), (0.45, 0.15), (0.8, 0.0), (0.7, 1.0)]],
    ],
    2: [
        [_arc(0.5, 0.28, 0.4, 0.28, 160, -30) + [(0.05, 1.0), (0.95, 1.0)]],
        [_arc(0.5, 0.3, 0.42, 0.3, 170, -20) + [(0.1, 0.95)] + _arc(0.3, 0.92, 0.2, 0.08, 180, 360) + [(0.95, 0.97)]],
    ],
    3: [
        [_arc(0.45, 0.25, 0.4, 0.25, 150, -90) + _arc(0.45, 0.74, 0.45, 0.26, 90, -150)],
        [[(0.1, 0.0), (0.9, 0.0), (0.4, 0.45)] + _arc(0.45, 0.72, 0.45, 0.28, 80, -150)],
    ],
    4: [
        [[(0.7, 1.0), (0.7, 0.0), (0.0, 0.68), (1.0, 0.68)]],
        [[(0.2, 0.0), (0.05, 0.6), (0.95, 0.6)], [(0.7, 0.2), (0.7, 1.0)]],
        [[(0.3, 0.0), (0.05, 0.62), (0.95, 0.6)], [(0.75, 0.0), (0.7, 1.0)]],
        [[(0.45, 0.0), (0.0, 0.65), (1.0, 0.62)], [(0.75, 0.3), (0.7, 1.0)]],
    ],
    5: [
        [[(0.9, 0.0), (0.2, 0.0), (0.15, 0.45)] + _arc(0.45, 0.7, 0.45, 0.3, 150, -150)],
        [[(0.2, 0.0), (0.15, 0.45)] + _arc(0.45, 0.7, 0.45, 0.3, 150, -150), [(0.2, 0.02), (0.95, 0.0)]],
    ],
    6: [
        [[(0.8, 0.0), (0.35, 0.3)] + _arc(0.5, 0.7, 0.42, 0.3, 170, 540)],
        [[(0.45, 0.0), (0.1, 0.7)] + _arc(0.45, 0.75, 0.35, 0.25, 180, 540)],
        [_arc(0.6, 0.55, 0.5, 0.55, 80, 200) + _arc(0.5, 0.72, 0.4, 0.28, 200, 530)],
    ],
    7: [
        [[(0.0, 0.0), (1.0, 0.0), (0.35, 1.0)]],
        [[(0.0, 0.1), (0.1, 0.0), (1.0, 0.0), (0.4, 1.0)], [(0.3, 0.5), (0.85, 0.5)]],
        [[(0.0, 0.0), (0.95, 0.0), (0.5, 1.0)]],
        [[(0.0, 0.25), (0.15, 0.0), (0.95, 0.05), (0.45, 1.0)], [(0.35, 0.5), (0.9, 0.45)]],
        [[(0.0, 0.1)] + _arc(0.5, 0.2, 0.45, 0.2, 170, 20) + [(0.4, 1.0)]],
    ],
    8: [
        [_arc(0.5, 0.25, 0.35, 0.25, -90, 270) + _arc(0.5, 0.74, 0.45, 0.26, 90, 450)],
        [_arc(0.5, 0.26, 0.4, 0.26, 0, 360), _arc(0.5, 0.75, 0.45, 0.25, 90, 450)],
    ],
    9: [
        [_arc(0.5, 0.3, 0.42, 0.3, 0, 365) + [(0.9, 0.3), (0.85, 1.0)]],
        [_arc(0.5, 0.3, 0.42, 0.3, 10, 370) + [(0.9, 0.35), (0.5, 1.0)]],
        [_arc(0.5, 0.3, 0.42, 0.3, 0, 365) + _arc(0.5, 0.6, 0.4, 0.4, 0, -110)],
    ],
}


def _pen_drawn(digit: int, rng: np.random.Generator) -> np.ndarray:
    variants = TEMPLATES[digit]
    strokes = variants[rng.integers(len(variants))]
    size = 80
    w_ratio = rng.uniform(0.45, 0.85) if digit != 1 else rng.uniform(0.3, 0.7)
    slant = rng.uniform(-0.15, 0.45)
    turn = math.radians(rng.uniform(-10, 10))
    jitter = rng.uniform(0.0, 0.04)
    im = Image.new("L", (int(size * 2.2), int(size * 1.6)), 0)
    draw = ImageDraw.Draw(im)
    width = int(rng.integers(2, 9))
    for stroke in strokes:
        pts = []
        for x, y in stroke:
            x, y = x + rng.normal(0, jitter), y + rng.normal(0, jitter)
            x, y = (x - 0.5) * w_ratio, y - 0.5
            x -= slant * y
            x, y = x * math.cos(turn) - y * math.sin(turn), x * math.sin(turn) + y * math.cos(turn)
            pts.append((im.width / 2 + x * size, im.height / 2 + y * size))
        draw.line(pts, fill=255, width=width, joint="curve")
    return _crop(np.asarray(im) > 127)


def _joined(_: int, rng: np.random.Generator) -> np.ndarray:
    """Two or three pen-drawn digits run together, or a fragment of one, or a scrawl: what
    a blank's ink looks like when it is not one digit (the class ``JUNK``)."""
    kind = 0  # only digits run together: a piece of a digit or a scrawl looks too much like a 1
    if kind == 0:
        parts = [_pen_drawn(int(rng.integers(10)), rng) for _ in range(2 + int(rng.integers(2)))]
        h = max(p.shape[0] for p in parts)
        parts = [np.asarray(Image.fromarray(p.astype(np.uint8) * 255).resize((max(1, p.shape[1] * h // p.shape[0]), h))) > 127 for p in parts]
        out = parts[0]
        for p in parts[1:]:
            lap = int(rng.integers(0, max(1, min(out.shape[1], p.shape[1]) // 3) + 1))
            wide = np.zeros((h, out.shape[1] + p.shape[1] - lap), dtype=bool)
            wide[:, : out.shape[1]] |= out
            wide[:, out.shape[1] - lap :] |= p
            out = wide
        return _crop(out)
    if kind == 1:
        g = _pen_drawn(int(rng.integers(10)), rng)
        h, w = g.shape
        r = rng.uniform(0.35, 0.6)
        cut = [g[: int(h * r)], g[int(h * (1 - r)) :], g[:, : int(w * r) + 1], g[:, int(w * (1 - r)) :]][rng.integers(4)]
        return _crop(cut)
    im = Image.new("L", (120, 120), 0)
    draw = ImageDraw.Draw(im)
    for _ in range(int(rng.integers(2, 5))):
        draw.line([tuple(rng.uniform(10, 110, 2)) for _ in range(int(rng.integers(2, 4)))], fill=255, width=int(rng.integers(2, 8)))
    return _crop(np.asarray(im) > 127)


def _font_drawn(digit: int, font: ImageFont.FreeTypeFont, rng: np.random.Generator) -> np.ndarray:
    im = Image.new("L", (160, 160), 0)
    ImageDraw.Draw(im).text((40, 20), str(digit), font=font, fill=255)
    slant = rng.uniform(-0.1, 0.4)
    im = im.transform(im.size, Image.Transform.AFFINE, (1, slant, -slant * 80, 0, 1, 0), resample=Image.Resampling.BILINEAR)
    im = im.rotate(rng.uniform(-8, 8), resample=Image.Resampling.BILINEAR)
    k = int(rng.integers(-1, 3))
    if k > 0:
        im = im.filter(ImageFilter.MaxFilter(2 * k + 1))
    elif k < 0:
        im = im.filter(ImageFilter.MinFilter(3))
    return _crop(np.asarray(im) > 127)


def _crop(a: np.ndarray) -> np.ndarray:
    rows, cols = np.nonzero(a)
    if not len(rows):
        return np.ones((4, 2), dtype=bool)
    return a[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]


def _fonts() -> list[str]:
    import matplotlib

    mpl = os.path.join(os.path.dirname(matplotlib.__file__), "mpl-data/fonts/ttf")
    found = glob.glob("/usr/share/fonts/truetype/dejavu/*.ttf") + [
        os.path.join(mpl, f) for f in ("STIXGeneral.ttf", "STIXGeneralBol.ttf", "STIXGeneralItalic.ttf", "STIXGeneralBolIta.ttf", "cmr10.ttf", "cmss10.ttf", "cmti10.ttf")
    ]
    return sorted(f for f in found if os.path.exists(f) and "Math" not in f)


def dataset(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(X, y) to train on, and load_digits' held-out part (X, y) to check on."""
    from sklearn.datasets import load_digits

    d = load_digits()
    order = rng.permutation(len(d.target))
    held = order[: len(order) // 5]
    keep = order[len(order) // 5 :]
    xs, ys = [d.data[keep]] * 3, [d.target[keep]] * 3  # the real handwriting, weighted
    for digit in range(10):
        xs.append(np.stack([features(_pen_drawn(digit, rng)) for _ in range(PER_DIGIT)]))
        ys.append(np.full(PER_DIGIT, digit))
    xs.append(np.stack([features(_joined(2, rng)) for _ in range(JUNK_SAMPLES)]))
    ys.append(np.full(JUNK_SAMPLES, JUNK))
    for path in _fonts():
        font = ImageFont.truetype(path, 90)
        for digit in range(10):
            xs.append(np.stack([features(_font_drawn(digit, font, rng)) for _ in range(FONT_SAMPLES)]))
            ys.append(np.full(FONT_SAMPLES, digit))
    return np.vstack(xs).astype(np.float32), np.concatenate(ys), d.data[held].astype(np.float32), d.target[held]


def main() -> None:
    from sklearn.neural_network import MLPClassifier

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="print accuracies, write nothing")
    args = ap.parse_args()
    rng = np.random.default_rng(SEED)
    x, y, hx, hy = dataset(rng)
    check = np.random.default_rng(SEED + 1)
    px = np.stack([features(_pen_drawn(d, check)) for d in range(10) for _ in range(100)] + [features(_joined(2, check)) for _ in range(300)])
    py = np.concatenate([np.repeat(np.arange(10), 100), np.full(300, JUNK)])
    clf = MLPClassifier(hidden_layer_sizes=(128, 64), alpha=1e-3, max_iter=300, early_stopping=True, random_state=SEED)
    clf.fit(x / 16.0, y)
    print(f"trained on {len(y)} digits; load_digits held out: {clf.score(hx / 16.0, hy):.3f}; pen-drawn held out: {clf.score(px / 16.0, py):.3f}")
    if args.check:
        return
    arrays = {f"W{i}": w.astype(np.float32) for i, w in enumerate(clf.coefs_)}
    arrays |= {f"b{i}": b.astype(np.float32) for i, b in enumerate(clf.intercepts_)}
    np.savez_compressed(OUT, **arrays)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
