"""The header: motto, parent body and issuer, number, place-date, type and title (or a
Công văn's "V/v" subject), addressees, and a decision's enacting line.

The header lines are read top down with a small state machine (top → title or subject →
addressees), each line first cut where a second column runs into it on the same line
(a scan reading the two columns across: "BỘ CÔNG AN CỘNG HÒA XÃ HỘI …", "Số: 45/BCA
Hà Nội, ngày …"). Upper-case lines of the left column before the number are the
issuing body's: they are grouped into bodies (:func:`body_units`); the last body is the
issuer and the ones above it its parents. The header ends at the first line of running
text: a legal-basis clause, a section label, or a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.normalise import fold_tones
from pipeline.structure.cues import (
    addressee_at, authority_end, body_head, body_head_word, clean, doc_type_at, is_addressee, is_furniture, is_number, is_opener,
    is_narrative, is_promulgation, is_specks, is_recipients, is_separator, is_subject, is_telegram_addressee, is_upper, label_at, motto_span,
    place_date_span,
)  # fmt: skip
from pipeline.structure.lines import TextLine, cut, split_gaps
from pipeline.structure.parts import Part, split_at
from pipeline.structure.skeleton import skeleton

_MAX_LINES = 90
_MAX_OFFSET = 9000
# "(Ban hành kèm theo Quyết định số …)" under a title: what issued it, not its subject.
_ATTACHED = re.compile(r"^\(?\s*(?:Ban hành\s+)?kèm theo\b", re.IGNORECASE)
# An upper-case line that names who enacts (a decision's "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH",
# a Party rule's "BAN CHẤP HÀNH TRUNG ƯƠNG"), not the title going on.
_ENACTING = re.compile(
    r"^\W{0,3}(?:HOI DONG|UY BAN|BAN |BO TRUONG|THU TUONG|CHU TICH|TRUONG BAN|DANG UY|TINH UY|THANH UY|HUYEN UY|"
    r"BAN CHAP HANH|BAN THUONG|GIAM DOC|CHANH|KHOA |QUYET DINH|QUYET NGHI)"
)
# A body name goes on from the line above: it starts with a linking word, or the line
# above ends with a comma or a linking word.
_GOES_ON = re.compile(r"^\W{0,3}(?:VA|CAC|CUA|THUOC|TRUC THUOC|VE)\b")
_NUMBER_IN = re.compile(r"(?<=\s)S[O0]\s*[:.]")
_SUBJECT_IN = re.compile(r"(?<=\s)[\"“]?V\s*/\s*[V%]\b")
_FIELD_END = re.compile(r"(?:\bS[OÓ0]\s*:?|ngày|tháng|năm)$", re.IGNORECASE)
_TWO_LETTERS = re.compile(r"\w\w")
_OPEN_END = re.compile(r"(?:,|\b(?:VA|CAC|CUA|THUOC|VE|VIEN|DOAN))\s*$")


def _motto_at(t: str) -> int | None:
    s = motto_span(t)
    return s[0] if s else None


def _place_at(t: str) -> int | None:
    s = place_date_span(t)
    return s[0] if s else None


def _number_at(t: str) -> int | None:
    m = _NUMBER_IN.search(skeleton(t))
    return m.start() if m and is_number(t[m.start() :]) else None


def _subject_at(t: str) -> int | None:
    m = _SUBJECT_IN.search(skeleton(t))
    return m.start() if m else None


_FINDERS = (_motto_at, _place_at, addressee_at, _number_at, _subject_at)


def _pieces(line: TextLine) -> list[TextLine]:
    return [p for g in split_gaps(line, keep=_BLANK_FIELD) for p in split_at(g, _FINDERS)]


def _BLANK_FIELD(left: str, right: str) -> bool:
    """A gap that leaves a field blank for the hand ("Số:      /UBND-NC", "ngày    tháng 12")
    is no column gap."""
    return bool(_FIELD_END.search(left)) or right[:1] in "/-–"


def _kind(t: str) -> str:
    """The header cue of one piece of a line."""
    if is_furniture(t) and not place_date_span(t):
        return "furniture"
    if is_separator(t):
        return "separator"
    s = motto_span(t)
    if s and s[0] <= 3:
        return "motto"
    if is_number(t):
        return "number"
    s = place_date_span(t)
    if s and s[0] <= 3:
        return "place_date"
    if doc_type_at(t):
        return "doc_type"
    if is_subject(t):
        return "subject"
    if is_addressee(t) or is_telegram_addressee(t):
        return "addressee"
    if is_promulgation(t):
        return "promulgation"
    if is_recipients(t) or authority_end(t) is not None:
        return "closing"
    if is_opener(t):
        return "opener"
    lab = label_at(t)
    if lab and (lab.kind in ("part", "roman", "article") or lab.kind == "number" and len(t) > 30):
        return "label"
    if is_upper(clean(t)) and len(t) < 160:
        return "upper"
    return "text"


@dataclass
class _State:
    mode: str = "top"  # top | title | after_title | subject | addressee
    title_lines: int = 0
    title_upper: bool = True
    subject_col: int = 0
    subject_source: int = -1
    last_text: str = ""
    seen: bool = False  # a header cue (motto, number, place-date, type, subject) was seen
    number_seen: bool = False
    typed: bool = False  # the type word was found


_ABBREVIATION_END = ("TP.", "Đ/c.", "đ/c.", "Tp.")


def _addressee_goes_on(prev: str, text: str) -> bool:
    t = clean(text)
    p = clean(prev).rstrip()
    if p.endswith(".") and not p.endswith(_ABBREVIATION_END):
        return False  # "Kính gửi: Sở Tài chính." names its one addressee and ends
    if label_at(t) and label_at(t).kind == "bullet":  # type: ignore[union-attr]
        return True
    if t[:1].islower():
        return True
    if is_addressee(p) and re.search(r":\s*$", p):
        return True
    if p.endswith((",", ";", ":")) and not is_opener(t):
        return True
    return bool(p) and p[-1] not in ".;:!?" and len(t) < 60 and not is_opener(t)


def _awaits_list(addressee: str) -> bool:
    """A bare "Kính gửi:" whose list has not come yet: an OCR'd page reads the right column's
    motto and place-date lines between the two, and the list still follows them."""
    return is_addressee(clean(addressee)) and bool(re.fullmatch(r"\W*\w+\s+\w+\s*:\s*", clean(addressee)))


def _motto_wrapped(line: TextLine, nxt: TextLine | None) -> bool:
    """A motto broken over two lines ("ĐẢNG CỘNG SẢN" / "VIỆT NAM")."""
    if nxt is None or len(line.text) > 40 or motto_span(line.text) or not is_upper(line.text):
        return False
    span = motto_span(f"{clean(line.text)} {clean(nxt.text)}")
    return span is not None and span[0] == 0 and span[1] > len(clean(line.text)) + 1


def head(lines: tuple[TextLine, ...], furniture: set[int]) -> tuple[list[Part], int]:
    """Labelled parts of the header lines, and the index of the first line after them."""
    parts: list[Part] = []
    st = _State()
    motto_next = -1
    for i, ln in enumerate(lines):
        if i >= _MAX_LINES or ln.start > _MAX_OFFSET or ln.table is not None:
            return _resolve_orgs(parts), i
        if i in furniture:
            parts.append(Part(ln, "page_furniture"))
            continue
        mark = len(parts)
        if i == motto_next:
            parts.append(Part(ln, "motto"))
            continue
        if _motto_wrapped(ln, lines[i + 1] if i + 1 < len(lines) else None):
            parts.append(Part(ln, "motto"))
            motto_next = i + 1
            continue
        for pc in _pieces(ln) if st.mode in ("top", "subject") else split_at(ln, (addressee_at,)):
            if not _take(pc, _kind(pc.text), st, parts):
                del parts[mark:]
                return _resolve_orgs(parts), i
    return _resolve_orgs(parts), len(lines)


def _take(pc: TextLine, kind: str, st: _State, parts: list[Part]) -> bool:
    """Label one piece of a header line; False where the header has ended before it."""
    mode = st.mode
    if kind == "furniture":
        parts.append(Part(pc, "page_furniture"))
        return True
    if kind == "separator":
        parts.append(Part(pc, ""))
        if mode == "title" and st.title_lines:
            st.mode = "after_title"
        return True
    if mode == "title":
        return _take_title(pc, kind, st, parts)
    if kind in ("motto", "number", "place_date"):
        parts.append(Part(pc, kind))
        st.seen = True
        st.number_seen = st.number_seen or kind == "number"
        if mode == "subject" and (kind != "place_date" or pc.source != st.subject_source):
            st.mode = "top"
        elif mode == "addressee" and not _awaits_list(st.last_text):
            st.mode = "top"
        return True
    if kind == "doc_type" and not st.typed and mode in ("top", "subject"):
        found = doc_type_at(pc.text)
        end = found[1] if found else len(pc.text)
        rest = pc.text[end:].strip()
        if rest and is_upper(rest, 0.9) and len(rest.split()) <= 2 and rest[:1].isalpha():
            end = len(pc.text)  # a compound type: "BÁO CÁO ĐỀ XUẤT"
        parts.append(Part(cut(pc, 0, end), "doc_type"))
        st.mode, st.typed, st.seen, st.title_lines = "title", True, True, 0
        rest = cut(pc, end, len(pc.text))
        if rest.text:
            parts.append(Part(rest, "title"))
            st.title_lines, st.title_upper = 1, is_upper(rest.text)
        return True
    if kind == "subject" and mode in ("top", "subject"):
        parts.append(Part(pc, "title", label="V/v"))
        st.mode, st.seen = "subject", True
        st.subject_col, st.subject_source, st.last_text = pc.column, pc.source, pc.text
        return True
    if kind == "addressee":
        parts.append(Part(pc, "addressee"))
        st.mode, st.last_text = "addressee", pc.text
        return True
    if mode == "addressee":
        if kind not in ("opener", "label", "promulgation", "closing") and _addressee_goes_on(st.last_text, pc.text):
            parts.append(Part(pc, "addressee"))
            st.last_text = pc.text
            return True
        return False
    if kind in ("opener", "promulgation", "closing"):
        return False
    if mode == "subject" and pc.column in (0, st.subject_col) and kind in ("text", "upper", "doc_type"):
        if _subject_goes_on(st.last_text, pc):
            parts.append(Part(pc, "title", label="V/v"))
            st.last_text = pc.text
            return True
        st.mode = "top"
    if kind == "text" and not st.typed and st.number_seen and mode == "top":
        typed = _typed_subject(pc)
        if typed:
            parts += typed
            st.mode, st.typed, st.seen = "subject", True, True
            st.subject_col, st.subject_source, st.last_text = pc.column, pc.source, pc.text
            return True
    if kind == "label":
        return False
    if kind == "upper" or kind == "doc_type":
        if st.mode == "after_title":
            parts.append(Part(pc, "legal_basis", group=-3))  # the enacting line of a decision
            return True
        if not st.typed and kind == "upper" and _TWO_LETTERS.search(pc.text):
            parts.append(Part(pc, "org"))
            return True
        parts.append(Part(pc, ""))
        return True
    # running text: the header has ended, unless it is a short stray line (a stamp's)
    if st.mode == "after_title" or len(pc.text) > 50:
        return False
    parts.append(Part(pc, ""))
    return True


def _typed_subject(pc: TextLine) -> list[Part]:
    """A subject line under the number that opens with a type name in ordinary case
    ("Hướng dẫn một số nội dung …"): the type (labelled "subject": the subject as printed
    begins with it), then the rest of the subject."""
    from pipeline.extract.patterns import tables  # see cues.py: loaded when first used

    t = pc.text
    m = tables().type_re.match(fold_tones(t))
    if not m or not t[:1].isupper() or not t[m.end() : m.end() + 2].strip() or not t[m.end() :].lstrip()[:1].islower():
        return []
    return [Part(cut(pc, 0, m.end()), "doc_type", label="subject"), Part(cut(pc, m.end(), len(t)), "title")]


def _subject_goes_on(prev: str, pc: TextLine) -> bool:
    t = clean(pc.text)
    if len(t) > 140 or is_addressee(t) or is_opener(t):
        return False
    if pc.blank_before and not t[:1].islower():
        return False
    return not clean(prev).rstrip().endswith((".", ":")) or t[:1].islower()


def _take_title(pc: TextLine, kind: str, st: _State, parts: list[Part]) -> bool:
    """A line after the type word: the title goes on, or the preamble begins."""
    t = clean(pc.text)
    if st.title_lines == 0:
        if kind in ("addressee",):
            st.mode = "top"
            return _take(pc, kind, st, parts)
        if kind in ("label",) and not t[:1].islower():
            return False
        parts.append(Part(pc, "title"))
        st.title_lines, st.title_upper = 1, is_upper(t)
        return True
    ends = (
        kind in ("opener", "label", "addressee", "promulgation", "motto", "number", "place_date", "closing")
        or is_specks(t)
        or is_narrative(t)
        or _ATTACHED.match(t)
        or len(t) > 260
        or st.title_lines >= 12
    )
    if not ends and is_upper(t) and (not st.title_upper or _ENACTING.match(skeleton(t))):
        ends = True
    if not ends:
        parts.append(Part(pc, "title"))
        st.title_lines += 1
        return True
    st.mode = "after_title"
    if _ATTACHED.match(t):
        parts.append(Part(pc, "legal_basis"))  # "(Ban hành kèm theo Quyết định số …)"
        return True
    if kind in ("opener", "label", "promulgation", "closing"):
        return False
    return _take(pc, kind, st, parts)


# ------------------------------------------------------------------ bodies


def body_units(texts: list[str]) -> list[list[int]]:
    """Group the upper-case header lines of the issuing body into bodies, top down.

    A line opening with a body word ("SỞ", "BAN", "ỦY BAN", "HỘI ĐỒNG", …) starts a new
    body unless it goes on from the line above (the line above ends with a comma or a
    linking word, or this one starts with one: "VÀ DOANH NGHIỆP TỈNH"); any other line
    ("TỈNH GIA LAI", "XÉT DUYỆT SÁNG KIẾN …", "TRUNG ƯƠNG") goes on with the body above.
    Returns the line indexes of each body.
    """
    units: list[list[int]] = []
    for i, text in enumerate(texts):
        sk = skeleton(clean(text))
        prev = skeleton(clean(texts[i - 1])) if i else ""
        goes_on = bool(units) and (_GOES_ON.match(sk) or _OPEN_END.search(prev) or not body_head(text))
        if goes_on:
            units[-1].append(i)
        else:
            units.append([i])
    return units


def _resolve_orgs(parts: list[Part]) -> list[Part]:
    """The issuing body's lines: the run of upper-case left-column lines before the number
    (a stamp's or a stray line elsewhere is furniture), the last body in it the issuer and
    the bodies above it its parents (a joint document's sibling bodies all issue)."""
    runs: list[tuple[list[int], bool]] = []  # (part indexes, an anchor follows it)
    current: list[int] = []
    for n, p in enumerate(parts):
        if p.kind == "org":
            if p.line.column <= 1:
                current.append(n)
            continue
        if p.line.column >= 2 or p.kind in ("page_furniture", "motto", "place_date") or is_separator(p.line.text):
            continue
        anchor = p.kind in ("number", "title", "doc_type")
        if current:
            runs.append((current, anchor))
            current = []
        if p.kind == "doc_type":
            break
    if current:
        runs.append((current, False))
    chosen = _best_run(parts, runs)
    out = list(parts)
    for n, p in enumerate(parts):
        if p.kind == "org" and n not in chosen:
            out[n] = Part(p.line, "page_furniture" if p.line.column <= 1 else "")
    if not chosen:
        return out
    order = sorted(chosen)
    units = body_units([parts[n].line.text for n in order])
    last = units[-1]
    head_word = _head_word(parts[order[last[0]]].line.text)
    issuing = {u for u, unit in enumerate(units) if u == len(units) - 1}
    for u in range(len(units) - 2, -1, -1):  # sibling bodies right above the issuer issue with it
        if head_word and _head_word(parts[order[units[u][0]]].line.text) == head_word:
            issuing.add(u)
        else:
            break
    for u, unit in enumerate(units):
        kind = "issuer" if u in issuing else "parent_body"
        for k in unit:
            n = order[k]
            out[n] = Part(parts[n].line, kind, group=u)  # one zone a body
    return out


_head_word = body_head_word


def _best_run(parts: list[Part], runs: list[tuple[list[int], bool]]) -> set[int]:
    """The run of body lines to keep: the first one that opens with a body word and stands
    right above the number (a receiving office's stamp and a scan's stray line come
    later or stand alone); failing that, the longest."""
    for want_anchor in (True, False):
        for run, anchored in runs:
            if body_head(parts[run[0]].line.text) and (anchored or not want_anchor):
                return set(run)
    anchored_runs = [r for r, a in runs if a] or [r for r, _ in runs]
    return set(max(anchored_runs, key=len)) if anchored_runs else set()


__all__ = ["body_units", "head"]
