"""Implementation trees and coverage: who carries out a document, level by level.

The walk follows ``implements`` edges only (a plan citing a directive in passing does
not carry it out). Downwards, the children of a node are the documents implementing it;
upwards, the documents it implements, up to the central directives. The graph is a DAG
with shared descendants (a district plan carrying out both the provincial plan and the
directive), so each node is expanded once, where the walk first meets it at the smallest
depth, and shown again elsewhere as a reference to that place.

Coverage answers "which of the expected bodies have an implementing document". The
archive has no list of bodies, so the expected ones are read from it: the bodies at each
lower level that carry out *some* document of the same issuing body (for a central
directive: every body with a document in the archive). A body is a province (its scope) at province
level, else the issuing organ's name.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from typing import Any

import duckdb

from pipeline.queries import fetch, representative_sql
from pipeline.identity import LEVELS

MAX_DEPTH = 12
IN_LIST = "(SELECT unnest(?::VARCHAR[]))"  # ``x IN`` a list parameter, as a hash join
TREE_LIMIT = 1500  # nodes drawn in one tree; the rest are counted

_WALK = """
WITH RECURSIVE walk(node_id, depth) AS (
    SELECT unnest(?::VARCHAR[]), 0
  UNION
    SELECT e.{step}, w.depth + 1 FROM walk w JOIN edges e ON e.{back} = w.node_id AND e.type = 'implements'
    WHERE w.depth < {max_depth}
)"""

_NODES = """
SELECT n.node_id, n.label, n.key, n.doc_type, n.symbol, n.date, n.year, n.issuer, n.scope, n.level,
       n.in_archive, n.ambiguous, n.candidates, r.doc_id
FROM nodes n LEFT JOIN (
    SELECT d.node_id, arg_min(d.doc_id, {rank}) AS doc_id FROM documents d
    WHERE d.node_id IN {ids} GROUP BY 1) r USING (node_id)
WHERE n.node_id IN {ids}"""


def node_rows(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The nodes every page shows, each with its best archive render (``doc_id``, or None)."""
    if not ids:
        return {}
    sql = _NODES.format(rank=representative_sql("d"), ids="(SELECT unnest($ids::VARCHAR[]))")
    return {r["node_id"]: r for r in fetch(con, sql, {"ids": list(ids)}).rows}


def closure(con: duckdb.DuckDBPyConnection, roots: Sequence[str], direction: str) -> dict[str, int]:
    """Nodes reachable from ``roots`` along implements edges, with their smallest depth.

    ``direction``: ``down`` (who implements them) or ``up`` (what they implement).
    """
    step, back = ("source", "target") if direction == "down" else ("target", "source")
    sql = _WALK.format(step=step, back=back, max_depth=MAX_DEPTH) + " SELECT node_id, min(depth) FROM walk GROUP BY 1"
    return dict(con.execute(sql, [list(roots)]).fetchall())


def reach(con: duckdb.DuckDBPyConnection, roots: Sequence[str]) -> set[str]:
    """The nodes implementing ``roots`` at any depth, and the roots (no depths: cheaper)."""
    sql = """WITH RECURSIVE walk(node_id) AS (
                 SELECT unnest(?::VARCHAR[])
               UNION
                 SELECT e.source FROM walk w JOIN edges e ON e.target = w.node_id AND e.type = 'implements')
             SELECT node_id FROM walk"""
    return {r[0] for r in con.execute(sql, [list(roots)]).fetchall()}


def tree(con: duckdb.DuckDBPyConnection, root: str, direction: str, limit: int = TREE_LIMIT) -> dict[str, Any]:
    """The implementation tree of ``root``: nested nodes with the edge evidence.

    Returns ``{"root": node, "by_level": {level: count}, "total": n, "shown": k,
    "truncated": bool}``; each node dict has ``children`` (each with ``evidence``,
    ``inferred`` and ``repeat`` when it is expanded elsewhere in the tree).
    """
    depth = closure(con, [root], direction)
    ids = list(depth)
    nodes = node_rows(con, ids)
    parent_col, child_col = ("target", "source") if direction == "down" else ("source", "target")
    edges = fetch(
        con,
        f"SELECT {parent_col} AS parent, {child_col} AS child, evidence, inferred FROM edges"
        f" WHERE type = 'implements' AND source IN {IN_LIST} AND target IN {IN_LIST}",
        [ids, ids],
    ).rows if len(ids) > 1 else []
    children: dict[str, list[dict[str, Any]]] = {}
    for e in edges:
        if e["child"] in nodes and e["child"] != e["parent"]:
            children.setdefault(e["parent"], []).append(e)
    for kids in children.values():
        kids.sort(key=lambda e: _order(nodes[e["child"]]))

    expanded: set[str] = set()
    shown = 0

    def item(nid: str, edge: dict[str, Any] | None) -> dict[str, Any]:
        return {**nodes.get(nid, {"node_id": nid, "label": nid}), "depth": depth.get(nid, 0),
                "evidence": edge["evidence"] if edge else None, "inferred": bool(edge and edge["inferred"]),
                "repeat": False, "children": []}

    top = item(root, None)
    queue: deque[tuple[dict[str, Any], str]] = deque([(top, root)])
    expanded.add(root)
    while queue:  # breadth first: a node is expanded where it is nearest the root
        holder, nid = queue.popleft()
        for e in children.get(nid, ()):
            if shown >= limit:
                break
            child = item(e["child"], e)
            shown += 1
            holder["children"].append(child)
            if e["child"] in expanded:
                child["repeat"] = True
            else:
                expanded.add(e["child"])
                queue.append((child, e["child"]))
    by_level: dict[str, int] = {}
    for nid in depth:
        if nid != root and nid in nodes:
            lv = nodes[nid]["level"] or "unknown"
            by_level[lv] = by_level.get(lv, 0) + 1
    return {
        "root": top,
        "by_level": {lv: by_level[lv] for lv in _levels(by_level)},
        "total": len(depth) - 1,
        "shown": shown,
        "truncated": shown >= limit and len(edges) > shown,
    }


def _order(node: dict[str, Any]) -> tuple[Any, ...]:
    level = node.get("level") or "unknown"
    return (LEVELS.index(level) if level in LEVELS else len(LEVELS), str(node.get("date") or "9999"), node.get("label") or "")


def _levels(levels: Any) -> list[str]:
    return sorted(levels, key=lambda lv: LEVELS.index(lv) if lv in LEVELS else len(LEVELS))


def _place_sql(alias: str) -> str:
    """The body a node stands for: its province at province level, else its issuer."""
    return f"CASE WHEN {alias}.level = 'province' THEN {alias}.scope ELSE {alias}.issuer END"


def coverage(con: duckdb.DuckDBPyConnection, node_id: str) -> dict[str, Any]:
    """Per level below ``node_id``'s: the bodies with an implementing document, and the
    expected bodies (see the module docstring) without one.

    Returns ``{"basis": str, "levels": [{"level", "covered": [{"place", "nodes": [...]}],
    "missing": [place, ...], "expected": n}]}``.
    """
    me = fetch(con, f"SELECT level, {_place_sql('n')} AS place FROM nodes n WHERE node_id = ?", [node_id]).rows
    if not me:
        return {"basis": "", "levels": []}
    level, place = me[0]["level"] or "unknown", me[0]["place"]
    mine = reach(con, [node_id])
    if level == "central":  # every body with a document in the archive
        basis, scope, args = "central", f"(n.in_archive OR n.node_id IN {IN_LIST})", [list(mine)]
    else:
        peers = [node_id]
        if place and place != "?":
            peers = [r[0] for r in con.execute(
                f"SELECT node_id FROM nodes n WHERE level = ? AND {_place_sql('n')} = ?", [level, place]).fetchall()]
        basis, scope, args = ("body" if len(peers) > 1 else "self"), f"n.node_id IN {IN_LIST}", [list(reach(con, peers) | mine)]
    below = [lv for lv in LEVELS[LEVELS.index(level) + 1 :] if lv != "unknown"] if level in LEVELS else []
    rows = con.execute(
        f"""SELECT level, place, bool_or(covered) AS covered,
                   list({{'node_id': node_id, 'label': label}} ORDER BY date NULLS LAST, label) FILTER (WHERE covered)
            FROM (SELECT n.node_id, n.label, n.level, n.date, {_place_sql('n')} AS place,
                         n.node_id IN {IN_LIST} AS covered
                  FROM nodes n
                  WHERE {scope} AND list_contains(?, n.level)
                    AND {_place_sql('n')} IS NOT NULL AND {_place_sql('n')} NOT IN ('', '?'))
            GROUP BY level, place ORDER BY place""",
        [list(mine), *args, below],
    ).fetchall()
    levels = []
    for lv in below:
        covered = [{"place": p, "nodes": ns} for lvl, p, c, ns in rows if lvl == lv and c]
        missing = [p for lvl, p, c, _ in rows if lvl == lv and not c]
        if covered or missing:
            levels.append({"level": lv, "covered": covered, "missing": missing, "expected": len(covered) + len(missing)})
    return {"basis": basis, "levels": levels}


__all__ = ["IN_LIST", "MAX_DEPTH", "TREE_LIMIT", "closure", "coverage", "node_rows", "reach", "tree"]
