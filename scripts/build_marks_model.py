"""Build pipeline/read/data/marks.json.gz: the syllable bigram model ``pipeline.read.marks``
uses to choose the marks of words a scan misread.

Trained on Vietnamese text this machine already has, nothing downloaded:
- the dev set's and dev2's Word, Markdown and digital PDF files (their text layers; scans
  and wrong OCR layers are left out, as they hold the very misreadings to be mended),
  never their gold JSON;
- the word list and the tagged news text that the ``underthesea`` package ships
  (Viet74K: the syllables of each dictionary word in order; VLSP 2013 POS test output).
The sample archive's texts (``data/raw/text``, the same as ``shared/corpus``) are left out:
they are what the model is measured on (``bench/measure_marks.py``).

    PYTHONPATH=$PWD python scripts/build_marks_model.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "pipeline" / "read" / "data" / "marks.json.gz"
_RUN = re.compile(r"[^\W\d_]+(?:[ \t]+[^\W\d_]+)*")  # words joined by spaces only: no punctuation between
MIN_PAIR = 1


def runs(text: str) -> Iterator[list[str]]:
    """Runs of syllables (lower case, new-style tone placement) not broken by punctuation."""
    from pipeline.normalise import fold_tones
    from pipeline.read.quality import is_syllable

    text = fold_tones(unicodedata.normalize("NFC", text))
    for m in _RUN.finditer(text):
        run: list[str] = []
        for w in m.group().split():
            if is_syllable(w) and len(w) > 1 or w.lower() in ("a", "e", "o", "y"):
                run.append(w.lower())
            else:
                if len(run) > 0:
                    yield run
                run = []
        if run:
            yield run


def archive_texts(shared: Path) -> Iterator[str]:
    from pipeline.errors import KehoachError
    from pipeline.read import ReadSettings, read

    settings = ReadSettings(ocr=False, check_language=False)
    for folder in (shared / "dev" / "files", shared / "dev2" / "files"):
        for path in sorted(folder.iterdir()):
            if re.search(r"-(?:scan|badocr)\.", path.name) or path.suffix.lower() == ".json":
                continue
            try:
                doc = read(path, settings)
            except KehoachError:
                continue
            if doc.format == "pdf-scan":
                continue
            for page in doc.pages or ():
                if page.quality is None or page.quality >= 0.9:
                    yield doc.text[page.start : page.end]
            if not doc.pages:
                yield doc.text


def underthesea_texts() -> Iterator[str]:
    import underthesea

    root = Path(underthesea.__file__).parent
    words = root / "corpus" / "data" / "Viet74K.txt"
    if words.is_file():
        yield "\n".join(words.read_text(encoding="utf-8").splitlines())
    tagged = root / "pipeline" / "pos_tag" / "models" / "pos_crf_vlsp2013_20230303" / "test_output.txt"
    if tagged.is_file():
        sentence: list[str] = []
        for line in tagged.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                yield " ".join(sentence) + "\n"
                sentence = []
                continue
            sentence.append(line.split("\t")[0])
        if sentence:
            yield " ".join(sentence)


def count(texts: Iterable[str]) -> tuple[Counter[str], Counter[str]]:
    uni: Counter[str] = Counter()
    bi: Counter[str] = Counter()
    for text in texts:
        for run in runs(text):
            uni.update(run)
            bi.update(f"{a} {b}" for a, b in zip(run, run[1:]))
    return uni, bi


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = ap.parse_args()
    uni, bi = count([*archive_texts(args.shared), *underthesea_texts()])
    pairs = {k: v for k, v in bi.items() if v >= MIN_PAIR}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    payload = {"unigrams": dict(uni.most_common()), "bigrams": dict(sorted(pairs.items()))}
    OUT.write_bytes(gzip.compress(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode(), mtime=0))
    print(f"{OUT}: {len(uni)} syllables, {len(pairs)} pairs, {sum(uni.values())} tokens, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
