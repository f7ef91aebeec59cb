"""The signer and the "Nơi nhận" (recipients) list, each read from its zone.

Vietnamese documents close with "Nơi nhận:" and its "- ..." lines on the left and the
signature on the right: authority lines ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "TL. BỘ
TRƯỞNG"), the signer's position ("PHÓ CHỦ TỊCH") and name. The structure stage has put
each piece of the closing in the recipients zone or the signature zone, whether the two
columns came as a layout table, one after the other, or run together line by line; here
the signer is read from the signature's lines and the list from the recipients' lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.extract.text import squash
from pipeline.models import Signer, Table
from pipeline.structure import Structure, structure_of_text
from pipeline.structure.cues import authority_end, clean, is_position, is_upper, name_in

_NOI_NHAN = re.compile(r"^\W{0,3}N[ơo]i\s+nh[ậa]n\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
_ITEM = re.compile(r"^\s*[-+•–—~]+\s*")
_REPORT_MARK = re.compile(r"\s*\((?:để\s+)?(?:báo cáo|b/c)\)\s*", re.IGNORECASE)
_TRAIL = re.compile(r"[\s,;:.]*(?:\./\.)?[\s,;:.]*$")
_SIGNED = re.compile(r"^\(?\s*(?:đã\s+ký|ký\s+tên|ký|signed)\b", re.IGNORECASE)


def _clean_item(s: str) -> str:
    s = _ITEM.sub("", s, count=1)
    s = _REPORT_MARK.sub(" ", s)
    return squash(_TRAIL.sub("", s))


def recipients_from_lines(lines: Sequence[str]) -> tuple[str, ...]:
    """The "Nơi nhận" list from its lines: one entry a "- " item (a wrapped item joined,
    several items on one line split), markers and "(để báo cáo)" removed."""
    items: list[str] = []
    closed = True  # the last item ended (";", "." or "./.")
    for raw in lines:
        line = clean(raw).strip()
        m = _NOI_NHAN.match(line)
        if m:
            line = m.group("rest").strip()
        for part in re.split(r"(?<=[;,.:])\s+(?=[-+•~]\s)", line):
            part = part.strip()
            if not part:
                continue
            if _ITEM.match(part) or not items or closed:
                items.append(part)
            else:
                items[-1] = f"{items[-1]} {part}"  # a wrapped item
            closed = bool(re.search(r"(?:[;.]|\./\.)\s*$", part))
    return tuple(x for x in (_clean_item(s) for s in items) if sum(c.isalpha() for c in x) >= 2)


def signer_from_lines(lines: Sequence[str]) -> Signer | None:
    """The signer from the signature's lines: authority mark(s), position, name.

    With both a TM. and a KT. line ("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH") the
    first, the body signed for, is ``on_behalf`` (as the golds record it); a KT. line alone
    ("K/T TRƯỞNG BAN") is ``on_behalf`` itself. A position cut after "PHÓ" goes on on the
    next line.
    """
    texts = [squash(clean(x)) for x in lines]
    texts = [t for t in texts if t]
    on_behalf = position = name = None
    k = next((i for i, t in enumerate(texts) if authority_end(t) is not None), None)
    if k is not None:
        on_behalf = texts[k]
        k += 1
        while k < len(texts) and authority_end(texts[k]) is not None:
            k += 1
        if k + 1 < len(texts) and k == 1 + next(i for i, t in enumerate(texts) if t == on_behalf):
            if is_upper(texts[k], 0.85) and not is_position(texts[k]) and is_position(texts[k + 1]):
                on_behalf = f"{on_behalf} {texts[k]}"  # "K/T CHÁNH" / "VĂN PHÒNG": the mark's line wrapped
                k += 1
    else:
        k = next((i for i, t in enumerate(texts) if is_position(t)), 0)
    for n, t in enumerate(texts[k : k + 10], start=k):
        if position is None and is_upper(t, 0.85) and (is_position(t) or on_behalf) and len(t) < 70 and not name_in(t):
            position = t
            if re.search(r"\bPHÓ$", t) and n + 1 < len(texts) and is_upper(texts[n + 1]):
                position = f"{t} {texts[n + 1]}"
            continue
        if _SIGNED.match(t):
            continue
        found = name_in(t)
        if found:
            name = found
            break
    if on_behalf is None and position is None and name is None:
        return None
    return Signer(on_behalf=on_behalf, position=position, name=name)


def find_recipients(text: str, tables_: Sequence[Table] = (), structure: Structure | None = None) -> tuple[str, ...]:
    """The "Nơi nhận" list of ``text`` (its zones found here when ``structure`` is not given)."""
    st = structure if structure is not None else structure_of_text(text, tables_)
    return recipients_from_lines([ln.text for ln in st.recipients()])


def find_signer(text: str, tables_: Sequence[Table] = (), structure: Structure | None = None) -> Signer | None:
    """The signer of ``text``: authority line (TM., KT., TL.), position and name; None if unsigned."""
    st = structure if structure is not None else structure_of_text(text, tables_)
    return signer_from_lines([ln.text for ln in st.lines_of("signature")])


__all__ = ["find_recipients", "find_signer", "recipients_from_lines", "signer_from_lines"]
