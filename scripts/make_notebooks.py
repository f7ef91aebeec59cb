"""Write the analyst notebooks in notebooks/ from the cell texts below, outputs stripped.

The notebooks are generated rather than hand-edited so that git only ever holds cell
sources (no outputs, no execution counts) and a diff shows what changed. Each notebook
only calls ``pipeline.reports`` and runs DuckDB SQL; the logic lives in the library.

Usage:
    .venv/bin/python scripts/make_notebooks.py           # (re)write notebooks/*.ipynb
    .venv/bin/python scripts/make_notebooks.py --check   # exit 1 if a notebook is stale
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"

# The first code cell of every notebook: papermill-style parameters, overridable from
# the environment so the test suite (and analysts) can point it at another database.
PARAMETERS = """\
import os
from datetime import date

DB = os.environ.get("KEHOACH_DB", "../data/processed/kehoach.duckdb")
AS_OF = date.fromisoformat(os.environ.get("KEHOACH_AS_OF", date.today().isoformat()))"""

SETUP = """\
%matplotlib inline
import matplotlib.pyplot as plt
import pandas as pd

from pipeline import reports

pd.set_option("display.max_colwidth", 120)
con = reports.open_db(DB)"""


def _plot(call: str, size: tuple[int, int] = (8, 4)) -> str:
    """A cell drawing one ``reports.plot_*`` figure on a fresh axis."""
    return f"fig, ax = plt.subplots(figsize={size})\nreports.{call}\nplt.show()"


CELLS: dict[str, list[tuple[str, str]]] = {
    "01_overview": [
        ("md", "# 01 · What was ingested\n\nFiles by format and status, the runs, and every failure with its reason and remedy."),
        ("code", PARAMETERS),
        ("code", SETUP),
        ("md", "## Files by format and status"),
        ("code", "reports.ingest_overview(con)"),
        ("code", _plot("plot_formats(con, ax)", (7, 4))),
        ("md", "## Ingest runs"),
        ("code", "reports.run_history(con)"),
        ("md", "## Failures\n\nThe last attempt at each of these files failed; `remedy` says what to do."),
        ("code", "reports.failures(con)"),
        ("code", "reports.failure_reasons(con)"),
        ("code", _plot("plot_failure_reasons(con, ax)", (7, 3))),
        ("md", "## Documents read, by type and level"),
        (
            "code",
            'con.sql("""\n'
            "    select doc_type, level, count(*) as documents\n"
            "    from documents\n"
            "    group by all\n"
            "    order by documents desc\n"
            '""").df()',
        ),
    ],
    "02_directive_coverage": [
        (
            "md",
            "# 02 · Directive coverage\n\nFor each central directive, the plans in the archive that carry it out "
            "(directly, or through a plan that does), counted by level.",
        ),
        ("code", PARAMETERS),
        ("code", SETUP),
        ("md", "## Coverage by level"),
        ("code", "reports.directive_coverage(con)"),
        ("md", "## Directives that no plan carries out\n\nCited in the archive, implemented by none of its documents "
               "(the same list as `kehoach uncovered`)."),
        ("code", "reports.uncovered_directives(con)"),
        (
            "md",
            "## Who carries out what\n\n`depth` 1: the plan names the directive; 2: it carries out a plan "
            "that does; `path` is the chain (the same walk as `kehoach implementers`).",
        ),
        ("code", "reports.directive_implementers(con)"),
        ("md", "## The implements graph"),
        ("code", _plot("plot_coverage_graph(con, ax)", (11, 7))),
        ("md", "## The most cited documents"),
        (
            "code",
            'con.sql("""\n'
            "    select key, any_value(doc_type) as doc_type, count(distinct doc_id) as citing_plans\n"
            "    from citations\n"
            "    group by key\n"
            "    order by citing_plans desc, key\n"
            "    limit 20\n"
            '""").df()',
        ),
    ],
    "03_deadlines_and_assignments": [
        (
            "md",
            "# 03 · Deadlines and assignments\n\nA deadline calendar, what is overdue as of `AS_OF`, "
            "and which units are given tasks for which central directive.",
        ),
        ("code", PARAMETERS),
        ("code", SETUP),
        ("md", "## Deadline calendar"),
        ("code", "calendar = reports.deadline_calendar(con)\ncalendar"),
        ("code", "reports.deadlines_by_month(con)"),
        ("code", _plot("plot_deadline_timeline(con, ax, as_of=AS_OF)", (10, 5))),
        ("md", "## Overdue as of `AS_OF`\n\nItems whose end date has passed (the archive does not record completion)."),
        ("code", "print('as of', AS_OF)\nreports.overdue(con, AS_OF)"),
        ("md", "## Unit × directive assignments"),
        ("code", "reports.assignment_matrix(con)"),
        ("code", _plot("plot_assignment_heatmap(con, ax)", (10, 8))),
        ("md", "## Roles given"),
        (
            "code",
            'con.sql("""\n'
            "    select role, count(*) as assignments, count(distinct unit) as units\n"
            "    from assignments\n"
            "    group by role\n"
            "    order by assignments desc\n"
            '""").df()',
        ),
    ],
    "04_numbers": [
        (
            "md",
            "# 04 · Quantitative targets\n\nEvery count, percentage and target the plans state, "
            "with the sentence it comes from as evidence.",
        ),
        ("code", PARAMETERS),
        ("code", SETUP),
        ("md", "## Targets, with evidence\n\nPercentages, rates and stated targets; `sentence` is where each was found."),
        ("code", "reports.number_targets(con, kinds=reports.TARGET_KINDS)"),
        ("md", "## All numbers, with evidence"),
        ("code", "numbers = reports.number_targets(con)\nnumbers"),
        ("md", "## Per plan and kind"),
        ("code", "reports.number_summary(con)"),
        ("code", _plot("plot_number_kinds(con, ax)", (8, 5))),
        ("md", "## Percentages, by what they count"),
        (
            "code",
            "percent = numbers[numbers['unit'] == '%']\n"
            "percent.groupby('counted', dropna=False)['value'].describe()",
        ),
    ],
}


def build(name: str) -> nbformat.NotebookNode:
    """The notebook ``name`` as a node: sources only, no outputs or execution counts."""
    cells = []
    for kind, source in CELLS[name]:
        cell = new_markdown_cell(source) if kind == "md" else new_code_cell(source)
        cells.append(cell)
    first_code = next(c for c in cells if c.cell_type == "code")
    first_code.metadata["tags"] = ["parameters"]
    notebook = new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    # Stable cell ids, so regenerating gives byte-identical files.
    for i, cell in enumerate(notebook.cells):
        cell["id"] = f"{name[:2]}-{i:02d}"
    return notebook


def render(name: str) -> str:
    """The exact file text of notebook ``name``."""
    return nbformat.writes(build(name)) + "\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    NOTEBOOKS_DIR.mkdir(exist_ok=True)
    stale = []
    for name in CELLS:
        path = NOTEBOOKS_DIR / f"{name}.ipynb"
        text = render(name)
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print("stale notebooks (run scripts/make_notebooks.py):", ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
