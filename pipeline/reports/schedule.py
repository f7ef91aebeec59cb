"""Notebook 03: the deadline calendar, overdue items, and the unit × directive matrix."""

from __future__ import annotations

from datetime import date

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from pipeline.reports.coverage import TRACED_CTE
from pipeline.reports.drawing import no_data
from pipeline.reports.tables import DOC_TABLES, DOCS_CTE, NONE_LABEL, Connection, query, top_crosstab

OTHER_PLANS = "(other plans)"
OTHERS = ("(other units)", "(other directives)")
DEADLINE_TABLES = (*DOC_TABLES, "deadlines")
ASSIGNMENT_TABLES = (*DOC_TABLES, "assignments", "edges")

# Each real document's dated deadlines (``DOCS_CTE`` before it).
DATED = """
dated AS (
    SELECT x.*, coalesce(x.end_date, x.start_date) AS due FROM deadlines x SEMI JOIN once USING (doc_id)
    WHERE coalesce(x.end_date, x.start_date) IS NOT NULL
)"""


def deadline_calendar(con: Connection) -> pd.DataFrame:
    """Dated deadlines, one row each, with the month they fall due (end, else start).

    ``before_plan`` flags a time limit ending before its plan was issued: most likely a
    historical date taken for a deadline (worth a look, and a test case for extraction).
    """
    columns = ["plan", "text", "start_date", "end_date", "due", "month", "kind", "period", "recurring",
               "before_plan", "sentence"]
    return query(
        con,
        f"""WITH {DOCS_CTE}, {DATED}
        SELECT l.label AS plan, x.text, x.start_date, x.end_date, x.due, strftime(x.due, '%Y-%m') AS month, x.kind,
               x.period, x.recurring, coalesce(x.end_date < d.date, false) AS before_plan, x.sentence
        FROM dated x JOIN labelled l USING (doc_id) JOIN documents d USING (doc_id)
        ORDER BY x.due, plan""",
        tables=DEADLINE_TABLES, columns=columns,
    )


def deadlines_by_month(con: Connection, top: int = 30) -> pd.DataFrame:
    """A month × plan count of deadlines: the calendar as a grid.

    The ``top`` plans with most deadlines get a column each; the rest are summed into
    one ``(other plans)`` column.
    """
    counts = f"""WITH {DOCS_CTE}, {DATED}
        SELECT strftime(due, '%Y-%m') AS r, doc_id AS c, count(*) AS n FROM dated GROUP BY ALL"""
    return top_crosstab(
        con, counts, names=("month", "plan"), others=("", OTHER_PLANS), top_cols=top, tables=DEADLINE_TABLES,
        plans="columns",
    )


def plot_deadline_timeline(
    con: Connection, ax: Axes, as_of: date | str | None = None, max_plans: int = 12
) -> None:
    """Stacked bars of deadlines falling due each month, per plan; a line marks ``as_of``.

    Beyond ``max_plans`` plans, the ones with fewest deadlines share one "(other plans)" colour.
    """
    grid = deadlines_by_month(con, top=max_plans - 1)
    if grid.empty:
        no_data(ax, "No dated deadlines")
        return
    plans = grid.attrs["cols"]
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
    ax.set_title("Deadline calendar" + (f" ({max_plans - 1} of {plans:,} plans with most)" if plans >= max_plans else ""))


def overdue(con: Connection, as_of: date | str) -> pd.DataFrame:
    """Deadlines and assignments whose end date is before ``as_of``, most overdue first.

    Like ``kehoach deadlines --today`` but each document counted once even where its
    renders were read differently (rows of the best-read render only), and with the
    days overdue. The archive says nothing about completion, so "overdue" means "its
    end date has passed"; an item with only a start date ("từ ngày ...") is not overdue.
    """
    columns = ["document", "kind", "unit", "role", "task", "deadline", "end", "days_overdue", "file"]
    return query(
        con,
        f"""WITH {DOCS_CTE}, items AS (
            SELECT doc_id, 'deadline' AS kind, NULL AS unit, NULL AS role, sentence AS task, text AS deadline,
                   end_date AS "end"
            FROM deadlines
          UNION ALL
            SELECT doc_id, 'assignment', unit, role, task, deadline, deadline_end FROM assignments
        )
        SELECT l.label AS document, i.kind, i.unit, i.role, i.task, i.deadline, i."end",
               date_diff('day', i."end"::TIMESTAMP, $cutoff) AS days_overdue, d.path AS file
        FROM items i SEMI JOIN once USING (doc_id) JOIN labelled l USING (doc_id) JOIN documents d USING (doc_id)
        WHERE i."end" < $cutoff
        ORDER BY i."end", document, i.kind""",
        {"cutoff": pd.Timestamp(as_of).to_pydatetime()},
        tables=(*DEADLINE_TABLES, "assignments"), columns=columns,
    )


def assignment_matrix(con: Connection, top_units: int = 30, top_directives: int = 20) -> pd.DataFrame:
    """Units (rows) × central directives (columns): how many assignments link them.

    An assignment counts towards every central directive its plan leads up to through
    ``implements`` links; a plan with no traceable directive counts under its own
    implemented documents, else under ``(không rõ)``. The ``top_units`` busiest units
    and ``top_directives`` directives are kept, the rest summed into ``(other units)``
    and ``(other directives)``; rows busiest first.
    """
    counts = f"""WITH RECURSIVE {DOCS_CTE}, {TRACED_CTE}
        SELECT a.unit AS r, coalesce(t.directive, $none) AS c, count(*) AS n
        FROM assignments a SEMI JOIN once USING (doc_id) JOIN documents d USING (doc_id)
        LEFT JOIN nodes n ON n.node_id = d.node_id LEFT JOIN traced t ON t.node = n.rowid
        WHERE a.unit <> ''
        GROUP BY ALL"""
    matrix = top_crosstab(
        con, counts, {"none": NONE_LABEL}, names=("unit", "directive"), others=OTHERS,
        top_rows=top_units, top_cols=top_directives, tables=ASSIGNMENT_TABLES,
    )
    if matrix.empty:
        return matrix
    busiest = matrix.sum(axis=1).sort_values(ascending=False, kind="stable").index
    return matrix.loc[sorted(busiest, key=lambda unit: unit == OTHERS[0])]  # stable: "others" last


def plot_assignment_heatmap(con: Connection, ax: Axes, top: int = 30, top_directives: int = 20) -> None:
    """Heatmap of :func:`assignment_matrix`: the ``top`` busiest units × ``top_directives``."""
    matrix = assignment_matrix(con, top, top_directives)
    units, directives = matrix.attrs.get("rows", 0), matrix.attrs.get("cols", 0)
    matrix = matrix.drop(index=OTHERS[0], columns=OTHERS[1], errors="ignore")
    if matrix.empty:
        no_data(ax, "No assignments")
        return
    matrix = matrix[matrix.sum().sort_values(ascending=False, kind="stable").index]
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
    shown = f"\n(busiest {len(matrix)} of {units:,} units × {matrix.shape[1]} of {directives:,} directives)"
    bounded = units > top or directives > top_directives
    ax.set_title("Units × directives (central ones where the chain reaches them)" + (shown if bounded else ""))
