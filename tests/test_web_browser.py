"""The web explorer in a real browser: headless Chromium (the system's, no downloaded
build) driven by Playwright, over the sample archive ingested into a temporary database.

The sample's scans and images are read without OCR here (they fail as ``no_text`` and
show on the runs page): their text is the same as the other renders', and OCR would
make the fixture take minutes. The README's screenshots are written by these tests
(docs/img/).
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import REPO, SAMPLE
from tests.helpers_web import EVIL_TITLE, evil_plan, ingest_folder

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
SHOTS = REPO / "docs" / "img"
SECRET = "nội dung bên ngoài kho không được lộ"


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """data/raw copied, plus a plan whose title holds HTML and a link out of the archive; ingested."""
    from pipeline.store import Store

    root = tmp_path_factory.mktemp("sample")
    archive = root / "archive"
    shutil.copytree(SAMPLE, archive)
    (root / "secret.txt").write_text(SECRET, encoding="utf-8")
    (archive / "extra").mkdir()
    (archive / "extra" / "link.txt").symlink_to(root / "secret.txt")
    db = root / "k.duckdb"
    counts = ingest_folder(archive, db)
    assert counts["new"] >= 27 and counts["failed"] >= 10  # the scans and images, without OCR
    evil = evil_plan()
    (archive / evil.info.path).parent.mkdir(parents=True, exist_ok=True)
    (archive / evil.info.path).write_text(evil.doc.text, encoding="utf-8")
    with Store(db) as store:
        run = store.begin_run(str(archive), {"tests": "html title"})
        store.put_document(run, evil.info, evil.doc, evil.extraction)
        store.rebuild_graph()
        store.finish_run(run, {"new": 1}, "ok")
    return {"db": db, "archive": archive, "counts": counts}


@pytest.fixture(scope="session")
def base_url(sample_db: dict) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, as `kehoach serve` runs it."""
    import uvicorn

    from pipeline.web.app import Settings, create_app, guarded

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = guarded(create_app(Settings(db=sample_db["db"], notebooks=REPO / "notebooks", today=date(2022, 5, 1))),
                  "127.0.0.1")
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip(f"no system Chromium at {CHROMIUM}")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, base_url) -> Iterator[object]:
    """A fresh page that fails the test on any console error (a CSP refusal shows there)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="vi-VN")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    pg.base = base_url
    yield pg
    context.close()
    assert not [e for e in errors if "404" not in e], errors


def search(page, q: str) -> None:
    page.goto(page.base + "/")
    page.fill("main input[name=q]", q)
    page.press("main input[name=q]", "Enter")
    page.wait_for_selector("#count")


def test_search_for_the_directive_lists_the_plan(page):
    search(page, "21-KL/TW")
    names = page.locator(".result a.name").all_inner_texts()
    assert "Kế hoạch 40-KH/ĐUK" in names
    assert page.url.endswith("/search?q=21-KL%2FTW")  # a stable, bookmarkable address
    search(page, "ke hoach 21-KL/TW")  # without diacritics
    assert "Kế hoạch 40-KH/ĐUK" in page.locator(".result a.name").all_inner_texts()
    page.click(".facet a:has-text('Tỉnh, thành phố')")
    assert page.locator(".chip").first.inner_text().startswith("Cấp")
    assert set(page.locator(".result .lv").all_inner_texts()) == {"Tỉnh"}


def marked(page, ref: str) -> str:
    """The text of every mark carrying ``ref``, joined: the whole span of one fact."""
    return page.evaluate(
        "ref => Array.from(document.querySelectorAll('mark[data-refs]'))"
        ".filter(m => m.dataset.refs.split(' ').includes(ref)).map(m => m.textContent).join('')", ref)


def test_document_page_highlights_the_sentence_that_says_what_it_implements(page):
    search(page, "21-KL/TW")
    page.click(".result a.name:text-is('Kế hoạch 40-KH/ĐUK')")
    page.wait_for_selector("#doctext")
    implements = page.locator(".facts a.tag.impl")
    refs = [implements.nth(i).get_attribute("data-ref") for i in range(implements.count())]
    sentences = [marked(page, r) for r in refs]
    hit = [s for s in sentences if s.startswith("Thực hiện Kế hoạch số 51-KH/TU")]
    assert hit and "thực hiện Kết luận số 21-KL/TW, ngày 25/10/2021" in hit[0]
    ref = refs[sentences.index(hit[0])]
    page.click(f".facts a.tag.impl[data-ref='{ref}']")
    page.wait_for_selector("mark.focus", state="attached")  # set on 'hashchange', after the click returns
    assert page.locator("mark.focus").count() >= 1 and page.url.endswith("#" + ref)
    # every kind of fact is marked in the text, typed by colour
    for kind in ("citation", "deadline", "assignment", "evidence"):
        assert page.locator(f"#doctext mark.k-{kind}").count() > 0, kind
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollBy(0, -120)")
    page.screenshot(path=str(SHOTS / "doc-page.png"))
    # the province's plan of Quảng Ninh opens with "Thực hiện Kết luận số 21-KL/TW ..."
    search(page, "Tỉnh ủy Quảng Ninh 21-KL/TW")
    page.click(".result a.name >> nth=0")
    page.wait_for_selector("#doctext")
    evidence = [marked(page, r) for r in page.locator(".facts a.tag.impl").evaluate_all("els => els.map(e => e.dataset.ref)")]
    assert any(s.startswith("Thực hiện Kết luận số 21-KL/TW") for s in evidence), evidence


def test_tree_of_the_directive_shows_province_and_district_plans(page):
    page.goto(page.base + "/node/" + quote("21-KL/TW@2021-10-25", safe=""))
    tree = page.locator("#tree")
    provinces = tree.locator("li[data-level=province] > details > summary, li[data-level=province] > div").all_inner_texts()
    assert any("40-KH/ĐUK" in t for t in provinces) and any("51-KH/TU" in t for t in provinces)
    assert any("Tỉnh ủy Quảng Ninh" in t for t in provinces)
    districts = tree.locator("li[data-level=district]").all_inner_texts()
    assert districts and any("22-HD/BTG" in t for t in districts)
    communes = tree.locator("li[data-level=commune]").all_inner_texts()
    assert any("Kỳ Lợi" in t for t in communes)
    assert page.locator(".coverage[data-level=province] .places.covered li").count() >= 2
    page.screenshot(path=str(SHOTS / "tree.png"))
    page.click("#tree a:text-is('Kế hoạch 51-KH/TU') >> nth=0")
    assert "/node/51-KH" in page.url and page.locator("h1").inner_text().startswith("Kế hoạch 51-KH/TU")


def test_deadlines_page_filters_by_unit(page):
    page.goto(page.base + "/deadlines")
    everything = int(page.locator("#count").inner_text().split()[0].replace(".", ""))
    page.fill("form.filters input[name=unit]", "Ban Tuyên giáo")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/deadlines?unit=*")
    units = page.locator("#items td.unit").all_inner_texts()
    assert units and all("Tuyên giáo" in u for u in units)
    assert int(page.locator("#count").inner_text().split()[0].replace(".", "")) < everything
    assert "unit=Ban+Tuy" in page.locator("#csv").get_attribute("href")
    with page.expect_download() as download:
        page.click("#csv")
    assert download.value.suggested_filename == "thoi-han.csv"


def test_a_title_holding_html_is_shown_as_text(page):
    search(page, "09-KH/ĐU")
    page.click(".result a.name >> nth=0")
    page.wait_for_selector("#doctext")
    assert EVIL_TITLE in page.locator("p.card").inner_text()
    assert EVIL_TITLE in page.locator("#doctext").inner_text()
    assert page.locator("main img").count() == 0 and page.locator("main b:text-is('in đậm')").count() == 0
    assert page.locator("body script:not([src])").count() == 0


def test_a_path_traversal_file_link_is_refused(page, sample_db):
    for link in ("/files/..%2F..%2F..%2Fetc%2Fpasswd", "/files/%2e%2e/secret.txt", "/files/extra/link.txt",
                 "/files/%2Fetc%2Fpasswd"):
        response = page.goto(page.base + link)
        assert response.status == 404, link
        assert "Không mở được tệp gốc" in page.content() or "Không có trang này" in page.content()
        assert SECRET not in page.content() and "root:" not in page.content()
    ok = page.goto(page.base + "/files/text/004_3e1be27b5e1fb67a.txt")
    assert ok.status == 200 and "KẾ HOẠCH" in page.content()


def test_json_answers(page):
    found = page.request.get(page.base + "/search?q=21-KL%2FTW&format=json").json()
    assert "40-KH/ĐUK" in [r["symbol"] for r in found["results"]]
    node = page.request.get(page.base + "/node/" + quote("21-KL/TW@2021-10-25", safe="") + "?format=json").json()
    assert node["down"]["by_level"]["province"] >= 3
    late = page.request.get(page.base + "/deadlines?format=json&overdue=1").json()
    assert late["total"] == late["overdue"]
    graph = page.request.get(page.base + "/graph?format=json&directive=21-KL%2FTW").json()
    assert "21-KL/TW@2021-10-25" in {n["id"] for n in graph["nodes"]}
    runs = page.request.get(page.base + "/runs?format=json").json()
    assert {f["error_reason"] for f in runs["failed"]} >= {"no_text"}


def test_graph_draws_and_a_click_opens_the_node(page):
    page.goto(page.base + "/graph?directive=21-KL%2FTW")
    page.wait_for_selector("#network[data-drawn]", timeout=20000)
    assert "văn bản" in page.locator("#graph-count").inner_text()
    page.wait_for_timeout(500)  # the layout settles
    box = page.locator("#network canvas").bounding_box()
    at = page.evaluate("""() => { const n = window.kehoachNetwork, id = "51-KH/TU@2022-01-28#Hải Dương";
                                  return n.canvasToDOM(n.getPositions([id])[id]); }""")
    page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
    page.wait_for_url("**/node/**")
    assert page.locator("h1").inner_text().startswith("Kế hoạch 51-KH/TU")


def test_runs_and_reports_pages(page):
    page.goto(page.base + "/runs")
    assert page.locator("#failed tbody tr").count() >= 10  # the scans and images, not OCR'd here
    assert "Không đọc được chữ" in page.locator("#failed").inner_text()
    page.goto(page.base + "/reports")
    assert page.locator("a[href$='.ipynb']").count() == 4
