"""The analyst notebooks run top to bottom on freshly built tables, and git holds them stripped.

Each notebook is executed with nbclient in a ``python3`` kernel of this very interpreter
(the ``.venv``), pointed at a DuckDB file built for the test through ``KEHOACH_DB``; a
failing cell fails the test (``CellExecutionError``).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

from helpers_reports import build_db, make_archive

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = REPO / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
AS_OF = "2022-06-15"


def _generator():
    spec = importlib.util.spec_from_file_location("make_notebooks", REPO / "scripts" / "make_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fresh_db(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    root = tmp_path_factory.mktemp("archive")
    return build_db(make_archive(root, corpus), tmp_path_factory.mktemp("db") / "kehoach.duckdb")


def _execute(path: Path, monkeypatch: pytest.MonkeyPatch, db: Path) -> nbformat.NotebookNode:
    monkeypatch.setenv("KEHOACH_DB", str(db))
    monkeypatch.setenv("KEHOACH_AS_OF", AS_OF)
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=300,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    return notebook


def test_the_four_notebooks_exist() -> None:
    assert [p.stem for p in NOTEBOOKS] == [
        "01_overview",
        "02_directive_coverage",
        "03_deadlines_and_assignments",
        "04_numbers",
    ]


def test_python3_kernel_is_this_interpreter(tmp_path: Path) -> None:
    """jupyter_client swaps a bare ``python`` in the kernel spec for ``sys.executable``."""
    spec = KernelSpecManager().get_kernel_spec("python3")
    assert spec.argv[0] in {"python", "python3", sys.executable}
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys; print(sys.executable)")])
    NotebookClient(notebook, kernel_name="python3", timeout=120).execute()
    printed = notebook.cells[0].outputs[0]["text"].strip()
    assert Path(printed).resolve() == Path(sys.executable).resolve()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_on_fresh_tables(path: Path, fresh_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notebook = _execute(path, monkeypatch, fresh_db)
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    # Every plotting cell drew a figure; every table cell showed something.
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if "reports.plot_" in cell.source:
            assert any("image/png" in o.get("data", {}) for o in cell.outputs), cell.source
        elif _shows_a_value(cell.source):
            assert cell.outputs, cell.source


def _shows_a_value(source: str) -> bool:
    """Whether a cell ends in an expression (a table), not an assignment or import."""
    last = source.rstrip().splitlines()[-1]
    return " = " not in last and not last.startswith(("import ", "from ", "%", "pd.set_option"))


def test_parameters_cell_reads_the_environment() -> None:
    for path in NOTEBOOKS:
        notebook = nbformat.read(path, as_version=4)
        first = next(c for c in notebook.cells if c.cell_type == "code")
        assert "parameters" in first.metadata.get("tags", [])
        assert 'os.environ.get("KEHOACH_DB", "../data/processed/kehoach.duckdb")' in first.source
        assert "AS_OF" in first.source


def test_notebooks_use_the_library_not_copied_code() -> None:
    for path in NOTEBOOKS:
        source = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
        assert "from pipeline import reports" in source
        assert "def " not in source and "class " not in source, path.name


def _assert_stripped(text: str, name: str) -> None:
    notebook = json.loads(text)
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], name
            assert cell["execution_count"] is None, name


def test_notebooks_are_stripped_on_disk_and_in_git() -> None:
    for path in NOTEBOOKS:
        _assert_stripped(path.read_text(encoding="utf-8"), path.name)
    rel = [str(p.relative_to(REPO)) for p in NOTEBOOKS]
    tracked = subprocess.run(
        ["git", "ls-files", "--", *rel], cwd=REPO, capture_output=True, text=True, check=False
    )
    if tracked.returncode != 0:
        pytest.skip("not a git checkout")
    for name in tracked.stdout.split():
        shown = subprocess.run(
            ["git", "show", f"HEAD:{name}"], cwd=REPO, capture_output=True, text=True, check=False
        )
        if shown.returncode == 0:  # committed; a new, uncommitted notebook is checked on disk only
            _assert_stripped(shown.stdout, name)


def test_notebooks_match_their_generator() -> None:
    """notebooks/*.ipynb are exactly what scripts/make_notebooks.py writes."""
    generator = _generator()
    assert sorted(generator.CELLS) == [p.stem for p in NOTEBOOKS]
    for path in NOTEBOOKS:
        assert path.read_text(encoding="utf-8") == generator.render(path.stem), (
            f"{path.name} is stale: run .venv/bin/python scripts/make_notebooks.py"
        )
