"""Who is told to do what: the units of the organisation part, their role and deadlines.

Only the organisation part ("III. TỔ CHỨC THỰC HIỆN", its opening paragraph included)
assigns work; units named in earlier parts are targets or audiences, not assignees
(``shared/gold/NOTES.md``). Inside it a unit is told to act where a clause starts with
its name: an item heading ("1. Ban Tổ chức Đảng ủy Khối", "2. Ban Tổ chức Tỉnh ủy:
Hướng dẫn ..."), a bullet or sentence ("- Đồng chí bí thư cấp ủy ... trực tiếp lãnh
đạo"), or a hand-over ("Giao Văn phòng Tỉnh ủy theo dõi ..."); units named after
"phối hợp với" join as partners. Bodies that only receive reports or advice ("Báo cáo
Ban Thường vụ ...", "tham mưu cho ...") never start a clause, so they are not listed.

Each unit is listed once; its deadlines are the time phrases of the text it governs
(up to the next unit), joined with "; " in text order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipeline.extract import patterns
from pipeline.extract.scope import Scope
from pipeline.extract.sections import Section, find_sections, organisation_parts, paragraphs
from pipeline.extract.sections import fold
from pipeline.extract.text import sentence_at, squash, table_cells
from pipeline.extract.units import UnitFinder, is_generic, ocr_correct, unit_identity, unit_key
from pipeline.models import Assignment, Deadline, Document, Header
from pipeline.normalise import fold_tones

# Where a clause can start: a line (after its bullet), or after a full stop,
# an ellipsis or a semicolon.
_CLAUSE = re.compile(r"(?:^|\n)[ \t]*(?:[-+•*–(]+[ \t]*)?|(?:\.{3}|…|[.;])[ \t]*\(?(?=[^\W\d_])")


_ITEM_START = re.compile(r"\n[ \t]*(?:[-+•*–]|\d+(?:\.\d+)*[.)]\s|[IVX]+[.\-–]\s|[a-zđ]\)\s)")


# Units named inside another unit's clause: partners, units it directs, labelled units.
_INNER = ("partner", "directed", "label")
# A field naming who does a task: "- Đơn vị chủ trì thực hiện: Sở Xây dựng", "Đơn vị phối
# hợp: Các phòng, ban; UBND các phường", "Chủ trì: Công an tỉnh".
_LABEL = re.compile(
    r"(?im)^[ \t*_]*(?:[-+•–][ \t]*)?(?:(?:Đơn vị|Cơ quan|Bộ phận|Người|Lực lượng)[ \t]+(?P<r1>chủ trì|thực hiện|phối hợp|"
    r"thường trực|tham mưu|chịu trách nhiệm|được giao)(?:[ \t]+(?:thực hiện|chính|thi hành))?|(?P<r2>chủ trì|phối hợp|"
    r"trách nhiệm thực hiện|trách nhiệm))[ \t*_]*:[ \t*_]*"
)


@dataclass(frozen=True)
class _Anchor:
    start: int  # offsets into the document text
    end: int
    kind: str
    source: str  # heading | clause | partner | directed | label
    scope_end: int = -1
    role: str = ""  # a role the text states by a label ("Đơn vị phối hợp: ...")


# A line listing who attends or makes up a body ("Thành phần: ...", "Dự tại điểm cầu ...:").
_COMPOSITION = re.compile(r"[ \t]*(?:Thành phần|Thành viên|Dự tại|Đại biểu|Khách mời|gồm)[^\n:]{0,80}:", re.IGNORECASE)
# A list under one quantifier ("Các sở, ban, ngành, đoàn thể") and the class words that take it.
_PLURAL_LIST = re.compile(r"[Cc]ác\s")
_CLASS = re.compile(r"(?:địa phương|đoàn thể|đơn vị|cơ quan|doanh nghiệp|ngành|tổ chức)(?!\w)")
_HANDED = re.compile(r"[ \t]*(?:[Gg]iao(?:[ \t]+cho)?|[Đđ]ề nghị|[Yy]êu cầu)[ \t]+")
# A document sent to a body for it to act: "gửi Sở Nội vụ tỉnh X biết, thực hiện", "gửi các
# đơn vị để triển khai thực hiện" (sent only "để biết" it is told nothing).
_SENT = re.compile(r"(?<![^\W\d_])gửi[ \t]+")
_TO_ACT = re.compile(r"[ \t]*(?:biết[ \t]*(?:,|và)[ \t]*)?(?:để[ \t]+)?(?:triển khai |tổ chức )?(?:thực hiện|tổng hợp)(?!\w)")
# "sẽ" after the issuer's own name: a task it takes on ("Sở Nội vụ sẽ tập huấn ...").
_FUTURE = re.compile(r"[ \t]*sẽ(?!\w)")
# "để" / "nhằm" after a name open a purpose, not the unit's own predicate, and "là" defines
# the body; "đã" / "vừa" narrate what it did ("Sở Y tế đã tổ chức ..."): no task.
_PURPOSE = re.compile(r"[ \t]*(?:để|nhằm|là)(?!\w)")
@cache
def _narrates() -> re.Pattern[str]:
    """A past-tense marker right after a unit's name (``role_verbs.json`` narrates)."""
    words = "|".join(re.escape(w) for w in patterns.load("role_verbs")["narrates"])
    return re.compile(rf"[ \t]*(?:{words})(?!\w)(?![ \t]+được)")  # "X đã được chỉ định cần ...": a relative clause


def _clause_starts(text: str, start: int, end: int, sections: tuple[Section, ...]) -> list[int]:
    starts = {start} | {s.body_start for s in sections if s.kind in ("item", "letter") and start <= s.start < end}
    for m in _CLAUSE.finditer(text, start, end):
        starts.add(m.end())
    for c in list(starts):
        if _opener().match(text, c):  # "Sau khi có kết quả, Sở Y tế gửi ...": the main clause
            starts.update(_main_clause(text, c, end))
    return sorted(starts)


def _main_clause(text: str, pos: int, end: int) -> list[int]:
    """Where the main clause may start after the subordinate one opening at ``pos``: after
    its first comma outside brackets and after "thì", before the sentence ends."""
    stop = _SENTENCE_END.search(text, pos, end)
    stop_at = stop.start() if stop else end
    out = [m.end() for m in _THEN.finditer(text, pos, stop_at)]
    depth = 0
    for m in re.finditer(r",[ \t]*", text[pos:stop_at]):
        depth = text.count("(", pos, pos + m.start()) - text.count(")", pos, pos + m.start())
        if depth <= 0:
            out.append(pos + m.end())
            break
    return out


# The main clause after a condition: "Nếu ... thì các trường ... thực hiện".
_THEN = re.compile(r"(?<![^\W\d_])thì[ \t]+")
_SENTENCE_END = re.compile(r"[.;:\n]")


@cache
def _opener() -> re.Pattern[str]:
    words = patterns.load("role_verbs")["clause_openers"]
    alt = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"[ \t(]*(?:{alt})(?!\w)", re.IGNORECASE)


def _composition(text: str, pos: int) -> bool:
    """Whether ``pos`` stands on a line that lists who attends or makes up a body."""
    line = text.rfind("\n", 0, pos) + 1
    line += len(text[line:pos]) - len(text[line:pos].lstrip(" \t-+•*–"))
    return bool(_COMPOSITION.match(text, line) and text.find(":", line, pos + 1) >= 0 or _COMPOSITION.match(text, pos))


_QUOTED = 3000  # the longest quoted passage looked for, in characters


def _in_quotes(text: str, pos: int) -> bool:
    """Whether ``pos`` stands inside a quotation opened earlier on its line."""
    start = max((m.start() for m in _ITEM_START.finditer(text, 0, pos)), default=0)
    line = text[start:pos]
    if line.count("“") > line.count("”") or line.count('"') % 2 == 1:
        return True
    # a passage quoted from another document over several lines ("... như sau: “Ngày ..., đề
    # nghị UBND tỉnh ...”"): what it asks is the other writer's, not this document's
    opened = text.rfind("“", max(0, pos - _QUOTED), pos)
    return opened >= 0 and text.rfind("”", opened, pos) < 0 and text.find("”", pos, pos + _QUOTED) >= 0


def _line_end(text: str, pos: int, limit: int) -> int:
    nl = text.find("\n", pos, limit)
    return limit if nl < 0 else nl


def _anchors(text: str, part: Section) -> tuple[list[_Anchor], UnitFinder, int]:
    """All unit mentions that open a clause (or follow "phối hợp với") in the part."""
    # A part's heading line is only its title; an article's heading line already
    # assigns ("Điều 3. Ban Thường trực ... chịu trách nhiệm thi hành ...").
    body = part.body_start if part.kind in ("article", "body") else text.find("\n", part.start, part.end)
    body = part.end if body < 0 else body
    region = text[body : part.end]
    finder = UnitFinder(region)
    sections = find_sections(text)
    heads = {s.body_start for s in sections if s.kind in ("item", "letter")} | {body}
    # Item heading lines name units without a verb: "2. Các sở, ban, ngành; UBND các huyện".
    heading_lines = [(s.start, _line_end(text, s.start, part.end)) for s in sections if s.kind == "item" and body <= s.start < part.end]
    anchors: list[_Anchor] = []
    taken_until = -1
    labelled = _labelled(text, body, part.end, finder) + _executors(text, body, part.end, finder)
    anchors += labelled
    label_lines = {text.rfind("\n", 0, a.start) + 1 for a in labelled}
    aliases = _aliases(text)
    for c in _clause_starts(text, body, part.end, sections):
        if c < taken_until or text.rfind("\n", 0, c) + 1 in label_lines:
            continue
        limit = _line_end(text, c, part.end)
        hit = finder.unit_at(c - body, limit - body) or _alias_at(text, c, body, aliases, finder)
        if not hit:
            continue
        s, e, kind, verb = hit
        if _composition(text, c) or _speaks(text, e + body) or _shouted(text, c) or _narrates().match(text, e + body):
            continue  # "Công an tỉnh kính đề nghị ...": the writer; an upper-case header line
        on_heading = any(hs <= c < he and text[c - 2 : c].strip() == ";" for hs, he in heading_lines)
        source = "heading" if c in heads or on_heading else "clause"
        handed = bool(_HANDED.match(text, c))  # "Giao Sở Nội vụ:", a hand-over that needs no verb
        if source == "clause" and ((not verb and not handed) or _in_quotes(text, c) or _PURPOSE.match(text, e + body)):
            continue  # a list of bodies inside a sentence or a quoted title
        anchors.append(_Anchor(s + body, e + body, kind, source))
        taken_until = e + body
    for m in _SENT.finditer(text, body, part.end):  # "... gửi Sở Nội vụ tỉnh X biết, thực hiện./."
        hit = finder.unit_at(m.end() - body, _line_end(text, m.end(), part.end) - body)
        if hit and _TO_ACT.match(text, hit[1] + body) and not _in_quotes(text, m.end()):
            anchors.append(_Anchor(hit[0] + body, hit[1] + body, hit[2], "directed"))
    for source, found in (("partner", finder.partners_after), ("directed", finder.directed_after)):
        for s, e, kind, _ in found(0, len(region)):
            if _in_quotes(text, s + body):
                continue
            if source == "directed" or _names_one(region[s:e]):  # "yêu cầu các sở, ban, ngành ..." names them
                anchors.append(_Anchor(s + body, e + body, kind, source))
    return anchors, finder, body


def _names_one(partners: str) -> bool:
    """Whether a partner list names a body: not a class alone ("các cơ quan liên quan"), while
    a list that ends in one ("Sở Xây dựng, Chủ đầu tư và các đơn vị liên quan") names the rest."""
    return not is_generic(partners) or bool(re.search(r",|\svà\s", partners)) and any(
        not is_generic(m) for m in re.split(r",|\svà\s", partners) if m.strip()
    )


@cache
def _speech() -> re.Pattern[str]:
    words = patterns.load("role_verbs")["speech_verbs"]
    return re.compile(r"[ \t,]*(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE)


def _speaks(text: str, pos: int) -> bool:
    """Whether the words at ``pos`` are the writer's own ("kính đề nghị", "nhận được")."""
    return bool(_speech().match(fold_tones(text[pos : pos + 40])))


def _shouted(text: str, pos: int) -> bool:
    """Whether ``pos`` stands on an upper-case line (a header's body names, a title)."""
    start, end = text.rfind("\n", 0, pos) + 1, text.find("\n", pos)
    letters = 0
    for ch in text[start : len(text) if end < 0 else end]:
        if ch.isalpha():
            if not ch.isupper():
                return False  # most lines: their first lower-case letter settles it
            letters += 1
    return letters > 3


# Column heads of a task table naming who acts: "Trách nhiệm thực hiện", "Đơn vị chủ trì",
# "Cơ quan phối hợp", "Chủ trì" (folded, upper case) → the role they give.
_COLUMN = re.compile(
    r"^(?:TRACH NHIEM(?: THUC HIEN| CHINH| CHU TRI)?|(?:DON VI|CO QUAN|BO PHAN|NGUOI|LUC LUONG) (?P<r1>CHU TRI|THUC HIEN|PHOI HOP|PHU TRACH)"
    r"(?: THUC HIEN| CHINH)?|(?P<r2>CHU TRI|PHOI HOP)(?: THUC HIEN)?)$"
)
_COLUMN_ROLES = {"CHU TRI": "chủ trì", "PHOI HOP": "phối hợp", "PHU TRACH": "phụ trách"}


def _table_units(doc: Document, text: str) -> list[tuple[int, str, str]]:
    """``(offset, name, role)`` of the units in the responsibility column of task tables:
    each cell names its units, split at ";" and where a new name opens after a comma."""
    out = []
    for table in doc.tables:
        if not table.rows:
            continue
        columns = {}
        for c, head in enumerate(table.rows[0]):
            folded = fold(squash(head)).strip(" :*")
            m = _COLUMN.match(folded)
            if m:
                columns[c] = _COLUMN_ROLES.get(m.group("r1") or m.group("r2") or "", "thực hiện")
            elif _role_head(folded):
                columns[c] = _role_head(folded)
        for _, c, at, cell in table_cells(doc.text, table):
            if c not in columns or not cell.strip():
                continue
            finder = UnitFinder(cell)
            for seg in re.finditer(r"[^;\n]+", cell):
                s0 = seg.start() + len(seg.group()) - len(seg.group().lstrip())
                hit = finder.unit_at(s0, seg.end(), bare_level=True)
                if hit:
                    rest = cell[hit[1] : seg.end()]
                    if rest.strip() and rest.lstrip()[:1] != "(" and not finder.roles(hit[1], seg.end()) and not _role_in().search(fold(rest)):
                        # a cell names, it does not predicate: "Các đơn vị có trụ sở trên địa bàn"
                        hit = (hit[0], seg.start() + len(seg.group().rstrip(" ,.")), hit[2], hit[3])
                    for name, s, _ in _members(finder, hit[0], hit[1], hit[2]):
                        if not (is_generic(name) and "liên quan" in name):  # "các sở, ngành liên quan": no unit named
                            out.append((at + s, name, columns[c]))
    return out


def _members(finder: UnitFinder, start: int, end: int, kind: str) -> list[tuple[str, int, int]]:
    """The names of a list of units in ``finder``'s text, with their spans; a list under one
    quantifier ("Các sở, ban, ngành, đoàn thể") gives its "các" to the class words after the first."""
    members = finder.split(start, end, kind)
    plural = bool(_PLURAL_LIST.match(finder.text, start)) and len(members) > 1
    out = []
    for n, (s, e) in enumerate(members):
        name = ocr_correct(squash(finder.text[s:e]).strip(" ,;:.-–"))
        if plural and n and _CLASS.match(name):
            name = f"các {name}"
        out += [(each, s, e) for each in _places(name)]
    return out


_PROPER = r"[A-ZĐÀ-Ỹ][^\W\d_]*(?:[ \t]+[A-ZĐÀ-Ỹ][^\W\d_]*)*"


@cache
def _place_list() -> re.Pattern[str]:
    levels = "|".join(re.escape(w) for w in sorted(patterns.load("units")["levels"], key=len, reverse=True) if " " in w or len(w) > 3)
    return re.compile(rf"(?P<head>.*?(?<!\w)(?:{levels}))[ \t]+(?P<names>{_PROPER}(?:[ \t]*,[ \t]*{_PROPER})*[ \t]+và[ \t]+{_PROPER})$")


def _places(name: str) -> list[str]:
    """One body of several places written once ("UBND tỉnh Hà Giang, Cao Bằng và Lào Cai"):
    each place with the head ("UBND tỉnh Cao Bằng"); any other name as it is."""
    m = _place_list().fullmatch(name)
    if not m or not m.group("head").strip():
        return [name]
    return [f"{m.group('head')} {place.strip()}" for place in re.split(r",|[ \t]và[ \t]", m.group("names"))]


@cache
def _role_in() -> re.Pattern[str]:
    """A word that makes a cell's text a task (``role_verbs.json`` cell_predicates), folded."""
    words = "|".join(re.escape(fold(w)) for w in patterns.load("role_verbs")["cell_predicates"])
    return re.compile(rf"\b(?:{words})\b")


@cache
def _role_words() -> dict[str, str]:
    """Role words, folded as column heads are ("THEO DOI" → "theo dõi")."""
    return {fold(k): v for k, v in patterns.load("role_verbs")["roles"].items()}


def _role_head(folded: str) -> str:
    """The role a column head made only of role words gives ("Kiểm tra, giám sát" →
    "kiểm tra"), "" for any other head."""
    words = [w.strip() for w in re.split(r",|\bVA\b", folded)]
    roles = _role_words()
    return roles[words[0]] if words and all(w in roles for w in words) else ""


# The closing clause of a decision: "<list> chịu trách nhiệm thi hành Quyết định này".
_EXECUTES = re.compile(
    r"(?:chịu|có)\s+trách\s+nhiệm\s+(?:thi\s+hành|tổ\s+chức\s+thực\s+hiện|triển\s+khai\s+thực\s+hiện)"
    r"\s+(?:Quyết định|Nghị quyết|Thông tư|Nghị định|Chỉ thị|Quy định|Quy chế)\s+(?:này|trên)",
    re.IGNORECASE,
)


def _executors(text: str, body: int, end: int, finder: UnitFinder) -> list[_Anchor]:
    """The units listed before a decision's "chịu trách nhiệm thi hành Quyết định này",
    members separated by ";" (each may be a list of its own)."""
    out = []
    for m in _EXECUTES.finditer(text, body, end):
        start = max(text.rfind("\n", body, m.start()) + 1, body)
        label = re.match(r"[ \t]*Điều\s+\d+\s*[.:]\s*", text[start : m.start()])
        start += label.end() if label else 0
        pos = start
        for seg in re.finditer(r"[^;]+", text[start : m.start()]):
            s0 = pos + seg.start() + len(seg.group()) - len(seg.group().lstrip())
            hit = finder.unit_at(s0 - body, m.start() - body, bare_level=True)
            if hit:
                out.append(_Anchor(hit[0] + body, hit[1] + body, hit[2], "label", role="chịu trách nhiệm"))
    return out


# A body named once in full and then by a short name: "Thành lập Tổ biên tập của Ban
# ... (gọi tắt là Tổ biên tập)", "(sau đây gọi là Ban Chỉ đạo)".
_ALIAS = re.compile(r"\((?:sau\s+đây\s+)?(?:gọi|viết)(?:\s+tắt)?\s+là\s*:?\s*[“\"]?(?P<alias>[^()“”\"\n]{2,40}?)[”\"]?\)")


def _aliases(text: str) -> tuple[str, ...]:
    """Short names the text gives its bodies, longest first."""
    found = {m.group("alias").strip() for m in _ALIAS.finditer(text)}
    return tuple(sorted((a for a in found if a[:1].isupper()), key=len, reverse=True))


def _alias_at(text: str, c: int, body: int, aliases: tuple[str, ...], finder: UnitFinder) -> tuple[int, int, str, bool] | None:
    """A short name at clause start ``c`` followed by its predicate ("Tổ biên tập có trách nhiệm ...")."""
    at = len(text) - len(text[c:].lstrip(" \t-+•*"))
    for alias in aliases:
        if text.startswith(alias, at) and not text[at + len(alias) : at + len(alias) + 1].isalnum():
            k = finder._tok(at + len(alias) - body)
            if k is not None and (finder._is_stop(k) or "role" in finder.at.get(k, {})):
                return at - body, at + len(alias) - body, "alias", True
    return None


@cache
def _titles() -> frozenset[str]:
    """First words of office titles ("Phó", "Bí thư", "Giám đốc", "Ủy viên", ...)."""
    heads = patterns.load("units")["heads"]["person"]
    return frozenset(fold_tones(h.split()[0]).lower() for h in heads) | {"ủy", "uỷ", "tổng", "thứ", "bộ", "tỉnh", "thành"}


_PERSON = re.compile(r"(?:[Đđ]ồng chí|[Đđ]/c|Ông|ông|Bà|bà)\s+(?P<word>[^\W\d_]+)")


def _personal(name: str) -> bool:
    """Whether ``name`` names a person by name ("đồng chí Nguyễn Văn A - Phó Chủ tịch ..."):
    the official who presides or reports, not an office told to act."""
    m = _PERSON.match(name)
    return bool(m) and m.group("word")[:1].isupper() and fold_tones(m.group("word")).lower() not in _titles()


def _labelled(text: str, body: int, end: int, finder: UnitFinder) -> list[_Anchor]:
    """Units named in a labelled field, one anchor per ";"-separated member."""
    out = []
    for m in _LABEL.finditer(text, body, end):
        role = (m.group("r1") or m.group("r2") or "").lower()
        role = "thực hiện" if role.startswith("trách nhiệm") or role in ("được giao",) else role
        line_end = _line_end(text, m.end(), end)
        pos = m.end()
        for seg in re.finditer(r"[^;]+", text[pos:line_end]):
            s0 = pos + seg.start() + len(seg.group()) - len(seg.group().lstrip())
            hit = finder.unit_at(s0 - body, pos + seg.end() - body, bare_level=True)
            if hit:
                hs, he, kind, _ = hit
                out.append(_Anchor(hs + body, he + body, kind, "label", role=role))
    return out


def _scopes(anchors: list[_Anchor], text: str, part: Section) -> list[_Anchor]:
    """Give each clause anchor the text it governs: up to the next clause anchor,
    or the end of its numbered item; a partner governs its own sentence."""
    sections = find_sections(text)
    items = [s for s in sections if s.kind == "item" and part.start <= s.start < part.end]
    opening_end = min((s.start for s in items), default=part.end)
    main = sorted((a for a in anchors if a.source not in _INNER), key=lambda a: a.start)
    out = []
    for i, a in enumerate(main):
        # the next unit on a later line (units listed on one heading line share its text)
        nxt = next((b.start for b in main[i + 1 :] if b.start >= a.end and "\n" in text[a.end : b.start]), part.end)
        if a.start < opening_end:
            item_end = opening_end
        else:
            item = max((s for s in items if s.start <= a.start), key=lambda s: s.start, default=None)
            item_end = _top_item_end(item, items, part) if item else part.end
        out.append(_Anchor(a.start, a.end, a.kind, a.source, min(nxt, item_end)))
    for a in anchors:
        if a.source in _INNER:
            end = _line_end(text, a.end, part.end)
            if a.source == "directed":  # its own clause: "chỉ đạo X kiểm tra ...; báo cáo ..."
                semi = text.find(";", a.end, end)
                end = end if semi < 0 else semi
            out.append(_Anchor(a.start, a.end, a.kind, a.source, end, a.role))
    return out


def _top_item_end(item: Section, items: list[Section], part: Section) -> int:
    """The end of the top-level item holding ``item`` (sub-items share their parent's unit)."""
    top = min(s.level for s in items)
    parent = max((s for s in items if s.level == top and s.start <= item.start), key=lambda s: s.start, default=item)
    return min(parent.end, part.end)


def _roles(finder: UnitFinder, body: int, a: _Anchor) -> str:
    """The role words that open the unit's predicate ("Chủ trì, tham mưu ...")."""
    if a.source == "partner":
        return "phối hợp"
    if a.role:
        return a.role
    return ", ".join(finder.roles(a.end - body, a.scope_end - body)) or "thực hiện"


def _occurrences(text: str, deadlines: tuple[Deadline, ...], start: int, end: int) -> list[tuple[int, Deadline]]:
    """Where each deadline occurs in ``text[start:end]``, longest phrase first.

    Deadlines are listed once per document, but a unit's text may repeat one
    ("thực hiện thường xuyên" under several units), so its text is looked up again;
    a phrase inside a longer one ("hằng năm" in "thực hiện hằng năm") is not counted.
    """
    flat = text[start:end].replace("**", "")
    spots: list[tuple[int, int, Deadline]] = []
    for d in deadlines:
        if not d.text:
            continue
        at = flat.find(d.text)
        while at != -1:  # the phrase's non-overlapping occurrences, as a literal finditer gives them
            end = at + len(d.text)
            if not (at and flat[at - 1].isalnum()) and not (end < len(flat) and flat[end].isalnum()):
                spots.append((at, end, d))
            at = flat.find(d.text, end)
    kept: list[tuple[int, int, Deadline]] = []
    for s, e, d in sorted(spots, key=lambda x: (x[0], -x[1])):
        if not any(s < ke and ks < e for ks, ke, _ in kept):
            kept.append((s, e, d))
    return [(start + s, d) for s, _, d in kept]


def _task(text: str, a: _Anchor) -> str:
    rest = text[a.end : a.scope_end].lstrip(" :,\n\t-")
    return squash(rest)[:300]


def _drop_repeats(merged: dict[str, dict]) -> list[dict]:
    """The entries less those that only repeat a listed unit by a shorter name.

    A closing appeal ("Đề nghị các chi bộ nghiêm túc thực hiện") names again, more
    briefly, a unit with its own item ("Các chi bộ trực thuộc ..."); a heading is kept.
    """
    bare = {key: " ".join(w for w in key.split() if w not in ("các", "những")) for key in merged}
    classes = {key: _class_members(key) for key in merged}
    return [
        entry
        for key, entry in merged.items()
        if entry["source"] == "heading"
        or not any(
            other != key and (bare[other].startswith(bare[key] + " ") or (classes[key] and classes[key] < classes[other]))
            for other in merged
        )
    ]


def _class_members(key: str) -> frozenset[str]:
    """The class words of a list naming bodies only by kind ("cơ quan, địa phương"), so that a
    later appeal to part of it ("Đề nghị các cơ quan, địa phương triển khai") repeats it;
    empty for a list that names a body."""
    members = [m.strip() for m in re.split(r",|\bvà\b", key)]
    if len(members) < 2 or not all(m and is_generic(m) and len(m.split()) <= 3 for m in members):
        return frozenset()
    return frozenset(" ".join(w for w in m.split() if w not in ("các", "những")) for m in members)


# What a cited document holds: "Thực hiện Quyết định số ... , trong đó, giao Công an tỉnh ...".
_CITED_CONTENT = re.compile(r"(?<!\w)trong đó\s*,?\s*(?:giao|yêu cầu|đề nghị)(?:\s+cho)?\s*$")


# Document types whose own purpose is to plan: only their organisation part assigns work.
# Every other type (Công văn, Thông báo, Công điện, Quyết định, Tờ trình, ...) tells units
# what to do throughout its body.
PLANNING_TYPES = frozenset(
    {"Kế hoạch", "Chương trình", "Chương trình hành động", "Đề án", "Phương án", "Kế hoạch liên tịch",
     "Chương trình phối hợp", "Hướng dẫn", "Quy chế", "Quy định"}
)  # fmt: skip


# Types that report or submit: what they narrate is done; only a part that proposes or
# allocates ("KIẾN NGHỊ, ĐỀ XUẤT", "TỔ CHỨC THỰC HIỆN") tells units to act, where there is one.
REPORTING_TYPES = frozenset({"Báo cáo"})


# Types that enact: their articles that charge someone ("Giao ...", "... có nhiệm vụ",
# "... chịu trách nhiệm thi hành") assign; an article that sets a scope or a rate does not.
DECIDING_TYPES = frozenset({"Quyết định", "Nghị quyết", "Nghị định", "Thông tư", "Nghị quyết liên tịch", "Thông tư liên tịch"})
_CHARGES = re.compile(
    r"(?<![^\W\d_])(?:[Gg]iao(?=\s+(?:cho\s+)?[^\W\d_]*[A-ZĐÀÁẢÃẠÂẦẤẨẪẬĂẰẮẲẴẶÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ])"
    r"|có nhiệm vụ|có trách nhiệm|chịu trách nhiệm|trách nhiệm thi hành|tổ chức thực hiện|triển khai thực hiện|cơ quan thường trực|chủ trì)"
)
# An article that founds, names or approves ("Điều 1. Thành lập Tổ ..., gồm các ông, bà:") lists
# members, who are charged only by a later article.
_FOUNDS = re.compile(r"[ \t]*Điều\s+\d+\s*[.:]\s*(?:Thành lập|Kiện toàn|Công bố|Ban hành|Phê duyệt|Bổ nhiệm|Điều động|Công nhận|Cử)\b")


def regions(text: str, header: Header, scope: Scope) -> list[Section]:
    """The parts of ``text`` where units are told to act (see ``PLANNING_TYPES``,
    ``DECIDING_TYPES``); any other document's whole body."""
    if header.doc_type in DECIDING_TYPES:
        articles = [s for s in find_sections(text) if s.kind == "article"]
        if articles:
            return [a for a in articles if _CHARGES.search(text, a.start, a.end) and not _FOUNDS.match(text, a.start)]
    parts = organisation_parts(text)
    planning = header.doc_type in PLANNING_TYPES or header.doc_type in REPORTING_TYPES or (header.doc_type is None and parts)
    if parts and (planning or (parts[0].kind == "article" and header.doc_type is None)):
        return sorted(parts + _task_parts(text, parts), key=lambda p: p.start)  # a plan without an organisation part (a Hướng dẫn in letter form) tells throughout
    start = min(scope.header_end, len(text))
    end = max(start, min(scope.closing_start, len(text)))
    return [Section("body", "", "", 0, start, start, end)] if end > start else []


def _task_parts(text: str, parts: list[Section]) -> list[Section]:
    """The parts that set tasks ("I. MỤC TIÊU, NHIỆM VỤ"), where a plan's organisation part
    allocates none by unit (its top items read "1. Công tác triển khai", "2. Kinh phí"): the
    units then are told in the tasks themselves ("Giao Sở Y tế ...", "Các sở, ngành phối hợp
    ..."). A plan whose organisation items are headed by units allocates there only."""
    sections = find_sections(text)
    for part in parts:
        items = [s for s in sections if s.kind in ("item", "letter") and part.start < s.start < part.end]
        top = min((s.level for s in items), default=0)
        for item in (s for s in items if s.level == top):
            line = text[item.body_start : _line_end(text, item.body_start, part.end)]
            if UnitFinder(line).unit_at(0, len(line)):
                return []
    return [
        s for s in sections
        if s.kind == "part" and _TASKS in fold(s.title) and not any(p.start <= s.start < p.end for p in parts)
    ]  # fmt: skip


_TASKS = "NHIEM VU"


def find_assignments(
    doc: Document, header: Header, deadlines: tuple[Deadline, ...], scope: Scope | None = None
) -> tuple[Assignment, ...]:
    """The units told to act, one entry per unit.

    Args:
        doc: the document.
        header: its header; its type says where units are told to act (``regions``).
        deadlines: the document's deadlines (``find_deadlines``); those inside a
            unit's text become its ``deadline``.
        scope: the parts of the document (header end, closing); from text cues if None.

    Returns:
        Assignments in text order. A unit named several times is merged: roles and
        deadlines are joined, and the spelling of its heading is kept.
    """
    text = paragraphs(doc.text)
    scope = scope if scope is not None else Scope(doc.text, doc.tables)
    merged: dict[str, dict] = {}
    writer = unit_key(header.issuer) if header.issuer else ""
    for part in regions(text, header, scope):
        anchors, finder, body = _anchors(text, part)
        for a in sorted(_scopes(anchors, text, part), key=lambda a: a.start):
            if a.source == "heading" and not text[a.end : a.scope_end].strip(" \t\n-+•*:.;,"):
                continue  # "1. Ban Thường trực ..." over bullets naming its members: a label
            if part.kind == "body" and scope.zone_at(a.start) == "legal_basis" and _CITED_CONTENT.search(text, max(0, a.start - 40), a.start):
                continue  # "Thực hiện Quyết định ..., trong đó giao X ...": the cited document's hand-over
            for name, s, e in _members(finder, a.start - body, a.end - body, a.kind):
                if not name or (is_generic(name) and (a.source == "partner" or ("liên quan" in name and a.source in ("clause", "directed")))):
                    continue  # "phối hợp với các cơ quan liên quan": no unit named
                if _personal(name) or (a.source == "partner" and not finder._named(s, e)):
                    continue  # a person by name; a class of partners ("các cơ quan chuyên môn")
                key = unit_key(name)
                if part.kind == "body" and a.source in ("clause", "heading") and writer and (key == writer or writer.startswith(key + " ")):
                    if not _FUTURE.match(text, e + body):
                        continue  # the issuer reporting what it does itself (what it "sẽ" do is a task it takes on)
                entry = merged.setdefault(unit_identity(name), {"name": name, "source": a.source, "roles": [], "deadlines": [], "anchor": a})
                if a.source == "heading" and entry["source"] != "heading":
                    entry.update(name=name, source="heading")
                for role in _roles(finder, body, a).split(", "):
                    if role not in entry["roles"]:
                        entry["roles"].append(role)
                for at, d in _occurrences(text, deadlines, a.start, a.scope_end):
                    if (at, d) not in entry["deadlines"]:
                        entry["deadlines"].append((at, d))
    for at, name, role in _table_units(doc, text):
        a = _Anchor(at, at + len(name), "table", "table", _line_end(text, at, len(text)), role)
        entry = merged.setdefault(unit_identity(name), {"name": name, "source": "table", "roles": [], "deadlines": [], "anchor": a})
        if role not in entry["roles"]:
            entry["roles"].append(role)
    out = []
    for entry in _drop_repeats(merged):
        a = entry["anchor"]
        ds: list[Deadline] = [d for _, d in sorted(entry["deadlines"], key=lambda x: x[0])]
        texts = list(dict.fromkeys(d.text for d in ds))
        bounded = next((d for d in ds if d.start or d.end), None)
        roles = [r for r in entry["roles"] if r != "thực hiện"] or ["thực hiện"]
        out.append(
            Assignment(
                unit=entry["name"],
                role=", ".join(roles),
                deadline="; ".join(texts) or None,
                task=_task(text, a),
                deadline_start=bounded.start if bounded else None,
                deadline_end=bounded.end if bounded else None,
                offset=a.start,
                sentence=squash(sentence_at(text, a.start)),
                zone=scope.zone_at(a.start),
            )
        )
    return tuple(sorted(out, key=lambda x: x.offset))


__all__ = ["PLANNING_TYPES", "find_assignments", "regions"]
