"""The web explorer over the related-plans archive, through Starlette's test client.

The browser-driven tests on the sample archive are in test_web_browser.py.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from starlette.testclient import TestClient

from pipeline.testing import held_database
from tests.helpers_web import EVIL_TITLE, written_archive

TODAY = date(2022, 5, 1)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict:
    from pipeline.web.app import Settings, create_app

    root = tmp_path_factory.mktemp("web")
    db = root / "k.duckdb"
    archive = written_archive(root, db)
    (root / "secret.txt").write_text("không được lộ", encoding="utf-8")
    client = TestClient(create_app(Settings(db=db, today=TODAY)))
    return {"client": client, "db": db, "archive": archive, "root": root}


def get_json(client: TestClient, url: str) -> dict:
    r = client.get(url + ("&" if "?" in url else "?") + "format=json")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    return r.json()


def names(results: list[dict]) -> list[str]:
    return [r["symbol"] for r in results]


# ------------------------------------------------------------------ search


def test_search_finds_a_symbol_with_or_without_diacritics(site):
    c = site["client"]
    assert "42-KH/ĐUK" in names(get_json(c, "/search?q=23-KL/TW")["results"])
    found = get_json(c, "/search?q=" + quote("ke hoach 42-kh/duk"))
    assert names(found["results"])[0] == "42-KH/ĐUK"
    assert found["terms"] == ["ke", "hoach", "42-kh/duk"]
    # a unit name, typed without tone marks, finds the plans assigning tasks to it
    assert "12-KH/HU" in names(get_json(c, "/search?q=" + quote("ban tuyen giao huyen uy"))["results"])
    # "hoach" does not match inside another word, and nonsense finds nothing
    assert get_json(c, "/search?q=zzzxq")["total"] == 0


def test_search_groups_renders_filters_and_counts_facets(site):
    c = site["client"]
    data = get_json(c, "/search?q=57-KH/TU")
    hd = [r for r in data["results"] if r["symbol"] == "57-KH/TU" and r["scope"] == "Hà Tĩnh"]
    assert len(hd) == 1 and hd[0]["formats"] == ["md", "txt"]  # two renders, one result
    levels = {f["value"]: f["n"] for f in data["facets"]["level"]}
    assert levels and sum(levels.values()) == data["total"]
    province = get_json(c, "/search?q=57-KH/TU&level=province")
    assert province["total"] == levels["province"] and {r["level"] for r in province["results"]} == {"province"}
    assert get_json(c, "/search?q=57-KH/TU&year=1999")["total"] == 0
    assert get_json(c, "/search?q=57-KH/TU&year=notayear")["filters"] == {}
    # the directive itself is only cited: it is offered as a document known from citations
    cited = get_json(c, "/search?q=23-KL/TW")["cited"]
    assert [n["node_id"] for n in cited] == ["23-KL/TW@2021-11-05"]


def test_search_pages(site):
    c = site["client"]
    everything = get_json(c, "/search")
    assert everything["total"] == len({r["node"] for r in everything["results"]}) <= everything["per_page"]
    assert get_json(c, "/search?page=99")["page"] == everything["pages"]


# ---------------------------------------------------------------- document


def test_document_page_marks_every_fact_at_its_offsets(site):
    c = site["client"]
    doc_id = next(r["doc_id"] for r in get_json(c, "/search?q=42-KH/ĐUK")["results"] if r["symbol"] == "42-KH/ĐUK")
    data = get_json(c, f"/doc/{doc_id}")
    text = "".join(s["text"] for s in data["segments"])
    assert len(text) == data["text_chars"]
    marked = {}
    for s in data["segments"]:
        for ref in s["refs"]:
            marked[ref] = marked.get(ref, "") + s["text"]
    citations = {c_["symbol"]: c_ for c_ in data["facts"]["citation"]}
    assert marked[citations["57-KH/TU"]["ref"]].startswith("Kế hoạch số 57-KH/TU")
    evidence = marked[citations["57-KH/TU"]["evidence_ref"]]
    assert evidence.startswith("Thực hiện Kế hoạch số 57-KH/TU") and "Kết luận số 23-KL/TW" in evidence
    assert all(c_["mention_refs"] for c_ in citations.values())
    # what it implements, up to the central directive
    up = data["up"]["root"]
    assert {n["node_id"] for n in up["children"]} >= {"23-KL/TW@2021-11-05", "57-KH/TU@2022-01-24#Hà Tĩnh"}
    assert data["up"]["by_level"]["central"] == 1


def test_html_in_a_title_is_shown_as_text(site):
    c = site["client"]
    hit = get_json(c, "/search?q=09-KH/ĐU")["results"][0]
    assert hit["title"] == EVIL_TITLE
    for url in (f"/doc/{hit['doc_id']}", "/search?q=09-KH/ĐU", f"/node/{quote(hit['node_id'], safe='')}"):
        page = c.get(url)
        assert page.status_code == 200
        assert "<script>alert" not in page.text and "<img src=x" not in page.text and "<b>in đậm</b>" not in page.text
        assert "&lt;script&gt;alert(" in page.text
        assert "script-src 'self'" in page.headers["content-security-policy"]


def test_unknown_pages_answer_404_in_vietnamese(site):
    c = site["client"]
    for url in ("/doc/0000000000000000", "/node/" + quote("99-KH/XX@2000-01-01", safe=""), "/no-such-page"):
        r = c.get(url)
        assert r.status_code == 404 and "Không" in r.text


# ------------------------------------------------------------------ files


def test_an_original_is_served_only_from_the_files_table_inside_the_archive(site):
    c = site["client"]
    ok = c.get("/files/ha_tinh/duk_42.txt")
    assert ok.status_code == 200 and "42-KH/ĐUK" in ok.text
    assert ok.headers["content-type"].startswith("text/plain") and "sandbox" in ok.headers["content-security-policy"]
    for bad in ("/files/%2e%2e/secret.txt", "/files/ha_tinh/%2e%2e/%2e%2e/secret.txt", "/files/..%2Fsecret.txt",
                "/files/%2Fetc%2Fpasswd", "/files/ha_tinh/not_recorded.txt", "/files/ha_tinh%5C..%5C..%5Csecret.txt"):
        r = c.get(bad)
        assert r.status_code == 404, bad
        assert "không được lộ" not in r.text


def test_a_recorded_file_that_links_outside_the_archive_is_refused(site, tmp_path):
    from pipeline.store import Store
    from pipeline.web.app import Settings, create_app
    from pipeline.web.files import find_original

    link = site["archive"] / "ha_tinh" / "link.txt"
    if not link.exists():
        os.symlink(site["root"] / "secret.txt", link)
    db = tmp_path / "copy.duckdb"
    db.write_bytes(site["db"].read_bytes())
    with Store(db) as store:
        store.con.execute("INSERT INTO files (path, status, format, run_id) SELECT 'ha_tinh/link.txt', 'ok', 'txt', run_id FROM runs")
    with Store(db, read_only=True) as store:
        assert find_original(store.con, "ha_tinh/link.txt") is None
        assert find_original(store.con, "ha_tinh/duk_42.txt") is not None
    r = TestClient(create_app(Settings(db=db))).get("/files/ha_tinh/link.txt")
    assert r.status_code == 404 and "không được lộ" not in r.text


# ------------------------------------------------------------ trees, graph


def test_node_page_tree_by_level_with_evidence_and_coverage(site):
    data = get_json(site["client"], "/node/" + quote("23-KL/TW@2021-11-05", safe=""))
    tree = data["down"]
    assert tree["by_level"]["province"] >= 2 and tree["by_level"]["district"] >= 1 and tree["by_level"]["commune"] >= 1
    flat = {}

    def walk(n: dict) -> None:
        for ch in n["children"]:
            flat.setdefault(ch["node_id"], ch)
            walk(ch)

    walk(tree["root"])
    ht57 = flat["57-KH/TU@2022-01-24#Hà Tĩnh"]
    assert ht57["evidence"].lower().startswith("thực hiện kết luận số 23-kl/tw")
    assert any(ch["node_id"].startswith("12-KH/HU") for ch in ht57["children"])  # district under province
    provinces = {lv["level"]: lv for lv in data["coverage"]["levels"]}["province"]
    assert {p["place"] for p in provinces["covered"]} == {"Hà Tĩnh", "Phú Yên"}
    assert data["node"]["in_archive"] is False and data["files"] == []


def test_graph_json_filters_by_directive_level_and_year(site):
    c = site["client"]
    full = get_json(c, "/graph")
    assert full["found"] and full["shown"] == len(full["nodes"]) > 0
    under = get_json(c, "/graph?directive=23-KL/TW")
    ids = {n["id"] for n in under["nodes"]}
    assert "23-KL/TW@2021-11-05" in ids and "12-KH/HU@2022-03-20#Hà Tĩnh" in ids
    assert "38-QĐ/TW@2021-11-05" not in ids  # cited only, not implemented
    districts = get_json(c, "/graph?directive=23-KL/TW&level=district")
    assert {n["id"] for n in districts["nodes"]} <= {n["id"] for n in under["nodes"]}
    assert any(n["id"].startswith("12-KH/HU") for n in districts["nodes"])
    assert get_json(c, "/graph?directive=nothing-like-it")["found"] is False
    assert get_json(c, "/graph?year=1990")["nodes"] == []
    assert c.get("/graph").status_code == 200


# ---------------------------------------------------------------- deadlines


def test_deadlines_filter_by_unit_without_diacritics_and_mark_overdue(site):
    c = site["client"]
    data = get_json(c, "/deadlines?unit=" + quote("ban tuyen giao"))
    units = {r["unit"] for r in data["rows"]}
    assert units and all("Tuyên giáo" in u for u in units)
    overdue = {r["unit"]: r["overdue"] for r in data["rows"]}
    assert overdue["Ban Tuyên giáo Huyện ủy"] is True  # due 15/04/2022, today 01/05/2022
    assert overdue["Ban Tuyên giáo Đảng ủy Khối"] is False  # due 30/06/2022
    late = get_json(c, "/deadlines?overdue=1")
    assert late["total"] == late["overdue"] > 0
    months = get_json(c, "/deadlines?from=2022-06&to=2022-06")
    assert months["rows"] and all(r["due"].startswith("2022-06") for r in months["rows"])
    assert data["matrix"]["rows"]


def test_deadlines_csv_for_a_spreadsheet(site):
    r = site["client"].get("/deadlines?format=csv&unit=" + quote("Tuyên giáo"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    lines = r.text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Số, ký hiệu") or lines[0].startswith('"Số, ký hiệu"')
    assert len(lines) > 1 and all("Tuyên giáo" in line for line in lines[1:])
    assert "15/04/2022" in r.text  # dates as dd/mm/yyyy


# -------------------------------------------------------------------- runs


def test_runs_page_and_every_page_answers_json(site):
    c = site["client"]
    runs = get_json(c, "/runs")
    assert runs["runs"] and runs["runs"][0]["new"] == 10
    for url in ("/", "/search?q=21", "/deadlines", "/runs", "/reports"):
        assert c.get(url).status_code == 200
        get_json(c, url)


# ---------------------------------------------------------------- database


def test_a_database_held_by_an_ingest_answers_busy_not_a_crash(site, tmp_path):
    from pipeline.web.app import Settings, create_app

    db = tmp_path / "held.duckdb"
    db.write_bytes(site["db"].read_bytes())
    client = TestClient(create_app(Settings(db=db)))
    with held_database(db):
        r = client.get("/search?q=23-KL/TW")
        assert r.status_code == 503 and "đang bận" in r.text and r.headers["retry-after"]
        assert client.get("/graph?format=json").json()["code"] == 503
    assert client.get("/search?q=23-KL/TW").status_code == 200  # and back once it is free


def test_a_missing_database_says_so(tmp_path):
    from pipeline.web.app import Settings, create_app

    r = TestClient(create_app(Settings(db=tmp_path / "none.duckdb"))).get("/")
    assert r.status_code == 503 and "kehoach ingest" in r.text


def test_no_request_writes_to_the_database(site):
    before = site["db"].stat().st_mtime_ns, site["db"].read_bytes()
    c = site["client"]
    for url in ("/", "/search?q=ke+hoach", "/deadlines?format=csv", "/graph?format=json", "/runs",
                "/node/" + quote("23-KL/TW@2021-11-05", safe="")):
        c.get(url)
    assert (site["db"].stat().st_mtime_ns, site["db"].read_bytes()) == before


def test_serve_refuses_a_missing_database(tmp_path):
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-c", "from pipeline.cli import main; main()", "serve", "--db",
                        str(tmp_path / "none.duckdb")], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "kehoach ingest" in r.stderr


def test_loopback_serving_refuses_other_host_names(site):
    from pipeline.web.app import Settings, create_app, guarded

    app = guarded(create_app(Settings(db=site["db"])), "127.0.0.1")
    assert TestClient(app, base_url="http://127.0.0.1:8000").get("/runs").status_code == 200
    assert TestClient(app, base_url="http://evil.example").get("/runs").status_code == 400


# ------------------------------------------------------------ search index


def test_search_rows_follow_the_files_and_an_old_database_gets_them(tmp_path):
    from pipeline.store import Store
    from pipeline.store_schema import MIGRATIONS
    from pipeline.testing import load_archive, related_plans_archive

    files = related_plans_archive()
    with Store(tmp_path / "k.duckdb") as store:
        load_archive(store, files)
        kinds = dict(store.con.execute("SELECT kind, count(*) FROM search GROUP BY kind").fetchall())
        assert kinds["symbol"] == len(files) and kinds["unit"] >= 5
        run = store.begin_run("x", {})
        store.mark_deleted(run, [files[0].info.path])
        assert store.con.execute("SELECT count(*) FROM search WHERE path = ?", [files[0].info.path]).fetchall()[0][0] == 0
        store.put_document(run, files[0].info, files[0].doc, files[0].extraction)
        assert store.con.execute("SELECT count(*) FROM search WHERE path = ?", [files[0].info.path]).fetchall()[0][0] > 0
        total = store.con.execute("SELECT count(*) FROM search").fetchall()[0][0]
        # a database from before migration 0003: the next writer builds the index from the tables
        store.con.execute("DROP TABLE search")
        store.con.execute("ALTER TABLE citations DROP COLUMN mention_ends")
        store.con.execute("DELETE FROM _migrations WHERE name = ?", [MIGRATIONS[2][0]])
    with Store(tmp_path / "k.duckdb") as store:
        assert store.con.execute("SELECT count(*) FROM search").fetchall()[0][0] == total
        assert store.con.execute("SELECT value FROM meta WHERE name = 'search_stale'").fetchall() == [("0",)]


def test_fold_matches_what_analysts_type():
    from pipeline.search import fold, parse

    assert fold("Kế hoạch số 23- KL/TW") == " ke hoach so 23-kl/tw "
    assert fold("Chỉ thị số 05 – CT/TW, ĐẢNG ỦY") == " chi thi so 5-ct/tw dang uy "
    assert fold("Ưu tiên ở Quảng Ngãi\nHội Nông dân") == " uu tien o quang ngai \n hoi nong dan "
    assert parse("  Ban Tuyên giáo,  HUYỆN ủy ") == (("ban", "tuyen", "giao", "huyen", "uy"), "ban tuyen giao huyen uy")
    assert parse("") == ((), "")


def test_the_database_is_released_when_idle_so_an_ingest_can_write(site, tmp_path):
    import subprocess
    import sys
    import time

    from pipeline.web.app import Settings, create_app

    db = tmp_path / "idle.duckdb"
    db.write_bytes(site["db"].read_bytes())
    app = create_app(Settings(db=db, idle_seconds=0.5))
    client = TestClient(app)
    ingest = [sys.executable, "-c", "import sys; from pipeline.store import Store; Store(sys.argv[1]).begin_run('later', {})",
              str(db)]
    with app.state.reader.cursor():  # a request in flight holds the file
        held = subprocess.run(ingest, capture_output=True, text=True, timeout=120)
        assert held.returncode != 0 and "DatabaseLocked" in held.stderr
    time.sleep(1.5)
    assert subprocess.run(ingest, capture_output=True, text=True, timeout=120).returncode == 0  # released when idle
    assert client.get("/runs?format=json").json()["runs"][0]["archive"] == "later"


def test_segments_mark_overlapping_facts_and_locate_squashed_phrases():
    from pipeline.normalise import fold_tones
    from pipeline.web.highlight import Mark, locate, segments

    text = "Ban Tuyên giáo chủ trì,\nhoàn thành trong\ntháng 3/2022. Hết."
    span = locate(text, fold_tones(text), 24, "hoàn thành trong tháng 3/2022")
    assert span is not None and text[span[0]:span[1]] == "hoàn thành trong\ntháng 3/2022"
    assert locate(text, fold_tones(text), 0, "hoàn thành trong tháng 3/2022") == span  # found after the offset
    assert locate(text, fold_tones(text), 0, "không có") is None
    marks = [Mark(0, 37, "evidence", "e"), Mark(0, 14, "assignment", "a"), *[Mark(span[0], span[1], "deadline", "d")]]
    parts = segments(text, marks)
    assert "".join(p.text for p in parts) == text
    first = parts[0]
    assert first.text == "Ban Tuyên giáo" and first.kinds == ("evidence", "assignment") and set(first.anchors) == {"e", "a"}
    deadline = [p for p in parts if "deadline" in p.kinds]
    assert "".join(p.text for p in deadline) == text[span[0]:span[1]]


def test_every_template_and_asset_is_package_data():
    import fnmatch
    import tomllib

    from tests.conftest import REPO

    globs = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["pipeline"]
    web = REPO / "pipeline" / "web"
    files = [p.relative_to(REPO / "pipeline").as_posix() for p in web.rglob("*") if p.is_file() and p.suffix != ".py"
             and "__pycache__" not in p.parts]
    assert files and all(any(fnmatch.fnmatch(f, g) for g in globs) for f in files), files
    assert any(f.endswith("vis-network.min.js") for f in files) and any(f.endswith("LICENSE") for f in files)


def test_reports_serve_only_the_pictures_and_notebooks_listed(site, tmp_path):
    from pipeline.web.app import Settings, create_app

    pictures, books = tmp_path / "reports", tmp_path / "notebooks"
    pictures.mkdir()
    books.mkdir()
    (pictures / "02_coverage_graph.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (books / "01_overview.ipynb").write_text("{}", encoding="utf-8")
    client = TestClient(create_app(Settings(db=site["db"], reports=pictures, notebooks=books)))
    page = get_json(client, "/reports")
    assert [p["title"] for p in page["pictures"]] == ["Văn bản thực hiện các chỉ thị (theo cấp)"]
    assert client.get("/reports/img/02_coverage_graph.png").headers["content-type"] == "image/png"
    assert client.get("/reports/notebooks/01_overview.ipynb").status_code == 200
    for bad in ("/reports/img/..%2Fk.duckdb", "/reports/img/nothing.png", "/reports/other/01_overview.ipynb"):
        assert client.get(bad).status_code == 404, bad


def test_document_outline_jumps_to_its_parts(tmp_path):
    from pipeline.web.app import Settings, create_app
    from tests.conftest import SAMPLE
    from tests.helpers_web import ingest_folder

    archive = tmp_path / "a"
    archive.mkdir()
    (archive / "kh.txt").write_bytes((SAMPLE / "text" / "004_3e1be27b5e1fb67a.txt").read_bytes())
    ingest_folder(archive, tmp_path / "k.duckdb")
    client = TestClient(create_app(Settings(db=tmp_path / "k.duckdb")))
    doc_id = get_json(client, "/search?q=40-KH/ĐUK")["results"][0]["doc_id"]
    page = get_json(client, f"/doc/{doc_id}")
    kinds = [z["kind"] for z in page["outline"]]
    assert "legal_basis" in kinds and kinds.count("heading") >= 3
    anchors = {a for s in page["segments"] for a in s["anchors"]}
    assert {z["ref"] for z in page["outline"]} <= anchors
    assert any(z["text"].startswith("I.") for z in page["outline"] if z["kind"] == "heading")
