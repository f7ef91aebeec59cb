"""Notebook 04: the quantitative targets the plans state, with their evidence."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from pipeline.reports.drawing import no_data
from pipeline.reports.tables import Connection, column, doc_labels, per_document

# What a plan sets out to reach ("đạt 100%", "ít nhất 02 lần/năm"), as opposed to plain counts and sums.
TARGET_KINDS = ("target", "percent", "rate")


def number_targets(con: Connection, kinds: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The quantitative facts found, with the sentence each stands in as evidence.

    Args:
        con: the store.
        kinds: keep only these kinds (e.g. :data:`TARGET_KINDS`); all kinds by default.
    """
    numbers = per_document(con, "numbers")
    columns = ["plan", "kind", "qualifier", "value", "unit", "counted", "text", "sentence"]
    if numbers.empty:
        return pd.DataFrame(columns=columns)
    table = numbers.copy()
    table["plan"] = column(table, "doc_id").map(doc_labels(con))
    if kinds is not None:
        table = table[column(table, "kind").isin(kinds)]
    sort = ["plan", "offset"] if "offset" in table.columns else ["plan"]
    table = table.sort_values(sort)
    for c in columns:
        table[c] = column(table, c)
    return table[columns].reset_index(drop=True)


def number_summary(con: Connection) -> pd.DataFrame:
    """How many numbers of each kind each plan states."""
    numbers = number_targets(con)
    if numbers.empty:
        return pd.DataFrame()
    return pd.crosstab(numbers["plan"], numbers["kind"])


def plot_number_kinds(con: Connection, ax: Axes, top: int = 30) -> None:
    """Stacked bars: numbers per plan, split by kind (percent, target, count, ...), for the
    ``top`` plans stating the most (one bar per plan of a large archive is unreadable, and
    took minutes to draw)."""
    summary = number_summary(con)
    if summary.empty:
        no_data(ax, "No numbers found")
        return
    plans = len(summary)
    if plans > top:
        summary = summary.loc[summary.sum(axis=1).sort_values(ascending=False, kind="stable").index[:top]]
    summary.plot.barh(ax=ax, stacked=True)
    ax.legend(fontsize=7, title="kind", loc="lower right")
    ax.invert_yaxis()
    ax.set_xlabel("numbers")
    ax.set_title("Quantitative targets per plan" + (f" ({top} of {plans} plans with most)" if plans > top else ""))
