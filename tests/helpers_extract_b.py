"""Shared fixtures of the part-B extractor tests (sections, deadlines, numbers, units, assignments)."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from pipeline.models import Document, Header


def make_doc(text: str, path: str = "hand.txt") -> Document:
    """A Document over hand-written text (already normal: NFC, plain spaces)."""
    return Document(path=path, sha256="", format="txt", text=unicodedata.normalize("NFC", text))


def gold(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))


def corpus_cases(corpus: Path) -> Iterator[tuple[Document, Header, dict]]:
    """Each text of the shared corpus as a document, the header found in it and its gold."""
    from pipeline.extract.header import find_header

    for path in sorted(corpus.glob("*.txt")):
        doc = make_doc(path.read_text("utf-8"), str(path))
        yield doc, find_header(doc.text, doc.tables), gold(corpus.parent / "gold" / f"{path.stem}.json")


def norm(s: str) -> str:
    """The scorer's light normalisation: NFC, single spaces, case-folded."""
    return " ".join(unicodedata.normalize("NFC", s).split()).casefold()


def micro_f1(pairs: list[tuple[set, set]]) -> float:
    """Micro F1 over (got, want) sets, one pair per document."""
    tp = sum(len(g & w) for g, w in pairs)
    fp = sum(len(g - w) for g, w in pairs)
    fn = sum(len(w - g) for g, w in pairs)
    if tp == 0:
        return 0.0
    p, r = tp / (tp + fp), tp / (tp + fn)
    return 2 * p * r / (p + r)
