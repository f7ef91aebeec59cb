"""Document identity: symbols (số ký hiệu), document keys and central issuer codes.

The one place that parses a symbol and makes a key. Extraction (``pipeline.extract``)
finds symbols in text with it; resolution (``pipeline.resolve``) and the store re-read
keys and symbols with it, so a citation and the document it names always agree.

Party symbols are ``<number>-<TYPE>/<ISSUER>`` (``45-KL/TW``, ``29-CTr/TU``,
``05-QĐ/ThU``); State symbols are ``<number>/[<year>/]<TYPE>-<ISSUER>[-more]``
(``48/2021/NĐ-CP``, ``2316/QĐ-BXD``, ``23/KH-MTTQ-BTT``) or, for laws,
``<number>/<year>/QH<n>``. Writers put spaces and any dash around the separators
(``21- KL/TW``, ``27 - CT/TW``, ``05 – CT/TW``, ``134 /KH-UBND``): the normal form drops
the spaces, makes every dash "-", upper-cases the codes except the mixed-case ones
(``CTr``, ``ThU``, ``TTg``), keeps leading zeros in the symbol and drops them in the key.

A key is ``<symbol without leading zeros>@<YYYY-MM-DD>`` (or ``@<YYYY>`` when only the
year is known, or no ``@`` part), SCHEMA.md "The key of a document".

Public API (stable; other modules build on it): :class:`Symbol`, :func:`find_symbols`,
:func:`parse_symbol`, :func:`normalise_symbol`, :func:`norm_code`, :func:`make_key`,
:func:`split_key`, :func:`is_central`, :func:`normalise_scope`, :func:`rules`,
``PARTY_RE``, ``STATE_RE``, ``UPPER``.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Any

from pipeline.pattern_tables import load
from pipeline.prefilter import Prefilter

# Upper-case Vietnamese letters, for regexes that must tell a name from a common word
# (Python's re has no \p{Lu}).
UPPER = "A-ZĐ" + "".join(
    ch for ch in map(chr, [*range(0xC0, 0x1B0), *range(0x1EA0, 0x1EFA)]) if ch.isalpha() and ch.isupper()
)

_SP = r"[ \t]*"
_DASH = r"[-–—‐‑−\ufffe]"  # U+FFFE: a hyphen some PDF text layers lose
# Codes are upper-case ASCII letters, Đ and Ư (and the mixed-case CTr, ThU, TTg); OCR adds
# tone marks ("ĐỦ" for ĐU) and doubles letters ("QĐĐ"), which ``norm_code`` undoes.
# An "&" may join two parts of one code ("LĐVL&TN", "B&PTTH"); joint bodies run long
# ("ĐCTUBTWMTTQVN" of a joint resolution).
_CODE = rf"[{UPPER}](?:[{UPPER}a-zđư]|&(?=[{UPPER}])){{0,9}}"
_STATE_CODE = rf"[{UPPER}](?:[{UPPER}a-zđư0-9]|&(?=[{UPPER}])){{0,15}}(?:\([{UPPER}0-9]{{1,8}}\))?"  # "CAT(PC04)"

PARTY_RE = re.compile(
    rf"(?<![\w/.\-–])(?P<num>\d{{1,5}}){_SP}{_DASH}{_SP}(?P<type>{_CODE}){_SP}/{_SP}"
    rf"(?P<iss>{_CODE}(?:{_DASH}{_CODE})?)(?![\w/])"
)
STATE_RE = re.compile(
    rf"(?<![\w/.\-–])(?P<num>\d{{1,5}}(?:\.\d{{1,2}}(?={_SP}/{_SP}(?:19|20)\d\d{_SP}/))?){_SP}/{_SP}(?:(?P<year>(?:19|20)\d\d){_SP}/{_SP})?"
    rf"(?P<code>{_STATE_CODE}(?:{_SP}{_DASH}{_SP}{_STATE_CODE})*)(?![\w/])"
)
# Forms a writer or OCR leaves that are symbols only where the text says so, after "số" or
# a document type word ("Công văn số 2740/TCT06", "Kết luận 174 KL/TW"): a State code of one
# part with no year, and a Party symbol with a space for its dash.
LOOSE_STATE_RE = re.compile(
    rf"(?<![\w/.\-–])(?P<num>\d{{1,5}}(?:\.\d{{1,2}}(?={_SP}/{_SP}(?:19|20)\d\d{_SP}/))?){_SP}/{_SP}(?P<code>{_STATE_CODE})(?![\w/&]|{_SP}{_DASH}{_SP}[{UPPER}\d])"
)
SPACED_PARTY_RE = re.compile(
    rf"(?<![\w/.\-–])(?P<num>\d{{1,5}})[ \t]+(?P<type>[{UPPER}][{UPPER}a-zđư]{{0,4}}){_SP}/{_SP}"
    rf"(?P<iss>{_CODE}(?:{_DASH}{_CODE})?)(?![\w/])"
)
UNKNOWN_SCOPE = "?"
# The same patterns, tried only where a digit stands (a symbol starts with its number).
_PARTY, _STATE = Prefilter(PARTY_RE), Prefilter(STATE_RE)
_LOOSE = ((Prefilter(LOOSE_STATE_RE), False), (Prefilter(SPACED_PARTY_RE), True))


# ---------------------------------------------------------------------------- symbols


def plain_number(number: str) -> str:
    """A symbol's number without leading zeros: "05" → "5"; a numbered series keeps its dot
    ("12.3" of "12.3/2024/NQ-CP")."""
    return re.sub(r"^0+(?=\d)", "", number)


@dataclass(frozen=True)
class Symbol:
    """A parsed, normalised symbol."""

    number: str  # as written, leading zeros kept: "05"
    type_code: str  # "CT"; "" for a law's QH15 symbol
    issuer_code: str  # "TW"; for State symbols everything after the type: "UBND", "MTTQ-BTT"
    year: int | None = None  # State symbols that carry it
    state: bool = False  # State form (35/2022/NĐ-CP) rather than Party form (21-KL/TW)
    start: int = -1  # span of the symbol in the text it was found in
    end: int = -1

    @property
    def text(self) -> str:
        """The normalised symbol, leading zeros kept: ``08-CT/TW``, ``48/2021/NĐ-CP``."""
        return self._render(self.number)

    @property
    def plain_number(self) -> str:
        """The number without leading zeros: ``"8"`` for ``08-CT/TW``."""
        return plain_number(self.number)

    @property
    def base_key(self) -> str:
        """The key without its date part: ``8-CT/TW``."""
        return self._render(self.plain_number)

    def key(self, date: str | None = None, year: int | None = None) -> str:
        """The key with a date: see :func:`make_key`."""
        when = _key_date(date) or (str(year) if year else "")
        return f"{self.base_key}@{when}" if when else self.base_key

    def _render(self, number: str) -> str:
        if not self.state:
            return f"{number}-{self.type_code}/{self.issuer_code}"
        code = f"{self.type_code}-{self.issuer_code}" if self.type_code else self.issuer_code
        return f"{number}/{self.year}/{code}" if self.year else f"{number}/{code}"


@cache
def _code_tables() -> tuple[dict[str, str], frozenset[str]]:
    """Mixed-case codes (``CTR`` → ``CTr``) and known type codes, from doc_types.json."""
    doc_types = load("doc_types")
    return {c.upper(): c for c in doc_types["mixed_case_codes"]}, frozenset(doc_types["by_code"])


def _plain_letters(s: str) -> str:
    """Drop tone and shape marks except the letters codes use (Đ, Ư): "ĐỦ" → "ĐU"."""
    out = []
    for ch in s:
        if ch in "ĐđƯư":
            out.append(ch)
        else:
            out.append("".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)))
    return "".join(out)


@lru_cache(maxsize=4096)
def norm_code(code: str) -> str:
    """Upper-case a type/issuer code, keeping the mixed-case codes (CTr, ThU, TTg)."""
    mixed, _ = _code_tables()
    parts = re.split(rf"{_SP}{_DASH}{_SP}", _plain_letters(code.strip()))
    return "-".join(mixed.get(p.upper(), p.upper()) for p in parts if p)


def _type_code(code: str) -> str:
    """A type code; an OCR-doubled letter is undone when that gives a known code ("QĐĐ" → "QĐ")."""
    _, known = _code_tables()
    if code in known:
        return code
    single = re.sub(r"(.)\1", r"\1", code)
    return single if single in known else code


def _party(m: re.Match[str], offset: int = 0) -> Symbol:
    return Symbol(
        m.group("num"), _type_code(norm_code(m.group("type"))), norm_code(m.group("iss")),
        start=m.start() + offset, end=m.end() + offset,
    )  # fmt: skip


@cache
def _known_issuers() -> frozenset[str]:
    """Issuer codes known to stand after a type code (CP, TTg, UBND, BNV, ...)."""
    r = rules()
    return frozenset(r["central_state_codes"]) | frozenset(load("issuer_codes")["codes"]) | frozenset(r["central_party_codes"])


def _unglue(code: str) -> tuple[str, str] | None:
    """A type code glued to its issuer by a lost dash ("NĐCP" → NĐ, CP; "QĐUBND" → QĐ, UBND)."""
    _, known = _code_tables()
    issuers = _known_issuers()
    if code in issuers:  # "TTCP" is Thanh tra Chính phủ, not TT + CP
        return None
    for t in sorted(known, key=len, reverse=True):
        rest = code[len(t) :]
        if len(t) >= 2 and code.upper().startswith(t.upper()) and len(rest) >= 2 and rest in issuers:
            return t, rest
    return None


def _state(m: re.Match[str], offset: int = 0, loose: bool = False) -> Symbol | None:
    parts = norm_code(m.group("code")).split("-")
    year = int(m.group("year")) if m.groupdict().get("year") else None
    num, start, end = m.group("num"), m.start() + offset, m.end() + offset
    if len(parts) == 1 and (glued := _unglue(parts[0])):
        parts = list(glued)
    if len(parts) == 1:
        # "58/2024/QH15": a law (OCR reads the legislature's "QH15" as "QHI15" or "QHI5"); without
        # the year "12/ABC" is a symbol only where the text says so (``loose``).
        code = re.sub(r"^QH[IL|](\d{1,2})$", lambda t: "QH" + t.group(1).rjust(2, "1"), parts[0])
        if year is not None and re.fullmatch(r"[A-ZĐ]+\d*", code):
            return Symbol(num, "", code, year, True, start, end)
        return Symbol(num, "", code, year, True, start, end) if loose else None
    return Symbol(num, _type_code(parts[0]), "-".join(parts[1:]), year, True, start, end)


@cache
def _loose_context() -> re.Pattern[str]:
    """Text right before a loose symbol that makes it one: a type word and/or "số"."""
    names = sorted({t["name"] for t in load("doc_types")["types"]}, key=len, reverse=True)
    types = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?:(?<!\w)(?:{types})[ \t]*(?:số[ \t]*:?[ \t]*)?|(?<!\w)số[ \t]*:?[ \t]*)$", re.IGNORECASE)


def _loose(chunk: str, offset: int, anywhere: bool) -> list[Symbol]:
    """Loose forms (see ``LOOSE_STATE_RE``) where the words before make them symbols."""
    _, known = _code_tables()
    out: list[Symbol] = []
    for rx, spaced in _LOOSE:
        for m in rx.finditer(chunk):
            if not anywhere and not _loose_context().search(chunk, max(0, m.start() - 40), m.start()):
                continue
            if spaced:
                sym = _party(m, offset)
                if sym.type_code in known:
                    out.append(sym)
            elif (sym2 := _state(m, offset, loose=True)) is not None:
                out.append(sym2)
    return out


def find_symbols(text: str, start: int = 0, end: int | None = None, *, loose: bool = False) -> tuple[Symbol, ...]:
    """Every Party or State symbol in ``text[start:end]``, in text order (spans into ``text``).

    Loose forms ("2740/TCT06", "174 KL/TW") count after "số" or a type word, or anywhere
    with ``loose`` (a string known to be a symbol).
    """
    chunk = text[start:end]
    found: list[Symbol] = [_party(m, start) for m in _PARTY.finditer(chunk)]
    taken = [(s.start, s.end) for s in found]
    for m in _STATE.finditer(chunk):
        s = _state(m, start)
        if s and not any(s.start < e and b < s.end for b, e in taken):
            found.append(s)
            taken.append((s.start, s.end))
    for s in _loose(chunk, start, loose):
        if not any(s.start < e and b < s.end for b, e in taken):
            found.append(s)
            taken.append((s.start, s.end))
    return tuple(sorted(found, key=lambda s: s.start))


def truncated(sym: Symbol) -> bool:
    """A State symbol whose issuer part OCR or the writer lost ("12/2022/NĐ" of "12/2022/NĐ-CP",
    "9/HD" of "9/HD-BNV-TCBC"): its only code is a document type code."""
    _, known = _code_tables()
    return sym.state and not sym.type_code and sym.issuer_code in known


def retype(sym: Symbol, type_code: str) -> Symbol:
    """``sym`` with the type code of the type word written before it, where OCR damaged an
    unknown code of the same length ("Nghị định số 96/2023/NC-CP" → NĐ-CP)."""
    _, known = _code_tables()
    if not sym.type_code or sym.type_code in known or type_code not in known or len(type_code) != len(sym.type_code):
        return sym
    if sum(a != b for a, b in zip(sym.type_code.upper(), type_code.upper())) > 1:
        return sym
    return replace(sym, type_code=type_code)


@cache
def _code_by_name() -> dict[str, str]:
    """Issuer code of each body named in issuer_codes.json ("Bộ Xây dựng" → BXD)."""
    codes = load("issuer_codes").get("codes", {})
    return {v["name"].casefold(): k for k, v in codes.items() if isinstance(v, dict) and v.get("name")}


def state_code_of(issuer: str | None) -> str | None:
    """The code of a central State body named in full ("Bộ Xây dựng" → BXD), or None."""
    code = _code_by_name().get(issuer.casefold()) if issuer else None
    state, party = load("issuer_codes").get("state_central_codes", []), load("identity")["central_party_codes"]
    return code if code in state and code not in party else None  # BCT: Bộ Chính trị or Bộ Công Thương


def reissue(sym: Symbol, issuer: str | None) -> Symbol:
    """``sym`` with the code of the issuer named after it ("... của Bộ Xây dựng"), where
    OCR damaged one letter of an unknown code of the same length ("15/QĐ-BXO" → QĐ-BXD)."""
    if not issuer or "-" in sym.issuer_code or sym.issuer_code in _known_issuers():
        return sym
    code = _code_by_name().get(issuer.casefold())
    if code is None or len(code) != len(sym.issuer_code):
        return sym
    if sum(a != b for a, b in zip(sym.issuer_code.upper(), code.upper())) > 1:
        return sym
    return replace(sym, issuer_code=code)


@lru_cache(maxsize=1 << 16)
def parse_symbol(s: str | None) -> Symbol | None:
    """The first symbol written in ``s``, or None.

    ``s`` may be free text ("Số 40 - KH/ĐUK" → 40-KH/ĐUK), a normalised symbol, or a key
    (its ``@date`` part is ignored: "63-KH/TU@2022-02-17" → 63-KH/TU).
    """
    if not s:
        return None
    base = s.split("@", 1)[0]
    found = find_symbols(base)
    if not found:  # a loose form written alone ("2740/TCT06"): the whole string is the symbol
        whole = base.strip()
        found = tuple(x for x in find_symbols(whole, loose=True) if (x.start, x.end) == (0, len(whole)))
    return found[0] if found else None


def normalise_symbol(s: str) -> str | None:
    """``"45- KL/TW"`` → ``"45-KL/TW"``; None when ``s`` holds no symbol."""
    sym = parse_symbol(s)
    return sym.text if sym else None


# ------------------------------------------------------------------------------- keys


@lru_cache(maxsize=4096)
def _key_date(date: str | None) -> str:
    """The date part of a key: a real ISO day, or a year; anything else gives ``""``."""
    if not date:
        return ""
    if re.fullmatch(r"\d{4}", date):
        return date
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        try:
            return _dt.date.fromisoformat(date).isoformat()
        except ValueError:  # not a calendar day: the key gets no date
            return ""
    return ""


def make_key(symbol: str | None, date: str | None = None, year: int | None = None) -> str | None:
    """SCHEMA.md key of a symbol written in any form and an ISO date (or a year).

    ``("08 – CT/TW", "2016-05-15")`` → ``8-CT/TW@2016-05-15``; ``("45-KL/TW", None, 2021)``
    → ``45-KL/TW@2021``; a date that is no calendar day is left out. A string that holds
    no symbol is kept trimmed (leading zeros dropped); no symbol at all gives None.
    """
    if not symbol or not symbol.strip():
        return None
    sym = parse_symbol(symbol)
    if sym:
        return sym.key(date, year)
    base = re.sub(r"^0+(?=\d)", "", symbol.strip())
    when = _key_date(date) or (str(year) if year else "")
    return f"{base}@{when}" if when else base


def split_key(key: str) -> tuple[str, str]:
    """``"46-KH/ĐUK@2022-03-09"`` → ``("46-KH/ĐUK", "2022-03-09")``; no date gives ``""``."""
    base, _, date = key.partition("@")
    return base.strip(), date.strip()


# ------------------------------------------------------------------- central or scoped


@cache
def rules() -> dict[str, Any]:
    """``patterns/identity.json`` (plus ``issuer_codes.json`` levels), compiled once.

    Keys: ``central_party_codes``, ``central_state_codes``, ``central_suffixes``,
    ``level_by_name`` (compiled), ``code_levels``, ``type_codes``, ``directive_types``,
    ``plan_types``, ``plan_levels``, ``nested_gap``/``nested_list_gap`` (compiled),
    ``type_words``.
    """
    data = dict(load("identity"))
    data["level_by_name"] = [(re.compile(rx, re.IGNORECASE), level) for rx, level in data["level_by_name"]]
    types = "(?:" + "|".join(re.escape(t) for t in data["type_words"]) + ")"
    for name in ("nested_gap", "nested_list_gap"):
        data[name] = re.compile(data[name].replace("$type", types), re.IGNORECASE)
    data["code_levels"] = {k: v for k, v in data["level_by_code"].items() if v}
    _merge_issuer_codes(data, load("issuer_codes"))
    return data


LEVELS = ("central", "province", "district", "commune", "unit", "unknown")


def _merge_issuer_codes(data: dict[str, Any], table: Any) -> None:
    """Add extraction's ``issuer_codes.json`` (code → {name, level}, central lists).

    Extraction owns that table; identity.json only adds what identity needs beyond it.
    """
    table = table if isinstance(table, dict) else {}
    party, state = set(data["central_party_codes"]), set(data["central_state_codes"])
    for code, value in table.get("codes", {}).items():
        level = value.get("level") if isinstance(value, dict) else None
        if level not in LEVELS:
            continue
        data["code_levels"][code] = level
        if level == "central":
            party.add(code)
    state.update(table.get("state_central_codes", []))
    data["central_party_codes"], data["central_state_codes"] = party, state
    data["central_suffixes"] = tuple(sorted(set(data["central_suffixes"]) | set(table.get("central_suffixes", []))))


def is_central(symbol_or_key: str | None, issuer_code: str = "") -> bool:
    """Whether the issuer code names one body for the whole country (global identity).

    A non-central code (``KH/TU``, ``KH-UBND``) names a different body in each province,
    so its keys are scoped by the province or body of the document.
    """
    parts = parse_symbol(symbol_or_key)
    code = issuer_code or (parts.issuer_code if parts else "")
    if not code:
        return False
    r = rules()
    if parts.state if parts else "-" in code:
        # the first part is the issuing body: "BTC-BNV" (joint), "MTTW-BTT" (its standing board);
        # a National Assembly term number goes: QH15 → QH
        first = re.sub(r"(?<=QH)\d+$", "", code.split("-")[0])
        return first in r["central_state_codes"] or _party_central(first, r)
    return _party_central(code, r)


def _party_central(code: str, r: dict[str, Any]) -> bool:
    return code in r["central_party_codes"] or any(code.endswith(s) for s in r["central_suffixes"])


def normalise_scope(scope: str | None) -> str | None:
    """One spelling per province/body: NFC, single spaces, no leading 'tỉnh'."""
    if not scope or not scope.strip():
        return None
    s = unicodedata.normalize("NFC", " ".join(scope.split()))
    s = re.sub(r"^(tỉnh|thành phố|TP\.?)\s+", "", s, flags=re.IGNORECASE)
    return s or None


__all__ = [
    "LEVELS", "PARTY_RE", "STATE_RE", "UNKNOWN_SCOPE", "UPPER", "Symbol", "find_symbols", "is_central",
    "make_key", "norm_code", "plain_number", "normalise_scope", "normalise_symbol", "parse_symbol", "reissue", "retype", "rules",
    "split_key", "state_code_of", "truncated",
]  # fmt: skip
