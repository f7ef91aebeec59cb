"""Prototype of a batched ``Store.put_documents`` — for the before/after figure only.

Profiling the text path (bench/RESULTS.md) showed ``Store.put_document`` costing more
CPU than read + extract together: per file it opens a transaction, runs one DELETE per
per-file table, registers an Arrow table per table, and rewrites ``meta``. DuckDB's
fixed cost per statement (~3-15 ms for an Arrow insert) dominates. Writing a batch of
files in one transaction — one DELETE per table for all their paths, one Arrow insert
per table for all their rows — removes it. This module does exactly that with the
store's own row builder, so ``e2e_child.py --store batched`` can measure the gain; the
real change belongs in ``pipeline/store.py`` (its owner's file), as ``put_documents``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from pipeline.store import Store, _now, doc_id_for, document_rows
from pipeline.store_schema import PER_FILE_TABLES
from pipeline.version import PIPELINE_VERSION


def put_documents(store: Store, run_id: str, outcomes: Sequence[Any]) -> None:
    """Write the ok outcomes of one batch (``pipeline.ingest.Outcome``) in one transaction."""
    ok = [o for o in outcomes if o.ok]
    if not ok:
        return
    tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
    files = []
    for o in ok:
        for table, rows in document_rows(o.info, o.document, o.extraction, run_id).items():
            tables[table].extend(rows)
        files.append({
            "path": o.info.path, "sha256": o.info.sha256, "size": o.info.size, "mtime": o.info.mtime,
            "format": o.info.format, "status": "ok", "error_reason": None, "error_message": None,
            "pipeline_version": PIPELINE_VERSION, "doc_id": doc_id_for(o.info.path), "run_id": run_id,
            "updated_at": _now(),
        })
    paths = [o.info.path for o in ok]
    con = store.con
    with store._transaction():
        for table in (*PER_FILE_TABLES, "files"):
            con.execute(f"DELETE FROM {table} WHERE list_contains(?::VARCHAR[], path)", [paths])
        for table, rows in tables.items():
            store._insert(table, _uniform(rows))
        store._insert("files", files)
        store._set_meta("graph_stale", "1")


def _uniform(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with the same columns in the same order (Arrow needs one schema)."""
    cols: dict[str, None] = {}
    for r in rows:
        cols.update(dict.fromkeys(r))
    return [{c: r.get(c) for c in cols} for r in rows]
