"""A labelled part of a line: what the zoner's stages hand to the assembly of zones."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from pipeline.structure.lines import TextLine, cut


@dataclass(frozen=True)
class Part:
    """``line`` (or a column's part of it) labelled with a zone kind ("" = no zone)."""

    line: TextLine
    kind: str
    label: str = ""  # heading/item label as printed
    level: int = -1  # heading/item level (structure.cues.Label.level)
    group: int = -1  # parts of one group (a paragraph, a clause) make one zone


_LETTER = re.compile(r"\w")

# A finder returns where, inside a line, another column or another part begins (or None).
Finder = Callable[[str], "int | None"]


def split_at(line: TextLine, finders: tuple[Finder, ...]) -> list[TextLine]:
    """``line`` cut before every place a finder points at (the part before it must hold a
    letter or a digit: a marker at the very start cuts nothing)."""
    out: list[TextLine] = []
    rest = line
    for _ in range(6):
        cuts = [c for f in finders if (c := f(rest.text)) is not None and 0 < c < len(rest.text)]
        cuts = [c for c in cuts if _LETTER.search(rest.text, 0, c)]
        if not cuts:
            break
        at = min(cuts)
        out.append(cut(rest, 0, at))
        rest = cut(rest, at, len(rest.text))
    out.append(rest)
    out = [p for p in out if p.text]
    if len(out) > 1 and line.column == 0:  # side by side: the first part is the left column
        out = [replace(p, column=1 if n == 0 else 2) for n, p in enumerate(out)]
    return out


__all__ = ["Finder", "Part", "split_at"]
