"""The signer and the "Nơi nhận" (recipients) list, each read from its zone.

Vietnamese documents close with "Nơi nhận:" and its "- ..." lines on the left and the
signature on the right: authority lines ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "TL. BỘ
TRƯỞNG"), the signer's position ("PHÓ CHỦ TỊCH") and name. The structure stage has put
each piece of the closing in the recipients zone or the signature zone, whether the two
columns came as a layout table, one after the other, or run together line by line; here
the signer is read from the signature's lines and the list from the recipients' lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.extract.respell import repaired
from pipeline.extract.text import squash
from pipeline.models import Signer, Table
from pipeline.structure import Structure, structure_of_text
from pipeline.structure.cues import authority_end, clean, is_position, is_upper, name_in, purpose_span

_NOI_NHAN = re.compile(r"^\W{0,3}N[ơo]i\s+nh[ậa]n\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
_ITEM = re.compile(r"^\s*[-+•–—~]+\s*")
_TRAIL = re.compile(r"[\s,;:.]*(?:\./\.)?[\s,;:.]*$")
_DASHES = re.compile(r"\s*[-–—]{2,}\s*")
_SIGNED = re.compile(r"^\(?\s*(?:đã\s+ký|ký\s+tên|ký|signed)\b", re.IGNORECASE)


# Letters of the Vietnamese alphabet (with their marks), digits and the punctuation a list
# item holds: a tail after an item's last "." or ";" with anything else is a scan's specks.
_VIET = "A-Za-zÀ-ÃÈ-ÊÌÍÒ-ÕÙÚÝà-ãè-êìíò-õùúýĂăĐđĨĩŨũƠơƯưẠ-ỹ"
_STOP = re.compile(r"(?<=[;.])\s+(?=\S)")
_ODD = re.compile(rf"[^{_VIET}0-9\s(),.;:/&\-–]")


def _junk_tail(s: str) -> str:
    """``s`` without a scan's specks after a "." or ";" ("Lưu: VPLĐ. sC k‹ ”"); a drafter's
    initial ("Lưu: VT, TH(2). H") stays."""
    s = re.sub(r";[_\W]*$", "", s)
    for m in _STOP.finditer(s):
        if _ODD.search(s, m.end()) or (s[m.start() - 1] == ";" and len(s) - m.end() <= 3):
            return s[: m.start()].rstrip()
    return s


def _clean_item(s: str) -> str:
    """An entry: its dash, bracketed purposes ("(để báo cáo)") and closing punctuation
    dropped, and a scan's specks after its end ("Như trên; _", "Lưu: VP, VT. š")."""
    s = _ITEM.sub("", s, count=1)
    while (span := purpose_span(s)) is not None:
        tail = s[span[1] :]
        if re.match(r"\s*[;:,.]", tail) or re.fullmatch(r"\s*\S{0,6}\s*", tail):
            tail = ""  # "(để báo cáo); 234", "(đề theo dõi): Soi": the bracket ended the entry
        s = f"{s[: span[0]].rstrip()} {tail.strip()}".strip()
    s = _junk_tail(s)
    if not re.match(r"\W*Lưu\b", s):
        s = re.sub(r"[;:]\s+[^\Wa-zà-ỹđ]{2,}$", "", s)  # the signature's capitals run in: "Như trên: DÀNG"
    s = _DASHES.sub(" – ", s)  # a scan's "—-" between a name and a title
    if re.match(r"\W*Lưu\b", s, re.IGNORECASE):  # "Lưu: VT, …": the archive (văn thư) is first (Nghị định 30/2020)
        s = re.sub(r"(?<=[:\s])V[Il1|](?=[,;.\s]|$)", "VT", s, count=1)  # OCR reads its T as I
    s = squash(_TRAIL.sub("", re.sub(r"\s+[-–—]+$", "", s)))  # "Sở Nội vụ -": a dash left of the next item
    return s[:1].upper() + s[1:]  # an entry opens with a capital ("lưu: VT" is a scan's misreading)


def recipients_from_lines(lines: Sequence[str]) -> tuple[str, ...]:
    """The "Nơi nhận" list from its lines: one entry a "- " item (a wrapped item joined,
    several items on one line split), markers and "(để báo cáo)" removed."""
    items: list[str] = []
    closed = True  # the last item ended (";", "." or "./.")
    dashed = False  # the list's items open with a dash: an undashed line goes on with the item above
    next_dash = False  # a line ended on a dash whose item is on the next line
    for raw in lines:
        line = clean(raw).strip()
        m = _NOI_NHAN.match(line)
        if m:
            line = m.group("rest").strip()
        for part in re.split(r"(?<=[;,.:])\s+(?=[-+•~]\s)", line):
            part = part.strip()
            if not part:
                continue
            dash = bool(_ITEM.match(part)) or next_dash
            dashed = dashed or (dash and not items)
            next_dash = bool(re.search(r"[;,.]\s*[-–]$", part))  # "…Bộ Công an; -" / "Thường trực …"
            if next_dash:
                part = part.rstrip(" -–")
            if dash or not items or (closed and not dashed):
                items.append(part)
            else:
                items[-1] = f"{items[-1]} {part}"  # a wrapped item, or an item's indented lines
            closed = bool(re.search(r"(?:[;.]|\./\.)\s*$", part))
    return tuple(x for x in (_clean_item(s) for s in items) if sum(c.isalpha() for c in x) >= 2)


def signer_from_lines(lines: Sequence[str]) -> Signer | None:
    """The signer from the signature's lines: authority mark(s), position, name.

    With both a TM. and a KT. line ("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH") the
    first, the body signed for, is ``on_behalf`` (as the golds record it); a KT. line alone
    ("K/T TRƯỞNG BAN") is ``on_behalf`` itself; a mark's line wrapped ("K/T CHÁNH" /
    "VĂN PHÒNG") is joined. The position is the first line in capitals after the marks (a
    position cut after "PHÓ" goes on on the next line), or before them where a PDF put the
    right column's lines out of order; the name is the first name after them, else the last.
    """
    texts = [t for t in (squash(clean(x)) for x in lines) if t]
    marks = [i for i, t in enumerate(texts) if authority_end(t) is not None]
    on_behalf = texts[marks[0]] if marks else None
    after = 0
    if marks:
        after = marks[0] + 1
        while after < len(texts) and after in marks:
            after += 1
        if after + 1 < len(texts) and after == marks[0] + 1 and _wrapped_mark(texts[after], texts[after + 1]):
            on_behalf = f"{on_behalf} {texts[after]}"
            after += 1
    position = _position(texts, after, after + 10) or (_position(texts, 0, marks[0]) if marks else None)
    names = [n for n in (name_in(t) for t in texts[after:]) if n] or [n for n in (name_in(t) for t in texts) if n]
    name = names[0] if names else None
    if on_behalf is None and position is None and name is None:
        return None
    return Signer(on_behalf=on_behalf, position=position, name=name)


def _wrapped_mark(line: str, nxt: str) -> bool:
    """``line`` finishes the authority mark above it ("VĂN PHÒNG" under "K/T CHÁNH")."""
    return is_upper(line, 0.85) and not is_position(line) and is_position(nxt) and not name_in(line)


def _position(texts: list[str], start: int, stop: int) -> str | None:
    for n in range(max(start, 0), min(stop, len(texts))):
        t = texts[n]
        if authority_end(t) is not None or name_in(t) or _SIGNED.match(t) or len(t) >= 70 or not is_upper(t, 0.85):
            continue
        if re.search(r"\bPHÓ$", t) and n + 1 < len(texts) and is_upper(texts[n + 1]) and not name_in(texts[n + 1]):
            return f"{t} {texts[n + 1]}"
        return t
    return None


def find_recipients(
    text: str, tables_: Sequence[Table] = (), structure: Structure | None = None, ocr: bool = False
) -> tuple[str, ...]:
    """The "Nơi nhận" list of ``text`` (its zones found here when ``structure`` is not given).

    When the list was read by OCR, an entry's words take the marks the text gives them
    elsewhere ("Tô Công tác liên ngành" → "Tổ Công tác liên ngành", "Như Điêu 3" → "Như
    Điều 3"), the list itself not counted."""
    st = structure if structure is not None else structure_of_text(text, tables_)
    lines = st.recipients()
    found = recipients_from_lines([ln.text for ln in lines])
    if not ocr or not lines:
        return found
    skip = (min(ln.start for ln in lines), max(ln.end for ln in lines))
    return tuple(repaired(r, text, skip=skip) for r in found)


def find_signer(text: str, tables_: Sequence[Table] = (), structure: Structure | None = None) -> Signer | None:
    """The signer of ``text``: authority line (TM., KT., TL.), position and name; None if unsigned."""
    st = structure if structure is not None else structure_of_text(text, tables_)
    return signer_from_lines([ln.text for ln in st.lines_of("signature")])


__all__ = ["find_recipients", "find_signer", "recipients_from_lines", "signer_from_lines"]
