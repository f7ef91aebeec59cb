"""A name or a title spelt the way the document itself spells it.

Header lines are printed in capitals, so their case is lost ("SỞ CÔNG THƯƠNG" could be
"Sở Công thương" or "Sở Công Thương"), and a scan misreads marks ("LÂM ĐÔNG", "Phôi hợp
kiêm soát"). The running text usually writes the same words again. Matched on the
skeleton (marks dropped, so a misread mark does not matter), a stretch of two words or
more is taken over as the text writes it most often:

- :func:`as_written` takes the text's case and marks (a body's name: "Sở Nội vụ");
- :func:`repaired` takes only its marks and keeps the case as read (an OCR'd title, or a
  header line in capitals), and spells a province as the gazetteer does;
- :func:`extended` completes a name the text always writes one word longer ("Văn phòng
  Trung ương" → "Văn phòng Trung ương Đảng").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from functools import cache, lru_cache

from pipeline.pattern_tables import load
from pipeline.structure.skeleton import skeleton

_MAX_SPAN = 8  # words: longer stretches are rarely repeated word for word
# A run of whitespace other than a single space: from a space, two or more characters; else
# the whole run from its first (tab, line break, ...) character.
_WIDE_SPACES = re.compile(r" \s+|[^\S ]\s*")


@lru_cache(maxsize=8)
def _skeleton_of(text: str) -> str:
    return skeleton(text)


@cache
def _provinces() -> dict[str, str]:
    return {" ".join(skeleton(p).split()): p for p in load("places")["provinces"]}


@lru_cache(maxsize=8)
def _squashed(text: str) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """The skeleton of ``text`` with every run of whitespace one space (so phrases are
    found with ``str.find``), and where offsets shift: from ``starts[i]`` on, an offset in
    it is ``shifts[i]`` less than in ``text``."""
    sk = _skeleton_of(text)
    starts: list[int] = []
    shifts: list[int] = []
    shift = 0
    for m in _WIDE_SPACES.finditer(sk):  # the runs that are not one space already
        starts.append(m.start() - shift + 1)
        shift += m.end() - m.start() - 1
        shifts.append(shift)
    return _WIDE_SPACES.sub(" ", sk), tuple(starts), tuple(shifts)


def _in_text(pos: int, starts: tuple[int, ...], shifts: tuple[int, ...]) -> int:
    i = bisect_right(starts, pos) - 1
    return pos + (shifts[i] if i >= 0 else 0)


def _occurrences(
    phrase: list[str], text: str, before: str = "", skip: tuple[int, int] = (0, 0), inside: bool = False
) -> Counter[str]:
    """How ``text`` writes ``phrase`` (matched on the skeleton), whitespace squashed; with
    ``before``, only where that word stands right before it; with ``inside``, only inside a
    sentence (after a word in lower case); ``skip``: a span not counted."""
    flat, starts, shifts = _squashed(text)
    target = " ".join(skeleton(w) for w in phrase)
    lead = f"{skeleton(before)} " if before else ""
    needle = lead + target
    found: Counter[str] = Counter()
    at = flat.find(needle)
    while at >= 0:
        end = at + len(needle)
        if (at == 0 or not flat[at - 1].isalnum()) and (end == len(flat) or not flat[end].isalnum()):
            s, e = _in_text(at + len(lead), starts, shifts), _in_text(end - 1, starts, shifts) + 1
            if not skip[0] <= s < skip[1] and (not inside or _after_lower(text, s)):
                found[" ".join(text[s:e].split())] += 1
        at = flat.find(needle, at + 1)
    return found


def _after_lower(text: str, at: int) -> bool:
    """A lower-case word stands right before ``at`` (so ``at`` opens no sentence)."""
    i = at - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i >= 0 and i < at - 1 and text[i].islower()


def _spans(words: list[str], pick: object, longest: int = _MAX_SPAN) -> list[str]:
    """``words`` with each longest stretch (2..``longest`` words) that ``pick(stretch,
    word before it)`` respells replaced by its respelling, left to right."""
    out: list[str] = []
    i = 0
    while i < len(words):
        for j in range(min(len(words), i + longest), i + 1, -1):
            found = pick(words[i:j], words[i - 1] if i else "", i)  # type: ignore[operator]
            if found:
                out += found.split()
                i = j
                break
        else:
            out.append(words[i])
            i += 1
    return out


@lru_cache(maxsize=1)
def _known_phrases() -> dict[str, tuple[list[str], ...]]:
    """The phrases whose case is known (issuers.json), lower-cased words, by first word."""
    from pipeline.extract.patterns import tables

    out: dict[str, list[list[str]]] = {}
    for phrase in tables().upper_phrases:
        p = phrase.lower().split()
        if p:
            out.setdefault(p[0], []).append(p)
    return {k: tuple(v) for k, v in out.items()}


def _in_known_phrases(words: list[str]) -> set[int]:
    """Indexes of the words that stand inside a phrase whose case is known (issuers.json)."""
    lower = [w.lower() for w in words]
    known = _known_phrases()
    fixed: set[int] = set()
    for i, w in enumerate(lower):
        for p in known.get(w, ()):
            if lower[i : i + len(p)] == p:
                fixed.update(range(i, i + len(p)))
    return fixed


def as_written(name: str, text: str) -> str:
    """``name`` with each stretch that starts with a capital spelt as ``text`` writes it in
    ordinary case (a capitalised, not all-capital occurrence) more often than as ``name``
    writes it; a spelling that differs only in case must be seen twice. The first letter
    stays a capital."""
    words = name.split()
    if len(words) < 2 or not text:
        return name

    fixed = _in_known_phrases(words)

    def pick(phrase: list[str], before: str, i: int) -> str | None:
        # A stretch inside the name is matched after the word before it, or inside a sentence,
        # not where it may open one ("Nhân dân tỉnh …"); one that opens the name must open
        # with a capital; a word of a body's standard name ("Ủy ban nhân dân") keeps its case.
        anchor = before if not phrase[0][:1].isupper() else ""
        if anchor and i in fixed:
            return None
        found = _occurrences(phrase, text, anchor)
        if anchor:
            found += _occurrences(phrase, text, inside=True)
        seen = Counter({c: n for c, n in found.items() if (anchor or c[:1].isupper()) and not c.isupper()})
        if not seen:
            return None
        ours = " ".join(phrase)
        best, count = seen.most_common(1)[0]
        if seen[ours] >= count or (best.lower() == ours.lower() and count < 2):
            return ours if seen[ours] else None
        return best

    res = " ".join(_spans(words, pick, longest=len(words)))
    return res[:1].upper() + res[1:]


def repaired(phrase: str, text: str, skip: tuple[int, int] = (0, 0)) -> str:
    """``phrase`` (read by OCR) with its marks as ``text`` writes the same words most often
    (not counting the span ``skip``, where the phrase itself stands), or as the gazetteer
    spells a province; the case of each letter kept."""
    words = phrase.split()
    if not words:
        return phrase

    def pick(span: list[str], before: str, i: int) -> str | None:
        place = _provinces().get(" ".join(skeleton(w) for w in span))
        if place:
            return _cased(span, place.split())
        if not text:
            return None
        seen: Counter[str] = Counter()
        for cand, n in _occurrences(span, text, skip=skip).items():
            seen[cand.lower()] += n
        ours = " ".join(span).lower()
        best, count = seen.most_common(1)[0] if seen else ("", 0)
        if not count or best == ours or seen[ours] >= count:
            return None
        return _cased(span, best.split())

    return " ".join(_spans(words, pick))


def _cased(model: list[str], words: list[str]) -> str:
    """``words`` with the case of ``model``, letter by letter (the words have equal skeletons)."""
    out = []
    for m, w in zip(model, words):
        out.append("".join(c.upper() if o.isupper() else c.lower() for o, c in zip(m, w)) + w[len(m) :])
    return " ".join(out)


def extended(name: str, text: str) -> str:
    """``name`` and the capitalised word the running text always writes after it (three
    times or more, and four times in five), as in "Văn phòng Trung ương Đảng"."""
    words = name.split()
    if len(words) < 2:
        return name
    flat, starts, shifts = _squashed(text)
    needle = " ".join(skeleton(w) for w in words)
    after: Counter[str] = Counter()
    total = 0
    at = flat.find(needle)
    while at >= 0:
        end = at + len(needle)
        if (at == 0 or not flat[at - 1].isalnum()) and (end == len(flat) or not flat[end].isalnum()):
            s, e = _in_text(at, starts, shifts), _in_text(end - 1, starts, shifts) + 1
            if not text[s:e].isupper():  # not the header's own capitals
                total += 1
                nxt = re.match(r"[ \t]+(\w+)", text[e : e + 30])
                if nxt and nxt.group(1)[:1].isupper() and not nxt.group(1).isupper():
                    after[nxt.group(1)] += 1
        at = flat.find(needle, at + 1)
    if not after or total < 3:
        return name
    word, count = after.most_common(1)[0]
    return f"{name} {word}" if count >= 0.8 * total else name


def as_used(phrase: str, text: str, shaky: set[str], skip: tuple[int, int] = (0, 0)) -> str:
    """``phrase`` (read by OCR) with each word Tesseract was unsure of (``shaky``: such
    words, lower-cased) spelt as ``text`` writes it elsewhere, where one word alone can
    decide (a misread mark at a line's end, its neighbours on other lines: "vôn"): the
    text never writes the word as read, and writes one same-skeleton word at least
    ``MIN_USES`` times and more than twice as often as any other; ``skip``: the span
    where the phrase itself stands. The case of each letter is kept."""
    words = [(w, re.fullmatch(r"(\W*)([^\W\d_]+)(\W*)", w)) for w in phrase.split()]
    if not any(m and m.group(2).lower() in shaky for _, m in words):
        return phrase
    uses: dict[str, Counter[str]] = {}  # skeleton → how the text spells it (the phrase's own span left out)
    for w in re.finditer(r"[^\W\d_]+", text):
        if not skip[0] <= w.start() < skip[1]:
            uses.setdefault(skeleton(w.group()), Counter())[w.group().lower()] += 1
    out = []
    for word, m in words:
        if not m or m.group(2).lower() not in shaky:
            out.append(word)
            continue
        core = m.group(2)
        seen = uses.get(skeleton(core), Counter())
        ranked = seen.most_common(2)
        if seen[core.lower()] or not ranked or ranked[0][1] < MIN_USES or (len(ranked) > 1 and ranked[0][1] <= 2 * ranked[1][1]):
            out.append(word)
            continue
        out.append(m.group(1) + _cased([core], [ranked[0][0]]) + m.group(3))
    return " ".join(out)


MIN_USES = 2


__all__ = ["as_used", "as_written", "extended", "repaired"]
