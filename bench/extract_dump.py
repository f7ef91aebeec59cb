"""Dump ``extract(doc).to_json()`` for a fixed set of documents, and diff two dumps.

The invariant of a speed change is that no extracted value moves. ``python
bench/extract_dump.py dump OUT`` reads the corpus texts, ``shared/dev`` and ``shared/dev2``
files (PDFs with OCR off: the text layer only, a scan without one is skipped), the
held-out sets and the synthetic plans once (the read documents are cached as a pickle
beside ``OUT``, so later dumps time extraction only), and writes one JSON per document;
``python bench/extract_dump.py diff OLD NEW`` lists the documents whose extraction
differs (exit 1 when any does).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"
REPO = HERE.parent


def sources() -> list[Path]:
    """Every file of the invariant set, in a fixed order."""
    files = sorted((SHARED / "corpus").glob("*.txt"))
    files += sorted(p for p in (SHARED / "dev" / "files").iterdir() if p.is_file())
    files += sorted(p for p in (SHARED / "dev2" / "files").iterdir() if p.is_file())
    for d in sorted(REPO.glob("tests/resources/heldout*")):
        files += sorted(d.glob("*.txt"))
    synth = HERE / "out" / "arch-extract-cost"
    if (synth / "manifest.jsonl").exists():
        records = [json.loads(line) for line in (synth / "manifest.jsonl").read_text().splitlines()]
        files += [synth / r["path"] for r in records if r["format"] == "txt"]
    return files


def read_all(cache: Path) -> list[tuple[str, Any]]:
    """``(name, Document)`` for every source that reads without OCR (cached)."""
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    from pipeline.errors import KehoachError
    from pipeline.read import ReadSettings, read

    settings = ReadSettings(ocr=False, header_ocr=False)
    docs = []
    for p in sources():
        try:
            doc = read(p, settings=settings)
        except KehoachError as e:
            print(f"skip {p.name}: {e.reason.value}", file=sys.stderr)
            continue
        docs.append((f"{p.parent.name}__{p.name}", doc))
    cache.write_bytes(pickle.dumps(docs))
    return docs


def dump(out: Path, cache: Path, extra: list[Path]) -> None:
    from pipeline.extract import extract

    out.mkdir(parents=True, exist_ok=True)
    docs = read_all(cache)
    for p in extra:  # more (name, Document) pickles: documents read with OCR once
        docs += pickle.loads(p.read_bytes())
    for name, doc in docs:
        data = extract(doc, strict=True).to_json()
        (out / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True))


def diff(old: Path, new: Path) -> int:
    names = sorted({p.name for p in old.glob("*.json")} | {p.name for p in new.glob("*.json")})
    bad = 0
    for n in names:
        a, b = old / n, new / n
        if not a.exists() or not b.exists() or a.read_text() != b.read_text():
            bad += 1
            print(f"differs: {n}")
    print(f"{len(names)} documents, {bad} differ")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("--cache", type=Path, default=HERE / "out" / "extract-dump-docs.pickle")
    d.add_argument("--extra", type=Path, action="append", default=[], help="a pickle of (name, Document) pairs")
    f = sub.add_parser("diff")
    f.add_argument("old", type=Path)
    f.add_argument("new", type=Path)
    args = ap.parse_args(argv)
    if args.cmd == "dump":
        dump(args.out, args.cache, args.extra)
        return 0
    return diff(args.old, args.new)


if __name__ == "__main__":
    raise SystemExit(main())
