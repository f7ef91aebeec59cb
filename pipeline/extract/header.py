"""The document's own header: type, symbol, issuer, place, date, title, scope.

Vietnamese administrative documents open with a fixed block (Nghị định 30/2020/NĐ-CP,
Hướng dẫn 36-HD/VPTW): the issuing body's lines (parent body above, issuer below), "Số
..." under them, the place-and-date line on the right, then the type word in capitals
("KẾ HOẠCH") with the subject line under it. Readers may give the two columns as
separate lines or as one table row ("A | B"), so every line is split into cells.

Where the block is missing (plans pasted without their header) the issuer comes from
the opening sentence ("..., Ban Thường vụ Tỉnh ủy ban hành Kế hoạch ...") and its place
from the text ("Đảng bộ tỉnh Quảng Ninh"); the date from a caption that dates this
document ("kèm theo Kế hoạch số 31-KH/ĐUK, ngày 19/4/2022").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.extract.dates import find_dates
from pipeline.extract.patterns import NAME_WORD, UPPER, doc_type, normalise_issuer, tables
from pipeline.identity import find_symbols
from pipeline.extract.text import folded, layout_lines, squash, unwrap
from pipeline.models import Header, Table
from pipeline.normalise import fold_tones

_SEPARATOR = re.compile(r"^[\s\-_*=.~–—]{1,}$")
_SO = re.compile(r"^\W*S[ốỐ]\s*(?:[:.]|\b)", re.IGNORECASE)
_PLACE_DATE = re.compile(rf"^(?P<place>[{UPPER}][^\d,|:;()]{{1,40}}?)\s*,\s*ngày\b", re.IGNORECASE)
_OPENER = re.compile(
    r"^[-+•*]?\s*(?:Thực hiện|Căn cứ|Triển khai|Để|Nhằm|Thi hành|Theo|Trên cơ sở|Qua|Sau khi|Kính gửi|Xét|"
    r"Tiếp tục|Nhận được|Hiện nay|Ngày|Vừa qua|Chấp hành|Quán triệt)\b"
)
_HEADING = re.compile(r"^(?:[IVXLC]+|\d+|[a-zđ])\s*[.\-–)/]\s*\S")
_AUTHORITY = re.compile(
    r"^(?:HỘI ĐỒNG|ỦY BAN|UỶ BAN|BAN |BỘ TRƯỞNG|THỦ TƯỚNG|CHỦ TỊCH|TRƯỞNG BAN|ĐẢNG ỦY|ĐẢNG UỶ|TỈNH ỦY|"
    r"THÀNH ỦY|HUYỆN ỦY|BAN CHẤP HÀNH|BAN THƯỜNG|KHÓA |KHOÁ |QUYẾT ĐỊNH|QUYẾT NGHỊ)"
)
# "(Ban hành kèm theo Quyết định số ...)" under a title: what issued it, not its subject.
_ATTACHED = re.compile(r"^\(?\s*(?:Ban hành\s+)?kèm theo\b", re.IGNORECASE)
_NATIONAL = re.compile(
    r"^(?:ĐẢNG CỘNG SẢN VIỆT NAM|ĐOÀN TNCS HỒ CHÍ MINH|ĐOÀN THANH NIÊN CỘNG SẢN HỒ CHÍ MINH|CỘNG HÒA|CỘNG HOÀ|Độc lập|ĐỘC LẬP|\*+|[-_]+)", re.IGNORECASE
)
# The right column's national line, when a PDF text layer runs the two columns together.
_NATIONAL_TAIL = re.compile(r"\s+(?:ĐẢNG CỘNG SẢN VIỆT NAM|ĐOÀN TNCS HỒ CHÍ MINH|CỘNG H[ÒO]A XÃ HỘI CHỦ NGHĨA VIỆT NAM)\b.*$")
# "<issuer> ban hành/xây dựng <own type>": %s is the document's own type word.
_PLAN_VERB = r"(?:ban hành|xây dựng|xây dựng và ban hành|triển khai|hướng dẫn|thông báo|lập)\s+(?:các\s+)?(?=%s)"
_LEVEL_OF_BODY = {
    "Tỉnh ủy": ("tỉnh",), "Thành ủy": ("thành phố",), "Huyện ủy": ("huyện",),
    "Thị ủy": ("thị xã",), "Quận ủy": ("quận",), "Đảng ủy": ("xã", "phường", "thị trấn"),
}  # fmt: skip
_NAME = rf"{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,3}}"


# A blank number ("Số:      /KH-SYT") is one cell.
_COLUMN_GAP = re.compile(r"\||(?<=\S)(?<!Số:)(?<!Số)(?<!SỐ:)(?<!SỐ)(?:[ \t]*\t[ \t]*| {4,})(?=[^\s/\-–])")


@dataclass(frozen=True)
class _Cell:
    start: int
    end: int
    text: str  # cleaned: no markdown marks, squashed


def _cells(text: str, tables_: Sequence[Table], end: int) -> list[_Cell]:
    """Layout lines of ``text[:end]`` (tables unfolded), split into cleaned cells at "|" and
    at the tabs or wide spaces that set the two header columns apart in plain text."""
    out: list[_Cell] = []
    for at, line in layout_lines(text, tables_, end):
        for part in _COLUMN_GAP.split(line):
            clean = squash(part.replace("**", " ").replace("\\*", "*").strip("#> \t:"))
            out.append(_Cell(at, at + len(line), clean))
    return out


def _unspeckle(s: str) -> str:
    """A line without the specks a scan adds before it (". KẾ HOẠCH")."""
    return re.sub(r"^[.,;:'`·•°*_~\-\s]+", "", s)


def _title_word(cells: list[_Cell]) -> int | None:
    """Index of the cell holding the document's type word in capitals."""
    rx = tables().header_re
    for i, c in enumerate(cells[:80]):
        text = _unspeckle(c.text)
        m = rx.match(fold_tones(text))
        if not m:
            continue
        nxt = text[m.end() : m.end() + 1]
        if nxt and nxt.isalpha() and nxt.isupper():
            continue
        return i
    return None


def _title(cells: list[_Cell], i: int, text: str) -> tuple[str | None, int]:
    """The subject line(s) after the type word, joined; and the index after them."""
    rx = tables().header_re
    first = _unspeckle(cells[i].text)
    m = rx.match(fold_tones(first))
    parts = [first[m.end() :].strip()] if m and first[m.end() :].strip() else []
    j = i + 1
    while j < len(cells) and j < i + 12:
        t = cells[j].text
        if not t:
            j += 1
            continue
        if _SEPARATOR.match(t):
            j += 1
            break
        upper_title = bool(parts) and all(p.upper() == p for p in parts)
        if parts and (_OPENER.match(t) or _HEADING.match(t) or _ATTACHED.match(t) or len(t) > 260):
            break
        if parts and t.upper() == t and any(ch.isalpha() for ch in t) and (not upper_title or _AUTHORITY.match(t)):
            break
        parts.append(t)
        j += 1
    title = squash(" ".join(parts)) or None
    return (_normalise_symbols(title) if title else None), j


def _normalise_symbols(s: str) -> str:
    """Symbols inside a title in their normal form ("21- KL/TW" → "21-KL/TW")."""
    for sym in reversed(find_symbols(s)):
        s = s[: sym.start] + sym.text + s[sym.end :]
    return s


def org_case(upper: str) -> str:
    """An upper-case header line as a name: "ĐẢNG ỦY XÃ KỲ LỢI" → "Đảng ủy xã Kỳ Lợi"."""
    t = tables()
    s = fold_tones(squash(upper))
    for rx, repl in t.issuer_rules:  # abbreviations written out: "BCH ĐOÀN" → "Ban Chấp hành ĐOÀN"
        s = rx.sub(repl, s)
    s = s.lower()
    kept: set[int] = set()  # offsets of characters inside a kept phrase
    for phrase in t.upper_phrases:
        for m in re.finditer(rf"(?<!\w){re.escape(phrase.lower())}(?!\w)", s):
            if m.start() not in kept:
                kept.update(range(m.start(), m.end()))
                s = s[: m.start()] + phrase + s[m.end() :]
    tokens = list(re.finditer(r"[^ ]+", s))
    words = [m.group() for m in tokens]
    starts = [m.start() for m in tokens]
    out: list[str] = []
    name_mode = False
    field_next = False
    i = 0
    while i < len(words):
        w = words[i]
        two = " ".join(words[i : i + 2])
        if two in t.place_words:
            out += words[i : i + 2]
            i += 2
            name_mode = True
            continue
        if w in t.place_words:
            out.append(w)
            i += 1
            name_mode = True
            continue
        if name_mode or field_next:
            w = w[:1].upper() + w[1:]
            field_next = False
        if w.capitalize() in t.field_words and not name_mode and starts[i] not in kept:
            w = w.capitalize()
            field_next = True
        out.append(w)
        i += 1
    res = " ".join(out)
    return res[:1].upper() + res[1:]


def _place_name(name: str, level_words: tuple[str, ...]) -> str | None:
    """The place after a level word in a name: ("Đảng bộ tỉnh Hải Dương", ("tỉnh",)) → "Hải Dương".

    A level word written with a capital is part of the name ("Thành phố Hồ Chí Minh") and stays.
    """
    for lw in level_words:
        m = re.search(rf"(?<!\w)((?i:{lw}))\s+({_NAME})$", name)
        if m:
            return f"{m.group(1)} {m.group(2)}" if m.group(1)[0].isupper() else m.group(2)
    return None


_ALL_LEVELS = ("thành phố", "thị xã", "thị trấn", "tỉnh", "huyện", "quận", "xã", "phường")


_SUB_BODY = re.compile(r"^(?:Ban|Tiểu ban|Văn phòng|Ủy ban Kiểm tra|Thường trực|Phòng|Tổ|Cơ quan)\b")
_ONLY_PLACE = re.compile(rf"^(?i:{'|'.join(_ALL_LEVELS)})\s+{_NAME}$")
# A header line that goes on with the name above ("ĐẢNG ỦY KHỐI CÁC CƠ QUAN / VÀ DOANH NGHIỆP TỈNH").
_CONTINUES = re.compile(r"^(?:VÀ|CÁC|CỦA|THUỘC|TRỰC THUỘC)\s")
# A level committee written bare under its parent ("ĐẢNG BỘ TỈNH NGHỆ AN / TỈNH ỦY").
_BARE_COMMITTEE = {
    **{k: v for k, v in _LEVEL_OF_BODY.items() if k != "Đảng ủy"},
    "Tỉnh đoàn": ("tỉnh",), "Thành đoàn": ("thành phố",), "Huyện đoàn": ("huyện",),
}  # fmt: skip


def _joined_lines(orgs: list[str]) -> list[str]:
    """Header lines with a name wrapped over two lines made one again."""
    out: list[str] = []
    for o in orgs:
        if out and _CONTINUES.match(fold_tones(o)):
            out[-1] = f"{out[-1]} {o}"
        else:
            out.append(o)
    return out


def _head(name: str) -> str | None:
    """The field head ("Sở", "Bộ", ...) that opens ``name``, if any."""
    return next((w for w in tables().field_words if re.match(rf"{w}\s", name)), None)


def _committee(name: str) -> str | None:
    """The bare committee a name ends in: "Ban Tuyên giáo Tỉnh ủy" → "Tỉnh ủy"."""
    return next((c for c in _BARE_COMMITTEE if name == c or name.endswith(f" {c}")), None)


def _siblings(a: str, b: str) -> bool:
    """Two bodies of one kind on consecutive lines: a joint document's issuers."""
    if _head(a) and _head(a) == _head(b):
        return True  # SỞ GIÁO DỤC VÀ ĐÀO TẠO / SỞ Y TẾ
    c = _committee(a)  # BAN TUYÊN GIÁO TỈNH ỦY / BAN DÂN VẬN TỈNH ỦY
    return bool(c) and c != a and _committee(b) == c and c != b and bool(_SUB_BODY.match(a) and _SUB_BODY.match(b))


def _with_parent_place(issuer: str, parent: str) -> str:
    """A body named without its place takes the parent's: "Tỉnh ủy" under "Đảng bộ tỉnh Nghệ An"."""
    committee = _committee(issuer)
    if committee:
        place = _place_name(parent, _BARE_COMMITTEE[committee])
    elif _head(issuer) and not re.search(rf"(?<!\w)(?:{'|'.join(_ALL_LEVELS)})(?!\w)", issuer, re.IGNORECASE):
        place = _place_name(parent, ("tỉnh", "thành phố"))
    else:
        return issuer
    return f"{issuer} {place}" if place else issuer


def _issuer_from_lines(orgs: list[str]) -> str | None:
    """The issuing body from the header's organisation lines (parent above, issuer below).

    A line that is only a place ("XÃ LƯƠNG MINH") completes the line above, and so does a
    line that goes on with a wrapped name ("VÀ DOANH NGHIỆP TỈNH"); a sub-body ("BAN TỔ
    CHỨC", "BAN THƯỜNG TRỰC") is named with its parent ("Ban Tổ chức Thành ủy Hà Nội"); a
    committee whose name ends in its level ("... CƠ QUAN TỈNH") or a body written without
    its place ("TỈNH ỦY", "SỞ Y TẾ") takes the place from the parent ("ĐẢNG BỘ TỈNH HẢI
    DƯƠNG"). Sibling bodies of one kind on consecutive lines ("SỞ GIÁO DỤC VÀ ĐÀO TẠO / SỞ Y
    TẾ", "BAN TUYÊN GIÁO TỈNH ỦY / BAN DÂN VẬN TỈNH ỦY", a joint plan) issue together: "Sở
    Giáo dục và Đào tạo và Sở Y tế ...". Each line is named under its parent's full name,
    so three levels compose ("ĐẢNG BỘ TỈNH X / TỈNH ỦY / BAN TUYÊN GIÁO").
    """
    units: list[str] = []
    lines = _joined_lines(orgs)
    for n, o in enumerate(lines):
        name = org_case(o)
        if n == 0 and len(lines) > 1 and _names_own_org(name, org_case(lines[1])):
            continue  # "HỘI NÔNG DÂN VIỆT NAM / BCH HỘI NÔNG DÂN TỈNH X": the national parent line
        if units and _ONLY_PLACE.match(name):
            place = name if name in tables().upper_phrases else f"{name[:1].lower()}{name[1:]}"
            units[-1] = f"{units[-1]} {place}"
        elif units and _siblings(units[-1], name):
            units[-1] = f"{units[-1]} và {name}"  # joint issuers
        else:
            units.append(name)
    if not units:
        return None
    full = units[0]
    for unit in units[1:]:  # each line named under its parent's full name
        full = _named_under(unit, full)
    return full


def _names_own_org(parent: str, child: str) -> bool:
    """``parent`` is a national organisation ("Hội Nông dân Việt Nam") that ``child`` names itself."""
    if not parent.endswith(" Việt Nam"):
        return False
    org = parent.removesuffix(" Việt Nam")
    return " " in org and re.search(rf"(?<!\w){re.escape(org)}\s+(?i:{'|'.join(_ALL_LEVELS)})\b", child) is not None


def _named_under(issuer: str, parent: str) -> str:
    """``issuer``'s full name under ``parent`` ("Ban Tổ chức" under "Thành ủy Hà Nội")."""
    if _committee(issuer):  # "BAN TUYÊN GIÁO TỈNH ỦY" under "ĐẢNG BỘ TỈNH QUẢNG NINH"
        return _with_parent_place(issuer, parent)
    if issuer.startswith("Phòng ") and parent.startswith("Ủy ban nhân dân "):
        return f"{issuer} {parent.removeprefix('Ủy ban nhân dân ')}"  # a district's department: its place
    if _SUB_BODY.match(issuer):
        sep = ", " if "," in issuer else " "
        if parent.startswith("Ban Chấp hành Trung ương"):
            parent = "Trung ương"  # BAN TỔ CHỨC under BAN CHẤP HÀNH TRUNG ƯƠNG: Ban Tổ chức Trung ương
        elif not issuer.startswith("Ban Chấp hành"):
            parent = _committee_of(parent)
        return f"{issuer}{sep}{parent}"
    level = re.search(rf"(?<!\w)({'|'.join(_ALL_LEVELS)})$", issuer)
    if level:
        lv = level.group(1)
        place = _place_name(parent, (lv, "thành phố") if lv == "tỉnh" else (lv,))
        if place and place[0].isupper() and fold_tones(place).lower().startswith(lv):
            return f"{issuer[: level.start()]}{place}"  # "... thành phố" + "Thành phố Hồ Chí Minh"
        return f"{issuer} {place}" if place else issuer
    return _with_parent_place(issuer, parent)


def _committee_of(parent: str) -> str:
    """The committee whose organs sit under a Party organisation: "Đảng bộ tỉnh X" → "Tỉnh ủy X".

    "ĐẢNG BỘ TỈNH LẠNG SƠN / ỦY BAN KIỂM TRA" is the Tỉnh ủy's commission, not the Đảng bộ's.
    """
    m = re.match(r"Đảng bộ ((?i:thành phố|thị xã|thị trấn|tỉnh|huyện|quận|xã|phường))\s+(\S.*)$", parent)
    if not m:
        return parent
    level = m.group(1).lower()
    committee = next((c for c, lvs in _LEVEL_OF_BODY.items() if c != "Đảng ủy" and level in lvs), None)
    place = _place_name(parent, (level,))
    if place is None:
        return parent
    return f"{committee} {place}" if committee else f"Đảng ủy {level} {place}"


def _issuer_from_opening(text: str, start: int, own_type: str | None) -> str | None:
    """The subject of "X ban hành/xây dựng Kế hoạch" in the opening paragraph(s)."""
    word = own_type or "Kế hoạch"
    ft = unwrap(fold_tones(text[start : start + 4000]))
    verb = re.compile(_PLAN_VERB % re.escape(word), re.IGNORECASE)
    m = None
    for m in verb.finditer(ft):
        break
    if not m:
        return None
    clause = re.split(r"[,.;:\n”\"]", ft[: m.start()])[-1].strip()
    words = clause.split()
    if not words or not words[0][0].isupper() or len(words) > 14:
        return None
    return normalise_issuer(clause)


def _scope_for(issuer: str, text: str) -> str | None:
    """The place that completes a bare body name, from "Đảng bộ <level> <Name>" in the text."""
    ft = folded(text)
    for body, levels in _LEVEL_OF_BODY.items():
        if issuer == body:
            found = Counter(
                (m.group(1), m.group(2)) for m in re.finditer(rf"Đảng bộ ({'|'.join(levels)})\s+({_NAME})", ft)
            )
            if found:
                level, name = found.most_common(1)[0][0]
                return f"{level} {name}" if body == "Đảng ủy" else name
    return None


def _strip_standing(issuer: str) -> str:
    """"Ban Thường vụ Tỉnh ủy" → "Tỉnh ủy": a plan is issued in the committee's name."""
    m = re.match(r"^(?:Ban Thường vụ|Thường trực)\s+(?=(?:Tỉnh|Thành|Huyện|Thị|Quận|Đảng) ủy)", issuer)
    return issuer[m.end() :] if m else issuer


def _own_date_from_caption(text: str, symbol: str | None) -> str | None:
    """A caption that dates this document: "kèm theo Kế hoạch số 31-KH/ĐUK, ngày 19/4/2022"."""
    if not symbol:
        return None
    ft = folded(text)
    own = find_symbols(fold_tones(symbol))
    if not own:
        return None
    for sym in find_symbols(ft):
        if sym.base_key != own[0].base_key:
            continue
        if not re.search(r"kèm theo|ban hành kèm", ft[max(0, sym.start - 60) : sym.start], re.IGNORECASE):
            continue
        window = ft[sym.end : sym.end + 40]
        for dm in find_dates(window):
            if dm.date and re.fullmatch(r"[\s,]*", window[: dm.start]):
                return dm.iso
            break
    return None


_VV = re.compile(r"^(?:V/v|V/V|Về việc)\s*:?\s*(?P<rest>\S.*)$")


def _letter_subject(cells: list[_Cell]) -> tuple[str | None, str | None, int | None]:
    """An official letter (công văn) has no type word, only "V/v <subject>" under its number."""
    for i, c in enumerate(cells[:40]):
        if _OPENER.match(c.text) or len(c.text) > 200:
            break
        m = _VV.match(c.text)
        if m:
            parts = [m.group("rest")]
            for nxt in cells[i + 1 : i + 4]:
                if not nxt.text or nxt.text.startswith("Kính gửi") or _PLACE_DATE.match(nxt.text) or nxt.text.isupper():
                    break
                parts.append(nxt.text)
            return "Công văn", squash(" ".join(parts)), i
    return None, None, None


def title_span(text: str, tables_: Sequence[Table] = ()) -> tuple[int, int] | None:
    """Where the type word and subject line stand in ``text`` (None if not found)."""
    cells = _cells(text, tables_, min(len(text), 4000))
    ti = _title_word(cells)
    if ti is None:
        return None
    _, j = _title(cells, ti, text)
    last = max(ti, j - 1)
    return cells[ti].start, cells[last].end


def find_header(text: str, tables_: Sequence[Table] = ()) -> Header:
    """The header fields of ``text`` (``Document.text``; ``tables_`` its ``Document.tables``)."""
    region_end = min(len(text), 4000)
    cells = _cells(text, tables_, region_end)
    ti = _title_word(cells)
    kind = title = None
    after_title = 0
    if ti is not None:
        m = tables().header_re.match(fold_tones(_unspeckle(cells[ti].text)))
        t = doc_type(m.group()) if m else None
        kind = t.name if t else None
        title, j = _title(cells, ti, text)
        after_title = cells[j].start if j < len(cells) else region_end
        head = cells[:ti]
    else:
        kind, title, _ = _letter_subject(cells)
        head = cells[:30]
    symbol = place = date = None
    orgs: list[str] = []
    for c in head:
        if not c.text or _VV.match(c.text):
            continue
        if _OPENER.match(c.text) or len(c.text) > 200 or c.text.startswith("Kính gửi"):
            break
        if _SO.match(c.text) and symbol is None:
            syms = find_symbols(c.text)
            symbol = syms[0].text if syms else None
            rest = c.text[syms[0].end :] if syms else ""
            if not (rest.strip() and _PLACE_DATE.match(rest.strip(" *\t"))):
                continue  # else "Số 294-QĐ/TW Hà Nội, ngày ...": the place line follows on the same line
            c = _Cell(c.start, c.end, rest.strip(" *\t"))
        pm = _PLACE_DATE.match(c.text.lstrip("*•-– \t"))
        if pm and place is None:
            place = squash(pm.group("place"))
            dm = next((d for d in find_dates(c.text) if d.date), None)
            date = dm.iso if dm else None
            continue
        if _NATIONAL.match(c.text) or not any(ch.isalpha() for ch in c.text):
            continue
        org = _NATIONAL_TAIL.sub("", c.text)
        if org.upper() == org and symbol is None and len(org) < 90:
            orgs.append(org)
    issuer = _issuer_from_lines(orgs)
    if issuer is None:
        issuer = _issuer_from_opening(text, after_title, kind)
        if issuer:
            issuer = _strip_standing(issuer)
            scope = _scope_for(issuer, text)
            if scope:
                issuer = f"{issuer} {scope}"
    if date is None:
        date = _own_date_from_caption(text, symbol)
    return Header(
        doc_type=kind, symbol=symbol, issuer=issuer, place=place, date=date, title=title,
        scope=_scope(orgs, place, text),
    )  # fmt: skip


def _scope(orgs: list[str], place: str | None, text: str) -> str | None:
    """The province (or body) context that scopes local issuer codes like /TU, -UBND."""
    for o in orgs:
        name = _place_name(org_case(o), ("tỉnh", "thành phố"))
        if name:
            return re.sub(r"^(?:Tỉnh|Thành phố)\s+", "", name)  # "Thành phố Hồ Chí Minh" scopes as "Hồ Chí Minh"
    ft = folded(text)
    names = Counter(m.group(1) for m in re.finditer(rf"(?:Đảng bộ tỉnh|Đảng bộ thành phố|Tỉnh ủy|tỉnh|Thành ủy|thành phố)[ \t]+({_NAME})", ft))
    names.pop("Ủy", None)
    if names:
        return names.most_common(1)[0][0]
    return place


__all__ = ["find_header", "org_case", "title_span"]
