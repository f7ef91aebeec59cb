"""Notebook 04: the quantitative targets the plans state, with their evidence."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from pipeline.reports.drawing import no_data
from pipeline.reports.tables import Connection, column, doc_labels, per_document


def number_targets(con: Connection, kinds: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The quantitative facts found, with the sentence each stands in as evidence."""
    numbers = per_document(con, "numbers")
    columns = ["plan", "kind", "qualifier", "value", "unit", "counted", "text", "sentence"]
    if numbers.empty:
        return pd.DataFrame(columns=columns)
    frame = numbers.copy()
    frame["plan"] = column(frame, "doc_id").map(doc_labels(con))
    if kinds is not None:
        frame = frame[column(frame, "kind").isin(kinds)]
    sort = ["plan", "offset"] if "offset" in frame.columns else ["plan"]
    frame = frame.sort_values(sort)
    for c in columns:
        frame[c] = column(frame, c)
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
        no_data(ax, "No numbers found")
        return
    summary.plot.barh(ax=ax, stacked=True)
    ax.legend(fontsize=7, title="kind", loc="lower right")
    ax.invert_yaxis()
    ax.set_xlabel("numbers")
    ax.set_title("Quantitative targets per plan")
