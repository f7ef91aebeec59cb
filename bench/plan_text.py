"""Compose one synthetic plan: its parts in reading order, and its gold annotation.

The words follow how Vietnamese party plans are written (header block, KẾ HOẠCH and
subject line, an opening "Thực hiện …" sentence citing the documents carried out,
sections I–III, signature and "Nơi nhận"). The gold is built from the same choices, in
the shape of ``shared/gold/SCHEMA.md``, so it is exact by construction.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
import re
from dataclasses import dataclass
from typing import Any

from archive_model import DocRef, Org, PlanSpec, vocab

_SYMBOL_GAP = re.compile(r"(\d+) ?- ?([A-ZĐ])")  # "21- KL/TW" → "21-KL/TW" in gold, as SCHEMA.md writes it


@dataclass(frozen=True)
class PlanParts:
    """A plan's content in reading order; the format writers lay it out."""

    header_left: tuple[str, ...]  # committee lines, upper case
    symbol_line: str  # "Số 12-KH/HU"
    header_right: tuple[str, ...]  # "ĐẢNG CỘNG SẢN VIỆT NAM"
    date_line: str  # "Kim Sơn, ngày 05 tháng 3 năm 2024"
    title_lines: tuple[str, ...]  # subject line, broken as printed
    blocks: tuple[tuple[str, str], ...]  # (heading | para, text)
    signature: tuple[str, ...]  # on behalf, position, name
    recipients: tuple[str, ...]  # "- Ban ... ," lines, after "Nơi nhận:"
    sign_first: bool  # whether the signature comes before "Nơi nhận" in text order


@dataclass(frozen=True)
class Plan:
    spec: PlanSpec
    parts: PlanParts
    gold: dict[str, Any]


# ------------------------------------------------------------------ dates and phrases


def _date_words(d: dt.date, rng: random.Random) -> str:
    """A date as citations write it, in one of the usual forms."""
    day = f"{d.day:02d}" if rng.random() < 0.5 else str(d.day)
    mon = f"{d.month:02d}" if rng.random() < 0.5 else str(d.month)
    form = rng.random()
    if form < 0.6:
        return f"{day}/{mon}/{d.year}"
    if form < 0.85:
        return f"{day} tháng {mon} năm {d.year}"
    return f"{day}-{mon}-{d.year}"


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def deadline_phrase(rng: random.Random, after: dt.date) -> tuple[str, str | None, str | None]:
    """A time limit set after ``after``: (text as written, ISO start, ISO end)."""
    y = after.year if after.month <= 9 else after.year + 1
    m = rng.randint(after.month + 1, 12) if y == after.year else rng.randint(1, 12)
    day = rng.randint(1, calendar.monthrange(y, m)[1])
    d = dt.date(y, m, day)
    iso = d.isoformat
    kind = rng.randrange(11)
    if kind == 0:
        return f"hoàn thành trước ngày {d.day}/{d.month}/{y}", None, iso()
    if kind == 1:
        return f"hoàn thành trước ngày {d.day:02d} tháng {d.month:02d} năm {y}", None, iso()
    if kind == 2:
        return f"xong trước {d.day:02d}/{d.month:02d}/{y}", None, iso()
    if kind == 3:
        return f"trong tháng {m}/{y}", f"{y}-{m:02d}-01", _month_end(y, m).isoformat()
    if kind == 4:
        q = (m - 1) // 3
        roman = ("I", "II", "III", "IV")[q]
        return f"trong Quý {roman}/{y}", f"{y}-{3 * q + 1:02d}-01", _month_end(y, 3 * q + 3).isoformat()
    if kind == 5:
        return f"trong năm {y}", f"{y}-01-01", f"{y}-12-31"
    if kind == 6 and m < 12:
        m2 = rng.randint(m + 1, 12)
        return f"từ tháng {m} đến tháng {m2}/{y}", f"{y}-{m:02d}-01", _month_end(y, m2).isoformat()
    if kind == 7:
        return f"cuối năm {y}", f"{y}-12-01", f"{y}-12-31"
    if kind == 8:
        return f"thực hiện từ năm {y}", f"{y}-01-01", None
    if kind == 9:
        y2 = y + rng.randint(1, 5)
        return f"đến năm {y2}", None, f"{y2}-12-31"
    return "thực hiện thường xuyên", None, None


# ------------------------------------------------------------------------ citations


def _cite(ref: DocRef, rng: random.Random, dated: bool = True) -> str:
    comma = "," if rng.random() < 0.6 else ""
    date = f"{comma} ngày {_date_words(ref.date, rng)}" if dated else ""
    sym = ref.symbol
    if rng.random() < 0.1:  # spacing around the dash, as typed in many offices
        num, rest = sym.split("-", 1)
        sym = f"{num}{rng.choice((' - ', '- ', ' -'))}{rest}"
    return f"{ref.doc_type} số {sym}{date} của {ref.issuer_text}"


def _gold_citation(ref: DocRef, dated: bool) -> dict[str, Any]:
    key = ref.key if dated else ref.key.split("@")[0]
    return {"key": key, "doc_type": ref.doc_type, "symbol": ref.symbol,
            "date": ref.date.isoformat() if dated else None, "issuer": ref.issuer_gold}


# ---------------------------------------------------------------------------- units


def _units(org: Org) -> list[str]:
    names = vocab()["units"][org.level]
    return [u.format(L=org.committee, P=org.short, p=org.area) for u in names]


def _assignments(spec: PlanSpec, rng: random.Random, deadlines: list[dict[str, Any]]
                 ) -> tuple[list[str], list[dict[str, Any]]]:
    """Section III items and their gold assignments (one entry per unit)."""
    org = spec.org
    office = f"Văn phòng {org.committee}"
    pool = [u for u in _units(org) if u != office]
    chosen = rng.sample(pool, rng.randint(3, min(6, len(pool))))
    partners = [u for u in pool if u not in chosen and not u.startswith(("Các", "Đồng chí", "Cấp ủy"))]
    tasks = vocab()["tasks"]
    items: list[str] = []
    gold: list[dict[str, Any]] = []

    def limit() -> str | None:
        if rng.random() < 0.25:
            return None
        text, start, end = deadline_phrase(rng, spec.ref.date)
        deadlines.append({"text": text, "start": start, "end": end})
        return text

    for n, unit in enumerate(chosen, 1):
        task = rng.choice(tasks)
        when = limit()
        tail = f", {when}." if when else "."
        form = rng.randrange(4)
        if form == 0 and partners:
            partner = partners.pop(rng.randrange(len(partners)))
            items.append(f"{n}. {unit} chủ trì, phối hợp với {partner} {task}{tail}")
            gold.append({"unit": unit, "role": "chủ trì", "deadline": when})
            gold.append({"unit": partner, "role": "phối hợp", "deadline": when})
        elif form == 1:
            items.append(f"{n}. {unit}: {task[0].upper()}{task[1:]}{tail}")
            gold.append({"unit": unit, "role": "thực hiện", "deadline": when})
        elif form == 2:
            items.append(f"{n}. {unit} có trách nhiệm tham mưu {task}{tail}")
            gold.append({"unit": unit, "role": "tham mưu", "deadline": when})
        else:
            items.append(f"{n}. {unit} chỉ đạo {task}{tail}")
            gold.append({"unit": unit, "role": "chỉ đạo", "deadline": when})
    report = f"định kỳ báo cáo Ban Thường vụ {org.committee}"
    items.append(f"{len(chosen) + 1}. {office} theo dõi, đôn đốc việc thực hiện Kế hoạch này; {report}.")
    gold.append({"unit": office, "role": "theo dõi, đôn đốc", "deadline": report})
    deadlines.append({"text": report, "start": None, "end": None})
    return items, gold


# ------------------------------------------------------------------------- the plan


def _title(spec: PlanSpec, rng: random.Random) -> str:
    d = spec.directive
    if rng.random() < 0.15:
        return f"Tổ chức đợt sinh hoạt chính trị về {d.topic}"
    return f"{rng.choice(vocab()['title_verbs'])} {_cite(d, rng)} về {d.topic}"


def _break_lines(text: str, width: int, rng: random.Random) -> tuple[str, ...]:
    words, lines, cur = text.split(), [], ""
    limit = width + rng.randint(-10, 10)
    for w in words:
        if cur and len(cur) + 1 + len(w) > limit:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    return tuple(lines + [cur])


def _opening(spec: PlanSpec, rng: random.Random) -> tuple[str, list[DocRef]]:
    """The "Thực hiện …" sentence and the documents it names, in order."""
    k = rng.randint(1, len(spec.chain))
    named = list(spec.chain[:k])
    parts = [_cite(r, rng) for r in named]
    cited = " thực hiện ".join(parts) + f" về {spec.directive.topic}"
    if k < len(spec.chain) and rng.random() < 0.4:
        named.append(spec.directive)
        cited += f" và {_cite(spec.directive, rng)}"
    prefix = "Căn cứ Điều lệ Đảng Cộng sản Việt Nam; " if rng.random() < 0.2 else ""
    verb = rng.choice(("xây dựng Kế hoạch thực hiện", "ban hành Kế hoạch triển khai thực hiện"))
    return f"{prefix}Thực hiện {cited}, Ban Thường vụ {spec.org.committee} {verb} trong {spec.org.area} như sau:", named


def _short_name(ref: DocRef, rng: random.Random) -> str:
    return f"{ref.doc_type} số {ref.number}" if rng.random() < 0.5 else f"{ref.doc_type} số {ref.symbol}"


def _recipients(org: Org, rng: random.Random) -> tuple[tuple[str, ...], list[str]]:
    up = (f"Ban Thường vụ {org.parent.committee}", f"Ban Tuyên giáo {org.parent.committee}") if org.parent \
        else ("Ban Bí thư Trung ương Đảng", "Ban Tuyên giáo Trung ương")
    pool = [f"{up[0]} (để báo cáo)", f"{up[1]} (để báo cáo)",
            f"Các đồng chí Ủy viên Ban Thường vụ {org.committee}",
            f"Các đồng chí {org.committee} viên" if org.level != "commune" else "Các chi bộ trực thuộc",
            f"Ban Tổ chức {org.committee}", "Các tổ chức đảng trực thuộc"]
    chosen = rng.sample(pool, rng.randint(2, 5)) + [f"Lưu Văn phòng {org.committee}"]
    lines = tuple(f"- {r}," for r in chosen[:-1]) + (f"- {chosen[-1]}.",)
    gold = [r.replace(" (để báo cáo)", "") for r in chosen]
    return lines, gold


def _dedupe(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for e in entries:
        k = (e["text"], e["start"], e["end"])
        if k not in seen:
            seen.add(k)
            out.append(e)
    return out


def compose(spec: PlanSpec) -> Plan:
    """Write one plan's parts and gold from its spec (deterministic by ``spec.seed``)."""
    rng = random.Random(spec.seed)
    v = vocab()
    org, ref = spec.org, spec.ref
    title = _title(spec, rng)
    opening, named = _opening(spec, rng)
    title_cites = not title.startswith("Tổ chức đợt")
    full_elsewhere = title_cites or spec.directive in named
    d_short = _short_name(spec.directive, rng) if full_elsewhere else _cite(spec.directive, rng)
    deadlines: list[dict[str, Any]] = []
    blocks: list[tuple[str, str]] = [("para", opening), ("heading", "I. MỤC ĐÍCH, YÊU CẦU")]
    purposes = [rng.choice(v["purposes"][:2]), rng.choice(v["purposes"][2:])]
    for i, s in enumerate(purposes, 1):
        blocks.append(("para", f"{i}. {s.format(D=d_short)}"))
    blocks.append(("heading", rng.choice(("II. NỘI DUNG", "II. NHIỆM VỤ, GIẢI PHÁP"))))
    extras_dated = {r.key: rng.random() < 0.6 for r in spec.extra_refs}
    contents = rng.sample(v["contents"], rng.randint(2, 4))
    for i, s in enumerate(contents, 1):
        text = f"{i}. {s}"
        if i <= len(spec.extra_refs):
            x = spec.extra_refs[i - 1]
            text += f" Tiếp tục quán triệt {_cite(x, rng, extras_dated[x.key])} về {x.topic}."
        if rng.random() < 0.5:
            when, start, end = deadline_phrase(rng, ref.date)
            text += f" Thời gian: {when}."
            deadlines.append({"text": when, "start": start, "end": end})
        blocks.append(("para", text))
    blocks.append(("heading", "III. TỔ CHỨC THỰC HIỆN"))
    items, assignments = _assignments(spec, rng, deadlines)
    blocks.extend(("para", t) for t in items)
    on_behalf = "T/M ĐẢNG ỦY" if org.level == "commune" and rng.random() < 0.3 else "T/M BAN THƯỜNG VỤ"
    position = rng.choice(("BÍ THƯ", "PHÓ BÍ THƯ"))
    name = " ".join((rng.choice(v["surnames"]), rng.choice(v["middle_names"]), rng.choice(v["given_names"])))
    recip_lines, recip_gold = _recipients(org, rng)
    sym = ref.symbol if rng.random() < 0.85 else ref.symbol.replace("-", rng.choice((" - ", "- ")), 1)
    day = f"{ref.date.day:02d}" if rng.random() < 0.7 else str(ref.date.day)
    mon = f"{ref.date.month:02d}" if ref.date.month < 3 or rng.random() < 0.3 else str(ref.date.month)
    parts = PlanParts(
        header_left=org.header,
        symbol_line=f"Số{rng.choice((' ', ': '))}{sym}",
        header_right=("ĐẢNG CỘNG SẢN VIỆT NAM",),
        date_line=f"{org.place}, ngày {day} tháng {mon} năm {ref.date.year}",
        title_lines=_break_lines(title, 70, rng),
        blocks=tuple(blocks),
        signature=(on_behalf, position, name),
        recipients=recip_lines,
        sign_first=rng.random() < 0.5,
    )
    implements = [r.key for r in named]
    if title_cites and spec.directive.key not in implements:  # the subject line names it too
        implements.append(spec.directive.key)
    cites = {r.key: _gold_citation(r, True) for r in spec.chain if r in named or r is spec.directive}
    for x in spec.extra_refs:
        g = _gold_citation(x, extras_dated[x.key])
        cites.setdefault(g["key"], g)
    gold = {
        "doc": spec.stem,
        "header": {"doc_type": "Kế hoạch", "symbol": ref.symbol, "issuer": org.name, "place": org.place,
                   "date": ref.date.isoformat(), "title": _SYMBOL_GAP.sub(r"\1-\2", title)},
        "implements": implements,
        "citations": list(cites.values()),
        "assignments": assignments,
        "deadlines": _dedupe(deadlines),
        "signer": {"on_behalf": on_behalf, "position": position, "name": name},
        "recipients": recip_gold,
    }
    return Plan(spec, parts, gold)
