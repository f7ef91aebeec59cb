"""Notebook 01: what was ingested, by format and status; failures and their reasons."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from pipeline.errors import REMEDIES, Reason
from pipeline.reports.drawing import no_data
from pipeline.reports.tables import Connection, column, frame

_REMEDIES = {reason.value: REMEDIES.get(reason, "") for reason in Reason}


def ingest_overview(con: Connection) -> pd.DataFrame:
    """Files by format (rows) and status (columns), with totals."""
    files = frame(con, "files")
    if files.empty:
        return pd.DataFrame(columns=["format", "total"])
    table = pd.crosstab(files["format"], files["status"], margins=True, margins_name="total")
    table.columns.name = None
    return table.reset_index()


def failures(con: Connection) -> pd.DataFrame:
    """Every file whose last processing failed: why, the message, and what to do."""
    files = frame(con, "files")
    columns = ["path", "format", "error_reason", "error_message", "remedy"]
    if files.empty:
        return pd.DataFrame(columns=columns)
    failed = files[column(files, "status") == "failed"].copy()
    failed["remedy"] = column(failed, "error_reason").map(_REMEDIES).fillna("")
    for c in columns:
        failed[c] = column(failed, c)
    return failed[columns].sort_values(["error_reason", "path"]).reset_index(drop=True)


def failure_reasons(con: Connection) -> pd.DataFrame:
    """How many files failed for each reason."""
    failed = failures(con)
    counts = failed.groupby("error_reason", dropna=False).size().rename("files")
    return counts.sort_values(ascending=False).reset_index()


def run_history(con: Connection) -> pd.DataFrame:
    """The ingest runs, newest first."""
    runs = frame(con, "runs")
    if runs.empty or "started_at" not in runs.columns:
        return runs
    return runs.sort_values("started_at", ascending=False).reset_index(drop=True)


def plot_formats(con: Connection, ax: Axes) -> None:
    """Stacked bars: files per format, split by status."""
    files = frame(con, "files")
    if files.empty:
        no_data(ax, "No files ingested")
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
        no_data(ax, "No failures")
        return
    ax.barh(reasons["error_reason"].astype(str), reasons["files"], color="tab:red")
    ax.invert_yaxis()
    ax.set_xlabel("files")
    ax.set_title("Failures by reason")
