"""Legacy font encodings (TCVN3/ABC, VNI) converted to Unicode, word by word.

Documents typed with ``.VnTime`` (TCVN3) or ``VNI-Times`` fonts store Vietnamese letters
on Latin-1 code points, so their text reads "Céng hoµ x· héi" (TCVN3) or "Coäng hoøa xaõ
hoäi" (VNI). The mapping is data (``patterns/legacy_encodings.json``). A text is converted
when one of the two encodings turns it into valid Vietnamese (``quality.measure``). A word
is converted when its conversion is a valid syllable and either it is not one itself, or
the text as a whole is not Vietnamese as it stands (then "sè" is TCVN3 "số", though "sè"
is a syllable too). So Unicode runs inside a mostly Unicode document (a title typed in
Times New Roman) stay as they are.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache

from pipeline.pattern_tables import load
from pipeline.read.quality import is_syllable, measure

_WORD = re.compile(r"[^\s\d/().,;:!?\"“”'‘’\[\]{}<>|=+*&%$#@_–—-]+")
_VOWELS = set("aăâeêioôơuưyAĂÂEÊIOÔƠUƯY")
ENCODINGS = ("tcvn3", "vni")


@cache
def _tables() -> dict[str, dict[str, str]]:
    return load("legacy_encodings")  # type: ignore[no-any-return]


def _tcvn3(word: str) -> str:
    table = _tables()["tcvn3"]
    return unicodedata.normalize("NFC", "".join(table.get(ch, ch) for ch in word))


def _vni(word: str) -> str:
    letters, marks = _tables()["vni_letters"], _tables()["vni_marks"]
    out: list[str] = []
    for ch in word:
        if ch in marks and out and unicodedata.normalize("NFD", out[-1])[0] in _VOWELS:
            out[-1] = unicodedata.normalize("NFC", out[-1] + marks[ch])
        else:
            out.append(letters.get(ch, ch))
    return unicodedata.normalize("NFC", "".join(out))


_CONVERT: dict[str, Callable[[str], str]] = {"tcvn3": _tcvn3, "vni": _vni}


def _legacy_chars() -> frozenset[str]:
    t = _tables()
    return frozenset(t["tcvn3"]) | frozenset(t["vni_letters"]) | frozenset(t["vni_marks"])


def convert(text: str, encoding: str) -> str:
    """``text`` with its legacy-encoded words converted (see the module docstring)."""
    conv = _CONVERT[encoding]
    chars = _legacy_chars()
    whole = measure(text[:20000]).verdict != "vietnamese"

    def one(m: re.Match[str]) -> str:
        w = m.group(0)
        if not any(ch in chars for ch in w) or (not whole and is_syllable(w)):
            return w
        c = conv(w)
        return c if c != w and is_syllable(c) else w

    return _WORD.sub(one, text)


def detect(text: str) -> str | None:
    """The legacy encoding that makes ``text`` valid Vietnamese, or None."""
    sample = text[:20000]
    chars = _legacy_chars()
    if sum(ch in chars for ch in sample) < 5:
        return None
    before = measure(sample)
    if before.verdict == "vietnamese" and before.valid >= 0.9:
        return None
    best, best_valid = None, before.valid
    for enc in ENCODINGS:
        q = measure(convert(sample, enc))
        if q.verdict == "vietnamese" and q.valid >= best_valid + 0.15:
            best, best_valid = enc, q.valid
    return best


NAMES = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI"}

__all__ = ["ENCODINGS", "NAMES", "convert", "detect"]
