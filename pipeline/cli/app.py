"""The one typer application; command modules register themselves on it."""

from __future__ import annotations

from pathlib import Path

import typer

DEFAULT_DB = Path("data/processed/kehoach.duckdb")

app = typer.Typer(
    name="kehoach",
    help="Vietnamese plans (KẾ HOẠCH) and the directives they implement → tables and a graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Shared option definitions, so every command spells them the same way.
DbOption = typer.Option(DEFAULT_DB, "--db", help="DuckDB file (created if missing).")
CsvOption = typer.Option(False, "--csv", help="Write CSV to stdout instead of a table.")
JsonOption = typer.Option(False, "--json", help="Write JSON to stdout instead of a table.")
VerboseOption = typer.Option(False, "--verbose", "-v", help="Show tracebacks.")
