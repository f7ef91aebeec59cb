"""The ready-made questions over the store: implementers, uncovered directives, deadlines, show.

Each function takes a DuckDB connection and returns ``(columns, rows)`` (rows as dicts)
so the CLI, notebooks and tests use the same code; the SQL is the documentation of
what each answer means.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb

from pipeline.identity import make_key, rules, split_key

Rows = list[dict[str, Any]]

# When one document is in the archive in several formats (one node, several files), its
# rows are counted once, from the render read most faithfully: text formats first, then
# anything not OCR'd.
FORMAT_PREFERENCE: tuple[str, ...] = ("docx", "txt", "md", "doc", "pdf", "pdf-scan", "image")


def representative_sql(alias: str = "d") -> str:
    """SQL ordering key of a document row: the smallest is its node's best render."""
    formats = ", ".join(f"'{f}'" for f in FORMAT_PREFERENCE)
    return (
        f"concat(coalesce({alias}.ocr_used, false)::INT,"
        f" lpad(coalesce(nullif(list_position([{formats}], {alias}.format), 0), 99)::VARCHAR, 2, '0'),"
        f" {alias}.path)"
    )


@dataclass(frozen=True)
class Result:
    columns: tuple[str, ...]
    rows: Rows


def fetch(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Result:
    """Run ``sql`` (``?`` parameters in a sequence, ``$name`` ones in a mapping); its columns and rows as dicts."""
    cur = con.execute(sql, dict(params) if isinstance(params, Mapping) else list(params))
    cols = tuple(d[0] for d in cur.description or ())
    return Result(cols, [dict(zip(cols, r)) for r in cur.fetchall()])



def run_sql(con: duckdb.DuckDBPyConnection, sql: str) -> Result:
    """Any SQL the analyst writes (``kehoach query``)."""
    return fetch(con, sql)


def find_nodes(con: duckdb.DuckDBPyConnection, key: str) -> list[str]:
    """Node ids that ``key`` names.

    Accepts a node id (``57-KH/TU@2022-01-24#Hà Tĩnh``), a key with or without
    ``@date`` (all dated nodes of that symbol), a symbol with leading zeros
    (``08-CT/TW``), ``KEY#scope`` (scope matched case-insensitively), or the path of
    an archive file.
    """
    key = key.strip()
    exact = con.execute("SELECT node_id FROM nodes WHERE node_id = ?", [key]).fetchall()
    if exact:
        return [r[0] for r in exact]
    text, _, scope = key.partition("#")
    base, when = split_key(text)
    base = make_key(base, None) or base
    sql = "SELECT node_id FROM nodes WHERE split_part(key, '@', 1) = ?"
    params: list[Any] = [base]
    if when:
        sql += " AND (key = ? OR starts_with(CAST(date AS VARCHAR), ?))"
        params += [f"{base}@{when}", when]
    if scope:
        sql += " AND scope ILIKE ?"
        params.append(scope.strip())
    found = [r[0] for r in con.execute(sql + " ORDER BY node_id", params).fetchall()]
    if not found:
        found = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT node_id FROM documents WHERE (path = ? OR doc_id = ? OR stem = ?)"
                " AND node_id IS NOT NULL ORDER BY 1",
                [key, key, key],
            ).fetchall()
        ]
    return found


IMPLEMENTERS_SQL = """
WITH RECURSIVE walk(node_id, depth, via, trail) AS (
    SELECT e.source, 1, e.target, [e.target, e.source]
    FROM edges e
    WHERE e.type = 'implements' AND list_contains(?::VARCHAR[], e.target)
  UNION ALL
    SELECT e.source, w.depth + 1, e.target, list_append(w.trail, e.source)
    FROM walk w JOIN edges e ON e.target = w.node_id AND e.type = 'implements'
    WHERE NOT list_contains(w.trail, e.source) AND w.depth < ?
),
best AS (
    SELECT node_id, via, min(depth) AS depth, arg_min(trail, depth) AS trail
    FROM walk GROUP BY node_id, via
)
SELECT t.label AS target, n.label AS implementer, b.depth, v.label AS via, b.trail,
       n.doc_type, n.date, n.issuer, n.scope, n.level, n.in_archive,
       (SELECT string_agg(d.path, '; ' ORDER BY d.path) FROM documents d WHERE d.node_id = n.node_id) AS files,
       n.node_id
FROM best b
JOIN nodes n ON n.node_id = b.node_id
JOIN nodes v ON v.node_id = b.via
JOIN nodes t ON t.node_id = b.trail[1]
ORDER BY b.depth, n.date NULLS LAST, n.label, v.label
"""


def implementers(con: duckdb.DuckDBPyConnection, key: str, *, max_depth: int = 20) -> Result:
    """Documents that implement ``key``, directly (depth 1) or through others (depth > 1).

    One row per implements edge in the closure: a plan that carries out both the
    target and an intermediate plan appears twice (``via`` the target at depth 1 and
    ``via`` the plan at depth 2). ``path`` is the shortest chain from the target down
    to the implementer through ``via``.
    """
    targets = find_nodes(con, key)
    res = fetch(con, IMPLEMENTERS_SQL, [targets, max_depth])
    labels = dict(con.execute("SELECT node_id, label FROM nodes").fetchall())
    cols = ("target", "implementer", "depth", "via", "path", "doc_type", "date", "issuer", "scope", "level",
            "in_archive", "files", "node_id")
    rows = []
    for r in res.rows:
        r = dict(r)
        r["path"] = " ← ".join(labels.get(n, n) for n in r.pop("trail"))
        rows.append({c: r.get(c) for c in cols})
    return Result(cols, rows)


def uncovered(con: duckdb.DuckDBPyConnection) -> Result:
    """Directives that documents cite but that no document's ``implements`` edge reaches.

    Directive types and the levels at which plans count as directives are in
    ``patterns/identity.json``.
    """
    r = rules()
    return fetch(
        con,
        """
        SELECT n.label AS directive, n.doc_type, n.date, n.issuer, n.level, n.scope, n.in_archive,
               count(DISTINCT e.source) AS cited_by,
               string_agg(DISTINCT s.label, '; ') AS cited_in, n.node_id
        FROM nodes n
        JOIN edges e ON e.target = n.node_id
        JOIN nodes s ON s.node_id = e.source
        WHERE n.node_id NOT IN (SELECT target FROM edges WHERE type = 'implements')
          AND (list_contains(?::VARCHAR[], n.doc_type)
               OR (list_contains(?::VARCHAR[], n.doc_type) AND list_contains(?::VARCHAR[], n.level)))
        GROUP BY ALL
        ORDER BY cited_by DESC, n.date NULLS LAST, n.label
        """,
        [r["directive_types"], r["plan_types"], r["plan_levels"]],
    )


DEADLINES_SQL = """
WITH items AS (
    SELECT a.doc_id, a.path, 'assignment' AS kind, a.unit, a.role, a.task, a.deadline AS text,
           a.deadline_start AS start_date, a.deadline_end AS end_date
    FROM assignments a
  UNION ALL
    SELECT dl.doc_id, dl.path, 'deadline', NULL, NULL, dl.sentence, dl.text, dl.start_date, dl.end_date
    FROM deadlines dl
)
SELECT coalesce(n.label, d.symbol, d.path) AS document, i.kind, i.unit, i.role, i.task, i.text AS deadline,
       i.start_date AS start, i.end_date AS "end",
       coalesce(i.end_date, i.start_date) < ?::DATE AS overdue,
       min(i.path) AS file
FROM items i
JOIN documents d ON d.doc_id = i.doc_id
LEFT JOIN nodes n ON n.node_id = d.node_id
WHERE (?::VARCHAR IS NULL OR (i.kind = 'assignment' AND i.unit ILIKE '%' || ? || '%'))
  AND (?::DATE IS NULL OR coalesce(i.end_date, i.start_date) <= ?::DATE)
  AND (?::DATE IS NULL OR coalesce(i.end_date, i.start_date) >= ?::DATE)
GROUP BY coalesce(d.node_id, d.doc_id), document, i.kind, i.unit, i.role, i.task, i.text, i.start_date, i.end_date
ORDER BY coalesce(i.end_date, i.start_date) NULLS LAST, document, i.kind, i.unit
"""


def deadlines(
    con: duckdb.DuckDBPyConnection,
    *,
    before: date | None = None,
    after: date | None = None,
    unit: str | None = None,
    today: date | None = None,
) -> Result:
    """Deadlines and assignments, one row per document (renders counted once).

    Args:
        before: keep items ending (or starting, without an end) on or before this day.
        after: keep items ending on or after this day.
        unit: keep assignments whose unit contains this text (case-insensitive).
        today: the day for ``overdue`` (default: today).
    """
    today = today or date.today()
    return fetch(con, DEADLINES_SQL, [today, unit, unit, before, before, after, after])


def show(con: duckdb.DuckDBPyConnection, key: str) -> dict[str, Any]:
    """One or more nodes that ``key`` names, each with its files and edges in and out."""
    out = []
    for nid in find_nodes(con, key):
        node = fetch(con, "SELECT * FROM nodes WHERE node_id = ?", [nid]).rows[0]
        files = fetch(
            con,
            "SELECT d.path, d.format, f.status, d.doc_key, d.issuer, d.date, d.title"
            " FROM documents d LEFT JOIN files f USING (path) WHERE d.node_id = ? ORDER BY d.path",
            [nid],
        )
        edges_out = fetch(
            con,
            "SELECT n.label AS target, e.type, e.count, e.inferred, e.evidence, e.target AS node_id"
            " FROM edges e JOIN nodes n ON n.node_id = e.target WHERE e.source = ? ORDER BY e.type DESC, n.label",
            [nid],
        )
        edges_in = fetch(
            con,
            "SELECT n.label AS source, e.type, e.count, e.inferred, e.evidence, e.source AS node_id"
            " FROM edges e JOIN nodes n ON n.node_id = e.source WHERE e.target = ? ORDER BY e.type DESC, n.label",
            [nid],
        )
        out.append({"node": node, "files": files.rows, "edges_out": edges_out.rows, "edges_in": edges_in.rows})
    return {"key": key, "matches": out}


__all__ = ["FORMAT_PREFERENCE", "Result", "deadlines", "fetch", "find_nodes", "implementers", "representative_sql",
           "run_sql", "show", "uncovered"]
