"""The graph rebuilt a page and a group at a time equals the in-memory resolution."""

from __future__ import annotations

import dataclasses

import pytest

from pipeline.resolve import CiteRef, DocRef, resolve
from pipeline.store import Store
from pipeline.store_graph import rebuild
from pipeline.testing import archived, load_archive, related_plans_archive


def _in_memory(con):
    docs = [
        DocRef(r[0], r[1], r[2], r[3], r[4], r[5], r[6] or "", r[7] or "", r[8], r[9], r[10] or "")
        for r in con.execute(
            "SELECT doc_id, doc_key, symbol, doc_type, CAST(date AS VARCHAR), issuer, issuer_code, type_code,"
            " scope, title, sha256 FROM documents"
        ).fetchall()
    ]
    cites = [
        CiteRef(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7] or "", r[8] or "", bool(r[9]), r[10] or 1, r[11] or "",
                tuple(r[12] or ()))
        for r in con.execute(
            "SELECT doc_id, ordinal, key, symbol, doc_type, CAST(date AS VARCHAR), issuer, issuer_code, type_code,"
            " implements, mentions, sentence, carries_out FROM citations"
        ).fetchall()
    ]  # fmt: skip
    return resolve(docs, cites)


def _tables(con):
    return {
        "nodes": sorted(con.execute("SELECT * EXCLUDE (date), CAST(date AS VARCHAR) FROM nodes").fetchall(), key=repr),
        "edges": sorted(con.execute("SELECT * FROM edges").fetchall(), key=repr),
        "documents": sorted(con.execute("SELECT doc_id, node_id, level FROM documents").fetchall()),
        "citations": sorted(con.execute("SELECT doc_id, ordinal, target_node FROM citations").fetchall()),
    }


def _expected(con):
    res = _in_memory(con)
    level = {n.node_id: n.level for n in res.nodes}
    return {
        "nodes": sorted(
            (tuple(v for k, v in dataclasses.asdict(n).items() if k != "date") + (n.date,) for n in res.nodes), key=repr
        ),
        "edges": sorted((tuple(dataclasses.asdict(e).values()) for e in res.edges), key=repr),
        "documents": sorted((d, nid, level[nid]) for d, nid in res.doc_node.items()),
        "citations": sorted((d, o, nid) for (d, o), nid in res.citation_node.items()),
    }


def _lists(tables):
    return {t: [tuple(list(v) if isinstance(v, tuple) else v for v in row) for row in rows] for t, rows in tables.items()}


@pytest.mark.parametrize(("page", "bucket"), [(1, 3), (2, 1), (7, 10), (5000, 50000)])
def test_paged_rebuild_equals_in_memory_resolution(page, bucket):
    extra = [  # two renders of a document without a symbol share one node
        archived("misc/thong_bao.txt", "THÔNG BÁO\nvề lịch họp", doc_type="Thông báo", title="về lịch họp"),
        archived("misc/thong_bao.md", "THÔNG BÁO\nvề lịch họp", doc_type="Thông báo", title="về lịch họp"),
    ]
    with Store(":memory:") as s:
        load_archive(s, related_plans_archive() + extra)
        rebuild(s.con, page=page, bucket=bucket)
        got = _tables(s.con)
        expected = _expected(s.con)
        assert not s.graph_stale()
        assert s.con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE '_graph%'").fetchone() == (0,)
    assert got["nodes"] and got["edges"]
    for table in expected:
        assert _lists({table: got[table]}) == _lists({table: expected[table]}), table
