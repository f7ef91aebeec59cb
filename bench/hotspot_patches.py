"""Prototype fixes of hot spots in other modules, applied at run time for the "after" figures.

Each patch is the smallest change that removes a hot spot found by profiling; the real
fix belongs in the named module (its owner's file), and RESULTS.md lists it.
"""

from __future__ import annotations

import functools


def cache_letter_kinds() -> None:
    """``pipeline.read.language.letter_stats`` classifies every character of the first
    5,000 words again: ``cache.setdefault(c, _letter_kind(c))`` evaluates its default
    eagerly, so the cache never saves a call (~17 ms a document, most of a text read).
    Memoising ``_letter_kind`` gives the same answers."""
    from pipeline.read import language

    if not hasattr(language._letter_kind, "cache_info"):
        language._letter_kind = functools.lru_cache(maxsize=4096)(language._letter_kind)


def apply_all() -> list[str]:
    """Apply every patch; returns their names for the results."""
    cache_letter_kinds()
    return ["read.language: memoise _letter_kind"]
