"""Citations: every distinct document the text refers to by number (SCHEMA.md "citations").

Eyecite-style: find every symbol (``find_symbols``) and every short form, read the words
around each (the type word before it; the date and the issuer "của ..." after it), then
group the mentions into distinct documents by key. Matching runs on the tone-folded text
(same length as ``Document.text``, so offsets hold); evidence is cut from the real text.

The document's own symbol (its header "Số ...", or a caption "kèm theo Kế hoạch số ...")
is not a citation. Numbers restart, so one symbol with two dates is two documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache

from pipeline.extract.dates import find_dates
from pipeline.extract.patterns import DocType, doc_type, normalise_issuer, tables
from pipeline.extract.shortforms import (
    Resolver,
    ShortForm,
    construct,
    find_anaphora,
    find_short_forms,
    resolve_anaphor,
    resolve_unique,
)
from pipeline.identity import Symbol, find_symbols, reissue, retype, truncated
from pipeline.extract.text import folded, sentence_at, squash, unwrap
from pipeline.models import Citation, Header, Mention, Table
from pipeline.normalise import fold_tones

_GAP_TO_DATE = re.compile(r"[\s,(\-–]*(?:(?:được\s+)?ban hành(?:\s+kèm theo)?|cùng)?[\s,]*", re.IGNORECASE)
_GAP_TO_ISSUER = re.compile(r"[\s,)]*(?:của|do|được)\s+", re.IGNORECASE)
# Between the issuer and the date: "do Chính phủ ban hành ngày ...", "được Quốc hội thông qua ngày ...".
_ISSUER_TO_DATE = re.compile(r"[\s,]*(?:(?:ban hành|thông qua|ký)[ \t]+)?", re.IGNORECASE)
_ROMAN_TERM = re.compile(r"\s*\(?(?:khóa|khoá)\s+[IVXLC]+\)?", re.IGNORECASE)
_ISSUER_END = re.compile(r"[\n,;:.()“”\"«»\[\]|<>]")
_YEAR_ONLY = re.compile(r"[ \t,]*(?:ban hành\s+)?năm\s+((?:19|20)\d\d)(?=\s*(?:của|do|về|[,;.)]|$))", re.IGNORECASE)
_SELF_CAPTION = re.compile(r"(?:kèm theo|ban hành kèm)[^\n]{0,40}$", re.IGNORECASE)
# "Ngày 25/9/2025, Ban Thường trực ... ban hành Công văn số 227/...": the date of the sentence
# is the date of the document it issues.
_DATE_BEFORE = re.compile(
    r"(?:(?<!\w)(?:Ngày|Vào ngày)|(?<=[.;:!?])\s+ngày)\s+(?P<date>\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*(?:19|20)\d\d"
    r"|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+(?:19|20)\d\d)\s*,\s*[^.;:\n]{0,160}?"
    r"(?:ban hành|đã có|có|gửi|ký)\s*$"
)


# Slashes a PDF or OCR layer writes for "/" inside a symbol or a date ("12/⁄2022", "4/7⁄2024").
_SLASHES = {"\u2044": "/", "\u2215": "/", "\uff0f": "/"}


def _readable(text: str) -> str:
    """The tone-folded text with look-alike slashes made "/" (same length, same offsets).

    Replaced one by one where present: ``str.translate`` walks the whole text in Python's
    slow per-character path, ~0.25 ms a plan for slashes almost no text has."""
    text = folded(text)
    for slash, plain in _SLASHES.items():
        if slash in text:
            text = text.replace(slash, plain)
    return text


@dataclass
class _Draft:
    """A citation being assembled (mutable until frozen into ``Citation``)."""

    symbol: Symbol
    date: str | None
    doc_type: str | None = None
    issuer: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    resolved: bool = True
    written: str = ""  # for unresolved short forms: "Nghị quyết số 34"

    # the Candidate protocol of shortforms
    @property
    def number(self) -> str:
        return self.symbol.number

    @property
    def type_code(self) -> str:
        return self.symbol.type_code

    @property
    def issuer_code(self) -> str:
        return self.symbol.issuer_code

    @property
    def key(self) -> str:
        if not self.resolved:
            return self.written
        return self.symbol.key(self.date)


@dataclass(frozen=True)
class _Found:
    """One mention with what the words around it say."""

    start: int
    end: int
    symbol: Symbol | None
    type: DocType | None
    date: str | None
    issuer: str | None
    short: ShortForm | None = None


@cache
def _type_before_re() -> re.Pattern[str]:
    t = tables().type_re.pattern
    return re.compile(rf"(?P<type>{t})[ \t]*(?:(?:số|Số|SỐ)[ \t]*:?[ \t]*)?$", re.IGNORECASE)


@cache
def _type_far_re() -> re.Pattern[str]:
    # "Luật Tổ chức chính quyền địa phương số 58/2024/QH15": a capitalised type word, its name, "số".
    t = tables().type_re.pattern
    return re.compile(rf"(?P<type>{t})(?P<name>[^;\n|]{{1,120}}?)[ \t]+(?:số|Số)[ \t]*:?[ \t]*$")


@cache
def _body_re() -> re.Pattern[str]:
    # "ngày 14/5/2023 Ban Thường vụ Tỉnh ủy": the body right after the date, no comma between
    return re.compile(rf"[ \t]+(?={tables().body_start}\b)")


def _type_before(ft: str, start: int, line_start: int) -> tuple[DocType | None, int]:
    pre = ft[max(line_start, start - 160) : start]
    m = _type_before_re().search(pre)
    if m:
        t = doc_type(m.group("type"))
        if t and not (t.capitalised and not m.group("type")[0].isupper()):
            return t, start - len(pre) + m.start()
    m2 = None
    for m2 in _type_far_re().finditer(pre):
        pass
    if m2 and m2.group("type")[0].isupper() and not tables().type_re.search(m2.group("name")) and not find_symbols(m2.group("name")):
        t = doc_type(m2.group("type"))
        if t:
            return t, start - len(pre) + m2.start()
    return None, start


def _issuer_at(ft: str, pos: int) -> tuple[str | None, int]:
    """The issuer phrase starting at ``pos`` and where it ends."""
    limit = min(len(ft), pos + 160)
    hard = _ISSUER_END.search(ft, pos, limit)
    end = hard.start() if hard else limit
    t = tables()
    cut = end
    # An upper-case title ("... CỦA BAN CHẤP HÀNH ĐẢNG BỘ TỈNH VỀ ..."): find the stop words in lower case.
    scan = ft.lower() if ft[pos:end].isupper() else ft
    for m in t.stop_re.finditer(scan, pos, end):
        word = m.group().lower()
        if word in ("khóa", "khoá") and t.keep_term.search(ft[pos : m.start()]):
            continue
        if m.start() == pos:
            continue
        cut = m.start()
        break
    # "Ban Tuyên giáo Huyện ủy và Hướng dẫn số 14": a new citation starts.
    vm = re.search(rf"\s+và\s+(?={t.type_re.pattern})", ft[pos:cut], re.IGNORECASE)
    if vm:
        cut = pos + vm.start()
    phrase = re.sub(r"(?:\s+(?:và|hoặc|của|về))+$", "", squash(ft[pos:cut]))
    words = phrase.split()
    if not words or not (words[0][0].isupper() or words[0] in ("các",)):
        return None, pos
    if len(words) > 14:
        return None, pos
    term = _ROMAN_TERM.match(ft, cut)
    end_at = term.end() if term else cut
    return normalise_issuer(phrase), end_at


_PLACE_DATE_LINE = re.compile(r"[ \t*_]*[^\W\d][^\n,;:]{0,40},[ \t]*ngày\b", re.IGNORECASE)


def _date_line_at(raw: str, pos: int, end: int) -> int | None:
    """Where a place-and-date line ("Hà Nội, ngày ...") starts between ``pos`` and ``end`` in
    ``raw`` (the text before wrapped lines were joined), or None."""
    nl = raw.find("\n", pos, end)
    while nl >= 0:
        if _PLACE_DATE_LINE.match(raw, nl + 1):
            return nl
        nl = raw.find("\n", nl + 1, end)
    return None


def _tail(ft: str, pos: int, raw: str = "") -> tuple[str | None, str | None, int]:
    """The date and issuer written after a citation's symbol: ``(date, issuer, end)``.

    ``raw`` (``ft`` before wrapped lines were joined) shows a header's place-and-date line,
    which ends a subject line's citation: its date is the letter's own."""
    date: str | None = None
    issuer: str | None = None
    end = pos
    window = ft[pos : pos + 80]
    for dm in find_dates(window):
        gap = window[: dm.start]
        if dm.date and _GAP_TO_DATE.fullmatch(gap):
            date, end = dm.iso, pos + dm.end
        break
    if date is None:
        ym = _YEAR_ONLY.match(ft, pos)
        if ym:  # "Chương trình số 29-CTr/TU năm 2021 của ...": only the year is known
            date, end = ym.group(1), ym.end(1)
    m = _GAP_TO_ISSUER.match(ft, end)
    if m:
        issuer, iend = _issuer_at(ft, m.end())
        if issuer:
            end = iend
    elif date:
        b = _body_re().match(ft, end)
        if b:
            issuer, iend = _issuer_at(ft, b.end())
            if issuer:
                end = iend
    if issuer and not date:
        window = ft[end : end + 40]
        for dm in find_dates(window):
            if dm.date and _ISSUER_TO_DATE.fullmatch(window[: dm.start]) and dm.text.lower().startswith("ngày"):
                line = _date_line_at(raw, pos, end + dm.end) if raw else None
                if line is None:
                    date, end = dm.iso, end + dm.end
                else:  # "V/v ... Công văn số 77/VPCP của Văn phòng Chính phủ | Hà Nội, ngày ..."
                    issuer = normalise_issuer(squash(ft[m.end() : line])) if m and line > m.end() else issuer
                    end = line
            break
    return date, issuer, end


def _date_before(ft: str, start: int) -> str | None:
    """The date of a sentence that opens "Ngày <date>, <body> ban hành <this mention>"."""
    m = _DATE_BEFORE.search(ft, max(0, start - 220), start)
    if not m or m.end() != start:
        return None
    found = find_dates(m.group("date"))
    return found[0].iso if found and found[0].date else None


def _line_start(ft: str, pos: int) -> int:
    return ft.rfind("\n", 0, pos) + 1


# "Nghị quyết số 26, 27-NQ/TW": numbers sharing the symbol's type and issuer, before it.
_NUMBER_LIST = re.compile(r"(?:số|Số|SỐ)[ \t]*:?[ \t]*(?P<nums>\d{1,5}(?:[ \t]*(?:,|và|,[ \t]*và)[ \t]*\d{1,5})*)[ \t]*(?:,|và|,[ \t]*và)[ \t]*$")
# Between two symbols of one coordinated list: "26-NQ/TW, 27-NQ/TW", "26-NQ/TW và số 27-NQ/TW".
_LIST_GAP = re.compile(r"[ \t]*(?:,|và|,[ \t]*và)[ \t]*(?:(?:số|Số)[ \t]*)?")


def _shared_suffix(ft: str, sym: Symbol) -> list[Symbol]:
    """The numbers written before ``sym`` that share its type and issuer ("số 26, 27-NQ/TW" → 26-NQ/TW)."""
    line_start = _line_start(ft, sym.start)
    pre = ft[max(line_start, sym.start - 80) : sym.start]
    m = _NUMBER_LIST.search(pre)
    if not m:
        return []
    at = sym.start - len(pre) + m.start("nums")
    return [
        replace(sym, number=n.group(), start=at + n.start(), end=at + n.end())
        for n in re.finditer(r"\d{1,5}", m.group("nums"))
    ]


# "Quyết định số 45 12/QĐ-BXD": OCR broke the number with a space.
_SPLIT_NUMBER = re.compile(r"(?:số|Số|SỐ)[ \t]*:?[ \t]*(?P<head>\d{1,4})[ \t]+$")


def _rejoined(ft: str, sym: Symbol, bases: set[str]) -> Symbol:
    """``sym`` with the digits that a space cut off before it, where the text writes the whole
    symbol elsewhere ("số 45 12/QĐ-BXD" and "số 4512/QĐ-BXD")."""
    m = _SPLIT_NUMBER.search(ft, max(0, sym.start - 16), sym.start)
    if not m or len(m.group("head")) + len(sym.number) > 5:
        return sym
    whole = replace(sym, number=m.group("head") + sym.number, start=m.start("head"))
    return whole if whole.base_key in bases else sym


def _share_tails(ft: str, found: list[_Found]) -> list[_Found]:
    """A date (and issuer) written after the last symbol of a list applies to each one before
    it; the type word written before the first applies to each one after it."""
    out = list(found)

    def listed(a: _Found, b: _Found) -> bool:
        if a.symbol is None or b.symbol is None:
            return False
        same_kind = (a.symbol.type_code, a.symbol.issuer_code, a.symbol.state) == (
            b.symbol.type_code, b.symbol.issuer_code, b.symbol.state,
        )  # fmt: skip
        return same_kind and bool(_LIST_GAP.fullmatch(ft[a.symbol.end : b.start]))

    for i in range(len(out) - 2, -1, -1):
        a, b = out[i], out[i + 1]
        if not (a.date or a.issuer) and listed(a, b):
            out[i] = replace(a, date=b.date, issuer=b.issuer, type=a.type or b.type)
    for i in range(1, len(out)):
        a, b = out[i - 1], out[i]
        if b.type is None and a.type is not None and listed(a, b):
            out[i] = replace(b, type=a.type)
    return out


def find_mentions(text: str) -> list[_Found]:
    """Every full and short mention in ``text``, in text order."""
    raw = _readable(text)
    ft = unwrap(raw)
    found: list[_Found] = []
    symbols = find_symbols(ft)
    bases = {s.base_key for s in symbols}
    for sym in symbols:
        sym = _rejoined(ft, sym, bases)
        extra = _shared_suffix(ft, sym)
        t, start = _type_before(ft, extra[0].start if extra else sym.start, _line_start(ft, sym.start))
        if t is not None and t.code:
            sym = retype(sym, t.code)
        date, issuer, end = _tail(ft, sym.end, raw)
        sym = reissue(sym, issuer)
        if date is None:
            date = _date_before(ft, start)
        for k, e in enumerate(extra):
            found.append(_Found(start if k == 0 else e.start, e.end, e, t, date, issuer))
        found.append(_Found(sym.start if extra else start, max(end, sym.end), sym, t, date, issuer))
    found = _share_tails(ft, found)
    spans = [(f.start, f.end) for f in found]
    for s, e, t, num in find_short_forms(ft):
        if any(s < b and a < e for a, b in spans):
            continue
        date, issuer, end = _tail(ft, e, raw)
        short = ShortForm(s, e, t, num, date, issuer, end)
        found.append(_Found(s, max(end, e), None, t, date, issuer, short))
    return sorted(found, key=lambda f: f.start)


_HEADER_SO = re.compile(r"(?:^|\n|\|)[ \t*#]*S[ốỐ][ \t]*[:.]?[ \t]*$")


def _is_self(f: _Found, own: Header | None, own_key: str | None, text: str) -> bool:
    if f.symbol is not None and f.start < 2500 and _HEADER_SO.search(text[max(0, f.start - 40) : f.start]):
        return True  # the header's "Số 46-KH/ĐUK" line: this document's own number
    if f.symbol is None or own is None or own_key is None:
        return False
    if f.symbol.base_key != own_key:
        return False
    if f.date is None or f.date == own.date:
        return True
    return bool(_SELF_CAPTION.search(text[max(0, f.start - 60) : f.start]))


def _mention(text: str, f: _Found, tables_: tuple[Table, ...], form: str) -> Mention:
    in_table = any(t.start <= f.start < t.end for t in tables_)
    return Mention(f.start, f.end, squash(text[f.start : f.end]), sentence_at(text, f.start), "table" if in_table and form == "full" else form)


def find_citations(
    text: str,
    own: Header | None = None,
    tables_: tuple[Table, ...] = (),
    resolve_short: Resolver = resolve_unique,
) -> tuple[Citation, ...]:
    """The distinct documents cited in ``text`` (not ``own``), in order of first mention.

    Args:
        text: ``Document.text``.
        own: the document's header; its symbol (and date) is excluded.
        tables_: ``Document.tables``, to mark mentions read from a table row.
        resolve_short: picks the full citation a short form refers to (see shortforms).
    """
    ft = unwrap(_readable(text))
    own_key = None
    if own and own.symbol:
        syms = find_symbols(fold_tones(own.symbol))
        own_key = syms[0].base_key if syms else None
    found = find_mentions(text)
    drafts: list[_Draft] = []
    by_base: dict[str, list[_Draft]] = {}
    # Full mentions first: dated mentions make documents, undated ones join them.
    full = [f for f in found if f.symbol is not None and not _is_self(f, own, own_key, text)]
    for f in sorted(full, key=lambda f: (_precision(f.date), f.start)):
        assert f.symbol is not None
        group = by_base.setdefault(f.symbol.base_key, [])
        target = _pick(group, f)
        if target is None:
            target = _Draft(f.symbol, f.date)
            group.append(target)
            drafts.append(target)
        _absorb(target, f, _mention(text, f, tables_, "full"))
    unresolved: dict[str, _Draft] = {}
    for f in found:
        if f.short is None:
            continue
        i = resolve_short(f.short, drafts)
        if i is not None:
            _absorb(drafts[i], f, _mention(text, f, tables_, "short"))
            continue
        sym = construct(f.short)
        if sym is not None:
            d = _Draft(sym, f.date)
            drafts.append(d)
            by_base.setdefault(sym.base_key, []).append(d)
            _absorb(d, f, _mention(text, f, tables_, "short"))
            continue
        written = f"{f.short.type.name} số {int(f.short.number)}"
        d = unresolved.get(written) or _Draft(Symbol(f.short.number, f.short.type.code, ""), f.date, resolved=False, written=written)
        unresolved[written] = d
        _absorb(d, f, _mention(text, f, tables_, "short"))
    _join_truncated(drafts)
    _add_anaphora(text, ft, drafts, own, tables_)
    ordered = sorted(drafts, key=lambda d: d.mentions[0].start) + list(unresolved.values())
    return tuple(_freeze(d) for d in ordered)


def _join_truncated(drafts: list[_Draft]) -> None:
    """A symbol that lost its issuer ("Nghị định số 12/2022/NĐ" where a scan's line ends) is the
    one whole symbol of the text with its number, type and year, if it has one ("12/2022/NĐ-CP")."""
    for d in [d for d in drafts if truncated(d.symbol)]:
        s = d.symbol
        whole = [
            o for o in drafts
            if o.resolved and o.symbol.state and o.symbol.type_code == s.issuer_code
            and o.symbol.plain_number == s.plain_number and s.year in (None, o.symbol.year)
        ]  # fmt: skip
        if len(whole) != 1 or (d.date and whole[0].date and d.date != whole[0].date):
            continue
        for m in d.mentions:
            whole[0].mentions.append(m)
        whole[0].mentions.sort(key=lambda x: x.start)
        whole[0].date = whole[0].date or d.date
        drafts.remove(d)


def _add_anaphora(text: str, ft: str, drafts: list[_Draft], own: Header | None, tables_: tuple[Table, ...]) -> None:
    """Attach "Chỉ thị này" / "Kết luận nói trên" to the one earlier citation of that type."""
    resolved = [d for d in drafts if d.resolved]
    first_at = [d.mentions[0].start for d in resolved]
    for s, e, t, ref in find_anaphora(ft):
        if ref == "này" and own is not None and own.doc_type == t.name:
            continue  # "Kế hoạch này" in a plan is the plan itself
        i = resolve_anaphor(s, t, resolved, first_at)
        if i is not None:
            f = _Found(s, e, None, t, None, None)
            resolved[i].mentions.append(_mention(text, f, tables_, "short"))
            resolved[i].mentions.sort(key=lambda x: x.start)


def _precision(date: str | None) -> int:
    """Full dates make documents first, then year-only mentions, then undated ones join."""
    return 2 if date is None else (1 if len(date) == 4 else 0)


def _pick(group: list[_Draft], f: _Found) -> _Draft | None:
    if not group:
        return None
    if f.date is not None and len(f.date) == 4:  # year only: the dated document of that year
        same = [d for d in group if d.date and d.date[:4] == f.date]
        return same[0] if len(same) == 1 else None
    if f.date is not None:
        return next((d for d in group if d.date == f.date), None)
    before = [d for d in group if d.mentions and d.mentions[0].start <= f.start]
    return before[-1] if before else group[0]


def _absorb(d: _Draft, f: _Found, m: Mention) -> None:
    d.mentions.append(m)
    d.mentions.sort(key=lambda x: x.start)
    if d.date is None and f.date:
        d.date = f.date
    if f.type and (d.doc_type is None or d.mentions[0] is m):
        d.doc_type = f.type.name
    if f.issuer and (d.issuer is None or (d.issuer.isupper() and not f.issuer.isupper())):
        d.issuer = f.issuer  # the first issuer written, in running text rather than a capitals title


def _freeze(d: _Draft) -> Citation:
    s = d.symbol
    doc_type_ = d.doc_type or _type_from_code(s)
    year = int(d.date[:4]) if d.date else s.year
    date = d.date if d.date and len(d.date) > 4 else None
    return Citation(
        key=d.key,
        doc_type=doc_type_,
        symbol=s.text if d.resolved else None,
        date=date,
        issuer=d.issuer,
        number=s.plain_number,
        type_code=s.type_code,
        issuer_code=s.issuer_code,
        year=year,
        mentions=tuple(d.mentions),
        resolved=d.resolved,
    )


def _type_from_code(s: Symbol) -> str | None:
    by_code = tables().name_by_code
    if s.type_code:
        return by_code.get(s.type_code)
    return by_code.get(re.sub(r"\d+$", "", s.issuer_code))


__all__ = ["find_citations", "find_mentions"]
