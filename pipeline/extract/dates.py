"""Dates in every way Vietnamese documents write them, with exact spans.

Forms: "ngày 25/10/2021", "25-10-2021", "25.10.2021", "ngày 25 tháng 10 năm 2021"
(also the glued "03tháng 3năm 2022" of some exports), "tháng 3/2022",
"tháng 3 năm 2022", "năm 2021", "ngày 25/10" (no year). Each match records its
precision so that later stages (deadlines) can turn it into a window:
``first``/``last`` give the first and last day the mention covers.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from pipeline.prefilter import Prefilter

_SP = r"[ \t\u00a0]*"
_DAY = r"(?P<d>0?[1-9]|[12][0-9]|3[01])"
_MON = r"(?P<m>0?[1-9]|1[0-2])"
_YEAR = r"(?P<y>(?:1[89]|20)\d{2})"
_SEP = rf"{_SP}[/\-.–]{_SP}"

# Order matters: the longest forms first; matches never overlap. A day is a whole number
# ("ngày 99 tháng 10", a misread day, holds no "9 tháng 10").
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "day",
        re.compile(
            rf"(?:(?<![\w/])ngày{_SP})?(?<!\d){_DAY}{_SP}tháng{_SP}{_MON}{_SP}(?:,{_SP})?năm{_SP}{_YEAR}(?!\d)",
            re.IGNORECASE,
        ),
    ),
    ("day", re.compile(rf"(?:(?<![\w/])ngày{_SP})?(?<![\d/.\-])\b{_DAY}{_SEP}{_MON}{_SEP}{_YEAR}(?![\d/])", re.IGNORECASE)),
    ("month", re.compile(rf"(?<!\w)tháng{_SP}{_MON}{_SP}(?:năm{_SP}|[/\-.]{_SP}){_YEAR}(?!\d)", re.IGNORECASE)),
    ("daymonth", re.compile(rf"(?<![\w/])ngày{_SP}(?<!\d){_DAY}{_SP}(?:/|tháng{_SP}){_SP}{_MON}(?![\d/])", re.IGNORECASE)),
    ("year", re.compile(rf"(?<!\w)năm{_SP}{_YEAR}(?![\d/])", re.IGNORECASE)),
)


_DIGIT = re.compile(r"\d")
# Each form tried only where a match can start ("ngày", "tháng", "năm", a digit).
_PREFILTERED = tuple((kind, Prefilter(rx)) for kind, rx in _PATTERNS)


@dataclass(frozen=True)
class DateMatch:
    """A date written in the text; ``day``/``month``/``year`` are None where not written."""

    start: int
    end: int
    text: str
    year: int | None
    month: int | None = None
    day: int | None = None
    precision: str = "day"  # day | month | year | daymonth

    @property
    def date(self) -> date | None:
        """The exact day, when the text gives day, month and year."""
        if self.year and self.month and self.day:
            return date(self.year, self.month, self.day)
        return None

    @property
    def iso(self) -> str | None:
        d = self.date
        return d.isoformat() if d else None

    @property
    def first(self) -> date | None:
        """The first day covered ("tháng 3/2022" → 2022-03-01)."""
        if not self.year:
            return None
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def last(self) -> date | None:
        """The last day covered ("tháng 3/2022" → 2022-03-31)."""
        if not self.year:
            return None
        if self.day and self.month:
            return date(self.year, self.month, self.day)
        month = self.month or 12
        return date(self.year, month, calendar.monthrange(self.year, month)[1])


def _build(kind: str, m: re.Match[str], offset: int) -> DateMatch | None:
    g = m.groupdict()
    y = int(g["y"]) if g.get("y") else None
    mo = int(g["m"]) if g.get("m") else None
    d = int(g["d"]) if g.get("d") else None
    if d and mo:
        try:
            date(y or 2000, mo, d)  # 2000 is a leap year: 29/2 without a year is fine
        except ValueError:
            return None
    return DateMatch(m.start() + offset, m.end() + offset, m.group(), y, mo, d, kind)


def find_dates(text: str, start: int = 0, end: int | None = None) -> tuple[DateMatch, ...]:
    """All dates in ``text[start:end]``, in text order, spans as offsets into ``text``."""
    chunk = text[start:end]
    if _DIGIT.search(chunk) is None:
        return ()  # every form holds a digit
    taken: list[tuple[int, int]] = []
    found: list[DateMatch] = []
    for kind, rx in _PREFILTERED:
        for m in rx.finditer(chunk):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            dm = _build(kind, m, start)
            if dm is None:
                continue
            taken.append((m.start(), m.end()))
            found.append(dm)
    return tuple(sorted(found, key=lambda x: x.start))


def parse_date(s: str) -> date | None:
    """The first full date (day, month, year) written in ``s``, else None.

    >>> parse_date("ngày 25 tháng 10 năm 2021")
    datetime.date(2021, 10, 25)
    """
    for dm in find_dates(s):
        if dm.date:
            return dm.date
    return None


def parse_iso(s: str) -> str | None:
    """``parse_date`` as an ISO string."""
    d = parse_date(s)
    return d.isoformat() if d else None


__all__ = ["DateMatch", "find_dates", "parse_date", "parse_iso"]
