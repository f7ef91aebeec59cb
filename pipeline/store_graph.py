"""Rebuilding the graph tables (``nodes``, ``edges``, ``documents.node_id``/``level``,
``citations.target_node``, the search rows of nodes) in memory that does not grow with the
archive.

Identity groups (one key base in one scope, see ``pipeline.resolve.resolve_group``) are
independent of each other, so the archive is resolved one group at a time:

1. documents are read a page at a time (their citations with them, for the citing
   document's scope) and each one's group is written to a scratch table;
2. the scratch rows are read back in buckets (a hash of the key base, so a group never
   spans two), each bucket sorted into group order, and each group's nodes and node ids
   go to scratch tables;
3. the edges and the nodes' search rows are derived into scratch tables, a bucket of
   source nodes at a time;
4. one short transaction copies the scratch tables in, so readers never see half a graph.

Why buckets: one sort or aggregation over the whole archive does not stay under DuckDB's
memory limit (a window's sort and a transaction's undo data do not spill), while one
bucket's does. What Python holds at once is a page and the largest group (the citations of
the most cited document), not the archive. ``pipeline.resolve.resolve`` is the in-memory
reference the tests compare this with.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

import duckdb
import pyarrow as pa

from pipeline import search
from pipeline.identity import normalise_scope
from pipeline.resolve import (
    CiteRef,
    DocRef,
    Node,
    Ref,
    cite_ref,
    doc_ref,
    resolve_group,
    unkeyed_node,
    unkeyed_node_id,
)

PAGE = 5000  # documents (with their citations) or scratch rows per page
BUCKET = 50000  # scratch rows (or citations) sorted or aggregated at once
DOC, CITE, UNKEYED = 0, 1, 2

SCRATCH = """
CREATE OR REPLACE TABLE _graph_refs (
    kind TINYINT, doc_id VARCHAR, ordinal INTEGER, gbase VARCHAR, gscope VARCHAR, date VARCHAR,
    key VARCHAR, symbol VARCHAR, doc_type VARCHAR, issuer VARCHAR, issuer_code VARCHAR,
    type_code VARCHAR, title VARCHAR, sha256 VARCHAR, scope VARCHAR
);
CREATE OR REPLACE TABLE _graph_nodes AS SELECT * FROM nodes LIMIT 0;
CREATE OR REPLACE TABLE _graph_doc_node (doc_id VARCHAR, node_id VARCHAR);
CREATE OR REPLACE TABLE _graph_cite_node (doc_id VARCHAR, ordinal INTEGER, node_id VARCHAR);
CREATE OR REPLACE TABLE _graph_edges AS SELECT * FROM edges LIMIT 0;
CREATE OR REPLACE TABLE _graph_search AS SELECT * FROM search LIMIT 0;
"""
REF_COLUMNS = (
    "kind", "doc_id", "ordinal", "gbase", "gscope", "date", "key", "symbol", "doc_type", "issuer",
    "issuer_code", "type_code", "title", "sha256", "scope",
)  # fmt: skip
SCRATCH_TABLES = ("_graph_refs", "_graph_nodes", "_graph_doc_node", "_graph_cite_node", "_graph_parts",
                  "_graph_edges", "_graph_search")

# One edge per (source, target) from the citations and their nested "A ... thực hiện B"
# (carries_out): the SQL form of pipeline.resolve._edges, order of "first" included.
# PARTS_SQL writes every contribution to an edge from one bucket of citing documents (from
# the scratch node maps, before they are swapped in); EDGES_SQL aggregates the parts of one
# bucket of source nodes.
PARTS_TABLE = """
CREATE OR REPLACE TABLE _graph_parts (
    src VARCHAR, tgt VARCHAR, doc_id VARCHAR, ordinal INTEGER, sub BIGINT, n INTEGER, impl BOOLEAN,
    inf BOOLEAN, ev VARCHAR
)
"""
PARTS_SQL = """
INSERT INTO _graph_parts
WITH c AS (
    SELECT c.doc_id, c.ordinal, c.key, d.node_id AS src, t.node_id AS tgt,
           greatest(coalesce(c.mentions, 1), 1) AS n, coalesce(c.implements, false) AS impl,
           coalesce(c.sentence, '') AS ev, c.carries_out
    FROM citations c JOIN _graph_doc_node d ON d.doc_id = c.doc_id
    JOIN _graph_cite_node t ON t.doc_id = c.doc_id AND t.ordinal = c.ordinal
    WHERE d.node_id IS NOT NULL AND t.node_id IS NOT NULL AND hash(c.doc_id) % $buckets = $bucket
),
key_node AS (
    SELECT doc_id, key, arg_max(tgt, ordinal) AS node FROM c GROUP BY doc_id, key
),
carried AS (
    SELECT tgt, doc_id, ordinal, ev, unnest(carries_out) AS carried, generate_subscripts(carries_out, 1) AS sub
    FROM c WHERE len(carries_out) > 0
)
SELECT src, tgt, doc_id, ordinal, 0 AS sub, n, impl, false AS inf, ev FROM c WHERE src <> tgt
UNION ALL
SELECT x.tgt, k.node, x.doc_id, x.ordinal, x.sub, 0, true, true, x.ev
FROM carried x JOIN key_node k ON k.doc_id = x.doc_id AND k.key = x.carried
WHERE k.node <> x.tgt
"""
EDGES_SQL = """
INSERT INTO _graph_edges
WITH parts AS (SELECT * FROM _graph_parts WHERE hash(src) % $buckets = $bucket),
counts AS (
    SELECT src, tgt, max(n) AS n FROM (SELECT src, tgt, doc_id, sum(n) AS n FROM parts GROUP BY ALL) GROUP BY ALL
),
pairs AS (
    SELECT src, tgt,
           bool_or(impl) AS impl,
           bool_or(impl AND NOT inf) AS stated,
           arg_min(ev, (doc_id, ordinal, sub)) FILTER (WHERE impl AND ev <> '') AS impl_ev,
           arg_min(ev, (doc_id, ordinal, sub)) FILTER (WHERE NOT impl AND ev <> '') AS any_ev,
           list_sort(list_distinct(list(doc_id))) AS doc_ids
    FROM parts GROUP BY src, tgt
),
typed AS (
    SELECT p.src, p.tgt, CASE WHEN p.impl THEN 'implements' ELSE 'cites' END AS type,
           CAST(greatest(1, n.n) AS INTEGER) AS count, coalesce(p.impl_ev, p.any_ev, '') AS evidence,
           p.impl AND NOT p.stated AS inferred, p.doc_ids
    FROM pairs p JOIN counts n ON n.src = p.src AND n.tgt = p.tgt
)
SELECT substr(sha1(src || chr(31) || tgt || chr(31) || type), 1, 16), src, tgt, type, count, evidence, inferred, doc_ids
FROM typed
"""


def rebuild(con: duckdb.DuckDBPyConnection, *, page: int = PAGE, bucket: int = BUCKET) -> None:
    """Resolve identity over every document and citation; rewrite the graph tables.

    ``page`` rows are fetched or appended at once; ``bucket`` rows are sorted or aggregated
    at once."""
    con.execute(SCRATCH)
    try:
        _write_refs(con, page)
        _resolve_groups(con, page, bucket)
        _write_edges(con, bucket)
        search.index_nodes(con, "_graph_nodes", "_graph_search", page)
        _swap_in(con)
    finally:
        for table in SCRATCH_TABLES:
            con.execute(f"DROP TABLE IF EXISTS {table}")


# ------------------------------------------------------------------ 1. groups


def _doc_pages(con: duckdb.DuckDBPyConnection, page: int) -> Iterator[list[tuple[Any, ...]]]:
    last = ""
    while True:
        rows = con.execute(
            "SELECT doc_id, doc_key, symbol, doc_type, CAST(date AS VARCHAR), issuer, coalesce(issuer_code, ''),"
            " coalesce(type_code, ''), scope, title, coalesce(sha256, '') FROM documents WHERE doc_id > ?"
            " ORDER BY doc_id LIMIT ?",
            [last, page],
        ).fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _write_refs(con: duckdb.DuckDBPyConnection, page: int) -> None:
    """Each document's and citation's identity group, into ``_graph_refs``."""
    for rows in _doc_pages(con, page):
        docs = {r[0]: DocRef(*r) for r in rows}
        scope = {d.doc_id: normalise_scope(d.scope) for d in docs.values()}
        out: list[tuple[Any, ...]] = []
        for d in docs.values():
            r = doc_ref(d, scope[d.doc_id])
            if r:
                out.append(_ref_row(DOC, r, d.doc_id, -1, d.key, d, scope[d.doc_id]))
            else:  # grouped by its unkeyed node id; its own scope and date go along
                out.append((UNKEYED, d.doc_id, -1, unkeyed_node_id(d), None, d.date, None, d.symbol, d.doc_type,
                            d.issuer, d.issuer_code, d.type_code, d.title, d.sha256, scope[d.doc_id]))  # fmt: skip
        cites = con.execute(
            "SELECT doc_id, ordinal, key, symbol, doc_type, NULL, issuer, coalesce(issuer_code, ''),"
            " coalesce(type_code, '') FROM citations WHERE doc_id >= ? AND doc_id <= ?",
            [rows[0][0], rows[-1][0]],
        ).fetchall()
        for row in cites:
            if row[0] in docs:
                c = CiteRef(*row)
                out.append(_ref_row(CITE, cite_ref(c, scope[c.doc_id]), c.doc_id, c.ordinal, c.key, c, None))
        _append(con, "_graph_refs", REF_COLUMNS, out)


def _ref_row(kind: int, r: Ref, doc_id: str, ordinal: int, key: str | None, src: Any, scope: str | None) -> tuple[Any, ...]:
    return (kind, doc_id, ordinal, r.base, r.scope, r.date, key, src.symbol, src.doc_type, src.issuer,
            src.issuer_code, src.type_code, getattr(src, "title", None), getattr(src, "sha256", ""), scope)  # fmt: skip


# ------------------------------------------------------------------ 2. resolve


def _resolve_groups(con: duckdb.DuckDBPyConnection, page: int, bucket_rows: int) -> None:
    """Read ``_graph_refs`` a bucket at a time, in group order, and resolve one group at a time."""
    cols = ", ".join(REF_COLUMNS)
    out = _Output(con, page)
    n = _buckets(con, "_graph_refs", bucket_rows)
    with con.cursor() as reader:  # its own connection: ``out`` inserts on ``con`` while a bucket streams
        for bucket in range(n):
            cur = reader.execute(
                f"SELECT {cols} FROM _graph_refs WHERE hash(gbase) % $n = $b"
                " ORDER BY gbase, gscope NULLS FIRST, kind, doc_id, ordinal", {"n": n, "b": bucket}
            )
            group: list[tuple[Any, ...]] = []
            while rows := cur.fetchmany(page):
                for row in rows:
                    if group and (row[3], row[4]) != (group[0][3], group[0][4]):
                        out.add(*_resolve_rows(group))
                        group = []
                    group.append(row)
            if group:
                out.add(*_resolve_rows(group))
    out.flush()
    con.execute("DROP TABLE _graph_refs")


def _buckets(con: duckdb.DuckDBPyConnection, table: str, bucket_rows: int) -> int:
    """How many buckets split ``table`` into parts of about ``bucket_rows`` rows."""
    rows = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    return max(1, -(-rows // bucket_rows))


class _Output:
    """Resolved nodes and node ids, buffered and appended a page at a time."""

    def __init__(self, con: duckdb.DuckDBPyConnection, page: int) -> None:
        self.con, self.page = con, page
        self.nodes: list[tuple[Any, ...]] = []
        self.docs: list[tuple[str, str]] = []
        self.cites: list[tuple[str, int, str]] = []

    def add(self, nodes: list[Node], docs: list[tuple[str, str]], cites: list[tuple[str, int, str]]) -> None:
        self.nodes += [_node_row(n) for n in nodes]
        self.docs += docs
        self.cites += cites
        if len(self.nodes) + len(self.docs) + len(self.cites) >= self.page:
            self.flush()

    def flush(self) -> None:
        _append(self.con, "_graph_nodes", NODE_COLUMNS, self.nodes)
        _append(self.con, "_graph_doc_node", ("doc_id", "node_id"), self.docs)
        _append(self.con, "_graph_cite_node", ("doc_id", "ordinal", "node_id"), self.cites)
        self.nodes, self.docs, self.cites = [], [], []


def _resolve_rows(rows: Sequence[tuple[Any, ...]]) -> tuple[list[Node], list[tuple[str, str]], list[tuple[str, int, str]]]:
    """The nodes of one group of scratch rows, and the node of each document and citation."""
    if rows[0][0] == UNKEYED:
        renders = [DocRef(r[1], None, r[7], r[8], r[5], r[9], r[10], r[11], r[14], r[12], r[13]) for r in rows]
        nid = rows[0][3]
        return [unkeyed_node(nid, renders, rows[0][14])], [(d.doc_id, nid) for d in renders], []
    refs = [
        Ref(r[3], r[5], r[4], doc=DocRef(r[1], r[6], r[7], r[8], None, r[9], r[10], r[11], r[14], r[12], r[13]))
        if r[0] == DOC
        else Ref(r[3], r[5], r[4], cite=CiteRef(r[1], r[2], r[6], r[7], r[8], None, r[9], r[10], r[11]))
        for r in rows
    ]
    nodes, ids = resolve_group(refs)
    docs = [(r.doc.doc_id, nid) for r, nid in zip(refs, ids) if r.doc]
    cites = [(r.cite.doc_id, r.cite.ordinal, nid) for r, nid in zip(refs, ids) if r.cite]
    return nodes, docs, cites


NODE_COLUMNS = (
    "node_id", "key", "label", "doc_type", "symbol", "date", "year", "issuer", "issuer_code", "type_code",
    "scope", "level", "in_archive", "ambiguous", "candidates", "doc_ids", "title",
)  # fmt: skip


def _node_row(n: Node) -> tuple[Any, ...]:
    return tuple(
        (date.fromisoformat(n.date) if n.date else None) if c == "date" else list(n.doc_ids) if c == "doc_ids"
        else getattr(n, c)
        for c in NODE_COLUMNS
    )  # fmt: skip


# --------------------------------------------------------------------- 3. swap


def _write_edges(con: duckdb.DuckDBPyConnection, bucket_rows: int) -> None:
    """The edges into ``_graph_edges``, one bucket of source nodes at a time."""
    con.execute(PARTS_TABLE)
    n = _buckets(con, "citations", bucket_rows)
    for bucket in range(n):
        con.execute(PARTS_SQL, {"buckets": n, "bucket": bucket})
    n = _buckets(con, "_graph_parts", bucket_rows)
    for bucket in range(n):
        con.execute(EDGES_SQL, {"buckets": n, "bucket": bucket})
    con.execute("DROP TABLE _graph_parts")


def _swap_in(con: duckdb.DuckDBPyConnection) -> None:
    """Copy the scratch tables in, in one transaction."""
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM nodes")
        con.execute("INSERT INTO nodes SELECT * FROM _graph_nodes")
        con.execute(
            "UPDATE documents AS d SET node_id = u.node_id, level = u.level FROM (SELECT m.doc_id, m.node_id,"
            " n.level FROM _graph_doc_node m LEFT JOIN _graph_nodes n ON n.node_id = m.node_id) AS u"
            " WHERE d.doc_id = u.doc_id"
        )
        con.execute(
            "UPDATE citations AS c SET target_node = u.node_id FROM _graph_cite_node AS u"
            " WHERE c.doc_id = u.doc_id AND c.ordinal = u.ordinal"
        )
        con.execute("DELETE FROM edges")
        con.execute("INSERT INTO edges SELECT * FROM _graph_edges")
        con.execute("DELETE FROM search WHERE kind = 'node'")
        con.execute("INSERT INTO search SELECT * FROM _graph_search")
        con.execute("DELETE FROM meta WHERE name = 'graph_stale'")
        con.execute("INSERT INTO meta VALUES ('graph_stale', '0')")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


# -------------------------------------------------------------------- helpers


def _append(con: duckdb.DuckDBPyConnection, table: str, names: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Append rows to a scratch table through Arrow (one statement for the page)."""
    if not rows:
        return
    batch = pa.Table.from_pylist([dict(zip(names, r)) for r in rows])
    con.register("_kehoach_page", batch)
    try:
        cols = ", ".join(f'"{c}"' for c in names)
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _kehoach_page")
    finally:
        con.unregister("_kehoach_page")


__all__ = ["rebuild"]
