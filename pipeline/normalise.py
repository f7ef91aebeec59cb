"""Vietnamese text normalisation that keeps a map back to the reader's raw text.

Every reader's text goes through :func:`normalise` before extraction, so that the same
words are spelt with the same code points whatever the source format. The normalised
form is:

- line ends ``\\r\\n`` / ``\\r`` → ``\\n``; zero-width characters (ZWSP, ZWNJ, ZWJ, BOM,
  soft hyphen) removed; non-breaking and other fixed-width spaces → a plain space;
- ``Ð`` (U+00D0, Icelandic eth, which Tesseract and some fonts emit) → ``Đ`` (U+0110),
  ``ð`` → ``đ``, ``Ɖ`` (U+0189) → ``Đ``; the pair ``ĐÐ``/``ÐĐ`` (Tesseract's doubled
  reading of one glyph) → one ``Đ``;
- Unicode NFC, after putting the marks of each letter in Vietnamese order (shape mark
  ``̂ ̆ ̛`` before tone mark), so decomposed text (Windows-1258, macOS, some PDFs) and
  oddly-ordered marks compose to the one precomposed letter (``ê`` + ``́`` → ``ế``);
- the *placement* of the tone mark between letters is kept as written (``hoá`` and
  ``hóa``, ``uỷ`` and ``ủy`` are both correct spellings, and gold titles and evidence
  quote the source): :func:`fold_tones` maps the old style to the new one for matching,
  with the same length so that offsets still hold;
- spacing in dates repaired: ``ngày 03tháng 3năm 2022`` → ``ngày 03 tháng 3 năm 2022``;
- a document symbol split by a line break re-joined: ``21-\\nKL/TW``, ``21-KL/\\nTW``,
  ``215/\\nKH-UBND`` → ``45-KL/TW``, ``215/KH-UBND``.

Nothing else changes: spaces inside symbols (``40 - KH/ĐUK``), dashes, quotes, tabs and
indentation stay as written (the extractor normalises symbols itself).

``normalise(raw)`` returns ``(text, offsets)`` with ``offsets[i]`` the index in ``raw``
of ``text[i]`` (an inserted space maps to the character it was inserted before).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Sequence

Offsets = tuple[int, ...]

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_SPACES = "\u00a0\u2007\u202f\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f\u3000"
_CHAR_MAP = {ord(c): None for c in _ZERO_WIDTH}
_CHAR_MAP.update({ord(c): " " for c in _SPACES})
_CHAR_MAP.update({0x00D0: "Đ", 0x00F0: "đ", 0x0189: "Đ"})

# Tesseract sometimes emits both candidates for one "Đ" glyph: "QĐÐ/TU".
_DOUBLED_D = re.compile("Đ\u00d0|\u00d0Đ|đ\u00f0|\u00f0đ")

# Shape marks (circumflex, breve, horn) come before the tone mark in a Vietnamese letter.
_SHAPE_MARKS = {"\u0302", "\u0306", "\u031b"}

# Letters carrying a tone mark, old style ("hoá", "uỷ") → new style ("hóa", "ủy"), for
# the pairs oa, oe, uy at the end of a syllable.
_TONES = {
    "a": "áàảãạ", "e": "éèẻẽẹ", "y": "ýỳỷỹỵ",
    "o": "óòỏõọ", "u": "úùủũụ",
}  # fmt: skip


def _fold_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for k in range(5):
            for up1, up2 in ((False, False), (True, False), (True, True)):
                f = first.upper() if up1 else first
                old_second = _TONES[second][k].upper() if up2 else _TONES[second][k]
                new_first = _TONES[first][k].upper() if up1 else _TONES[first][k]
                s = second.upper() if up2 else second
                table[f + old_second] = new_first + s
    return table


_FOLD = _fold_table()
# The pairs of the table, as a class per first letter: a pattern that opens with a class
# is found by ``re``'s fast scan (a leading look-behind or alternation turns it off).
# The class also admits pairs the table lacks ("oÁ"): they are put back unchanged.
_FOLD_RE = re.compile(
    "("
    + "|".join(
        f"[{first}{first.upper()}][{''.join(sorted({k[1] for k in _FOLD if k[0].lower() == first}))}]" for first in "ou"
    )
    + r")(?<![qQ]..)(?![^\W\d_])"
)

_DATE_WORD = r"(?:[Nn]gày|[Tt]háng|[Nn]ăm|NGÀY|THÁNG|NĂM)"
# "03tháng", "3năm" / "ngày03", "năm2022": insert the missing space.
_DIGIT_WORD = re.compile(r"(?<=\d)(?=" + _DATE_WORD + r"(?![^\W\d_]))")
_WORD_DIGIT = re.compile(r"(?<![^\W\d_])" + _DATE_WORD + r"(?=\d)")

_CODE = r"[A-ZĐ][A-Za-zĐđ]{0,9}"
# A line break inside a symbol: the break (with the spaces around it) is group "br".
_SPLIT_SYMBOL = re.compile(
    r"(?:"
    rf"(?<![\w/])\d{{1,5}}[ \t]?[-–](?P<b1>[ \t]*\n[ \t]*)(?={_CODE}[ \t]?/)"  # 21-\nKL/TW
    rf"|(?<![\w/])\d{{1,5}}[ \t]?[-–][ \t]?{_CODE}/(?P<b2>[ \t]*\n[ \t]*)(?={_CODE}(?![^\W\d_]))"  # 21-KL/\nTW
    rf"|(?<![\w/])\d{{1,5}}/(?:\d{{4}}/)?(?P<b3>[ \t]*\n[ \t]*)(?={_CODE}-)"  # 215/\nKH-UBND
    rf"|(?<![\w/])\d{{1,5}}/(?:\d{{4}}/)?{_CODE}-(?P<b4>[ \t]*\n[ \t]*)(?={_CODE}(?![^\W\d_]))"  # 215/KH-\nUBND
    r")"
)


def normalise(raw: str) -> tuple[str, Offsets]:
    """Normalise reader text (see the module docstring) and map it back to ``raw``.

    Args:
        raw: text as a reader produced it.

    Returns:
        ``(text, offsets)``: the normalised text and, for each of its characters, the
        index in ``raw`` it comes from.

    Example:
        >>> normalise("Số 21-\\nKL/TW, ngày 03tháng 3năm 2022")[0]
        'Số 45-KL/TW, ngày 03 tháng 3 năm 2022'
    """
    text, offs = _line_ends(raw)
    if "\u00d0" in text or "\u00f0" in text:
        text, offs = _edit(text, offs, _DOUBLED_D, lambda m: m.group(0)[0] if m.group(0)[0] in "Đđ" else m.group(0)[1])
    text, offs = _map_chars(text, offs)
    text, offs = _compose(text, offs)
    text, offs = _edit(text, offs, _DIGIT_WORD, lambda m: " ")
    text, offs = _edit(text, offs, _WORD_DIGIT, lambda m: m.group(0) + " ")
    text, offs = _rejoin_symbols(text, offs)
    return text, offs


def normalise_text(raw: str) -> str:
    """:func:`normalise` without the offsets."""
    return normalise(raw)[0]


def fold_tones(text: str) -> str:
    """Move old-style tone marks to the new-style letter: ``hoá`` → ``hóa``, ``uỷ`` → ``ủy``.

    For matching names and titles whatever style the writer used; same length as the
    input, so offsets stay valid. ``qu`` + ``y`` (``quý``) is left alone.
    """
    if _FOLD_RE.search(text) is None:  # most words and lines: nothing to move
        return text
    return _FOLD_RE.sub(lambda m: _FOLD.get(m.group(1), m.group(1)), text)


def to_normalised(offsets: Sequence[int], raw_index: int) -> int:
    """The offset in the normalised text of the first character at or after ``raw_index``."""
    return bisect_left(offsets, raw_index)


# ----------------------------------------------------------------------------- passes


def _line_ends(raw: str) -> tuple[str, Offsets]:
    if "\r" not in raw:
        return raw, tuple(range(len(raw)))
    chars: list[str] = []
    offs: list[int] = []
    i = 0
    while i < len(raw):
        c = raw[i]
        if c == "\r":
            chars.append("\n")
            offs.append(i)
            if i + 1 < len(raw) and raw[i + 1] == "\n":
                i += 1
        else:
            chars.append(c)
            offs.append(i)
        i += 1
    return "".join(chars), tuple(offs)


def _map_chars(text: str, offs: Offsets) -> tuple[str, Offsets]:
    if not any(ord(c) in _CHAR_MAP for c in set(text)):
        return text, offs
    chars: list[str] = []
    new: list[int] = []
    for c, o in zip(text, offs):
        r = _CHAR_MAP.get(ord(c), c)
        if r:
            chars.append(r)
            new.append(o)
    return "".join(chars), tuple(new)


def _compose(text: str, offs: Offsets) -> tuple[str, Offsets]:
    """NFC per letter (base + its combining marks), marks put in Vietnamese order first."""
    if unicodedata.is_normalized("NFC", text) and not any(
        unicodedata.combining(c) for c in set(text)
    ):
        return text, offs
    chars: list[str] = []
    new: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = text[i:j]
        if j - i > 1:  # every mark, the base's own too ("à" + "̣"), shape marks first: the same result again
            cluster = unicodedata.normalize("NFD", cluster)
            k = 0 if unicodedata.combining(cluster[0]) else 1
            cluster = cluster[:k] + "".join(sorted(cluster[k:], key=lambda m: 0 if m in _SHAPE_MARKS else 1))
        out = unicodedata.normalize("NFC", cluster)
        chars.append(out)
        new.extend([offs[i]] * len(out))
        i = j
    return "".join(chars), tuple(new)


def _edit(
    text: str, offs: Offsets, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str]
) -> tuple[str, Offsets]:
    """Replace each match by ``repl(match)``; new characters map to the match's start."""
    parts: list[str] = []
    new: list[int] = []
    last = 0
    for m in pattern.finditer(text):
        parts.append(text[last : m.start()])
        new.extend(offs[last : m.start()])
        r = repl(m)
        anchor = offs[m.start()] if m.start() < len(offs) else (offs[-1] + 1 if offs else 0)
        # Keep the offsets of characters that the replacement copies from the match.
        if r.startswith(m.group(0)):
            new.extend(offs[m.start() : m.end()])
            new.extend([offs[m.end()] if m.end() < len(offs) else anchor] * (len(r) - len(m.group(0))))
        else:
            new.extend([anchor] * len(r))
        parts.append(r)
        last = m.end()
    if not parts:
        return text, offs
    parts.append(text[last:])
    new.extend(offs[last:])
    return "".join(parts), tuple(new)


def _rejoin_symbols(text: str, offs: Offsets) -> tuple[str, Offsets]:
    if "\n" not in text:
        return text, offs
    cuts: list[tuple[int, int]] = []
    for m in _SPLIT_SYMBOL.finditer(text):
        for g in ("b1", "b2", "b3", "b4"):
            if m.group(g) is not None:
                cuts.append(m.span(g))
    if not cuts:
        return text, offs
    parts: list[str] = []
    new: list[int] = []
    last = 0
    for s, e in cuts:
        parts.append(text[last:s])
        new.extend(offs[last:s])
        last = e
    parts.append(text[last:])
    new.extend(offs[last:])
    return "".join(parts), tuple(new)


__all__ = ["Offsets", "fold_tones", "normalise", "normalise_text", "to_normalised"]
