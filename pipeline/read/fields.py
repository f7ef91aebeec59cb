"""The number ("Số: 4821 /BCA-C06") and the day ("ngày 23 tháng 11") of a scanned
header, read again from tight crops: they are often written by hand or stamped, and a
whole-page OCR reads "48" for "4821" or "03" for "23".

Each field's crop (the blank between "Số" and the symbol's code, between "ngày" and
"tháng", with room above and below for a hand that leaves the line) is enlarged and read
by Tesseract as digits in several ways (grey, three binarisations; one line or one
word). The readings vote, with the page OCR's own reading as one more vote:

- a value wins when at least ``MIN_VOTES`` readings agree on it and it has twice the votes
  of any other (a day must be 1..31);
- an e-signature's date on the page ("Thời gian ký: 16.12.2025", "SAO Y; …; 06/01/2026")
  is never taken as the date by itself, but when its month and year are the printed ones
  it confirms the reading of its day over the others, and a day after it is not taken;
  when its year is the printed one, it confirms a reading of its month likewise;
- where the vote leaves the field blank, the blank's ink is read by the hand-written
  digits' classifier (``digits``: the coloured ink of a colour scan, the dark pixels of a
  grey one); its day is taken when it is a day of the printed month (and not after an
  e-signature of that month), its number when Tesseract read that number too or the
  classifier is very sure of every digit (``HAND_NUMBER_SURE``: none of the real numbers
  our model was not trained on read that sure was wrong);
- a number Tesseract's vote chose is refused when the classifier reads a longer number
  that holds it (a hand-written digit lost into the print: "37" for "637");
- otherwise the field is left blank: a number that cannot be read with confidence is no
  number (the header then has no symbol or no date), never a wrong one.

A field printed clearly (every word of it sure, ``SURE`` or more) is left as read.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from PIL import Image, ImageOps

from pipeline.read import digits
from pipeline.read.assemble import RawBlock, RawLine, RawWord

SURE = 88.0  # Tesseract confidence of a printed number read right
UNSURE = 50.0  # a word read this unsure may hold the hand's digits
MIN_VOTES = 4
HAND_NUMBER_VOTES = 2  # Tesseract's readings a hand-read number must be among, unless it is surer than:
HAND_NUMBER_SURE = 0.95  # a hand-read number this sure (at each ink level that reads it) stands alone
HAND_DOUBT = 0.5  # a hand-read number this sure that holds more digits than the vote casts doubt on it
TOP = 0.4  # the header's share of the page height
_M = "[\u0300-\u036f]*"  # Tesseract may give a letter's marks as combining characters
_NUMBER = re.compile(rf"^\W{{0,2}}S[oóồốôơở0ÓỐÔ6]{_M}[ \t]*[:;.,]?")
_CODE = re.compile(r"[/\-–]\s*[A-ZĐ]|[A-ZĐ][A-Za-zĐ]+[-/]")
_DAY = re.compile(rf"[,.]\W{{0,2}}\bng[aà]{_M}y", re.IGNORECASE)  # the place-date line's: "Gia Lai, ngày"
_MONTH = re.compile(rf"th[aá]{_M}ng\b", re.IGNORECASE)
_YEAR = re.compile(rf"\S?[aă]{_M}m\s*\d{{4}}", re.IGNORECASE)  # "năm 2026", "»ăm 2026" (its n misread)
_MONTH_YEAR = re.compile(rf"th[aá]{_M}ng\s*(\d{{1,2}})\s*n[aă]{_M}m\s*(\d{{4}})", re.IGNORECASE)
# A signing or certifying stamp's date: "Thời gian ký: 13/11/2025", "SAO Y; ...; 06/01/2026; 16:42:26".
_ESIGN = re.compile(
    rf"(?:(?:Th[oơờ]{_M}i\s*gian\s*k[yý]{_M}|Ng[aà]{_M}y\s*k[yý]{_M})\W{{0,4}}|;\s*)(\d{{1,2}})[/.\-](\d{{1,2}})[/.\-](\d{{4}})",
    re.IGNORECASE,
)
# The same stamp's time written the ISO way: "Thời gian ký: 2024-03-04T09:15:00+07:00".
_ESIGN_ISO = re.compile(
    rf"(?:Th[oơờ]{_M}i\s*gian\s*k[yý]{_M}|Ng[aà]{_M}y\s*k[yý]{_M})\W{{0,4}}(\d{{4}})-(\d{{1,2}})-(\d{{1,2}})(?:[T\s]|$)",
    re.IGNORECASE,
)


def reread(
    im: Image.Image, blocks: tuple[RawBlock, ...], lang: str, path: str | None = None, colour: Image.Image | None = None
) -> tuple[RawBlock, ...]:
    """``blocks`` (one OCR'd page 1, ``im`` the image read, ``colour`` the same in colour
    when there is one) with the number, the day and a month not read as one read again,
    or left blank where they cannot be read with confidence."""
    text = "\n".join(ln.text for b in blocks for ln in b.lines)
    esign = _esign_dates(text)
    out = []
    for b in blocks:
        lines = []
        for ln in b.lines:
            if ln.bbox and ln.bbox[1] < TOP * im.height:
                number = _field(im, ln, "number", lang, esign, path, colour)
                if number is None:  # the place-date line: its month first, as the day must fit it
                    ln = _field(im, ln, "month", lang, esign, path, colour) or ln
                    ln = _field(im, ln, "day", lang, esign, path, colour) or ln
                else:
                    ln = number
            lines.append(ln)
        out.append(replace(b, lines=tuple(lines)))
    return tuple(out)


def _esign_dates(text: str) -> list[tuple[int, int, int]]:
    found = [*_ESIGN.findall(text), *((d, m, y) for y, m, d in _ESIGN_ISO.findall(text))]
    return [(int(d), int(m), int(y)) for d, m, y in found if 1 <= int(d) <= 31 and 1 <= int(m) <= 12]


def _span(ln: RawLine, kind: str) -> tuple[int, int] | None:
    """The field's characters in the line: after "Số:" up to the code, between "ngày" and
    "tháng", or (the month) between "tháng" and "năm"."""
    if kind == "number":
        m = _NUMBER.match(ln.text)
        if not m:
            return None
        code = _CODE.search(ln.text, m.end())
        return (m.end(), code.start()) if code else None
    m = _DAY.search(ln.text)
    if not m:
        return None
    month = _MONTH.search(ln.text, m.end())
    if not month or month.start() - m.end() > 12:
        return None
    if kind == "day":
        return m.end(), month.start()
    year = _YEAR.search(ln.text, month.end())
    return (month.end(), year.start()) if year and year.start() - month.end() <= 10 else None


def _into_unsure(ln: RawLine, a: int, b: int, x0: float, x1: float) -> tuple[float, float]:
    """The blank ``x0..x1`` widened over the unsure word just before ``a`` or just after ``b``."""
    for w in ln.words:
        if w.bbox is None or w.confidence >= UNSURE:
            continue
        if w.end <= a and not any(v.start >= w.end and v.end <= a for v in ln.words if v is not w):
            x0 = min(x0, w.bbox[0])
        if w.start >= b and not any(v.start >= b and v.end <= w.start for v in ln.words if v is not w):
            x1 = max(x1, w.bbox[2])
    return x0, x1


def _x_at(ln: RawLine, i: int) -> float | None:
    """The x of the line's character ``i``, from the box of the word it falls in (or the gap)."""
    for w in ln.words:
        if w.bbox and w.start <= i <= w.end:
            share = (i - w.start) / max(1, w.end - w.start)
            return w.bbox[0] + share * (w.bbox[2] - w.bbox[0])
    before = [w for w in ln.words if w.bbox and w.end <= i]
    after = [w for w in ln.words if w.bbox and w.start >= i]
    if before and after:
        return (before[-1].bbox[2] + after[0].bbox[0]) / 2  # type: ignore[index]
    return None


def _where(ln: RawLine, kind: str, height: int, colour: bool = False) -> tuple[int, int, tuple[int, int, int, int]] | None:
    """The field's characters ``a:b`` in the line and the box of its blank on the page
    (with room above and below for a hand that leaves the line); None when the line has no
    such field or it was printed and read surely.

    On a colour scan a blank narrower than the line is tall takes in a neighbour word that
    Tesseract read unsure: the hand's digits were read into it ("tháng" spanning "15
    tháng"), and the coloured ink alone is read there, not the word's black print."""
    span = _span(ln, kind)
    if span is None or ln.bbox is None:
        return None
    a, b = span
    inside = [w for w in ln.words if w.start < b and w.end > a]
    field = ln.text[a:b].strip()
    if field.isdigit() and inside and min(w.confidence for w in inside) >= SURE and (kind != "day" or 1 <= int(field) <= 31):
        return None  # printed, and read surely (a day past 31 is no day, however sure)
    x0, x1 = _x_at(ln, a), _x_at(ln, b)
    if x0 is None or x1 is None:
        return None
    within = [w.bbox for w in inside if w.bbox and a <= w.start and w.end <= b]  # a word's box may run over the field
    x0, x1 = min([x0, *(bx[0] for bx in within)]), max([x1, *(bx[2] for bx in within)])
    h = ln.bbox[3] - ln.bbox[1]
    if colour and x1 - x0 < 0.8 * h:
        x0, x1 = _into_unsure(ln, a, b, x0, x1)
    if x1 - x0 < 4:
        return None
    return a, b, (int(x0), int(max(0, ln.bbox[1] - 0.5 * h)), int(x1), int(min(height, ln.bbox[3] + 0.4 * h)))


def _field(
    im: Image.Image, ln: RawLine, kind: str, lang: str, esign: list[tuple[int, int, int]], path: str | None,
    colour: Image.Image | None = None,
) -> RawLine | None:
    where = _where(ln, kind, im.height, colour is not None)
    if where is None:
        return None
    a, b, box = where
    votes = Counter(_readings(im.crop(box), lang, path))
    own = re.sub(r"\D", "", ln.text[a:b])
    if own:
        votes[own] += 1
    value = _choose(votes, kind, ln.text[b:], esign)
    hand = digits.read((colour if colour is not None else im).crop(box)) if value is None or kind == "number" else None
    if value is not None and kind == "number" and _fewer_digits(value, hand):
        return _replaced(ln, a, b, " ", 0.0)
    value = _agreed(value, hand if hand and hand.prob >= digits.MIN_PROB else None, kind, ln.text[b:], esign, votes)
    if value is None and kind == "month":
        return None  # a month not read again keeps what the page's OCR made of it
    new = f" {value} " if value else " "
    return _replaced(ln, a, b, new, 100.0 if value else 0.0)


def _fewer_digits(voted: str, hand: digits.Reading | None) -> bool:
    """Tesseract's number is part of a longer one the hand-written digits' classifier reads
    ("37" in "637"): a digit written into the printed "Số:" or over the slash is lost to
    the print, and a number short of a digit is another document's."""
    return bool(hand and hand.prob >= HAND_DOUBT and len(hand.text) > len(voted) and voted in hand.text)


def _readings(crop: Image.Image, lang: str, path: str | None) -> list[str]:
    from pipeline.errors import KehoachError
    from pipeline.read.ocr import ocr_images

    grey = crop.convert("L")
    up = grey.resize((grey.width * 2, grey.height * 2), Image.Resampling.LANCZOS)
    images = [up, *(up.point(lambda v, t=t: 255 if v > t else 0) for t in (110, 150, 190))]
    images = [ImageOps.expand(x, border=30, fill=255) for x in images]
    out: list[str] = []
    for psm in (7, 8):
        try:
            found = ocr_images(images, lang=lang, workers=1, rotate=False, path=path, psm=psm, whitelist="0123456789", deskew=False)
        except KehoachError:
            return out
        out += [re.sub(r"\D", "", r.text) for r in found]
    return [x for x in out if x]


def _choose(votes: Counter[str], kind: str, after: str, esign: list[tuple[int, int, int]]) -> str | None:
    if kind == "day":
        days: Counter[str] = Counter()
        for v, n in votes.items():
            if len(v) <= 2 and 1 <= int(v) <= 31:
                days[str(int(v)).zfill(2)] += n
        votes = days
        m = _MONTH_YEAR.search(after)
        signed = [d for d, mo, y in esign if m and (mo, y) == (int(m.group(1)), int(m.group(2)))]
        if signed:
            for d in signed:
                if f"{d:02d}" in votes:
                    return f"{d:02d}"  # the e-signature confirms one reading
            votes = Counter({v: n for v, n in votes.items() if int(v) <= max(signed)})  # not dated after it was signed
    elif kind == "month":
        votes = Counter({str(int(v)).zfill(2): n for v, n in votes.items() if len(v) <= 2 and 1 <= int(v) <= 12})
        year = re.match(r"\D{0,8}(\d{4})", after)
        for _, mo, y in esign:  # the e-signature confirms one reading, as for the day
            if year and y == int(year.group(1)) and f"{mo:02d}" in votes:
                return f"{mo:02d}"
    else:
        votes = Counter({v: n for v, n in votes.items() if len(v) <= 6})
    ranked = votes.most_common(2)
    if not ranked:
        return None
    best, n = ranked[0]
    runner = ranked[1][1] if len(ranked) > 1 else 0
    return best if n >= MIN_VOTES and n >= 2 * runner else None


def _agreed(
    voted: str | None, reading: digits.Reading | None, kind: str, after: str, esign: list[tuple[int, int, int]],
    votes: Counter[str] | None = None,
) -> str | None:
    """The field's value once the hand-written digits' classifier has read it too: it only
    fills a blank Tesseract's vote left. A day it reads must be a day of the printed month
    (and not after an e-signature of that month); a number, which has no such check and
    names the document, must also be among Tesseract's readings ``HAND_NUMBER_VOTES`` times,
    or be read ``HAND_NUMBER_SURE``."""
    if voted is not None or not reading or not reading.text.isdigit():
        return voted
    hand = reading.text
    if kind == "day":
        return hand.zfill(2) if len(hand) <= 2 and _valid_day(int(hand), after, esign) else None
    if kind == "month":
        return hand.zfill(2) if len(hand) <= 2 and 1 <= int(hand) <= 12 else None
    return hand if (votes or Counter())[hand] >= HAND_NUMBER_VOTES or reading.prob >= HAND_NUMBER_SURE else None


def _valid_day(day: int, after: str, esign: list[tuple[int, int, int]]) -> bool:
    import calendar

    m = _MONTH_YEAR.search(after)
    if m is None or not 1 <= int(m.group(1)) <= 12:
        return 1 <= day <= 31
    month, year = int(m.group(1)), int(m.group(2))
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return False
    return all(day <= d for d, mo, y in esign if (mo, y) == (month, year))


def _replaced(ln: RawLine, a: int, b: int, new: str, conf: float) -> RawLine:
    """The line with characters ``a:b`` replaced by ``new`` (one word of confidence ``conf``)."""
    head, tail = ln.text[:a].rstrip(), ln.text[b:]
    lead = len(tail) - len(tail.lstrip())
    text = head + new + tail.lstrip()
    start = len(head) + (1 if new.strip() else 0)
    shift = len(head) + len(new) - b - lead
    words: list[RawWord] = []
    for w in ln.words:
        if w.start < a:  # a word that runs into the field keeps its part before it
            words.append(replace(w, end=min(w.end, len(head))))
        elif w.start >= b:
            words.append(replace(w, start=w.start + shift, end=w.end + shift))
    if new.strip():
        words.append(RawWord(start, start + len(new.strip()), conf))
        words.sort(key=lambda w: w.start)
    return replace(ln, text=text.rstrip(), words=tuple(w for w in words if w.end > w.start))


__all__ = ["reread"]
