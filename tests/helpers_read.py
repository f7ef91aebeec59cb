"""Helpers for the read tests: comparable word sequences, character error rate, bad files."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from pipeline.normalise import normalise_text

_SEPARATORS = re.compile(r"\s\|\s|\s\|$|^\|\s")
_SPLIT_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$", re.MULTILINE)


def comparable(text: str) -> str:
    """Normalised text with table separators and whitespace runs as single spaces."""
    t = normalise_text(text)
    t = t.replace("|", " ")
    return " ".join(t.split())


def words(text: str) -> list[str]:
    return comparable(text).split(" ")


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (row-by-row, O(len(a)·len(b)) time, O(len(b)) memory)."""
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def cer(hypothesis: str, reference: str) -> float:
    """Character error rate of ``hypothesis`` against ``reference`` (both made comparable)."""
    h, r = comparable(hypothesis), comparable(reference)
    return _fast_distance(h, r) / max(1, len(r))


def _fast_distance(a: str, b: str) -> int:
    try:
        from rapidfuzz.distance import Levenshtein

        return int(Levenshtein.distance(a, b))
    except ImportError:
        pass
    import difflib

    # Exact distance on the differing stretches only (texts are mostly equal).
    total = 0
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag != "equal":
            total += edit_distance(a[i1:i2], b[j1:j2])
    return total


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
