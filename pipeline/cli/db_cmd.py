"""Commands over the store: ``query``, ``implementers``, ``uncovered``, ``deadlines``, ``show``, ``graph``.

Thin wrappers over ``pipeline.queries`` and ``pipeline.graph``: open the database
read-only and never write to it (the ingest leaves the graph current), print a rich
table, or CSV/JSON for machines. While an ingest writes the database, DuckDB lets no
other process open it: the command says so (``DatabaseLocked``, exit 5) and touches nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import typer

from pipeline.cli.app import CsvOption, DbOption, JsonOption, app
from pipeline.cli.output import emit_json, emit_rows, err, out
from pipeline.errors import KehoachError, Reason, usage


def _no_match(key: str) -> KehoachError:
    return KehoachError(Reason.no_match, None, f"no document matches {key!r}")


@contextmanager
def open_db(db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection (``DatabaseLocked`` while an ingest writes the file)."""
    from pipeline.store import Store

    store = Store(db, read_only=True)
    try:
        if store.graph_stale():
            err.print("note: the graph is older than the documents (the last ingest did not finish);"
                      " `kehoach ingest` brings it up to date", highlight=False, soft_wrap=True)  # fmt: skip
        yield store.con
    except duckdb.Error as e:
        raise KehoachError(Reason.bad_query, None, f"{type(e).__name__}: {e}") from None
    finally:
        store.close()


def _emit(
    result: Any, as_csv: bool, as_json: bool, title: str | None = None, hide: tuple[str, ...] = ()
) -> None:
    """CSV/JSON get every column; the table for people leaves out ``hide`` (ids, long paths)."""
    columns = result.columns if as_csv or as_json else tuple(c for c in result.columns if c not in hide)
    emit_rows(result.rows, columns, as_csv=as_csv, as_json=as_json, title=title)


@app.command("query")
def query_command(
    sql: str = typer.Argument(..., help='SQL over the tables, e.g. "SELECT * FROM nodes LIMIT 5".'),
    db: Path = DbOption,
    as_csv: bool = CsvOption,
    as_json: bool = JsonOption,
) -> None:
    """Run ad-hoc SQL (read-only) over the tables of the README (section Tables)."""
    from pipeline.queries import run_sql

    with open_db(db) as con:
        _emit(run_sql(con, sql), as_csv, as_json)


@app.command("implementers")
def implementers_command(
    key: str = typer.Argument(..., help="A key with or without @date (21-KL/TW), a node id or a file path."),
    max_depth: int = typer.Option(20, "--max-depth", help="How many levels down to follow."),
    db: Path = DbOption,
    as_csv: bool = CsvOption,
    as_json: bool = JsonOption,
) -> None:
    """Documents implementing KEY, directly (depth 1) or through other plans (depth > 1)."""
    from pipeline.queries import find_nodes, implementers

    with open_db(db) as con:
        if not find_nodes(con, key):
            raise _no_match(key)
        res = implementers(con, key, max_depth=max_depth)
        hide = ("node_id", "path", "scope", "in_archive") + (("target",) if len({r["target"] for r in res.rows}) < 2 else ())
        _emit(res, as_csv, as_json, title=f"Implementers of {key}", hide=hide)


@app.command("uncovered")
def uncovered_command(db: Path = DbOption, as_csv: bool = CsvOption, as_json: bool = JsonOption) -> None:
    """Directives that documents cite but that no document implements."""
    from pipeline.queries import uncovered

    with open_db(db) as con:
        _emit(uncovered(con), as_csv, as_json, title="Cited directives nobody implements", hide=("node_id", "scope"))


def _day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise usage(f"{name}: expected a date YYYY-MM-DD, got {value!r}") from None


@app.command("deadlines")
def deadlines_command(
    before: str | None = typer.Option(None, "--before", help="Items due on or before this day (YYYY-MM-DD)."),
    after: str | None = typer.Option(None, "--after", help="Items due on or after this day."),
    unit: str | None = typer.Option(None, "--unit", help="Assignments whose unit contains this text."),
    today: str | None = typer.Option(None, "--today", help="Day for the overdue flag (default: today)."),
    db: Path = DbOption,
    as_csv: bool = CsvOption,
    as_json: bool = JsonOption,
) -> None:
    """Deadlines and assignments, with an overdue flag."""
    from pipeline.queries import deadlines

    args = dict(before=_day(before, "--before"), after=_day(after, "--after"), today=_day(today, "--today"))
    with open_db(db) as con:
        _emit(deadlines(con, unit=unit, **args), as_csv, as_json, title="Deadlines")


@app.command("show")
def show_command(
    key: str = typer.Argument(..., help="A key with or without @date, a node id or a file path."),
    db: Path = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """A document: its attributes, files, and edges in and out."""
    from pipeline.queries import show

    with open_db(db) as con:
        data = show(con, key)
    if not data["matches"]:
        raise _no_match(key)
    if as_json:
        emit_json(data)
        return
    for m in data["matches"]:
        node = m["node"]
        emit_rows([{"field": k, "value": v} for k, v in node.items()], ("field", "value"), title=node["label"])
        if m["files"]:
            emit_rows(m["files"], tuple(m["files"][0]), title="Files")
        for name, other in (("edges_out", "target"), ("edges_in", "source")):
            cols = (other, "type", "count", "inferred", "evidence")
            title = "Implements / cites" if name == "edges_out" else "Implemented / cited by"
            if m[name]:
                emit_rows(m[name], cols, title=title)
            else:
                out.print(f"{title}: none")


@app.command("graph")
def graph_command(
    fmt: str = typer.Option("html", "--format", "-f", help="graphml | json | html | png"),
    output: Path | None = typer.Option(None, "--out", "-o", help="File to write (default data/processed/graph.<ext>)."),
    root: str | None = typer.Option(None, "--root", help="Only this document and what implements or cites it."),
    db: Path = DbOption,
) -> None:
    """Export the graph (GraphML / node-link JSON) or draw it (interactive HTML, PNG)."""
    from pipeline import graph
    from pipeline.queries import find_nodes

    if fmt not in graph.FORMATS:
        raise usage(f"--format must be one of {', '.join(graph.FORMATS)}")
    with open_db(db) as con:
        g = graph.build_graph(con)
        if root:
            roots = find_nodes(con, root)
            if not roots:
                raise _no_match(root)
            g = graph.subgraph(g, roots)
    ext = "graphml" if fmt == "graphml" else fmt
    target = output or db.parent / f"graph.{ext}"
    graph.export(g, fmt, target)
    err.print(f"{target}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges", highlight=False)
    out.print(str(target), highlight=False)
