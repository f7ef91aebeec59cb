"""``extract(doc) -> Extraction``: every extractor composed, in dependency order.

structure (the zones, ``pipeline.structure``) → header → citations (the own symbol
excluded) → implements; deadlines → assignments (the organisation part, with their time
limits); numbers; signer and recipients. Every fact is then marked with the zone it
stands in (``zone``: "legal_basis", "item", "table", ...), and the zones are kept in
``Extraction.zones``. Pure: no I/O,
no network. The deadline/number/assignment extractors live in their own modules and are
looked up at call time: a module that is not there gives an empty field. A crash in any
extractor is a ``KehoachError(Reason.extract_failed)`` (the ingest boundary records it);
with ``strict=False`` a crashing deadline/number/assignment extractor only empties its
field, which is how ``kehoach eval`` still scores the rest.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from pipeline.errors import KehoachError, Reason
from pipeline.extract.citations import find_citations
from pipeline.extract.header import find_header
from pipeline.extract.implements import find_implements
from pipeline.extract.scope import Scope
from pipeline.extract.signature import find_recipients, find_signer
from pipeline.models import Citation, Document, Extraction
from pipeline.structure import Structure, structure_of


def _optional(module: str, name: str) -> Callable[..., tuple[Any, ...]] | None:
    """``pipeline.extract.<module>.<name>`` if that module exists, else None."""
    try:
        mod = importlib.import_module(f"pipeline.extract.{module}")
    except ModuleNotFoundError as e:
        if e.name == f"pipeline.extract.{module}":
            return None
        raise
    fn = getattr(mod, name, None)
    return fn if callable(fn) else None


def extract(doc: Document, *, strict: bool = True) -> Extraction:
    """Extract the SCHEMA.md fields (plus numbers and evidence) from one document.

    Args:
        doc: a ``Document`` from ``pipeline.read.read``.
        strict: raise ``KehoachError(Reason.extract_failed)`` when a sub-extractor
            crashes; when False, that field is left empty and the rest is kept.
    """
    text, tables_ = doc.text, doc.tables
    try:
        st = structure_of(doc)
        scope = Scope.of(doc, st.zones)
        header = find_header(text, tables_, structure=st, ocr=_header_ocr(doc), words=doc.words)
        citations = find_citations(text[: scope.attached_start], header, tables_)
        implements = find_implements(text, citations, tables_, header, scope)
        signer = find_signer(text, tables_, structure=st)
        recipients = find_recipients(text, tables_, structure=st, ocr=_closing_ocr(doc))
    except Exception as e:  # noqa: BLE001 - one boundary: a bug on one document is a typed failure
        raise KehoachError(Reason.extract_failed, doc.path, f"{type(e).__name__}: {e}") from e
    deadlines = _run("deadlines", "find_deadlines", doc, strict, doc, header, scope)
    numbers = _run("numbers", "find_numbers", doc, strict, doc, scope)
    assignments = _run("assignments", "find_assignments", doc, strict, doc, header, deadlines, scope)
    return Extraction(
        doc=doc.stem,
        header=header,
        implements=implements,
        citations=tuple(_cited_in_zones(c, st) for c in citations),
        assignments=_zoned(assignments, st),
        deadlines=_zoned(deadlines, st),
        signer=signer,
        recipients=recipients,
        numbers=_zoned(numbers, st),
        zones=st.zones,
    )


def _header_ocr(doc: Document) -> bool:
    """The header was read by OCR: page 1 was (an appendix OCR'd behind a text layer's
    pages leaves the header's spelling as the layer gives it)."""
    return doc.pages[0].ocr if doc.pages else doc.ocr_used


def _closing_ocr(doc: Document) -> bool:
    """The closing ("Nơi nhận", signature) was read by OCR: the last page was."""
    return doc.pages[-1].ocr if doc.pages else doc.ocr_used


def _zoned(facts: tuple[Any, ...], st: Structure) -> tuple[Any, ...]:
    """Facts with ``zone`` set to the kind of the zone their ``offset`` stands in."""
    return tuple(replace(f, zone=st.kind_at(f.offset)) if f.offset >= 0 and not f.zone else f for f in facts)


def _cited_in_zones(c: Citation, st: Structure) -> Citation:
    return replace(c, mentions=tuple(m if m.zone else replace(m, zone=st.kind_at(m.start)) for m in c.mentions))


def _run(module: str, name: str, doc: Document, strict: bool, *args: Any) -> tuple[Any, ...]:
    fn = _optional(module, name)
    if fn is None:
        return ()
    try:
        return tuple(fn(*args))
    except Exception as e:  # noqa: BLE001
        if strict:
            raise KehoachError(Reason.extract_failed, doc.path, f"{module}: {type(e).__name__}: {e}") from e
        return ()


__all__ = ["extract"]
