"""The skeleton of a text: upper-case ASCII, same length, same offsets.

Cue words are matched on the skeleton ("Kính gửi" → "KINH GUI", "ĐẢNG ỦY" → "DANG UY"),
so the letters a scan misreads most often — tone and shape marks ("ĐÔNG" for "ĐỒNG",
"DẦN" for "DÂN", "Só" for "Số") — do not break a match, and an offset found in the
skeleton is the same offset in ``Document.text``.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache


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


@lru_cache(maxsize=4096)
def skeleton(s: str) -> str:
    """``s`` in upper-case ASCII letters, marks dropped, one character for one character."""
    return s.translate(_TABLE)


__all__ = ["skeleton"]
