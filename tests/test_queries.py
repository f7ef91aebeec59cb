"""Ready-made queries over the related-plans test archive and over the real corpus."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from pipeline import queries as q
from pipeline.store import Store
from pipeline.testing import archived, load_archive, make_citation


@pytest.fixture(scope="module")
def con():
    with Store(":memory:") as s:
        load_archive(s)
        yield s.con


def test_find_nodes_forms(con):
    both = ["57-KH/TU@2022-01-24#Hà Tĩnh", "57-KH/TU@2022-01-24#Phú Yên"]
    assert q.find_nodes(con, "57-KH/TU") == both
    assert q.find_nodes(con, "57-KH/TU@2022-01-24") == both
    assert q.find_nodes(con, "57-KH/TU@2022") == both
    assert q.find_nodes(con, "57-KH/TU@2021") == []
    assert q.find_nodes(con, "57-KH/TU#phú yên") == ["57-KH/TU@2022-01-24#Phú Yên"]
    assert q.find_nodes(con, "57-KH/TU@2022-01-24#Hà Tĩnh") == ["57-KH/TU@2022-01-24#Hà Tĩnh"]
    assert q.find_nodes(con, "05-KH/ĐU") == ["5-KH/ĐU@2022-04-02#Hà Tĩnh"]
    assert q.find_nodes(con, "ha_tinh/xa_5.txt") == ["5-KH/ĐU@2022-04-02#Hà Tĩnh"]
    assert q.find_nodes(con, "33-KH/ĐUK") == [
        "33-KH/ĐUK#Hà Tĩnh", "33-KH/ĐUK@2016-12-12#Hà Tĩnh", "33-KH/ĐUK@2022-04-21#Hà Tĩnh"
    ]


def test_implementers_direct_and_transitive(con):
    res = q.implementers(con, "23-KL/TW")
    depth: dict[str, int] = {}
    for r in res.rows:
        depth[r["node_id"]] = min(depth.get(r["node_id"], 99), r["depth"])
    assert depth == {
        "57-KH/TU@2022-01-24#Hà Tĩnh": 1,
        "57-KH/TU@2022-01-24#Phú Yên": 1,
        "42-KH/ĐUK@2022-03-07#Hà Tĩnh": 1,
        "12-KH/HU@2022-03-20#Hà Tĩnh": 2,
        "20-KH/HU@2022-03-15#Phú Yên": 2,
        "33-KH/ĐUK@2022-04-21#Hà Tĩnh": 2,
        "5-KH/ĐU@2022-04-02#Hà Tĩnh": 3,
    }
    # 42-KH/ĐUK carries out both 23-KL/TW and 57-KH/TU: one row each
    duk = [(r["depth"], r["via"]) for r in res.rows if r["node_id"].startswith("42-KH/ĐUK")]
    assert duk == [(1, "23-KL/TW@2021-11-05"), (2, "57-KH/TU@2022-01-24 (Hà Tĩnh)")]
    commune = next(r for r in res.rows if r["depth"] == 3)
    assert commune["via"] == "12-KH/HU@2022-03-20 (Hà Tĩnh)"
    assert commune["path"].split(" ← ")[1] == "57-KH/TU@2022-01-24 (Hà Tĩnh)"
    assert commune["files"] == "ha_tinh/xa_5.txt" and commune["level"] == "commune"
    # the ambiguous undated 33-KH/ĐUK is not one of the dated plans: 8-KH/ĐU stays out
    assert not any(r["node_id"].startswith("8-KH/ĐU") for r in res.rows)


def test_implementers_depth_limit_and_scope(con):
    assert {r["depth"] for r in q.implementers(con, "23-KL/TW", max_depth=1).rows} == {1}
    qn = q.implementers(con, "57-KH/TU#Phú Yên").rows
    assert [r["node_id"] for r in qn] == ["20-KH/HU@2022-03-15#Phú Yên"]


def test_uncovered(con):
    rows = q.uncovered(con).rows
    ids = {r["node_id"] for r in rows}
    assert "38-QĐ/TW@2021-11-05" in ids  # a central rule cited but implemented by nobody
    assert "33-KH/ĐUK@2016-12-12#Hà Tĩnh" in ids  # a provincial plan only cited
    assert "23-KL/TW@2021-11-05" not in ids and "57-KH/TU@2022-01-24#Hà Tĩnh" not in ids
    assert all(r["cited_by"] >= 1 for r in rows)


def test_deadlines_filters(con):
    rows = q.deadlines(con, before=date(2022, 4, 30), today=date(2022, 4, 20)).rows
    ends = [r["end"] for r in rows]
    assert ends == sorted(ends) and max(ends) <= date(2022, 4, 30)
    overdue = {(r["unit"], r["overdue"]) for r in rows if r["kind"] == "assignment"}
    assert ("Ban Tuyên giáo Huyện ủy", True) in overdue and ("Các chi bộ trực thuộc", False) in overdue
    # two renders of one plan give one row
    assert sum(1 for r in rows if r["unit"] == "Ban Tuyên giáo Tỉnh ủy") == 1
    units = {r["unit"] for r in q.deadlines(con, unit="tuyên giáo").rows}
    assert units == {"Ban Tuyên giáo Tỉnh ủy", "Ban Tuyên giáo Huyện ủy", "Ban Tuyên giáo Đảng ủy Khối"}
    later = q.deadlines(con, after=date(2022, 6, 1)).rows
    assert later and all((r["end"] or r["start"]) >= date(2022, 6, 1) for r in later)
    every = q.deadlines(con).rows
    assert any(r["end"] is None and r["start"] is None for r in every)  # "hằng năm": kept without a filter


def test_show(con):
    data = q.show(con, "57-KH/TU#Hà Tĩnh")
    (m,) = data["matches"]
    assert m["node"]["in_archive"] and len(m["files"]) == 2
    assert [e["node_id"] for e in m["edges_out"]] == ["23-KL/TW@2021-11-05"]
    assert {e["node_id"] for e in m["edges_in"]} == {"12-KH/HU@2022-03-20#Hà Tĩnh", "42-KH/ĐUK@2022-03-07#Hà Tĩnh"}
    assert q.show(con, "999-KH/TU")["matches"] == []


def test_run_sql(con):
    res = q.run_sql(con, "SELECT type, count(*) AS n FROM edges GROUP BY type ORDER BY type")
    assert res.columns == ("type", "n")
    assert [r["type"] for r in res.rows] == ["cites", "implements"]


# ------------------------------------------------------------ the real corpus


def _gold_archive(corpus: Path, gold: Path):
    """The five real plans with their gold extraction (mentions located in the real text).

    Stands in for the extractor so that identity and queries are checked on real
    documents; the scope is the place the header gives (none for most of them).
    """
    files = []
    for g in sorted(gold.glob("*.json")):
        data = json.loads(g.read_text(encoding="utf-8"))
        text = (corpus / f"{g.stem}.txt").read_text(encoding="utf-8")
        h = data["header"]
        cites = [make_citation(c["key"], text, doc_type=c["doc_type"], issuer=c["issuer"]) for c in data["citations"]]
        files.append(
            archived(
                f"text/{g.stem}.txt", text, doc_type=h["doc_type"], symbol=h["symbol"], date=h["date"],
                issuer=h["issuer"], place=h["place"], scope=h["place"], title=h["title"],
                implements=data["implements"], citations=cites,
            )
        )
    return files


def test_real_corpus_implementers_and_restarted_number(corpus, gold):
    with Store(":memory:") as s:
        load_archive(s, _gold_archive(corpus, gold))
        rows = q.implementers(s.con, "21-KL/TW").rows
        direct = {r["files"] for r in rows if r["depth"] == 1}
        assert {f"text/{s}.txt" for s in ("001_748aad981df4fb60", "003_e0cf88b19ba32315", "004_3e1be27b5e1fb67a")} <= direct
        # 004 carries out 51-KH/TU, which 004's text says carries out 21-KL/TW: 51 (cited only)
        # is a direct implementer and 004 also implements 21-KL/TW through it
        assert any(r["implementer"].startswith("51-KH/TU@2022-01-28") and r["depth"] == 1 for r in rows)
        via51 = [r for r in rows if r["via"].startswith("51-KH/TU")]
        assert [(r["files"], r["depth"]) for r in via51] == [("text/004_3e1be27b5e1fb67a.txt", 2)]
        restarted = q.find_nodes(s.con, "31-KH/ĐUK")
        assert len([n for n in restarted if "@" in n]) == 2


def _read_extract_store(store, root: Path, paths: list[Path]) -> None:
    """The real reader and extractor over ``paths``, written through ``store`` (no Prefect)."""
    from dataclasses import replace

    from pipeline.extract import extract
    from pipeline.read import ReadSettings, read
    from pipeline.testing import file_info

    run = store.begin_run(str(root), {})
    for p in paths:
        doc = read(p, ReadSettings(ocr=False))
        doc = replace(doc, path=p.relative_to(root).as_posix())
        store.put_document(run, file_info(doc), doc, extract(doc, strict=False))
    store.rebuild_graph()
    store.finish_run(run, {"new": len(paths)}, "ok")


def test_sample_archive_two_renders_through_real_stages(sample):
    """The Done-when of issue 5 on the sample archive's text and docx renders."""
    paths = sorted(sample.glob("text/*.txt")) + sorted(sample.glob("docx/*.docx"))
    assert len(paths) == 10  # data/raw is part of the repository
    with Store(":memory:") as s:
        _read_extract_store(s, sample, paths)
        renders = s.con.execute(
            "SELECT count(DISTINCT node_id), count(*) FROM documents GROUP BY stem ORDER BY stem"
        ).fetchall()
        assert renders == [(1, 2)] * 5  # each document: two files, one node
        rows = q.implementers(s.con, "21-KL/TW").rows
        plan_004 = [r for r in rows if "004_3e1be27b5e1fb67a" in (r["files"] or "")]
        assert {(r["depth"], r["via"].split("@")[0]) for r in plan_004} == {(1, "21-KL/TW"), (2, "51-KH/TU")}
        assert any(r["implementer"].startswith("51-KH/TU@2022-01-28") and r["depth"] == 1 for r in rows)
        dated_31 = [n for n in q.find_nodes(s.con, "31-KH/ĐUK") if "@" in n]
        assert len(dated_31) == 2
