"""The body: legal-basis clauses, section headings, numbered and bulleted items, running
text and tables, between the header and the closing.

Lines are first joined into paragraphs. A copy may break lines at a fixed width even
inside a heading or a list label ("V. TỔ CHỨC" / "THỰC HIỆN", "1. Ban" / "Quản lý …"), so a
line goes on with the one above when that one cannot end there: no closing punctuation
and the next starts in lower case, the line above ends with a comma or a linking word,
an upper-case heading goes on in capitals, a label stands alone, or the document is
wrapped at a width and the line above reaches it. Each paragraph is then one part: a
legal-basis clause while the opening lasts ("Căn cứ …", "Thực hiện …", a decision's
"QUYẾT ĐỊNH:"), a heading (part, roman, article, a short numbered title), an item (a
numbered or bulleted paragraph), a table (a data table's rows), or body text.
"""

from __future__ import annotations

import re

from pipeline.normalise import fold_tones
from pipeline.structure.cues import Label, body_head, clean, is_opener, is_promulgation, is_specks, is_upper, label_at
from pipeline.structure.lines import TextLine
from pipeline.structure.parts import Part

# A line that ends on one of these words (in lower case) cannot end a paragraph.
_LINKING = re.compile(
    r"(?<!\w)(?:và|của|các|với|về|cho|tại|trong|theo|để|là|được|những|có|đến|từ|hoặc|hay|thuộc|như|trên|"
    r"dưới|sau|trước|một|cùng|bằng|vào|giữa|nhằm|khi|nếu|thì|mà|do|bởi|vì|tới|phải|sẽ|đã|đang|số|ngày)\s*$"
)
_HEADING_WORDS = 16  # a numbered title longer than this is an item with content


def _ends_linking(line: str) -> bool:
    """Whether ``line`` ends on a linking word. Only its last word is folded and read: a
    match is that word's end, after no letter (folding moves marks inside a word only)."""
    last = line.rsplit(None, 1)
    return bool(last) and bool(_LINKING.search(fold_tones(last[-1])))


def _wrap_width(lines: list[TextLine]) -> int:
    """The width a fixed-width copy wraps at (0 when lines are paragraphs)."""
    lengths = sorted(len(ln.text) for ln in lines if ln.table is None)
    if len(lengths) < 8:
        return 0
    full = lengths[int(0.9 * (len(lengths) - 1))]
    wrapped = sum(1 for n in lengths if n >= 0.8 * full) >= 0.4 * len(lengths)
    return full if wrapped and full < 200 else 0


def _continues(first: TextLine, prev: TextLine, ln: TextLine, width: int) -> bool:
    """``ln`` goes on with the paragraph that ``first`` opens and ``prev`` ends."""
    if ln.table is not None or prev.table is not None:
        return False
    if ln.column and prev.column and ln.column != prev.column:
        return False
    t, p = clean(ln.text), clean(prev.text)
    if not t or not p:
        return False
    lab = label_at(t)
    if lab is not None and (lab.kind == "bullet" or not _ends_linking(p)):
        return False
    if p.endswith("./.") or (is_opener(t) and p.endswith((".", ";", ":"))):
        return False
    plab = label_at(p)
    if plab is not None and not p[plab.end :].strip():
        return True  # a label alone on its line ("Phần thứ nhất", "1.") and its title
    if t[:1].islower():
        return True
    opening = is_opener(clean(first.text)) and not is_opener(t)
    if p[-1] == ";" and opening and width and len(prev.text) >= 0.8 * width and not ln.blank_before:
        return True  # a clause listing documents, wrapped at the width right after one of its ";"
    if p[-1] in ".!?;:":
        return False
    if p.endswith(",") or _ends_linking(p):
        return True
    if opening:
        return True  # a legal-basis clause runs until its ";"
    if is_upper(p) and is_upper(t) and len(t) < 90 and not ln.blank_before:
        return True  # an upper-case heading wrapped
    if len(t.split()) <= 2 and t[-1] in ".;,":
        return True  # a sentence's last word wrapped alone ("XIII;")
    if is_upper(p) != is_upper(t):
        return False
    if width and len(prev.text) >= 0.8 * width and not ln.blank_before:
        return True
    if plab is not None and plab.kind != "bullet":
        words = p[plab.end :].split()
        return len(words) <= 2 and bool(words) and body_head(words[-1].upper())  # "1. Ban" / "Quản lý …"
    return False


def paragraphs(lines: list[TextLine]) -> list[list[TextLine]]:
    """``lines`` joined into paragraphs (a data table's rows one each)."""
    width = _wrap_width(lines)
    out: list[list[TextLine]] = []
    for ln in lines:
        if out and _continues(out[-1][0], out[-1][-1], ln, width):
            out[-1].append(ln)
        else:
            out.append([ln])
    return out


def _heading_or_item(lab: Label, content: str) -> str:
    if lab.kind in ("part", "roman", "article"):
        return "heading"
    if lab.kind == "bullet":
        return "item"
    c = content.strip()
    if not c:
        return "heading"
    if len(c.split()) > _HEADING_WORDS or c[-1] in ".;" or re.search(r"[.;]\s", c):
        return "item"
    return "heading"


def _unlabelled_heading(para: list[TextLine]) -> bool:
    """A short paragraph in capitals without a label ("TÌNH HÌNH, KẾT QUẢ …")."""
    if not is_upper(para[0].text, 0.9) or len(para) > 3:
        return False
    text = " ".join(clean(ln.text) for ln in para)
    words = [w for w in text.split() if sum(c.isalpha() for c in w) >= 2]
    letters = sum(c.isalpha() for c in text)
    return (
        is_upper(text, 0.9) and 2 <= len(words) <= _HEADING_WORDS and letters >= 0.6 * len(text.replace(" ", ""))
        and not text.rstrip().endswith((";", ",", "."))
    )  # fmt: skip


def body(lines: list[TextLine], first_group: int = 0) -> list[Part]:
    """Labelled parts of the body lines (furniture already taken out)."""
    parts: list[Part] = []
    opening = True
    group = first_group
    for para in paragraphs(lines):
        group += 1
        first = para[0]
        if first.table is not None:
            parts.append(Part(first, "table", group=100_000 + first.table))
            continue
        text = clean(first.text)
        lab = label_at(text)
        if len(para) == 1 and is_specks(text):
            parts.append(Part(first, "page_furniture"))  # a scan's smudge: the opening goes on
            continue
        if is_promulgation(text):
            parts += [Part(ln, "legal_basis", group=group) for ln in para]  # "QUYẾT ĐỊNH:"
            opening = False
            continue
        if opening:
            if lab is None and (is_opener(text) or (is_upper(text) and len(text) < 120)):
                parts += [Part(ln, "legal_basis", group=group) for ln in para]
                continue
            if lab is not None and lab.kind == "bullet" and is_opener(text):
                parts += [Part(ln, "legal_basis", group=group) for ln in para]  # "- Căn cứ Điều lệ Đảng;"
                continue
            opening = False
        if lab is not None:
            content = " ".join([text[lab.end :], *(clean(ln.text) for ln in para[1:])])
            kind = _heading_or_item(lab, content)
            parts += [Part(ln, kind, label=lab.label, level=lab.level, group=group) for ln in para]
            continue
        if _unlabelled_heading(para):
            parts += [Part(ln, "heading", level=1, group=group) for ln in para]
            continue
        parts += [Part(ln, "body", group=group) for ln in para]
    return parts


__all__ = ["body", "paragraphs"]
