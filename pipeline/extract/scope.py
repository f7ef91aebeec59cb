"""Where each field extractor reads: the parts of a document, from its zones when the
structure stage gives them, else from text cues.

Every field has its own part: implements the title and the opening "Căn cứ / Thực hiện
…" clauses (the legal basis); assignments the part that tells units what to do; deadlines
and numbers the body (not the header's date line, not the "Nơi nhận" list). The structure
stage (``pipeline.structure.find_zones``) labels those parts; until a document has zones
(a module that is not there, or a text it cannot segment) the cues here stand in, so an
extractor asks this module for its span and never finds it itself.
"""

from __future__ import annotations

import importlib
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from pipeline.models import Document, Table, Zone

# The header's kinds (everything before the first legal-basis or body zone).
HEADER_KINDS = frozenset(
    {"motto", "parent_body", "issuer", "number", "place_date", "doc_type", "title", "addressee", "page_furniture"}
)
CLOSING_KINDS = frozenset({"recipients", "signature"})

_ADDRESSEE = re.compile(r"^[ \t*_#>]*Kính\s+g[uửữ]i\b", re.IGNORECASE | re.MULTILINE)
_RECIPIENTS = re.compile(r"^[ \t*_#>|]*(?:Nơi\s+nhận|NƠI\s+NHẬN)\b", re.MULTILINE)


def find_zones(doc: Document) -> tuple[Zone, ...]:
    """The document's zones from the structure stage, or () where it is not installed."""
    try:
        mod = importlib.import_module("pipeline.structure")
    except ModuleNotFoundError as e:
        if e.name in ("pipeline.structure",):
            return ()
        raise
    fn = getattr(mod, "find_zones", None)
    return tuple(fn(doc)) if callable(fn) else ()


@dataclass(frozen=True)
class Scope:
    """The parts of one document that the field extractors read (offsets into its text)."""

    text: str
    tables: tuple[Table, ...] = ()
    zones: tuple[Zone, ...] = field(default=(), repr=False)

    @classmethod
    def of(cls, doc: Document, zones: Sequence[Zone] | None = None) -> Scope:
        return cls(doc.text, doc.tables, tuple(find_zones(doc) if zones is None else zones))

    # ------------------------------------------------------------------ zones
    @cached_property
    def _starts(self) -> list[int]:
        return [z.start for z in self.zones]

    def zone_at(self, offset: int) -> str:
        """The ZONE_KINDS value of the zone holding ``offset`` ("" where no zone holds it)."""
        i = bisect_right(self._starts, offset) - 1
        if i >= 0 and self.zones[i].start <= offset < max(self.zones[i].end, self.zones[i].start + 1):
            return self.zones[i].kind
        return ""

    def spans(self, *kinds: str) -> list[tuple[int, int]]:
        return [(z.start, z.end) for z in self.zones if z.kind in kinds]

    # ------------------------------------------------------------------ parts
    @cached_property
    def header_end(self) -> int:
        """Where the header (motto, issuer, number, date, type, title, addressees) ends."""
        if self.zones:
            return next((z.start for z in self.zones if z.kind not in HEADER_KINDS), len(self.text))
        return self._cue_header_end()

    @cached_property
    def closing_start(self) -> int:
        """Where the closing ("Nơi nhận", the signature) begins; the text's end if none."""
        if self.zones:
            after = [z.start for z in self.zones if z.kind in CLOSING_KINDS and z.start >= self.header_end]
            return min(after, default=len(self.text))
        m = None
        for m in _RECIPIENTS.finditer(self.text, self.header_end):
            break
        return m.start() if m else len(self.text)

    @cached_property
    def attached_start(self) -> int:
        """Where a second document attached after this one's closing begins (a Tờ trình's
        draft decision, a letter's copy): the first appendix zone whose opening lines carry
        a document header, a motto with a number or place-date line. The text's end if none:
        an appendix of this document (PHỤ LỤC, a data table) is this document's."""
        from pipeline.structure.cues import is_number, motto_span, place_date_span  # noqa: PLC0415

        for z in self.zones:
            if z.kind != "appendix" or z.start < self.closing_start:
                continue
            head = self.text[z.start : z.end].split("\n", 8)[:8]
            if any(motto_span(ln) for ln in head) and any(is_number(ln) or place_date_span(ln) for ln in head):
                return z.start
        return len(self.text)

    @cached_property
    def title(self) -> tuple[int, int] | None:
        """The type word and subject line (or a letter's "V/v" subject)."""
        spans = self.spans("doc_type", "title")
        if spans:
            return spans[0][0], spans[-1][1]
        from pipeline.extract.header import title_span  # the header's own cue

        return title_span(self.text, self.tables)

    def legal_basis(self) -> list[tuple[int, int]] | None:
        """The opening clauses from the zones, or None where there are no zones."""
        return self.spans("legal_basis") if self.zones else None

    def _cue_header_end(self) -> int:
        """Without zones: after the title block and the "Kính gửi" addressee lines."""
        text = self.text
        limit = min(len(text), 5000)
        end = 0
        title = self.title
        if title and title[0] < limit:
            end = title[1]
        m = _ADDRESSEE.search(text, 0, limit)
        if m:
            pos = text.find("\n", m.end())
            pos = len(text) if pos < 0 else pos
            while pos < len(text):  # addressee lines: bullets or short lines after "Kính gửi"
                nxt = text.find("\n", pos + 1)
                nxt = len(text) if nxt < 0 else nxt
                line = text[pos + 1 : nxt]
                if line.lstrip()[:1] not in ("-", "+", "•", "–"):
                    break
                pos = nxt
            end = max(end, pos)
        return end


__all__ = ["CLOSING_KINDS", "HEADER_KINDS", "Scope", "find_zones"]
