"""Mask e-mail addresses and phone numbers in the evidence stored in the analyst tables.

Plans name contact people ("qua Email: ...@gmail.com", "ĐT: 0912.345.678"). The tables
keep evidence sentences so an analyst can check a fact, but a contact detail is never
that evidence, so it is masked as ``[email]`` / ``[phone]`` where rows are built
(``pipeline.store.document_rows``). The normalised text itself is stored (``texts``) with
contact details overwritten at the same length (:func:`mask_in_place`), so offsets still
point into it.

Phone numbers: Vietnamese mobile and landline numbers as written in documents: ``0xx``
(10 or 11 digits), ``+84``/``(+84)``/``0084`` followed by 9 or 10 digits, with spaces,
dots, dashes or a bracketed area code between the groups. Dates, symbols (``05-KH/TU``)
and money (``1.000.000 đồng``) are left alone: they do not start with 0/+84 or have too
few digits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

EMAIL_MASK = "[email]"
PHONE_MASK = "[phone]"

_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,24}(?![\w-])",
)
# A candidate: a prefix (+84, 0084, (0xx), 0) then digits with single separators; the
# digit count decides (see _is_phone). Separators never include a line break.
_PHONE = re.compile(
    r"(?<![\w/.,+-])"
    r"(?:\(\+?84\)|\+\s?84|0084|\(0\d{1,4}\)|0)"
    r"(?:[ .\-]?\(?\d\)?)+"
    r"(?![\w/]|[.,]\d)"
)
# The columns of the per-file tables that quote document text.
TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("title", "recipients"),
    "citations": ("mention_text", "sentence"),
    "deadlines": ("text", "sentence"),
    "numbers": ("text", "sentence"),
    "assignments": ("task", "deadline", "sentence"),
}


def _is_phone(candidate: str) -> bool:
    groups = re.findall(r"\d+", candidate)
    if max(len(g) for g in groups) < 3:  # "01 02 03 04 05" is a list of numbers
        return False
    digits = "".join(groups)
    if digits.startswith("0084"):
        return 9 <= len(digits) - 4 <= 10
    if candidate.lstrip("(+ ").startswith("84"):
        return 9 <= len(digits) - 2 <= 10
    return digits.startswith("0") and 10 <= len(digits) <= 11


def find_personal(text: str) -> list[tuple[int, int, str]]:
    """Spans of e-mail addresses and phone numbers: ``(start, end, "email"|"phone")``."""
    spans = [(m.start(), m.end(), "email") for m in _EMAIL.finditer(text)]
    for m in _PHONE.finditer(text):
        if _is_phone(m.group()) and not any(s < m.end() and m.start() < e for s, e, _ in spans):
            spans.append((m.start(), m.end(), "phone"))
    return sorted(spans)


def redact(text: str) -> str:
    """``text`` with every e-mail address → ``[email]`` and phone number → ``[phone]``."""
    if not text or ("@" not in text and not any(c.isdigit() for c in text)):
        return text
    parts: list[str] = []
    pos = 0
    for start, end, kind in find_personal(text):
        parts.append(text[pos:start])
        parts.append(EMAIL_MASK if kind == "email" else PHONE_MASK)
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def mask_in_place(text: str, fill: str = "•") -> str:
    """``text`` with every e-mail address and phone number overwritten by ``fill``
    characters of the same length, so that offsets into the text still hold (the stored
    text behind the pages that highlight facts at their offsets)."""
    if not text or ("@" not in text and not any(c.isdigit() for c in text)):
        return text
    chars = list(text)
    for start, end, _ in find_personal(text):
        chars[start:end] = fill * (end - start)
    return "".join(chars)


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, (list, tuple)):
        return [_redact_value(v) for v in value]
    return value


def redact_rows(rows: Mapping[str, Sequence[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Per-table rows (``document_rows``' output) with :data:`TEXT_COLUMNS` redacted."""
    out: dict[str, list[dict[str, Any]]] = {}
    for table, table_rows in rows.items():
        cols: Iterable[str] = TEXT_COLUMNS.get(table, ())
        out[table] = [
            {k: (_redact_value(v) if k in cols else v) for k, v in row.items()} for row in table_rows
        ]
    return out


__all__ = ["EMAIL_MASK", "PHONE_MASK", "TEXT_COLUMNS", "find_personal", "mask_in_place", "redact", "redact_rows"]
