"""Find the numbered parts of a plan: "I. MỤC ĐÍCH, YÊU CẦU", "1.", "2.1.", "a)", "Nơi nhận".

Assignments come only from the organisation part ("III. TỔ CHỨC THỰC HIỆN"), and
deadlines and assignments are attached to the numbered item they stand in, so the
other extractors need the headings with their spans. Headings are recognised line
by line from their labels; markdown marks (``#``, ``**``) and leading tabs are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.structure.skeleton import skeleton

# Label forms, tried in order on a line stripped of markdown and indentation.
_MARKUP = re.compile(r"^[\s#*_>]*")
# Roman labels; OCR reads "I" as "l" ("lII. TỔ CHỨC THỰC HIỆN").
_PART = re.compile(r"^(?P<label>(?=[IVXl]*[IVX])[IVXl]{1,5})\s*[.\-–:/)]\s*(?P<title>\S.*)$")
_ARTICLE = re.compile(r"^(?P<label>Điều\s+\d{1,3})\s*[.:]\s*(?P<title>.*)$")
_ITEM = re.compile(r"^(?P<label>\d{1,2}(?:\.\d{1,2}){0,3})(?:[.)]\s*|\s+)(?P<title>\S.*)$")
_LETTER = re.compile(r"^(?P<label>[a-zđ])\)\s*(?P<title>.*)$")
_RECIPIENTS = re.compile(r"^Nơi\s+nhận\b", re.IGNORECASE)
_SIGNATURE = re.compile(r"^(?:T/M|TM\.|KT\.|Q\.|TL\.)\s*\S")
_CLOSING = re.compile(r"^Trên\s+đây\s+là\b")
_DATE_LIKE = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2,4}\b")  # "25.10.2021" is not a label

# Titles of the part that assigns the work (folded): "TỔ CHỨC THỰC HIỆN", "TRÁCH NHIỆM
# THỰC HIỆN", "PHÂN CÔNG NHIỆM VỤ", ...
# A numbered item titled "Tổ chức thực hiện" is the organisation part; one that reads
# "Tổ chức thực hiện việc rà soát quy hoạch ..." is a task.
_MAX_ITEM_TITLE_WORDS = 8
ORGANISATION_KEYS = (
    "TO CHUC THUC HIEN",
    "TO CHUC TRIEN KHAI",
    "TRACH NHIEM THI HANH",
    "TRACH NHIEM THUC HIEN",
    "TRACH NHIEM CUA CAC",
    "PHAN CONG THUC HIEN",
    "PHAN CONG NHIEM VU",
    "PHAN CONG TRACH NHIEM",
)


@dataclass(frozen=True)
class Section:
    """One heading and the text it governs, as offsets into the document text.

    ``level`` orders the kinds: 0 for the end markers ("Nơi nhận", signature,
    closing "Trên đây là ..."), 1 for parts ("III."), 1 for articles ("Điều 3."),
    2 + depth for numbered items ("1." is 2, "2.1." is 3), 6 for "a)".
    """

    kind: str  # part | article | item | letter | recipients | signature | closing
    label: str  # "III", "2.1", "a", "Điều 3", "" for markers
    title: str  # rest of the heading line
    level: int
    start: int  # start of the heading line
    body_start: int  # first character after the label
    end: int  # start of the next heading at the same or a higher level


_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Upper-case ASCII skeleton ("Tổ chức" → "TO CHUC") for tolerant title matching."""
    return _SPACES.sub(" ", skeleton(text)).strip()  # one table lookup a character


def _classify(line: str) -> tuple[str, str, str, int, int] | None:
    """Return (kind, label, title, level, label_end) for a heading line, else None."""
    lead = _MARKUP.match(line)
    offset = lead.end() if lead else 0
    body = line[offset:].rstrip()
    if not body:
        return None
    if _RECIPIENTS.match(body):
        return "recipients", "", body, 0, offset
    if _SIGNATURE.match(body):
        return "signature", "", body, 0, offset
    if _CLOSING.match(body):
        return "closing", "", body, 0, offset
    m = _PART.match(body)
    if m and m.group("title")[:1].isupper():
        label = m.group("label").replace("l", "I")
        return "part", label, _clean_title(m.group("title")), 1, offset + m.start("title")
    m = _ARTICLE.match(body)
    if m:
        return "article", m.group("label"), _clean_title(m.group("title")), 1, offset + m.start("title")
    if not _DATE_LIKE.match(body):
        m = _ITEM.match(body)
        if m and (m.group(0)[len(m.group("label"))] in ".)" or "." in m.group("label")):
            depth = m.group("label").count(".")
            return "item", m.group("label"), _clean_title(m.group("title")), 2 + depth, offset + m.start("title")
    m = _LETTER.match(body)
    if m:
        return "letter", m.group("label"), _clean_title(m.group("title")), 6, offset + m.start("title")
    return None


def _clean_title(title: str) -> str:
    return title.replace("**", "").replace("*", "").strip()


def find_sections(text: str) -> tuple[Section, ...]:
    """All headings of ``text`` in order, each with the span it governs.

    Args:
        text: the normalised document text.

    Returns:
        Sections in text order; ``end`` of each is the start of the next heading at
        the same or a higher level (an end marker closes every open section).
    """
    return _find_sections(text)


@lru_cache(maxsize=32)
def _find_sections(text: str) -> tuple[Section, ...]:
    found: list[tuple[str, str, str, int, int, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        hit = _classify(line)
        if hit:
            kind, label, title, level, label_end = hit
            found.append((kind, label, title, level, pos, pos + label_end))
        pos += len(line)
    sections = []
    for i, (kind, label, title, level, start, body_start) in enumerate(found):
        end = len(text)
        for later in found[i + 1 :]:
            if later[3] <= level or later[3] == 0:
                end = later[4]
                break
        sections.append(Section(kind, label, title, level, start, body_start, end))
    return tuple(sections)


_LABEL_START = re.compile(r"[ \t]*(?:[-+•*–|]|\d+(?:\.\d+)*[.)]\s|(?=[IVXl]*[IVX])[IVXl]+[.\-–]\s|[a-zđ]\)\s|Điều\s+\d|Nơi\s+nhận)")


_HEADING_START = re.compile(r"[ \t#*]*(?:\d+(?:\.\d+)*[.)]\s|(?=[IVXl]*[IVX])[IVXl]+[.\-–]\s|[a-zđ]\)\s|Điều\s+\d)")


# A line ending in a word that cannot end a sentence (a preposition, a conjunction, a verb
# waiting for its object) goes on on the next line: "... Công văn số 1866/BTP gửi | Ủy ban
# nhân dân tỉnh, thành phố ...".
_DANGLING_WORDS = "của|cho|với|và|hoặc|các|những|gửi|tại|về|theo|từ|trong|để|là|được|thuộc|như|đối với".split("|")
_DANGLING = re.compile(rf"(?<![^\W\d_])(?:{'|'.join(_DANGLING_WORDS)})[ \t]*$")
_DANGLING_WIDTH = max(map(len, _DANGLING_WORDS))  # a match of a right-stripped line starts this near its end


@lru_cache(maxsize=32)
def paragraphs(text: str) -> str:
    """``text`` with wrapping line breaks turned into spaces (same length and offsets).

    PDF text layers break lines at the page width, so a line is not a paragraph there.
    A break is a wrap when the next line starts in lower case, or when the line is
    about as long as the document's full lines and ends without punctuation; a break
    before a bullet, a numbered label or "Nơi nhận" is always kept, and so are the
    short heading lines ("1. Ban Tổ chức Đảng ủy Khối") of every format.
    """
    lines = text.split("\n")
    lengths = sorted(len(line.rstrip()) for line in lines if line.strip())
    if not lengths:
        return text
    full = lengths[int(0.9 * (len(lengths) - 1))]
    # Wrapped layouts (PDF) have most lines about as long as the longest ones; in
    # line-per-paragraph formats (txt, docx) only lower-case continuations are wraps.
    wrapped = sum(1 for n in lengths if n >= 0.8 * full) >= 0.4 * len(lengths)
    joins = [False] * len(lines)  # joins[i]: the break after line i is a wrap
    for i, line in enumerate(lines[:-1]):
        body = line.rstrip()
        if not body.strip():
            continue
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1  # a page break leaves blank lines inside a paragraph
        if j == len(lines) or _LABEL_START.match(lines[j]) or " | " in body or " | " in lines[j]:
            continue  # a label starts a line; a table row (cells joined by " | ") is its own line
        lower = lines[j].lstrip()[:1].islower()
        long_line = wrapped and j == i + 1 and len(body) >= 0.8 * full and body[-1] not in ".:;!?"
        dangling = j == i + 1 and bool(_DANGLING.search(body, len(body) - _DANGLING_WIDTH)) and not _HEADING_START.match(line)
        if lower or dangling or (long_line and not _HEADING_START.match(line)):
            for k in range(i, j):
                joins[k] = True
    return "".join(line + (" " if joins[i] else "\n") for i, line in enumerate(lines[:-1])) + lines[-1]


def organisation_part(text: str) -> Section | None:
    """The "TỔ CHỨC THỰC HIỆN" part (or the article that assigns execution), if any.

    A part or numbered heading whose title reads "Tổ chức thực hiện" wins (spelling
    slips such as "TÔ CHỨC" are tolerated by folding); for decisions and resolutions
    without one, the last article naming who "chịu trách nhiệm thi hành" or
    "tổ chức thực hiện" is used.
    """
    sections = find_sections(text)
    titled = [
        s for s in sections
        if s.kind in ("part", "item", "article") and _is_organisation(s.title)
        and (s.kind == "part" or len(s.title.split()) <= _MAX_ITEM_TITLE_WORDS)
    ]
    if titled:
        return min(titled, key=lambda s: (s.level, s.start))
    articles = [
        s for s in sections
        if s.kind == "article" and re.search(r"thi hành|tổ chức thực hiện|triển khai thực hiện", text[s.start : s.end], re.I)
    ]
    return articles[-1] if articles else None


_KEY_ROOM = 4 * max(map(len, ORGANISATION_KEYS))


def _is_organisation(title: str) -> bool:
    # The fold of a title's start is a start of the title's fold: an item's long title is
    # folded only as far as the keys reach (whole where marks or spaces shrink it below them).
    folded = fold(title[:_KEY_ROOM])
    if len(folded) < _KEY_ROOM // 4 and len(title) > _KEY_ROOM:
        folded = fold(title)
    return any(folded.startswith(key) for key in ORGANISATION_KEYS)


# Titles that name the allocation of tasks wherever they stand in the title: "GIẢI PHÁP
# THỰC HIỆN VÀ PHÂN CÔNG NHIỆM VỤ", "ĐỀ XUẤT, KIẾN NGHỊ", "NHIỆM VỤ CỤ THỂ CỦA CÁC ...".
ALLOCATION_KEYS = (
    "PHAN CONG NHIEM VU", "PHAN CONG THUC HIEN", "PHAN CONG TRACH NHIEM", "TRACH NHIEM CUA CAC",
    "NHIEM VU CU THE CUA CAC", "KIEN NGHI", "DE XUAT, KIEN NGHI",
)  # fmt: skip


def organisation_parts(text: str) -> list[Section]:
    """Every part that tells units what to do, outermost first and not nested: the "TỔ CHỨC
    THỰC HIỆN" part (or its article), and parts whose title allocates tasks anywhere in it
    ("... VÀ PHÂN CÔNG NHIỆM VỤ", "KIẾN NGHỊ")."""
    main = organisation_part(text)
    found = [main] if main else []
    for s in find_sections(text):
        if s.kind not in ("part", "item") or (s.kind == "item" and len(s.title.split()) > 12):
            continue
        folded = fold(s.title)
        if any(key in folded for key in ALLOCATION_KEYS) and not any(f.start <= s.start < f.end for f in found):
            found.append(s)
    outer = [s for s in found if not any(o is not s and o.start <= s.start and s.end <= o.end for o in found)]
    return sorted(outer, key=lambda s: s.start)


def enclosing(sections: tuple[Section, ...], offset: int, kinds: tuple[str, ...] = ("item", "letter")) -> Section | None:
    """The innermost section of one of ``kinds`` whose span contains ``offset``."""
    best = None
    for s in sections:
        if s.kind in kinds and s.start <= offset < s.end and (best is None or s.level >= best.level):
            best = s
    return best


__all__ = ["ALLOCATION_KEYS", "Section", "enclosing", "find_sections", "fold", "organisation_part", "organisation_parts", "paragraphs"]
