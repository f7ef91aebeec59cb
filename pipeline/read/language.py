"""Is this Vietnamese? A cheap letter-level test: to choose a legacy decoding
(Windows-1258) for text files that are not UTF-8, and to recognise the font encodings
(TCVN3/ABC, VNI) whose bytes decode to Latin-1 noise. Whether a text *is* Vietnamese is
judged by its syllables (``quality``).

Most Vietnamese words carry a letter outside ASCII (ă â đ ê ô ơ ư or a tone mark), while
English has none and French or German have few, and legacy font encodings give letters
that Vietnamese never uses (ä ø ñ ç ...).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

_WORD = re.compile(r"[^\W\d_]+")
_VIET_BASES = set("aăâeêioôơuưyđ")
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_SHAPES = {"\u0302", "\u0306", "\u031b"}
_ASCII = set("abcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True)
class LetterStats:
    words: int
    vietnamese: float  # share of words with a letter only Vietnamese uses (ă, đ, ế, ...)
    alien: float  # share of words with a letter Vietnamese never uses (ä, ø, ñ, ...)


@functools.lru_cache(maxsize=4096)
def letter_kind(ch: str) -> str:
    """'ascii', 'viet' (a Vietnamese letter with marks, or đ) or 'alien'."""
    if ch in _ASCII:
        return "ascii"
    if ch == "đ":
        return "viet"
    d = unicodedata.normalize("NFD", ch)
    base, marks = d[0], d[1:]
    if base not in _VIET_BASES or not marks:
        return "alien"
    tones = [m for m in marks if m in _TONES]
    shapes = [m for m in marks if m in _SHAPES]
    if len(tones) > 1 or len(shapes) > 1 or len(tones) + len(shapes) != len(marks):
        return "alien"
    if shapes and not _shape_fits(base, shapes[0]):
        return "alien"
    return "viet"


def _shape_fits(base: str, shape: str) -> bool:
    return {"\u0302": base in "aeo", "\u0306": base == "a", "\u031b": base in "ou"}[shape]


def letter_stats(text: str, max_words: int = 5000) -> LetterStats:
    """Shares of Vietnamese-only and never-Vietnamese letters among the first words."""
    words = _WORD.findall(unicodedata.normalize("NFC", text).lower())[:max_words]
    if not words:
        return LetterStats(0, 0.0, 0.0)
    viet = alien = 0
    for w in words:
        kinds = {letter_kind(c) for c in w}
        viet += "viet" in kinds
        alien += "alien" in kinds
    n = len(words)
    return LetterStats(n, viet / n, alien / n)


def looks_legacy_encoded(text: str, *, min_words: int = 15) -> bool:
    """Text in a legacy font encoding (TCVN3/ABC, VNI) read as Latin-1: "Céng hoµ x· héi".

    Such text comes from old ``.VnTime``/``VNI-Times`` documents and from PDF text layers
    of fonts without a Unicode map; its letters are ones Vietnamese never uses.
    """
    stats = letter_stats(text)
    return stats.words >= min_words and stats.alien >= 0.15 and stats.alien > stats.vietnamese


__all__ = ["LetterStats", "letter_kind", "letter_stats", "looks_legacy_encoded"]
