"""Counts, percentages, rates, money and targets, with what they count ("100% chi bộ").

A number is kept only when it measures something: a percentage, a count followed by a
counted noun ("30 đảng viên", "01 buổi"), a rate ("02 lần/năm") or a sum of money
("1.500.000 đồng", "2 triệu đồng"). Numbers that are labels are skipped: document
numbers and symbols ("số 21", "21-KL/TW"), dates ("25/10/2021", "ngày 25 tháng 10"),
section numbers ("1.", "2.1") and ordinals of bodies ("Hội nghị Trung ương 4").
Vocabulary (counted nouns, qualifiers, money words) is data in ``units.json``
(``measures``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipeline.extract import patterns
from pipeline.extract.text import sentence_at, squash
from pipeline.models import Document, NumberFact

_NUM = r"(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)"
_AROUND = r"(?<![\w/.\-–])"  # not glued to a symbol, date or section number


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class _Tables:
    percent: re.Pattern[str]
    rate: re.Pattern[str]
    money: re.Pattern[str]
    count: re.Pattern[str]
    noun: re.Pattern[str]
    label_before: re.Pattern[str]
    qualifier: re.Pattern[str]
    target_before: re.Pattern[str]
    multipliers: dict[str, int]
    stops: tuple[str, ...]


@cache
def _tables() -> _Tables:
    m = patterns.load("units")["measures"]
    stops = tuple(patterns.load("role_verbs")["stops"])
    qual = ""  # qualifiers are read before the number (``qualifier``), so regexes start at digits
    nouns = _alt(m["count_nouns"])
    mult = _alt(list(m["multipliers"]))
    flags = re.IGNORECASE
    return _Tables(
        percent=re.compile(rf"{qual}{_AROUND}{_NUM}\s*%(?P<after>(?:\s+[^\W\d_]+){{0,8}})", flags),
        rate=re.compile(
            rf"{qual}{_AROUND}{_NUM}\s+(?P<unit>{nouns})\s*/\s*(?P<per>{_alt(m['per'])})(?![^\W\d_])", flags
        ),
        money=re.compile(
            rf"{qual}{_AROUND}{_NUM}\s*(?P<mult>{mult})?\s*(?P<cur>{_alt(m['money'])})(?![^\W\d_])", flags
        ),
        count=re.compile(rf"{qual}{_AROUND}{_NUM}\s+(?P<unit>{nouns})(?![^\W\d_])(?!\s*/\s*\d)", flags),
        noun=re.compile(rf"(?:{nouns})(?![^\W\d_])", flags),
        qualifier=re.compile(rf"(?<![^\W\d_])({_alt(m['qualifiers'])})\s+$", flags),
        label_before=re.compile(rf"(?:{_alt(m['not_numbers'])})\s*$"),
        target_before=re.compile(rf"(?:{_alt(m['targets'])})[^.;\n]{{0,40}}$", flags),
        multipliers={k: int(v) for k, v in m["multipliers"].items()},
        stops=tuple(sorted(stops, key=len, reverse=True)),
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
        if len(words) == 4 or any(tail.startswith(s) for s in _tables().stops):
            break
        words.append(w)
    return " ".join(words) or None


def _is_label(text: str, start: int) -> bool:
    """Whether the number at ``start`` is a label (doc number, date part, section)."""
    before = text[max(0, start - 25) : start]
    line_start = text.rfind("\n", 0, start) + 1
    if not text[line_start:start].strip(" \t-+*#"):
        return bool(re.match(r"\d+(?:\.\d+)*[.)]", text[start : start + 8]))
    return bool(_tables().label_before.search(before))


def find_numbers(doc: Document) -> tuple[NumberFact, ...]:
    """Every measured number of the document, in text order.

    Args:
        doc: the document (its normalised ``text`` is read).

    Returns:
        ``NumberFact`` with value, unit ("%", "lần/năm", "đảng viên", "đồng"), the
        thing counted, the qualifier ("ít nhất", "trên", ...), a kind (percent, count,
        rate, money, or target when a target word such as "phấn đấu" precedes) and the
        evidence sentence.
    """
    text = doc.text
    t = _tables()
    taken: list[tuple[int, int]] = []
    out: list[NumberFact] = []
    for kind, rx in (("money", t.money), ("rate", t.rate), ("percent", t.percent), ("count", t.count)):
        for m in rx.finditer(text):
            num_start = m.start("num")
            if _is_label(text, num_start):
                continue
            value = parse_number(m.group("num"))
            q = t.qualifier.search(text, max(0, num_start - 20), num_start)
            qual = q.group(1) if q else None
            unit: str | None
            counted: str | None
            if kind == "money":
                mult = m.group("mult")
                value *= t.multipliers.get(mult.lower(), 1) if mult else 1
                unit, counted = "đồng", None
            elif kind == "rate":
                unit, counted = f"{m.group('unit')}/{m.group('per')}", m.group("unit")
            elif kind == "percent":
                unit, counted = "%", _counted(m.group("after"))
            else:
                unit = counted = m.group("unit")
            start = q.start() if q else num_start
            end = m.end() if kind != "percent" else m.end("num") + 1 + len(counted or "") + (1 if counted else 0)
            end = min(end, m.end())
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            is_target = bool(t.target_before.search(text[max(0, start - 60) : start]))
            out.append(
                NumberFact(
                    text=squash(text[start:end]),
                    value=value,
                    unit=unit,
                    counted=counted,
                    qualifier=qual.lower() if qual else None,
                    kind="target" if is_target and kind in ("percent", "count") else kind,
                    offset=start,
                    sentence=squash(sentence_at(text, start)),
                )
            )
    return tuple(sorted(out, key=lambda n: n.offset))


__all__ = ["find_numbers", "parse_number"]
