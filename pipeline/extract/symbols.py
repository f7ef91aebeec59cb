"""Document symbols (số ký hiệu) and document keys, normalised as SCHEMA.md says.

Party symbols are ``<number>-<TYPE>/<ISSUER>`` (``21-KL/TW``, ``18-CTr/TU``,
``05-QĐ/ThU``); State symbols are ``<number>/[<year>/]<TYPE>-<ISSUER>[-more]``
(``35/2022/NĐ-CP``, ``1074/QĐ-BXD``, ``16/KH-MTTQ-BTT``) or, for laws,
``<number>/<year>/QH<n>``. Writers put spaces and any dash around the separators
(``21- KL/TW``, ``27 - CT/TW``, ``05 – CT/TW``, ``134 /KH-UBND``): the normal form drops
the spaces, makes every dash "-", upper-cases the codes except the mixed-case ones
(``CTr``, ``ThU``, ``TTg``), keeps leading zeros in the symbol and drops them in the key.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pipeline.extract.patterns import UPPER, tables

_SP = r"[ \t]*"
_DASH = r"[-–—‐‑−]"
# Codes are upper-case ASCII letters, Đ and Ư (and the mixed-case CTr, ThU, TTg); OCR adds
# tone marks ("ĐỦ" for ĐU) and doubles letters ("QĐĐ"), which ``norm_code`` undoes.
_CODE = rf"[{UPPER}][{UPPER}a-zđư]{{0,9}}"
_STATE_CODE = rf"[{UPPER}][{UPPER}a-zđư0-9]{{0,11}}"

PARTY_RE = re.compile(
    rf"(?<![\w/.\-–])(?P<num>\d{{1,5}}){_SP}{_DASH}{_SP}(?P<type>{_CODE}){_SP}/{_SP}"
    rf"(?P<iss>{_CODE}(?:{_DASH}{_CODE})?)(?![\w/])"
)
STATE_RE = re.compile(
    rf"(?<![\w/.\-–])(?P<num>\d{{1,5}}){_SP}/{_SP}(?:(?P<year>(?:19|20)\d\d){_SP}/{_SP})?"
    rf"(?P<code>{_STATE_CODE}(?:{_SP}{_DASH}{_SP}{_STATE_CODE})*)(?![\w/])"
)


@dataclass(frozen=True)
class Symbol:
    """A parsed, normalised symbol."""

    number: str  # as written, leading zeros kept: "05"
    type_code: str  # "CT"; "" for a law's QH15 symbol
    issuer_code: str  # "TW"; for State symbols everything after the type: "UBND", "MTTQ-BTT"
    year: int | None = None  # State symbols that carry it
    state: bool = False
    start: int = -1  # span of the symbol in the text it was found in
    end: int = -1

    @property
    def text(self) -> str:
        """The normalised symbol, leading zeros kept: ``05-CT/TW``, ``35/2022/NĐ-CP``."""
        return self._render(self.number)

    @property
    def base_key(self) -> str:
        """The key without its date part: ``5-CT/TW``."""
        return self._render(str(int(self.number)))

    def _render(self, number: str) -> str:
        if not self.state:
            return f"{number}-{self.type_code}/{self.issuer_code}"
        code = f"{self.type_code}-{self.issuer_code}" if self.type_code else self.issuer_code
        return f"{number}/{self.year}/{code}" if self.year else f"{number}/{code}"


def _plain_letters(s: str) -> str:
    """Drop tone and shape marks except the letters codes use (Đ, Ư): "ĐỦ" → "ĐU"."""
    out = []
    for ch in s:
        if ch in "ĐđƯư":
            out.append(ch)
        else:
            out.append("".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)))
    return "".join(out)


def norm_code(code: str) -> str:
    """Upper-case a type/issuer code, keeping the mixed-case codes (CTr, ThU, TTg)."""
    mixed = tables().mixed_case
    parts = re.split(rf"{_SP}{_DASH}{_SP}", _plain_letters(code.strip()))
    return "-".join(mixed.get(p.upper(), p.upper()) for p in parts if p)


def _type_code(code: str) -> str:
    """A type code; an OCR-doubled letter is undone when that gives a known code ("QĐĐ" → "QĐ")."""
    known = tables().name_by_code
    if code in known:
        return code
    single = re.sub(r"(.)\1", r"\1", code)
    return single if single in known else code


def _party(m: re.Match[str], offset: int = 0) -> Symbol:
    return Symbol(
        m.group("num"), _type_code(norm_code(m.group("type"))), norm_code(m.group("iss")),
        start=m.start() + offset, end=m.end() + offset,
    )  # fmt: skip


def _state(m: re.Match[str], offset: int = 0) -> Symbol | None:
    parts = norm_code(m.group("code")).split("-")
    year = int(m.group("year")) if m.group("year") else None
    if len(parts) == 1:
        # "72/2025/QH15": a law; without the year "12/ABC" is too loose to be a symbol.
        if year is None or not re.fullmatch(r"[A-ZĐ]+\d*", parts[0]):
            return None
        return Symbol(m.group("num"), "", parts[0], year, True, m.start() + offset, m.end() + offset)
    return Symbol(m.group("num"), _type_code(parts[0]), "-".join(parts[1:]), year, True, m.start() + offset, m.end() + offset)


def find_symbols(text: str, start: int = 0, end: int | None = None) -> tuple[Symbol, ...]:
    """Every Party or State symbol in ``text[start:end]``, in text order."""
    chunk = text[start:end]
    found: list[Symbol] = [_party(m, start) for m in PARTY_RE.finditer(chunk)]
    taken = [(s.start, s.end) for s in found]
    for m in STATE_RE.finditer(chunk):
        s = _state(m, start)
        if s and not any(s.start < e and b < s.end for b, e in taken):
            found.append(s)
    return tuple(sorted(found, key=lambda s: s.start))


def parse_symbol(s: str) -> Symbol | None:
    """The symbol written in ``s`` ("Số 40 - KH/ĐUK" → 40-KH/ĐUK), or None."""
    found = find_symbols(s)
    return found[0] if found else None


def normalise_symbol(s: str) -> str | None:
    """``"21- KL/TW"`` → ``"21-KL/TW"``; None when ``s`` holds no symbol."""
    sym = parse_symbol(s)
    return sym.text if sym else None


def make_key(base_key: str, date: str | None = None, year: int | None = None) -> str:
    """``<base>@<YYYY-MM-DD>``, else ``@<YYYY>`` when only the year is known, else ``<base>``."""
    if date:
        return f"{base_key}@{date}"
    if year:
        return f"{base_key}@{year}"
    return base_key


def key_of(symbol: str, date: str | None = None) -> str:
    """The key of a written symbol and an ISO date: ``("05-CT/TW", "2016-05-15")`` →
    ``5-CT/TW@2016-05-15``. A string that is no symbol is returned trimmed."""
    sym = parse_symbol(symbol)
    return make_key(sym.base_key if sym else symbol.strip(), date)


__all__ = [
    "PARTY_RE", "STATE_RE", "Symbol", "find_symbols", "key_of", "make_key", "norm_code",
    "normalise_symbol", "parse_symbol",
]  # fmt: skip
