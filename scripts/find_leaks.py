"""List document-specific strings of the measured sets that stand in pipeline/.

The product is measured on documents nobody here has seen, so no code, comment or pattern
table may carry what one known document says: its symbols, its signer, its title, units
or sentences. This check reads the gold files (shared/gold, shared/dev/gold,
tests/resources/*/gold) and the texts (shared/corpus, shared/dev/files, shared/dev2/files,
tests/resources/*/*.txt; PDF and Word through ``pdftotext``/``antiword`` when installed,
scans without a text layer through their gold only), and prints every line of pipeline/
(.py, .json, .md) that holds

- SYM: a document symbol found in them (leading zeros ignored),
- NAME: a signer's name from a gold file,
- PHRASE: a gold title, issuer or unit of three words or more, or a quoted passage,
- TEXT: a run of ``--words`` words (default 6) that stands in one of the texts.

A row is a place to look, not a verdict: standard body names ("Sở Giáo dục và Đào tạo")
and the format's own boilerplate ("Nơi nhận", "chịu trách nhiệm thi hành Quyết định
này") are general and stay. The instruments that define the format itself are allowed.

    PYTHONPATH=$PWD python scripts/find_leaks.py [--shared ../shared] [--words 6] [--kinds SYM,NAME]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The legal instruments that define the document format (State and Party).
ALLOWED = {"30/2020/NĐ-CP", "36-HD/VPTW"}
SYMBOL = re.compile(
    r"(?<![\w/])(\d{1,5}(?:/\d{4})?[-/][A-ZĐ][A-ZĐ0-9À-Ỹa-zà-ỹđ]*(?:[-/][A-ZĐ0-9][A-ZĐ0-9À-Ỹa-zà-ỹđ()]*)*)"
)
WORD = re.compile(r"[0-9A-Za-zÀ-ỹĐđ]+(?:[-/][0-9A-Za-zÀ-ỹĐđ]+)*")
QUOTED = re.compile(r"['‘“\"]([^'’”\"]{10,})['’”\"]")


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def symbol_key(s: str) -> str:
    return re.sub(r"(?<!\d)0+(\d)", r"\1", nfc(s).upper().replace("Đ", "D"))


def words(s: str) -> list[str]:
    return [w.lower() for w in WORD.findall(nfc(s))]


def leaves(o: object, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(o, dict):
        for k, v in o.items():
            yield from leaves(v, f"{path}.{k}")
    elif isinstance(o, list):
        for v in o:
            yield from leaves(v, path)
    elif isinstance(o, str):
        yield path, nfc(o)


def text_of(p: Path) -> str:
    if p.suffix in (".txt", ".md"):
        return p.read_text("utf-8", "replace")
    if p.suffix == ".docx":
        try:
            with zipfile.ZipFile(p) as z:
                xml = z.read("word/document.xml").decode("utf-8", "replace")
        except (OSError, KeyError, zipfile.BadZipFile):
            return ""
        return re.sub(r"<[^>]+>", "", xml.replace("</w:p>", "\n"))
    tool = {".pdf": ["pdftotext", str(p), "-"], ".doc": ["antiword", str(p)]}.get(p.suffix)
    if tool and shutil.which(tool[0]):
        return subprocess.run(tool, capture_output=True, text=True, check=False).stdout
    return ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--words", type=int, default=6, help="length of a TEXT run")
    ap.add_argument("--kinds", default="SYM,NAME,PHRASE,TEXT", help="which kinds of rows to print")
    args = ap.parse_args()
    kinds = set(args.kinds.split(","))

    golds = [p for d in (args.shared / "gold", args.shared / "dev" / "gold") for p in d.glob("*.json")]
    golds += sorted(REPO.glob("tests/resources/*/gold/*.json"))
    texts = [p for d in ("corpus", "dev/files", "dev2/files") for p in (args.shared / d).glob("*")]
    texts += sorted(REPO.glob("tests/resources/*/*.txt"))

    symbols: dict[str, set[str]] = defaultdict(set)
    names: dict[str, set[str]] = defaultdict(set)
    phrases: dict[str, set[str]] = defaultdict(set)
    for g in golds:
        for path, v in leaves(json.loads(g.read_text("utf-8"))):
            for m in SYMBOL.findall(v):
                symbols[symbol_key(m)].add(g.stem)
            ws = words(v)
            if path.endswith("signer.name") and v:
                names[" ".join(ws)].add(g.stem)
            if path.rsplit(".", 1)[-1] in ("title", "issuer", "unit") and len(ws) >= 3:
                phrases[" ".join(ws)].add(g.stem)
            for q in QUOTED.findall(v):
                if len(words(q)) >= 5:
                    phrases[" ".join(words(q))].add(g.stem)
    runs: dict[str, set[str]] = defaultdict(set)
    n = args.words
    for t in texts:
        s = nfc(text_of(t))
        for m in SYMBOL.findall(s):
            symbols[symbol_key(m)].add(t.stem)
        ws = words(s)
        for i in range(len(ws) - n + 1):
            runs[" ".join(ws[i : i + n])].add(t.stem)
    allowed = {symbol_key(s) for s in ALLOWED}
    print(f"{len(golds)} gold files, {len(texts)} texts: {len(symbols)} symbols, {len(names)} names, "
          f"{len(phrases)} phrases, {len(runs)} runs of {n} words", file=sys.stderr)  # fmt: skip

    def where(found: set[str]) -> str:
        return ", ".join(sorted(found)[:2]) + (f" (+{len(found) - 2})" if len(found) > 2 else "")

    for f in sorted(p for p in (REPO / "pipeline").rglob("*") if p.suffix in (".py", ".json", ".md")):
        for ln, line in enumerate(f.read_text("utf-8").splitlines(), 1):
            rows = []
            for m in SYMBOL.findall(nfc(line)):
                if (k := symbol_key(m)) in symbols and k not in allowed:
                    rows.append(("SYM", m, symbols[k]))
            low = " ".join(ws := words(line))
            rows += [("NAME", x, src) for x, src in names.items() if x in low]
            rows += [("PHRASE", x, src) for x, src in phrases.items() if len(x) > 12 and x in low]
            for i in range(len(ws) - n + 1):
                if (run := " ".join(ws[i : i + n])) in runs:
                    j = i + n
                    while j < len(ws) and " ".join(ws[j - n + 1 : j + 1]) in runs:
                        j += 1
                    rows.append(("TEXT", " ".join(ws[i:j]), runs[run]))
                    break
            for kind, what, src in rows:
                if kind in kinds:
                    print(f"{f.relative_to(REPO)}:{ln}: {kind} {what!r} <- {where(src)}")


if __name__ == "__main__":
    main()
