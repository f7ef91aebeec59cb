"""The Store: schema and migrations, idempotent per-file writes, failures, deletions, Parquet, locking."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.errors import DatabaseLocked, KehoachError, Reason
from pipeline.models import Assignment
from pipeline.store import FileState, Store, doc_id_for, document_rows
from pipeline.store_schema import EXPORT_TABLES, MIGRATIONS
from pipeline.testing import archived, held_database, load_archive, related_plans_archive
from pipeline.version import PIPELINE_VERSION


@pytest.fixture
def store():
    with Store(":memory:") as s:
        yield s


@pytest.fixture
def loaded(store):
    load_archive(store)
    return store


def count(store, table, where="TRUE", params=()):
    return store.con.execute(f"SELECT count(*) FROM {table} WHERE {where}", list(params)).fetchone()[0]


def test_schema_and_named_migrations(tmp_path):
    db = tmp_path / "sub" / "k.duckdb"
    with Store(db) as s:
        assert s.migrations() == [name for name, _ in MIGRATIONS]
        tables = {r[0] for r in s.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        assert set(EXPORT_TABLES) <= tables
    with Store(db) as s:  # reopening applies nothing twice
        assert s.migrations() == [name for name, _ in MIGRATIONS]


def test_stored_text_masks_contacts_at_the_same_length(loaded):
    rows = loaded.con.execute("SELECT t.text, d.text_chars FROM texts t JOIN documents d USING (doc_id)").fetchall()
    assert rows and all(len(text) == chars for text, chars in rows)


def test_put_document_writes_every_table(loaded):
    assert count(loaded, "documents") == 9
    assert count(loaded, "files", "status = 'ok'") == 9
    row = loaded.con.execute(
        "SELECT doc_key, date, scope, implements, recipients, signer_name FROM documents WHERE path = ?",
        ["ha_tinh/tu_57.txt"],
    ).fetchone()
    assert row[0] == "57-KH/TU@2022-01-24" and str(row[1]) == "2022-01-24" and row[2] == "Hà Tĩnh"
    assert row[3] == ["23-KL/TW@2021-11-05"] and len(row[4]) == 2 and row[5] == "Nguyễn Văn A"
    cite = loaded.con.execute(
        "SELECT key, implements, start, \"end\", mention_text, sentence, mentions FROM citations WHERE path = ?",
        ["ha_tinh/duk_42.txt"],
    ).fetchall()
    by_key = {c[0]: c for c in cite}
    text = next(f.doc.text for f in related_plans_archive() if f.info.path == "ha_tinh/duk_42.txt")
    c51 = by_key["57-KH/TU@2022-01-24"]
    assert c51[1] is True and text[c51[2] : c51[3]] == c51[4] and c51[4] in c51[5]
    assert by_key["38-QĐ/TW@2021-11-05"][1] is False
    assert count(loaded, "assignments", "path = ?", ["ha_tinh/tu_57.txt"]) == 2
    assert count(loaded, "deadlines", "end_date = DATE '2022-03-31'") == 2  # two renders
    assert count(loaded, "numbers") == 2


def test_reingest_replaces_only_that_files_rows(loaded):
    before = {t: count(loaded, t) for t in ("documents", "citations", "assignments", "deadlines")}
    f = next(f for f in related_plans_archive() if f.info.path == "ha_tinh/hu_12.txt")
    changed = dataclasses.replace(
        f.extraction, assignments=f.extraction.assignments + (Assignment("Văn phòng Huyện ủy", "phối hợp", None),)
    )
    run = loaded.begin_run("test", {})
    loaded.put_document(run, f.info, f.doc, changed)
    loaded.put_document(run, f.info, f.doc, changed)  # twice: still idempotent
    assert count(loaded, "documents") == before["documents"]
    assert count(loaded, "citations") == before["citations"]
    assert count(loaded, "assignments") == before["assignments"] + 1
    assert count(loaded, "assignments", "path = ?", [f.info.path]) == 2
    assert count(loaded, "files", "path = ? AND run_id = ?", [f.info.path, run]) == 1


def test_put_failure_keeps_earlier_rows(loaded):
    f = related_plans_archive()[0]
    err = KehoachError(Reason.corrupt, f.info.path, "truncated zip")
    newer = dataclasses.replace(f.info, sha256="0" * 64)
    loaded.put_failure(loaded.begin_run("test", {}), newer, err)
    state = loaded.known_files()[f.info.path]
    assert state == FileState(f.info.path, "0" * 64, PIPELINE_VERSION, "failed", newer.size, newer.mtime, newer.format)
    reason, message = loaded.con.execute(
        "SELECT error_reason, error_message FROM files WHERE path = ?", [f.info.path]
    ).fetchone()
    assert reason == "corrupt" and "truncated zip" in message
    assert count(loaded, "documents", "path = ?", [f.info.path]) == 1


def test_mark_deleted_removes_rows_and_keeps_history(loaded):
    run = loaded.begin_run("test", {})
    loaded.mark_deleted(run, ["ha_tinh/hu_12.txt"])
    assert loaded.known_files()["ha_tinh/hu_12.txt"].status == "deleted"
    for table in ("documents", "citations", "assignments", "deadlines"):
        assert count(loaded, table, "path = ?", ["ha_tinh/hu_12.txt"]) == 0
    assert loaded.graph_stale()
    loaded.rebuild_graph()
    assert not loaded.graph_stale()
    # the commune plan still cites it, so it stays, as a cited-only node
    assert count(loaded, "nodes", "node_id LIKE '12-KH/HU%' AND NOT in_archive") == 1
    loaded.mark_deleted(run, ["ha_tinh/xa_5.txt"])
    loaded.rebuild_graph()
    assert count(loaded, "nodes", "node_id LIKE '12-KH/HU%' OR node_id LIKE '5-KH/ĐU%'") == 0


def test_runs(store):
    run = store.begin_run("/archive", {"workers": 2})
    assert store.con.execute("SELECT status FROM runs WHERE run_id = ?", [run]).fetchone()[0] == "running"
    store.finish_run(run, {"new": 3, "failed": 1}, "ok")
    row = store.con.execute(
        "SELECT status, new, changed, failed, finished_at IS NOT NULL, params FROM runs WHERE run_id = ?", [run]
    ).fetchone()
    assert row[:5] == ("ok", 3, 0, 1, True)
    assert json.loads(row[5]) == {"workers": 2}


def test_rebuild_graph_sets_identity(loaded):
    nodes = {r[0] for r in loaded.con.execute("SELECT node_id FROM nodes").fetchall()}
    assert {"33-KH/ĐUK@2016-12-12#Hà Tĩnh", "33-KH/ĐUK@2022-04-21#Hà Tĩnh"} <= nodes
    assert {"57-KH/TU@2022-01-24#Hà Tĩnh", "57-KH/TU@2022-01-24#Phú Yên"} <= nodes
    assert count(loaded, "documents", "node_id IS NULL") == 0
    assert count(loaded, "citations", "target_node IS NULL") == 0
    renders = loaded.con.execute(
        "SELECT count(DISTINCT node_id) FROM documents WHERE path LIKE 'ha_tinh/tu_57.%'"
    ).fetchone()[0]
    assert renders == 1
    assert loaded.con.execute(
        "SELECT level FROM documents WHERE path = 'ha_tinh/xa_5.txt'"
    ).fetchone()[0] == "commune"


def test_export_parquet(loaded, tmp_path):
    paths = loaded.export_parquet(tmp_path / "parquet")
    assert [p.stem for p in paths] == list(EXPORT_TABLES)
    for p in paths:
        assert pq.read_table(p).num_rows == count(loaded, p.stem)


def test_document_rows_is_pure():
    f = related_plans_archive()[0]
    rows = document_rows(f.info, f.doc, f.extraction)
    assert rows["documents"][0]["doc_id"] == doc_id_for(f.info.path)
    assert {r["path"] for rs in rows.values() for r in rs} == {f.info.path}


def test_bad_dates_become_null(store):
    f = archived("x.txt", "KẾ HOẠCH", symbol="1-KH/ĐU", date="2022-02-30", scope="X")
    store.put_document(store.begin_run("t", {}), f.info, f.doc, f.extraction)
    assert store.con.execute("SELECT date, doc_key FROM documents").fetchone() == (None, "1-KH/ĐU")


def test_read_only_missing_database(tmp_path):
    with pytest.raises(KehoachError) as e:
        Store(tmp_path / "none.duckdb", read_only=True)
    assert e.value.reason is Reason.unreadable


def test_second_writer_gets_database_locked(tmp_path):
    db = tmp_path / "k.duckdb"
    Store(db).close()
    with held_database(db):
        with pytest.raises(DatabaseLocked):
            Store(db)
    with Store(db) as s:  # free again
        assert s.known_files() == {}


def test_sample_paths_are_relative(loaded):
    assert all(not Path(p).is_absolute() for p in loaded.known_files())


def test_tables_doc_covers_every_table_and_its_queries_run(loaded):
    import re

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    doc = readme.split("\n## Tables", 1)[1].split("\n## ", 1)[0]
    sections = set(re.findall(r"^### (\w+) —", doc, re.M))
    assert set(EXPORT_TABLES) <= sections
    for table in EXPORT_TABLES:  # every column is documented
        cols = [r[0] for r in loaded.con.execute(f"DESCRIBE {table}").fetchall()]
        part = doc.split(f"### {table} —", 1)[1].split("\n### ", 1)[0]
        assert all(f"`{c}`" in part for c in cols), (table, [c for c in cols if f"`{c}`" not in part])
    queries = re.findall(r"```sql\n(.*?)```", doc, re.S)
    assert len(queries) >= len(EXPORT_TABLES)
    for sql in queries:
        loaded.con.execute(sql).fetchall()


def test_a_failed_write_leaves_the_previous_rows(loaded, monkeypatch):
    f = related_plans_archive()[0]
    before = count(loaded, "citations", "path = ?", [f.info.path])

    def boom(table, rows):
        if table == "assignments":
            raise RuntimeError("disk full")
        return original(table, rows)

    original = loaded._insert
    monkeypatch.setattr(loaded, "_insert", boom)
    with pytest.raises(RuntimeError):
        loaded.put_document(loaded.begin_run("t", {}), f.info, f.doc, f.extraction)
    assert count(loaded, "citations", "path = ?", [f.info.path]) == before
    assert count(loaded, "documents", "path = ?", [f.info.path]) == 1


def test_not_a_database(tmp_path):
    bad = tmp_path / "k.duckdb"
    bad.write_text("not a database", encoding="utf-8")
    with pytest.raises(KehoachError) as e:
        Store(bad)
    assert e.value.reason is Reason.unreadable and str(bad) in e.value.message



def test_zones_and_the_zone_of_each_fact_are_stored(store, corpus):
    from pipeline.extract import extract
    from pipeline.read import read
    from pipeline.testing import file_info

    doc = read(corpus / "004_3e1be27b5e1fb67a.txt")
    run = store.begin_run("test", {})
    store.put_document(run, file_info(doc), doc, extract(doc))
    kinds = {r[0] for r in store.con.execute("SELECT DISTINCT kind FROM zones").fetchall()}
    assert {"issuer", "doc_type", "title", "legal_basis", "heading", "item"} <= kinds
    rows = store.con.execute("SELECT z.start, z.\"end\", t.text FROM zones z JOIN texts t USING (doc_id) WHERE z.kind = 'title'").fetchall()
    assert rows and all(0 <= s < e <= len(text) for s, e, text in rows)
    zones_of_citations = {r[0] for r in store.con.execute("SELECT DISTINCT zone FROM citations").fetchall()}
    assert "legal_basis" in zones_of_citations
    assert count(store, "deadlines", "zone IS NULL") == 0 and count(store, "assignments", "zone IS NULL") == 0
