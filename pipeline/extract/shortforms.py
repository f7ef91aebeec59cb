"""Short forms ("Kết luận số 21", "Nghị quyết 34") and how they are resolved.

A short form names a document by type and number only. Following eyecite's
``resolve_citations(resolve_shortcase_citation=...)``, resolution is a function that can
be swapped: the default resolves a short form to a full citation only where exactly one
candidate fits (same type code and number; the issuer, when written, must agree on
central vs local; the date, when written, must agree), and otherwise leaves it
unresolved. A short form with no candidate whose issuer is a central Party body
("Quy định số 46 của Ban Chấp hành Trung ương") is its own citation, ``46-QĐ/TW``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from pipeline.extract.patterns import DocType, code_level, doc_type, is_central_body, tables
from pipeline.identity import Symbol, plain_number, state_code_of
from pipeline.prefilter import Prefilter


@dataclass(frozen=True)
class ShortForm:
    """A type + number mention with no full symbol."""

    start: int
    end: int  # end of the number
    type: DocType
    number: str  # as written: "01"
    date: str | None = None  # ISO, from the words after it
    issuer: str | None = None  # normalised
    tail_end: int = -1  # end of the date/issuer words read after it


class Candidate(Protocol):
    """What a resolver needs to know of a full citation."""

    number: str
    type_code: str
    issuer_code: str
    date: str | None


Resolver = Callable[[ShortForm, Sequence[Candidate]], "int | None"]


@cache
def _short_re() -> Prefilter:
    return Prefilter(re.compile(
        rf"(?P<type>{tables().type_re.pattern})[ \t]+(?:số[ \t]*:?[ \t]*)?(?P<num>\d{{1,5}})"
        r"(?![\d\w/.\-–]|[ \t]*[-–—/][ \t]*[A-Za-zĐđ\d])",
        re.IGNORECASE,
    ))


def find_short_forms(folded: str) -> list[tuple[int, int, DocType, str]]:
    """``(start, end, type, number)`` of every "TYPE [số] N" not followed by a symbol."""
    out = []
    for m in _short_re().finditer(folded):
        t = doc_type(m.group("type"))
        if t is None or not t.code or (t.capitalised and not m.group("type")[0].isupper()):
            continue
        out.append((m.start(), m.end(), t, m.group("num")))
    return out


@cache
def _anaphor_re() -> Prefilter:
    return Prefilter(re.compile(
        rf"(?P<type>{tables().type_re.pattern})[ \t]+(?P<ref>nói trên|trên|này|đó|vừa nêu|nêu trên)(?!\w)",
        re.IGNORECASE,
    ))


def find_anaphora(folded: str) -> list[tuple[int, int, DocType, str]]:
    """``(start, end, type, word)`` of every "Chỉ thị này", "Kết luận nói trên", ..."""
    out = []
    for m in _anaphor_re().finditer(folded):
        t = doc_type(m.group("type"))
        if t is not None and t.code and m.group("type")[0].isupper():
            out.append((m.start(), m.end(), t, m.group("ref").lower()))
    return out


def resolve_anaphor(start: int, type_: DocType, candidates: Sequence[Candidate], first_at: Sequence[int]) -> int | None:
    """The one earlier-mentioned citation of this type an anaphor ("Chỉ thị này") refers to."""
    hits = [i for i, c in enumerate(candidates) if c.type_code == type_.code and first_at[i] < start]
    return hits[0] if len(hits) == 1 else None


def _fits(short: ShortForm, c: Candidate) -> bool:
    if c.type_code != short.type.code or plain_number(c.number) != plain_number(short.number):
        return False
    if short.issuer:
        central = is_central_body(short.issuer)
        if central != (code_level(c.issuer_code) == "central"):
            return False
    return not (short.date and c.date and short.date != c.date)


def resolve_unique(short: ShortForm, candidates: Sequence[Candidate]) -> int | None:
    """The default resolver: the index of the one candidate that fits, else None."""
    hits = [i for i, c in enumerate(candidates) if _fits(short, c)]
    if len({(candidates[i].number.lstrip("0"), candidates[i].type_code, candidates[i].issuer_code, candidates[i].date) for i in hits}) == 1:
        return hits[0]
    return None


def construct(short: ShortForm) -> Symbol | None:
    """The symbol a short form implies on its own: a Party type + a central issuer → /TW; a
    State type + a central State body named in full → its code ("Công điện 15 của Bộ Xây
    dựng" → 15/CĐ-BXD)."""
    if not short.issuer:
        return None
    state = state_code_of(short.issuer)
    if state is not None and short.type.code:
        return Symbol(short.number, short.type.code, state, state=True, start=short.start, end=short.end)
    if short.type.state_only or not is_central_body(short.issuer):
        return None
    return Symbol(short.number, short.type.code, "TW", start=short.start, end=short.end)


__all__ = [
    "Candidate", "Resolver", "ShortForm", "construct", "find_anaphora", "find_short_forms", "resolve_anaphor",
    "resolve_unique",
]  # fmt: skip
