"""Notebook 01: what was ingested, by format and status; failures and their reasons."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from pipeline.errors import REMEDIES, Reason
from pipeline.reports.drawing import no_data
from pipeline.reports.tables import Connection, frame, query, top_crosstab

_REMEDIES = {reason.value: REMEDIES.get(reason, "") for reason in Reason}


def _format_status(con: Connection) -> pd.DataFrame:
    """Files counted by format (rows) and status (columns), in DuckDB: a handful of cells."""
    counts = "SELECT coalesce(format, '?') AS r, coalesce(status, '?') AS c, count(*) AS n FROM files GROUP BY ALL"
    return top_crosstab(con, counts, names=("format", "status"), others=("", ""), tables=["files"])


def ingest_overview(con: Connection) -> pd.DataFrame:
    """Files by format (rows) and status (columns), with totals."""
    table = _format_status(con)
    if table.empty:
        return pd.DataFrame(columns=["format", "total"])
    table["total"] = table.sum(axis=1)
    table.loc["total"] = table.sum()
    table.columns.name = None
    return table.reset_index()


def failures(con: Connection) -> pd.DataFrame:
    """Every file whose last processing failed: why, the message, and what to do."""
    columns = ["path", "format", "error_reason", "error_message"]
    failed = query(
        con, f"SELECT {', '.join(columns)} FROM files WHERE status = 'failed' ORDER BY error_reason, path",
        tables=["files"], columns=columns,
    )
    failed["remedy"] = failed["error_reason"].map(_REMEDIES).fillna("")
    return failed


def failure_reasons(con: Connection) -> pd.DataFrame:
    """How many files failed for each reason."""
    return query(
        con, "SELECT error_reason, count(*) AS files FROM files WHERE status = 'failed'"
        " GROUP BY ALL ORDER BY files DESC, error_reason",
        tables=["files"], columns=["error_reason", "files"],
    )


def run_history(con: Connection) -> pd.DataFrame:
    """The ingest runs, newest first."""
    runs = frame(con, "runs")
    if runs.empty or "started_at" not in runs.columns:
        return runs
    return runs.sort_values("started_at", ascending=False).reset_index(drop=True)


def plot_formats(con: Connection, ax: Axes) -> None:
    """Stacked bars: files per format, split by status."""
    table = _format_status(con)
    if table.empty:
        no_data(ax, "No files ingested")
        return
    table.plot.bar(ax=ax, stacked=True, rot=0)
    ax.set_xlabel("format")
    ax.set_ylabel("files")
    ax.set_title("Files by format and status")


def plot_failure_reasons(con: Connection, ax: Axes) -> None:
    """Horizontal bars: failed files per reason."""
    reasons = failure_reasons(con)
    if reasons.empty:
        no_data(ax, "No failures")
        return
    ax.barh(reasons["error_reason"].astype(str), reasons["files"], color="tab:red")
    ax.invert_yaxis()
    ax.set_xlabel("files")
    ax.set_title("Failures by reason")
