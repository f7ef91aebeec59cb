"""The structure stage: the parts of a document (zones) before any field is read.

``find_zones(doc)`` segments a ``Document`` into zones (``pipeline.models.ZONE_KINDS``):
motto, parent body, issuer, number, place-date, type, title or "V/v" subject,
addressees, legal basis, headings, items, body text, tables, recipients, signature,
appendix, notes and page furniture. ``Structure`` answers the questions the field
extractors ask of them (the organisation part, the legal basis, the signature, the
section tree).
"""

from pipeline.structure.view import Section, Structure, structure_of
from pipeline.structure.zoner import find_zones, structure_of_text, zones_of_text

__all__ = ["Section", "Structure", "find_zones", "structure_of", "structure_of_text", "zones_of_text"]
