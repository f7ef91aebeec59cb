"""The document's own header: type, symbol, issuer, place, date, title, scope — each read
from its zone (``pipeline.structure``).

Vietnamese administrative documents open with a fixed block (Nghị định 30/2020/NĐ-CP,
Hướng dẫn 36-HD/VPTW): the issuing body under its parent, "Số ..." under them, the motto
and the place-and-date line on the right, then the type word in capitals ("KẾ HOẠCH",
"QUYẾT ĐỊNH", "THÔNG BÁO", ...) with the title under it, or — a Công văn — no type word
and a "V/v ..." subject under the number. The structure stage has found those zones,
whatever the layout (two columns, a layout table, a scan reading across); here each
field is read from its own zone.

Where the block is missing (plans pasted without their header) the issuer comes from the
opening sentence ("..., Ban Thường vụ Tỉnh ủy ban hành Kế hoạch ...") and its place from
the text; the date from a caption that dates this document ("kèm theo Kế hoạch số
27-KH/ĐUK, ngày 08/5/2022").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.extract.dates import find_dates
from pipeline.extract.issuer import issuer_from_lines, issuer_from_opening, org_case, scope_for, scope_of, strip_standing
from pipeline.extract.patterns import doc_type, tables
from pipeline.extract.respell import as_used, as_written, extended, repaired
from pipeline.extract.text import folded, squash
from pipeline.identity import find_symbols
from pipeline.models import Header, Table, Word
from pipeline.normalise import fold_tones
from pipeline.structure import Structure, structure_of_text
from pipeline.structure.cues import clean, doc_type_at
from pipeline.structure.head import body_units
from pipeline.structure.skeleton import skeleton

_QUOTES = "\"“”'‘’"
UNSURE = 80.0  # an OCR'd title word below this confidence may be spelt as the text spells it
_SPECKS = re.compile(r"(?<!\S)[-_~`'\"*.,]*_[-_~`'\"*.,]*(?!\S)")  # a scan's "-_" between words
# A subject opening "về …" ("Về việc thành lập …"), which is printed with a capital: OCR
# tells "V" from "v" by size alone and often reads it small.
_SIZE_ONLY_CASE = re.compile(r"^v(?=ề\s)")
_RULE_AFTER = re.compile(r"(?:\s*\n[ \t]*[-_*=.~–—]{3,}[ \t]*(?=\n|$))+")


def _normalise_symbols(s: str) -> str:
    """Symbols inside a title in their normal form ("45- KL/TW" → "45-KL/TW")."""
    for sym in reversed(find_symbols(s)):
        s = s[: sym.start] + sym.text + s[sym.end :]
    return s


def _type_and_title(st: Structure, ocr: bool, words: Sequence[Word] = ()) -> tuple[str | None, str | None]:
    """The type (the type word's, or "Công văn" for a "V/v" subject) and the title, as
    printed: a final full stop and quotes or brackets around the whole subject dropped,
    a scan's misread marks repaired from the document's own text."""
    zone = st.first("doc_type")
    lines = st.column_lines("title")
    title = _bare(squash(" ".join(clean(ln.text) for ln in lines))) or None
    if title and ocr:
        span = (lines[0].start, lines[-1].end)
        title = repaired(_SPECKS.sub(" ", title).strip(), st.text, skip=span)
        shaky = {st.text[w.start : w.end].strip(".,;:()\"“”").lower() for w in words if span[0] <= w.start < span[1] and w.confidence < UNSURE}
        title = as_used(title, st.text, shaky, skip=span)
        title = _SIZE_ONLY_CASE.sub(lambda m: m.group().upper(), title)
    if zone is not None:
        word = clean(st.text_of(zone))
        found = doc_type_at(word)
        kind = found[0].name if found else None
        if kind is None:
            m = tables().type_re.match(fold_tones(word))
            t = doc_type(m.group()) if m else None
            kind = t.name if t else None
        elif found and len(word) > found[1] + 1:  # a compound type printed as such: "BÁO CÁO ĐỀ XUẤT"
            kind = f"{kind} {repaired(word[found[1]:].strip().lower(), st.text)}"
        if title and zone.label == "subject":  # a subject opening with its type name: printed whole
            title = f"{word} {title}"
        return kind, _normalise_symbols(title) if title else None
    if title and any(st.zones[ln.zone].label == "V/v" for ln in lines):
        title = re.sub(r"^(?:[VW]\s*[/⁄]\s*[%Vv](?!\w)|[VW]\s*[/⁄](?=\s)|%)\s*", "V/v ", title)  # the marker as a scan may read it
        return "Công văn", _normalise_symbols(title[:1].upper() + title[1:])
    return None, None


def _bare(title: str) -> str:
    """A title without a final full stop and without quotes or brackets around it whole."""
    title = title.strip()
    for _ in range(2):
        if len(title) > 2 and (title[0] in _QUOTES and title[-1] in _QUOTES or title[0] == "(" and title[-1] == ")"):
            title = title[1:-1].strip()
        title = re.sub(r"(?<!\.)\.$", "", title).strip()
    return title


_DIGITS = re.compile(r"^\W*S[OÓ0]\W*?(\d{1,6})", re.IGNORECASE)
_CODE = re.compile(r"/\s*([A-ZĐ][\w&.()]*(?:\s*-\s*[\w&.()]+)*)")


def _symbol(st: Structure) -> tuple[str | None, str | None]:
    """The symbol on the number line; a scan that dropped the "/" after the number
    ("10797QĐ-HĐTĐ") is mended, and a number read in one copy of the line joins the code
    of another ("Số: /QĐ-HĐTĐ"). With it, the code printed after the number (for a
    number left blank, or not read)."""
    digits = code = None
    for ln in st.lines_of("number"):
        eol = st.text.find("\n", ln.end)
        window = st.text[ln.start : min(eol if eol >= 0 else len(st.text), ln.end + 40)]
        for sym in find_symbols(window):
            if sym.start < len(ln.text):
                return sym.text, None
        glued = re.sub(r"^(\W*S[OÓ0]\W*?\d{1,6})(?=[A-ZĐ]{2})", r"\1/", clean(ln.text), flags=re.IGNORECASE)
        for sym in find_symbols(glued):
            return sym.text, None
        m = _DIGITS.match(clean(ln.text))
        digits = digits or (m.group(1) if m else None)
        c = _CODE.search(ln.text)
        code = code or (re.sub(r"\s+", "", c.group(1)) if c else None)
    if digits and code:
        found = find_symbols(f"Số {digits}/{code}")
        return (found[0].text if found else None), code
    return None, code


def _own_symbol_from_caption(text: str, code: str) -> str | None:
    """This document's symbol as an appendix or list caption writes it ("Kèm theo Công
    văn số 4821/BCA-C06 ngày …"), for a header whose number is blank or was not read:
    the caption's symbol must end with the code the header prints."""
    ft = folded(text)
    want = fold_tones(re.sub(r"\s+", "", code))
    found = {
        sym.text: (sym.start, sym.end)
        for sym in find_symbols(ft)
        if re.sub(r"^\d+", "", sym.text).endswith(want)
        and re.search(r"kèm theo", ft[max(0, sym.start - 60) : sym.start], re.IGNORECASE)
    }
    if len(found) != 1:
        return None
    start, end = next(iter(found.values()))
    own = find_symbols(text[start:end])  # fold_tones keeps offsets: the symbol as the text writes it
    return own[0].text if own else None


# A day and month a stamp or a hand put into the line, read into the words around them:
# "ngày t 28 háng 10 năm 2025".
_LOOSE_DATE = re.compile(r"NGAY\D{0,6}?(\d{1,2})\D{1,8}?(\d{1,2})\D{0,6}?NAM\D{0,3}(\d{4})")


def _place_and_date(st: Structure, ocr: bool) -> tuple[str | None, str | None]:
    for zone in st.of("place_date"):
        t = clean(st.text_of(zone))
        m = re.search(r"\s*[,.]\s*NGAY", skeleton(t))
        place = squash(t[: m.start()]).strip(" *_|") if m else None
        if not place:
            continue
        dm = next((d for d in find_dates(t) if d.date), None)
        date = dm.iso if dm else _loose_date(t)
        return repaired(as_written(place, st.text), st.text if ocr else ""), date
    return None, None


def _loose_date(t: str) -> str | None:
    m = _LOOSE_DATE.search(skeleton(t))
    if not m:
        return None
    day, month, year = (int(g) for g in m.groups())
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= day <= 31 and 1 <= month <= 12 else None


def _body_lines(st: Structure, ocr: bool) -> list[str]:
    """The issuing body's header lines (parent bodies first), grouped into bodies; a scan's
    misread marks repaired from the document's own text."""
    texts = [clean(ln.text).strip(" _-–—*|") for ln in st.column_lines("parent_body", "issuer")]
    texts = [repaired(t, st.text if ocr else "") for t in texts if t]
    return [" ".join(texts[i] for i in unit).strip(" .,:;") for unit in body_units(texts)] if texts else []


def title_span(text: str, tables_: Sequence[Table] = (), structure: Structure | None = None) -> tuple[int, int] | None:
    """Where the type word and title (or subject) stand in ``text`` (None if not found)."""
    st = structure if structure is not None else structure_of_text(text, tables_)
    zones = st.of("doc_type", "title")
    if not zones:
        return None
    rule = _RULE_AFTER.match(text, zones[-1].end)  # the rule drawn under the title belongs to it
    return zones[0].start, rule.end() if rule else zones[-1].end


def find_header(
    text: str, tables_: Sequence[Table] = (), structure: Structure | None = None, ocr: bool = False,
    words: Sequence[Word] = (),
) -> Header:
    """The header fields of ``text`` (``Document.text``; ``tables_`` its ``Document.tables``;
    ``structure`` its zones, found here when not given; ``ocr``: the text was read by OCR;
    ``words``: its OCR words with their confidences)."""
    st = structure if structure is not None else structure_of_text(text, tables_)
    kind, title = _type_and_title(st, ocr, words)
    symbol, code = _symbol(st)
    if symbol is None and code:
        symbol = _own_symbol_from_caption(text, code)
    place, date = _place_and_date(st, ocr)
    orgs = _body_lines(st, ocr)
    issuer = issuer_from_lines(orgs)
    if issuer:
        issuer = repaired(extended(as_written(issuer, text), text), "")  # a province as the gazetteer spells it
    else:
        issuer = issuer_from_opening(text, st.header_end, kind)
        if issuer:
            issuer = strip_standing(issuer)
            scope = scope_for(issuer, text)
            if scope:
                issuer = f"{issuer} {scope}"
    if date is None:
        date = _own_date_from_caption(text, symbol)
    return Header(
        doc_type=kind, symbol=symbol, issuer=issuer, place=place, date=date, title=title,
        scope=scope_of(orgs, place, text),
    )  # fmt: skip


def _own_date_from_caption(text: str, symbol: str | None) -> str | None:
    """A caption that dates this document: "kèm theo Kế hoạch số 27-KH/ĐUK, ngày 08/5/2022"."""
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



__all__ = ["find_header", "org_case", "title_span"]
