"""Word automatic numbering: the "I.", "1.", "a)" that Word draws but does not store.

A paragraph in an automatic list holds only its words; the number comes from
``word/numbering.xml``. Plans number their parts this way ("I. MỤC ĐÍCH, YÊU CẦU",
"Điều 1."), and section and assignment extraction need those numbers, so the docx reader
asks :class:`Numbering` for each paragraph's label and puts it in front of the text.
Counters are kept per list (``numId``); a level's counter restarts when a higher level
moves on. Bullets become ``-``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _val(el: etree._Element | None, default: str = "") -> str:
    if el is None:
        return default
    return el.get(_w("val"), default)


@dataclass(frozen=True)
class _Level:
    fmt: str  # decimal, upperRoman, lowerLetter, bullet, ...
    text: str  # "%1.", "%1.%2)", ...
    start: int


@dataclass
class Numbering:
    """Labels for numbered paragraphs, in document order (stateful: call once per paragraph)."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId → ilvl → level
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    styles: dict[str, tuple[str, int]] = field(default_factory=dict)  # styleId → (numId, ilvl)

    @classmethod
    def from_xml(cls, blob: bytes | None, styles_blob: bytes | None = None) -> Numbering:
        """Parse ``word/numbering.xml`` and ``word/styles.xml`` (missing/bad XML: no numbering)."""
        root = _parse(blob)
        if root is None:
            return cls()
        abstract: dict[str, dict[int, _Level]] = {}
        for a in root.iterchildren(_w("abstractNum")):
            abstract[a.get(_w("abstractNumId"), "")] = {
                int(lvl.get(_w("ilvl"), "0")): _level(lvl) for lvl in a.iterchildren(_w("lvl"))
            }
        levels: dict[str, dict[int, _Level]] = {}
        for num in root.iterchildren(_w("num")):
            base = dict(abstract.get(_val(num.find(_w("abstractNumId"))), {}))
            for override in num.iterchildren(_w("lvlOverride")):
                ilvl = int(override.get(_w("ilvl"), "0"))
                lvl = override.find(_w("lvl"))
                if lvl is not None:
                    base[ilvl] = _level(lvl)
                start = override.find(_w("startOverride"))
                if start is not None and ilvl in base:
                    b = base[ilvl]
                    base[ilvl] = _Level(b.fmt, b.text, _int(_val(start), b.start))
            levels[num.get(_w("numId"), "")] = base
        return cls(levels=levels, styles=_style_numbers(_parse(styles_blob)))

    def label(self, p: etree._Element) -> str:
        """The label Word shows before paragraph ``p`` ("" when it is not numbered)."""
        num_pr = p.find(f"{_w('pPr')}/{_w('numPr')}")
        style = _val(p.find(f"{_w('pPr')}/{_w('pStyle')}"))
        if num_pr is not None and num_pr.find(_w("numId")) is not None:
            num_id = _val(num_pr.find(_w("numId")), "0")
            ilvl = _int(_val(num_pr.find(_w("ilvl")), "0"), 0)
        elif style in self.styles:
            num_id, ilvl = self.styles[style]
            if num_pr is not None and num_pr.find(_w("ilvl")) is not None:
                ilvl = _int(_val(num_pr.find(_w("ilvl")), "0"), 0)
        else:
            return ""
        lvls = self.levels.get(num_id)
        if num_id == "0" or not lvls or ilvl not in lvls:
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, lvls[ilvl].start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        level = lvls[ilvl]
        if level.fmt == "bullet":
            return "- "
        if level.fmt == "none":
            return ""
        text = level.text
        for k in range(ilvl, -1, -1):
            if f"%{k + 1}" in text and k in lvls:
                n = counters.get(k, lvls[k].start)
                text = text.replace(f"%{k + 1}", _format(n, lvls[k].fmt))
        return text + " " if text else ""


def _parse(blob: bytes | None) -> etree._Element | None:
    if not blob:
        return None
    try:
        return etree.fromstring(blob)
    except etree.XMLSyntaxError:
        return None


def _style_numbers(root: etree._Element | None) -> dict[str, tuple[str, int]]:
    """Paragraph styles that number their paragraphs (following ``basedOn``)."""
    if root is None:
        return {}
    own: dict[str, tuple[str, int] | None] = {}
    based: dict[str, str] = {}
    for st in root.iterchildren(_w("style")):
        sid = st.get(_w("styleId"), "")
        num_pr = st.find(f"{_w('pPr')}/{_w('numPr')}")
        if num_pr is not None and num_pr.find(_w("numId")) is not None:
            own[sid] = (_val(num_pr.find(_w("numId"))), _int(_val(num_pr.find(_w("ilvl")), "0"), 0))
        parent = st.find(_w("basedOn"))
        if parent is not None:
            based[sid] = _val(parent)
    out: dict[str, tuple[str, int]] = {}
    for sid in set(own) | set(based):
        cur, seen = sid, set()
        while cur and cur not in own and cur not in seen:
            seen.add(cur)
            cur = based.get(cur, "")
        if cur in own and own[cur] is not None:
            out[sid] = own[cur]  # type: ignore[assignment]
    return out


def _level(lvl: etree._Element) -> _Level:
    return _Level(
        fmt=_val(lvl.find(_w("numFmt")), "decimal"),
        text=_val(lvl.find(_w("lvlText")), ""),
        start=_int(_val(lvl.find(_w("start")), "1"), 1),
    )


def _int(s: str, default: int) -> int:
    try:
        return int(s)
    except ValueError:
        return default


_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip


def _roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    # Word: a..z, then aa..zz, ...
    n = max(1, n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format(n: int, fmt: str) -> str:
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


__all__ = ["Numbering"]
