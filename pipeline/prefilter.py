"""Try a regex only where one of its matches can start (eyecite's literal prefilter).

The rule tables compile into long case-insensitive alternations ("trước", "chậm nhất",
"trong thời gian", ...). Python's ``re`` has no fast scan for such a pattern (a leading
look-behind or a cased alternation turns its prefix search off), so ``finditer`` tries
every alternative at every character of an 18 KB plan. Every match must, however, start
with one of a few literal prefixes, read here once from the pattern's parse tree: the
first characters of each path through it, as far as they are literal, case-folded.
:meth:`Prefilter.finditer` finds those prefixes in the lower-cased text with ``str.find``
(C speed) and calls ``Pattern.match`` only there. The result is exactly what
``Pattern.finditer`` gives: the same matches, spans and groups, in order, never
overlapping, because a match can only start at a found prefix and ``match(text, pos)``
sees the text before ``pos`` (look-behinds, ``^``, ``\\b``) as ``finditer`` does.

A pattern whose start cannot be read (it may open with any letter, or match the empty
string) is run as it is. Texts whose lower-cased form changes length ("İ") are too.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, product

try:  # the parser of the standard library's ``re`` (Python 3.11+), else sre_parse
    from re import _constants as _c
    from re import _parser as _p
    from re._casefix import _EXTRA_CASES
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

    _EXTRA_CASES = {}

_MAX_PREFIX = 3  # characters of each literal prefix
_MAX_PATHS = 4000  # partial prefixes kept while reading a pattern; more: no prefilter
_MAX_STRINGS = 600  # literal prefixes to search for; more: shorter prefixes
_MAX_RANGE = 64  # a class range wider than this ends a prefix
_MIN_TEXT = 400  # shorter texts are scanned by the pattern itself (no view to build)

_ASCII_DIGITS = frozenset("0123456789")
_DIGIT = "\0digit"  # a match may start with a decimal digit (``\d``)
_LINE = "\0line"  # a match starts at the start of a line (``^``)
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT} | ({_c.POSSESSIVE_REPEAT} if hasattr(_c, "POSSESSIVE_REPEAT") else set())
_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}
_BEGINNINGS = {_c.AT_BEGINNING, _c.AT_BEGINNING_LINE, _c.AT_BEGINNING_STRING}


def _keys(code: int, exact: bool = False) -> frozenset[str]:
    """The lower-case characters a text character must have to match ``chr(code)`` under
    IGNORECASE (``re`` compares the simple lower case, plus its extra case-equivalents);
    with ``exact``, the character itself (a pattern that tells case)."""
    if exact:
        return frozenset(chr(code))
    low = chr(code).lower()
    if len(low) != 1:
        low = chr(code)
    out = {low}
    for extra in _EXTRA_CASES.get(ord(low), ()):
        out.add(chr(extra).lower() if len(chr(extra).lower()) == 1 else chr(extra))
    return frozenset(out)


def _class(items: list[tuple[object, object]], exact: bool = False) -> frozenset[str] | str | None:
    """The keys a character class (``IN``) accepts; ``_DIGIT`` for ``\\d``; None if open."""
    out: set[str] = set()
    for op, av in items:
        if op is _c.LITERAL:
            out |= _keys(av, exact)  # type: ignore[arg-type]
        elif op is _c.RANGE:
            lo, hi = av  # type: ignore[misc]
            if hi - lo > _MAX_RANGE:
                return None
            for code in range(lo, hi + 1):
                out |= _keys(code, exact)
        elif op is _c.CATEGORY and av is _c.CATEGORY_DIGIT and len(items) == 1:
            return _DIGIT
        else:
            return None
    return frozenset(out)


# A partial prefix: the key sets read so far, and whether it can grow no further.
_Path = tuple[tuple[frozenset[str] | str, ...], bool]


def _extend(
    data: list[tuple[object, object]], paths: set[_Path], width: int = _MAX_PREFIX, exact: bool = False
) -> set[_Path]:
    for op, av in data:
        if all(closed for _, closed in paths):
            break
        out: set[_Path] = set()
        for path in paths:
            sets, closed = path
            if closed or len(sets) >= width:
                out.add((sets, True))
                continue
            if op is _c.LITERAL:
                out.add((sets + (_keys(av, exact),), False))  # type: ignore[arg-type]
            elif op is _c.IN:
                cls = _class(av, exact)  # type: ignore[arg-type]
                if cls is _DIGIT:
                    out.add((sets + (_DIGIT,), True) if not sets else (sets, True))
                elif cls is None:
                    out.add((sets, True))
                else:
                    out.add((sets + (cls,), False))
            elif op in _ZERO_WIDTH:
                if op is _c.AT and av in _BEGINNINGS and not sets:
                    out.add(((_LINE,), True))
                else:
                    out.add(path)
            elif op is _c.SUBPATTERN or (hasattr(_c, "ATOMIC_GROUP") and op is _c.ATOMIC_GROUP):
                inner = av[-1] if op is _c.SUBPATTERN else av  # type: ignore[index]
                out |= _extend(list(inner), {path}, width, exact)
            elif op is _c.BRANCH:
                for alt in av[1]:  # type: ignore[index]
                    out |= _extend(list(alt), {path}, width, exact)
            elif op in _REPEATS:
                lo, hi, inner = av  # type: ignore[misc]
                if lo == 0:
                    out.add(path)  # skipped
                taken = _extend(list(inner), {path}, width, exact)
                # after one pass the item may repeat: the prefix ends there, unless it is once only
                out |= taken if (lo, hi) == (1, 1) else {(s, True) for s, _ in taken}
            else:
                out.add((sets, True))
        if len(out) > _MAX_PATHS:
            raise _Unreadable
        paths = out
    return paths


class _Unreadable(Exception):
    pass


# A look-behind that refuses a letter or a digit before the match ("(?<![^\W_])", "(?<!\w)",
# "(?<![\w/.-])"): a match then starts only where no letter or digit stands before it.
_NOT_ALNUM = [(_c.NEGATE, None), (_c.CATEGORY, _c.CATEGORY_NOT_WORD), (_c.LITERAL, ord("_"))]


def _boundary(data: list[tuple[object, object]], flags: int) -> bool:
    """Whether every match opens with a look-behind refusing a letter or digit before it."""
    if flags & re.ASCII:
        return False  # ASCII \w: a letter such as "đ" would not be refused
    while data and data[0][0] is _c.SUBPATTERN:
        data = list(data[0][1][-1])  # type: ignore[index]
    if not data or data[0][0] is not _c.ASSERT_NOT or data[0][1][0] != -1:  # type: ignore[index]
        return False
    behind = list(data[0][1][1])  # type: ignore[index]
    if len(behind) != 1 or behind[0][0] is not _c.IN:
        return False
    items = list(behind[0][1])  # type: ignore[arg-type]
    return items == _NOT_ALNUM or ((_c.CATEGORY, _c.CATEGORY_WORD) in items and (_c.NEGATE, None) not in items)


@dataclass(frozen=True)
class _Starts:
    """Where a pattern's matches may start: at one of ``strings`` (in the lower-cased
    text), at a decimal digit, at a line start; with ``boundary``, never right after a
    letter or a digit."""

    strings: frozenset[str]
    digit: bool
    line: bool
    boundary: bool


def _starts_of(pattern: re.Pattern[str]) -> _Starts | None:
    """The starts every match of ``pattern`` has, or None when they cannot be told."""
    try:
        parsed = _p.parse(pattern.pattern, pattern.flags)
        if parsed.getwidth()[0] == 0:
            return None  # an empty match: finditer's stepping rules differ
        paths = _extend(list(parsed.data), {((), False)})
        boundary = _boundary(list(parsed.data), pattern.flags)
    except (_Unreadable, RecursionError, Exception):  # noqa: BLE001 - a parser we do not know: no prefilter
        return None
    digit = line = False
    seqs: set[tuple[frozenset[str], ...]] = set()
    for sets, _ in paths:
        if not sets:
            return None
        if sets[0] is _DIGIT or (isinstance(sets[0], frozenset) and sets[0] >= _ASCII_DIGITS):
            digit = True  # "\d", "0?[1-9]|[12][0-9]": every digit is cheaper than each string of digits
        elif sets[0] is _LINE:
            line = True
        elif sets[0] <= _ASCII_DIGITS:  # type: ignore[operator]
            seqs.add((sets[0],))  # "6 tháng": a digit of its own
        else:
            seqs.add(tuple(s for s in sets if isinstance(s, frozenset)))
    for width in range(_MAX_PREFIX, 0, -1):
        strings: set[str] = set()
        for seq in seqs:
            for combo in product(*seq[:width]):
                strings.add("".join(combo))
                if len(strings) > _MAX_STRINGS:
                    break
        if len(strings) <= _MAX_STRINGS:
            # a string that another one starts with makes the longer one redundant
            kept: list[str] = []
            for s in sorted(strings, key=len):
                if not any(s.startswith(k) for k in kept):
                    kept.append(s)
            return _Starts(frozenset(kept), digit, line, boundary)
    return None


def _ignores_case(data: list[tuple[object, object]]) -> bool:
    """Whether some group of the parsed pattern turns IGNORECASE on ("(?i:...)")."""
    for op, av in data:
        if op is _c.SUBPATTERN:
            if av[1] & re.IGNORECASE or _ignores_case(list(av[-1])):  # type: ignore[index, operator]
                return True
        elif op is _c.BRANCH:
            if any(_ignores_case(list(alt)) for alt in av[1]):  # type: ignore[index]
                return True
        elif op in _REPEATS:
            if _ignores_case(list(av[2])):  # type: ignore[index]
                return True
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            if _ignores_case(list(av[1])):  # type: ignore[index]
                return True
    return False


def first_keys(pattern: re.Pattern[str]) -> tuple[frozenset[str], bool, bool] | None:
    """The first characters of every match of ``pattern`` (a "^" before them passed over),
    whether a decimal digit may come first, and whether they are lower-cased keys (the
    pattern, or a part of it, ignores case); None when any character may come first."""
    try:
        data = list(_p.parse(pattern.pattern, pattern.flags).data)
        folded = bool(pattern.flags & re.IGNORECASE) or _ignores_case(data)
        while data and data[0][0] is _c.AT and data[0][1] in _BEGINNINGS:
            data = data[1:]
        paths = _extend(data, {((), False)}, 1, exact=not folded)
    except (_Unreadable, RecursionError, Exception):  # noqa: BLE001
        return None
    keys: set[str] = set()
    digit = False
    for sets, _ in paths:
        if not sets or sets[0] is _LINE:
            return None
        if sets[0] is _DIGIT:
            digit = True
        else:
            keys |= sets[0]  # type: ignore[arg-type]
    return frozenset(keys), digit, folded


def _required(pattern: re.Pattern[str]) -> tuple[tuple[str, ...], bool]:
    """Runs of literal characters (two or more) that every match of ``pattern`` holds, read
    from the top level of its parse tree and the groups there ("tháng", "năm"), and whether
    they are case-folded (the pattern ignores case: a run is then kept only where each of
    its characters matches no other character than its own upper and lower case)."""
    folded = bool(pattern.flags & re.IGNORECASE)
    runs: list[str] = []

    def walk(data: list[tuple[object, object]]) -> None:
        run: list[str] = []
        for op, av in data:
            if op is _c.LITERAL and (not folded or _plain_case(av)):  # type: ignore[arg-type]
                run.append(chr(av).lower() if folded else chr(av))  # type: ignore[arg-type]
                continue
            if len(run) >= 2:
                runs.append("".join(run))
            run = []
            if op is _c.SUBPATTERN and not av[1] and not av[2]:  # type: ignore[index]
                walk(list(av[-1]))  # type: ignore[index]  # a group with no flags of its own
        if len(run) >= 2:
            runs.append("".join(run))

    try:
        walk(list(_p.parse(pattern.pattern, pattern.flags).data))
    except Exception:  # noqa: BLE001 - a parser we do not know: nothing required
        return (), folded
    return tuple(runs), folded


def _plain_case(code: int) -> bool:
    """Whether IGNORECASE matches ``chr(code)`` only with itself, its upper and its lower
    case (one character each), so that a lower-cased text shows every match of it."""
    ch = chr(code)
    return len(ch.lower()) == 1 and len(ch.upper()) == 1 and len(_keys(code)) == 1 and not _EXTRA_CASES.get(ord(ch.lower()))


class Prefilter:
    """A compiled regex with the places its matches can start (see the module docstring),
    and the literal runs each match holds (a short text without one is not scanned)."""

    __slots__ = ("pattern", "starts", "required", "folded")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.starts = _starts_of(pattern)
        self.required, self.folded = _required(pattern)

    def _may_hold(self, text: str, pos: int, end: int) -> bool:
        """Whether ``text[pos:end]`` holds every required run (always, when none is known)."""
        if not self.required:
            return True
        chunk = text[pos:end]
        if self.folded:
            chunk = chunk.lower()
            if len(chunk) != end - pos:
                return True
        return all(r in chunk for r in self.required)

    @property
    def strings(self) -> frozenset[str] | None:
        """The literal prefixes (lower case) a match starts with; None: no prefilter."""
        return self.starts.strings if self.starts else None

    @property
    def digit(self) -> bool:
        return bool(self.starts and self.starts.digit)

    @property
    def line(self) -> bool:
        return bool(self.starts and self.starts.line)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        """What ``self.pattern.finditer(text, pos, endpos)`` yields, in the same order."""
        rx = self.pattern
        end = len(text) if endpos is None else min(endpos, len(text))
        view = views(text) if self.starts is not None and end - pos >= _MIN_TEXT else None
        if view is None:
            if end - pos >= _MIN_TEXT or self._may_hold(text, pos, end):
                yield from rx.finditer(text, pos, end)
            return
        starts = view.starts(self.starts)  # type: ignore[arg-type]
        i = bisect_left(starts, pos)
        n = len(starts)
        match = rx.match
        while i < n:
            at = starts[i]
            if at >= end:
                return
            m = match(text, at, end)
            if m is None:
                i += 1
                continue
            yield m
            i = bisect_left(starts, m.end(), i + 1)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """What ``self.pattern.search(text, pos, endpos)`` gives."""
        return next(self.finditer(text, pos, endpos), None)


class _View:
    """One text's lower-cased form and the places found in it so far (each kind of place
    looked for once per text, whichever patterns ask)."""

    __slots__ = ("text", "low", "_found", "_starts", "_absent")

    def __init__(self, text: str, low: str) -> None:
        self.text = text
        self.low = low
        self._found: dict[tuple[str, bool], list[int]] = {}
        self._starts: dict[_Starts, list[int]] = {}
        self._absent: dict[str, bool] = {}

    def _has(self, ch: str) -> bool:
        absent = self._absent.get(ch)
        if absent is None:
            absent = self._absent[ch] = ch not in self.low
        return not absent

    def positions(self, s: str, boundary: bool = False) -> list[int]:
        """Every offset where ``s`` stands in the lower-cased text (with ``boundary``, only
        where no letter or digit stands before it)."""
        key = (s, boundary)
        got = self._found.get(key)
        if got is None:
            got = []
            if all(self._has(ch) for ch in s if ch in _RARE):  # "ſ", "ı": rarely there at all
                find = self.low.find
                i = find(s)
                while i >= 0:
                    got.append(i)
                    i = find(s, i + 1)
                if boundary:
                    got = _after_boundary(self.text, got)
            self._found[key] = got
        return got

    def starts(self, spec: _Starts) -> list[int]:
        """The sorted offsets where a match of a pattern with these starts may begin."""
        got = self._starts.get(spec)
        if got is None:
            lists = [self.positions(s, spec.boundary) for s in spec.strings]
            if spec.digit:
                lists.append(self._digits(spec.boundary))
            if spec.line:
                lists.append(self._lines(spec.boundary))
            # strings none of which starts another never share an offset; digits and lines may
            got = sorted(set().union(*lists)) if spec.digit or spec.line else sorted(chain.from_iterable(lists))
            self._starts[spec] = got
        return got

    def _memo(self, key: tuple[str, bool], compute: Callable[[], list[int]]) -> list[int]:
        got = self._found.get(key)
        if got is None:
            got = self._found[key] = compute()
        return got

    def _digits(self, boundary: bool) -> list[int]:
        """Every decimal digit (with ``boundary``: the first of a run, after no letter)."""
        rx = _DIGIT_START_RE if boundary else _DIGIT_RE
        return self._memo((_DIGIT, boundary), lambda: [m.start() for m in rx.finditer(self.text)])

    def _lines(self, boundary: bool) -> list[int]:
        """Every line start (after a line break no letter stands: ``boundary`` holds)."""
        return self._memo((_LINE, boundary), lambda: [0, *(m.end() for m in _NEWLINE_RE.finditer(self.text))])


def _after_boundary(text: str, offsets: list[int]) -> list[int]:
    """The offsets that no letter or digit stands right before."""
    return [p for p in offsets if p == 0 or not text[p - 1].isalnum()]


# Characters only a case-equivalence brings in ("ſ" for "s", "ı" for "i"): a prefix holding
# one is looked for only where the text has that character at all.
_RARE = frozenset(chr(c).lower() for extras in _EXTRA_CASES.values() for c in extras) - frozenset(
    "abcdefghijklmnopqrstuvwxyz"
)
_DIGIT_RE = re.compile(r"\d")
# A digit that no letter or digit stands before: the look-behind after it, so that the
# pattern opens with a class (``re`` scans for digits in C).
_DIGIT_START_RE = re.compile(r"\d(?<![^\W_]\d)")
_NEWLINE_RE = re.compile("\n")


@lru_cache(maxsize=16)
def views(text: str) -> _View | None:
    """The per-text view the prefilters share (None where lower-casing changes the length)."""
    low = text.lower()
    return _View(text, low) if len(low) == len(text) else None


__all__ = ["Prefilter", "first_keys", "views"]
