"""The embedded DuckDB store: analyst tables, per-file idempotent writes, Parquet export.

Every file's rows are written in one transaction that first deletes that file's
previous rows, so re-ingesting a file replaces exactly its rows and nothing else
(sqlite-utils' ``upsert_all``, OCRmyPDF's commit-at-the-end). The graph tables
(``nodes``, ``edges``) are derived: ``rebuild_graph`` recomputes them from
``documents`` and ``citations`` through ``pipeline.resolve``, one identity group at a
time (``pipeline.store_graph``), so its memory does not grow with the archive.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from pipeline import search
from pipeline.errors import DatabaseLocked, KehoachError, Reason
from pipeline.models import Document, Extraction, FileInfo
from pipeline.nesting import nested_implements
from pipeline.privacy import mask_in_place, redact_rows
from pipeline.identity import make_key, parse_symbol
from pipeline.settings import DEFAULT_DB
from pipeline.store_graph import rebuild
from pipeline.store_schema import EXPORT_TABLES, MIGRATIONS, PER_FILE_TABLES
from pipeline.version import PIPELINE_VERSION


@dataclass(frozen=True)
class FileState:
    """What the store remembers of a file, to decide new/changed/unchanged."""

    path: str
    sha256: str
    pipeline_version: str
    status: str  # ok | failed | deleted
    size: int = -1
    mtime: float = 0.0
    format: str = ""


def doc_id_for(path: str) -> str:
    """Stable id of the document read from ``path`` (re-ingest keeps it)."""
    return hashlib.sha1(path.encode("utf-8")).hexdigest()[:16]


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _date(value: str | None) -> date | None:
    """ISO ``YYYY-MM-DD`` → date; anything else (a year, garbage) → None."""
    if not value or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


class Store:
    """One DuckDB file (or ``:memory:``) holding every table of the README (section Tables).

    Args:
        path: database file; its folder is created. ``":memory:"`` for tests.
        read_only: open without the write lock (queries while nobody ingests). DuckDB
            allows one writing process or several reading ones per file.
        memory_limit: DuckDB's memory limit (``"1GB"``); beyond it DuckDB spills to disk.

    Raises:
        DatabaseLocked: another process holds the file.
        KehoachError: ``read_only`` and the file does not exist.
    """

    def __init__(self, path: str | Path = DEFAULT_DB, *, read_only: bool = False, memory_limit: str | None = None) -> None:
        self.path = str(path)
        memory = self.path == ":memory:"
        if not memory:
            p = Path(self.path)
            if read_only and not p.exists():
                raise KehoachError(Reason.unreadable, self.path, "database not found; run `kehoach ingest` first")
            p.parent.mkdir(parents=True, exist_ok=True)
        config = {"memory_limit": memory_limit} if memory_limit else {}
        try:
            self._con = duckdb.connect(self.path, read_only=read_only and not memory, config=config)
        except duckdb.IOException as e:
            if "lock" in str(e).lower():  # DuckDB has no distinct lock exception type
                raise DatabaseLocked(self.path) from e
            raise KehoachError(Reason.unreadable, self.path, str(e)) from e
        self.read_only = read_only and not memory
        self._con.execute("SET enable_progress_bar = false")  # stdout is for results
        if not self.read_only:
            self._migrate()
            if self._meta("search_stale") == "1":
                self.rebuild_search()

    # ------------------------------------------------------------------ plumbing

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        return self._con

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._con.close()

    def _migrate(self) -> None:
        con = self._con
        con.execute("CREATE TABLE IF NOT EXISTS _migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)")
        done = {r[0] for r in con.execute("SELECT name FROM _migrations").fetchall()}
        for name, sql in MIGRATIONS:
            if name in done:
                continue
            with self._transaction():
                con.execute(sql)
                con.execute("INSERT INTO _migrations VALUES (?, ?)", [name, _now()])

    def migrations(self) -> list[str]:
        """Names of the applied migrations, in order."""
        return [r[0] for r in self._con.execute("SELECT name FROM _migrations ORDER BY name").fetchall()]

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """All or nothing: a crash half-way through a file leaves its previous rows."""
        self._con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self._con.execute("ROLLBACK")
            raise
        self._con.execute("COMMIT")

    def _insert(self, table: str, rows: Sequence[dict[str, Any]]) -> None:
        """Bulk insert through Arrow (DuckDB's ``executemany`` costs ~1 ms a row)."""
        if not rows:
            return
        cols = list(rows[0])
        names = ", ".join(f'"{c}"' for c in cols)
        if len(rows) == 1:
            marks = ", ".join("?" for _ in cols)
            self._con.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", [rows[0][c] for c in cols])
            return
        batch = pa.Table.from_pylist([{c: r[c] for c in cols} for r in rows])
        self._con.register("_kehoach_rows", batch)
        try:
            self._con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _kehoach_rows")
        finally:
            self._con.unregister("_kehoach_rows")

    @staticmethod
    def _file_row(info: FileInfo, run_id: str, status: str, **extra: Any) -> dict[str, Any]:
        row = {
            "path": info.path,
            "sha256": info.sha256,
            "size": info.size,
            "mtime": info.mtime,
            "format": info.format,
            "status": status,
            "error_reason": None,
            "error_message": None,
            "pipeline_version": PIPELINE_VERSION,
            "doc_id": doc_id_for(info.path),
            "run_id": run_id,
            "updated_at": _now(),
        }
        row.update(extra)
        return row

    def _upsert_file(self, info: FileInfo, run_id: str, status: str, **extra: Any) -> None:
        self._upsert_files([self._file_row(info, run_id, status, **extra)])

    def _upsert_files(self, rows: Sequence[dict[str, Any]]) -> None:
        self._delete_where("files", [r["path"] for r in rows])
        self._insert("files", rows)

    def _delete_file_rows(self, paths: Sequence[str]) -> None:
        for table in PER_FILE_TABLES:
            self._delete_where(table, paths)

    def _delete_where(self, table: str, paths: Sequence[str]) -> None:
        """Delete the rows of these paths (one statement per table, whatever their number)."""
        if len(paths) == 1:
            self._con.execute(f"DELETE FROM {table} WHERE path = ?", [paths[0]])
        elif paths:
            self._con.execute(f"DELETE FROM {table} WHERE list_contains(?::VARCHAR[], path)", [list(paths)])

    # ------------------------------------------------------------------ the API

    def known_files(self) -> dict[str, FileState]:
        rows = self._con.execute(
            "SELECT path, sha256, pipeline_version, status, size, mtime, format FROM files"
        ).fetchall()
        return {r[0]: FileState(*r) for r in rows}

    def begin_run(self, archive: str, params: dict[str, Any]) -> str:
        run_id = _now().strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
        # One writer holds the file, so a run still 'running' died unfinished (killed, power cut).
        self._con.execute("UPDATE runs SET status = 'crashed' WHERE status = 'running'")
        self._insert(
            "runs",
            [
                {
                    "run_id": run_id,
                    "archive": archive,
                    "started_at": _now(),
                    "status": "running",
                    "pipeline_version": PIPELINE_VERSION,
                    "params": json.dumps(params, ensure_ascii=False, default=str),
                }
            ],
        )
        return run_id

    def finish_run(self, run_id: str, counts: dict[str, int], status: str) -> None:
        keys = ("new", "changed", "unchanged", "failed", "deleted")
        self._con.execute(
            "UPDATE runs SET finished_at = ?, status = ?, new = ?, changed = ?, unchanged = ?,"
            " failed = ?, deleted = ? WHERE run_id = ?",
            [_now(), status, *(int(counts.get(k, 0)) for k in keys), run_id],
        )

    def put_document(self, run_id: str, info: FileInfo, doc: Document, extraction: Extraction) -> None:
        """Replace every row of ``info.path`` with this extraction, in one transaction."""
        self.put_documents(run_id, [(info, doc, extraction)])

    def put_documents(self, run_id: str, items: Sequence[tuple[FileInfo, Document, Extraction]]) -> None:
        """Replace the rows of several files in one transaction: all of them whole, or none.

        The ingest writes a batch at a time: DuckDB's fixed cost per statement made one
        transaction per file cost more than reading and extracting it (bench/RESULTS.md).
        """
        if not items:
            return
        tables: dict[str, list[dict[str, Any]]] = {}
        for info, doc, extraction in items:
            for table, table_rows in document_rows(info, doc, extraction, run_id).items():
                tables.setdefault(table, []).extend(table_rows)
        with self._transaction():
            self._delete_file_rows(self._stored([info.path for info, _, _ in items]))
            for table, table_rows in tables.items():
                self._insert(table, table_rows)
            self._index_search(tables)
            self._upsert_files([self._file_row(info, run_id, "ok") for info, _, _ in items])
            self._set_meta("graph_stale", "1")

    def put_failure(self, run_id: str, info: FileInfo, error: KehoachError) -> None:
        """Mark the file failed with its reason; rows from an earlier good read stay."""
        with self._transaction():
            self._upsert_file(
                info,
                run_id,
                "failed",
                error_reason=error.reason.value,
                error_message=error.message,
            )

    def mark_deleted(self, run_id: str, paths: Iterable[str]) -> None:
        """Files gone from the archive: ``files.status = 'deleted'``, their rows removed.

        The analyst tables describe what the archive holds now; the ``files`` row keeps
        the history (sha256, last run). A document cited by others stays in the graph
        as a cited-only node after the next ``rebuild_graph``.
        """
        paths = list(paths)
        with self._transaction():
            self._delete_file_rows(paths)
            for path in paths:
                self._con.execute(
                    "UPDATE files SET status = 'deleted', run_id = ?, updated_at = ? WHERE path = ?",
                    [run_id, _now(), path],
                )
            self._set_meta("graph_stale", "1")

    def rebuild_graph(self) -> None:
        """Resolve identity over all documents and citations; rewrite nodes and edges.

        Bounded memory: one identity group at a time (``pipeline.store_graph``); the
        tables are swapped in one transaction.
        """
        rebuild(self._con)

    def graph_stale(self) -> bool:
        return self._meta("graph_stale") == "1"

    def rebuild_search(self) -> None:
        """Rewrite the search index (``pipeline.search``) from the stored tables."""
        with self._transaction():
            search.rebuild(self._con)
            self._set_meta("search_stale", "0")

    def _index_search(self, tables: dict[str, list[dict[str, Any]]]) -> None:
        """Search rows for the files being written, from their rows in memory (no table scan)."""
        sources: dict[str, str] = {}
        for table in search.SOURCE_TABLES:
            if tables.get(table):
                name = f"_kehoach_search_{table}"
                self._con.register(name, pa.Table.from_pylist(tables[table]))
                sources[table] = name
            else:
                sources[table] = f"(SELECT * FROM {table} LIMIT 0)"
        try:
            search.index(self._con, sources)
        finally:
            for name in sources.values():
                if name.startswith("_kehoach_search_"):
                    self._con.unregister(name)

    def table_counts(self) -> dict[str, int]:
        """What the archive amounts to: rows of the main tables, edges by type."""
        counts = {
            t: self._con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
            for t in ("documents", "nodes", "citations", "deadlines", "assignments", "numbers")
        }
        for kind, n in self._con.execute("SELECT type, count(*) FROM edges GROUP BY type ORDER BY type").fetchall():
            counts[f"{kind} edges"] = n
        return counts

    def export_parquet(self, out_dir: str | Path) -> list[Path]:
        """One Parquet file per table in ``out_dir``; returns their paths."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        for table in EXPORT_TABLES:
            target = out / f"{table}.parquet"
            self._con.execute(f"COPY {table} TO '{_sql_str(target)}' (FORMAT parquet)")
            paths.append(target)
        return paths

    # ------------------------------------------------------------------ helpers

    def _meta(self, name: str) -> str | None:
        rows = self._con.execute("SELECT value FROM meta WHERE name = ?", [name]).fetchall()
        return rows[0][0] if rows else None

    def _set_meta(self, name: str, value: str) -> None:
        self._con.execute("DELETE FROM meta WHERE name = ?", [name])
        self._con.execute("INSERT INTO meta VALUES (?, ?)", [name, value])

    def _stored(self, paths: Sequence[str]) -> list[str]:
        """Those of ``paths`` the store has a ``files`` row for (only they can have rows to delete)."""
        if not paths:
            return []
        rows = self._con.execute("SELECT path FROM files WHERE list_contains(?::VARCHAR[], path)", [list(paths)])
        return [r[0] for r in rows.fetchall()]


def _sql_str(path: Path) -> str:
    return str(path).replace("'", "''")


# ----------------------------------------------------------------------- rows


def _fact_rows(base: dict[str, Any], items: Sequence[Any], dates: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """One row per extracted fact (Deadline, NumberFact, Assignment): its fields in order.

    ``dates`` maps the fields holding ISO dates to their DATE column names.
    """
    dates = dates or {}
    return [
        {
            **base,
            "ordinal": i,
            **{
                dates.get(f.name, f.name): _date(getattr(item, f.name)) if f.name in dates else getattr(item, f.name)
                for f in fields(item)
            },
        }
        for i, item in enumerate(items)
    ]


def document_rows(info: FileInfo, doc: Document, ex: Extraction, run_id: str = "") -> dict[str, list[dict[str, Any]]]:
    """The rows of every per-file table for one document (pure; used by ``put_document``).

    Text columns quoting the document have e-mail addresses and phone numbers masked.
    """
    doc_id = doc_id_for(info.path)
    base = {"doc_id": doc_id, "path": info.path}
    h = ex.header
    parts = parse_symbol(h.symbol)
    implements = set(ex.implements)
    spans = [(c.key, m.start, m.end) for c in ex.citations for m in c.mentions if m.end > m.start]
    carried = nested_implements(doc.text, spans) if doc.text else {}
    documents = [
        {
            **base,
            "stem": ex.doc or doc.stem,
            "doc_key": make_key(h.symbol, h.date),
            "doc_type": h.doc_type,
            "symbol": h.symbol,
            "number": parts.plain_number if parts else None,
            "type_code": parts.type_code if parts else None,
            "issuer_code": parts.issuer_code if parts else None,
            "issuer": h.issuer,
            "place": h.place,
            "date": _date(h.date),
            "title": h.title,
            "scope": h.scope,
            "implements": list(ex.implements),
            "signer_on_behalf": ex.signer.on_behalf if ex.signer else None,
            "signer_position": ex.signer.position if ex.signer else None,
            "signer_name": ex.signer.name if ex.signer else None,
            "recipients": list(ex.recipients),
            "format": doc.format or info.format,
            "sha256": doc.sha256 or info.sha256,
            "ocr_used": doc.ocr_used,
            "ocr_confidence": doc.ocr_confidence,
            "text_chars": len(doc.text),
            "run_id": run_id,
        }
    ]
    citations = []
    for i, c in enumerate(ex.citations):
        first = min(c.mentions, key=lambda m: m.start) if c.mentions else None
        citations.append(
            {
                **base,
                "ordinal": i,
                "key": c.key,
                "doc_type": c.doc_type,
                "symbol": c.symbol,
                "number": c.number or None,
                "type_code": c.type_code or None,
                "issuer_code": c.issuer_code or None,
                "date": _date(c.date),
                "year": c.year,
                "issuer": c.issuer,
                "resolved": c.resolved,
                "implements": c.key in implements,
                "carries_out": list(carried.get(c.key, ())),
                "mentions": len(c.mentions) or 1,
                "start": first.start if first else None,
                "end": first.end if first else None,
                "mention_text": first.text if first else None,
                "sentence": first.sentence if first else None,
                "mention_starts": [m.start for m in sorted(c.mentions, key=lambda m: m.start)],
                "mention_ends": [m.end for m in sorted(c.mentions, key=lambda m: m.start)],
                "zone": (first.zone or None) if first else None,
            }
        )
    deadlines = _fact_rows(base, ex.deadlines, {"start": "start_date", "end": "end_date"})
    numbers = _fact_rows(base, ex.numbers)
    assignments = _fact_rows(base, ex.assignments, {"deadline_start": "deadline_start", "deadline_end": "deadline_end"})
    zones = _fact_rows(base, ex.zones)
    texts = [{**base, "text": mask_in_place(doc.text)}]
    # Contact details are never evidence: e-mails/phones masked (pipeline/privacy.py).
    return redact_rows(
        {
            "documents": documents,
            "citations": citations,
            "deadlines": deadlines,
            "numbers": numbers,
            "assignments": assignments,
            "zones": zones,
            "texts": texts,
        }
    )


__all__ = ["DEFAULT_DB", "FileState", "Store", "doc_id_for", "document_rows"]
