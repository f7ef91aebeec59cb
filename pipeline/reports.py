"""Analyst tables and figures over the DuckDB store, shared by the notebooks and the ingest run.

One function per table (``con -> DataFrame``) and one per figure (``con, ax -> None``),
so that ``notebooks/*.ipynb`` and :func:`write_reports` show the same numbers and the
notebooks hold no logic of their own. Everything reads the tables documented in
``docs/TABLES.md`` through a DuckDB connection; nothing here writes to the database.

Example:
    >>> con = open_db("data/processed/kehoach.duckdb")      # doctest: +SKIP
    >>> directive_coverage(con)                              # doctest: +SKIP
    >>> write_reports("data/processed/kehoach.duckdb")       # doctest: +SKIP
"""

from __future__ import annotations

import inspect
import os
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import matplotlib
import networkx as nx
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from pipeline.errors import REMEDIES, Reason

DEFAULT_REPORTS = Path("data/processed/reports")

# Administrative levels from the top down (``pipeline.resolve`` writes them); levels not
# listed here are placed after these, alphabetically.
LEVEL_ORDER: tuple[str, ...] = ("central", "province", "district", "commune", "unit", "unknown")
CENTRAL = "central"
NONE_LABEL = "(không rõ)"  # a plan whose directive could not be traced
# When one document is in the archive in several formats (one node, several files),
# its rows are counted once, from the render read most faithfully: text formats first.
FORMAT_PREFERENCE: tuple[str, ...] = ("docx", "txt", "md", "doc", "pdf", "pdf-scan", "image")

Connection = duckdb.DuckDBPyConnection


# ------------------------------------------------------------------------ access


def open_db(path: str | os.PathLike[str]) -> Connection:
    """Open the store read-only, so a notebook never blocks or alters an ingest run."""
    return duckdb.connect(str(path), read_only=True)


def _has(con: Connection, table: str) -> bool:
    row = con.execute(
        "select count(*) from information_schema.tables where table_name = ?", [table]
    ).fetchone()
    return bool(row and row[0])


def _frame(con: Connection, table: str) -> pd.DataFrame:
    """A whole table as a DataFrame; an empty frame when the table does not exist yet."""
    if not _has(con, table):
        return pd.DataFrame()
    return con.execute(f'select * from "{table}"').df()


def _col(df: pd.DataFrame, name: str) -> pd.Series:
    """A column, or a column of missing values when an older store lacks it."""
    if name in df.columns:
        return df[name]
    return pd.Series([None] * len(df), index=df.index, dtype="object")


def _missing(value: Any) -> bool:
    """None/NaN/NaT, without choking on the list values of array columns."""
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _text(value: Any) -> str | None:
    return None if _missing(value) or value == "" else str(value)


def _level_rank(level: str) -> tuple[int, str]:
    return (LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER), level)


def _levels_sorted(levels: Any) -> list[str]:
    return sorted({t for t in map(_text, levels) if t}, key=_level_rank)


def _documents(con: Connection) -> pd.DataFrame:
    """Documents whose file is still in the archive (not marked deleted)."""
    docs = _frame(con, "documents")
    files = _frame(con, "files")
    if docs.empty or files.empty or "path" not in docs.columns:
        return docs
    deleted = set(files.loc[_col(files, "status") == "deleted", "path"])
    return docs[~docs["path"].isin(deleted)]


def representative_docs(con: Connection) -> set[str]:
    """One doc_id per real document: the renders of a node collapse to the best-read file."""
    docs = _documents(con)
    if docs.empty:
        return set()
    ranked = docs.assign(
        _node=_col(docs, "node_id").fillna(docs["doc_id"]),
        _ocr=_col(docs, "ocr_used").fillna(False).astype(bool),
        _fmt=[FORMAT_PREFERENCE.index(f) if f in FORMAT_PREFERENCE else 99 for f in _col(docs, "format")],
    ).sort_values(["_node", "_ocr", "_fmt", "path"])
    return set(ranked.drop_duplicates("_node")["doc_id"].astype(str))


def _rows(con: Connection, table: str) -> pd.DataFrame:
    """A per-document table, each real document counted once (see FORMAT_PREFERENCE)."""
    frame = _frame(con, table)
    if frame.empty:
        return frame
    return frame[frame["doc_id"].astype(str).isin(representative_docs(con))]


def doc_labels(con: Connection) -> dict[str, str]:
    """doc_id → a human label: ``symbol (date)``, else the file name."""
    docs = _frame(con, "documents")
    labels: dict[str, str] = {}
    for doc_id, symbol, day, path in zip(
        _col(docs, "doc_id"), _col(docs, "symbol"), _col(docs, "date"), _col(docs, "path")
    ):
        symbol, day = _text(symbol), _text(day)
        if symbol:
            labels[str(doc_id)] = f"{symbol} ({day[:10]})" if day else symbol
        else:
            labels[str(doc_id)] = Path(str(path)).name
    return labels


def _doc_nodes(con: Connection) -> dict[str, str]:
    """doc_id → node_id, from ``documents.node_id`` (set when the graph is rebuilt)."""
    docs = _frame(con, "documents")
    return {
        str(d): str(n) for d, n in zip(_col(docs, "doc_id"), _col(docs, "node_id")) if not _missing(n)
    }


# ---------------------------------------------------------------------- 01 overview


def ingest_overview(con: Connection) -> pd.DataFrame:
    """Files by format (rows) and status (columns), with totals."""
    files = _frame(con, "files")
    if files.empty:
        return pd.DataFrame(columns=["format", "total"])
    table = pd.crosstab(files["format"], files["status"], margins=True, margins_name="total")
    table.columns.name = None
    return table.reset_index()


def failures(con: Connection) -> pd.DataFrame:
    """Every file whose last processing failed: why, the message, and what to do."""
    files = _frame(con, "files")
    columns = ["path", "format", "error_reason", "error_message", "remedy"]
    if files.empty:
        return pd.DataFrame(columns=columns)
    failed = files[_col(files, "status") == "failed"].copy()
    failed["remedy"] = [
        REMEDIES.get(Reason(r), "") if r in Reason._value2member_map_ else ""
        for r in _col(failed, "error_reason")
    ]
    for c in columns:
        failed[c] = _col(failed, c)
    return failed[columns].sort_values(["error_reason", "path"]).reset_index(drop=True)


def failure_reasons(con: Connection) -> pd.DataFrame:
    """How many files failed for each reason."""
    failed = failures(con)
    counts = failed.groupby("error_reason", dropna=False).size().rename("files")
    return counts.sort_values(ascending=False).reset_index()


def run_history(con: Connection) -> pd.DataFrame:
    """The ingest runs, newest first."""
    runs = _frame(con, "runs")
    if runs.empty or "started_at" not in runs.columns:
        return runs
    return runs.sort_values("started_at", ascending=False).reset_index(drop=True)


def plot_formats(con: Connection, ax: Axes) -> None:
    """Stacked bars: files per format, split by status."""
    files = _frame(con, "files")
    if files.empty:
        _no_data(ax, "No files ingested")
        return
    table = pd.crosstab(files["format"], files["status"])
    table.plot.bar(ax=ax, stacked=True, rot=0)
    ax.set_xlabel("format")
    ax.set_ylabel("files")
    ax.set_title("Files by format and status")


def plot_failure_reasons(con: Connection, ax: Axes) -> None:
    """Horizontal bars: failed files per reason."""
    reasons = failure_reasons(con)
    if reasons.empty:
        _no_data(ax, "No failures")
        return
    ax.barh(reasons["error_reason"].astype(str), reasons["files"], color="tab:red")
    ax.invert_yaxis()
    ax.set_xlabel("files")
    ax.set_title("Failures by reason")


# -------------------------------------------------------------- 02 directive coverage


def implements_graph(con: Connection) -> nx.DiGraph:
    """The ``implements`` edges (plan → what it carries out) between ``nodes``.

    Node attributes are the ``nodes`` columns plus ``label`` (the store's, or the key)
    and ``short`` (the symbol, for drawing).
    """
    graph = nx.DiGraph()
    for row in _frame(con, "nodes").to_dict("records"):
        attrs = {k: (None if _missing(v) else v) for k, v in row.items()}
        node_id = attrs.pop("node_id")
        attrs["label"] = _text(attrs.get("label")) or _text(attrs.get("key")) or str(node_id)
        attrs["short"] = _text(attrs.get("symbol")) or attrs["label"]
        graph.add_node(node_id, **attrs)
    edges = _frame(con, "edges")
    if not edges.empty:
        edges = edges[_col(edges, "type") == "implements"]
    for source, target in zip(_col(edges, "source"), _col(edges, "target")):
        if source in graph and target in graph:
            graph.add_edge(source, target)
    return graph


def _is_central(attrs: dict[str, Any]) -> bool:
    return attrs.get("level") == CENTRAL


def directive_implementers(con: Connection) -> pd.DataFrame:
    """For each central directive, every plan that carries it out, directly or via other plans.

    ``hops`` is 1 for a plan that names the directive itself, 2 for a plan carrying out
    a plan that names it, and so on; ``in_archive`` is False for plans known only
    because an archive document cites them.
    """
    graph = implements_graph(con)
    upward = graph.reverse(copy=False)
    rows = []
    for node, attrs in graph.nodes(data=True):
        if not _is_central(attrs):
            continue
        for plan, hops in nx.single_source_shortest_path_length(upward, node).items():
            if plan == node:
                continue
            p = graph.nodes[plan]
            rows.append(
                {"directive": attrs["short"], "directive_node": node, "plan": p["label"],
                 "plan_level": p.get("level"), "plan_issuer": p.get("issuer"), "plan_date": p.get("date"),
                 "in_archive": p.get("in_archive"), "hops": hops}
            )
    columns = ["directive", "directive_node", "plan", "plan_level", "plan_issuer", "plan_date", "in_archive", "hops"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["directive", "hops", "plan"]).reset_index(drop=True)


def directive_coverage(con: Connection) -> pd.DataFrame:
    """One row per central directive: implementing plans counted by level, and named."""
    graph = implements_graph(con)
    detail = directive_implementers(con)
    base = pd.DataFrame(
        [
            {"directive": a["short"], "directive_node": n, "doc_type": a.get("doc_type"),
             "date": a.get("date"), "issuer": a.get("issuer")}
            for n, a in graph.nodes(data=True) if _is_central(a)
        ],
        columns=["directive", "directive_node", "doc_type", "date", "issuer"],
    )
    levels = detail["plan_level"].fillna(NONE_LABEL)
    counts = pd.crosstab(detail["directive_node"], levels).reindex(columns=_levels_sorted(levels), fill_value=0)
    grouped = detail.groupby("directive_node")
    direct = grouped["hops"].agg(lambda h: int((h == 1).sum())).rename("direct")
    plans = grouped["plan"].agg(lambda p: ", ".join(sorted(set(p)))).rename("plans")
    table = base.join(counts, on="directive_node").join(direct, on="directive_node").join(plans, on="directive_node")
    count_cols = list(counts.columns) + ["direct"]
    table[count_cols] = table[count_cols].fillna(0).astype(int)
    table["total"] = table[list(counts.columns)].sum(axis=1).astype(int)
    table["plans"] = table["plans"].fillna("")
    table = table[[c for c in table.columns if c != "plans"] + ["plans"]]
    return table.sort_values(["total", "directive"], ascending=[False, True]).reset_index(drop=True)


def uncovered_directives(con: Connection) -> pd.DataFrame:
    """Central directives that the archive cites but no plan in it carries out."""
    table = directive_coverage(con)
    columns = ["directive", "directive_node", "doc_type", "date", "issuer"]
    return table.loc[table["total"] == 0, columns].reset_index(drop=True)


def _drawn_part(graph: nx.DiGraph, max_nodes: int) -> nx.DiGraph:
    """The linked part of the graph, whole components at a time, those reaching a
    central directive and the largest first, up to ``max_nodes`` nodes."""
    components = sorted(
        (c for c in nx.weakly_connected_components(graph) if len(c) > 1),
        key=lambda c: (not any(_is_central(graph.nodes[n]) for n in c), -len(c)),
    )
    keep: set[str] = set()
    for component in components:
        if keep and len(keep) + len(component) > max_nodes:
            continue
        keep |= component
    return graph.subgraph(keep).copy()


def plot_coverage_graph(con: Connection, ax: Axes, max_nodes: int = 150) -> None:
    """The implements graph drawn in layers, central directives on top, coloured by level.

    Only linked documents are drawn (directives nobody carries out are listed by
    :func:`uncovered_directives`); on a large archive, the biggest chains up to
    ``max_nodes`` nodes, labelled only while they stay legible.
    """
    graph = _drawn_part(implements_graph(con), max_nodes)
    if graph.number_of_nodes() == 0:
        _no_data(ax, "No implements links")
        return
    levels = _levels_sorted(a.get("level") for _, a in graph.nodes(data=True))
    layers = levels + [NONE_LABEL]
    for _, attrs in graph.nodes(data=True):
        attrs["layer"] = -layers.index(attrs.get("level") or NONE_LABEL)  # central on top
    pos = nx.multipartite_layout(graph, subset_key="layer", align="horizontal")
    cmap = matplotlib.colormaps["tab10"]
    colours = [cmap(layers.index(a.get("level") or NONE_LABEL) % 10) for _, a in graph.nodes(data=True)]
    small = graph.number_of_nodes() <= 60
    nx.draw_networkx_edges(
        graph, pos, ax=ax, arrows=True, arrowsize=10 if small else 5, edge_color="0.6",
        connectionstyle="arc3,rad=0.15",  # curved, so links skipping a level stay visible
    )
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_color=colours, node_size=300 if small else 40)
    if small:
        labels = {n: a["short"] for n, a in graph.nodes(data=True)}
        nx.draw_networkx_labels(graph, pos, labels=labels, ax=ax, font_size=7)
    for level in levels + ([NONE_LABEL] if any(not a.get("level") for _, a in graph.nodes(data=True)) else []):
        ax.scatter([], [], color=cmap(layers.index(level) % 10), label=level)
    ax.legend(loc="best", fontsize=7, title="level")
    _fit(ax, pos.values())
    ax.set_title("Plans carrying out directives (arrow: implements)")
    ax.axis("off")


def _fit(ax: Axes, points: Any) -> None:
    """Frame the node positions (curved edges do not update the data limits)."""
    xs, ys = zip(*points)
    for low, high, setter in ((min(xs), max(xs), ax.set_xlim), (min(ys), max(ys), ax.set_ylim)):
        pad = 0.15 * ((high - low) or 1.0)
        setter(low - pad, high + pad)


# ------------------------------------------------------ 03 deadlines and assignments


def deadline_calendar(con: Connection) -> pd.DataFrame:
    """Dated deadlines, one row each, with the month they fall due (end, else start)."""
    deadlines = _rows(con, "deadlines")
    columns = ["plan", "text", "start_date", "end_date", "due", "month", "kind", "period", "recurring", "sentence"]
    if deadlines.empty:
        return pd.DataFrame(columns=columns)
    labels = doc_labels(con)
    frame = deadlines.copy()
    frame["plan"] = _col(frame, "doc_id").map(labels)
    frame["due"] = pd.to_datetime(_col(frame, "end_date")).fillna(pd.to_datetime(_col(frame, "start_date")))
    frame = frame[frame["due"].notna()].copy()
    frame["month"] = frame["due"].dt.to_period("M").astype(str)
    for c in columns:
        frame[c] = _col(frame, c)
    return frame[columns].sort_values(["due", "plan"]).reset_index(drop=True)


def deadlines_by_month(con: Connection) -> pd.DataFrame:
    """A month × plan count of deadlines: the calendar as a grid."""
    calendar = deadline_calendar(con)
    if calendar.empty:
        return pd.DataFrame()
    return pd.crosstab(calendar["month"], calendar["plan"])


def plot_deadline_timeline(con: Connection, ax: Axes, as_of: date | str | None = None) -> None:
    """Stacked bars of deadlines falling due each month, per plan; a line marks ``as_of``."""
    grid = deadlines_by_month(con)
    if grid.empty:
        _no_data(ax, "No dated deadlines")
        return
    months = pd.period_range(grid.index.min(), grid.index.max(), freq="M").astype(str)
    grid = grid.reindex(months, fill_value=0)
    grid.plot.bar(ax=ax, stacked=True, width=0.8)
    step = max(1, len(months) // 24)
    ax.set_xticks(range(0, len(months), step))
    ax.set_xticklabels(months[::step], rotation=90, fontsize=7)
    if as_of is not None:
        mark = pd.Period(pd.Timestamp(as_of), freq="M").strftime("%Y-%m")
        if mark in months:
            ax.axvline(list(months).index(mark), color="red", linestyle="--", label=f"as of {as_of}")
    ax.legend(fontsize=7, title="plan")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("month due")
    ax.set_ylabel("deadlines")
    ax.set_title("Deadline calendar")


def overdue(con: Connection, as_of: date | str) -> pd.DataFrame:
    """Deadlines and assignments whose time ran out before ``as_of`` (recurring ones excluded).

    The archive says nothing about completion, so "overdue" means "its end date has passed".
    """
    cutoff = pd.Timestamp(as_of)
    labels = doc_labels(con)
    parts = []
    deadlines = _rows(con, "deadlines")
    if not deadlines.empty:
        once = deadlines[~_col(deadlines, "recurring").fillna(False).astype(bool)]
        parts.append(
            pd.DataFrame(
                {
                    "source": "deadline",
                    "plan": _col(once, "doc_id").map(labels),
                    "unit": None,
                    "what": _col(once, "text"),
                    "due": pd.to_datetime(_col(once, "end_date")),
                    "sentence": _col(once, "sentence"),
                }
            )
        )
    assignments = _rows(con, "assignments")
    if not assignments.empty:
        parts.append(
            pd.DataFrame(
                {
                    "source": "assignment",
                    "plan": _col(assignments, "doc_id").map(labels),
                    "unit": _col(assignments, "unit"),
                    "what": _col(assignments, "task").fillna("") + " (" + _col(assignments, "deadline").fillna("") + ")",
                    "due": pd.to_datetime(_col(assignments, "deadline_end")),
                    "sentence": _col(assignments, "sentence"),
                }
            )
        )
    columns = ["source", "plan", "unit", "what", "due", "days_overdue", "sentence"]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=columns)
    items = pd.concat(parts, ignore_index=True)
    items = items[items["due"].notna() & (items["due"] < cutoff)].copy()
    items["days_overdue"] = (cutoff - items["due"]).dt.days
    return items[columns].sort_values(["due", "plan"]).reset_index(drop=True)


def _doc_directives(con: Connection) -> dict[str, list[str]]:
    """doc_id → the central directives its plan leads up to (else what it implements)."""
    graph = implements_graph(con)
    result: dict[str, list[str]] = {}
    for doc_id, node in _doc_nodes(con).items():
        if node not in graph:
            continue
        central = sorted(graph.nodes[n]["short"] for n in nx.descendants(graph, node) if _is_central(graph.nodes[n]))
        direct = sorted(graph.nodes[n]["short"] for n in graph.successors(node))
        result[doc_id] = central or direct
    return result


def assignment_matrix(con: Connection) -> pd.DataFrame:
    """Units (rows) × central directives (columns): how many assignments link them.

    An assignment counts towards every central directive its plan leads up to through
    ``implements`` links; a plan with no traceable directive counts under its own
    implemented documents, else under ``(không rõ)``.
    """
    assignments = _rows(con, "assignments")
    if assignments.empty:
        return pd.DataFrame()
    directives = _doc_directives(con)
    pairs = [
        (unit, directive)
        for unit, doc_id in zip(_col(assignments, "unit"), _col(assignments, "doc_id"))
        if isinstance(unit, str) and unit
        for directive in (directives.get(str(doc_id)) or [NONE_LABEL])
    ]
    if not pairs:
        return pd.DataFrame()
    frame = pd.DataFrame(pairs, columns=["unit", "directive"])
    matrix = pd.crosstab(frame["unit"], frame["directive"])
    order = matrix.sum(axis=1).sort_values(ascending=False, kind="stable").index
    return matrix.loc[order]


def plot_assignment_heatmap(con: Connection, ax: Axes, top: int = 30) -> None:
    """Heatmap of :func:`assignment_matrix`, the ``top`` busiest units only."""
    matrix = assignment_matrix(con).head(top)
    if matrix.empty:
        _no_data(ax, "No assignments")
        return
    values = matrix.to_numpy()
    image = ax.imshow(values, cmap="Blues", aspect="auto", vmin=0)
    ax.set_xticks(range(matrix.shape[1]))
    ax.set_xticklabels(matrix.columns, rotation=45, ha="right", fontsize=7)
    ax.set_yticks(range(matrix.shape[0]))
    ax.set_yticklabels(matrix.index, fontsize=7)
    for (i, j), value in pd.DataFrame(values).stack().items():
        if value:
            colour = "white" if value > values.max() / 2 else "black"
            ax.text(j, i, str(value), ha="center", va="center", fontsize=7, color=colour)
    ax.figure.colorbar(image, ax=ax, label="assignments")
    ax.set_title("Units × central directives")


# ----------------------------------------------------------------------- 04 numbers


def number_targets(con: Connection, kinds: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The quantitative facts found, with the sentence each stands in as evidence."""
    numbers = _rows(con, "numbers")
    columns = ["plan", "kind", "qualifier", "value", "unit", "counted", "text", "sentence"]
    if numbers.empty:
        return pd.DataFrame(columns=columns)
    frame = numbers.copy()
    frame["plan"] = _col(frame, "doc_id").map(doc_labels(con))
    if kinds is not None:
        frame = frame[_col(frame, "kind").isin(kinds)]
    sort = ["plan", "offset"] if "offset" in frame.columns else ["plan"]
    frame = frame.sort_values(sort)
    for c in columns:
        frame[c] = _col(frame, c)
    return frame[columns].reset_index(drop=True)


def number_summary(con: Connection) -> pd.DataFrame:
    """How many numbers of each kind each plan states."""
    numbers = number_targets(con)
    if numbers.empty:
        return pd.DataFrame()
    return pd.crosstab(numbers["plan"], numbers["kind"])


def plot_number_kinds(con: Connection, ax: Axes) -> None:
    """Stacked bars: numbers per plan, split by kind (percent, target, count, ...)."""
    summary = number_summary(con)
    if summary.empty:
        _no_data(ax, "No numbers found")
        return
    summary.plot.barh(ax=ax, stacked=True)
    ax.invert_yaxis()
    ax.set_xlabel("numbers")
    ax.set_title("Quantitative targets per plan")


# ------------------------------------------------------------------------ writing


def _no_data(ax: Axes, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.axis("off")


PlotFn = Callable[..., None]

# name of the PNG → (figure function, figure size in inches); functions that take an
# ``as_of`` keyword get the report date.
FIGURES: dict[str, tuple[PlotFn, tuple[float, float]]] = {
    "01_formats": (plot_formats, (7, 4)),
    "01_failure_reasons": (plot_failure_reasons, (7, 3)),
    "02_coverage_graph": (plot_coverage_graph, (11, 7)),
    "03_deadline_timeline": (plot_deadline_timeline, (10, 5)),
    "03_assignment_heatmap": (plot_assignment_heatmap, (10, 8)),
    "04_number_kinds": (plot_number_kinds, (8, 5)),
}


def write_reports(
    db_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str] = DEFAULT_REPORTS,
    *,
    as_of: date | str | None = None,
) -> list[Path]:
    """Write every figure of :data:`FIGURES` as ``out_dir/<name>.png``.

    Each PNG is drawn into a temporary file in ``out_dir`` and renamed into place, so an
    interrupted run never leaves a half-written image.

    Args:
        db_path: the DuckDB store written by ``kehoach ingest``.
        out_dir: where the PNGs go (created if missing).
        as_of: the date marked on the deadline timeline; today by default.

    Returns:
        The paths written, in :data:`FIGURES` order.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    as_of = as_of or date.today()
    written: list[Path] = []
    con = open_db(db_path)
    try:
        for name, (plot, size) in FIGURES.items():
            fig = Figure(figsize=size)  # no pyplot: rendered by Agg, no display needed
            ax = fig.subplots()
            wants_date = "as_of" in inspect.signature(plot).parameters
            plot(con, ax, **({"as_of": as_of} if wants_date else {}))
            fig.tight_layout()
            target = out / f"{name}.png"
            fd, tmp = tempfile.mkstemp(suffix=".png", dir=out)
            os.close(fd)
            fig.savefig(tmp, dpi=120, format="png")
            os.chmod(tmp, 0o644)  # mkstemp makes it private; reports are for reading
            os.replace(tmp, target)
            written.append(target)
    finally:
        con.close()
    return written


__all__ = [
    "FIGURES",
    "assignment_matrix",
    "deadline_calendar",
    "deadlines_by_month",
    "directive_coverage",
    "directive_implementers",
    "doc_labels",
    "failure_reasons",
    "failures",
    "implements_graph",
    "ingest_overview",
    "number_summary",
    "number_targets",
    "open_db",
    "overdue",
    "plot_assignment_heatmap",
    "plot_coverage_graph",
    "plot_deadline_timeline",
    "plot_failure_reasons",
    "plot_formats",
    "plot_number_kinds",
    "run_history",
    "uncovered_directives",
    "write_reports",
]
