"""The closing: "Nơi nhận" with its list (recipients) beside the signature (authority
marks, position, name), and what follows the signature (appendix, notes, furniture).

The closing is anchored on the last "Nơi nhận" line; without one, on the last authority
mark (TM., KT., TL., Q.), or on the last position line with a name under it. It reaches
back over signature lines set before the list (a table's right column read first) and
forward while lines still look like the closing. Inside it each line is cut where the
other column runs in ("Nơi nhận: K/T TRƯỞNG BAN", "- Thường trực Tỉnh ủy (để báo cáo), PHÓ") and
each piece goes to the list or to the signature by its cue and its column.
"""

from __future__ import annotations

import re

from pipeline.structure.cues import (
    authority_end, clean, cues, is_appendix, is_footnotes, is_furniture, is_list_end, is_position, is_recipients,
    is_upper, label_at, name_in,
)  # fmt: skip
from pipeline.structure.lines import TextLine, split_gaps
from pipeline.structure.parts import Part, split_at
from pipeline.structure.skeleton import skeleton

_MARK_INSIDE = re.compile(
    r"(?<=\s)(?:(?:T\s*/\s*M|K\s*/\s*T|T\s*/\s*L|TM\s*\.|KT\s*\.|TL\s*\.|TUQ\s*\.|Q\s*\.)\s*(?=[A-Z])"
    r"|(?:KT|TM|TL)(?=TRUONG|CHU\s+TICH|GIAM\s+DOC|BI\s+THU|PHO\s))"
)
_WORD = re.compile(r"[^\s,;:.)_\-–]+")
_WORD_START = re.compile(r"(?<=\s)\S")
_ITEM_END = re.compile(r";\s*\S{0,6}$")
_CLOSED = re.compile(r"(?:[;.]|\./\.)\s*$")
_SIGNED = re.compile(r"^\(?\s*(?:đã\s+ký|ký\s+tên|ký|signed)", re.IGNORECASE)


def _mark_at(t: str) -> int | None:
    m = _MARK_INSIDE.search(skeleton(t))
    return m.start() if m and is_upper(t[m.start() :], 0.75) else None


def _position_run_at(t: str) -> int | None:
    """A signature's position run into the end of a list line: "- Như kính gửi; PHÓ CHỦ TỊCH"."""
    start = None
    for w in reversed(list(_WORD.finditer(t))):
        if not (w.group().isupper() and len(w.group()) >= 2) or t[w.end() :].strip(" .,") and start is None:
            break
        start = w.start()
    if start is None or not any(c.islower() for c in t[:start]):
        return None
    return start if is_position(t[start:]) else None


def _rank_at(t: str) -> int | None:
    """A ranked name run into the end of a list line: "- Lưu: VT. Đại tá Đinh Công Tâm"."""
    if name_in(t):
        return None
    for m in _WORD_START.finditer(t):
        rest = t[m.start() :]
        if cues().name_prefix.match(rest) and name_in(rest):
            return m.start()
    return None


_FINDERS = (_mark_at, _position_run_at, _rank_at)


def _closing_like(t: str) -> bool:
    """A line the closing can hold: the list's, the signature's, or a scan's specks."""
    if is_recipients(t) or authority_end(t) is not None or is_position(t) or name_in(t):
        return True
    lab = label_at(t)
    if lab is not None and lab.kind == "bullet":
        return True
    if lab is not None and lab.kind in ("part", "roman", "article"):
        return False
    return len(t) < 90 or t[:1].islower()


def _listed(text: str) -> bool:
    """A line of a "Nơi nhận" list: a dash item, or an item's wrapped end ("tế, Bộ Quốc phòng;")."""
    t = clean(text)
    lab = label_at(t)
    return (lab is not None and lab.kind == "bullet") or bool(_ITEM_END.search(t) and len(t) < 120)


def _anchor(lines: tuple[TextLine, ...], lo: int) -> int | None:
    """The line the closing is found by (see the module docstring): the last one before
    the first appendix heading that follows a closing line (a guide's appendix may show
    sample signatures)."""
    n = len(lines)
    signed = False
    for i in range(lo, n):
        t = clean(lines[i].text)
        if lines[i].table is not None:
            continue
        if signed and is_appendix(t) and is_upper(t[:8]):
            n = i
            break
        signed = signed or is_recipients(t) or authority_end(t) is not None
    for i in range(n - 1, lo - 1, -1):
        if lines[i].table is None and is_recipients(lines[i].text):
            return i
    floor = max(lo, n // 3)
    for i in range(n - 1, max(lo, n // 2) - 1, -1):  # a scan that lost "Nơi nhận": the list's "- Lưu" line
        if lines[i].table is None and is_list_end(lines[i].text):
            while i - 1 >= lo and _listed(lines[i - 1].text):
                i -= 1
            return i
    for i in range(n - 1, floor - 1, -1):
        if lines[i].table is None and authority_end(lines[i].text) is not None:
            while i - 1 >= floor and authority_end(lines[i - 1].text) is not None:
                i -= 1
            return i
    for i in range(n - 1, max(lo, n // 2) - 1, -1):
        if lines[i].table is None and is_position(lines[i].text):
            if any(name_in(ln.text) for ln in lines[i + 1 : i + 6]):
                return i
    return None


def closing(lines: tuple[TextLine, ...], lo: int, furniture: set[int]) -> tuple[int, int, list[Part]]:
    """(first line of the closing, first line after it, its labelled parts); the closing
    is empty (``len(lines)`` twice) for an unsigned document."""
    n = len(lines)
    a = _anchor(lines, lo)
    if a is None:
        return n, n, []
    start = a
    while start - 1 >= lo and a - start < 5 and (start - 1) not in furniture and lines[start - 1].table is None:
        t = clean(lines[start - 1].text)
        above = clean(lines[start - 2].text) if start - 2 >= lo else ""
        if authority_end(t) is not None or is_position(t):
            start -= 1
        elif name_in(t) and (authority_end(above) is not None or is_position(above)):
            start -= 1
        else:
            break
    end = a + 1
    named = False
    while end < n:
        ln = lines[end]
        t = clean(ln.text)
        if end in furniture:
            end += 1
            continue
        if ln.table is not None or is_appendix(t) or is_footnotes(t) or not _closing_like(t):
            break
        lab = label_at(t)
        if named and not ln.cell and not (lab and lab.kind == "bullet"):
            break  # after the signer's name only the list (or a table's cells) goes on
        named = named or (name_in(t) is not None and not (lab and lab.kind == "bullet"))
        end += 1
    while end > a + 1 and end - 1 in furniture:
        end -= 1
    return start, end, _label(lines, start, end, furniture)


def _label(lines: tuple[TextLine, ...], start: int, end: int, furniture: set[int]) -> list[Part]:
    parts: list[Part] = []
    signed = False
    last_item = ""
    for i in range(start, end):
        if i in furniture:
            parts.append(Part(lines[i], "page_furniture"))
            continue
        for pc in (p for g in split_gaps(lines[i]) for p in split_at(g, _FINDERS)):
            t = clean(pc.text)
            if not t:
                continue
            kind = _piece_kind(pc, t, signed, last_item)
            if kind == "signature":
                signed = True
            elif kind == "recipients":
                last_item = t
            parts.append(Part(pc, kind))
    return parts


def _piece_kind(pc: TextLine, t: str, signed: bool, last_item: str) -> str:
    if is_recipients(t):
        return "recipients"
    if authority_end(t) is not None or is_position(t):
        return "signature"
    lab = label_at(t)
    if lab is not None and lab.kind == "bullet":
        return "recipients"
    if pc.column >= 2:
        return "signature"
    if name_in(t) and (signed or not last_item or _CLOSED.search(last_item) or is_list_end(last_item)):
        return "signature"
    if _SIGNED.match(t):
        return "signature"
    if last_item and (t[:1].islower() or not _CLOSED.search(last_item)) and any(c.islower() for c in t):
        return "recipients"
    if signed or is_upper(t):
        return "signature"
    return "recipients" if last_item else "body"


def tail(lines: tuple[TextLine, ...], start: int, furniture: set[int]) -> list[Part]:
    """What follows the signature: appendices (PHỤ LỤC, DANH MỤC, …) and their tables,
    notes ("Chú thích:" and the reader's footnotes), page furniture."""
    parts: list[Part] = []
    kind = "appendix"
    for i in range(start, len(lines)):
        ln = lines[i]
        t = clean(ln.text)
        if i in furniture or is_furniture(t):
            parts.append(Part(ln, "page_furniture"))
            continue
        if is_footnotes(t):
            kind = "footnotes"
        elif is_appendix(t):
            kind = "appendix"
        if ln.table is not None:
            parts.append(Part(ln, "table", group=100_000 + ln.table))
        else:
            parts.append(Part(ln, kind, group=-2))
    return parts


__all__ = ["closing", "tail"]
