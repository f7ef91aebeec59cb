"""Recognise the names of Party, State and mass-organisation bodies told to act.

underthesea's NER does not know "Ban Tổ chức Đảng ủy Khối" or "Chi ủy, Chi bộ trực thuộc
Đảng bộ xã", so units are found with a gazetteer and head-word patterns kept as data
(``pipeline/patterns/units.json``, ``role_verbs.json``) and matched over syllable tokens
by a phrase index (first word → phrases), one pass over a text's tokens: a spaCy Doc and
its matchers cost more than the whole rest of this module. Tokens carry their
character offsets into the text, and match on a folded form (lower case, one tone
placement), so "Uỷ ban" and "Ủy ban" both match while the source spelling is kept.

A unit's name starts at a head word and runs to the first role or task verb, colon or
line end, the way a reader cuts "Cấp ủy các chi bộ | căn cứ Kế hoạch ...". A list of
units is split into its members, but names that are one unit written with a comma
("huyện, thị, thành ủy", "Chi ủy, Chi bộ trực thuộc Đảng bộ xã") stay whole.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, lru_cache

from pipeline.extract import patterns
from pipeline.normalise import fold_tones

_HARD_STOPS = {":", "(", ";", ".", "..."}
_ASIDE = re.compile(r"\((?:mới|cũ|lâm thời|nếu có|sau sắp xếp|trước sắp xếp)\)")
_NOT_HEADS = ("stop", "prefix", "partner", "role", "directs")
_LEAD_ROLES = ("chủ trì", "phối hợp", "tham mưu", "chịu trách nhiệm")  # roles that open an item's predicate
_ITEM_MARK = re.compile(r"\s*(?:\d+(?:\.\d+)*|[a-zđ])[.)]\s*")  # "2. ", "a) ", "1.2. " before a name
_LABEL_TOKEN = re.compile(r"[a-zđ0-9]|[).]")  # "a) Chủ trì ...": a sub-item label
# Words that may stand between a unit and its role words ("trực tiếp lãnh đạo").
_ROLE_GLUE = {",", "và", "trực", "tiếp", "chủ", "động", "thường", "xuyên", "cùng", ":", "-", "đồng", "thời"}


@dataclass(frozen=True)
class UnitMatch:
    """A head word or gazetteer name found in the text (offsets into the text)."""

    start: int
    end: int
    kind: str  # party | state | mass | person | office | name | proper | stop | prefix | partner


def fold(word: str) -> str:
    """The matching form of a word: lower case, new-style tone placement."""
    return fold_tones(word).lower()


# --------------------------------------------------------------------------- tokens
# A syllable, a number (with its decimal or thousands marks) or one other mark.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+|\S")


def tokens(text: str) -> list[tuple[int, int]]:
    """The syllable tokens of ``text`` as (start, end) offsets.

    Vietnamese writes one syllable between spaces, so a regex cuts them exactly (offsets
    never drift, as they did when a tokenizer rewrote "qui" as "quy"); names and patterns
    go through this same function, so a phrase matches however its marks are spaced.
    """
    return [m.span() for m in _TOKEN.finditer(text)]


def normalised_tokens(text: str, folded: str | None = None) -> tuple[list[tuple[int, int]], list[str]]:
    """The syllable tokens of ``text`` and their matching forms (folded, OCR variants of
    word pairs put right: "chỉ bộ" → "chi bộ"); names keep the source spelling by offset.
    ``folded`` is ``fold(text)`` where the caller has it (one folding per text)."""
    spans = tokens(text)
    return spans, _put_right(_folded_words(text, fold(text) if folded is None else folded, spans))


def _folded_words(text: str, folded: str, spans: list[tuple[int, int]]) -> list[str]:
    """Each token's folded form (``folded`` is ``fold(text)``)."""
    if len(folded) == len(text):
        return [folded[s:e] for s, e in spans]
    return [fold(text[s:e]) for s, e in spans]  # a letter whose lower case is longer: word by word


def _put_right(norms: list[str]) -> list[str]:
    """``norms`` with the OCR variants of word pairs put right, in place."""
    variants = _variants()
    opens = _variant_firsts()
    for i in range(len(norms) - 1):
        if norms[i] not in opens:
            continue  # no misread pair starts with this word
        right = variants.get(f"{norms[i]} {norms[i + 1]}")
        if right:
            norms[i], norms[i + 1] = right.split(" ", 1)
    return norms


@cache
def _variants() -> dict[str, str]:
    return {fold(k): fold(v) for k, v in patterns.load("units")["ocr_variants"].items()}


@cache
def _variant_firsts() -> frozenset[str]:
    """The first words of the misread pairs (the text before a pair's first space)."""
    return frozenset(k.split(" ", 1)[0] for k in _variants())


def unit_key(name: str) -> str:
    """The identity of a unit name: folded, OCR put right, "cấp ủy đảng" = "cấp ủy"."""
    key = " ".join(ocr_correct(fold(name)).split())
    return re.sub(r"\bcấp ủy đảng\b", "cấp ủy", key)


def unit_identity(name: str) -> str:
    """The key under which two spellings of one body are one unit: abbreviations written out
    ("UBND" = "Ủy ban nhân dân"), quantifiers dropped ("các Đoàn Luật sư" = "Đoàn Luật sư"),
    a class of bodies by level written one way ("Ủy ban nhân dân cấp tỉnh" = "Ủy ban nhân dân
    các tỉnh, thành phố" = "UBND tỉnh, thành phố"), as a reader lists a body once."""
    key = unit_key(patterns.normalise_issuer(name) or name)
    key = " ".join(w for w in key.split() if w not in _tables().plural)
    return _level_class().sub(lambda m: "cấp " + (m.group(1) or m.group(2)), key)


@cache
def _level_class() -> re.Pattern[str]:
    levels = "|".join(re.escape(w) for w in sorted(_tables().levels, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:cấp ({levels})(?!\w)|({levels})(?:, (?:{levels})(?!\w))++(?! ủy| đoàn)(?!\w))")


def ocr_correct(name: str) -> str:
    """``name`` with OCR misreadings of body names put right ("chỉ bộ" → "chi bộ")."""
    variants = _variants()

    def right(m: re.Match[str]) -> str:
        r = variants.get(fold(m.group()), m.group())
        return r[:1].upper() + r[1:] if m.group()[:1].isupper() else r

    return _variant_pattern().sub(right, name)


@cache
def _variant_pattern() -> re.Pattern[str]:
    wrong = sorted(_variants(), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in wrong) + r")(?!\w)", re.IGNORECASE)


# ------------------------------------------------------------------------- matchers
@dataclass(frozen=True)
class _Tables:
    phrases: dict[str, tuple[tuple[tuple[str, ...], str], ...]]  # first word → (words, kind) of each phrase
    # (first word, second word) → the phrases of ``phrases[first]`` that can match there:
    # the one-word ones and those whose second word it is, in the same order
    pairs: dict[tuple[str, str], tuple[tuple[tuple[str, ...], str], ...]]
    singles: dict[str, tuple[tuple[tuple[str, ...], str], ...]]  # first word → its one-word phrases
    firsts: frozenset[str]  # the words some phrase or proper head opens with
    alone: frozenset[str]  # those a one-word phrase is, or a proper head opens
    proper: dict[str, tuple[tuple[str, ...], ...]]  # first word → words of heads naming a unit before a capital
    roles: dict[str, str]
    levels: frozenset[str]
    cells: tuple[str, ...]
    plural: frozenset[str]
    generic: frozenset[str]
    generic_suffix: tuple[str, ...]
    generic_prefix: tuple[str, ...]
    names: tuple[str, ...]  # whole names and department cores never split as a list
    holders: tuple[tuple[str, ...], ...]  # "lãnh đạo" before a quantified body names its heads
    containers: tuple[tuple[str, int], ...]  # "Phòng" < "Cục" < "Bộ": a parent locates the member before it
    lower_stops: frozenset[str]
    not_directing: re.Pattern[str]
    tails: re.Pattern[str]


def _index(entries: list[tuple[str, str]]) -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    """Phrases by their first matching word: ``(words, kind)`` for each (phrase, kind)."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrase, kind in entries:
        words = tuple(normalised_tokens(phrase)[1])
        if words and (words, kind) not in index.get(words[0], []):
            index.setdefault(words[0], []).append((words, kind))
    return {k: tuple(v) for k, v in index.items()}


def _pairs(
    phrases: dict[str, tuple[tuple[tuple[str, ...], str], ...]],
) -> tuple[dict[tuple[str, str], tuple[tuple[tuple[str, ...], str], ...]], dict[str, tuple[tuple[tuple[str, ...], str], ...]]]:
    """``phrases`` narrowed by the word after the first ("ban" has 40 phrases, "ban chỉ" a
    few), each list in its first-word order (the order the finder meets kinds in)."""
    pairs: dict[tuple[str, str], tuple[tuple[tuple[str, ...], str], ...]] = {}
    singles: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {}
    for first, entries in phrases.items():
        singles[first] = tuple(e for e in entries if len(e[0]) == 1)
        for second in {e[0][1] for e in entries if len(e[0]) > 1}:
            pairs[first, second] = tuple(e for e in entries if len(e[0]) == 1 or e[0][1] == second)
    return pairs, singles


@cache
def _tables() -> _Tables:
    units = patterns.load("units")
    verbs = patterns.load("role_verbs")
    stops = list(verbs["stops"]) + list(verbs["roles"]) + list(verbs["task_verbs"]) + list(verbs["speech_verbs"])
    entries = [(n, "name") for n in units["names"]]
    entries += [(h, kind) for kind, heads in units["heads"].items() for h in heads]
    entries += [(w, "stop") for w in stops] + [(w, "prefix") for w in verbs["prefixes"]]
    entries += [(w, "partner") for w in verbs["partners"]] + [(w, "role") for w in verbs["roles"]]
    entries += [(w, "directs") for w in verbs["directs"]]
    proper: dict[str, list[tuple[str, ...]]] = {}
    for head in units["proper_heads"]:
        words = tuple(normalised_tokens(head)[1])
        proper.setdefault(words[0], []).append(words)
    phrases = _index(entries)
    pairs, singles = _pairs(phrases)
    return _Tables(
        phrases=phrases,
        pairs=pairs,
        singles=singles,
        proper={k: tuple(v) for k, v in proper.items()},
        firsts=frozenset(phrases) | frozenset(proper),
        alone=frozenset(w for w, entries in singles.items() if entries) | frozenset(proper),
        roles={fold(k): v for k, v in verbs["roles"].items()},
        levels=frozenset(fold(w) for w in units["levels"]),
        cells=tuple(sorted((fold(c) for c in units["cells"]), key=len, reverse=True)),
        plural=frozenset(fold(w) for w in units["plural"]),
        generic=frozenset(fold(g) for g in units["generic"]),
        generic_suffix=tuple(fold(g) for g in units["generic_suffix"]),
        generic_prefix=tuple(fold(g) + " " for g in units["generic_prefix"]),
        names=tuple(fold(n) for n in [*units["names"], *units["departments"]]),
        holders=tuple(tuple(fold(h).split()) for h in units["holders"]),
        containers=tuple(sorted(((fold(k), v) for k, v in units["containers"].items()), key=lambda kv: -len(kv[0]))),
        lower_stops=frozenset(fold(w) for w in verbs["stops_before_lower"]),
        tails=re.compile(
            r"(?:" + "|".join(fold(t) for t in sorted(verbs["name_tails"], key=len, reverse=True)) + r")(?!\w)"
            r"(?=[ \t]*(?:$|[\n,;:.()]|và\b|(?:" + "|".join(re.escape(fold(r)) for r in verbs["roles"]) + r")\b|chịu\b))"
        ),
        not_directing=re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(fold(w)) for w in verbs["directs_not_after"]) + r")[\s,]*$"
        ),
    )


_NUMBERED = re.compile(r"[1-9]\d?")


def _names_next(word: str) -> bool:
    """Whether ``word`` goes on a proper head's name: "Sở | Tài chính", "Phòng | 5", "Ban | CHỈ ĐẠO"."""
    return word.istitle() or word.isupper() or bool(_NUMBERED.fullmatch(word))


# --------------------------------------------------------------------------- finder
class UnitFinder:
    """Unit heads, stops and role words of one stretch of text, by character offset."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = fold(text)
        self.spans = tokens(text)
        # each token's folded form, before OCR variants (what the helpers compare)
        self.words = _folded_words(text, self.folded, self.spans)
        norms = _put_right(list(self.words))
        self._starts = [s for s, _ in self.spans]
        t = _tables()
        # token index → longest match of each kind starting there
        self.at: dict[int, dict[str, int]] = {}
        n = len(norms)
        firsts = t.firsts
        pairs, singles = t.pairs, t.singles
        for i in [i for i, word in enumerate(norms) if word in firsts]:  # most words open nothing
            word = norms[i]
            nxt = pairs.get((word, norms[i + 1])) if i + 1 < n else None
            if nxt is None and word not in t.alone:
                continue  # only longer phrases start with it, and not with this next word
            for words, kind in singles.get(word, ()) if nxt is None else nxt:
                e = i + len(words)
                if e > n or (len(words) > 2 and tuple(norms[i + 2 : e]) != words[2:]):
                    continue  # a second word is the next one already (``pairs``)
                if kind == "stop" and not text[self.spans[i][0]].islower():
                    continue  # only a lower-case verb ends a name
                here = self.at.setdefault(i, {})
                here[kind] = max(here.get(kind, 0), e)
            for words in t.proper.get(word, ()):
                e = i + len(words)  # the head, before the capitalised word or number that must follow it
                if e < n and tuple(norms[i + 1 : e]) == words[1:] and _names_next(text[slice(*self.spans[e])]):
                    here = self.at.setdefault(i, {})
                    here["proper"] = max(here.get("proper", 0), e)

    # -- helpers
    def _tok(self, pos: int) -> int | None:
        """Index of the first token starting at or after ``pos``."""
        i = bisect_left(self._starts, pos)
        return i if i < len(self.spans) else None

    def head_end(self, i: int) -> tuple[str, int] | None:
        """If a unit head starts at token ``i``: its kind and end token."""
        here = self.at.get(i, {})
        heads = {k: e for k, e in here.items() if k not in _NOT_HEADS}
        if not heads:
            return None
        kind = max(heads, key=lambda k: (heads[k], k != "name"))
        end = heads[kind]
        k = i + 1
        while k < end:  # overlapping heads chain: "Trưởng Ban" + "Ban xây dựng Đảng"
            inner = [e for kk, e in self.at.get(k, {}).items() if kk not in _NOT_HEADS]
            end = max([end, *inner])
            k += 1
        return kind, end

    def _is_stop(self, i: int) -> bool:
        here = self.at.get(i, {})
        return "stop" in here and "name" not in here and not self.head_end(i)

    # -- the API
    def unit_at(self, pos: int, limit: int, bare_level: bool = False) -> tuple[int, int, str, bool] | None:
        """The unit whose name starts at ``pos`` (after "Giao", "các", ...), if any.

        Returns:
            (start, end, kind, verb) of the name, cut at the first stop word, colon,
            bracket or line end before ``limit``; ``verb`` tells whether a role or task
            word follows it. None if no unit head starts there; with ``bare_level`` (a
            partner) a plural level alone ("phối hợp với các thôn") names the units too.
        """
        i = self._tok(pos)
        if i is None or self.spans[i][0] >= limit:
            return None
        if self.spans[i][0] > pos and self.text[pos : self.spans[i][0]].strip(" \t-+•*"):
            return None
        here = self.at.get(i, {})
        if "prefix" in here:
            i = here["prefix"]
        first = i
        i = self._after_holder(i)
        while i < len(self.spans) and self.words[i] in _tables().plural:
            i += 1
        i = self._skip_levels(i)
        head = self.head_end(i) if i < len(self.spans) else None
        if not head and bare_level and i > first:
            level_end = self._level_end(i)
            head = ("state", level_end) if level_end else None
        if not head:
            return None
        kind, j = head
        line_start = self.text.rfind("\n", 0, self.spans[first][0]) + 1
        item = bool(_ITEM_MARK.fullmatch(self.text[line_start : self.spans[first][0]]))
        end, verb = self._cut(j, limit, item)
        k = self._tok(end)
        nxt = self._tok(end + 1) if k is not None and self.spans[k][0] < end else k
        if verb and nxt is not None and "prefix" in self.at.get(nxt, {}) and self.text[self.spans[nxt][0]].islower():
            # "Hội đồng nhân dân tỉnh giao Ủy ban nhân dân tỉnh ...": the one handed the task
            return self.unit_at(self.spans[self.at[nxt]["prefix"]][0], limit) if self.at[nxt]["prefix"] < len(self.spans) else None
        return self.spans[first][0], end, kind, verb

    def _after_holder(self, i: int) -> int:
        """The token after "lãnh đạo" when a quantified body follows ("lãnh đạo | các đơn vị"), else ``i``."""
        for words in _tables().holders:
            n = len(words)
            if [fold(self.text[slice(*sp)]) for sp in self.spans[i : i + n]] == list(words) and i + n < len(self.spans):
                if self.words[i + n] in _tables().plural:
                    return i + n
        return i

    def _level_end(self, i: int) -> int | None:
        """End token of a level word at token ``i`` ("thôn", "tổ dân phố"), if one is there."""
        levels = _tables().levels
        for n in (3, 2, 1):
            words = [fold(self.text[slice(*sp)]) for sp in self.spans[i : i + n]]
            if len(words) == n and " ".join(words) in levels:
                return i + n
        return None

    def _skip_levels(self, i: int) -> int:
        """The head after leading level words ("Các huyện, thị, | thành đoàn"), or ``i``."""
        k = i
        while k < len(self.spans) and not self.head_end(k):
            word = self.words[k]
            if word not in _tables().levels and word != ",":
                return i
            k += 1
        # only a head that is itself a level's body ("thành đoàn", "thị ủy") ends the list
        return k if k > i and k < len(self.spans) and self.words[k] in _tables().levels else i

    def _cut(self, j: int, limit: int, item: bool = False) -> tuple[int, bool]:
        """End of a name whose head ends at token ``j``, and whether a verb follows.

        The name stops before a stop word, a colon, bracket, semicolon or full stop, or
        a line break; heads met on the way ("... của Đảng ủy Khối") are taken whole, so
        a bracket inside a head ("các ông (bà)") does not cut it.

        A task verb inside a name ("Phòng Hậu cần - Kỹ thuật", "Phòng Tổ chức, biên chế và
        tổ chức phi chính phủ") does not cut it before " - <Capital>", nor, in a list item
        (``item``), when a role word ("chủ trì") follows in the same clause.
        """
        end = self.spans[j - 1][1]
        k = j
        field = -9  # index of the first token after "lĩnh vực" (an office-holder's field)
        while k < len(self.spans) and self.spans[k][0] < limit:
            s, e = self.spans[k]
            if "\n" in self.text[end:s]:
                return self._trim(end), False
            head = self.head_end(k)
            if head:
                k = head[1]
                end = self.spans[k - 1][1]
                continue
            in_field = k - field < 2 or (k > 0 and self.words[k - 1] == "và" and k - field < 8)
            tail = _tables().tails.match(self.folded, s) if self.text[s].islower() else None
            if tail and len(self.folded) == len(self.text):  # "... có liên quan", "... được kiểm tra"
                end = self._trim(tail.end())
                nxt = self._tok(tail.end())
                k = len(self.spans) if nxt is None else nxt
                continue
            if not in_field and (self._is_stop(k) or self._lower_stop(k) or ("prefix" in self.at.get(k, {}) and self.text[s].islower())):
                if not (self._is_stop(k) and self._stop_inside_name(k, item)):
                    return self._trim(end), True
            if k > 0 and self.words[k - 1] == "lĩnh" and fold(self.text[s:e]) == "vực":
                field = k + 1  # "phụ trách lĩnh vực tuyên truyền và vận động quần chúng"
            if self.text[s:e] == "(" and (aside := _ASIDE.match(self.text, s)):
                end = aside.end()  # "Đoàn Luật sư (mới)": a short lower-case aside is part of the name
                nxt = self._tok(end)
                k = len(self.spans) if nxt is None else nxt
                continue
            if self.text[s:e] in _HARD_STOPS or self._apposition(k):
                break
            end = e
            k += 1
        return self._trim(end), False

    def _apposition(self, k: int) -> bool:
        """Whether token ``k`` is a spaced dash opening a lower-case apposition ("Cục C04, Bộ Công an
        | - đơn vị thường trực ..."), not a dash inside a name ("Hậu cần - Kỹ thuật", "chính trị - xã hội")."""
        s, e = self.spans[k]
        if self.text[s:e] not in ("-", "–") or k + 1 >= len(self.spans) or self.text[s - 1 : s] != " ":
            return False
        nxt = self.text[slice(*self.spans[k + 1])]
        return nxt[:1].islower() and fold(nxt) != "xã"

    def _stop_inside_name(self, k: int, item: bool) -> bool:
        """Whether the task-verb stop at token ``k`` is a word of the name itself."""
        if "role" in self.at.get(k, {}):
            return False
        after = [self.text[slice(*sp)] for sp in self.spans[k + 1 : k + 3]]
        if len(after) == 2 and after[0] in ("-", "–") and after[1][:1].isupper():
            return True  # "Phòng Hậu cần - Kỹ thuật": a paired department name
        if not item or k == 0 or self.words[k - 1] not in (",", "và"):
            return False  # only a word that goes on a coordinated name: "biên chế và | tổ chức ..."
        m = self.at[k]["stop"]
        while m < min(len(self.spans), k + 8):
            s = self.spans[m][0]
            if "\n" in self.text[self.spans[m - 1][1] : s] or self.text[slice(*self.spans[m])] in {*_HARD_STOPS, ","}:
                return False
            if "role" in self.at.get(m, {}) and _tables().roles.get(fold(self.text[self.spans[m][0] : self.spans[self.at[m]["role"] - 1][1]])) in _LEAD_ROLES:
                return True  # "2. Phòng Công chức, viên chức và đào tạo chủ trì ..."
            if self._is_stop(m) or self.head_end(m):
                return False
            m += 1
        return False

    def _lower_stop(self, k: int) -> bool:
        """"Công an tỉnh | trong kiểm tra": a word that ends a name before a lower-case
        word ("trong Tiểu ban", a body, goes on)."""
        if self.words[k] not in _tables().lower_stops or k + 1 >= len(self.spans):
            return False
        nxt = self.text[slice(*self.spans[k + 1])]
        return nxt[:1].islower() and not self.head_end(k + 1)

    def _trim(self, end: int) -> int:
        """Drop trailing punctuation and a stray one-letter OCR speck ("... xã l")."""
        head = self.text[:end].rstrip(" ,;.-–")
        speck = re.search(r"\s[a-zđ|!'`]$", head)
        if speck and len(head) > 2 and head[-3].isalpha():
            head = head[: speck.start()].rstrip(" ,;.-–")
        return len(head)

    def partners_after(self, pos: int, limit: int) -> list[tuple[int, int, str, bool]]:
        """Units named after "phối hợp với" between ``pos`` and ``limit``."""
        return self._units_after("partner", pos, limit, need_verb=False)

    def directed_after(self, pos: int, limit: int) -> list[tuple[int, int, str, bool]]:
        """Units another unit directs to act ("... chỉ đạo Ủy ban nhân dân cấp xã kiểm
        tra ...", "đề nghị Ủy ban Mặt trận ... phối hợp"): the unit right after a
        directing word, when a role or task verb follows its name."""
        return self._units_after("directs", pos, limit, need_verb=True)

    def _units_after(self, kind: str, pos: int, limit: int, need_verb: bool) -> list[tuple[int, int, str, bool]]:
        out = []
        where = sorted(k for k, here in self.at.items() if kind in here)  # only tokens that open one
        i = self._tok(pos)
        while i is not None and i < len(self.spans) and self.spans[i][0] < limit:
            here = self.at.get(i, {})
            if kind not in here:
                n = bisect_left(where, i)
                i = where[n] if n < len(where) else len(self.spans)
                continue
            j = here[kind]
            first = self.text[slice(*self.spans[j])] if j < len(self.spans) else ""
            before = fold(self.text[max(0, self.spans[i][0] - 24) : self.spans[i][0]])
            if kind == "directs" and (
                not (first[:1].isupper() or fold(first) in _tables().plural) or _tables().not_directing.search(before)
            ):
                j = i + 1  # "Hội nghị giao ban ...", "theo yêu cầu ...": no hand-over
            elif j < len(self.spans):
                line_end = self.text.find("\n", self.spans[j][0], limit)
                line_end = limit if line_end < 0 else line_end
                for k in self._members(j, line_end) if kind == "partner" else [j]:
                    unit = self.unit_at(self.spans[k][0], line_end, bare_level=kind == "partner")
                    if unit:
                        if (unit[3] or not need_verb) and (kind != "partner" or self._named(unit[0], unit[1])):
                            out.append(unit)
                        break
            i = j
        return out

    def _named(self, start: int, end: int) -> bool:
        """Whether a partner's name names a body: a capitalised word after its quantifiers
        ("Sở Tài chính", "UBND các xã"), not a class of bodies ("các cơ quan chức năng",
        "lực lượng ...")."""
        words = [w for w in self.text[start:end].split() if fold(w) not in _tables().plural]
        return bool(words) and (words[0][:1].isupper() or fold(words[0]).strip(",") in _tables().levels)

    def _members(self, i: int, limit: int, most: int = 4) -> list[int]:
        """Token indexes where the members of a list starting at token ``i`` start,
        up to the first stop word ("các ban, Văn phòng Đảng ủy Khối tham mưu ..."):
        a list may open with a member naming no unit by itself."""
        starts = [i]
        k = i
        while k < len(self.spans) and self.spans[k][0] < limit and len(starts) < most:
            word = self.words[k]
            if self._is_stop(k) or word in _HARD_STOPS:
                break
            if word in (",", "và") and k + 1 < len(self.spans):
                starts.append(k + 1)
            k += 1
        return starts

    def roles(self, start: int, end: int) -> list[str]:
        """The role words that open the predicate between ``start`` and ``end``.

        "Chủ trì, tham mưu cho ..." gives ["chủ trì", "tham mưu"]; reading stops at
        the first word that is neither a role word nor glue (",", "và", "trực tiếp").
        """
        found: list[str] = []
        i = self._tok(start)
        while i is not None and i < len(self.spans) and self.spans[i][0] < end:
            here = self.at.get(i, {})
            if "role" in here:
                e = here["role"]
                role = _tables().roles.get(fold(self.text[self.spans[i][0] : self.spans[e - 1][1]]))
                if role and role not in found:
                    found.append(role)
                i = e
                continue
            word = self.words[i]
            if word not in _ROLE_GLUE and not _LABEL_TOKEN.fullmatch(word):
                break
            i += 1
        return found

    def split(self, start: int, end: int, kind: str) -> list[tuple[int, int]]:
        """Split a list of units into its members. One person's titles stay whole ("Đồng chí
        Ủy viên Ban Thường vụ, Chủ tịch Ủy ban MTTQ xã"); a list of office-holders splits
        where a member opens with a capitalised head ("Chánh Văn phòng UBND tỉnh, Giám đốc
        Sở Nội vụ và các ông (bà) có tên tại Điều 1"), not inside "Thủ trưởng các sở, ban,
        ngành, đơn vị có liên quan"."""
        if kind == "person":
            return self._split_people(start, end)
        parts = split_units(self.text, start, end)
        t = _tables()
        merged: list[tuple[int, int]] = []
        for s, e in parts:
            i = self._tok(s)
            while i is not None and i < len(self.spans) and self.words[i] in t.plural:
                i += 1
            words = [w for w in fold(self.text[s:e]).replace(",", " ").split() if w not in t.plural]
            named = i is not None and i < len(self.spans) and (
                self.head_end(i) or self.words[i] in t.levels or self._proper_at(i)
            ) and not all(w in t.levels for w in words)
            if merged and (not named or self._locates(merged[-1][0], s)):
                # "Thường trực, các ban, các tổ đại biểu HĐND tỉnh", "Trung tâm Văn hóa -
                # Thể thao và Truyền thông huyện": a member naming no body by itself
                # belongs to the one before it.
                merged[-1] = (merged[-1][0], e)
            else:
                merged.append((s, e))
        return merged


    def _proper_at(self, i: int) -> bool:
        """Whether a capitalised proper head ("Nhà đầu tư", "Sở") opens token ``i`` whatever
        follows it: a list member of its own ("Sở Công Thương, Chủ đầu tư và ...")."""
        if not self.text[self.spans[i][0]].isupper():
            return False
        words = self.words
        return any(tuple(words[i : i + len(p)]) == p for p in _tables().proper.get(words[i], ()))

    def _rank(self, pos: int) -> int:
        """The container rank of the body named at ``pos`` (0 for none)."""
        words = fold(self.text[pos : pos + 20])
        for name, rank in _tables().containers:
            if words.startswith(name + " ") and self.text[pos : pos + 1].isupper():
                return rank
        return 0

    def _locates(self, prev: int, pos: int) -> bool:
        """Whether the member at ``pos`` is the parent locating the one at ``prev`` ("Phòng 5, | Cục …")."""
        a, b = self._rank(prev), self._rank(pos)
        return 0 < a < b

    def _split_people(self, start: int, end: int) -> list[tuple[int, int]]:
        if _ONE_PERSON.match(self.text, start):
            return [(start, end)]
        cuts = [start]
        i = self._tok(start)
        field = False  # after "lĩnh vực" the fields are listed ("lĩnh vực Dân tộc, Tôn giáo và ...")
        while i is not None and i < len(self.spans) and self.spans[i][1] <= end:
            word = self.words[i]
            if word == "vực" and i > 0 and self.words[i - 1] == "lĩnh":
                field = True
            if not field and word in (",", ";", "và") and i + 1 < len(self.spans) and self.spans[i + 1][0] < end:
                k = i + 1
                head = self.head_end(k)  # "và các ông, bà có tên ...": a head that takes its "các"
                while not head and k < len(self.spans) and self.words[k] in _tables().plural:
                    k += 1
                    head = self.head_end(k) if k < len(self.spans) else None
                capital = self.text[self.spans[i + 1][0]].isupper()
                if head and (capital or word == "và" or head[0] == "person"):
                    cuts.append(self.spans[i + 1][0])
            if word == ";":
                field = False
            i += 1
        bounds = cuts + [end]
        out = []
        for a, b in zip(bounds, bounds[1:]):
            piece = self.text[a:b].rstrip(" ,;")
            piece = re.sub(r"\s+và$", "", piece)
            if piece.strip():
                out.append((a, a + len(piece)))
        return out


_ONE_PERSON = re.compile(r"(?:Đồng chí|đồng chí|Đ/c|đ/c|Ông|Bà)\s", re.UNICODE)


def find_units(text: str) -> tuple[UnitMatch, ...]:
    """Every unit name of ``text`` that starts a line or follows a comma-free clause
    opening, cut as :meth:`UnitFinder.unit_at` cuts it (for inspection and tests)."""
    finder = UnitFinder(text)
    out: list[UnitMatch] = []
    pos = 0
    for i, (s, _) in enumerate(finder.spans):
        if s < pos or not finder.head_end(i):
            continue
        line_end = text.find("\n", s)
        hit = finder.unit_at(s, len(text) if line_end < 0 else line_end)
        if hit:
            out.append(UnitMatch(hit[0], hit[1], hit[2]))
            pos = hit[1]
    return tuple(out)


# --------------------------------------------------------------------------- lists
_SEP = re.compile(r",\s*|\s+và\s+")


@lru_cache(maxsize=1024)
def _protected(text: str) -> tuple[tuple[int, int], ...]:
    folded = fold(text)
    spans = []
    for name in _tables().names:
        at = folded.find(name) if name else -1
        while at != -1:  # non-overlapping, as a literal finditer gives them
            spans.append((at, at + len(name)))
            at = folded.find(name, at + len(name))
    return tuple(spans)


def split_units(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Members of the list ``text[start:end]`` as spans.

    Commas and "và" separate members, except inside gazetteer names, between
    administrative levels ("huyện, thị, thành ủy", "các xã, phường") and between party
    cells paired into one unit ("Các cấp ủy, chi bộ cơ sở").
    """
    chunk = text[start:end]
    guard = _protected(chunk)
    parts: list[tuple[int, int]] = []
    pos = 0
    for m in _SEP.finditer(chunk):
        if any(s < m.start() < e for s, e in guard):
            continue
        parts.append((pos, m.start()))
        pos = m.end()
    parts.append((pos, len(chunk)))
    parts = [(s, e) for s, e in parts if chunk[s:e].strip()]
    merged: list[tuple[int, int]] = []
    for s, e in parts:
        if merged and _joins(chunk[merged[-1][0] : merged[-1][1]], chunk[s:e], chunk[merged[-1][1] : s]):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return [(start + s, start + e) for s, e in merged]


def _joins(left: str, right: str, sep: str) -> bool:
    """Whether two list members are one unit written with a comma."""
    t = _tables()
    lw, rw = ocr_correct(fold(left)).split(), ocr_correct(fold(right)).split()
    if not lw or not rw:
        return True
    if "và" in sep:
        return False
    if all(w.strip(",") in t.levels for w in lw if w not in t.plural) or lw[-1] in t.levels and " ".join(rw) in t.levels:
        return True  # "huyện, thị, thành ủy"; "các xã, phường"
    if _level_body(left.split(",")[-1]) and _level_body(right):
        return True  # "Các huyện ủy, thị ủy, thành ủy"
    if right[:1].islower() and _shared_head_list(lw):
        return True  # "Ban Thường vụ các huyện ủy, thị ủy, đảng ủy trực thuộc": the head is every member's
    if right[:1].islower() and lw[-1] == rw[0]:
        return True  # "thành đoàn, đoàn trực thuộc": the same body word, qualified
    bare = " ".join(w for w in lw if w not in t.plural)
    ends_with_cell = any(" ".join(lw).endswith(f"các {c}") for c in t.cells)
    starts_with_cell = any(" ".join(rw).startswith(c) for c in t.cells)
    return starts_with_cell and (bare in t.cells or ends_with_cell)


def _shared_head_list(words: list[str]) -> bool:
    """Whether folded ``words`` are a head, a quantifier and a level committee ("ban thường vụ
    các huyện ủy"): the head governs the whole list, so no member goes without it."""
    t = _tables()
    q = next((n for n in range(len(words) - 1, 0, -1) if words[n] in t.plural), None)
    return q is not None and _level_body(" ".join(words[q + 1 :]).split(",")[0])


def _level_body(name: str) -> bool:
    """Whether ``name`` is a level's committee or youth union ("huyện ủy", "các thị đoàn")."""
    t = _tables()
    words = [w for w in ocr_correct(fold(name)).split() if w not in t.plural]
    return len(words) >= 2 and words[-1] in ("ủy", "đoàn") and " ".join(words[:-1]) in t.levels


def is_generic(name: str) -> bool:
    """Whether a name names no particular unit ("các cơ quan liên quan", "các đơn vị")."""
    t = _tables()
    words = fold(name).strip(" ,;.").split()
    while words and words[0] in t.plural:
        words = words[1:]
    core = " ".join(words)
    return (
        core in t.generic
        or any(core.endswith(g) for g in t.generic_suffix)
        or any(core.startswith(g) for g in t.generic_prefix)
    )


__all__ = ["UnitFinder", "UnitMatch", "find_units", "fold", "is_generic", "ocr_correct", "normalised_tokens", "unit_identity", "unit_key", "split_units", "tokens"]
