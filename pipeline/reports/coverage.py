"""Notebook 02: for each central directive, the plans carrying it out, by level.

Coverage follows ``implements`` edges transitively: a commune plan carrying out a
district plan that carries out a provincial plan of Kết luận 21 covers Kết luận 21.
The walk is ``pipeline.queries.implementers`` (the recursive SQL behind ``kehoach
implementers``) and the graph is ``pipeline.graph.build_graph``, so the notebook, the
CLI and the graph exports agree.
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
    result_frame,
    text,
)


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
    plans known only because an archive document cites them.
    """
    graph = implements_graph(con)
    parts = []
    for node, attrs in graph.nodes(data=True):
        if is_central(attrs) and graph.in_degree(node):
            found = result_frame(queries.implementers(con, node))
            parts.append(found.assign(directive=attrs["short"], directive_node=node))
    columns = ["directive", "directive_node", "implementer", "level", "depth", "via", "path",
               "doc_type", "date", "issuer", "in_archive", "files"]
    if not parts:
        return pd.DataFrame(columns=columns)
    edges = pd.concat(parts, ignore_index=True).sort_values(["depth", "via"])
    vias = edges.groupby(["directive_node", "node_id"])["via"].agg(lambda v: "; ".join(dict.fromkeys(v)))
    table = edges.drop_duplicates(["directive_node", "node_id"]).drop(columns="via")
    table = table.join(vias, on=["directive_node", "node_id"])[columns]
    return table.sort_values(["directive", "depth", "implementer"]).reset_index(drop=True)


def directive_coverage(con: Connection) -> pd.DataFrame:
    """One row per central directive: implementing plans counted by level, and named."""
    graph = implements_graph(con)
    detail = directive_implementers(con)
    base = pd.DataFrame(
        [
            {"directive": a["short"], "directive_node": n, "doc_type": a.get("doc_type"),
             "date": a.get("date"), "issuer": a.get("issuer")}
            for n, a in graph.nodes(data=True) if is_central(a)
        ],
        columns=["directive", "directive_node", "doc_type", "date", "issuer"],
    )
    levels = detail["level"].map(lambda v: text(v) or NONE_LABEL)
    counts = pd.crosstab(detail["directive_node"], levels).reindex(columns=levels_sorted(levels), fill_value=0)
    grouped = detail.groupby("directive_node")
    direct = grouped["depth"].agg(lambda d: int((d == 1).sum())).rename("direct")
    plans = grouped["implementer"].agg(lambda p: ", ".join(sorted(set(p)))).rename("plans")
    table = base.join(counts, on="directive_node").join(direct, on="directive_node").join(plans, on="directive_node")
    count_cols = list(counts.columns) + ["direct"]
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


def _drawn_part(graph: nx.DiGraph, max_nodes: int) -> nx.DiGraph:
    """The linked part of the graph, whole components at a time, those reaching a
    central directive and the largest first, up to ``max_nodes`` nodes."""
    components = sorted(
        (c for c in nx.weakly_connected_components(graph) if len(c) > 1),
        key=lambda c: (not any(is_central(graph.nodes[n]) for n in c), -len(c)),
    )
    keep: set[str] = set()
    for component in components:
        if keep and len(keep) + len(component) > max_nodes:
            continue
        keep |= component
    return graph.subgraph(keep).copy()


def _drawn_label(attrs: dict[str, Any]) -> str:
    """The symbol, with the province/body under it where the same code means several bodies."""
    scope = text(attrs.get("scope"))
    if scope and not is_central(attrs) and scope not in ("?", "unknown"):
        return f"{attrs['short']}\n{scope}"
    return str(attrs["short"])


def _level(attrs: dict[str, Any]) -> str:
    return text(attrs.get("level")) or "unknown"


def plot_coverage_graph(con: Connection, ax: Axes, max_nodes: int = 150) -> None:
    """The implements graph, one row per level (central on top), nodes coloured by level.

    Only linked documents are drawn (directives nobody carries out are listed by
    :func:`uncovered_directives`); on a large archive, the biggest chains up to
    ``max_nodes`` nodes, labelled only while they stay legible. Rows and colours are
    those of ``kehoach graph --format png`` (``pipeline.graph``).
    """
    graph = _drawn_part(implements_graph(con), max_nodes)
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
    ax.set_title("Plans carrying out directives (arrow: implements)")
    ax.axis("off")
