"""``Structure``: a document's zones and the printed lines inside them, with the questions
field extractors ask: which zone holds an offset, the header's lines, the legal basis,
the signature, the recipients and the section tree (the organisation part is
``pipeline.extract.sections.organisation_part``: one definition).

``Extraction.zones`` keeps only the zones (kinds and spans); ``Structure.lines`` also
keeps each printed line a zone is made of, because a reader may give a two-column
header or signature as one text line per table row ("UBND TỈNH X SỞ Y TẾ Số: … | …"):
the zone's span then runs across what were separate printed lines.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property

from pipeline.models import Zone


@dataclass(frozen=True)
class ZoneLine:
    """One printed line (or one column's part of it) inside zone ``zone``."""

    start: int
    end: int
    text: str
    zone: int  # index into Structure.zones
    column: int = 0


@dataclass(frozen=True)
class Section:
    """A heading and what stands under it (its items, body text, tables, sub-headings)."""

    index: int  # the heading's index in Structure.zones
    label: str  # "III.", "1.", "Điều 3."
    title: str  # the heading's text after its label
    start: int
    end: int  # end of the last zone under it
    parent: int  # index of the enclosing heading, -1 at the top
    children: tuple[int, ...]  # zone indexes directly under it


@dataclass(frozen=True)
class Structure:
    """A document's zones over its text; see the module docstring."""

    text: str
    zones: tuple[Zone, ...]
    lines: tuple[ZoneLine, ...] = ()

    # ------------------------------------------------------------ lookup

    @cached_property
    def _starts(self) -> list[int]:
        return [z.start for z in self.zones]

    def zone_at(self, offset: int) -> Zone | None:
        """The zone holding ``offset``, or None (blank lines between zones hold none)."""
        i = bisect_right(self._starts, offset) - 1
        if i >= 0 and self.zones[i].start <= offset < max(self.zones[i].end, self.zones[i].start + 1):
            return self.zones[i]
        return None

    def kind_at(self, offset: int) -> str:
        """The ZONE_KINDS value at ``offset`` ("" outside every zone)."""
        z = self.zone_at(offset)
        return z.kind if z else ""

    def of(self, *kinds: str) -> tuple[Zone, ...]:
        """The zones of these kinds, in text order."""
        return tuple(z for z in self.zones if z.kind in kinds)

    def first(self, kind: str) -> Zone | None:
        return next((z for z in self.zones if z.kind == kind), None)

    def text_of(self, zone: Zone) -> str:
        return self.text[zone.start : zone.end]

    def lines_of(self, *kinds: str) -> tuple[ZoneLine, ...]:
        """The printed lines of the zones of these kinds, in text order."""
        wanted = {i for i, z in enumerate(self.zones) if z.kind in kinds}
        return tuple(ln for ln in self.lines if ln.zone in wanted)

    def column_lines(self, *kinds: str) -> tuple[ZoneLine, ...]:
        """Like :meth:`lines_of`, read column by column (left column first), as the page
        shows a two-column block whose text interleaves the columns."""
        lines = self.lines_of(*kinds)
        return tuple(sorted(lines, key=lambda ln: ln.column if ln.column > 1 else 0))

    # ------------------------------------------------------------ parts of the document

    @property
    def header_end(self) -> int:
        """Offset where the header ends (the first legal-basis or body zone)."""
        for z in self.zones:
            if z.kind not in _HEADER_KINDS:
                return z.start
        return len(self.text)

    def legal_basis(self) -> tuple[Zone, ...]:
        """The opening clauses the document rests on or carries out ("Căn cứ …", "Thực hiện …"),
        and a decision's enacting lines."""
        return self.of("legal_basis")

    def signature(self) -> tuple[ZoneLine, ...]:
        """The signature's lines (authority marks, position, name), column by column."""
        return self.column_lines("signature")

    def recipients(self) -> tuple[ZoneLine, ...]:
        """The lines of the "Nơi nhận" list."""
        return self.lines_of("recipients")

    # ------------------------------------------------------------ sections

    @cached_property
    def sections(self) -> tuple[Section, ...]:
        """Every heading with what stands under it, in text order."""
        children: dict[int, list[int]] = {}
        for i, z in enumerate(self.zones):
            if z.parent >= 0:
                children.setdefault(z.parent, []).append(i)
        out = []
        for i, z in enumerate(self.zones):
            if z.kind != "heading":
                continue
            end = z.end
            stack = [i]
            while stack:
                k = stack.pop()
                for c in children.get(k, ()):
                    end = max(end, self.zones[c].end)
                    stack.append(c)
            text = " ".join(self.text[z.start : z.end].split())
            title = text[len(z.label) :].strip() if z.label and text.startswith(z.label) else _after_label(text, z.label)
            out.append(Section(i, z.label, title, z.start, end, z.parent, tuple(children.get(i, ()))))
        return tuple(out)

    def section_of(self, index: int) -> Section | None:
        """The section headed by zone ``index``."""
        return next((s for s in self.sections if s.index == index), None)

    def under(self, section: Section) -> tuple[Zone, ...]:
        """Every zone under ``section`` (nested headings and their contents included)."""
        return tuple(z for z in self.zones if section.start <= z.start < section.end and z is not self.zones[section.index])


_HEADER_KINDS = frozenset(
    {"motto", "parent_body", "issuer", "number", "place_date", "doc_type", "title", "addressee", "page_furniture"}
)


def _after_label(text: str, label: str) -> str:
    if not label:
        return text
    i = text.find(label.rstrip(".)"))
    return text[i + len(label) :].strip(" .):") if i == 0 else text


def structure_of(doc: object) -> Structure:
    """The ``Structure`` of a ``Document`` (zones and their printed lines)."""
    from pipeline.structure.zoner import structure_of_document

    return structure_of_document(doc)  # type: ignore[arg-type]


__all__ = ["Section", "Structure", "ZoneLine", "structure_of"]
