"""Who issued a document, named: the header's body lines composed into one name.

A header prints the issuing body under its parent in capitals ("UBND TỈNH GIA LAI" /
"SỞ Y TẾ"; "ĐẢNG BỘ TỈNH HÀ TĨNH" / "HUYỆN ỦY HƯƠNG SƠN"); the name is the body under its
parent, abbreviations written out and recased ("Sở Y tế tỉnh Gia Lai", "Huyện ủy Hương
Sơn"). Without header lines the issuer is the subject of the opening sentence ("…, Ban
Thường vụ Tỉnh ủy ban hành Kế hoạch …"), completed with its place from the text.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache, lru_cache

from pipeline.extract.patterns import NAME_WORD, normalise_issuer, tables
from pipeline.extract.text import folded, squash, unwrap
from pipeline.normalise import fold_tones

# "<issuer> ban hành/xây dựng <own type>": %s is the document's own type word.
_PLAN_VERB = r"(?:ban hành|xây dựng|xây dựng và ban hành|triển khai|hướng dẫn|thông báo|lập)\s+(?:các\s+)?(?=%s)"
_LEVEL_OF_BODY = {
    "Tỉnh ủy": ("tỉnh",), "Thành ủy": ("thành phố",), "Huyện ủy": ("huyện",),
    "Thị ủy": ("thị xã",), "Quận ủy": ("quận",), "Đảng ủy": ("xã", "phường", "thị trấn"),
}  # fmt: skip
_NAME = rf"{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,3}}"


@cache
def _phrases() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    """The phrases that keep their capitals, each with its lower case and its pattern."""
    return tuple(
        (p, p.lower(), re.compile(rf"(?<!\w){re.escape(p.lower())}(?!\w)")) for p in tables().upper_phrases
    )


@lru_cache(maxsize=2048)
def org_case(upper: str) -> str:
    """An upper-case header line as a name: "ĐẢNG ỦY XÃ TÂN PHƯỚC" → "Đảng ủy xã Tân Phước"."""
    t = tables()
    s = fold_tones(squash(upper))
    for rx, repl in t.issuer_rules:  # abbreviations written out: "BCH ĐOÀN" → "Ban Chấp hành ĐOÀN"
        s = rx.sub(repl, s)
    s = s.lower()
    kept: set[int] = set()  # offsets of characters inside a kept phrase
    for phrase, lower, rx in _phrases():
        if lower not in s:
            continue
        for m in rx.finditer(s):
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


def _place_name(name: str, level_words: tuple[str, ...], keep_level: bool = False) -> str | None:
    """The place after a level word in a name: ("Đảng bộ tỉnh Phú Yên", ("tỉnh",)) → "Phú Yên"
    ("tỉnh Phú Yên" with ``keep_level``).

    A level word written with a capital is part of the name ("Thành phố Hồ Chí Minh") and stays.
    """
    for lw in level_words:
        m = re.search(rf"(?<!\w)((?i:{lw}))\s+({_NAME})$", name)
        if m:
            return f"{m.group(1)} {m.group(2)}" if keep_level or m.group(1)[0].isupper() else m.group(2)
    return None


_ALL_LEVELS = ("thành phố", "thị xã", "thị trấn", "tỉnh", "huyện", "quận", "xã", "phường")


# Bodies named under the body above them: organs, offices, and the teams and councils a
# body sets up ("ĐOÀN KIỂM TRA", "HỘI ĐỒNG THẨM ĐỊNH …", "TỔ CÔNG TÁC …").
_SUB_BODY = re.compile(
    r"^(?:Ban|Tiểu ban|Văn phòng|Ủy ban Kiểm tra|Thường trực|Phòng|Tổ|Cơ quan|Đoàn|Hội đồng(?! nhân dân))\b"
)
_ONLY_PLACE = re.compile(rf"^(?i:{'|'.join(_ALL_LEVELS)})\s+{_NAME}$")
# A header line that goes on with the name above ("ĐẢNG ỦY KHỐI CÁC CƠ QUAN / VÀ DOANH NGHIỆP TỈNH").
_CONTINUES = re.compile(r"^(?:VÀ|CÁC|CỦA|THUỘC|TRỰC THUỘC)\s")
# A level committee written bare under its parent ("ĐẢNG BỘ TỈNH HÀ TĨNH / TỈNH ỦY").
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
    """A body named without its place takes the parent's: "Tỉnh ủy" under "Đảng bộ tỉnh Hà
    Tĩnh" → "Tỉnh ủy Hà Tĩnh"; a department under its province keeps the level word: "Sở Y tế"
    under "Ủy ban nhân dân tỉnh Gia Lai" → "Sở Y tế tỉnh Gia Lai"."""
    committee = _committee(issuer)
    if committee:
        place = _place_name(parent, _BARE_COMMITTEE[committee])
    elif _head(issuer) and not re.search(rf"(?<!\w)(?:{'|'.join(_ALL_LEVELS)})(?!\w)", issuer, re.IGNORECASE):
        place = _place_name(parent, ("tỉnh", "thành phố"), keep_level=True)  # "Sở Y tế tỉnh Gia Lai"
    else:
        return issuer
    return f"{issuer} {place}" if place else issuer


def issuer_from_lines(orgs: list[str]) -> str | None:
    """The issuing body from the header's organisation lines (parent above, issuer below).

    A line that is only a place ("XÃ HƯNG LONG") completes the line above, and so does a
    line that goes on with a wrapped name ("VÀ DOANH NGHIỆP TỈNH"); a sub-body ("BAN TỔ
    CHỨC", "BAN THƯỜNG TRỰC") is named with its parent ("Ban Tổ chức Thành ủy Huế"); a
    committee whose name ends in its level ("... CƠ QUAN TỈNH") or a body written without
    its place ("TỈNH ỦY", "SỞ Y TẾ") takes the place from the parent ("ĐẢNG BỘ TỈNH PHÚ
    YÊN"). Sibling bodies of one kind on consecutive lines ("SỞ GIÁO DỤC VÀ ĐÀO TẠO / SỞ Y
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
    """``issuer``'s full name under ``parent`` ("Ban Tổ chức" under "Thành ủy Huế")."""
    if _committee(issuer):  # "BAN TUYÊN GIÁO TỈNH ỦY" under "ĐẢNG BỘ TỈNH PHÚ YÊN"
        return _with_parent_place(issuer, parent)
    level = re.search(rf"(?<!\w)({'|'.join(_ALL_LEVELS)})$", issuer)
    if level:  # "HỘI ĐỒNG … HÀNH CHÍNH TỈNH" under "UBND TỈNH GIA LAI": the level's place
        lv = level.group(1)
        place = _place_name(parent, (lv, "thành phố") if lv == "tỉnh" else (lv,))
        if place and place[0].isupper() and fold_tones(place).lower().startswith(lv):
            return f"{issuer[: level.start()]}{place}"  # "... thành phố" + "Thành phố Hồ Chí Minh"
        return f"{issuer} {place}" if place else issuer
    if _SUB_BODY.match(issuer) and parent.startswith("Ủy ban nhân dân ") and not issuer.startswith("Ban Chấp hành"):
        return f"{issuer} {parent.removeprefix('Ủy ban nhân dân ')}"  # a department, a steering board: its place
    if _SUB_BODY.match(issuer):
        sep = ", " if "," in issuer else " "
        if parent.startswith("Ban Chấp hành Trung ương"):
            parent = "Trung ương"  # BAN TỔ CHỨC under BAN CHẤP HÀNH TRUNG ƯƠNG: Ban Tổ chức Trung ương
        elif not issuer.startswith("Ban Chấp hành"):
            parent = _committee_of(parent)
        return f"{issuer}{sep}{parent}"
    return _with_parent_place(issuer, parent)


def _committee_of(parent: str) -> str:
    """The committee whose organs sit under a Party organisation: "Đảng bộ tỉnh X" → "Tỉnh ủy X".

    "ĐẢNG BỘ TỈNH CAO BẰNG / ỦY BAN KIỂM TRA" is the Tỉnh ủy's commission, not the Đảng bộ's.
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



def issuer_from_opening(text: str, start: int, own_type: str | None) -> str | None:
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


def scope_for(issuer: str, text: str) -> str | None:
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


def strip_standing(issuer: str) -> str:
    """"Ban Thường vụ Tỉnh ủy" → "Tỉnh ủy": a plan is issued in the committee's name."""
    m = re.match(r"^(?:Ban Thường vụ|Thường trực)\s+(?=(?:Tỉnh|Thành|Huyện|Thị|Quận|Đảng) ủy)", issuer)
    return issuer[m.end() :] if m else issuer



def scope_of(orgs: list[str], place: str | None, text: str) -> str | None:
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


__all__ = ["issuer_from_lines", "issuer_from_opening", "org_case", "scope_for", "scope_of", "strip_standing"]
