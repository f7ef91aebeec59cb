"""Every extracted fact marked at its place in a document's normalised text.

The stored facts carry offsets into ``texts.text``; their ``text`` columns are squashed
(runs of whitespace made one space), so a fact is found again at its offset by a pattern
that allows any whitespace between its words (and tone marks in either style). A fact
that cannot be found there is still listed, with an anchor at its offset.

Facts overlap (a deadline inside an assignment's sentence), so the text is cut at every
fact boundary into segments, each carrying the kinds of all the facts covering it; the
template renders one ``<mark>`` per segment with those kinds as classes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipeline.normalise import fold_tones

# The order kinds are drawn in: a later kind's colour wins where facts overlap.
KINDS = ("evidence", "assignment", "number", "deadline", "citation")
WINDOW = 600  # characters after the offset in which a displaced fact is looked for
# A citation mention without a stored end: up to the end of the first symbol-like word.
_SYMBOL_END = re.compile(r"[^\n]{0,80}?\d[\w./]*(?:\s*[-–]\s*[A-ZĐ][\w./-]*)?")


@dataclass(frozen=True)
class Mark:
    """One fact's span: ``ref`` is its anchor id (unique in the page)."""

    start: int
    end: int
    kind: str
    ref: str


@dataclass(frozen=True)
class Segment:
    """A run of text covered by the same facts; ``anchors`` are the refs starting here."""

    text: str
    kinds: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()
    anchors: tuple[str, ...] = ()


def _pattern(phrase: str) -> re.Pattern[str] | None:
    words = fold_tones(phrase).split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)


def locate(text: str, folded: str, offset: int | None, phrase: str | None) -> tuple[int, int] | None:
    """The span of ``phrase`` at ``offset`` in ``text``, or the first one after it.

    ``folded`` is ``fold_tones(text)`` (same length). None if the offset is missing or
    the phrase is not found within :data:`WINDOW` characters.
    """
    if offset is None or offset < 0 or offset > len(text):
        return None
    pattern = _pattern(phrase or "")
    if pattern is None:
        return None
    found = pattern.match(folded, offset) or pattern.search(folded, offset, min(len(text), offset + WINDOW))
    return (found.start(), found.end()) if found else None


def mention_end(text: str, start: int) -> int:
    """Where a citation mention starting at ``start`` ends, when the store has no end."""
    found = _SYMBOL_END.match(text, start)
    if found:
        return found.end()
    word = re.compile(r"\S+").match(text, start)
    return word.end() if word else start


def sentence_mark(text: str, offset: int, ref: str) -> Mark:
    """The sentence holding ``offset``, marked as evidence (the extractor's own sentence cut)."""
    from pipeline.extract.text import sentence_span_at  # the extract package is slow to import: not at startup

    start, end = sentence_span_at(text, offset)
    return Mark(start, end, "evidence", ref)


def segments(text: str, marks: Iterable[Mark]) -> list[Segment]:
    """Cut ``text`` at every mark boundary; each piece knows the marks covering it."""
    marks = [m for m in marks if 0 <= m.start <= m.end <= len(text)]
    cuts = sorted({0, len(text)} | {m.start for m in marks} | {m.end for m in marks})
    starts: dict[int, list[str]] = {}
    for m in sorted(marks, key=lambda m: (m.start, KINDS.index(m.kind) if m.kind in KINDS else 0)):
        starts.setdefault(m.start, []).append(m.ref)
    by_start = sorted(marks, key=lambda m: m.start)
    active: list[Mark] = []
    out: list[Segment] = []
    j = 0
    for a, b in zip(cuts, cuts[1:] + [None]):
        while j < len(by_start) and by_start[j].start <= a:
            active.append(by_start[j])
            j += 1
        active = [m for m in active if m.end > a or (m.start == m.end == a)]
        if b is None:
            if starts.get(a):
                out.append(Segment("", anchors=tuple(starts[a])))
            break
        covering = [m for m in active if m.start <= a and m.end >= b and m.end > m.start]
        kinds = tuple(k for k in KINDS if any(m.kind == k for m in covering))
        out.append(Segment(text[a:b], kinds, tuple(m.ref for m in covering), tuple(starts.get(a, ()))))
    return _merge(out)


def _merge(parts: Sequence[Segment]) -> list[Segment]:
    """Join neighbours with the same marks and no anchor between them (fewer tags)."""
    out: list[Segment] = []
    for p in parts:
        if out and not p.anchors and out[-1].kinds == p.kinds and out[-1].refs == p.refs:
            out[-1] = Segment(out[-1].text + p.text, p.kinds, p.refs, out[-1].anchors)
        elif p.text or p.anchors:
            out.append(p)
    return out


__all__ = ["KINDS", "Mark", "Segment", "locate", "mention_end", "segments", "sentence_mark"]
