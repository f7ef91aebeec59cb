"""Is this text layer real Vietnamese? The share of valid Vietnamese syllables.

Vietnamese is written one syllable per word, and its spelling is closed: an onset, a
rhyme (``patterns/syllables.json``) and at most one tone mark, which a rhyme ending in a
stop (c, ch, p, t) must carry as sắc or nặng. So a text layer can be judged word by word,
which catches what a letter count does not:

- fonts without a Unicode map: ``&ăQ Fͱ /X̵W V͙`` (letters Vietnamese never uses, stray
  combining marks, case changing inside a word);
- a scanner's English OCR layer: ``CQNG HOA XA HQI CHU NGHIA VIET NAM``, ``DQc l$p - Tg
  do`` (no tone marks, so "viet", "phuc", "thuc" are not syllables; digits and symbols
  inside words: ``C6ng``, ``l$p``);
- a text that is simply not Vietnamese (an appendix of chemical names, English): few
  valid syllables, but no sign of a broken layer either.

Numbers, document symbols (anything with "/"), codes in capitals with digits (``QH15``),
capital abbreviations (``UBND``, ``HĐND``) and one-letter words are not counted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from pipeline.pattern_tables import load
from pipeline.read.language import letter_kind

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_STOP_TONES = {"\u0301", "\u0323"}  # sắc, nặng
_VOWELS = set("aăâeêioôơuưy")
_SPLIT = re.compile(r"[-–—]+")
_OUTER = re.compile(r"^[\W_]+|[\W_]+$")
_SKIP_TOKEN = re.compile(r"/|@|://|^www\.")
_ALNUM_DOT = re.compile(r"[\d.,]+")

MIN_WORDS = 12  # fewer counted words than this: too little to judge a page


@dataclass(frozen=True)
class Quality:
    """Word shares of a text (see the module docstring)."""

    words: int  # words counted
    valid: float  # share that are valid Vietnamese syllables
    marked: float  # share carrying a Vietnamese letter or tone mark (ă â ê ô ơ ư đ, a tone)
    junk: float  # share with signs of a broken layer: foreign letters or marks, digits or symbols inside, case changes

    @property
    def verdict(self) -> str:
        """``vietnamese``, ``broken`` (mojibake, a stripped OCR layer), ``foreign`` or ``unknown``.

        Real Vietnamese pages score valid ≥ 0.9 with most words marked; a broken layer shows
        junk words, or Vietnamese-looking words without their marks; a foreign text has few
        valid syllables and no junk.
        """
        if self.words < MIN_WORDS:
            return "broken" if self.words >= 4 and self.junk >= 0.5 else "unknown"
        if self.junk >= 0.12:
            return "broken"
        if self.valid >= 0.75 and self.marked >= 0.3:
            return "vietnamese"
        if self.marked < 0.3 and self.valid >= 0.4:
            return "broken"  # Vietnamese words with their marks stripped: a scanner's OCR layer
        if self.valid >= 0.6:
            return "vietnamese"
        return "broken" if self.junk >= 0.06 else "foreign"


@cache
def _spelling() -> tuple[frozenset[str], frozenset[str]]:
    """(valid toneless syllables, stop rhymes' endings)."""
    t = load("syllables")
    rhymes = list(t["rhymes"])
    front, stops = t["front_letters"], tuple(t["stops"])
    out: set[str] = set()
    for onset in t["onsets"]:
        for rhyme in rhymes:
            first = rhyme[0]
            if onset in t["front_only"] and first not in front:
                continue
            if onset in t["back_only"] and first in front:
                continue
            if onset == "qu" and (first not in t["qu_first_letters"]):
                continue
            if onset == "gi" and first == "i":
                continue
            out.add(onset + rhyme)
        if onset == "gi":  # gì, gìn, giết: the i of gi is the rhyme's own
            out.update("g" + r for r in rhymes if r.startswith("i"))
    out.update("qu" + r for r in t["qu_rhymes"])
    return frozenset(out), frozenset(stops)


@lru_cache(maxsize=1 << 16)
def is_syllable(word: str) -> bool:
    """A valid written Vietnamese syllable (any case; old or new tone placement)."""
    d = unicodedata.normalize("NFD", word.lower())
    tones = [k for k, ch in enumerate(d) if ch in _TONES]
    if len(tones) > 1:
        return False
    syllables, stops = _spelling()
    base = unicodedata.normalize("NFC", "".join(ch for ch in d if ch not in _TONES))
    if base not in syllables:
        return False
    if tones:
        carrier = next((ch for ch in reversed(d[: tones[0]]) if not unicodedata.combining(ch)), "")
        if carrier not in _VOWELS and carrier not in "aeiouy":
            return False
    if base.endswith(tuple(stops)):
        return bool(tones) and d[tones[0]] in _STOP_TONES
    return True


@lru_cache(maxsize=1 << 16)
def _kind(part: str) -> str:
    """``skip``, ``junk``, ``valid`` or ``invalid``; a suffix ``+`` marks a Vietnamese-marked word."""
    if not part or _ALNUM_DOT.fullmatch(part):
        return "skip"
    has_digit = any(ch.isdigit() for ch in part)
    letters = [ch for ch in part if ch.isalpha()]
    if not letters:
        return "skip"
    if any(not (ch.isalnum() or ch in ".'’") for ch in part):
        return "junk"  # a symbol or a stray combining mark inside the word
    if has_digit:
        return "skip" if all(ch.isupper() for ch in letters) else "junk"  # QH15, C04 / C6ng, s6
    if len(letters) == 1:
        return "skip"
    lower = part.lower()
    if any(letter_kind(ch) == "alien" for ch in lower):
        return "junk"
    if not (part.islower() or part.isupper() or (part[0].isupper() and part[1:].islower())):
        return "junk"  # DQc, PhIl, ViQc
    marked = any(letter_kind(ch) == "viet" for ch in lower)
    if is_syllable(part):
        return "valid+" if marked else "valid"
    if part.isupper() and sum(ch in _VOWELS for ch in lower) <= 1:
        return "skip"  # UBND, HĐND, TCCB
    return "invalid+" if marked else "invalid"


@lru_cache(maxsize=1 << 16)
def _token(token: str) -> tuple[str, ...]:
    """The kinds of the parts of one whitespace-separated token."""
    if _SKIP_TOKEN.search(token):
        return ()
    kinds = (_kind(_OUTER.sub("", part)) for part in _SPLIT.split(_OUTER.sub("", token)))
    return tuple(k for k in kinds if k != "skip")


def measure(text: str, max_words: int = 4000) -> Quality:
    """Word shares of ``text`` (its first ``max_words`` counted words)."""
    if "\u00d0" in text or "\u00f0" in text:
        text = text.replace("\u00d0", "Đ").replace("\u00f0", "đ")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    n = valid = marked = junk = 0
    for token in text.split():
        for kind in _token(token):
            n += 1
            valid += kind[0] == "v"
            marked += kind[-1] == "+"
            junk += kind == "junk"
        if n >= max_words:
            break
    if not n:
        return Quality(0, 0.0, 0.0, 0.0)
    return Quality(n, round(valid / n, 3), round(marked / n, 3), round(junk / n, 3))


__all__ = ["MIN_WORDS", "Quality", "is_syllable", "measure"]
