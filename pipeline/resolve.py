"""Document identity: one graph node per real document, archive or cited-only.

Numbers restart (``31-KH/ĐUK`` of 2016 and of 2022 are two documents), so the date is
part of the key; and a non-central issuer code (``KH/TU``, ``KH/ĐUK``, ``KH-UBND``)
names a different body in each province, so such keys are scoped by the province or
body of the document that carries or cites them. A key without a date joins a dated
node only when exactly one candidate fits.

Everything here is pure: functions over frozen dataclasses, with the policy pieces
(scope, undated joining, level) injectable like eyecite's ``resolve_citations``.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PATTERNS = Path(__file__).parent / "patterns"
UNKNOWN_SCOPE = "?"
LEVELS = ("central", "province", "district", "commune", "unit", "unknown")


# ---------------------------------------------------------------------------- data


@dataclass(frozen=True)
class DocRef:
    """An archive document (one ``documents`` row) as identity sees it."""

    doc_id: str
    key: str | None  # SCHEMA key of its own symbol and date; None without a symbol
    symbol: str | None = None
    doc_type: str | None = None
    date: str | None = None
    issuer: str | None = None
    issuer_code: str = ""
    type_code: str = ""
    scope: str | None = None  # province or body the document belongs to
    title: str | None = None
    sha256: str = ""


@dataclass(frozen=True)
class CiteRef:
    """One citation of one archive document (one ``citations`` row)."""

    doc_id: str  # the citing document
    ordinal: int
    key: str
    symbol: str | None = None
    doc_type: str | None = None
    date: str | None = None
    issuer: str | None = None
    issuer_code: str = ""
    type_code: str = ""
    implements: bool = False  # the citing document says it carries this one out
    mentions: int = 1
    evidence: str = ""
    # keys of other citations of the same text that this cited document itself
    # carries out ("Kế hoạch số 51-KH/TU ... thực hiện Kết luận số 21-KL/TW")
    carries_out: tuple[str, ...] = ()


@dataclass(frozen=True)
class Node:
    node_id: str
    key: str  # the key the node stands for ("" for archive documents without a symbol)
    label: str
    doc_type: str | None = None
    symbol: str | None = None
    date: str | None = None
    year: int | None = None
    issuer: str | None = None
    issuer_code: str = ""
    type_code: str = ""
    scope: str | None = None  # None for central documents
    level: str = "unknown"
    in_archive: bool = False
    ambiguous: bool = False
    candidates: int = 0  # for an undated key: dated nodes it could have joined
    doc_ids: tuple[str, ...] = ()
    title: str | None = None


@dataclass(frozen=True)
class Edge:
    edge_id: str
    source: str
    target: str
    type: str  # implements | cites
    count: int
    evidence: str
    inferred: bool = False  # from "A ... thực hiện B" inside a citing text
    doc_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resolution:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    doc_node: Mapping[str, str] = field(default_factory=dict)  # doc_id → node_id
    citation_node: Mapping[tuple[str, int], str] = field(default_factory=dict)


# ------------------------------------------------------------------------ patterns


@lru_cache(maxsize=1)
def rules() -> dict:
    """``patterns/identity.json`` (plus ``issuer_codes.json`` levels when present), once."""
    data = json.loads((PATTERNS / "identity.json").read_text(encoding="utf-8"))
    data["level_by_name"] = [
        (re.compile(rx, re.IGNORECASE), level) for rx, level in data["level_by_name"] if rx != "#"
    ]
    types = "(?:" + "|".join(re.escape(t) for t in data["type_words"]) + ")"
    for name in ("nested_gap", "nested_list_gap"):
        data[name] = re.compile(data[name].replace("$type", types), re.IGNORECASE)
    data["code_levels"] = {k: v for k, v in data["level_by_code"].items() if v}
    _merge_issuer_codes(data)
    return data


def _merge_issuer_codes(data: dict) -> None:
    """Add extraction's ``issuer_codes.json`` (code → {name, level}, central lists) if present.

    Extraction owns that table; identity.json only adds what identity needs beyond it.
    """
    path = PATTERNS / "issuer_codes.json"
    try:
        table = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, ValueError):
        table = {}
    codes = table.get("codes", {}) if isinstance(table, dict) else {}
    party, state = set(data["central_party_codes"]), set(data["central_state_codes"])
    for code, value in codes.items():
        level = value.get("level") if isinstance(value, dict) else None
        if code.startswith("#") or code.endswith("#") or level not in LEVELS:
            continue
        data["code_levels"][code] = level
        if level == "central":
            party.add(code)
    state.update(table.get("state_central_codes", []) if isinstance(table, dict) else [])
    suffixes = set(data["central_suffixes"]) | set(table.get("central_suffixes", []) if isinstance(table, dict) else [])
    data["central_party_codes"], data["central_state_codes"] = party, state
    data["central_suffixes"] = tuple(sorted(suffixes))


# --------------------------------------------------------------------------- keys

_PARTY = re.compile(r"^0*(?P<num>\d+[a-zA-Z]?)-(?P<type>[^/\s]+)/(?P<issuer>\S+)$")
_STATE = re.compile(r"^0*(?P<num>\d+)(?:/(?P<year>\d{4}))?/(?P<type>[^-/\s]+)-(?P<issuer>\S+)$")
_LAW = re.compile(r"^0*(?P<num>\d+)/(?P<year>\d{4})/(?P<issuer>(?:UBTV)?QH\d*)$")  # Luật số 56/2024/QH15


@dataclass(frozen=True)
class SymbolParts:
    number: str
    type_code: str
    issuer_code: str
    state: bool  # State form (35/2022/NĐ-CP) rather than Party form (21-KL/TW)
    year: int | None = None


def parse_symbol(symbol: str | None) -> SymbolParts | None:
    """Split a normalised symbol or key base into number, type and issuer codes.

    >>> parse_symbol("05-CT/TW")
    SymbolParts(number='5', type_code='CT', issuer_code='TW', state=False, year=None)
    """
    if not symbol:
        return None
    s = symbol.split("@", 1)[0].strip()
    if m := _PARTY.match(s):
        return SymbolParts(m["num"], m["type"], m["issuer"], False)
    if m := _STATE.match(s):
        return SymbolParts(m["num"], m["type"], m["issuer"], True, int(m["year"]) if m["year"] else None)
    if m := _LAW.match(s):
        return SymbolParts(m["num"], "", m["issuer"], True, int(m["year"]))
    return None


def make_key(symbol: str | None, date: str | None) -> str | None:
    """SCHEMA.md key: symbol without leading zeros, ``@date`` (or ``@year``) when known."""
    if not symbol:
        return None
    base = symbol.strip()
    base = re.sub(r"^0+(?=\d)", "", base)
    if date and re.fullmatch(r"\d{4}", date):
        return f"{base}@{date}"
    if date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        try:
            return f"{base}@{_dt.date.fromisoformat(date).isoformat()}"
        except ValueError:  # not a calendar day: the key gets no date
            return base
    return base


def split_key(key: str) -> tuple[str, str]:
    """``"40-KH/ĐUK@2022-03-03"`` → ``("40-KH/ĐUK", "2022-03-03")``; no date gives ``""``."""
    base, _, date = key.partition("@")
    return base.strip(), date.strip()


def is_central(symbol_or_key: str | None, issuer_code: str = "") -> bool:
    """Whether the issuer code names one body for the whole country (global identity)."""
    parts = parse_symbol(symbol_or_key)
    code = issuer_code or (parts.issuer_code if parts else "")
    if not code:
        return False
    r = rules()
    if parts.state if parts else "-" in code:
        # the first part is the issuing body: "BTC-BNV" (joint), "MTTW-BTT" (its standing board);
        # a National Assembly term number goes: QH15 → QH
        first = re.sub(r"(?<=QH)\d+$", "", code.split("-")[0])
        return first in r["central_state_codes"] or _party_central(first, r)
    return _party_central(code, r)


def _party_central(code: str, r: dict) -> bool:
    return code in r["central_party_codes"] or any(code.endswith(s) for s in r["central_suffixes"])


def normalise_scope(scope: str | None) -> str | None:
    """One spelling per province/body: NFC, single spaces, no leading 'tỉnh'."""
    if not scope or not scope.strip():
        return None
    s = unicodedata.normalize("NFC", " ".join(scope.split()))
    s = re.sub(r"^(tỉnh|thành phố|TP\.?)\s+", "", s, flags=re.IGNORECASE)
    return s or None


def level_of(issuer: str | None, issuer_code: str = "", *, central: bool = False) -> str:
    """central | province | district | commune | unit | unknown, from the name, then the code."""
    if central:
        return "central"
    r = rules()
    if issuer:
        name = unicodedata.normalize("NFC", issuer).replace("uỷ", "ủy").replace("Uỷ", "Ủy")
        for rx, level in r["level_by_name"]:
            if rx.search(name):
                return level
    return r["code_levels"].get(issuer_code, "unknown")


def _digest(*parts: object, n: int = 16) -> str:
    return hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()[:n]


def edge_id(source: str, target: str, type_: str) -> str:
    """Content-derived edge id, so a rebuild gives the same ids."""
    return _digest(source, target, type_)


def _fold(s: str | None) -> str:
    return re.sub(r"\W+", "", unicodedata.normalize("NFC", s or "").casefold())[:120]


def unkeyed_node_id(doc: DocRef) -> str:
    """Node id for an archive document without a symbol: renders of it share it."""
    if doc.title or doc.issuer:
        return "doc:" + _digest(_fold(doc.doc_type), _fold(doc.issuer), doc.date or "", _fold(doc.title), n=12)
    return "doc:" + (doc.sha256[:12] or _digest(doc.doc_id, n=12))


# ------------------------------------------------------------------------ policies

ScopeOf = Callable[[DocRef], "str | None"]
# (key base, undated/year part, sorted candidate dates) → the chosen date, or None
UndatedResolver = Callable[[str, str, Sequence[str]], "str | None"]
LevelOf = Callable[..., str]


def scope_of_document(doc: DocRef) -> str | None:
    """The default scope: the document's own header scope."""
    return normalise_scope(doc.scope)


def resolve_undated(base: str, partial: str, candidates: Sequence[str]) -> str | None:
    """Join only when exactly one dated candidate fits (a year must agree)."""
    fits = [d for d in candidates if d.startswith(partial)]
    return fits[0] if len(fits) == 1 else None


# ------------------------------------------------------------------------- resolve


@dataclass
class _Ref:
    """A key seen somewhere (archive document or citation), before nodes are made."""

    base: str
    date: str
    scope: str | None  # None: central
    doc: DocRef | None = None
    cite: CiteRef | None = None


def resolve(
    docs: Iterable[DocRef],
    citations: Iterable[CiteRef],
    *,
    scope_of: ScopeOf = scope_of_document,
    resolve_undated_key: UndatedResolver = resolve_undated,
    level: LevelOf = level_of,
) -> Resolution:
    """Give every archive document and every citation a node, and build the edges.

    Args:
        docs: the archive's documents (several renders of one document may share a key).
        citations: their citations; ``doc_id`` must be one of ``docs``.
        scope_of: scope (province/body) of a document; cited non-central keys take the
            citing document's scope.
        resolve_undated_key: picks the dated node an undated key joins, or None.
        level: ``level_of``-like function for a node's level.

    Returns:
        Nodes, edges, and the node of each document and citation.
    """
    docs = sorted(docs, key=lambda d: d.doc_id)
    by_id = {d.doc_id: d for d in docs}
    scope = {d.doc_id: normalise_scope(scope_of(d)) for d in docs}

    doc_node: dict[str, str] = {}
    refs: list[_Ref] = []
    for d in docs:
        if d.key:
            base, date = split_key(d.key)
            sc = None if is_central(base, d.issuer_code) else scope[d.doc_id] or UNKNOWN_SCOPE
            refs.append(_Ref(base, date, sc, doc=d))
        else:
            doc_node[d.doc_id] = unkeyed_node_id(d)
    cites = sorted(citations, key=lambda c: (c.doc_id, c.ordinal))
    for c in cites:
        if c.doc_id not in by_id:
            continue
        base, date = split_key(c.key)
        sc = None if is_central(base, c.issuer_code) else scope[c.doc_id] or UNKNOWN_SCOPE
        refs.append(_Ref(base, date, sc, cite=c))

    groups: dict[tuple[str, str | None], list[_Ref]] = defaultdict(list)
    for r in refs:
        groups[(r.base, r.scope)].append(r)

    members: dict[str, list[_Ref]] = defaultdict(list)
    node_meta: dict[str, tuple[str, bool, int]] = {}  # node_id → (key, ambiguous, candidates)
    citation_node: dict[tuple[str, int], str] = {}
    for (base, sc), group in groups.items():
        suffix = "" if sc is None else f"#{sc}"
        dated = sorted({r.date for r in group if len(r.date) == 10})
        for r in group:
            date, ambiguous, n = r.date, False, 0
            if len(r.date) != 10:
                n = sum(1 for d in dated if d.startswith(r.date))
                chosen = resolve_undated_key(base, r.date, dated) or _same_render(r, group)
                # a State symbol carries its year and numbers restart yearly: without
                # a competing date it names one document
                unique = n == 0 and bool((p := parse_symbol(base)) and p.year)
                date, ambiguous = (chosen, False) if chosen else (r.date, not unique)
            key = f"{base}@{date}" if date else base
            nid = key + suffix
            old = node_meta.get(nid)
            node_meta[nid] = (key, ambiguous, max(n, old[2] if old else 0))
            members[nid].append(r)
            if r.doc:
                doc_node[r.doc.doc_id] = nid
            else:
                citation_node[(r.cite.doc_id, r.cite.ordinal)] = nid

    nodes: dict[str, Node] = {}
    for nid, rs in members.items():
        key, ambiguous, n = node_meta[nid]
        in_archive = any(r.doc for r in rs)
        nodes[nid] = _make_node(nid, key, rs, rs[0].scope, ambiguous and not in_archive, n, level)
    for d in docs:
        if not d.key:
            nid = doc_node[d.doc_id]
            nodes[nid] = _merge_unkeyed(nodes.get(nid), nid, d, normalise_scope(scope_of(d)), level)

    edges = _edges(cites, doc_node, citation_node, by_id)
    return Resolution(
        nodes=tuple(sorted(nodes.values(), key=lambda n: n.node_id)),
        edges=edges,
        doc_node=doc_node,
        citation_node=citation_node,
    )


def _same_render(ref: _Ref, group: list[_Ref]) -> str | None:
    """For an archive file whose date was not read: the date of its other render, if unique.

    Another file with the same symbol, scope and title (a .docx next to a scanned .pdf
    whose date line OCR missed) is the same document.
    """
    if not ref.doc or not _fold(ref.doc.title):
        return None
    dates = {
        r.date
        for r in group
        if r.doc and len(r.date) == 10 and r.date.startswith(ref.date) and _fold(r.doc.title) == _fold(ref.doc.title)
    }
    return dates.pop() if len(dates) == 1 else None


def _first(values: Iterable[object]) -> object:
    return next((v for v in values if v not in (None, "")), None)


def _make_node(
    nid: str, key: str, refs: list[_Ref], scope: str | None, ambiguous: bool, n: int, level: LevelOf
) -> Node:
    """Attributes from archive documents first, then from citations."""
    docs = [r.doc for r in refs if r.doc]
    cites = [r.cite for r in refs if r.cite]
    srcs: list = docs + cites
    base, date = split_key(key)
    parts = parse_symbol(base)
    type_code = _first([s.type_code for s in srcs]) or (parts.type_code if parts else "")
    issuer_code = _first([s.issuer_code for s in srcs]) or (parts.issuer_code if parts else "")
    doc_type = _first([s.doc_type for s in srcs]) or rules()["type_codes"].get(type_code)
    issuer = _first([s.issuer for s in srcs])
    central = scope is None
    year = int(date[:4]) if date[:4].isdigit() else (parts.year if parts else None)
    label = key if central or scope == UNKNOWN_SCOPE else f"{key} ({scope})"
    return Node(
        node_id=nid,
        key=key,
        label=label,
        doc_type=doc_type,
        symbol=_first([s.symbol for s in srcs]) or base,
        date=date if len(date) == 10 else None,
        year=year,
        issuer=issuer,
        issuer_code=issuer_code,
        type_code=type_code,
        scope=scope,
        level=level(issuer, issuer_code, central=central),
        in_archive=bool(docs),
        ambiguous=ambiguous,
        candidates=n,
        doc_ids=tuple(d.doc_id for d in docs),
        title=_first([d.title for d in docs]),
    )


def _merge_unkeyed(old: Node | None, nid: str, d: DocRef, scope: str | None, level: LevelOf) -> Node:
    if old:
        return Node(**{**old.__dict__, "doc_ids": old.doc_ids + (d.doc_id,)})
    label = " ".join(x for x in (d.doc_type, d.issuer, d.date) if x) or d.doc_id
    return Node(
        node_id=nid,
        key="",
        label=label,
        doc_type=d.doc_type,
        date=d.date if d.date and len(d.date) == 10 else None,
        year=int(d.date[:4]) if d.date and d.date[:4].isdigit() else None,
        issuer=d.issuer,
        issuer_code=d.issuer_code,
        type_code=d.type_code,
        scope=scope,
        level=level(d.issuer, d.issuer_code),
        in_archive=True,
        doc_ids=(d.doc_id,),
        title=d.title,
    )


def _edges(
    cites: list[CiteRef],
    doc_node: Mapping[str, str],
    citation_node: Mapping[tuple[str, int], str],
    by_id: Mapping[str, DocRef],
) -> tuple[Edge, ...]:
    """One edge per (source, target): ``implements`` wins over ``cites``.

    ``count`` is the number of mentions in one text (the largest over the renders of
    the source), not a sum over renders of the same document.
    """
    mentions: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    implements: dict[tuple[str, str], bool] = defaultdict(bool)
    stated: dict[tuple[str, str], bool] = defaultdict(bool)  # implements said by the source itself
    impl_ev: dict[tuple[str, str], str] = {}
    any_ev: dict[tuple[str, str], str] = {}
    docs: dict[tuple[str, str], set[str]] = defaultdict(set)
    key_node = {(c.doc_id, c.key): citation_node.get((c.doc_id, c.ordinal)) for c in cites}

    def add(pair: tuple[str, str], doc_id: str, n: int, impl: bool, ev: str, inf: bool) -> None:
        mentions[pair][doc_id] += n
        docs[pair].add(doc_id)
        implements[pair] |= impl
        stated[pair] |= impl and not inf
        if ev:
            (impl_ev if impl else any_ev).setdefault(pair, ev)

    for c in cites:
        src = doc_node.get(c.doc_id)
        tgt = citation_node.get((c.doc_id, c.ordinal))
        if not src or not tgt:
            continue
        if src != tgt:
            add((src, tgt), c.doc_id, max(c.mentions, 1), c.implements, c.evidence, False)
        for carried in c.carries_out:
            inner = key_node.get((c.doc_id, carried))
            if inner and inner != tgt:
                add((tgt, inner), c.doc_id, 0, True, c.evidence, True)

    out = []
    for pair in mentions:
        src, tgt = pair
        type_ = "implements" if implements[pair] else "cites"
        out.append(
            Edge(
                edge_id=edge_id(src, tgt, type_),
                source=src,
                target=tgt,
                type=type_,
                count=max(1, max(mentions[pair].values())),
                evidence=impl_ev.get(pair) or any_ev.get(pair, ""),
                inferred=implements[pair] and not stated[pair],
                doc_ids=tuple(sorted(docs[pair])),
            )
        )
    return tuple(sorted(out, key=lambda e: (e.source, e.target)))


__all__ = [
    "CiteRef",
    "DocRef",
    "Edge",
    "Node",
    "Resolution",
    "edge_id",
    "is_central",
    "level_of",
    "make_key",
    "normalise_scope",
    "parse_symbol",
    "resolve",
    "resolve_undated",
    "split_key",
]
