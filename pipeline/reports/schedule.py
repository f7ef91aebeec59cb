"""Notebook 03: the deadline calendar, overdue items, and the unit × directive matrix."""

from __future__ import annotations

from datetime import date

import networkx as nx
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from pipeline.reports.coverage import implements_graph, is_central
from pipeline.reports.drawing import no_data
from pipeline.reports.tables import (
    NONE_LABEL,
    Connection,
    column,
    doc_labels,
    doc_nodes,
    frame,
    per_document,
)


def deadline_calendar(con: Connection) -> pd.DataFrame:
    """Dated deadlines, one row each, with the month they fall due (end, else start).

    ``before_plan`` flags a time limit ending before its plan was issued: most likely a
    historical date taken for a deadline (worth a look, and a test case for extraction).
    """
    deadlines = per_document(con, "deadlines")
    columns = ["plan", "text", "start_date", "end_date", "due", "month", "kind", "period", "recurring",
               "before_plan", "sentence"]
    if deadlines.empty:
        return pd.DataFrame(columns=columns)
    labels = doc_labels(con)
    docs = frame(con, "documents")
    issued = pd.Series(pd.to_datetime(column(docs, "date")).to_numpy(), index=column(docs, "doc_id"))
    table = deadlines.copy()
    table["plan"] = column(table, "doc_id").map(labels)
    table["due"] = pd.to_datetime(column(table, "end_date")).fillna(pd.to_datetime(column(table, "start_date")))
    table = table[table["due"].notna()].copy()
    table["month"] = table["due"].dt.to_period("M").astype(str)
    table["before_plan"] = pd.to_datetime(table["end_date"]) < table["doc_id"].map(issued)
    for c in columns:
        table[c] = column(table, c)
    return table[columns].sort_values(["due", "plan"]).reset_index(drop=True)


def deadlines_by_month(con: Connection) -> pd.DataFrame:
    """A month × plan count of deadlines: the calendar as a grid."""
    calendar = deadline_calendar(con)
    if calendar.empty:
        return pd.DataFrame()
    return pd.crosstab(calendar["month"], calendar["plan"])


def plot_deadline_timeline(
    con: Connection, ax: Axes, as_of: date | str | None = None, max_plans: int = 12
) -> None:
    """Stacked bars of deadlines falling due each month, per plan; a line marks ``as_of``.

    Beyond ``max_plans`` plans, the ones with fewest deadlines share one "(other plans)" colour.
    """
    grid = deadlines_by_month(con)
    if grid.empty:
        no_data(ax, "No dated deadlines")
        return
    if grid.shape[1] > max_plans:
        busiest = grid.sum().sort_values(ascending=False, kind="stable").index
        kept, rest = list(busiest[: max_plans - 1]), list(busiest[max_plans - 1 :])
        grid = grid[kept].assign(**{"(other plans)": grid[rest].sum(axis=1)})
    months = pd.period_range(grid.index.min(), grid.index.max(), freq="M").astype(str)
    gaps = len(months) <= 48
    if gaps:  # a continuous calendar; over longer spans (or a stray 1945 date) only busy months
        grid = grid.reindex(months, fill_value=0)
    else:
        months = grid.index
    grid.plot.bar(ax=ax, stacked=True, width=0.8)
    step = max(1, len(months) // 24)
    ax.set_xticks(range(0, len(months), step))
    ax.set_xticklabels(months[::step], rotation=90, fontsize=7)
    if as_of is not None:
        mark = pd.Period(pd.Timestamp(as_of), freq="M").strftime("%Y-%m")
        if mark in months:
            ax.axvline(list(months).index(mark), color="red", linestyle="--", label=f"as of {as_of}")
    ax.legend(fontsize=7, title="plan", loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("month due" if gaps else "month due (months with deadlines only)")
    ax.set_ylabel("deadlines")
    ax.set_title("Deadline calendar")


def overdue(con: Connection, as_of: date | str) -> pd.DataFrame:
    """Deadlines and assignments whose end date is before ``as_of``, most overdue first.

    Like ``kehoach deadlines --today`` but each document counted once even where its
    renders were read differently (rows of the best-read render only), and with the
    days overdue. The archive says nothing about completion, so "overdue" means "its
    end date has passed"; an item with only a start date ("từ ngày ...") is not overdue.
    """
    cutoff = pd.Timestamp(as_of)
    labels = doc_labels(con)
    paths = dict(zip(column(frame(con, "documents"), "doc_id"), column(frame(con, "documents"), "path")))
    parts = []
    deadlines = per_document(con, "deadlines")
    if not deadlines.empty:
        parts.append(
            deadlines.assign(kind="deadline", unit=None, role=None, task=column(deadlines, "sentence"),
                             deadline=column(deadlines, "text"), end=column(deadlines, "end_date"))
        )
    assignments = per_document(con, "assignments")
    if not assignments.empty:
        parts.append(assignments.assign(kind="assignment", end=column(assignments, "deadline_end")))
    columns = ["document", "kind", "unit", "role", "task", "deadline", "end", "days_overdue", "file"]
    if not parts:
        return pd.DataFrame(columns=columns)
    items = pd.concat(parts, ignore_index=True)
    items["end"] = pd.to_datetime(items["end"])
    items = items[items["end"].notna() & (items["end"] < cutoff)].copy()
    items["document"] = items["doc_id"].map(labels)
    items["file"] = items["doc_id"].map(paths)
    items["days_overdue"] = (cutoff - items["end"]).dt.days
    return items[columns].sort_values(["end", "document", "kind"]).reset_index(drop=True)


def _doc_directives(con: Connection) -> dict[str, list[str]]:
    """doc_id → the central directives its plan leads up to (else what it implements)."""
    graph = implements_graph(con)
    result: dict[str, list[str]] = {}
    for doc_id, node in doc_nodes(con).items():
        if node not in graph:
            continue
        central = sorted(graph.nodes[n]["short"] for n in nx.descendants(graph, node) if is_central(graph.nodes[n]))
        direct = sorted(graph.nodes[n]["short"] for n in graph.successors(node))
        result[doc_id] = central or direct
    return result


def assignment_matrix(con: Connection) -> pd.DataFrame:
    """Units (rows) × central directives (columns): how many assignments link them.

    An assignment counts towards every central directive its plan leads up to through
    ``implements`` links; a plan with no traceable directive counts under its own
    implemented documents, else under ``(không rõ)``.
    """
    assignments = per_document(con, "assignments")
    if assignments.empty:
        return pd.DataFrame()
    directives = _doc_directives(con)
    pairs = [
        (unit, directive)
        for unit, doc_id in zip(column(assignments, "unit"), column(assignments, "doc_id"))
        if isinstance(unit, str) and unit
        for directive in (directives.get(str(doc_id)) or [NONE_LABEL])
    ]
    if not pairs:
        return pd.DataFrame()
    links = pd.DataFrame(pairs, columns=["unit", "directive"])
    matrix = pd.crosstab(links["unit"], links["directive"])
    order = matrix.sum(axis=1).sort_values(ascending=False, kind="stable").index
    return matrix.loc[order]


def plot_assignment_heatmap(con: Connection, ax: Axes, top: int = 30, top_directives: int = 20) -> None:
    """Heatmap of :func:`assignment_matrix`: the ``top`` busiest units × ``top_directives``."""
    matrix = assignment_matrix(con)
    if not matrix.empty:
        busiest = matrix.sum().sort_values(ascending=False, kind="stable").index[:top_directives]
        matrix = matrix[busiest].head(top)
    if matrix.empty:
        no_data(ax, "No assignments")
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
    ax.set_title("Units × directives (central ones where the chain reaches them)")
