"""Counts, percentages, rates, money and targets, with what they count ("100% chi bộ").

A number is kept when it measures something: a percentage, a count of things or people
("30 đảng viên", "12 trạm", "42 TTHC", "cả ba lĩnh vực"), a share of a total ("14/15 đơn
vị": both), a rate ("02 lần/năm"), a sum of money ("1.500.000 đồng", "2 triệu đồng"), or a
value in a table whose unit is its column head ("Điểm đạt được | 82,78"). The counted noun is
open: any word after the number that is no function word, no part of a date or clock time
and no name counts. Numbers that are labels are skipped: document numbers and symbols,
dates and clock times, list labels ("1.", "2.1"), article and clause numbers ("Điều 3",
"khoản 2"), ordinals and names ("tuần thứ 2", "Phường 2", "Đề án 06"), and everything in
the header (the title's numbers belong to the title). Vocabulary is data in
``units.json`` (``measures``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from pipeline.extract import patterns
from pipeline.extract.dates import find_dates
from pipeline.extract.scope import Scope
from pipeline.extract.sections import paragraphs
from pipeline.extract.text import sentence_at, squash, table_cells
from pipeline.identity import UPPER, find_symbols
from pipeline.models import Document, NumberFact, Table
from pipeline.normalise import fold_tones

_NUM = r"(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)"
# not glued to a symbol, date, section number, decimal or kilometre mark ("Km113+800"); a
# slash after a word is a list ("36 hộ dân/4,92 ha")
# a whole number, with its thousands marks ("4.800")
_WHOLE = r"(?:\d{1,3}(?:\.\d{3})+|\d{1,6})"
_AROUND = r"(?<![\w.,\-–+\u2044])(?<!\d/)"
_WORD = rf"[^\W\d_][^\W_]*"
# A clock time, not a count: "8 giờ 30", "14h00'", "17 giờ, ngày ..." (a bare "N giờ" is a
# clock after "lúc/vào/từ/trước/đến/sau" or before a day part or a date).
_CLOCK = re.compile(
    r"(?<![\w/.])(?:(?P<lead>(?:lúc|vào|từ|trước|đến|sau|khoảng)\s+))?\d{1,2}\s*(?:giờ|h(?![^\W\d_]))"
    r"(?P<rest>\s*\d{1,2}\s*(?:phút|['’′])?|['’′]|\s*(?:,\s*)?(?:ngày|sáng|chiều|tối|trưa|đêm)\b|\s*[-–]\s*\d)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Tables:
    percent: re.Pattern[str]
    rate: re.Pattern[str]
    money: re.Pattern[str]
    count: re.Pattern[str]
    share: re.Pattern[str]
    spelled: re.Pattern[str]
    noun: re.Pattern[str]
    label_before: re.Pattern[str]
    total_before: re.Pattern[str]
    time_before: re.Pattern[str]
    durations: frozenset[str]
    qualifier: re.Pattern[str]
    target_before: re.Pattern[str]
    names_before: re.Pattern[str]
    multipliers: dict[str, int]
    stops: tuple[str, ...]
    verbs_after: tuple[str, ...]
    opens_stop: re.Pattern[str]  # a stop word opening a text (``_opens`` of any of them)
    opens_verb: re.Pattern[str]  # a verb that follows a name ending in a number
    function_words: frozenset[str]
    word_numbers: dict[str, int]
    fractions: dict[str, float]
    qualifiers: frozenset[str]
    skip_headers: frozenset[str]
    nouns: frozenset[str]


def _opens_any(phrases: list[str]) -> re.Pattern[str]:
    """A pattern matching a text that some phrase opens as whole words ("cử" opens "cử cán
    bộ", not "cửa"): every phrase tried in one pass."""
    return re.compile(rf"(?:{'|'.join(re.escape(p) for p in phrases)})(?![^\W_])")


@cache
def _tables() -> _Tables:
    m = patterns.load("units")["measures"]
    stops = tuple(patterns.load("role_verbs")["stops"])
    nouns = patterns.alternation(m["count_nouns"])
    totals = patterns.alternation(m["totals"])
    mult = patterns.alternation(list(m["multipliers"]))
    fractions = {k: float(v) for k, v in m["fractions"].items()}
    # a fraction: one character ("½"), or digits around the fraction slash ("1⁄2", as a
    # reader or OCR writes it)
    num = rf"(?:(?P<over>\d{{1,2}})\u2044(?P<under>[1-9]\d?)|{_NUM}|(?P<frac>{patterns.alternation(list(fractions))}))"
    flags = re.IGNORECASE
    return _Tables(
        percent=re.compile(rf"{_AROUND}{_NUM}\s*%(?P<after>(?:\s+[^\W\d_]+){{0,8}})", flags),
        rate=re.compile(rf"{_AROUND}{_NUM}\s+(?P<unit>{nouns})\s*/\s*(?P<per>{patterns.alternation(m['per'])})(?![^\W\d_])", flags),
        money=re.compile(rf"{_AROUND}{_NUM}\s*(?P<mult>{mult})?\s*(?P<cur>{patterns.alternation(m['money'])})(?![^\W\d_])", flags),
        # any count: a number, an optional "(một)" spelling it out, then the word it counts
        count=re.compile(
            rf"{_AROUND}{num}(?![.,/]?\d)(?:\s*\((?P<spelled>[^\W\d_]+(?:[ \t]+[^\W\d_]+){{0,4}})\))?(?:[ \t]+(?P<mult>{mult})(?![^\W\d_]))?[ \t]+(?:(?:{totals})[ \t]+)?(?P<word>{_WORD})",
            flags,
        ),
        share=re.compile(rf"{_AROUND}(?P<a>{_WHOLE})\s*/\s*(?P<b>{_WHOLE})(?![\d/]|[.,]\d)[ \t]+(?P<word>{_WORD})"),
        spelled=re.compile(rf"(?<![^\W\d_])(?P<w>{patterns.alternation(list(m['word_numbers']))})[ \t]+(?P<word>{_WORD})"),
        noun=re.compile(rf"(?:{nouns})(?![^\W\d_])", flags),
        qualifier=re.compile(rf"(?<![^\W\d_])({patterns.alternation(m['qualifiers'])})\s+$", flags),
        label_before=re.compile(rf"(?:{patterns.alternation(m['not_numbers'])})\s*[:.]?\s*$"),
        total_before=re.compile(rf"(?<![^\W\d_])(?:{patterns.alternation(m['totals'])})\s+$", flags),
        time_before=re.compile(rf"(?<![^\W\d_])(?:{patterns.alternation(m['time_labels'])})\s*$"),
        durations=frozenset(m["durations"]),
        target_before=re.compile(rf"(?:{patterns.alternation(m['targets'])})[^.;\n]{{0,40}}$", flags),
        names_before=re.compile(rf"(?<![^\W\d_])(?:{patterns.alternation(m['names_before'])})\s*$", flags),
        multipliers={k: int(v) for k, v in m["multipliers"].items()},
        stops=tuple(sorted(stops, key=len, reverse=True)),
        verbs_after=tuple(fold_tones(v).lower() for v in m["verbs_after"]),
        opens_stop=_opens_any(stops),
        opens_verb=_opens_any([fold_tones(v).lower() for v in m["verbs_after"]]),
        function_words=frozenset(fold_tones(w).lower() for w in m["function_words"]),
        word_numbers={k: int(v) for k, v in m["word_numbers"].items()},
        fractions=fractions,
        qualifiers=frozenset(q.lower() for q in m["qualifiers"]),
        skip_headers=frozenset(fold_tones(h).lower() for h in m["table_skip_headers"]),
        nouns=frozenset(fold_tones(n).lower() for n in m["count_nouns"]),
    )


def parse_number(s: str) -> float:
    """Vietnamese notation: "1.500.000" → 1500000, "2,5" → 2.5, "02" → 2."""
    return float(s.replace(".", "").replace(",", "."))


def _counted(after: str) -> str | None:
    """The noun phrase after a percentage: a counted noun ("chi bộ"), else the words
    up to a verb or punctuation."""
    rest = after.strip()
    noun = _tables().noun.match(rest)
    if noun:
        return noun.group()
    words: list[str] = []
    for w in rest.split():
        tail = " ".join([w, *rest.split()[len(words) + 1 :]]).lower()
        if len(words) == 4 or tail.startswith(_tables().stops):
            break
        words.append(w)
    return " ".join(words) or None


def _is_label(text: str, start: int, time: bool = True) -> bool:
    """Whether the number at ``start`` is a label (doc number, section; with ``time`` also
    a number after a time word, "ngày 25", "tháng 3")."""
    before = text[max(0, start - 25) : start]
    line_start = text.rfind("\n", 0, start) + 1
    if not text[line_start:start].strip(" \t-+*#"):
        return bool(re.match(r"\d+(?:\.\d+)*[.)]", text[start : start + 8]))
    t = _tables()
    label = t.label_before.search(before)
    if label and t.total_before.search(before, 0, label.start()):
        label = None  # "trên tổng số 120 hồ sơ": a total, not a number label
    return bool(label) or (time and bool(t.time_before.search(before)))


def _unit_at(text: str, pos: int, word: str) -> str:
    """The unit printed at ``pos`` (where ``word`` starts): a known multi-word noun ("đảng
    viên", "hộ gia đình"), a list of units ("xã, phường, đặc khu"), else the word and the
    next one when it is a content word ("hồ sơ", "tuyến cao tốc")."""
    t = _tables()
    known = t.noun.match(text, pos)
    unit = known.group() if known else word
    end = pos + len(unit)
    nxt = re.match(rf"[ \t]+({_WORD})", text[end : end + 30])
    if not known and nxt and nxt.group(1).islower() and fold_tones(nxt.group(1)).lower() not in t.function_words:
        if not t.opens_stop.match(fold_tones(text[end : end + 40]).lstrip().lower()):
            unit, end = f"{unit} {nxt.group(1)}", end + nxt.end()
    listed = re.match(rf",[ \t]*({_WORD}(?:[ \t]+{_WORD})?)(?=[ \t]*[,;.)\n]|[ \t]+(?:và|hoặc)\b)", text[end : end + 40])
    if listed and fold_tones(listed.group(1)).lower().split()[0] in t.nouns | {"phường", "đặc", "thị", "thôn", "bài", "bản"}:
        unit = f"{unit}, {listed.group(1)}"  # "01 tin, bài", "17 xã, phường, đặc khu"
    return unit


def _counts_something(text: str, num_start: int, word_at: int, word: str, value: float, spelled: bool = False) -> bool:
    """Whether ``word`` (at ``word_at``) after the number at ``num_start`` names what it
    counts. A number ``spelled`` out after it ("23 (hai mươi ba)") or written with
    thousands marks ("17.019") is a quantity, never a name's ordinal."""
    t = _tables()
    folded = fold_tones(word).lower()
    # a counted noun of the table, in any case and of any length ("03 Hội nghị", "96 điểm
    # cầu", "04 nhiệm vụ"): its first word may also be a function word or a stop
    known = t.noun.match(text, word_at) is not None
    if folded in t.function_words and not known:
        return False
    quantity = spelled or _THOUSANDS.match(text, num_start) is not None
    if not (word.islower() or (word.isupper() and len(word) >= 2) or known or (quantity and word[:1].isupper())) or (len(word) < 2 and not known):
        return False  # "Phường 2 Bảo Lộc": a name goes on; "2 s": an OCR speck
    if value.is_integer() and 1900 <= value <= 2100 and folded not in t.nouns:
        return False  # a year
    before = text[max(0, num_start - 40) : num_start]
    name = t.names_before.search(before)
    if (name and not t.total_before.search(before, 0, name.start())) or _is_label(text, num_start, time=False):
        return False
    if before[-1:] in ('"', "“", "'", "‘"):
        return False  # a slogan: "5 rõ"
    if folded in t.durations and t.time_before.search(before):
        return False  # "ngày 44 tháng": a damaged date
    after = fold_tones(text[word_at : word_at + 40]).lower()
    if folded in t.durations and re.match(rf"{re.escape(folded)}\s+(?:qua|trước|ngày|Ngày|đầu\s+năm|cuối\s+năm)(?![^\W\d_])", after):
        return False  # "3 năm qua", "132 năm ngày sinh": past, an anniversary; "6 tháng cuối năm": a half year
    tail = re.search(rf"(?:{_WORD}[ \t]+){{0,1}}{_WORD}[ \t]*$", before)
    words = list(re.finditer(_WORD, tail.group() if tail else ""))
    if quantity or (words and fold_tones(words[-1].group()).lower() in t.function_words):
        words = []  # "phần mềm XYZ cho 75 cơ sở", "của hệ thống là 9.120 lượt": the name has ended
    for m in words:
        w = m.group()
        at = (tail.start() if tail else 0) + m.start()
        if w[:1].isupper() and w.lower() not in t.qualifiers:
            if not re.search(r"(?:^|[.:;!?\n]|\||\(\d{1,2}\))[ \t\-+*•(]*$", before[:at]):
                return False  # "Khu vực 10", "Đề án 06", "Cảnh sát biển 3": an ordinal in a name
    named = any(m.group()[:1].isupper() for m in words)
    if not known and (t.opens_verb.match(after) or (named and t.opens_stop.match(after))):
        return False  # "Bộ Tư lệnh Quân khu 7 tham mưu", "Khu vực 10 tham gia": a name before its verb
    return True


def _labelled(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` overlaps a date, a symbol or a clock time, found in a
    window around it (reading the whole text for them costs more than the numbers)."""
    lo, hi = max(0, start - 40), min(len(text), end + 40)
    a, b = start - lo, end - lo
    window = text[lo:hi]
    if any(d.start < b and a < d.end for d in find_dates(window)):
        return True
    if any(s.start < b and a < s.end for s in find_symbols(window)):
        return True
    return any(m.start() < b and a < m.end() for m in _CLOCK.finditer(window) if m.group("lead") or m.group("rest"))


# Zones that frame the text and state nothing about its subject: a page number, the
# signature, the "Nơi nhận" list.
_FRAME_ZONES = ("page_furniture", "signature", "recipients")

_CELL_NUMBER = re.compile(rf"[ \t]*{_NUM}[ \t]*(?P<pct>%)?[ \t]*")


def _column_unit(head: str) -> str | None:
    """The unit a column head gives its numbers: "(người)", "Số hộ" → hộ, "Điểm đạt được" →
    điểm; None for ordinals, years and labels ("TT", "Thứ hạng", "Năm")."""
    t = _tables()
    h = squash(head)
    if not h or fold_tones(h).lower() in t.skip_headers or fold_tones(h.split()[0]).lower() in t.skip_headers:
        return None
    paren = re.search(r"\(([^()\d]{1,24})\)", h)
    if paren:
        return paren.group(1).strip()
    words = h.split()
    if fold_tones(words[0]).lower() == "số" and len(words) > 1:
        rest = " ".join(words[1:])
        return None if fold_tones(rest).lower().startswith(("lượng", "thứ tự", "tt")) else rest
    first = fold_tones(words[0]).lower()
    return words[0].lower() if first in t.nouns or first in ("điểm", "kinh", "diện", "chiều") else None


def _table_facts(text: str, tables: tuple[Table, ...], start: int, scope: Scope) -> Iterator[tuple[int, int, NumberFact]]:
    """Numbers standing alone in a table cell, with the unit of their column head."""
    for table in tables:
        if not table.rows or table.start < start:
            continue
        heads = table.rows[0]
        for _, c, at, cell in table_cells(text, table):
            m = _CELL_NUMBER.fullmatch(cell)
            if not m:
                continue
            head = heads[c] if c < len(heads) else ""
            unit = "%" if m.group("pct") else _column_unit(head)
            if not unit:
                continue
            s, e = at + m.start("num"), at + m.end("pct" if m.group("pct") else "num")
            fact = NumberFact(
                text=text[s:e], value=parse_number(m.group("num")), unit=unit, counted=squash(head) or None,
                kind="percent" if unit == "%" else "count", offset=s, sentence=squash(sentence_at(text, s)), zone=scope.zone_at(s),
            )  # fmt: skip
            yield s, e, fact


@dataclass(frozen=True)
class _Cand:
    """A candidate number: its span (the number up to its unit) and what it measures."""

    kind: str
    num: int  # where the number starts
    end: int  # where its unit ends
    value: float
    unit: str | None
    counted: str | None
    shown: tuple[int, int] | None = None  # the text to quote, when wider than the span


def find_numbers(doc: Document, scope: Scope | None = None) -> tuple[NumberFact, ...]:
    """Every measured number of the document, in text order.

    Args:
        doc: the document (its normalised ``text`` is read).
        scope: the parts of the document; numbers in the header are not read.

    Returns:
        ``NumberFact`` with value, unit ("%", "lần/năm", "đảng viên", "triệu đồng": money as written), the
        thing counted, the qualifier ("ít nhất", "trên", ...), a kind (percent, count,
        rate, money, or target when a target word such as "phấn đấu" precedes) and the
        evidence sentence.
    """
    text = paragraphs(doc.text)
    scope = scope if scope is not None else Scope(doc.text, doc.tables)
    begin = scope.header_end
    t = _tables()
    taken: list[tuple[int, int]] = []
    out: list[NumberFact] = []

    stop = scope.attached_start
    framing = scope.spans(*_FRAME_ZONES)

    def free(s: int, e: int) -> bool:
        if not begin <= s < stop or any(a <= s < b for a, b in framing):
            return False
        return not any(s < b and a < e for a, b in taken) and not _labelled(text, s, e)

    for s, e, fact in _table_facts(doc.text, doc.tables, begin, scope):  # rows are lines of the raw text
        if free(s, e):
            taken.append((s, e))
            out.append(fact)
    for c in _candidates(text, t):
        if not free(c.num, c.end):
            continue
        taken.append((c.num, c.end))
        q = t.qualifier.search(text, max(0, c.num - 20), c.num)
        start, end = c.shown or ((q.start() if q else c.num), c.end)
        is_target = bool(t.target_before.search(text[max(0, start - 60) : start]))
        out.append(
            NumberFact(
                text=squash(text[start:end]),
                value=c.value,
                unit=c.unit,
                counted=c.counted,
                qualifier=q.group(1).lower() if q else None,
                kind="target" if is_target and c.kind in ("percent", "count") else c.kind,
                offset=start,
                sentence=squash(sentence_at(doc.text, start)),
                zone=scope.zone_at(start),
            )
        )
    return tuple(sorted(out, key=lambda n: n.offset))


_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+(?![\d.])")

# Inside the parenthesis that spells out the number before it: "150 (một trăm năm mươi".
_SPELLING_OUT = re.compile(r"\d[ \t]*\([^()\n]*$")

# A digit not after a digit, "." or "," (the look-behind after it, so that the pattern opens
# with a class: ``re`` then skips to digits in C), or a fraction sign.
_NUMBER_START = re.compile(r"[\d½¼¾⅓⅔](?<![\d.,]\d)")


def _at(rx: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """``rx`` matched at each place a number starts (every form opens with its number, so
    this reads the text once for digits instead of once per form)."""
    for pos in starts:
        m = rx.match(text, pos)
        if m:
            yield m


def _candidates(text: str, t: _Tables) -> Iterator[_Cand]:
    """Every candidate number, the surest forms first (earlier ones win an overlap)."""
    starts = [m.start() for m in _NUMBER_START.finditer(text)]
    for kind, rx in (("money", t.money), ("rate", t.rate), ("percent", t.percent)):
        for m in _at(rx, text, starts):
            n = m.start("num")
            if _is_label(text, n):
                continue
            value = parse_number(m.group("num"))
            if kind == "money":
                mult = m.group("mult")  # as written: "1,5 tỷ đồng" is 1.5 in "tỷ đồng" (SCHEMA.md)
                yield _Cand(kind, n, m.end(), value, f"{mult.lower()} đồng" if mult else "đồng", None)
            elif kind == "rate":
                yield _Cand(kind, n, m.end(), value, f"{m.group('unit')}/{m.group('per')}", m.group("unit"))
            else:
                counted = _counted(m.group("after"))
                end = min(m.end(), m.end("num") + 1 + (len(counted) + 1 if counted else 0))
                yield _Cand(kind, n, end, value, "%", counted)
    for m in _at(t.share, text, starts):  # "14/15 đơn vị": the part and the whole
        a, b = parse_number(m.group("a")), parse_number(m.group("b"))
        if a <= b and _counts_something(text, m.start(), m.start("word"), m.group("word"), float(b)):
            unit = _unit_at(text, m.start("word"), m.group("word"))
            end = m.start("word") + len(unit)
            if a < b:  # "75/75 cơ sở": all of them, one count
                yield _Cand("count", m.start("a"), m.end("a"), a, unit, unit, (m.start(), end))
            yield _Cand("count", m.start("b"), end, b, unit, unit, (m.start(), end))
    for m in _at(t.count, text, starts):
        if m.group("over"):
            value = int(m.group("over")) / int(m.group("under"))
        else:
            value = t.fractions[m.group("frac")] if m.group("frac") else parse_number(m.group("num"))
        if m.group("mult"):  # "01 triệu căn hộ"
            value *= t.multipliers.get(m.group("mult").lower(), 1)
        if _counts_something(text, m.start(), m.start("word"), m.group("word"), value, bool(m.group("spelled"))):
            unit = _unit_at(text, m.start("word"), m.group("word"))
            yield _Cand("count", m.start(), m.start("word") + len(unit), value, unit, unit)
    for m in t.spelled.finditer(text):
        word = m.group("word")
        before = text[max(0, m.start() - 40) : m.start()]
        if _SPELLING_OUT.search(before):
            continue  # "31 (ba mươi mốt) hội": the digits' own spelling, read with them
        if m.group("w").islower() and word.islower() and not t.names_before.search(before) and not re.search(r"thứ\s*$", before):
            if fold_tones(word).lower() not in t.function_words:
                unit = _unit_at(text, m.start("word"), word)
                yield _Cand("count", m.start(), m.start("word") + len(unit), float(t.word_numbers[m.group("w").lower()]), unit, unit)


__all__ = ["find_numbers", "parse_number"]
