"""A name read from capitals (or from a scan), spelt the way the document's own running
text writes it.

Header lines are printed in capitals, so their case is lost ("SỞ CÔNG THƯƠNG" could be
"Sở Công thương" or "Sở Công Thương"), and a scan may misread a mark ("LÂM ĐÔNG"). The
running text usually names the same body or place in ordinary case; matched on the
skeleton (marks dropped, so the misread mark does not matter), the longest stretch of the
name that the text writes with a capital is taken over as the text writes it.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from pipeline.structure.skeleton import skeleton


@lru_cache(maxsize=8)
def _skeleton_of(text: str) -> str:
    return skeleton(text)


def as_written(name: str, text: str) -> str:
    """``name`` with each stretch of two words or more spelt as ``text`` writes it in
    ordinary case (a capitalised, not all-capital occurrence); the first letter stays a
    capital."""
    words = name.split()
    if len(words) < 2 or not text:
        return name
    sk = _skeleton_of(text)
    out: list[str] = []
    i = 0
    while i < len(words):
        for j in range(len(words), i + 1, -1):
            found = _written(words[i:j], text, sk)
            if found:
                out += found.split()
                i = j
                break
        else:
            out.append(words[i])
            i += 1
    res = " ".join(out)
    return res[:1].upper() + res[1:]


def _written(phrase: list[str], text: str, sk: str) -> str | None:
    """How ``text`` writes ``phrase`` most often in ordinary case, where that is more often
    than ``phrase`` itself; a spelling that differs only in case must be seen twice."""
    rx = r"(?<![A-Z0-9])" + r"\s+".join(re.escape(skeleton(w)) for w in phrase) + r"(?![A-Z0-9])"
    seen: Counter[str] = Counter()
    for m in re.finditer(rx, sk):
        cand = " ".join(text[m.start() : m.end()].split())
        if cand[:1].isupper() and not cand.isupper():
            seen[cand] += 1
    if not seen:
        return None
    ours = " ".join(phrase)
    best, count = seen.most_common(1)[0]
    if seen[ours] >= count:
        return ours
    if best.lower() == ours.lower() and count < 2:
        return None
    return best


__all__ = ["as_written"]
