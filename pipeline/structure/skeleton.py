"""The skeleton of a text: upper-case ASCII, same length, same offsets.

Cue words are matched on the skeleton ("Kính gửi" → "KINH GUI", "ĐẢNG ỦY" → "DANG UY"),
so the letters a scan misreads most often — tone and shape marks ("ĐÔNG" for "ĐỒNG",
"DẦN" for "DÂN", "Só" for "Số") — do not break a match, and an offset found in the
skeleton is the same offset in ``Document.text``.

The skeleton is one character for one character (``_TABLE``). ``str.translate`` walks a
non-ASCII text a character at a time through the table (~100 ns a character), so the
letters the table maps are taken through C instead: NFD splits each into its ASCII base
and marks, the marks (the only non-ASCII left) are dropped by an ASCII encoding, and the
rest is upper-cased; only runs of other characters ("“", "–", a Greek letter) go
through the table. A document's lines are cut from one skeleton of its whole text
(:func:`prime`), so each line is not translated again.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable


def _table() -> dict[int, int]:
    table: dict[int, int] = {}
    for cp in range(0x61, 0x7B):
        table[cp] = cp - 0x20
    for cp in range(0xC0, 0x1F00):
        ch = chr(cp)
        base = unicodedata.normalize("NFD", ch)[0]
        if base.isascii() and base.isalpha():
            table[cp] = ord(base.upper())
    for ch in "đĐðÐƉ":
        table[ord(ch)] = ord("D")
    return table


_TABLE = _table()
_D = "đĐðÐƉ"


def _decomposable() -> str:
    """The table's letters whose NFD is their ASCII base and non-ASCII marks only: for
    them the skeleton is the base upper-cased."""
    out = []
    for cp, base in _TABLE.items():
        ch = chr(cp)
        if cp < 0x80 or ch in _D:
            continue
        nfd = unicodedata.normalize("NFD", ch)
        if nfd[0].isascii() and nfd[0].upper() == chr(base) and not any(m.isascii() for m in nfd[1:]):
            out.append(ch)
    return "".join(out)


# Runs of characters the C path cannot take: anything but ASCII, the decomposable letters
# and the D letters.
_OTHER = re.compile("([^\x00-\x7f" + re.escape(_decomposable() + _D) + "]+)")
_MAX_CACHED = 1000  # longer strings are not kept (but a primed document is, see prime)
_CACHE: dict[str, str] = {}
_CACHE_SIZE = 8192
_document: tuple[str, str] = ("", "")  # the last primed text and its skeleton


def _letters(s: str) -> str:
    """The skeleton of ``s`` holding only ASCII, decomposable letters and D letters."""
    for d in _D:
        if d in s:
            s = s.replace(d, "D")
    return unicodedata.normalize("NFD", s).encode("ascii", "ignore").decode("ascii").upper()


def _skeleton(s: str) -> str:
    if s.isascii():
        return s.upper()  # an ASCII text: the table maps a-z only, as upper() does
    parts = _OTHER.split(s)
    if len(parts) == 1:
        return _letters(s)
    for i in range(0, len(parts), 2):
        parts[i] = _letters(parts[i])
    for i in range(1, len(parts), 2):
        parts[i] = parts[i].translate(_TABLE)
    return "".join(parts)


def skeleton(s: str) -> str:
    """``s`` in upper-case ASCII letters, marks dropped, one character for one character."""
    got = _CACHE.get(s)
    if got is not None:
        return got
    primed = _document
    if primed[0] is s:
        return primed[1]
    got = _skeleton(s)
    if len(s) <= _MAX_CACHED:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        _CACHE[s] = got
    return got


def prime(text: str, spans: Iterable[tuple[int, int]]) -> None:
    """Skeleton ``text`` once and keep the skeleton of each ``text[start:end]`` cut from it
    (a document's lines), so the cue functions asking for them find them ready."""
    global _document
    sk = _skeleton(text)
    _document = (text, sk)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.clear()
    for s, e in spans:
        if e - s <= _MAX_CACHED:
            _CACHE[text[s:e]] = sk[s:e]


def cache_clear() -> None:
    """Forget every skeleton kept (for measurements of a cold start)."""
    global _document
    _CACHE.clear()
    _document = ("", "")


__all__ = ["cache_clear", "prime", "skeleton"]
