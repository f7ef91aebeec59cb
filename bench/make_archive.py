"""Generate a synthetic archive of Vietnamese plans with their gold, deterministic by seed.

Usage::

    python bench/make_archive.py OUT_DIR --n 1000 --seed 1 \\
        --formats txt=0.9,docx=0.04,pdf=0.04,scan=0.01,png=0.01

Writes ``OUT_DIR/archive/<province>/<level>/<stem>.<ext>`` (the files to ingest),
``OUT_DIR/gold/<stem>.json`` (SCHEMA.md gold, exact by construction) and
``OUT_DIR/manifest.jsonl`` (one line per file: stem, path, format, pages, level, bytes),
which the benchmark runner reads. Plans are streamed: one is in memory at a time.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import unicodedata
from pathlib import Path
from typing import Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent))

from archive_model import plan_specs  # noqa: E402
from plan_files import render_txt, write_docx, write_pdf, write_png, write_scan  # noqa: E402
from plan_text import compose  # noqa: E402

FORMATS = ("txt", "docx", "pdf", "scan", "png")
EXTENSIONS = {"txt": ".txt", "docx": ".docx", "pdf": ".pdf", "scan": ".pdf", "png": ".png"}
CHARS_PER_PAGE = 3000  # to state text/DOCX sizes in pages


def parse_formats(spec: str) -> dict[str, float]:
    """``"txt=0.9,docx=0.1"`` → shares that sum to 1."""
    shares: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        name, _, value = part.partition("=")
        if name not in FORMATS:
            raise ValueError(f"unknown format {name!r}; choose from {', '.join(FORMATS)}")
        shares[name] = float(value or 1)
    total = sum(shares.values())
    if total <= 0:
        raise ValueError("format shares must add up to more than 0")
    return {k: v / total for k, v in shares.items()}


def _slug(name: str) -> str:
    flat = unicodedata.normalize("NFKD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in flat if c.isascii() and (c.isalnum() or c == " ")).strip().lower().replace(" ", "-")


def generate(out: Path, n: int, seed: int, formats: dict[str, float]) -> Iterator[dict]:
    """Write the archive under ``out``; yields each manifest record as it is written."""
    pick = random.Random(seed * 7919 + 17)
    names, weights = list(formats), list(formats.values())
    for d in ("archive", "gold"):
        (out / d).mkdir(parents=True, exist_ok=True)
    for spec in plan_specs(n, seed):
        plan = compose(spec)
        fmt = pick.choices(names, weights)[0]
        rel = Path("archive") / _slug(spec.org.province) / spec.org.level / f"{spec.stem}{EXTENSIONS[fmt]}"
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        rng = random.Random(spec.seed ^ 0x5EED)
        when = spec.ref.date
        if fmt == "txt":
            text = render_txt(plan.parts, rng)
            path.write_text(text, encoding="utf-8")
            pages = max(1, round(len(text) / CHARS_PER_PAGE))
        elif fmt == "docx":
            write_docx(plan.parts, path, when)
            chars = sum(len(t) for _, t in plan.parts.blocks)
            pages = max(1, round(chars / CHARS_PER_PAGE))
        elif fmt == "pdf":
            pages = write_pdf(plan.parts, path, when)
        elif fmt == "scan":
            pages = write_scan(plan.parts, path, when, rng)
        else:
            pages = write_png(plan.parts, path, when, rng)
        gold_path = out / "gold" / f"{spec.stem}.json"
        gold_path.write_text(json.dumps(plan.gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        yield {"stem": spec.stem, "path": rel.as_posix(), "format": fmt, "pages": pages,
               "level": spec.org.level, "bytes": path.stat().st_size}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="output directory (created)")
    ap.add_argument("--n", type=int, default=1000, help="number of plans")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--formats", default="txt=1", help="shares, e.g. txt=0.9,docx=0.04,pdf=0.04,scan=0.01,png=0.01")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    formats = parse_formats(args.formats)
    counts: dict[str, int] = {}
    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "manifest.jsonl", "w", encoding="utf-8") as manifest:
        for i, rec in enumerate(generate(args.out, args.n, args.seed, formats), 1):
            manifest.write(json.dumps(rec, ensure_ascii=False) + "\n")
            counts[rec["format"]] = counts.get(rec["format"], 0) + 1
            if not args.quiet and i % 1000 == 0:
                print(f"{i}/{args.n} plans written", file=sys.stderr)
    if not args.quiet:
        print(f"wrote {sum(counts.values())} plans to {args.out}: {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
