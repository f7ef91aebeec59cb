"""Sentence and line spans over ``Document.text``, with exact character offsets.

Every extracted fact carries the sentence it came from as evidence, so the spans must
index the normalised text exactly. underthesea's ``sent_tokenize`` rewrites spacing and
loses offsets, so sentences are cut here by a small rule set instead: a line break, or
``.``/``!``/``?``/``;``-free full stops followed by space and a capital letter, except
after common Vietnamese abbreviations ("TP.", "v.v.", "Tp.").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from functools import lru_cache

from pipeline.models import Table
from pipeline.normalise import fold_tones

# A full stop, "!" or "?" (optionally closing quotes/brackets) + space + an upper-case
# letter or a digit/bullet starts a new sentence.
# The match opens with the stop itself (a class: ``re`` skips to one in C); the cut is after it.
_SENT_END = re.compile(r"""[.!?]["'”’)\]]*\s+(?=[\"“(\[]?[A-ZÀ-ỸĐ0-9•\-+*])""")
_ABBREV = re.compile(r"(?:\b(?:TP|Tp|tp|TX|Tx|v\.v|St|Th\.S|ThS|TS|PGS|GS|Đ/c|đ/c|No|Số|số)\.|\b[A-ZĐ]\.)$")
_ABBREV_WIDTH = 8  # the longest abbreviation ("Th.S.") and the character before it, with room
_LINE = re.compile(r"[^\n]+")
# A numbering token alone ("1.", "I.", "1.2.", "a.") is not a sentence of its own.
_BULLET = re.compile(r"[*#\s]*(?:[0-9]+|[IVXLC]+|[a-zđ])(?:\.[0-9]+)*\.?")


@lru_cache(maxsize=64)
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Return ``(start, end)`` of every sentence, whitespace trimmed, in text order.

    Lines are never joined: a heading or a table row is its own sentence.
    """
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        start = line.start()
        for cut in _SENT_END.finditer(text, line.start(), line.end()):
            stop = cut.start() + 1
            # an abbreviation ends the head: only its last characters are read (``start``
            # follows a line break or a cut's spaces, so the text before it is no word)
            if _ABBREV.search(text, max(start, stop - _ABBREV_WIDTH), stop) or _BULLET.fullmatch(text[start:stop].strip()):
                continue
            _add(spans, text, start, stop)
            start = cut.end()
        _add(spans, text, start, line.end())
    return tuple(spans)


def _add(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


@lru_cache(maxsize=64)
def _starts(text: str) -> tuple[int, ...]:
    return tuple(s for s, _ in sentence_spans(text))


def sentence_span_at(text: str, offset: int) -> tuple[int, int]:
    """The span of the sentence holding ``offset`` (the nearest one before it if the
    offset falls in whitespace between sentences)."""
    spans = sentence_spans(text)
    if not spans:
        return (0, len(text))
    i = max(bisect_right(_starts(text), offset) - 1, 0)
    return spans[i]


def sentence_at(text: str, offset: int) -> str:
    """The sentence of ``text`` that holds ``offset``: the evidence for a fact."""
    s, e = sentence_span_at(text, offset)
    return text[s:e]


@lru_cache(maxsize=64)
def line_spans(text: str) -> tuple[tuple[int, int], ...]:
    """``(start, end)`` of every non-empty line (end excludes the newline)."""
    return tuple((m.start(), m.end()) for m in _LINE.finditer(text))


def line_at(text: str, offset: int) -> tuple[int, int]:
    """The span of the line holding ``offset``."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return (start, len(text) if end < 0 else end)


def layout_lines(text: str, tables: Sequence[Table] = (), end: int | None = None) -> list[tuple[int, str]]:
    """``(offset, line)`` for every line of ``text[:end]``, with tables unfolded.

    A reader gives a layout table (the header's two columns, "Nơi nhận" beside the
    signature) as one text line per row with cells joined by " | "; here each cell's own
    lines come back one by one, column by column (left column first, empty cells
    dropped), so header and signature parsing see each printed block whole. Offsets inside a table are those of the row.
    """
    end = len(text) if end is None else end
    spans = sorted((t for t in tables if t.start < end), key=lambda t: t.start)
    out: list[tuple[int, str]] = []
    pos = 0
    for t in spans:
        out += _plain_lines(text, pos, min(t.start, end))
        width = max((len(row) for row in t.rows), default=0)
        for col in range(width):
            for r, row in enumerate(t.rows):
                if col < len(row) and row[col].strip():
                    at = t.row_starts[r] if r < len(t.row_starts) else t.start
                    out += [(at, line) for line in row[col].split("\n")]
        pos = max(pos, t.end)
    out += _plain_lines(text, pos, end)
    return out


def table_cells(text: str, table: Table) -> Iterator[tuple[int, int, int, str]]:
    """``(row, col, offset, cell)`` of every data row's cells (the header row left out) as
    laid out in ``text`` (each row a line, cells joined by " | "); a row whose line does
    not split into its cells is skipped."""
    for r, row in enumerate(table.rows):
        if r == 0 or r >= len(table.row_starts):
            continue
        at = table.row_starts[r]
        line_end = text.find("\n", at)
        parts = text[at : len(text) if line_end < 0 else line_end].split(" | ")
        if len(parts) != len(row):
            continue
        pos = at
        for c, part in enumerate(parts):
            yield r, c, pos, part
            pos += len(part) + 3


def _plain_lines(text: str, start: int, end: int) -> list[tuple[int, str]]:
    out = []
    while start < end:
        nl = text.find("\n", start, end)
        stop = end if nl < 0 else nl
        out.append((start, text[start:stop]))
        start = stop + 1
    return out


# A line break that only wraps a line (PDF text layers, fixed-width exports): not after
# a sentence end, not before a list marker or heading, not a blank line.
_SOFT_BREAK = re.compile(
    r"(?<![.:;!?\n|])[ \t]*\n(?![ \t]*(?:\n|[-+•*–|]|\d+(?:\.\d+)*[.)]\s|[IVXLC]+[.\-–]\s|[a-zđ]\)\s))"
)


@lru_cache(maxsize=64)
def folded(text: str) -> str:
    """``fold_tones(text)`` (uỷ → ủy, hoá → hóa; same length), cached per text."""
    return fold_tones(text)


@lru_cache(maxsize=64)
def unwrap(text: str) -> str:
    """``text`` with wrapping line breaks turned into spaces (same length, same offsets)."""
    return _SOFT_BREAK.sub(lambda m: " " * len(m.group()), text)


def squash(s: str) -> str:
    """Collapse runs of whitespace (line breaks included) to single spaces and trim."""
    return re.sub(r"\s+", " ", s).strip()


__all__ = ["table_cells", "folded", "unwrap", "layout_lines", "line_at", "line_spans", "sentence_at", "sentence_span_at", "sentence_spans", "squash"]
