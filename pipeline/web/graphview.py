"""The graph page's data: a filtered part of the stored graph in vis-network's format.

The page never rebuilds the graph: it reads ``nodes`` and ``edges`` as the last ingest
left them. A browser draws a few hundred nodes comfortably, so a selection larger than
:data:`NODE_LIMIT` keeps its best-connected nodes and says how many it left out.
Colours and shapes are those of ``kehoach graph --format html`` (``pipeline.graph``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import duckdb

from pipeline.queries import fetch, find_nodes
from pipeline.identity import LEVELS
from pipeline.web.labels import label, vn_date
from pipeline.web.trees import IN_LIST, closure

NODE_LIMIT = 400


def parse_filters(params: Mapping[str, Any], levels: list[str] | None = None) -> dict[str, Any]:
    """``directive`` (a key, symbol or node id), ``level`` (one or more), ``year``, ``cites``."""
    f: dict[str, Any] = {}
    directive = str(params.get("directive") or "").strip()[:200]
    if directive:
        f["directive"] = directive
    chosen = [lv for lv in (levels or []) if lv in LEVELS]
    if chosen:
        f["level"] = chosen
    try:
        f["year"] = int(str(params.get("year")))
    except (TypeError, ValueError):
        pass
    if str(params.get("cites") or "") in ("1", "on", "true"):
        f["cites"] = True
    return f


def graph_data(con: duckdb.DuckDBPyConnection, f: Mapping[str, Any]) -> dict[str, Any]:
    """Nodes and edges to draw, with counts; ``roots`` are the directive's nodes."""
    types = ["implements", "cites"] if f.get("cites") else ["implements"]
    roots: list[str] = find_nodes(con, f["directive"]) if f.get("directive") else []
    if f.get("directive") and not roots:
        return {"nodes": [], "edges": [], "total": 0, "shown": 0, "roots": [], "found": False}
    if roots:
        ids = list(closure(con, roots, "down"))
        if f.get("cites"):
            ids += [r[0] for r in con.execute(
                f"SELECT source FROM edges WHERE type = 'cites' AND target IN {IN_LIST}", [roots]).fetchall()]
        scope, args = f"n.node_id IN {IN_LIST}", [ids]
    else:
        scope = f"n.node_id IN (SELECT source FROM edges WHERE list_contains(?, type) UNION SELECT target FROM edges WHERE list_contains(?, type))"
        args = [types, types]
    conds = [scope]
    keep_roots = f"OR n.node_id IN {IN_LIST}" if roots else ""
    if f.get("level"):
        conds.append(f"(list_contains(?, coalesce(n.level, 'unknown')) {keep_roots})")
        args += [f["level"]] + ([roots] if roots else [])
    if f.get("year"):
        conds.append(f"(n.year = ? {keep_roots})")
        args += [f["year"]] + ([roots] if roots else [])
    con.execute(f"CREATE OR REPLACE TEMP TABLE gnodes AS SELECT n.node_id FROM nodes n WHERE {' AND '.join(conds)}", args)
    con.execute(
        """CREATE OR REPLACE TEMP TABLE gedges AS SELECT e.source, e.target FROM edges e
           WHERE list_contains(?, e.type) AND e.source IN (SELECT node_id FROM gnodes)
             AND e.target IN (SELECT node_id FROM gnodes) AND e.source <> e.target""",
        [types],
    )
    total = con.execute("SELECT count(*) FROM gnodes").fetchall()[0][0]
    shown = fetch(
        con,
        f"""WITH deg AS (SELECT node_id, count(*) AS degree FROM (SELECT source AS node_id FROM gedges
                         UNION ALL SELECT target FROM gedges) GROUP BY 1)
            SELECT n.node_id, n.key, n.label, n.doc_type, n.symbol, n.date, n.issuer, n.scope, n.level, n.in_archive,
                   n.title, coalesce(deg.degree, 0) AS degree
            FROM nodes n LEFT JOIN deg USING (node_id)
            WHERE n.node_id IN (SELECT node_id FROM gnodes)
            ORDER BY list_contains(?, n.node_id) DESC, degree DESC, n.node_id LIMIT {NODE_LIMIT}""",
        [roots],
    ).rows
    keep = [r["node_id"] for r in shown]
    edges = fetch(
        con,
        f"""SELECT source, target, type, count, inferred, left(evidence, 300) AS evidence FROM edges
            WHERE list_contains(?, type) AND source IN {IN_LIST} AND target IN {IN_LIST} AND source <> target
            ORDER BY source, target""",
        [types, keep, keep],
    ).rows
    data = _vis(shown, edges)
    return {**data, "total": total, "shown": len(shown), "roots": roots, "found": True}


def _vis(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> dict[str, Any]:
    """vis-network nodes and edges through ``pipeline.graph.vis_data``, tooltips in Vietnamese."""
    import networkx as nx

    from pipeline import graph

    g = nx.DiGraph()
    for n in nodes:
        g.add_node(n["node_id"], **{k: v for k, v in n.items() if k != "node_id" and v is not None},
                   colour=graph.type_colour(n.get("doc_type")))
    for e in edges:
        g.add_edge(e["source"], e["target"], **{k: v for k, v in e.items() if k not in ("source", "target") and v is not None})
    data = graph.vis_data(g)
    by_id = {n["node_id"]: n for n in nodes}
    for v in data["nodes"]:
        v["title"] = _tooltip(by_id[v["id"]])
    for v, e in zip(data["edges"], (g.edges[s, t] for s, t in g.edges)):
        v["title"] = f"{label('edge', e.get('type'))}" + (" (suy ra)" if e.get("inferred") else "") + (
            f"\n{str(e.get('evidence'))[:300]}" if e.get("evidence") else "")
    return data


def _tooltip(n: Mapping[str, Any]) -> str:
    lines = [
        " ".join(str(x) for x in (n.get("doc_type"), n.get("symbol") or n.get("key")) if x),
        n.get("issuer") or "",
        f"Ngày: {vn_date(n.get('date'))}" if n.get("date") else "",
        f"Cấp: {label('level', n.get('level'))}" + (f" — {n['scope']}" if n.get("scope") and n["scope"] != "?" else ""),
        "Có trong kho" if n.get("in_archive") else "Chỉ được trích dẫn",
        str(n.get("title") or "")[:200],
    ]
    return "\n".join(x for x in lines if x)


__all__ = ["NODE_LIMIT", "graph_data", "parse_filters"]
