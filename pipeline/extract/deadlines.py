"""Time limits and windows a plan sets, as date ranges ("trong tháng 3/2022" → March 2022).

A deadline is a time phrase: a window ("trong Quý I/2022", "6 tháng đầu năm"), a limit
("trước ngày 30/6/2022"), an opening ("từ năm 2022", "sau ngày 15/3/2026"), a range
("từ tháng 5 đến tháng 10/2023"), or a timing with no bounds: recurring ("hằng năm",
"thường xuyên", "định kỳ"), relative ("trước 07 ngày tổ chức hội nghị") or conditional
("theo yêu cầu của cấp ủy cấp trên"). Bare dates are not deadlines: dates of cited
documents and of past events carry no trigger word, and windows that closed before the
document's date are dropped. Where the year is omitted it comes from another time phrase
of the same sentence, else from the document's date, else from the latest full date
written in the document (the rules of ``shared/gold/NOTES.md``).

Phrase shapes are regexes assembled once from ``pipeline/patterns/time_phrases.json``;
day-month-year values are read with :mod:`pipeline.extract.dates`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache

from pipeline.extract import patterns
from pipeline.extract.dates import find_dates
from pipeline.extract.narration import Narration
from pipeline.prefilter import Prefilter
from pipeline.extract.scope import Scope
from pipeline.extract.sections import paragraphs
from pipeline.extract.text import sentence_at, sentence_span_at, squash
from pipeline.identity import UPPER
from pipeline.models import Deadline, Document, Header

_OPEN_PAST_YEARS = 2  # an open window may start this many years before the document
_GAP = r"[\s*_]+"
_G0 = r"[\s*_]*"
_Y = r"(?:1[89]|20)\d{2}(?!\d)"
_ROMAN_Q = r"(?:IV|III|II|I|[1-4])(?!\w)"


def _fill(fragment: str) -> str:
    return fragment.replace("$gap", _GAP)


# ----------------------------------------------------------------------------- atoms
# One time atom: a day, a month, a quarter, a half year, an edge of a period, a year.
_FRAG = {
    "half": rf"(?:(?:6|sáu){_GAP}tháng|nửa){_GAP}(?P<hside>đầu|cuối){_GAP}năm(?:{_GAP}(?P<hy>{_Y}))?",
    "edge": (
        rf"(?:(?P<ew>tuần){_GAP})?(?P<eside>cuối|đầu|giữa){_GAP}(?:"
        rf"quý{_GAP}(?P<eq>{_ROMAN_Q})(?:{_G0}(?:/|năm|-){_G0}(?P<eqy>{_Y}))?"
        rf"|tháng{_G0}(?P<em>\d{{1,2}})(?![\d.])(?:{_G0}(?:/|năm|-){_G0}(?P<emy>{_Y}))?"
        rf"|năm(?:{_GAP}(?P<ey>{_Y}))?)"
    ),
    "day": rf"(?:ngày{_G0})?\d{{1,2}}{_G0}(?:[/.\-]|{_GAP}tháng{_GAP}){_G0}\d{{1,2}}{_G0}(?:[/.\-]|{_GAP}(?:,{_G0})?năm{_GAP}){_G0}{_Y}",
    "quarter": rf"quý{_GAP}(?P<q>{_ROMAN_Q})(?:{_G0}(?:/|năm|-){_G0}(?P<qy>{_Y}))?",
    "month": rf"tháng{_G0}(?P<m>\d{{1,2}})(?![\d.])(?:{_G0}(?:/|năm|-){_G0}(?P<my>{_Y}))?",
    "dmon": rf"(?:ngày{_G0})?(?P<dd>\d{{1,2}}){_G0}/{_G0}(?P<ddm>\d{{1,2}})(?![\d/])",
    # "ngày 23 tháng 1" with no year (a table under a "(Năm 2026)" column head)
    "dmonw": rf"ngày{_G0}(?P<wd>\d{{1,2}}){_GAP}tháng{_GAP}(?P<wm>\d{{1,2}})(?!{_G0}(?:[/.\-]|,?{_G0}năm){_G0}\d)(?!\d)",
    "year": rf"năm{_GAP}(?P<yy>{_Y})",
    "bare": rf"(?<![\d/.\-])(?P<by>{_Y})",
}
_ATOM = "|".join(f"(?P<{k}>{v})" for k, v in _FRAG.items())
# "17 giờ 00, ", "8h00'", "20 giờ 15 phút", "14h30’ sáng"
_CLOCK = rf"(?:\d{{1,2}}{_G0}(?:giờ|h)(?:{_G0}\d{{1,2}}(?:{_G0}(?:phút|['’′]))?)?{_G0}['’′]?{_G0}[,;]?{_G0}(?:(?:sáng|chiều|tối){_G0})?)"
_CLOCKS = rf"(?:{_CLOCK}(?:{_G0}(?:[-–]|đến){_G0}{_CLOCK})?)"  # "19 giờ 30 phút - 20 giờ 10 phút"
_MONTH_Y = rf"tháng{_G0}\d{{1,2}}{_G0}(?:/|năm|-){_G0}{_Y}"
_QUARTER_Y = rf"quý{_GAP}{_ROMAN_Q}{_G0}(?:/|năm|-){_G0}{_Y}"


def _plain(*kinds: str) -> str:
    """An unnamed alternation of the atom kinds, for composing phrase rules."""
    return "(?:" + "|".join(re.sub(r"\(\?P<\w+>", "(?:", _FRAG[k]) for k in kinds) + ")"


_ATOM_RX = re.compile(_ATOM, re.IGNORECASE)


@dataclass(frozen=True)
class _Atom:
    """A window inside one year; ``year`` None until it is filled in."""

    kind: str  # day | month | quarter | half | edge | year
    year: int | None
    first: tuple[int, int]  # (month, day)
    last: tuple[int, int | None]  # (month, day); day None = end of month

    def bounds(self) -> tuple[date, date] | None:
        if self.year is None:
            return None
        m2, d2 = self.last
        return (
            date(self.year, *self.first),
            date(self.year, m2, d2 or calendar.monthrange(self.year, m2)[1]),
        )


def _quarter(q: str) -> int:
    return int(_tables().quarters[q.upper()])


def _atom(text: str) -> _Atom | None:
    """Parse one atom ("Quý I/2022", "cuối tháng 3/2022", "ngày 25/8/2022")."""
    m = _ATOM_RX.fullmatch(text.strip(" *_"))
    if not m:
        return None
    g = m.groupdict()
    y = lambda k: int(g[k]) if g.get(k) else None  # noqa: E731
    if g["half"]:
        lo, hi = _tables().half[g["hside"].lower()]
        return _Atom("half", y("hy"), (lo, 1), (hi, None))
    if g["edge"]:
        side = _tables().edge[g["eside"].lower()]
        if g["eq"]:
            q = _quarter(g["eq"])
            month = {"first": 3 * q - 2, "middle": 3 * q - 1, "last": 3 * q}[side]
            return _Atom("edge", y("eqy"), (month, 1), (month, None))
        if g["em"]:
            month = int(g["em"])
            if not 1 <= month <= 12:
                return None
            days = {"first": (1, 10), "middle": (11, 20), "last": (21, None)}[side]
            if g["ew"]:  # "tuần đầu tháng 10": its first seven days
                length = calendar.monthrange(y("emy") or 2001, month)[1]
                days = {"first": (1, 7), "middle": (11, 17), "last": (length - 6, None)}[side]
            return _Atom("edge", y("emy"), (month, days[0]), (month, days[1]))
        months = {"first": (1, 1), "middle": (6, 7), "last": (12, 12)}[side]
        return _Atom("edge", y("ey"), (months[0], 1), (months[1], None))
    if g["day"]:
        found = [d for d in find_dates(g["day"]) if d.date]
        if not found:
            return None
        d = found[0]
        return _Atom("day", d.year, (d.month, d.day), (d.month, d.day))  # type: ignore[arg-type]
    if g["quarter"]:
        q = _quarter(g["q"])
        return _Atom("quarter", y("qy"), (3 * q - 2, 1), (3 * q, None))
    if g["month"]:
        month = int(g["m"])
        return _Atom("month", y("my"), (month, 1), (month, None)) if 1 <= month <= 12 else None
    if g["dmon"] or g["dmonw"]:
        dd, mm = (int(g["dd"]), int(g["ddm"])) if g["dmon"] else (int(g["wd"]), int(g["wm"]))
        try:
            date(2000, mm, dd)
        except ValueError:
            return None
        return _Atom("day", None, (mm, dd), (mm, dd))
    year = y("yy") or y("by")
    return _Atom("year", year, (1, 1), (12, None))


# ----------------------------------------------------------------------------- rules
@dataclass(frozen=True)
class _Hit:
    """A matched time phrase before its year is filled in."""

    start: int
    end: int
    kind: str  # window | before | after | from | until | recurring | relative | conditional
    lo: _Atom | None = None  # the atom giving the start (its first day)
    hi: _Atom | None = None  # the atom giving the end (its last day)
    period: str | None = None
    recurring: bool = False
    after: bool = False  # start is the day after ``lo``


@dataclass(frozen=True)
class _Tables:
    quarters: dict[str, int]
    half: dict[str, list[int]]
    edge: dict[str, str]
    rules: tuple[tuple[str, Prefilter], ...]  # each tried only where its trigger words stand
    recurring: tuple[tuple[re.Pattern[str], str | None], ...]
    verbs: re.Pattern[str]
    anniversary: re.Pattern[str]
    yearless: re.Pattern[str]
    yearly_before: re.Pattern[str]
    cited: re.Pattern[str]
    date_line: re.Pattern[str]
    named: re.Pattern[str]
    named_caps: re.Pattern[str]  # the same words in a heading printed in capitals
    target: re.Pattern[str]
    onward: re.Pattern[str]
    task_heading: re.Pattern[str]


@cache
def _tables() -> _Tables:
    t = patterns.load("time_phrases")
    parts = {
        "before": _fill(t["before"]),
        "after": _fill(t["after"]),
        "from": _fill(t["from"]),
        "until": _fill(t["until"]),
        "window": _fill(t["window"]),
    }
    a = _plain(*_FRAG)
    months = _plain("quarter", "month")
    filler = rf"(?:ngày(?:{_GAP}[^\W\d_]+){{0,3}}{_GAP})"
    recur = "|".join(f"(?:{_fill(p)})" for p, _ in t["recurring"])
    rules = (
        ("skip", "|".join(f"(?:{_fill(p).replace('$atom', a)})" for p in t["skip"])),
        ("anniversary", rf"\((?P<a1>{a}){_G0}[-–]{_G0}(?P<a2>{a})\)"),
        ("relative", "|".join(f"(?:{_fill(p)})" for p in t["relative"])),
        ("conditional", "|".join(f"(?:{_fill(p)})" for p in t["conditional"])),
        ("recurring_from", rf"(?:{recur}){_GAP}{parts['from']}{_GAP}(?:năm{_GAP})?(?P<a1>{_Y})"),
        ("range", rf"{parts['from']}{_GAP}(?:(?:ngày|đợt){_GAP})?(?P<a1>{a}){_G0}(?:{parts['until']}|[-–]){_G0}{filler}?(?P<a2>{a})"),
        ("range", rf"(?P<a1>{_MONTH_Y}|{_QUARTER_Y}){_GAP}(?:{parts['until']}|và){_GAP}(?P<a2>{_MONTH_Y}|{_QUARTER_Y})"),
        ("range", rf"(?P<a1>{months})(?P<join>{_GAP}(?:{parts['until']}|và)|{_G0},){_GAP}(?P<a2>{_MONTH_Y}|{_QUARTER_Y})"),
        ("range", rf"(?:{parts['window']}{_GAP})?(?P<a1>tháng{_G0}\d{{1,2}}){_G0}[-–]{_G0}(?P<m2>\d{{1,2}}{_G0}(?:/|{_GAP}năm{_GAP}){_G0}{_Y})"),
        ("labelled", rf"(?m:^[ \t*_]*(?:[\d.]+[.)]?[ \t]+|[-+•][ \t]*)?[^\W\d_][^\d:\n]{{2,80}}:{_G0})(?P<a1>{_plain('day')})"),
        ("occasion", rf"(?:{_fill(t['occasion'])})(?:{_GAP}[^\W\d_]+){{1,15}}{_GAP}(?P<a1>{_plain('day', 'dmon')})"),
        # "chậm nhất trong tháng 6/2026": a limit at the window's last day, not the window
        ("before", rf"{parts['before']}{_GAP}(?:(?:trong|vào){_GAP})?{_CLOCK}?(?:ngày{_GAP})?(?P<a1>{a})"),
        ("period", rf"{_fill(t['period'])}{_GAP}(?:từ{_GAP})?(?:năm{_GAP})?(?P<y1>{_Y}){_G0}(?:[-–]|đến(?:{_GAP}năm)?){_G0}(?P<y2>{_Y})"),
        ("after", rf"{parts['after']}{_GAP}{filler}?(?P<a1>{a})"),
        ("from", rf"{parts['from']}{_GAP}(?:(?:ngày|đợt){_GAP})?(?P<a1>{a})"),
        ("until", rf"{parts['until']}{_GAP}(?:ngày{_GAP})?(?P<a1>{a})"),
        ("window", rf"(?:{parts['window']}{_GAP})?(?P<a1>{_plain('half', 'edge')})"),
        ("window_bare", rf"(?:{parts['window']}{_GAP})?(?P<a1>{_plain('quarter')}|{_MONTH_Y})"),
        ("window", rf"{parts['window']}{_GAP}(?:(?:cả|suốt){_GAP})?(?P<a1>tháng{_G0}\d{{1,2}}(?![\d/.])|năm{_GAP}{_Y})"),
        ("window", rf"{parts['window']}{_G0}(?:(?:buổi{_GAP})?(?:sáng|chiều|tối){_GAP})?{_CLOCK}?(?P<a1>{_plain('day')}|{_plain('dmonw')}|ngày{_G0}{_plain('dmon')})"),
        # a meeting or broadcast convened at a time of a day: "8h00' ngày 12/5/2026", "Từ 20 giờ - 21 giờ ngày 3 tháng 4"
        ("clock", rf"(?:(?:từ|vào(?:{_GAP}lúc)?|lúc){_GAP})?{_CLOCKS}{_G0},?{_G0}(?:(?:thứ{_GAP}[^\W\d_]+|chủ{_GAP}nhật){_G0},?{_G0})?(?:ngày{_G0})?(?P<a1>{_plain('day', 'dmonw', 'dmon')})"),
        ("recurring", recur),
    )
    compiled = tuple((name, Prefilter(re.compile(rf"(?<![^\W_])(?:{rx})(?![^\W_])", re.IGNORECASE))) for name, rx in rules)
    return _Tables(
        quarters=dict(t["quarters"]),
        half=dict(t["half"]),
        edge=dict(t["edge"]),
        rules=compiled,
        recurring=tuple((re.compile(_fill(p), re.IGNORECASE), period) for p, period in t["recurring"]),
        verbs=re.compile(rf"{_fill(t['verbs'])}{_GAP}$", re.IGNORECASE),
        anniversary=re.compile(_fill(t["anniversary"]), re.IGNORECASE),
        yearless=re.compile(_fill(t["yearless"]), re.IGNORECASE),
        yearly_before=re.compile(rf"(?<![^\W_]){_fill(t['yearly_before'])}(?![^\W_])", re.IGNORECASE),
        cited=re.compile(_fill(t["cited"]), re.IGNORECASE),
        date_line=re.compile(t["date_line"], re.IGNORECASE),
        named=re.compile(_fill(t["named_horizon"])),
        named_caps=re.compile(_fill(t["named_horizon"]), re.IGNORECASE),
        target=re.compile(_fill(t["target_words"]), re.IGNORECASE),
        onward=re.compile(_fill(t["onward"]), re.IGNORECASE),
        task_heading=re.compile(_fill(t["task_heading"]), re.IGNORECASE),
    )


def _atoms(m: re.Match[str], *names: str) -> list[_Atom | None]:
    return [_atom(m.group(n)) if m.groupdict().get(n) else None for n in names]


def _build(name: str, m: re.Match[str], text: str) -> _Hit | None:
    """Turn one rule match into a hit (``None`` drops it)."""
    s, e = m.span()
    if name == "skip":
        return _Hit(s, e, "skip")
    if name == "window_bare" and m.group("a1")[:5].lower() == "tháng":
        # Only a month can be the month of a date line; "1. Quý I/2017" is a list item.
        line_start = text.rfind("\n", 0, s) + 1
        if _tables().date_line.search(text[max(line_start, s - 20) : s]):
            return None  # "Hà Nội, ngày 17 tháng 02 năm 2024": the date line
    if name in ("relative", "conditional"):
        return _Hit(s, e, name)
    if name == "recurring":
        return _Hit(s, e, "recurring", period=_period(m.group()), recurring=True)
    if name == "recurring_from":
        year = int(m.group("a1"))
        return _Hit(s, e, "from", lo=_Atom("year", year, (1, 1), (12, None)), period=_period(m.group()), recurring=True)
    if name == "period":  # "giai đoạn 2026 - 2030": the first to the last year
        y1, y2 = int(m.group("y1")), int(m.group("y2"))
        if y2 < y1:
            return None
        return _Hit(s, e, "window", lo=_Atom("year", y1, (1, 1), (12, None)), hi=_Atom("year", y2, (1, 1), (12, None)))
    a1, a2 = _atoms(m, "a1", "a2")
    if a1 is None:
        return None
    if m.groupdict().get("m2"):  # "tháng 4 - 5/2025": the second month shares the first's word
        a2 = _atom(f"tháng {m.group('m2')}")
    if name == "labelled":  # "Hội nghị quán triệt: ngày 18/4/2024": the label's day
        return _Hit(m.start("a1"), e, "window", lo=a1, hi=a1)
    if name == "anniversary":
        # "(19/5/1890 - 19/5/2022)" after "kỷ niệm": the day of the anniversary.
        sent_start = sentence_span_at(text, s)[0]
        lead = [k for k in _tables().anniversary.finditer(text, max(sent_start, s - 200), s)]
        if a2 is None or not lead:
            return None
        return _Hit(lead[-1].start(), e, "window", lo=a2, hi=a2)
    if name == "range":
        if a2 is None:
            return None
        if a1.year is None and a2.year is not None:
            a1 = replace(a1, year=a2.year if a1.first <= a2.first else a2.year - 1)
        if a1.kind == "year" and a1.year is None:
            return None
        if _join_word(m) == "và" and not (a1.kind == a2.kind and a2.first[0] == a1.last[0] + 1):
            return None  # "tháng 6 và tháng 8/2024": two windows; "tháng 6 và tháng 7/2024", "Quý III và Quý IV/2024" one
        return _Hit(s, e, "window", lo=a1, hi=a2)
    if name == "before":
        return _Hit(s, e, "before", hi=a1)
    if name == "after":
        return _Hit(s, e, "after", lo=a1, after=True) if a1.kind in ("day", "month", "quarter") else None
    if name == "from":
        return _Hit(s, e, "from", lo=a1)
    if name == "until":
        return _Hit(s, e, "until", hi=a1)
    return _Hit(s, e, "window", lo=a1, hi=a1)


def _join_word(m: re.Match[str]) -> str:
    """The word joining a range's two atoms ("đến", "và"; a comma reads as "và"), lower case; "" if none."""
    join = (m.groupdict().get("join") or "").strip(" \t\n*_").lower()
    return "và" if join == "," else join


def _period(phrase: str) -> str | None:
    for rx, period in _tables().recurring:
        if rx.search(phrase):
            return period
    return None


def _describes_cited(text: str, pos: int) -> bool:
    """Whether ``pos`` stands in a "Căn cứ Nghị quyết số ..." clause (the cited
    document's own horizon, "... đến năm 2025", is not this plan's deadline)."""
    start = max(text.rfind("\n", 0, pos), text.rfind(";", 0, pos)) + 1
    return bool(_tables().cited.search(text[start:pos]))


# A clause ends at punctuation or at a line that opens a new item or sentence (not at a
# wrapped line: "Chương trình mục tiêu quốc gia\nphòng, chống ma túy đến năm 2030").
_CLAUSE_END = re.compile(rf"[.;:!?()]|\n(?=[ \t]*(?:[-+•*–]|\d+[.)]|[{UPPER}]))")
_PUNCT_END = re.compile(r"[.;:!?()]")
_LOWER = re.compile(r"[^\W\d_]")


def _caps_run(text: str, pos: int) -> int | None:
    """Where the run of upper-case lines holding ``pos`` begins (a heading printed in
    capitals wraps over lines that each start upper-case), None if its line is not."""
    start = text.rfind("\n", 0, pos) + 1
    if not _is_caps(text[start:pos]):
        return None
    while start > 0:
        prev = text.rfind("\n", 0, start - 1) + 1
        if not _is_caps(text[prev : start - 1]):
            break
        start = prev
    return start


def _is_caps(line: str) -> bool:
    letters = _LOWER.findall(line)
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _in_name(text: str, pos: int, since: int | None = None) -> bool:
    """Whether a horizon or period at ``pos`` belongs to a name written before it in its
    clause: a programme or document ("Chương trình ... đến năm 2030", "Kế hoạch số 11-KH/QU
    về ... giai đoạn 2022 - 2026") with no target word between, or a quoted title.

    ``since`` is where the clause began when it runs over line breaks (the subject line
    of a letter); a heading printed in capitals is read as one clause, its words in any case.
    """
    t = _tables()
    named = t.named
    if since is None and (caps := _caps_run(text, pos)) is not None and caps >= pos - 400:
        since, named = caps, t.named_caps
    if since is not None:
        window = text[since:pos]
        cut = max((m.end() for m in _PUNCT_END.finditer(window)), default=0)
    else:
        window = text[max(0, pos - 220) : pos]
        cut = max((m.end() for m in _CLAUSE_END.finditer(window)), default=0)
    clause = window[cut:]
    if clause.count("“") > clause.count("”") or clause.count('"') % 2 == 1:
        return True
    last = None
    for last in named.finditer(clause):
        pass
    return last is not None and not t.target.search(clause, last.end())


def _scan(text: str, titles: list[tuple[int, int]] = ()) -> list[_Hit]:  # type: ignore[assignment]
    """All time phrases of ``text``; earlier rules win where phrases overlap. ``titles``
    are the subject lines: a horizon there is read against the whole line."""
    taken: list[tuple[int, int]] = []
    hits: list[_Hit] = []
    t = _tables()
    for name, rx in t.rules:
        for m in rx.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            hit = _build(name, m, text)
            if hit is None:
                continue
            horizon = name == "period" or (hit.kind == "until" and hit.hi is not None and hit.hi.kind == "year")
            since = next((a for a, b in titles if a <= hit.start < b), None)
            if _describes_cited(text, hit.start) or (horizon and _in_name(text, hit.start, since)):
                hit = _Hit(hit.start, hit.end, "skip")
            elif hit.kind == "window" and hit.lo is not None and (on := t.onward.match(text, hit.end)):
                hit = _Hit(hit.start, on.end(), "from", lo=hit.lo)  # "trong năm 2024 và các năm tiếp theo"
            taken.append((hit.start, hit.end))
            hits.append(hit)
    return sorted((h for h in hits if h.kind != "skip"), key=lambda h: h.start)


# ------------------------------------------------------------------------ the year
_DATE_LINE_YEAR = re.compile(
    r"[^\W\d_][^\n,;:|]{0,40},\s*ngày[^\n\d]{0,40}\d{0,2}[^\n\d]{0,40}tháng[^\n\d]{0,40}(?P<m>\d{0,2})[^\n\d]{0,40}năm\s*(?P<y>(?:19|20)\d\d)",
    re.IGNORECASE,
)


def document_year(doc: Document, header: Header) -> int | None:
    """The year the plan is written in: the header's date, else the latest full date.

    Plans without a date line (seeds 001, 003) still cite documents and set limits with
    full dates; the latest of those fixes the year of "cuối năm", "Quý II", ...
    """
    if header.date:
        return int(header.date[:4])
    line = _DATE_LINE_YEAR.search(doc.text, 0, min(len(doc.text), 3000))
    if line:  # "Gia Lai, ngày    tháng 02 năm 2024": a copy before signing keeps the year
        return int(line.group("y"))
    found = find_dates(doc.text)
    for precision in ("day", "month"):
        years = [d.year for d in found if d.precision == precision and d.year]
        if years:
            return max(years)
    return None


def _reference_day(doc: Document, header: Header, doc_year: int | None) -> date | None:
    """The day before which a window is past: the document's date; for a copy before
    signing ("ngày    tháng 11 năm 2025") the first day of its month; else of its year."""
    if header.date:
        return date.fromisoformat(header.date)
    if doc_year is None:
        return None
    line = _DATE_LINE_YEAR.search(doc.text, 0, min(len(doc.text), 3000))
    month = int(line.group("m")) if line and line.group("m") and int(line.group("y")) == doc_year else 0
    return date(doc_year, month if 1 <= month <= 12 else 1, 1)


def _with_year(atom: _Atom | None, year: int | None) -> _Atom | None:
    if atom is None or atom.year is not None or year is None:
        return atom
    return replace(atom, year=year)


def _fill_years(text: str, hits: list[_Hit], doc_year: int | None) -> list[_Hit]:
    """Give atoms without a year the year of the same sentence's phrases, else ``doc_year``."""
    explicit = [
        (h.start, a.year)
        for h in hits
        for a in (h.lo, h.hi)
        if a is not None and a.year is not None
    ]
    out = []
    for h in hits:
        if all(a is None or a.year is not None for a in (h.lo, h.hi)):
            out.append(h)
            continue
        s, e = sentence_span_at(text, h.start)
        clause = max(s, text.rfind(";", 0, h.start) + 1)
        if _tables().yearless.search(text[h.end : h.end + 40]) or _tables().yearly_before.search(text[clause : h.start]):
            out.append(h)  # "... trong năm", "hằng năm ... trước ngày 15/12": every year
            continue
        near = [(abs(pos - h.start), pos < h.start, y) for pos, y in explicit if s <= pos < e]
        year = min(near)[2] if near else doc_year
        out.append(replace(h, lo=_with_year(h.lo, year), hi=_with_year(h.hi, year)))
    return out


# ------------------------------------------------------------------------- output
def _text(text: str, start: int, end: int) -> tuple[int, str]:
    """The phrase as a reader quotes it: with a directly preceding verb, no markdown."""
    verb = _tables().verbs.search(text[max(0, start - 30) : start])
    if verb and "\n" not in verb.group():
        start = start - (len(text[max(0, start - 30) : start]) - verb.start())
    phrase = squash(text[start:end].replace("**", "").replace("*", ""))
    phrase = phrase.strip(" ,;:.")
    if phrase.endswith(")") and phrase.count(")") > phrase.count("("):
        phrase = phrase[:-1].rstrip(" ,;:.")
    if phrase.startswith("(") and phrase.count("(") > phrase.count(")"):
        phrase, start = phrase[1:].lstrip(), start + 1
    return start, phrase


def _deadline(text: str, h: _Hit, ref: date | None, dated: bool = False) -> Deadline | None:
    """The deadline of hit ``h``; None for past events. ``ref`` is the document's date
    (``dated``) or the first day of its year."""
    lo = h.lo.bounds() if h.lo else None
    hi = h.hi.bounds() if h.hi else None
    if (h.lo and lo is None) or (h.hi and hi is None):
        start = end = None  # a year the text does not fix
    else:
        start_d = lo[0] if lo else None
        if h.after and lo:
            start_d = lo[1] + timedelta(days=1)
        end_d = hi[1] if hi else None
        if ref and end_d and end_d < ref:
            return None  # past events and closed windows are not deadlines
        if ref and start_d and not end_d and start_d.year < ref.year - _OPEN_PAST_YEARS:
            return None  # "Từ 20-8-1945": a historical reference, not a window to act in
        if dated and start_d and not end_d and h.lo is not None and h.lo.kind == "day" and start_d < ref:
            return None  # "kể từ ngày 01/7 (before the letter)": a change already in force
        start, end = (start_d.isoformat() if start_d else None), (end_d.isoformat() if end_d else None)
    offset, phrase = _text(text, h.start, h.end)
    kind = "recurring" if h.recurring and start is None else h.kind
    return Deadline(
        text=phrase,
        start=start,
        end=end,
        recurring=h.recurring,
        period=h.period,
        kind=kind,
        offset=offset,
        sentence=squash(sentence_at(text, h.start)),
    )


# A table cell or a line that is nothing but a year or a stretch of years ("Năm 2026",
# "2026 - 2027", "Giai đoạn 2026-2030"): the window of the row or the part it heads.
_YEAR_CELL = re.compile(
    rf"(?m)(?:^|(?<=\|))[ \t*_]*(?:(?:[IVX]+|\d{{1,2}}|[a-zđ])[.)][ \t]*)?(?:(?:[Nn]ăm|NĂM|[Gg]iai[ \t]+đoạn|GIAI[ \t]+ĐOẠN)[ \t]+)?"
    rf"(?P<y1>{_Y})(?:[ \t]*[-–][ \t]*(?P<y2>{_Y}))?[ \t*_:]*(?=\||$)"
)
_TITLE_YEAR = re.compile(rf"(?<![^\W_])(?<!học )(?<!đến )(?<!hết )năm[ \t\n]+(?P<y>{_Y})", re.IGNORECASE)
# The document naming itself with its year: "... ban hành Kế hoạch tuyên truyền ... năm 2026 như sau".
_SELF_YEAR = re.compile(
    rf"(?:ban[ \t]+hành|xây[ \t]+dựng)[ \t]+(?:Kế[ \t]+hoạch|kế[ \t]+hoạch|Chương[ \t]+trình)(?![ \t]+số)[^.;:\n]{{0,160}}?"
    rf"[ \t(]năm[ \t]+(?P<y>{_Y})(?=[ \t]*(?:[,.;:]|như[ \t]+sau|cụ[ \t]+thể|với|$))"
)
# Types whose title year is the period they plan for ("KẾ HOẠCH Tuyên truyền ... năm 2026").
_PLANNING_TYPES = frozenset({"Kế hoạch", "Chương trình", "Chương trình hành động", "Đề án", "Phương án", "Kế hoạch liên tịch", "Chương trình phối hợp"})


def _year_window(start: int, end: int, y1: int, y2: int) -> _Hit:
    return _Hit(start, end, "window", lo=_Atom("year", y1, (1, 1), (12, None)), hi=_Atom("year", y2, (1, 1), (12, None)))


def _structural_hits(text: str, hits: list[_Hit], header: Header, scope: Scope | None) -> list[_Hit]:
    """Windows the layout states without a time word: a cell or line that is only a year
    or a stretch of years, and the year a plan's title names."""
    taken = [(h.start, h.end) for h in hits]
    extra: list[_Hit] = []

    def add(h: _Hit) -> None:
        if not any(h.start < e and s < h.end for s, e in taken):
            taken.append((h.start, h.end))
            extra.append(h)

    for m in _YEAR_CELL.finditer(text):
        y1 = int(m.group("y1"))
        y2 = int(m.group("y2") or y1)
        if m.group("y2") or re.search(r"[Nn]ăm|NĂM|đoạn|ĐOẠN", m.group()):
            if y1 <= y2 <= y1 + 30:
                add(_year_window(m.start("y1"), m.end(), y1, y2))
    for m in _SELF_YEAR.finditer(text):
        if re.search(r"(?:đến|tới|hết)[ \t]+$", text[m.start("y") - 15 : m.start("y") - 4]):
            continue  # "... đến năm 2030": a horizon, read by the phrase rules
        if _in_name(text, m.start()) or _describes_cited(text, m.start()):
            continue  # "Căn cứ Quyết định số ... ban hành Kế hoạch ... năm 2021": another plan
        y = int(m.group("y"))
        add(_year_window(m.start("y") - 4, m.end("y"), y, y))
    title = scope.title if scope is not None else None
    spans = [title] if title and header.doc_type in _PLANNING_TYPES else []
    if scope is not None:  # "II. NHIỆM VỤ, GIẢI PHÁP NĂM 2026": the year of the part's tasks
        task = _tables().task_heading
        spans += [(a, b) for a, b in scope.spans("heading") if task.match(text, a, b) and not text.startswith("Điều", a)]
    for span in spans:
        for m in _TITLE_YEAR.finditer(text, *span):
            if not _in_name(text, m.start()):
                add(_year_window(m.start(), m.end(), int(m.group("y")), int(m.group("y"))))
    return sorted(hits + extra, key=lambda h: h.start)


def find_deadlines(doc: Document, header: Header, scope: Scope | None = None) -> tuple[Deadline, ...]:
    """Every time limit or window the document sets, in text order.

    Args:
        doc: the document (its normalised ``text`` is read).
        header: its header; ``header.date`` fixes omitted years and the cut-off for
            past events, ``header.doc_type`` says whether the title's year is a plan's.
        scope: the parts of the document (its title); found from text cues if None.

    Returns:
        Deadlines with ISO ``start``/``end`` (None where open or unbounded); an entry
        that repeats exactly (same text and bounds) is listed once.
    """
    text = paragraphs(doc.text)  # same offsets; sentences run across PDF line wraps
    scope = scope if scope is not None else Scope(doc.text, doc.tables)
    doc_year = document_year(doc, header)
    ref = _reference_day(doc, header, doc_year)
    seen: set[tuple[str, str | None, str | None]] = set()
    out: list[Deadline] = []
    narration = Narration(text, scope, header.doc_type)
    for h in _fill_years(text, _structural_hits(text, _scan(text, scope.spans("title")), header, scope), doc_year):
        if narration.narrates(h.start, h.end, limit=h.kind == "before"):
            continue
        d = _deadline(text, h, ref, dated=header.date is not None)
        if d is None or (d.text, d.start, d.end) in seen:
            continue
        seen.add((d.text, d.start, d.end))
        out.append(replace(d, zone=scope.zone_at(d.offset)))
    return tuple(out)


__all__ = ["document_year", "find_deadlines"]
