"""A database that already holds N documents, without extracting N documents.

Issue 14 asks whether an ingest's memory stays flat as the archive grows from 10,000 to
100,000 documents; a real 100,000-plan ingest takes hours on two shared cores. What
grows with the archive is not reading or extracting a file (one batch at a time) but the
stages that see every stored row: discover and plan (every ``files`` row), the graph
rebuild (every document and citation), the Parquet export and the reports. So the bench
seeds the rows and then runs a real ingest of fresh files over them (``bench/scale.py
--parts seeded``).

The seeded rows are real extraction rows: those of a *template* database (a real ingest
of T plans, ``bench/scale.py --parts memory`` at T) copied, with their ``doc_id`` and
``path``, onto the first ``N - fresh`` files of a real N-plan archive, whose size and
mtime the ``files`` rows carry, so the ingest finds them unchanged without reading them.
Copy ``c`` of a template document (c = 1, 2, … once N exceeds T) adds ``c × 10000`` to
its number (symbol and key), and to the numbers of the citations that point at documents
of the template, so each copy is its own province-like cluster citing the same central
directives: the graph grows like the archive instead of piling 10× as many citations on
the same nodes. The text, zones and search rows are the template document's.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipeline.ingest import discover
from pipeline.store import Store, doc_id_for
from pipeline.store_schema import PER_FILE_TABLES
from pipeline.version import PIPELINE_VERSION

OFFSET = 10000  # added to a copy's numbers per copy
DERIVED = {"node_id", "level", "target_node"}  # graph columns: the rebuild writes them
NUMBERED = "regexp_replace({col}, '^[0-9]+', CAST(try_cast(regexp_extract({col}, '^[0-9]+') AS BIGINT) + m.off AS VARCHAR))"


def _columns(store: Store, catalog: str, table: str) -> list[str]:
    rows = store.con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_catalog = ? AND table_name = ?"
        " ORDER BY ordinal_position", [catalog, table]).fetchall()  # fmt: skip
    return [r[0] for r in rows]


def _select(table: str, col: str) -> str:
    """The expression giving ``col`` of a seeded row from the template row ``t`` and map row ``m``."""
    if col in ("doc_id", "path"):
        return f"m.{col}"
    if col in DERIVED:
        return "NULL"
    if table == "documents" and col in ("symbol", "doc_key"):
        return f"CASE WHEN m.off = 0 THEN t.{col} ELSE {NUMBERED.format(col='t.' + col)} END"
    if table == "citations" and col in ("symbol", "key"):
        return f"CASE WHEN m.off = 0 OR t.key NOT IN (SELECT doc_key FROM tmpl_keys) THEN t.{col} ELSE {NUMBERED.format(col='t.' + col)} END"
    if table in ("documents", "citations") and col == "number":
        cond = "m.off = 0" if table == "documents" else "m.off = 0 OR t.key NOT IN (SELECT doc_key FROM tmpl_keys)"
        return f"CASE WHEN {cond} OR try_cast(t.number AS BIGINT) IS NULL THEN t.number ELSE CAST(CAST(t.number AS BIGINT) + m.off AS VARCHAR) END"
    return f't."{col}"'


def seed(db: Path, archive: Path, template: Path, fresh: int) -> dict[str, Any]:
    """Write into the new database ``db`` the rows of every file of ``archive`` but the last
    ``fresh`` (by path), copied from ``template``; returns what was seeded."""
    t0 = time.perf_counter()
    for p in (db, Path(f"{db}.wal")):
        p.unlink(missing_ok=True)
    files = [f for f in discover(archive, hash_unknown=False) if f.size >= 0]
    seeded = files[: max(0, len(files) - fresh)]
    store = Store(db, memory_limit="1GB")
    try:
        con = store.con
        con.execute(f"ATTACH '{template}' AS tmpl (READ_ONLY)")
        tdocs = [r[0] for r in con.execute("SELECT doc_id FROM tmpl.documents ORDER BY path").fetchall()]
        if not tdocs:
            raise SystemExit(f"{template}: no documents to copy")
        ids = [doc_id_for(f.path) for f in seeded]
        con.register("_seed_map", pa.table({
            "tdoc": [tdocs[i % len(tdocs)] for i in range(len(seeded))],
            "doc_id": ids, "path": [f.path for f in seeded],
            "off": [OFFSET * (i // len(tdocs)) for i in range(len(seeded))],
        }))  # fmt: skip
        con.execute("CREATE TEMP TABLE m AS SELECT * FROM _seed_map")
        con.execute("CREATE TEMP TABLE tmpl_keys AS SELECT DISTINCT doc_key FROM tmpl.documents WHERE doc_key IS NOT NULL")
        run_id = store.begin_run(str(archive), {"bench": "seed", "template": str(template)})
        rows: dict[str, int] = {}
        for table in PER_FILE_TABLES:
            ours, theirs = _columns(store, db.stem, table), set(_columns(store, "tmpl", table))
            cols = [c for c in ours if c in theirs or c in ("doc_id", "path")]
            names = ", ".join(f'"{c}"' for c in cols)
            where = " AND t.kind <> 'node'" if table == "search" else ""
            con.execute(
                f"INSERT INTO {table} ({names}) SELECT {', '.join(_select(table, c) for c in cols)}"
                f" FROM tmpl.{table} t JOIN m ON m.tdoc = t.doc_id{where}"
            )  # fmt: skip
            rows[table] = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        con.register("_seed_files", pa.table({
            "path": [f.path for f in seeded], "sha256": [f"seed-{i}" for i in ids], "size": [f.size for f in seeded],
            "mtime": [f.mtime for f in seeded], "format": [f.format for f in seeded], "status": ["ok"] * len(seeded),
            "pipeline_version": [PIPELINE_VERSION] * len(seeded), "doc_id": ids, "run_id": [run_id] * len(seeded),
        }))  # fmt: skip
        con.execute("INSERT INTO files (path, sha256, size, mtime, format, status, pipeline_version, doc_id, run_id,"
                    " updated_at) SELECT *, now() FROM _seed_files")  # fmt: skip
        con.execute("DETACH tmpl")
        store.finish_run(run_id, {"new": len(seeded)}, "ok")
        store._set_meta("graph_stale", "1")
        con.execute("CHECKPOINT")
    finally:
        store.close()
    return {"seeded": len(seeded), "fresh": len(files) - len(seeded), "template_documents": len(tdocs),
            "copies": -(-len(seeded) // len(tdocs)), "rows": rows, "seconds": round(time.perf_counter() - t0, 1)}  # fmt: skip


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("db", type=Path)
    ap.add_argument("archive", type=Path)
    ap.add_argument("template", type=Path)
    ap.add_argument("--fresh", type=int, default=500)
    a = ap.parse_args()
    print(json.dumps(seed(a.db, a.archive, a.template, a.fresh)))
