"""Analyst tables and figures over the DuckDB store, shared by the notebooks and the ingest run.

One function per table (``con -> DataFrame``) and one per figure (``con, ax -> None``),
so that ``notebooks/*.ipynb`` and :func:`write_reports` show the same numbers and the
notebooks hold no logic of their own. Everything reads the tables documented in
the tables of the README (section Tables) through a read-only DuckDB connection; nothing here writes to it.
Modules follow the notebooks: ``overview`` (01), ``coverage`` (02), ``schedule`` (03),
``numbers`` (04); ``tables`` reads the store, ``write`` saves the PNGs.

Example:
    >>> from pipeline import reports
    >>> con = reports.open_db("data/processed/kehoach.duckdb")      # doctest: +SKIP
    >>> reports.directive_coverage(con)                             # doctest: +SKIP
    >>> reports.write_reports("data/processed/kehoach.duckdb")      # doctest: +SKIP
"""

from __future__ import annotations

from pipeline.reports.coverage import (
    directive_coverage,
    directive_implementers,
    implements_graph,
    plot_coverage_graph,
    uncovered_directives,
)
from pipeline.reports.numbers import TARGET_KINDS, number_summary, number_targets, plot_number_kinds
from pipeline.reports.overview import (
    failure_reasons,
    failures,
    ingest_overview,
    plot_failure_reasons,
    plot_formats,
    run_history,
)
from pipeline.reports.schedule import (
    assignment_matrix,
    deadline_calendar,
    deadlines_by_month,
    overdue,
    plot_assignment_heatmap,
    plot_deadline_timeline,
)
from pipeline.reports.tables import doc_labels, open_db, representative_docs
from pipeline.reports.write import DEFAULT_REPORTS, FIGURES, write_reports

__all__ = [
    "DEFAULT_REPORTS",
    "FIGURES",
    "TARGET_KINDS",
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
    "representative_docs",
    "run_history",
    "uncovered_directives",
    "write_reports",
]
