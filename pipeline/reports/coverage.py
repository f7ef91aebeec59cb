"""Notebook 02: for each central directive, the plans carrying it out, by level.

Coverage follows ``implements`` edges transitively: a commune plan carrying out a
district plan that carries out a provincial plan of Kết luận 21 covers Kết luận 21.
The counts walk the edges in DuckDB (:data:`REACH_CTE`), so a 100,000-document archive
never reaches pandas whole; the per-plan detail is ``pipeline.queries.implementers``
(the recursive SQL behind ``kehoach implementers``), so the notebook and the CLI agree.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import pandas as pd
from matplotlib.axes import Axes

from pipeline import queries
from pipeline.graph import LEVEL_COLOURS, build_graph, layered_positions
from pipeline.reports.drawing import fit, no_data
from pipeline.reports.tables import (
    CENTRAL,
    NONE_LABEL,
    Connection,
    has_table,
    levels_sorted,
    query,
    result_frame,
    text,
)

# A node's short name: its symbol, else its label, key or id (what the matrix columns show).
SHORT = "coalesce(nullif({n}.symbol, ''), nullif({n}.label, ''), nullif({n}.key, ''), {n}.node_id)"

MAX_DEPTH = 20  # implements chains longer than this are cycles, not a hierarchy

# ``best(directive, node, depth)``: every plan carrying out a central directive, directly
# (depth 1) or through other plans, at its shortest distance (a ``WITH RECURSIVE`` part).
# Nodes are walked by ``nodes.rowid``, not by their long text ids: the walk's hash
# tables, which DuckDB cannot spill, are then a fraction of the size.
REACH_CTE = f"""
impl AS MATERIALIZED (
    SELECT s.rowid AS source, t.rowid AS target, t.level = '{CENTRAL}' AS central
    FROM edges e JOIN nodes s ON s.node_id = e.source JOIN nodes t ON t.node_id = e.target
    WHERE e.type = 'implements'
),
walk(directive, node, depth) AS (
    SELECT target, source, 1 FROM impl WHERE central
  UNION
    SELECT w.directive, i.source, w.depth + 1 FROM walk w JOIN impl i ON i.target = w.node WHERE w.depth < {MAX_DEPTH}
),
best AS MATERIALIZED (SELECT directive, node, min(depth) AS depth FROM walk WHERE node <> directive GROUP BY ALL)"""

# ``traced(node, directive)``: each plan node (by rowid) with the central directives it
# leads up to, else the documents it implements itself (after :data:`REACH_CTE`).
TRACED_CTE = f"""{REACH_CTE},
traced AS (
    SELECT b.node, {SHORT.format(n="n")} AS directive FROM best b JOIN nodes n ON n.rowid = b.directive
  UNION ALL
    SELECT i.source, {SHORT.format(n="t")} FROM impl i JOIN nodes t ON t.rowid = i.target
    WHERE i.source NOT IN (SELECT node FROM best)
)"""
GRAPH_TABLES = ("nodes", "edges")


def implements_graph(con: Connection) -> nx.DiGraph:
    """The store's graph with only its ``implements`` edges (plan → what it carries out).

    Node attributes are those of ``pipeline.graph.build_graph`` plus ``short`` (the
    symbol, for drawing and matrix columns).
    """
    if not has_table(con, "nodes"):
        return nx.DiGraph()
    full = build_graph(con)
    graph = nx.DiGraph()
    for node, attrs in full.nodes(data=True):
        label = text(attrs.get("label")) or text(attrs.get("key")) or str(node)
        graph.add_node(node, **{**attrs, "label": label, "short": text(attrs.get("symbol")) or label})
    graph.add_edges_from((s, t) for s, t, a in full.edges(data=True) if a.get("type") == "implements")
    return graph


def is_central(attrs: dict[str, Any]) -> bool:
    return attrs.get("level") == CENTRAL


def directive_implementers(con: Connection) -> pd.DataFrame:
    """For each central directive, every plan that carries it out, directly or via other plans.

    One row per plan: ``depth`` is its shortest distance (1: the plan names the
    directive itself; 2: it carries out a plan that names it, ...), ``path`` that
    shortest chain, and ``via`` every document it carries out on the way (a plan naming
    both the directive and a provincial plan has two). ``in_archive`` is False for
    plans known only because an archive document cites them. A detail table: one row
    per plan, as long as the archive.
    """
    directives = query(
        con, f"""SELECT DISTINCT e.target AS node, {SHORT.format(n="t")} AS short
        FROM edges e JOIN nodes t ON t.node_id = e.target WHERE e.type = 'implements' AND t.level = '{CENTRAL}'""",
        tables=GRAPH_TABLES, columns=["node", "short"],
    )
    parts = [
        result_frame(queries.implementers(con, node)).assign(directive=short, directive_node=node)
        for node, short in zip(directives["node"], directives["short"])
    ]
    columns = ["directive", "directive_node", "implementer", "level", "depth", "via", "path",
               "doc_type", "date", "issuer", "in_archive", "files"]
    if not parts:
        return pd.DataFrame(columns=columns)
    edges = pd.concat(parts, ignore_index=True).sort_values(["depth", "via"])
    vias = edges.groupby(["directive_node", "node_id"])["via"].agg(lambda v: "; ".join(dict.fromkeys(v)))
    table = edges.drop_duplicates(["directive_node", "node_id"]).drop(columns="via")
    table = table.join(vias, on=["directive_node", "node_id"])[columns]
    return table.sort_values(["directive", "depth", "implementer"]).reset_index(drop=True)


def directive_coverage(con: Connection, named: int = 20) -> pd.DataFrame:
    """One row per central directive: implementing plans counted by level, and named.

    Counted in DuckDB (the walk of :data:`REACH_CTE`); ``plans`` names the first
    ``named`` plans alphabetically and says how many more there are.
    """
    base = query(
        con, f"""SELECT {SHORT.format(n="n")} AS directive, node_id AS directive_node, coalesce(doc_type, '') AS doc_type,
               coalesce(date::VARCHAR, '') AS date, coalesce(issuer, '') AS issuer
        FROM nodes n WHERE level = '{CENTRAL}'""",
        tables=GRAPH_TABLES, columns=["directive", "directive_node", "doc_type", "date", "issuer"],
    )
    params = {"named": named, "none": NONE_LABEL}
    levels = query(
        con, f"""WITH RECURSIVE {REACH_CTE}
        SELECT t.node_id AS directive_node, coalesce(nullif(n.level, ''), $none) AS level, count(*) AS n
        FROM best b JOIN nodes n ON n.rowid = b.node JOIN nodes t ON t.rowid = b.directive GROUP BY ALL""",
        params, tables=GRAPH_TABLES, columns=["directive_node", "level", "n"],
    )
    summary = query(
        con, f"""WITH RECURSIVE {REACH_CTE}
        SELECT t.node_id AS directive_node, count(*) FILTER (WHERE b.depth = 1) AS direct,
               array_to_string(list_sort(list(coalesce(n.label, n.node_id)))[1:$named], ', ')
               || CASE WHEN count(*) > $named THEN format(', … (+{{}} more)', count(*) - $named) ELSE '' END AS plans
        FROM best b JOIN nodes n ON n.rowid = b.node JOIN nodes t ON t.rowid = b.directive GROUP BY ALL""",
        params, tables=GRAPH_TABLES, columns=["directive_node", "direct", "plans"],
    )
    counts = levels.pivot(index="directive_node", columns="level", values="n")
    counts = counts.reindex(columns=levels_sorted(counts.columns))
    table = base.join(counts, on="directive_node").join(summary.set_index("directive_node"), on="directive_node")
    count_cols = [*counts.columns, "direct"]
    table[count_cols] = table[count_cols].fillna(0).astype(int)
    table["total"] = table[list(counts.columns)].sum(axis=1).astype(int)
    table["plans"] = table["plans"].fillna("")
    table = table[[c for c in table.columns if c != "plans"] + ["plans"]]
    return table.sort_values(["total", "directive"], ascending=[False, True]).reset_index(drop=True)


def uncovered_directives(con: Connection) -> pd.DataFrame:
    """Directives the archive cites that no document's ``implements`` edge reaches.

    The same answer as ``kehoach uncovered`` (``pipeline.queries.uncovered``): directive
    types, and plans of higher levels, per ``patterns/identity.json``.
    """
    if not has_table(con, "nodes"):
        return pd.DataFrame(columns=["directive"])
    return result_frame(queries.uncovered(con))


def _linked(con: Connection) -> int:
    """How many nodes have an ``implements`` link."""
    if not all(has_table(con, t) for t in GRAPH_TABLES):
        return 0
    row = con.execute(
        "SELECT count(*) FROM (SELECT source FROM edges WHERE type = 'implements'"
        " UNION SELECT target FROM edges WHERE type = 'implements')"
    ).fetchone()
    return int(row[0]) if row else 0


def _chains(con: Connection, max_nodes: int, fanout: int) -> list[str]:
    """Chains that show the hierarchy, at most ``max_nodes`` nodes: the directives named by
    most plans, each followed down level by level through the ``fanout`` implementers with
    most implementers of their own. Chosen in DuckDB a level at a time: a few small queries."""
    ranked = f"""WITH indeg AS (SELECT target AS node, count(*) AS k FROM edges WHERE type = 'implements' GROUP BY 1)
        SELECT node FROM (
            SELECT e.source AS node, row_number() OVER (
                PARTITION BY e.target ORDER BY coalesce(i.k, 0) DESC, e.source) AS rank
            FROM edges e LEFT JOIN indeg i ON i.node = e.source
            WHERE e.type = 'implements' AND e.target IN (SELECT unnest($frontier))
        ) WHERE rank <= $fanout ORDER BY rank, node"""
    directives = con.execute(
        f"""SELECT e.target FROM edges e JOIN nodes t ON t.node_id = e.target
        WHERE e.type = 'implements' AND t.level = '{CENTRAL}' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT $n""",
        {"n": max_nodes},
    ).fetchall()
    keep: dict[str, None] = {}  # ordered set
    for (directive,) in directives:
        frontier = [directive]
        while frontier and len(keep) < max_nodes:
            keep.update(dict.fromkeys(frontier[: max_nodes - len(keep)]))
            found = con.execute(ranked, {"frontier": frontier, "fanout": fanout}).fetchall()
            frontier = [n for (n,) in found if n not in keep]
    return list(keep)


def _drawn_graph(con: Connection, max_nodes: int, fanout: int) -> tuple[nx.DiGraph, int]:
    """The part of the implements graph to draw, and how many documents are linked at all:
    all of them while they fit in ``max_nodes``, else :func:`_chains`."""
    linked = _linked(con)
    if linked <= max_nodes:
        chosen = "SELECT source FROM edges WHERE type = 'implements' UNION SELECT target FROM edges WHERE type = 'implements'"
        params: dict[str, Any] = {}
    else:
        chosen, params = "SELECT unnest($keep)", {"keep": _chains(con, max_nodes, fanout)}
    nodes = query(
        con, f"""SELECT node_id, {SHORT.format(n="n")} AS short, coalesce(nullif(label, ''), nullif(key, ''), node_id) AS label,
               level, date::VARCHAR AS date, scope FROM nodes n WHERE node_id IN ({chosen})""",
        params, tables=GRAPH_TABLES, columns=["node_id", "short", "label", "level", "date", "scope"],
    )
    graph = nx.DiGraph()
    for row in nodes.to_dict("records"):
        graph.add_node(row.pop("node_id"), **row)
    if len(graph):
        edges = con.execute(
            "SELECT source, target FROM edges WHERE type = 'implements'"
            " AND source IN (SELECT unnest($n)) AND target IN (SELECT unnest($n))",
            {"n": list(graph)},
        ).fetchall()
        graph.add_edges_from(edges)
    return graph, linked


def _drawn_label(attrs: dict[str, Any]) -> str:
    """The symbol, with the province/body under it where the same code means several bodies."""
    scope = text(attrs.get("scope"))
    if scope and not is_central(attrs) and scope not in ("?", "unknown"):
        return f"{attrs['short']}\n{scope}"
    return str(attrs["short"])


def _level(attrs: dict[str, Any]) -> str:
    return text(attrs.get("level")) or "unknown"


def plot_coverage_graph(con: Connection, ax: Axes, max_nodes: int = 150, fanout: int = 3) -> None:
    """The implements graph, one row per level (central on top), nodes coloured by level.

    Only linked documents are drawn (directives nobody carries out are listed by
    :func:`uncovered_directives`); on a large archive, chains up to ``max_nodes`` nodes
    (:func:`_chains`: the directives most named, ``fanout`` plans per plan under each),
    labelled only while they stay legible. Rows and colours are those of ``kehoach
    graph --format png`` (``pipeline.graph``).
    """
    graph, linked = _drawn_graph(con, max_nodes, fanout)
    if graph.number_of_nodes() == 0:
        no_data(ax, "No implements links")
        return
    pos = layered_positions(graph)
    small = graph.number_of_nodes() <= 60
    colours = [LEVEL_COLOURS.get(_level(a), LEVEL_COLOURS["unknown"]) for _, a in graph.nodes(data=True)]
    nx.draw_networkx_edges(
        graph, pos, ax=ax, arrows=True, arrowsize=10 if small else 5, edge_color="0.6",
        connectionstyle="arc3,rad=0.15",  # curved, so links skipping a level stay visible
    )
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_color=colours, node_size=200 if small else 40)
    if small:
        labels = {n: _drawn_label(a) for n, a in graph.nodes(data=True)}
        above = {n: (x, y + 0.07) for n, (x, y) in pos.items()}  # rows are 1 apart
        nx.draw_networkx_labels(graph, above, labels=labels, ax=ax, font_size=6, verticalalignment="bottom")
    for level in levels_sorted(_level(a) for _, a in graph.nodes(data=True)):
        ax.scatter([], [], color=LEVEL_COLOURS.get(level, LEVEL_COLOURS["unknown"]), label=level)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, title="level", frameon=False)
    fit(ax, pos.values())
    shown = f" ({len(graph)} of {linked:,} linked; top directives, ≤ {fanout} implementers each)"
    shown = shown if linked > max_nodes else ""
    ax.set_title("Plans carrying out directives (arrow: implements)" + shown)
    ax.axis("off")
