"""The extractor's pattern tables (``pipeline/patterns/*.json``), loaded and compiled once.

Like eyecite's reporters-db, the knowledge of the language lives in data files: document
types and their symbol codes, issuer codes and levels, issuer name normalisations. Keys
starting or ending with ``#`` are comments. Everything here is compiled at first use and
cached, so extractors only ever see ready regexes and dicts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from pipeline.identity import UPPER
from pipeline.normalise import fold_tones
from pipeline.pattern_tables import load, strip_comments

_strip_comments = strip_comments  # the name other modules used


@dataclass(frozen=True)
class DocType:
    name: str  # Kết luận
    code: str  # KL
    state_only: bool = False
    capitalised: bool = False  # only counts when written with a capital (Luật, Lệnh)


@dataclass(frozen=True)
class Tables:
    """Everything compiled from the JSON tables."""

    doc_types: tuple[DocType, ...]
    type_by_name: dict[str, DocType]  # lower-case name → type
    type_re: re.Pattern[str]  # any document type name (case-insensitive)
    name_by_code: dict[str, str]  # KL → Kết luận
    header_words: tuple[str, ...]
    header_re: re.Pattern[str]
    mixed_case: dict[str, str]  # CTR → CTr
    issuer_codes: dict[str, dict[str, Any]]
    central_suffixes: tuple[str, ...]
    state_central: frozenset[str]
    issuer_rules: tuple[tuple[re.Pattern[str], str], ...]
    central_bodies: re.Pattern[str]
    body_start: str
    stop_re: re.Pattern[str]
    keep_term: re.Pattern[str]
    upper_phrases: tuple[str, ...]
    place_words: tuple[str, ...]
    field_words: tuple[str, ...]


NAME_WORD = rf"[{UPPER}][^\W\d_]*"


def alternation(words: list[str]) -> str:
    """The words as one regex alternation, longest first (so a longer phrase wins over its prefix)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@cache
def tables() -> Tables:
    """The compiled tables (built once per process)."""
    dt = load("doc_types")
    types = tuple(
        DocType(t["name"], t.get("code", ""), t.get("state_only", False), t.get("capitalised", False))
        for t in dt["types"]
    )
    by_name = {t.name.lower(): t for t in types}
    type_re = re.compile(rf"(?<!\w)(?:{alternation([t.name for t in types])})(?!\w)", re.IGNORECASE)
    header_words = tuple(dt["header_words"])
    header_re = re.compile(rf"^(?:{alternation(list(header_words))})")
    ic = load("issuer_codes")
    iss = load("issuers")
    rules = tuple((re.compile(p), r) for p, r in iss["normalise"])
    stops = sorted(iss["stop_words"], key=len, reverse=True)
    stop_re = re.compile(rf"(?<!\w)(?:{'|'.join(re.escape(s) for s in stops)})(?!\w)")
    return Tables(
        doc_types=types,
        type_by_name=by_name,
        type_re=type_re,
        name_by_code=dict(dt["by_code"]),
        header_words=header_words,
        header_re=header_re,
        mixed_case={c.upper(): c for c in dt["mixed_case_codes"]},
        issuer_codes=dict(ic["codes"]),
        central_suffixes=tuple(ic["central_suffixes"]),
        state_central=frozenset(ic["state_central_codes"]),
        issuer_rules=rules,
        central_bodies=re.compile("|".join(f"(?:{p})" for p in iss["central_bodies"])),
        body_start=iss["body_start"],
        stop_re=stop_re,
        keep_term=re.compile(iss["keep_term"]),
        upper_phrases=tuple(sorted(iss["upper_phrases"], key=len, reverse=True)),
        place_words=tuple(iss["place_words"]),
        field_words=tuple(iss["field_words"]),
    )


def doc_type(word: str) -> DocType | None:
    """The document type written as ``word`` ("Kết Luận", "KẾ HOẠCH"), or None."""
    return tables().type_by_name.get(" ".join(fold_tones(word).lower().split()))


@lru_cache(maxsize=4096)
def normalise_issuer(name: str | None) -> str | None:
    """One spelling per body: "BCH Trung ương Đảng khóa XIII" → "Ban Chấp hành Trung ương"."""
    if not name:
        return None
    s = fold_tones(name).strip(" ,;:.-–")
    for rx, repl in tables().issuer_rules:
        s = rx.sub(repl, s)
    s = s.strip(" ,;:.-–")
    return s or None


def is_central_body(issuer: str | None) -> bool:
    """Whether ``issuer`` (normalised) is a central Party body, whose documents carry /TW."""
    return bool(issuer) and bool(tables().central_bodies.search(issuer or ""))


def code_level(code: str) -> str | None:
    """Level of an issuer code: central, province, district, unit, or None when unknown."""
    t = tables()
    info = t.issuer_codes.get(code)
    if info and info.get("level"):
        return str(info["level"])
    if any(code.endswith(s) for s in t.central_suffixes):
        return "central"
    return None


__all__ = ["NAME_WORD", "UPPER", "DocType", "Tables", "code_level", "doc_type", "is_central_body", "load", "normalise_issuer", "tables"]
