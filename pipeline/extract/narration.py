"""Where a time phrase narrates instead of setting a limit.

A document sets its deadlines in its tasks; the same time words elsewhere tell what
happened or describe something else, and are not deadlines (``shared/gold/NOTES.md``:
past events, report periods, dates of cited documents). This module finds those places
from the document's structure and from the clause a phrase stands in, so the phrase
rules of :mod:`pipeline.extract.deadlines` need not know about them:

- zones that only frame the text: page furniture, footnotes, the place-date line, the
  signature and the "Nơi nhận" list;
- sections that report results or assess the situation ("KẾT QUẢ THỰC HIỆN", "Tình hình
  …", "Nhận xét, đánh giá"), and a subject line worded so ("Tình hình … quý II");
- the appendix of a submission or a report (a draft laid before the superior, data
  tables): its tasks are the draft's, not this document's;
- a clause that states a past fact ("Sở đã ban hành …");
- the period a report names for its own content ("Sở báo cáo tình hình quý II/2025 như sau").

Word lists are in ``pipeline/patterns/time_phrases.json`` (``narration``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from pipeline.extract import patterns
from pipeline.extract.scope import Scope
from pipeline.structure.view import Structure

_GAP = r"[\s*_]+"
# Zones that frame the text and set no task.
_FRAME_ZONES = frozenset(
    {"motto", "parent_body", "issuer", "number", "place_date", "addressee", "page_furniture", "footnotes", "recipients", "signature"}
)
# A clause ends at punctuation or at a line break.
_CLAUSE_END = re.compile(r"[.;:!?(),\n|]")


@dataclass(frozen=True)
class _Words:
    heading: re.Pattern[str]  # the title of a section that narrates
    past: re.Pattern[str]  # a past-tense marker in the clause before a phrase
    ahead: re.Pattern[str]  # a marker of what is still to be done, after the past one
    report: re.Pattern[str]  # "báo cáo (kết quả …)" right before a bare period
    bare: re.Pattern[str]  # a period written without a window word
    attachment_types: frozenset[str]  # types whose appendix is submitted material


@cache
def _words() -> _Words:
    t = patterns.load("time_phrases")["narration"]
    fill = lambda s: s.replace("$gap", _GAP)  # noqa: E731
    return _Words(
        heading=re.compile(fill(t["heading"]), re.IGNORECASE),
        past=re.compile(rf"(?<![^\W_])(?:{fill(t['past'])})(?![^\W_])", re.IGNORECASE),
        ahead=re.compile(rf"(?<![^\W_])(?:{fill(t['ahead'])})(?![^\W_])", re.IGNORECASE),
        report=re.compile(rf"(?<![^\W_])(?:{fill(t['report'])})[\s*_]*$", re.IGNORECASE),
        bare=re.compile(fill(t["bare"]), re.IGNORECASE),
        attachment_types=frozenset(t["attachment_types"]),
    )


class Narration:
    """The places of one document where time phrases narrate (see the module docstring)."""

    def __init__(self, text: str, scope: Scope, doc_type: str | None) -> None:
        self.text = text
        w = _words()
        spans = [(z.start, z.end) for z in scope.zones if z.kind in _FRAME_ZONES]
        if doc_type in w.attachment_types:
            spans += [(z.start, z.end) for z in scope.zones if z.kind == "appendix"]
        if scope.zones:
            spans += [(s.start, s.end) for s in Structure(scope.text, scope.zones).sections if w.heading.match(s.title)]
            # a report's subject line "Tình hình … quý II năm 2025" names its content
            spans += [(z.start, z.end) for z in scope.zones if z.kind == "title" and w.heading.match(text, z.start)]
        spans.sort()
        self._starts = [s for s, _ in spans]
        self._ends = []
        reach = -1
        for _, e in spans:  # the furthest end of any span starting at or before each one
            reach = max(reach, e)
            self._ends.append(reach)

    def in_narrating_zone(self, pos: int) -> bool:
        i = bisect_right(self._starts, pos) - 1
        return i >= 0 and pos < self._ends[i]

    def clause_before(self, pos: int) -> str:
        """The words between the last clause break and ``pos``."""
        window = self.text[max(0, pos - 160) : pos]
        cut = max((m.end() for m in _CLAUSE_END.finditer(window)), default=0)
        return window[cut:]

    def narrates(self, start: int, end: int, limit: bool = False) -> bool:
        """Whether the time phrase at ``text[start:end]`` narrates rather than sets a limit.

        A ``limit`` ("trước ngày …", "chậm nhất …") looks forward by its words, so a past
        marker before it belongs to a relative clause ("đơn vị đã đăng ký gửi hồ sơ trước
        ngày …"); a limit that has passed is dropped by its date instead.
        """
        if self.in_narrating_zone(start):
            return True
        w = _words()
        clause = self.clause_before(start)
        past = None
        for past in w.past.finditer(clause):
            pass
        if past is not None and not limit and not w.ahead.search(clause, past.end()):
            return True  # "… đã tổ chức hội nghị … năm 2024"
        return bool(w.bare.match(self.text, start, end) and w.report.search(clause))


__all__ = ["Narration"]
