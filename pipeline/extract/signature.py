"""The signature block and the "Nơi nhận" (recipients) list at the end of a document.

Vietnamese documents close with "Nơi nhận:" and its "- ..." lines on the left and the
signature on the right: an authority line ("T/M BAN THƯỜNG VỤ", "K/T TRƯỞNG BAN",
"TM. TIỂU BAN"), the signer's position ("PHÓ BÍ THƯ") and name. Readers give the two
columns either as lines one after the other or as a layout table; ``layout_lines``
unfolds both into lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from pipeline.extract.patterns import UPPER, load
from pipeline.extract.text import layout_lines, squash
from pipeline.models import Signer, Table

_NOI_NHAN = re.compile(r"^\W{0,3}N[ơo]i\s+nh[ậa]n\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
_ITEM = re.compile(r"^\s*[-+•–—]\s*")
_ON_BEHALF = re.compile(r"^\W{0,3}(?P<m>T/M|TM\s*\.|TM\b|K/T|KT\s*\.|KT\b|Q/|Q\.|TL\s*\.|T/L|TUQ\s*\.|TUQ\b|Q\s*\.)\s*\S", re.IGNORECASE)
_POSITION = re.compile(
    r"^(?:PHÓ\s+)?(?:BÍ THƯ|CHỦ TỊCH|TRƯỞNG BAN|TRƯỞNG TIỂU BAN|CHÁNH VĂN PHÒNG|GIÁM ĐỐC|THỦ TRƯỞNG|"
    r"TRƯỞNG PHÒNG|TỔ TRƯỞNG|BỘ TRƯỞNG|THỦ TƯỚNG|CHỦ NHIỆM|TRƯỞNG ĐOÀN|ỦY VIÊN|UỶ VIÊN|THƯỜNG TRỰC|"
    r"TRƯỞNG|PHÓ TRƯỞNG)\b"
)
_POSITION_TAIL = re.compile(r"[\s,]+(?:PHÓ|TRƯỞNG BAN|BÍ THƯ|CHỦ TỊCH|PHÓ BÍ THƯ|PHÓ TRƯỞNG BAN|PHÓ CHỦ TỊCH)\s*$")
_NOT_NAME = re.compile(r"đã ký|\bký\b|signed|\[|\(|^\W*$|^Số\b|^Nơi", re.IGNORECASE)
_NAME = re.compile(rf"^(?:[{UPPER}][^\W\d_]*)(?:\s+[{UPPER}][^\W\d_]*){{1,5}}$")


@lru_cache(maxsize=1)
def _rank() -> re.Pattern[str]:
    """A military or police rank before the name ("Đại tá Trần Minh Quang"), from ranks.json."""
    words = sorted(load("ranks")["ranks"], key=len, reverse=True)
    return re.compile(r"^(?:" + "|".join(re.escape(w) for w in words) + r")\s+(?=\S)")


def _is_name(candidate: str) -> bool:
    """A personal name, maybe after a rank ("Đại tá Trần Minh Quang" keeps its rank)."""
    rank = _rank().match(candidate)
    return bool(_NAME.match(candidate[rank.end() :] if rank else candidate))


# A second signature column run into the name line: "Tăng Chí Thượng GIÁM ĐỐC".
_NEXT_COLUMN = re.compile(rf"\s+(?={_POSITION.pattern[1:]})")


def _without_next_column(line: str) -> str:
    m = _NEXT_COLUMN.search(line)
    return line[: m.start()] if m and line[m.end() :].isupper() else line

_REPORT_MARK = re.compile(r"\s*\((?:để\s+)?(?:báo cáo|b/c)\)\s*", re.IGNORECASE)
_TRAIL = re.compile(r"[\s,;:.]*(?:\./\.)?[\s,;:.]*$")


def _clean_item(s: str) -> str:
    s = _ITEM.sub("", s, count=1)
    s = _POSITION_TAIL.sub("", s)  # "- Ban Bí thư (để báo cáo), PHÓ": the signature column ran in
    s = _REPORT_MARK.sub(" ", s)
    return squash(_TRAIL.sub("", s))


def _lines(text: str, tables_: Sequence[Table]) -> list[str]:
    return list(_tail_lines(text, tuple(tables_)))


@lru_cache(maxsize=16)
def _tail_lines(text: str, tables_: tuple[Table, ...]) -> tuple[str, ...]:
    return tuple(squash(line.replace("**", " ")) for _, line in layout_lines(text, tables_))


def find_recipients(text: str, tables_: Sequence[Table] = ()) -> tuple[str, ...]:
    """The "Nơi nhận" list, one entry a line, markers and "(để báo cáo)" removed."""
    lines = _lines(text, tables_)
    starts = [i for i, line in enumerate(lines) if _NOI_NHAN.match(line)]
    if not starts:
        return ()
    i = starts[-1]
    items: list[str] = []
    rest = _NOI_NHAN.match(lines[i]).group("rest")  # type: ignore[union-attr]
    pending = [rest] if rest.strip() and not _ON_BEHALF.match(rest) else []
    pending += lines[i + 1 : i + 60]
    blank = 0
    last_closed = False
    for line in pending:
        for part in (p for p in re.split(r"(?<=[;,.])\s+(?=[-+•]\s)", line) if p is not None):
            if not part.strip():
                blank += 1
                if blank >= 2 and items:
                    return tuple(x for x in (_clean_item(s) for s in items) if x)
                continue
            if items and part.isupper() and _POSITION.match(part.strip()):
                continue  # the signature column interleaved with the list (PDF text layers)
            dashless = not items and not _ON_BEHALF.match(part) and not part.isupper() and len(part) < 150
            if _ITEM.match(part) or dashless or (items and not _ITEM.match(items[0])):
                if items and not _ITEM.match(items[0]) and (_ON_BEHALF.match(part) or part.isupper()):
                    break  # a list written without dashes ends at the signature
                items.append(part)
                blank = 0
                last_closed = part.rstrip().endswith("./.")
                continue
            wrapped = items and not items[-1].rstrip().endswith((";", ".", ":"))
            if wrapped and not last_closed and blank == 0 and not _ON_BEHALF.match(part) and not part.isupper():
                items[-1] = f"{items[-1]} {part.strip()}"  # a wrapped item
                continue
            if items:
                return tuple(x for x in (_clean_item(s) for s in items) if x)
    return tuple(x for x in (_clean_item(s) for s in items) if x)


def find_signer(text: str, tables_: Sequence[Table] = ()) -> Signer | None:
    """The signer: authority line (T/M, K/T, TM.), position and name; None if unsigned.

    With both a T/M and a K/T line ("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH") the
    first, the body the deputy signs for, is ``on_behalf`` (as the golds record it); a K/T
    line alone ("K/T TRƯỞNG BAN") is ``on_behalf`` itself.
    """
    lines = [line for line in _lines(text, tables_)]
    nn = [i for i, line in enumerate(lines) if _NOI_NHAN.match(line)]
    region = range(nn[-1], min(len(lines), nn[-1] + 80)) if nn else range(max(0, len(lines) - 60), len(lines))
    on_behalf = position = name = None
    k = None
    for i in region:
        line = lines[i]
        nn_rest = _NOI_NHAN.match(line)
        if nn_rest:  # "Nơi nhận: K/T TRƯỞNG BAN": the columns run together
            line = nn_rest.group("rest").strip()
        if _ON_BEHALF.match(line) and line.upper() == line:
            on_behalf, k = line, i + 1
            while k < len(lines) and _ON_BEHALF.match(lines[k]) and lines[k].upper() == lines[k]:
                k += 1  # "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH": the body signed for is the T/M line
            break
    if k is None:
        for i in region:
            if _POSITION.match(lines[i]) and lines[i].upper() == lines[i] and len(lines[i]) < 60:
                k = i
                break
    if k is None:
        return None
    for line in [x for x in lines[k : k + 40] if x][:8]:
        if position is None and line.upper() == line and _POSITION.match(line):
            position = line
            continue
        if position is None and on_behalf and line.upper() == line and len(line) < 60:
            position = line
            continue
        if _NOT_NAME.search(line):
            continue
        candidate = line.title() if line.isupper() else _without_next_column(line)
        if _is_name(candidate):
            name = candidate
            break
    if position is None and name is None:
        return None
    return Signer(on_behalf=on_behalf, position=position, name=name)


__all__ = ["find_recipients", "find_signer"]
