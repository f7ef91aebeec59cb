"""Tone and shape marks a scan misread, chosen again by a syllable bigram model.

Tesseract reads the letters of a Vietnamese word well and its marks less well: "vôn" for
"vốn", "Tông kết" for "Tổng kết", "tiên bộ" for "tiến bộ". The letters without marks (the
*skeleton*: "von", "tong", "tien") are usually right, so the choices for a shaky word are
the syllables with the same skeleton (its *confusion set*), and the words around it say
which one the writer meant: "Tổng kết", "tiến bộ", "năm 2026 vốn NSTW".

The model (``data/marks.json.gz``, built by ``scripts/build_marks_model.py`` from
Vietnamese text the project has: never downloaded at run time) holds syllable counts and
the counts of syllable pairs. A word is re-spelt only where Tesseract was unsure of it
(its confidence under ``MAX_CONFIDENCE``), the word read is a known syllable or none, and
another member of its confusion set explains its neighbours clearly better
(``MARGIN``, in natural-log units, on top of a prior that favours what was read).
The case of every letter is kept.
"""

from __future__ import annotations

import gzip
import json
import math
import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from importlib import resources

from pipeline.normalise import fold_tones

MAX_CONFIDENCE = 97.0  # Tesseract word confidence (0-100): surer words are kept as read
MARGIN = 1.0  # natural-log odds a respelling must win by, after the prior for the word read
KEEP_PRIOR = 2.0  # log-odds in favour of the reading at confidence 0 ...
SURE = 50.0  # ... growing by KEEP_PRIOR for every SURE points of confidence
LETTER_COST = 0.4  # log-odds against a respelling for each letter whose marks it changes
_LAMBDA = 0.8  # weight of the pair counts against the single counts
_ALIKE = (("u", "v"),)  # first letters Tesseract confuses in italic print
_WORD = re.compile(r"^(\W*)([^\W\d_]+)(\W*)$")


class Model:
    """Syllable and syllable-pair counts; confusion sets by skeleton."""

    def __init__(self, unigrams: dict[str, int], bigrams: dict[str, int]) -> None:
        self.uni = unigrams
        self.bi = bigrams
        self.total = sum(unigrams.values()) or 1
        self.size = len(unigrams) + 1
        self.sets: dict[str, list[str]] = {}
        for syl in unigrams:
            self.sets.setdefault(skeleton(syl), []).append(syl)

    def choices(self, sk: str) -> list[str]:
        """The syllables a word of skeleton ``sk`` may be: the same letters under other
        marks, and an italic "V" read as "U" ("Ứì" for "Vì")."""
        out = list(self.sets.get(sk, ()))
        for a, b in _ALIKE:
            if sk.startswith(a):
                out += self.sets.get(b + sk[len(a) :], ())
        return out

    def p1(self, w: str) -> float:
        return (self.uni.get(w, 0) + 0.1) / (self.total + 0.1 * self.size)

    def p2(self, a: str, b: str) -> float:
        """P(b | a), interpolated with P(b)."""
        n = self.uni.get(a, 0)
        pair = self.bi.get(f"{a} {b}", 0) / n if n else 0.0
        return _LAMBDA * pair + (1 - _LAMBDA) * self.p1(b) if n else self.p1(b)

    def score(self, prev: str | None, w: str, nxt: str | None) -> float:
        s = math.log(self.p2(prev, w)) if prev else math.log(self.p1(w))
        if nxt:
            s += math.log(self.p2(w, nxt))
        return s


@cache
def model() -> Model | None:
    """The shipped model, or None when the package has none."""
    try:
        raw = resources.files("pipeline.read").joinpath("data/marks.json.gz").read_bytes()
    except (FileNotFoundError, ModuleNotFoundError, OSError):
        return None
    data = json.loads(gzip.decompress(raw))
    return Model(data["unigrams"], data["bigrams"])


@cache
def _skeleton_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0xC0, 0x1F00):
        base = unicodedata.normalize("NFD", chr(cp))[0]
        if base.isascii() and base.isalpha():
            table[cp] = base.lower()
    table[ord("đ")] = table[ord("Đ")] = "d"
    return table


def skeleton(word: str) -> str:
    """The word in lower-case ASCII letters, marks dropped ("Tổng" → "tong")."""
    return word.lower().translate(_skeleton_table())


def respell(words: Sequence[tuple[str, float]], m: Model | None = None) -> list[str]:
    """The words of one printed line (text and Tesseract confidence, in order), each shaky
    one re-spelt as the model prefers; the others as read."""
    m = m or model()
    out = [w for w, _ in words]
    if m is None:
        return out
    parts = [_WORD.match(w) for w, _ in words]
    cores = [fold_tones(p.group(2).lower()) if p else None for p in parts]
    for i, ((text, conf), p) in enumerate(zip(words, parts)):
        if p is None or conf >= MAX_CONFIDENCE or len(p.group(2)) < 2:
            continue
        core = cores[i]
        choices = m.choices(skeleton(core))  # type: ignore[arg-type]
        if len(choices) < 2 and (not choices or choices[0] == core):
            continue
        # neighbours only across plain spaces: punctuation ends the context
        prev = cores[i - 1] if i and parts[i - 1] and not parts[i - 1].group(3) and not p.group(1) else None
        nxt = cores[i + 1] if i + 1 < len(words) and parts[i + 1] and not p.group(3) and not parts[i + 1].group(1) else None
        if prev is None and nxt is None and core in m.uni:
            continue  # no context, and what was read is a word the model knows
        keep = m.score(prev, core, nxt) + KEEP_PRIOR * (1 + conf / SURE)  # type: ignore[arg-type]

        def score(c: str) -> float:  # a reading that misread fewer letters is likelier
            return m.score(prev, c, nxt) - LETTER_COST * _misread(c, core)  # type: ignore[arg-type]

        best = max(choices, key=score)
        if best != core and score(best) > keep + MARGIN:
            out[i] = p.group(1) + _cased(p.group(2), best) + p.group(3)
            cores[i] = best
    return out


def _misread(a: str, b: str) -> int:
    """Letters of ``a`` read as another letter in ``b`` (a different mark or base letter)."""
    return sum(x != y for x, y in zip(a, b)) + abs(len(a) - len(b))


def _cased(model_word: str, word: str) -> str:
    """``word`` with the case of ``model_word`` letter by letter (same skeleton)."""
    if len(model_word) != len(word):
        return word.upper() if model_word.isupper() else (word[:1].upper() + word[1:] if model_word[:1].isupper() else word)
    return "".join(c.upper() if o.isupper() else c for o, c in zip(model_word, word))


__all__ = ["MAX_CONFIDENCE", "Model", "model", "respell", "skeleton"]
