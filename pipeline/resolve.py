"""Document identity: one graph node per real document, archive or cited-only.

Numbers restart (``27-KH/ĐUK`` of 2016 and of 2022 are two documents), so the date is
part of the key; and a non-central issuer code (``KH/TU``, ``KH/ĐUK``, ``KH-UBND``)
names a different body in each province, so such keys are scoped by the province or
body of the document that carries or cites them. A key without a date joins a dated
node only when exactly one candidate fits.

Symbols, keys and which issuer codes are central come from ``pipeline.identity`` (the
one parser extraction uses too). Everything here is pure: functions over frozen dataclasses, with the policy pieces
(scope, undated joining, level) injectable like eyecite's ``resolve_citations``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from pipeline.identity import (
    LEVELS,
    UNKNOWN_SCOPE,
    is_central,
    normalise_scope,
    parse_symbol,
    rules,
    split_key,
)


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
    # carries out ("Kế hoạch số 63-KH/TU ... thực hiện Kết luận số 45-KL/TW")
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


# -------------------------------------------------------------------------- levels


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


@dataclass(frozen=True)
class Ref:
    """A key seen somewhere (archive document or citation), before nodes are made."""

    base: str
    date: str
    scope: str | None  # None: central
    doc: DocRef | None = None
    cite: CiteRef | None = None


def doc_ref(doc: DocRef, scope: str | None) -> Ref | None:
    """The ref of an archive document under its (normalised) scope; None without a key."""
    if not doc.key:
        return None
    base, date = split_key(doc.key)
    return Ref(base, date, None if is_central(base, doc.issuer_code) else scope or UNKNOWN_SCOPE, doc=doc)


def cite_ref(cite: CiteRef, scope: str | None) -> Ref:
    """The ref of a citation; a non-central key takes the citing document's scope."""
    base, date = split_key(cite.key)
    return Ref(base, date, None if is_central(base, cite.issuer_code) else scope or UNKNOWN_SCOPE, cite=cite)


def resolve(
    docs: Iterable[DocRef],
    citations: Iterable[CiteRef],
    *,
    scope_of: ScopeOf = scope_of_document,
    resolve_undated_key: UndatedResolver = resolve_undated,
    level: LevelOf = level_of,
) -> Resolution:
    """Give every archive document and every citation a node, and build the edges.

    Everything in memory: the store rebuilds the graph group by group with the same
    functions (``pipeline.store_graph``), so its memory does not grow with the archive.

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
    scope = {d.doc_id: normalise_scope(scope_of(d)) for d in docs}
    refs: list[Ref] = []
    unkeyed: dict[str, list[DocRef]] = defaultdict(list)
    for d in docs:
        r = doc_ref(d, scope[d.doc_id])
        if r:
            refs.append(r)
        else:
            unkeyed[unkeyed_node_id(d)].append(d)
    cites = sorted((c for c in citations if c.doc_id in scope), key=lambda c: (c.doc_id, c.ordinal))
    refs += [cite_ref(c, scope[c.doc_id]) for c in cites]

    groups: dict[tuple[str, str | None], list[Ref]] = defaultdict(list)
    for r in refs:
        groups[(r.base, r.scope)].append(r)
    nodes: dict[str, Node] = {}
    doc_node: dict[str, str] = {}
    citation_node: dict[tuple[str, int], str] = {}
    for group in groups.values():
        group_nodes, ids = resolve_group(group, resolve_undated_key=resolve_undated_key, level=level)
        nodes.update((n.node_id, n) for n in group_nodes)
        for r, nid in zip(group, ids):
            if r.doc:
                doc_node[r.doc.doc_id] = nid
            elif r.cite:
                citation_node[(r.cite.doc_id, r.cite.ordinal)] = nid
    for nid, renders in unkeyed.items():
        nodes[nid] = unkeyed_node(nid, renders, normalise_scope(scope_of(renders[0])), level)
        doc_node.update((d.doc_id, nid) for d in renders)

    return Resolution(
        nodes=tuple(sorted(nodes.values(), key=lambda n: n.node_id)),
        edges=_edges(cites, doc_node, citation_node),
        doc_node=doc_node,
        citation_node=citation_node,
    )


def resolve_group(
    group: Sequence[Ref],
    *,
    resolve_undated_key: UndatedResolver = resolve_undated,
    level: LevelOf = level_of,
) -> tuple[list[Node], list[str]]:
    """The nodes of one key base in one scope, and the node id of each ref.

    ``group``: refs sharing ``base`` and ``scope``, documents first (by ``doc_id``), then
    citations (by ``doc_id``, ``ordinal``); that order decides whose attributes a node takes.
    Groups are independent of each other, which is what lets the store resolve an archive
    one group at a time.
    """
    base, sc = group[0].base, group[0].scope
    suffix = "" if sc is None else f"#{sc}"
    dated = sorted({r.date for r in group if len(r.date) == 10})
    members: dict[str, list[Ref]] = defaultdict(list)
    meta: dict[str, tuple[str, bool, int]] = {}  # node_id → (key, ambiguous, candidates)
    ids: list[str] = []
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
        old = meta.get(nid)
        meta[nid] = (key, ambiguous, max(n, old[2] if old else 0))
        members[nid].append(r)
        ids.append(nid)
    nodes = []
    for nid, rs in members.items():
        key, ambiguous, n = meta[nid]
        in_archive = any(r.doc for r in rs)
        nodes.append(_make_node(nid, key, rs, sc, ambiguous and not in_archive, n, level))
    return nodes, ids


def _same_render(ref: Ref, group: Sequence[Ref]) -> str | None:
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
    nid: str, key: str, refs: list[Ref], scope: str | None, ambiguous: bool, n: int, level: LevelOf
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


def unkeyed_node(nid: str, renders: Sequence[DocRef], scope: str | None, level: LevelOf = level_of) -> Node:
    """The node of archive documents without a symbol that share ``nid`` (renders of one
    document, by ``doc_id``): the first one's attributes, every one's ``doc_id``."""
    d = renders[0]
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
        doc_ids=tuple(r.doc_id for r in renders),
        title=d.title,
    )


def _edges(
    cites: list[CiteRef],
    doc_node: Mapping[str, str],
    citation_node: Mapping[tuple[str, int], str],
) -> tuple[Edge, ...]:
    """One edge per (source, target): ``implements`` wins over ``cites``.

    ``pipeline.store_graph`` builds the same edges in SQL; keep the two in step.

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
    "Ref",
    "Resolution",
    "cite_ref",
    "doc_ref",
    "edge_id",
    "level_of",
    "resolve",
    "resolve_group",
    "resolve_undated",
    "unkeyed_node",
    "unkeyed_node_id",
]
