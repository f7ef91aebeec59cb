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

from pipeline.extract.sections import Section, find_sections, organisation_part, paragraphs
from pipeline.extract.text import sentence_at, squash
from pipeline.extract.units import UnitFinder, is_generic, ocr_correct, unit_key
from pipeline.models import Assignment, Deadline, Document, Header

# Where a clause can start: a line (after its bullet), or after a full stop,
# an ellipsis or a semicolon.
_CLAUSE = re.compile(r"(?:^|\n)[ \t]*(?:[-+•*–]+[ \t]*)?|(?:\.{3}|…|[.;])[ \t]*(?=[^\W\d_])")


_ITEM_START = re.compile(r"\n[ \t]*(?:[-+•*–]|\d+(?:\.\d+)*[.)]\s|[IVX]+[.\-–]\s|[a-zđ]\)\s)")


# Units named inside another unit's clause: partners and units it directs.
_INNER = ("partner", "directed")


@dataclass(frozen=True)
class _Anchor:
    start: int  # offsets into the document text
    end: int
    kind: str
    source: str  # heading | clause | partner | directed
    scope_end: int = -1


def _clause_starts(text: str, start: int, end: int, sections: tuple[Section, ...]) -> list[int]:
    starts = {start} | {s.body_start for s in sections if s.kind in ("item", "letter") and start <= s.start < end}
    for m in _CLAUSE.finditer(text, start, end):
        starts.add(m.end())
    return sorted(starts)


def _in_quotes(text: str, pos: int) -> bool:
    """Whether ``pos`` stands inside a quotation opened earlier on its line."""
    start = max((m.start() for m in _ITEM_START.finditer(text, 0, pos)), default=0)
    line = text[start:pos]
    return line.count("“") > line.count("”") or line.count('"') % 2 == 1


def _line_end(text: str, pos: int, limit: int) -> int:
    nl = text.find("\n", pos, limit)
    return limit if nl < 0 else nl


def _anchors(text: str, part: Section) -> tuple[list[_Anchor], UnitFinder, int]:
    """All unit mentions that open a clause (or follow "phối hợp với") in the part."""
    # A part's heading line is only its title; an article's heading line already
    # assigns ("Điều 3. Ban Thường trực ... chịu trách nhiệm thi hành ...").
    body = part.body_start if part.kind == "article" else text.find("\n", part.start, part.end)
    body = part.end if body < 0 else body
    region = text[body : part.end]
    finder = UnitFinder(region)
    sections = find_sections(text)
    heads = {s.body_start for s in sections if s.kind in ("item", "letter")} | {body}
    # Item heading lines name units without a verb: "2. Các sở, ban, ngành; UBND các huyện".
    heading_lines = [(s.start, _line_end(text, s.start, part.end)) for s in sections if s.kind == "item" and body <= s.start < part.end]
    anchors: list[_Anchor] = []
    taken_until = -1
    for c in _clause_starts(text, body, part.end, sections):
        if c < taken_until:
            continue
        limit = _line_end(text, c, part.end)
        hit = finder.unit_at(c - body, limit - body)
        if not hit:
            continue
        s, e, kind, verb = hit
        on_heading = any(hs <= c < he and text[c - 2 : c].strip() == ";" for hs, he in heading_lines)
        source = "heading" if c in heads or on_heading else "clause"
        if source == "clause" and (not verb or _in_quotes(text, c)):
            continue  # a list of bodies inside a sentence or a quoted title
        anchors.append(_Anchor(s + body, e + body, kind, source))
        taken_until = e + body
    for source, found in (("partner", finder.partners_after), ("directed", finder.directed_after)):
        for s, e, kind, _ in found(0, len(region)):
            if not is_generic(region[s:e]):
                anchors.append(_Anchor(s + body, e + body, kind, source))
    return anchors, finder, body


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
            out.append(_Anchor(a.start, a.end, a.kind, a.source, end))
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
        for m in re.finditer(re.escape(d.text), flat):
            if not (m.start() and flat[m.start() - 1].isalnum()) and not (m.end() < len(flat) and flat[m.end()].isalnum()):
                spots.append((m.start(), m.end(), d))
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
    return [
        entry
        for key, entry in merged.items()
        if entry["source"] == "heading"
        or not any(other != key and bare[other].startswith(bare[key] + " ") for other in merged)
    ]


def find_assignments(doc: Document, header: Header, deadlines: tuple[Deadline, ...]) -> tuple[Assignment, ...]:
    """The units told to act in the organisation part, one entry per unit.

    Args:
        doc: the document.
        header: its header (unused for now; kept for the stage contract).
        deadlines: the document's deadlines (``find_deadlines``); those inside a
            unit's text become its ``deadline``.

    Returns:
        Assignments in text order. A unit named several times is merged: roles and
        deadlines are joined, and the spelling of its heading is kept.
    """
    del header
    text = paragraphs(doc.text)
    part = organisation_part(text)
    if part is None:
        return ()
    anchors, finder, body = _anchors(text, part)
    merged: dict[str, dict] = {}
    for a in sorted(_scopes(anchors, text, part), key=lambda a: a.start):
        if a.source == "heading" and not text[a.end : a.scope_end].strip(" \t\n-+•*:.;,"):
            continue  # "1. Ban Thường trực ..." over bullets naming its members: a label
        for s, e in finder.split(a.start - body, a.end - body, a.kind):
            name = ocr_correct(squash(text[s + body : e + body]).strip(" ,;:.-–"))
            if not name or (is_generic(name) and (a.source == "partner" or "liên quan" in name)):
                continue  # "phối hợp với các cơ quan liên quan": no unit named
            key = unit_key(name)
            entry = merged.setdefault(key, {"name": name, "source": a.source, "roles": [], "deadlines": [], "anchor": a})
            if a.source == "heading" and entry["source"] != "heading":
                entry.update(name=name, source="heading")
            for role in _roles(finder, body, a).split(", "):
                if role not in entry["roles"]:
                    entry["roles"].append(role)
            for at, d in _occurrences(text, deadlines, a.start, a.scope_end):
                if (at, d) not in entry["deadlines"]:
                    entry["deadlines"].append((at, d))
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
            )
        )
    return tuple(out)


__all__ = ["find_assignments"]
