"""The cross-reference graph: networkx from the ``nodes``/``edges`` tables, and its exports.

GraphML and node-link JSON are for other tools, so every attribute is a plain scalar
(no None, no lists). The HTML page is self-contained (pyvis with vis-network inlined,
no CDN) because it must open offline; the PNG is a matplotlib drawing
with one row per level. Nodes are coloured by document type and outlined by level;
edges are coloured by type (implements / cites), inferred ones dashed.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import networkx as nx

from pipeline.identity import LEVELS

FORMATS = ("graphml", "json", "html", "png")

TYPE_COLOURS = {
    "Nghị quyết": "#d62728",
    "Kết luận": "#ff7f0e",
    "Chỉ thị": "#9467bd",
    "Quy định": "#8c564b",
    "Quyết định": "#bcbd22",
    "Kế hoạch": "#1f77b4",
    "Chương trình": "#17becf",
    "Hướng dẫn": "#2ca02c",
    "Nghị định": "#e377c2",
    "Thông tư": "#7f7f7f",
}
OTHER_TYPE = "#c7c7c7"
LEVEL_COLOURS = {
    "central": "#b30000",
    "province": "#e6550d",
    "district": "#31a354",
    "commune": "#3182bd",
    "unit": "#756bb1",
    "unknown": "#636363",
}
LEVEL_SHAPES = {"central": "star", "province": "diamond", "district": "square", "commune": "dot", "unit": "triangle", "unknown": "dot"}
LEVEL_MARKERS = {"central": "*", "province": "D", "district": "s", "commune": "o", "unit": "^", "unknown": "o"}
EDGE_COLOURS = {"implements": "#1a9850", "cites": "#999999"}


_NUMERIC = ("INTEGER", "BIGINT", "DOUBLE", "FLOAT", "SMALLINT", "HUGEINT", "DECIMAL", "BOOLEAN")


def _attrs(description: Any, row: tuple[Any, ...]) -> dict[str, Any]:
    """A row as GraphML-safe attributes; a missing number or flag is left out, not "".

    Each attribute keeps one type across all nodes, which GraphML readers need.
    """
    out = {}
    for (name, type_, *_), value in zip(description, row):
        if value is None and str(type_).split("(")[0] in _NUMERIC:
            continue
        out[name] = _plain(value)
    return out


def _plain(value: Any) -> str | int | float | bool:
    """A GraphML-safe attribute value: None → "", lists → "; "-joined, dates → ISO."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def type_colour(doc_type: str | None) -> str:
    return TYPE_COLOURS.get(doc_type or "", OTHER_TYPE)


def build_graph(con: duckdb.DuckDBPyConnection) -> nx.DiGraph:
    """The graph of the store's ``nodes`` and ``edges`` tables (run ``rebuild_graph`` first)."""
    g = nx.DiGraph()
    cur = con.execute(
        "SELECT n.*, (SELECT string_agg(d.path, '; ' ORDER BY d.path) FROM documents d"
        " WHERE d.node_id = n.node_id) AS files FROM nodes n ORDER BY n.node_id"
    )
    for row in cur.fetchall():
        attrs = _attrs(cur.description, row)
        nid = attrs.pop("node_id")
        attrs["colour"] = type_colour(attrs.get("doc_type"))  # type: ignore[arg-type]
        attrs["level_colour"] = LEVEL_COLOURS.get(str(attrs.get("level")), LEVEL_COLOURS["unknown"])
        g.add_node(nid, **attrs)
    cur = con.execute("SELECT * FROM edges ORDER BY source, target")
    for row in cur.fetchall():
        attrs = _attrs(cur.description, row)
        src, dst = attrs.pop("source"), attrs.pop("target")
        attrs["colour"] = EDGE_COLOURS.get(str(attrs.get("type")), "#999999")
        g.add_edge(src, dst, **attrs)
    return g


def export(g: nx.DiGraph, fmt: str, path: str | Path) -> Path:
    """Write ``g`` as ``graphml``, ``json`` (node-link), ``html`` or ``png``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        nx.write_graphml(g, path)
    elif fmt == "json":
        data = nx.node_link_data(g, edges="links")
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    elif fmt == "html":
        path.write_text(html_page(g), encoding="utf-8")
    elif fmt == "png":
        draw_png(g, path)
    else:
        raise ValueError(f"unknown graph format {fmt!r}; use one of {', '.join(FORMATS)}")
    return path


# ---------------------------------------------------------------------- HTML


def _tooltip(attrs: dict[str, Any]) -> str:
    keys = ("key", "doc_type", "issuer", "date", "scope", "level", "title", "files")
    lines = [f"{k}: {attrs[k]}" for k in keys if attrs.get(k) not in (None, "")]
    if attrs.get("ambiguous"):
        lines.append("ambiguous: undated, no unique dated match")
    return "\n".join(lines)


def _short_label(nid: str, a: dict[str, Any]) -> str:
    """The key, with the province on a second line for scoped documents."""
    scope = a.get("scope")
    if not a.get("key"):
        return str(a.get("label") or nid)
    return f"{a['key']}\n{scope}" if scope and scope != "?" else str(a["key"])


def vis_data(g: nx.DiGraph) -> dict[str, list[dict[str, Any]]]:
    """Nodes and edges in vis-network's format."""
    nodes = []
    for nid, a in g.nodes(data=True):
        level = str(a.get("level") or "unknown")
        nodes.append(
            {
                "id": nid,
                "label": _short_label(nid, a),
                "title": _tooltip(a),
                "shape": LEVEL_SHAPES.get(level, "dot"),
                "color": {"background": a.get("colour", OTHER_TYPE), "border": LEVEL_COLOURS.get(level, "#636363")},
                "borderWidth": 3 if a.get("in_archive") else 1,
                "level": LEVELS.index(level) if level in LEVELS else len(LEVELS),
                "size": 18 if a.get("in_archive") else 11,
                "group": str(a.get("doc_type") or "other"),
            }
        )
    edges = [
        {
            "from": s,
            "to": t,
            "arrows": "to",
            "color": {"color": EDGE_COLOURS.get(str(a.get("type")), "#999999")},
            "dashes": bool(a.get("inferred")),
            "width": 2 if a.get("type") == "implements" else 1,
            "title": f"{a.get('type')} ×{a.get('count')}\n{str(a.get('evidence', ''))[:300]}",
        }
        for s, t, a in g.edges(data=True)
    ]
    return {"nodes": nodes, "edges": edges}


def _legend_html(g: nx.DiGraph) -> str:
    types = sorted({str(a.get("doc_type") or "other") for _, a in g.nodes(data=True)})
    levels = [lv for lv in LEVELS if any(a.get("level") == lv for _, a in g.nodes(data=True))]
    items = [f'<span class="sw" style="background:{type_colour(t)}"></span>{t}' for t in types]
    items += [f'<span class="sw ring" style="border-color:{LEVEL_COLOURS[lv]}"></span>{lv} ({LEVEL_SHAPES[lv]})' for lv in levels]
    items += [f'<span class="ln" style="background:{c}"></span>{t}' for t, c in EDGE_COLOURS.items()]
    items.append('<span class="ln dash"></span>inferred implements')
    return " ".join(f"<li>{i}</li>" for i in items)


# What pyvis's page lacks: readable multi-line tooltips, a legend, a search box, and a
# console line a headless browser test can wait for. Added before </body>.
EXTRAS = """<div style="margin:4px;font-family:sans-serif"><input id="search" placeholder="find a key (e.g. 21-KL/TW)">
<span id="count"></span></div>
<style>#legend{{list-style:none;margin:4px;padding:0;font:13px sans-serif}} #legend li{{display:inline-block;margin:2px 10px}}
.sw{{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}}
.ring{{border:3px solid;background:#fff;border-radius:50%;width:8px;height:8px}}
.ln{{display:inline-block;width:22px;height:3px;margin-right:4px;vertical-align:middle}}
.dash{{background:repeating-linear-gradient(90deg,#1a9850 0 5px,transparent 5px 9px)}}</style>
<ul id="legend">{legend}</ul>
<script>
function tip(t) {{ var d = document.createElement("div"); d.style.whiteSpace = "pre-wrap"; d.style.maxWidth = "480px"; d.textContent = t || ""; return d; }}
nodes.update(nodes.get().map(function (n) {{ return {{id: n.id, title: tip(n.title)}}; }}));
edges.update(edges.get().map(function (e) {{ return {{id: e.id, title: tip(e.title)}}; }}));
document.getElementById("count").textContent = nodes.length + " documents, " + edges.length + " edges";
network.once("afterDrawing", function () {{ console.log("kehoach-graph-drawn " + nodes.length); }});
network.on("stabilizationIterationsDone", function () {{ network.setOptions({{physics: false}}); network.fit(); }});
network.redraw();
document.getElementById("search").addEventListener("change", function (e) {{
  var q = e.target.value.trim().toLowerCase();
  var hit = nodes.get().filter(function (n) {{ return String(n.label).toLowerCase().indexOf(q) >= 0; }}).map(function (n) {{ return n.id; }});
  network.selectNodes(hit); if (hit.length) network.fit({{nodes: hit}});
}});
</script>
"""
# pyvis's template links Bootstrap from a CDN even with cdn_resources="in_line"; the page
# must open offline, and nothing on it needs Bootstrap.
_REMOTE_TAG = re.compile(r"<(?:link|script)\b[^>]*(?:href|src)=\"https?://[^>]*>(?:</script>)?\s*", re.IGNORECASE)


def html_page(g: nx.DiGraph) -> str:
    """A self-contained interactive page: pyvis's ``Network`` with vis-network inlined
    (``cdn_resources="in_line"``, pyvis's public interface), no external resources."""
    from pyvis.network import Network

    data = vis_data(g)
    per_level: dict[Any, int] = {}
    for _, a in g.nodes(data=True):
        per_level[a.get("level")] = per_level.get(a.get("level"), 0) + 1
    layered = max(per_level.values(), default=0) <= 15  # wide levels read better force-directed
    net = Network(height="88vh", width="100%", directed=True, cdn_resources="in_line")
    for n in data["nodes"]:
        net.add_node(n["id"], **{k: v for k, v in n.items() if k != "id"})
    for e in data["edges"]:
        net.add_edge(e["from"], e["to"], **{k: v for k, v in e.items() if k not in ("from", "to")})
    net.set_options(json.dumps({
        "layout": {"hierarchical": {"enabled": layered, "direction": "UD", "sortMethod": "directed",
                                    "levelSeparation": 140, "nodeSpacing": 210}},
        "physics": {"enabled": not layered, "solver": "forceAtlas2Based", "stabilization": {"iterations": 300}},
        "interaction": {"hover": True, "tooltipDelay": 100},
        "nodes": {"font": {"size": 12}},
        "edges": {"smooth": {"type": "dynamic"}},
    }))  # fmt: skip
    html = _REMOTE_TAG.sub("", net.generate_html())
    return html.replace("</body>", EXTRAS.format(legend=_legend_html(g)) + "</body>", 1)


# ----------------------------------------------------------------------- PNG


def layered_positions(g: nx.DiGraph, *, per_row: int = 12) -> dict[str, tuple[float, float]]:
    """One band per level (central on top), wrapped into rows of ``per_row`` nodes ordered by date."""
    bands: dict[str, list[str]] = {}
    for nid, a in g.nodes(data=True):
        bands.setdefault(str(a.get("level") or "unknown"), []).append(nid)
    pos: dict[str, tuple[float, float]] = {}
    y = 0.0
    for lv in [lv for lv in LEVELS if lv in bands] + [lv for lv in bands if lv not in LEVELS]:
        members = sorted(bands[lv], key=lambda n: (str(g.nodes[n].get("date") or "9999"), n))
        rows = [members[i : i + per_row] for i in range(0, len(members), per_row)]
        for r, row in enumerate(rows):
            for i, nid in enumerate(row):
                x = (i + 0.5 + (per_row - len(row)) / 2 + (0.5 if r % 2 else 0.0)) / (per_row + 1)
                pos[nid] = (x, y - r * 0.45 - (0.14 if i % 2 else 0.0))  # staggered: row edges stay visible
        y -= 0.45 * len(rows) + 0.7
    return pos


def draw_png(g: nx.DiGraph, path: str | Path, *, dpi: int = 120) -> None:
    """Draw ``g`` to a PNG: colour = document type, marker and outline = level."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    n = max(g.number_of_nodes(), 1)
    width = min(40.0, max(10.0, math.sqrt(n) * 2.5))
    fig, ax = plt.subplots(figsize=(width, width * 0.65))
    pos = layered_positions(g)
    for etype, colour in EDGE_COLOURS.items():
        for inferred, style in ((False, "solid"), (True, "dashed")):
            es = [(s, t) for s, t, a in g.edges(data=True) if a.get("type") == etype and bool(a.get("inferred")) == inferred]
            if es:
                nx.draw_networkx_edges(g, pos, edgelist=es, edge_color=colour, style=style, ax=ax,
                                       width=1.8 if etype == "implements" else 0.8, arrows=True, arrowsize=12,
                                       node_size=300)
    for level, marker in LEVEL_MARKERS.items():
        ns = [nid for nid, a in g.nodes(data=True) if (a.get("level") or "unknown") == level]
        if ns:
            nx.draw_networkx_nodes(g, pos, nodelist=ns, node_shape=marker, ax=ax,
                                   node_color=[g.nodes[x].get("colour", OTHER_TYPE) for x in ns],
                                   edgecolors=LEVEL_COLOURS[level],
                                   linewidths=[2.5 if g.nodes[x].get("in_archive") else 0.8 for x in ns],
                                   node_size=[320 if g.nodes[x].get("in_archive") else 160 for x in ns])
    labels = {nid: _short_label(nid, a) for nid, a in g.nodes(data=True)}
    above = {nid: (x, y + 0.05) for nid, (x, y) in pos.items()}
    nx.draw_networkx_labels(g, above, labels=labels, font_size=7, ax=ax, verticalalignment="bottom")
    types = sorted({str(a.get("doc_type") or "other") for _, a in g.nodes(data=True)})
    handles = [Line2D([], [], marker="o", ls="", color=type_colour(t), label=t, markersize=9) for t in types]
    handles += [Line2D([], [], marker=LEVEL_MARKERS[lv], ls="", markerfacecolor="white", markeredgewidth=2,
                       markeredgecolor=LEVEL_COLOURS[lv], label=lv, markersize=9)
                for lv in LEVELS if any(a.get("level") == lv for _, a in g.nodes(data=True))]
    handles += [Line2D([], [], color=c, label=t, lw=2) for t, c in EDGE_COLOURS.items()]
    handles.append(Line2D([], [], color=EDGE_COLOURS["implements"], ls="--", label="inferred implements", lw=2))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    ax.set_title(f"kehoach: {g.number_of_nodes()} documents, {g.number_of_edges()} edges")
    ax.axis("off")
    fig.tight_layout()
    fig.savefig(path, dpi=dpi, bbox_inches="tight")
    plt.close(fig)


def subgraph(g: nx.DiGraph, roots: Iterable[str], *, depth: int | None = None) -> nx.DiGraph:
    """``roots`` with everything that implements or cites them (down to ``depth``) and what they cite."""
    keep: set[str] = set()
    for r in roots:
        if r not in g:
            continue
        keep |= {r} | set(g.successors(r))
        keep |= set(nx.single_source_shortest_path_length(g.reverse(copy=False), r, cutoff=depth))
    return g.subgraph(keep).copy()


__all__ = ["FORMATS", "build_graph", "draw_png", "export", "html_page", "layered_positions", "subgraph", "vis_data"]
