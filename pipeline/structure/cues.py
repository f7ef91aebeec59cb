"""What one line says about the part of the document it belongs to.

Each function looks at one line (its text, and its skeleton for the cue words of
``pipeline/patterns/structure.json``) and answers one question: is this the motto, the
number, the place-date line, a "V/v" subject, "Kính gửi", "Nơi nhận", an authority mark,
a position, a person's name, a section label, page furniture? The zoner combines the
answers with the line's position; nothing here knows about neighbours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from pipeline.normalise import fold_tones
from pipeline.pattern_tables import load
from pipeline.prefilter import first_keys
from pipeline.structure.skeleton import skeleton

if TYPE_CHECKING:
    from pipeline.extract.patterns import DocType

# The document types are compiled with the extractors' tables (pipeline.extract.patterns),
# whose extractors read the zones: they are imported when first used, not at import time,
# so that neither package needs the other loaded first.


def _words(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class _Cues:
    motto: re.Pattern[str]
    number: re.Pattern[str]
    subject: re.Pattern[str]
    addressee: re.Pattern[str]
    addressee_in: re.Pattern[str]
    telegram: re.Pattern[str]
    recipients: re.Pattern[str]
    authority: re.Pattern[str]
    authority_glued: re.Pattern[str]
    position: re.Pattern[str]
    body_head: re.Pattern[str]
    opener: re.Pattern[str]
    promulgation: re.Pattern[str]
    appendix: re.Pattern[str]
    footnotes: re.Pattern[str]
    stamp: re.Pattern[str]
    incoming: re.Pattern[str]
    page_number: re.Pattern[str]
    separator: re.Pattern[str]
    name_prefix: re.Pattern[str]
    surnames: frozenset[str]
    purpose: re.Pattern[str]
    narrative: re.Pattern[str]
    type_skeletons: tuple[tuple[str, DocType], ...]
    # each type skeleton as a pattern its words may be spaced in ("KE  HOACH"), same order
    type_spaced: tuple[tuple[re.Pattern[str], str, DocType], ...]


@cache
def cues() -> _Cues:
    """The compiled cue patterns (built once)."""
    from pipeline.extract.patterns import doc_type, tables

    p = load("structure")
    types = tables()
    skeletons = []
    for word in types.header_words:
        t = doc_type(word)
        if t is not None:
            skeletons.append((skeleton(word).upper(), t))
    return _Cues(
        motto=re.compile("|".join(f"(?:{m})" for m in p["motto"])),
        number=re.compile(p["number"]),
        subject=re.compile(p["subject"]),
        addressee=re.compile(p["addressee"]),
        addressee_in=re.compile(p["addressee"].replace("^\\W{0,3}", r"(?:^|(?<=\s))")),
        telegram=re.compile(p["telegram_addressee"]),
        recipients=re.compile(p["recipients"]),
        authority=re.compile(p["authority"]),
        authority_glued=re.compile(p["authority_glued"]),
        position=re.compile(rf"^\W{{0,3}}(?:PHO\s+)?(?:{_words(p['positions'])})\b"),
        body_head=re.compile(rf"^\W{{0,3}}(?:{_words(p['body_heads'])})\b"),
        opener=re.compile(rf"^[-+•*\s]{{0,3}}(?:{_words(p['legal_openers'])})\b"),
        promulgation=re.compile(p["promulgation"]),
        appendix=re.compile(p["appendix"]),
        footnotes=re.compile(p["footnotes"]),
        stamp=re.compile("|".join(f"(?:{f})" for f in p["stamps"])),
        incoming=re.compile("|".join(f"(?:{f})" for f in p["incoming"])),
        page_number=re.compile(p["page_number"]),
        separator=re.compile(p["separator"]),
        name_prefix=re.compile(rf"^(?:(?:{'|'.join(re.escape(w) for w in sorted(p['name_prefixes'], key=len, reverse=True))})\s*)+"),
        type_skeletons=tuple(sorted(skeletons, key=lambda s: -len(s[0]))),
        type_spaced=tuple(
            (re.compile(r"\s*".join(re.escape(w) for w in word.split()) + r"(?![A-Z])"), word, kind)
            for word, kind in sorted(skeletons, key=lambda s: -len(s[0]))
        ),
        surnames=frozenset(skeleton(w).split()[0] for w in p["surnames"]),
        purpose=re.compile(rf"\(\s*(?:{_words(p['purpose_marks'])})(?![A-Z0-9])[^()]*\)"),
        narrative=re.compile("^[-+•*\\s]{0,3}(?:" + "|".join(p["narrative_openers"]) + r")(?![A-Z])"),
    )


# ------------------------------------------------------------------ letters


def upper_share(text: str) -> float:
    """Share of upper-case letters among the letters of ``text`` (1.0 when it has none)."""
    upper = sum(map(str.isupper, text))
    lower = sum(map(str.islower, text))
    return upper / (upper + lower) if upper + lower else 1.0


def is_upper(text: str, share: float = 0.8) -> bool:
    """Written in capitals (a scan's stray lower-case letter tolerated)."""
    upper = sum(map(str.isupper, text))
    lower = sum(map(str.islower, text))
    return upper > 0 and upper >= share * (upper + lower)


_MARKS = re.compile(r"^[\s#>*_|`]+|[\s*_|`]+$")
_MARK_CHARS = frozenset(" \t#>*_|`")


@lru_cache(maxsize=8192)
def clean(text: str) -> str:
    """The line without Markdown marks and table pipes around it."""
    if "*" in text or text[:1] in _MARK_CHARS or text[-1:] in _MARK_CHARS:
        return _MARKS.sub("", text.replace("**", ""))
    return text


# ------------------------------------------------------------------ header cues


def motto_span(text: str) -> tuple[int, int] | None:
    """Where a national line (motto, the Party's or the Youth Union's name) stands in ``text``."""
    m = cues().motto.search(skeleton(text))
    return (m.start(), m.end()) if m else None


def is_number(text: str) -> bool:
    """"Số: 12/KH-UBND", "Số 17-HD/BTCTU", "Số:      /UBND-NC" (not "số 12/…" in a sentence)."""
    t = clean(text).lstrip(" .,;:'`·•°*_~-")
    return not t[:1].islower() and bool(cues().number.match(skeleton(t)))


# What follows "ngày" on a place-date line: "… tháng … năm 2025" (the day and month may be
# blank, or a stamped day read into the middle of "tháng"), or "14/7/2025".
_DATE_TAIL = re.compile(r".{0,30}?(?:\bNAM\b|\bTHANG\b.{0,12}(?:19|20)\d\d)|\s*\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}")
_NGAY = re.compile(r"\s*[,.]\s*NGAY")
_TOKEN = re.compile(r"\S+")
_LIST_END = re.compile(r"^[-+•–~\s]{1,4}LUU\b")


def _capitalised(word: str) -> bool:
    """A word of letters that starts with a capital ("Lâm", "Đồng", "BTV")."""
    return word.isalpha() and word[0].isupper()


def place_date_span(text: str) -> tuple[int, int] | None:
    """The place-and-date line inside ``text``: "Gia Lai, ngày 11 tháng 7 năm 2024"
    (a scan: "Lâm Đông. ngày-14 tháng 9"); (start of the place, end of the line)."""
    sk = skeleton(text)
    for m in _NGAY.finditer(sk):
        if not _DATE_TAIL.match(sk, m.end()):
            continue
        start = m.start()
        words = 0
        style = None  # Title Case or CAPITALS, as the first word read back
        prev = ""
        for w in reversed(list(_TOKEN.finditer(text, 0, m.start()))):
            word = w.group().lstrip("(\"“*")
            level = word.lower() in ("phố", "xã", "trấn") and prev[:1].isupper()  # "Thành phố Hồ Chí Minh"
            if words >= 6 or not (level or _capitalised(word)) or (not level and style not in (None, word.isupper())):
                break
            prev = word
            style = word.isupper()
            start, words = w.end() - len(word), words + 1
        if words:
            return start, len(text.rstrip())
    return None


def is_subject(text: str) -> bool:
    """A Công văn's "V/v …" subject line (a scan may read the italic "V/v" as "%", or drop
    its small "v": "V/ Triển khai …")."""
    t = clean(text)
    if cues().subject.match(skeleton(t)):
        return True
    if t[:1] == "%":
        return t[1:].strip()[:1].islower()
    m = _BARE_SUBJECT.match(t)
    return bool(m) and t[m.end() : m.end() + 1].isupper()


# "V/" before a word: the subject marker with its "v" lost (the word must open in capitals).
_BARE_SUBJECT = re.compile(r"^\W{0,3}[VW]\s*[/⁄]\s+")


def subject_body(text: str) -> str:
    """The subject after "V/v" (the marker and quotes dropped)."""
    m = cues().subject.match(skeleton(text))
    rest = text[m.end() :] if m else text
    return rest.strip(" \t:\"“”'")


def is_addressee(text: str) -> bool:
    return bool(cues().addressee.match(skeleton(clean(text))))


def addressee_at(text: str) -> int | None:
    """Where "Kính gửi" starts inside a line (a scan may run a stamp into it)."""
    m = cues().addressee_in.search(skeleton(text))
    return m.start() if m else None


def is_telegram_addressee(text: str) -> bool:
    """A Công điện's "VĂN PHÒNG CHÍNH PHỦ điện:" line, which its addressees follow."""
    return bool(cues().telegram.search(skeleton(text))) and len(text) < 80


def is_separator(text: str) -> bool:
    return bool(cues().separator.match(text))


def is_stamp(text: str) -> bool:
    """Text a copy or e-signature stamp leaves on a page."""
    return bool(cues().stamp.search(skeleton(clean(text))))


def is_page_number(text: str) -> bool:
    return bool(cues().page_number.match(skeleton(clean(text))))


_SYMBOL_OR_DATE = re.compile(r"\d{1,5}(?:[/.\-]\w{1,14}){1,6}")
_JUNK = re.compile(r"[\\|»«~`^{}\[\]]|\.\.\.|…")


def is_specks(text: str) -> bool:
    """A scan's reading of a rule, a smudge or a stamp ("99900900000090000002gg;",
    "\\ Ngày (4,2 .12,046...")."""
    t = clean(text)
    long_token = max(map(len, t.split()), default=0) >= 12  # a run of 12 non-spaces (C speed)
    if long_token and _SYMBOL_OR_DATE.search(t):  # "57/2023/QH15", "14/11/2023": printed words, no specks
        long_token = any(len(w) >= 12 and not _SYMBOL_OR_DATE.fullmatch(w.strip(".,;:()")) for w in t.split())
    if not long_token and not _JUNK.search(t):
        return False
    letters, chars = sum(map(str.isalpha, t)), len(t.replace(" ", ""))
    if long_token and letters < 0.5 * chars:
        return True
    return letters < 0.35 * chars and bool(_JUNK.search(t))


def is_furniture(text: str) -> bool:
    """A stamp's text, an incoming-document stamp, a page number (for header and tail lines)."""
    sk = skeleton(clean(text))
    return bool(cues().stamp.search(sk) or cues().incoming.search(sk) or cues().page_number.match(sk))


# ------------------------------------------------------------------ document type


_SPECKS = re.compile(r"^[.,;:'`·•°*_~\-\s]+")


def doc_type_at(text: str) -> tuple[DocType, int] | None:
    """The type word opening ``text`` in capitals ("KẾ HOẠCH", a scan's "KÉẺ HOẠCH") and
    the offset after it; None if the line does not open with one."""
    from pipeline.extract.patterns import doc_type, tables

    s = _SPECKS.sub("", clean(text))
    lead = max(text.find(s[:6]), 0) if s else 0
    m = tables().header_re.match(fold_tones(s))
    if m:
        nxt = s[m.end() : m.end() + 1]
        if not (nxt and nxt.isalpha() and nxt.isupper()):
            found = doc_type(m.group())
            if found:
                return found, lead + m.end()
    if not is_upper(s[:40], 0.9):
        return None
    sk = skeleton(s)
    for rx, word, kind in cues().type_spaced:  # marks a scan misread: "GIÁY PHÉP", "KÉ HOẠCH"
        m = rx.match(sk)
        if m and len(word) >= 6:
            return kind, lead + m.end()
    if len(s) > 40:
        return None
    flat = " ".join(sk.split())
    for word, kind in cues().type_skeletons:  # a letter doubled or dropped: "KÉẺ HOẠCH"
        if len(word) >= 6 and _near(flat, word):
            return kind, len(text.rstrip())
    return None


def _near(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by at most one letter inserted, dropped or changed."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) <= 1
    long, short = (a, b) if len(a) > len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


# ------------------------------------------------------------------ body cues


def is_opener(text: str) -> bool:
    """A clause the document rests on or carries out: "Căn cứ …", "Thực hiện …", "Theo …"."""
    t = clean(text).lstrip("-+•* \t")
    return bool(t[:1].isupper()) and bool(cues().opener.match(skeleton(t)))


def is_narrative(text: str) -> bool:
    """Running text that opens without a legal basis: "Ngày 07/11/2025, …", "Hiện nay, …"."""
    t = clean(text).lstrip("-+•* \t")
    return bool(t[:1].isupper()) and bool(cues().narrative.match(skeleton(t)))


def is_promulgation(text: str) -> bool:
    """"QUYẾT ĐỊNH:" closing a decision's preamble."""
    return bool(cues().promulgation.match(skeleton(clean(text))))


def is_appendix(text: str) -> bool:
    t = clean(text)
    return bool(cues().appendix.match(skeleton(t))) and (is_upper(t[:12], 0.9) or len(t) < 40)


def is_footnotes(text: str) -> bool:
    return bool(cues().footnotes.match(skeleton(clean(text))))


@dataclass(frozen=True)
class Label:
    """A section or list label at the start of a line."""

    kind: str  # part | roman | article | number | letter | bullet
    label: str  # as printed: "III.", "1.2.", "a)", "-", "Điều 3."
    level: int  # 0 part/chapter, 1 roman/article, 2 "1.", 3 "1.1.", 4 "1.1.1.", 5 "a)", 6 "-", 7 "+"
    end: int  # offset in the line after the label


_PART = re.compile(r"^(?:PHẦN|Phần|CHƯƠNG|Chương|MỤC|Mục)\s+(?:(?:THỨ|thứ)\s+\w+|[IVXLC]+\b|\d{1,2}\b)[.:]?")
_ROMAN = re.compile(r"^(?=[IVXl]*[IVX])[IVXl]{1,5}\s*[.\-–:/)]\s*(?=\S)")
_ARTICLE = re.compile(r"^Điều\s+\d{1,3}\s*[.:](?!\d)")
_NUMBER = re.compile(r"^\d{1,2}(?:\s*\.\s*\d{1,2}){0,3}(?:\s*[.)]|\s*[-–](?=\s))\s*(?=\S)")
_NUMBER_BARE = re.compile(r"^\d{1,2}(?:\.\d{1,2}){1,3}\s+(?=\S)")
_LETTER = re.compile(r"^[a-zđ]\s*[).]\s*(?=\S)")
_BULLET = re.compile(r"^[-+•–*·]\s*(?=\S)")
_DATE_LIKE = re.compile(r"^\d{1,2}[./]\d{1,2}[./]\d{2,4}\b")


@cache
def _label_starts() -> tuple[frozenset[str], bool] | None:
    """The first characters a label can have (read from the label patterns, which tell
    case), or None."""
    keys: set[str] = set()
    digit = False
    for rx in (_PART, _ROMAN, _ARTICLE, _NUMBER, _NUMBER_BARE, _LETTER, _BULLET):
        first = first_keys(rx)
        if first is None or first[2]:
            return None
        keys |= first[0]
        digit = digit or first[1]
    return frozenset(keys), digit


@lru_cache(maxsize=4096)
def label_at(text: str) -> Label | None:
    """The label opening ``text``: part/chapter, roman, article, number, letter or bullet."""
    t = text.lstrip("#>* \t")
    lead = len(text) - len(t)
    starts = _label_starts()
    if starts is not None:  # most lines open with a letter no label opens with
        first = t[:1]
        if first and first not in starts[0] and not (starts[1] and first.isdecimal()):
            return None
    m = _PART.match(t)
    if m:
        return Label("part", m.group().strip(), 0, lead + m.end())
    m = _ROMAN.match(t)
    if m and t[m.end() :][:1].isupper():
        return Label("roman", m.group().strip().replace("l", "I"), 1, lead + m.end())
    m = _ARTICLE.match(t)
    if m:
        return Label("article", m.group().strip(), 1, lead + m.end())
    if not _DATE_LIKE.match(t):
        m = _NUMBER.match(t) or _NUMBER_BARE.match(t)
        if m:
            lab = re.sub(r"\s+", "", m.group())
            depth = lab.rstrip(".)-–").count(".")
            return Label("number", lab, 2 + min(depth, 2), lead + m.end())
    m = _LETTER.match(t)
    if m and not re.match(r"^[a-zđ]\.\s*[a-zđ]", t):
        return Label("letter", re.sub(r"\s+", "", m.group()), 5, lead + m.end())
    m = _BULLET.match(t)
    if m:
        mark = m.group().strip()
        return Label("bullet", mark, 7 if mark == "+" else 6, lead + m.end())
    return None


# ------------------------------------------------------------------ signature cues


def authority_end(text: str) -> int | None:
    """End of the authority mark opening a signature line ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ
    TỊCH", "K/T TRƯỞNG BAN", a scan's "KTTRƯỞNG BAN"); None if the line has none."""
    t = clean(text)
    if len(t) > 90 or not t or skeleton(t.lstrip(" -–.,;:'`*_|@"))[:1] not in "TKQ" or not is_upper(t, 0.75):
        return None
    sk = skeleton(t)
    m = cues().authority.match(sk) or cues().authority_glued.match(sk)
    return m.end() if m else None


def is_position(text: str) -> bool:
    """A signer's position in capitals: "PHÓ CHỦ TỊCH", "GIÁM ĐỐC", "CHÁNH VĂN PHÒNG"."""
    t = clean(text)
    return len(t) <= 70 and is_upper(t, 0.85) and bool(cues().position.match(skeleton(t)))


def body_head(text: str) -> bool:
    """An upper-case line that opens the name of a body ("SỞ Y TẾ", "BAN THƯỜNG VỤ")."""
    return bool(cues().body_head.match(skeleton(clean(text))))


def body_head_word(text: str) -> str:
    """The body word a line opens with ("SO", "BAN THUONG VU", "DANG UY"), or ""."""
    m = cues().body_head.match(skeleton(clean(text)))
    return " ".join(m.group().split()).strip(" \t-*.") if m else ""


def _name_shape(text: str) -> bool:
    """Two to six capitalised words of letters ("Trần Diệp Mỹ Dung", "H'Vi Êban")."""
    words = text.split()
    return 2 <= len(words) <= 6 and all(
        w[0].isupper() and w.replace("'", "").replace("’", "").isalpha() and sum(c.isupper() for c in w) <= 2
        and not (len(w) > 1 and w[1:].isupper())
        for w in words
    )  # fmt: skip

_NOT_NAME = re.compile(r"đã ký|\bký\b|signed|\[|\(|^\W*$|^Số\b|^Nơi", re.IGNORECASE)


@lru_cache(maxsize=2048)
def name_in(text: str) -> str | None:
    """The person's name on a signature line ("Thiếu tướng Lê Văn Hòa", "LƯƠNG THỊ
    HẠNH" → "Lương Thị Hạnh"), with a rank or title kept; None if the line is no name."""
    t = clean(text).strip(" .,;—–-_~")
    if not t or _NOT_NAME.search(t) or len(t) > 60:
        return None
    m = cues().name_prefix.match(t)
    prefix, rest = (t[: m.end()].strip(), t[m.end() :].strip()) if m else ("", t)
    if rest.isupper():
        if is_position(rest) or body_head(rest) or motto_span(rest):
            return None
        if skeleton(rest).split()[0] not in cues().surnames:
            return None  # capitals that are no name: a stamp's "CHẤP HÀNH"
        rest = " ".join(w.capitalize() for w in rest.split())
    if not _name_shape(rest):
        return None
    surname = skeleton(rest).split()[0] in cues().surnames
    if not surname and (body_head(rest) or is_position(rest.upper())):
        return None
    return f"{prefix} {rest}".strip() if prefix else rest


def is_layout_cell(cell: str) -> bool:
    """A reader's table cell that lays out the header or the signature, not data."""
    for part in cell.split("\n")[:6]:
        part = part.strip()
        if not part:
            continue
        if motto_span(part) or is_number(part) or place_date_span(part) or is_subject(part):
            return True
        if cues().recipients.match(skeleton(part)) or authority_end(part) is not None:
            return True
    return False


def purpose_span(text: str) -> tuple[int, int] | None:
    """Where a bracketed purpose ("(để báo cáo)", "(p/hợp chỉ đạo)") stands in a "Nơi nhận" item."""
    m = cues().purpose.search(skeleton(text))
    return (m.start(), m.end()) if m else None


def is_list_end(text: str) -> bool:
    """The "- Lưu: VT, …" line that ends every "Nơi nhận" list."""
    return bool(_LIST_END.match(skeleton(clean(text))))


def is_recipients(text: str) -> bool:
    """"Nơi nhận:" (a scan: "@Nơi nhận")."""
    return bool(cues().recipients.match(skeleton(clean(text))))


__all__ = [
    "Label", "addressee_at", "authority_end", "body_head", "body_head_word", "clean", "cues", "doc_type_at", "is_addressee",
    "is_appendix", "is_footnotes", "is_furniture", "is_layout_cell", "is_page_number", "is_stamp", "is_number", "is_opener", "is_position",
    "is_list_end", "is_narrative", "is_promulgation", "is_recipients", "is_specks", "purpose_span", "is_separator", "is_subject", "is_telegram_addressee", "is_upper",
    "label_at", "motto_span", "name_in", "place_date_span", "subject_body", "upper_share",
]  # fmt: skip
