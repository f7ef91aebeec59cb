"""Implements: the documents a plan, letter or decision says it carries out.

A document names what it implements in its title ("KẾ HOẠCH thực hiện Kết luận số ...",
"V/v triển khai Công văn số ...") and in its opening clauses, its legal basis ("Thực hiện
...", "Căn cứ ...", "Triển khai ...", "Để cụ thể hóa ...", "Theo chỉ đạo ... tại ..."),
before its first section. Every numbered document named there counts, including those
nested inside ("Kế hoạch số 63-KH/TU ... thực hiện Kết luận số 45-KL/TW"); documents merely
cited later, weighed ("Xét Tờ trình số ...", "xét đề nghị ... tại Tờ trình số ...") or
answered ("Phúc đáp Công văn số ...") do not.

The opening is the legal-basis zones where the structure stage gives them
(:class:`~pipeline.extract.scope.Scope`), else the paragraphs found here from text cues.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from pipeline.extract.patterns import tables
from pipeline.extract.scope import Scope
from pipeline.extract.text import layout_lines
from pipeline.identity import find_symbols
from pipeline.models import Citation, Header, Table
from pipeline.normalise import fold_tones

_OPENER = re.compile(
    r"^\W{0,3}(?:Thực hiện|Căn cứ|Triển khai|Để (?:cụ thể|triển khai|thực hiện|tổ chức)|Thi hành|Trên cơ sở|"
    r"Tiếp tục thực hiện|Chấp hành|Quán triệt|Theo (?!đề nghị|đề xuất)|Thực hiện)",
    re.IGNORECASE,
)
_SKIP = re.compile(
    r"^\W{0,3}(?:Xét|Theo đề nghị|Theo đề xuất|Được sự đồng ý|Phúc đáp|Trả lời|Tiếp theo)", re.IGNORECASE
)
_IMPLEMENTING = re.compile(r"thực hiện|triển khai|căn cứ|cụ thể h[oó]á?|quán triệt", re.IGNORECASE)
_HEADING = re.compile(r"^\W{0,3}(?:[IVXLC]+\s*[.\-–/)](?=\s)|Điều\s+\d|Chương\s+[IVXLC\d]|PHẦN\b|\d+\s*[.)]\s)")
# Inside an opening clause, what it weighs ("xét đề nghị ...", "xét Báo cáo số ...") or answers
# rather than carries out: from the cue
# to the next clause ("; Căn cứ ...", ". Để thực hiện ...") or the end.
_NOT_CARRIED = re.compile(
    r"(?<!\w)(?:xét|theo)\s+(?:đề nghị|đề xuất|tờ trình)|(?<!\w)xét\s+(?:các\s+)?(?:báo cáo|công văn|văn bản)|"
    r"(?<!\w)(?:phúc đáp|trả lời)\s",
    re.IGNORECASE,
)
_CLAUSE_START = re.compile(
    r"[;.]\s*(?=(?:Thực hiện|Căn cứ|Triển khai|Để|Thi hành|Trên cơ sở|Tiếp tục|Chấp hành|Quán triệt)\b)|"
    r"(?<!\w)(?=[Đđ]ể (?:cụ thể|triển khai|thực hiện|tổ chức)\b)",
)
# The title carries out a document it names after one of these words.
_TITLE_VERB = re.compile(r"(?:thực hiện|triển khai|cụ thể hóa|quán triệt|thi hành)\b[^;]*$", re.IGNORECASE)


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


def _cue_opening(text: str, tables_: Sequence[Table], scope: Scope) -> list[tuple[int, int]]:
    """The opening paragraphs found from text cues: the first run of opener paragraphs
    before the first heading (skipping "Xét ..." and a decision's authority line)."""
    title = scope.title
    start = title[1] if title else 0
    body = max(start, scope.header_end)
    paras = _paragraphs(text, tables_, start, min(len(text), start + 8000))
    spans: list[tuple[int, int]] = []
    uppers = 0
    first_body = next((i for i, (_, e, _) in enumerate(paras) if e > body), len(paras))
    for i, (s, e, p) in enumerate(paras):
        if _OPENER.match(p) and p.lstrip(" \t-+*•–")[:1].isupper() and (e > body or not spans and _header_like(p)):
            spans.append((s, e))
            continue
        if not any(ch.isalpha() for ch in p):
            continue  # a rule under the title ("-----"), a page number
        if spans:
            if _SKIP.match(p):
                continue
            break
        if _HEADING.match(p):
            break  # the body began before any opening clause
        if _SKIP.match(p):
            continue
        if p.isupper():
            uppers += 1  # the authority line of a decision ("CHỦ TỊCH ỦY BAN NHÂN DÂN ...")
            continue
        if i < first_body or (body == 0 and _header_like(p)):
            continue  # still in the header (a letter's number, "V/v" subject, addressees)
        if i <= first_body + uppers and (_IMPLEMENTING.search(p) or _damaged_opener().match(p)):
            spans.append((s, e))  # a narrative opening: "Ngày ..., Bộ Chính trị ban hành ... Để triển khai ..."
        break
    return spans


@cache
def _damaged_opener() -> re.Pattern[str]:
    """A scan's opening clause whose first word a stamp or a fold damaged ("tục! hiện Quyết
    định số ..."): a short token, then "hiện" and a document type word."""
    return re.compile(rf"^\W{{0,3}}\S{{1,6}}\s+hiện\s+{tables().type_re.pattern}", re.IGNORECASE)


_HEADER_CUE = re.compile(r"Độc lập|CỘNG H[OÒ]A|\bS[ốóô]\s*:|\bV/[vV]\b|Kính\s|ngày\W{0,12}\d{0,2}\W{0,3}tháng", re.IGNORECASE)


def _header_like(p: str) -> bool:
    """A line of a header the cues did not place (an OCR'd letter without "Kính gửi")."""
    return len(p) < 160 or bool(_HEADER_CUE.search(p[:300]))


def _carried(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """``text[s:e]`` less what it weighs or answers ("xét đề nghị ... tại Tờ trình số ...")."""
    out: list[tuple[int, int]] = []
    pos = s
    for m in _NOT_CARRIED.finditer(text, s, e):
        if m.start() < pos:
            continue
        out.append((pos, m.start()))
        nxt = _CLAUSE_START.search(text, m.end(), e)
        pos = nxt.end() if nxt else e
    out.append((pos, e))
    return [(a, b) for a, b in out if b > a]


def opening_spans(text: str, tables_: Sequence[Table] = (), scope: Scope | None = None) -> list[tuple[int, int]]:
    """Spans of the opening clauses (what they carry out), then of the title."""
    scope = scope or Scope(text, tuple(tables_))
    basis = scope.legal_basis()
    paras = basis if basis else _cue_opening(text, tables_, scope)
    spans = [c for s, e in paras for c in _carried(text, s, e)]
    if scope.title:
        spans.append(scope.title)
    return spans


def _title_keys(header: Header | None) -> set[str]:
    """Base keys of the documents a title (also a letter's "V/v" subject) says it carries out."""
    if header is None or not header.title:
        return set()
    title = fold_tones(header.title)
    return {sym.base_key for sym in find_symbols(title) if _TITLE_VERB.search(title[: sym.start])}


def find_implements(
    text: str,
    citations: Sequence[Citation],
    tables_: Sequence[Table] = (),
    header: Header | None = None,
    scope: Scope | None = None,
) -> tuple[str, ...]:
    """Keys of the cited documents named in the opening clause(s), then the title, in text order."""
    scope = scope or Scope(text, tuple(tables_))
    keys: list[str] = []
    for s, e in opening_spans(text, tables_, scope):
        hits = sorted(
            (m.start, c.key) for c in citations if c.resolved for m in c.mentions if s <= m.start < e
        )
        for _, key in hits:
            if key not in keys:
                keys.append(key)
    title_keys = _title_keys(header)
    if title_keys:
        head = scope.header_end
        for c in citations:
            base = c.key.split("@", 1)[0]
            if c.resolved and base in title_keys and c.key not in keys and any(m.start < head for m in c.mentions):
                keys.append(c.key)
    return tuple(keys)


__all__ = ["find_implements", "opening_spans"]
