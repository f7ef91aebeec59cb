"""Notebook 04: the quantitative targets the plans state, with their evidence."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from pipeline.reports.drawing import no_data
from pipeline.reports.tables import DOCS_CTE, DOC_TABLES, Connection, query, top_crosstab

# What a plan sets out to reach ("đạt 100%", "ít nhất 02 lần/năm"), as opposed to plain counts and sums.
TARGET_KINDS = ("target", "percent", "rate")
OTHER_PLANS = "(other plans)"
NUMBER_TABLES = (*DOC_TABLES, "numbers")


def number_targets(con: Connection, kinds: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The quantitative facts found, with the sentence each stands in as evidence.

    Args:
        con: the store.
        kinds: keep only these kinds (e.g. :data:`TARGET_KINDS`); all kinds by default.
    """
    columns = ["plan", "kind", "qualifier", "value", "unit", "counted", "text", "sentence"]
    return query(
        con,
        f"""WITH {DOCS_CTE}
        SELECT l.label AS plan, {", ".join(f"x.{c}" for c in columns[1:])}
        FROM numbers x SEMI JOIN once USING (doc_id) JOIN labelled l USING (doc_id)
        WHERE $kinds IS NULL OR list_contains($kinds, x.kind)
        ORDER BY plan, x."offset" """,
        {"kinds": list(kinds) if kinds is not None else None},
        tables=NUMBER_TABLES, columns=columns,
    )


def number_summary(con: Connection, top: int = 30) -> pd.DataFrame:
    """How many numbers of each kind each plan states: the ``top`` plans stating the most,
    the others summed into one ``(other plans)`` row beyond that."""
    counts = f"""WITH {DOCS_CTE}
        SELECT doc_id AS r, coalesce(x.kind, '?') AS c, count(*) AS n
        FROM numbers x SEMI JOIN once USING (doc_id)
        GROUP BY ALL"""
    return top_crosstab(
        con, counts, names=("plan", "kind"), others=(OTHER_PLANS, ""), top_rows=top, tables=NUMBER_TABLES,
        plans="index",
    )


def plot_number_kinds(con: Connection, ax: Axes, top: int = 30) -> None:
    """Stacked bars: numbers per plan, split by kind (percent, target, count, ...), for the
    ``top`` plans stating the most (one bar per plan of a large archive is unreadable, and
    took minutes to draw)."""
    summary = number_summary(con, top)
    if summary.empty:
        no_data(ax, "No numbers found")
        return
    plans = summary.attrs["rows"]
    summary = summary.drop(index=OTHER_PLANS, errors="ignore")
    summary = summary.loc[summary.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    summary.plot.barh(ax=ax, stacked=True)
    ax.legend(fontsize=7, title="kind", loc="lower right")
    ax.invert_yaxis()
    ax.set_xlabel("numbers")
    ax.set_title("Quantitative targets per plan" + (f"\n({top} of {plans:,} plans with most)" if plans > top else ""))
