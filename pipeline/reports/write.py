"""Writing every report figure as a PNG: what the ingest run calls at its end."""

from __future__ import annotations

import inspect
import os
import tempfile
from collections.abc import Callable
from contextlib import closing
from datetime import date
from pathlib import Path

from matplotlib.figure import Figure

from pipeline.reports.coverage import plot_coverage_graph
from pipeline.reports.numbers import plot_number_kinds
from pipeline.reports.overview import plot_failure_reasons, plot_formats
from pipeline.reports.schedule import plot_assignment_heatmap, plot_deadline_timeline
from pipeline.reports.tables import open_db

DEFAULT_REPORTS = Path("data/processed/reports")

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
    for name, (plot, size) in FIGURES.items():
        fig = Figure(figsize=size)  # no pyplot: rendered by Agg, no display needed
        ax = fig.subplots()
        wants_date = "as_of" in inspect.signature(plot).parameters
        with closing(open_db(db_path)) as con:  # one per figure: DuckDB's caches go with it
            plot(con, ax, **({"as_of": as_of} if wants_date else {}))
        fig.tight_layout()
        target = out / f"{name}.png"
        fd, tmp = tempfile.mkstemp(suffix=".png", dir=out)
        os.close(fd)
        fig.savefig(tmp, dpi=120, format="png")
        os.chmod(tmp, 0o644)  # mkstemp makes it private; reports are for reading
        os.replace(tmp, target)
        written.append(target)
    return written
