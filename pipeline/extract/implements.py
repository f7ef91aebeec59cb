"""Implements: the documents a plan says it carries out.

A plan names what it implements in its title ("KẾ HOẠCH thực hiện Kết luận số ...") and
in its opening sentence(s) ("Thực hiện ...", "Căn cứ ...", "Triển khai ...", "Để cụ thể
hóa ..."), before its first section. Every numbered document named there counts,
including those nested inside ("Kế hoạch số 51-KH/TU ... thực hiện Kết luận số
21-KL/TW"); documents merely cited later, or weighed ("Xét Tờ trình số ..."), do not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.extract.header import title_span
from pipeline.extract.text import layout_lines
from pipeline.models import Citation, Table
from pipeline.structure import Structure

_OPENER = re.compile(
    r"^\W{0,3}(?:Thực hiện|Căn cứ|Triển khai|Để (?:cụ thể|triển khai|thực hiện|tổ chức)|Thi hành|Trên cơ sở|"
    r"Tiếp tục thực hiện|Chấp hành|Quán triệt|Theo (?!đề nghị)|Thực hiện)",
    re.IGNORECASE,
)
_SKIP = re.compile(r"^\W{0,3}(?:Xét|Theo đề nghị|Được sự đồng ý)", re.IGNORECASE)
_IMPLEMENTING = re.compile(r"thực hiện|triển khai|căn cứ|cụ thể h[oó]á?", re.IGNORECASE)
_HEADING = re.compile(r"^\W{0,3}(?:[IVXLC]+\s*[.\-–/)]|Điều\s+\d|Chương\s+[IVXLC\d]|PHẦN\b|\d+\s*[.)]\s)")


def _paragraphs(text: str, tables_: Sequence[Table], start: int, end: int) -> list[tuple[int, int, str]]:
    """Paragraphs of ``text[start:end]``: wrapped lines joined until one ends a sentence
    (".", ":") or the next opens a clause of its own ("Căn cứ", "Xét", a heading)."""
    paras: list[tuple[int, int, str]] = []
    cur: list[tuple[int, str]] = []

    def close() -> None:
        if cur:
            paras.append((cur[0][0], cur[-1][0] + len(cur[-1][1]), " ".join(x[1].strip() for x in cur)))
            cur.clear()

    for at, line in layout_lines(text, tables_, end):
        if at < start:
            continue
        stripped = line.strip()
        if not stripped:
            close()
            continue
        if _OPENER.match(stripped) or _SKIP.match(stripped) or _HEADING.match(stripped) or stripped.isupper():
            close()
        cur.append((at, line))
        if stripped[-1] in ".:!?" or stripped.isupper():
            close()
    close()
    return paras


def opening_spans(text: str, tables_: Sequence[Table] = (), structure: Structure | None = None) -> list[tuple[int, int]]:
    """Spans of the title and of the opening "Thực hiện/Căn cứ ..." paragraph(s)."""
    title = title_span(text, tables_, structure)
    start = title[1] if title else 0
    spans: list[tuple[int, int]] = []
    uppers = 0
    for i, (s, e, p) in enumerate(_paragraphs(text, tables_, start, min(len(text), start + 8000))):
        if _OPENER.match(p):
            spans.append((s, e))
            continue
        if _SKIP.match(p):
            continue
        if p.isupper() and not spans and uppers < 3 and not _HEADING.match(p):
            uppers += 1  # the authority line of a decision ("BAN THƯỜNG TRỰC ...")
            continue
        if not spans and i <= uppers and _IMPLEMENTING.search(p) and not _HEADING.match(p):
            spans.append((s, e))  # a narrative opening: "Ngày ..., Bộ Chính trị ban hành ... Để triển khai ..."
        break
    if title:
        spans.append(title)
    return spans


def find_implements(
    text: str, citations: Sequence[Citation], tables_: Sequence[Table] = (), structure: Structure | None = None
) -> tuple[str, ...]:
    """Keys of the cited documents named in the opening sentence(s), then the title, in text order."""
    keys: list[str] = []
    for s, e in opening_spans(text, tables_, structure):
        hits = sorted(
            (m.start, c.key) for c in citations if c.resolved for m in c.mentions if s <= m.start < e
        )
        for _, key in hits:
            if key not in keys:
                keys.append(key)
    return tuple(keys)


__all__ = ["find_implements", "opening_spans"]
