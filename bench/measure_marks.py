"""Does the marks model (pipeline/read/marks.py) help more than it harms?

The sample archive's scans (data/raw/scan) are renders of known texts (data/raw/text):
each is OCR'd once (Tesseract's output cached, bench/ocr_cache.py), then read with and
without the model, and the character error rate (tests/helpers_read.cer) and the words
changed right and wrong are counted against the known text. The model never saw these
texts (scripts/build_marks_model.py leaves them out).

    PYTHONPATH=$PWD python bench/measure_marks.py [--cache DIR] [FILES...]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests"), str(REPO / "bench")]


def word_changes(before: str, after: str, reference: str) -> Counter[str]:
    """Words the model changed: right (now as the reference writes them), wrong, neutral."""
    import difflib

    from helpers_read import comparable

    ref = comparable(reference).split()
    out: Counter[str] = Counter()
    b, a = before.split(), after.split()
    if len(a) != len(b):
        return out
    ref_set = Counter(ref)
    sm = difflib.SequenceMatcher(None, b, ref, autojunk=False)
    aligned = {i: ref[j] for blk in sm.get_matching_blocks() for i, j in zip(range(blk.a, blk.a + blk.size), range(blk.b, blk.b + blk.size))}
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "replace" and i2 - i1 == j2 - j1:
            aligned.update({i: ref[j] for i, j in zip(range(i1, i2), range(j1, j2))})
    for i, (x, y) in enumerate(zip(b, a)):
        if x == y:
            continue
        truth = aligned.get(i)
        if truth == y:
            out["right"] += 1
        elif truth == x:
            out["wrong"] += 1
        else:
            out["other"] += 1
    return out


def main() -> None:
    import ocr_cache
    from helpers_read import cer, comparable

    from pipeline.read import ReadSettings, read

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=Path("/tmp/kehoach-ocr-cache"))
    ap.add_argument("files", nargs="*", type=Path)
    args = ap.parse_args()
    ocr_cache.install(args.cache)
    files = args.files or sorted((REPO / "data" / "raw" / "scan").glob("*.pdf"))
    total: Counter[str] = Counter()
    rows = []
    for f in files:
        ref = (REPO / "data" / "raw" / "text" / f"{f.stem}.txt").read_text(encoding="utf-8")
        plain = read(f, ReadSettings(ocr_marks=False)).text
        t = time.process_time()
        marked = read(f, ReadSettings(ocr_marks=True)).text
        changes = word_changes(comparable(plain), comparable(marked), ref)
        total += changes
        rows.append((f.stem, cer(plain, ref), cer(marked, ref), dict(changes)))
        print(f"{f.stem}: CER {rows[-1][1]:.4f} → {rows[-1][2]:.4f}  words changed {dict(changes)}  ({time.process_time() - t:.1f} s CPU with the model, OCR cached)")
    n = len(rows)
    print(f"mean CER {sum(r[1] for r in rows) / n:.4f} → {sum(r[2] for r in rows) / n:.4f}; words changed {dict(total)}")


if __name__ == "__main__":
    main()
