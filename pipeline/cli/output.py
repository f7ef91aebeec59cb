"""Table output for every command: a rich table for people, ``--csv``/``--json`` for machines.

Only results go to stdout; messages and errors go to stderr (``err``), so that
``kehoach extract FILE > out.json`` and ``--csv`` pipes stay clean.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from rich.console import Console
from rich.table import Table as RichTable

out = Console()
err = Console(stderr=True)


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def emit_rows(
    rows: Sequence[dict[str, Any]] | Sequence[Sequence[Any]],
    columns: Sequence[str],
    *,
    as_csv: bool = False,
    as_json: bool = False,
    title: str | None = None,
) -> None:
    """Print rows as a rich table, CSV or a JSON array of objects."""
    dict_rows = [
        {c: _plain(r[c] if isinstance(r, dict) else r[i]) for i, c in enumerate(columns)}
        for r in rows
    ]
    if as_json:
        json.dump(dict_rows, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
        return
    if as_csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(dict_rows)
        return
    table = RichTable(title=title, show_lines=False)
    for c in columns:
        table.add_column(c, overflow="fold")
    for r in dict_rows:
        table.add_row(*["" if r[c] is None else str(r[c]) for c in columns])
    out.print(table)
    if not dict_rows:
        err.print("(no rows)")


def emit_json(obj: Any) -> None:
    """Print one JSON document to stdout (UTF-8, not ASCII-escaped)."""
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
