"""Databases for the web tests: the related-plans archive written as files, and a plain
library ingest (read → extract → store → graph, no Prefect) of a folder."""

from __future__ import annotations

from pathlib import Path

from pipeline.testing import ArchivedFile, archived, load_archive, related_plans_archive

EVIL_TITLE = "<script>alert('kehoach')</script> <b>in đậm</b> & <img src=x onerror=alert(1)>"


def evil_plan() -> ArchivedFile:
    """A plan whose title and text hold HTML: pages must show it as text."""
    text = (
        "ĐẢNG ỦY XÃ AN PHÚ\nSố 09-KH/ĐU\nAn Phú, ngày 10 tháng 5 năm 2022\nKẾ HOẠCH\n"
        f"{EVIL_TITLE}\nThực hiện Kế hoạch số 12-KH/HU, ngày 20/3/2022 của Ban Thường vụ Huyện ủy.\n"
    )
    return archived("hai_duong/xa_9.txt", text, symbol="09-KH/ĐU", date="2022-05-10", issuer="Đảng ủy xã An Phú",
                    place="An Phú", scope="Hải Dương", title=EVIL_TITLE, implements=["12-KH/HU@2022-03-20"])


def written_archive(root: Path, db: Path) -> Path:
    """The related-plans archive (and the HTML-titled plan) as files under ``root/archive``,
    stored in ``db`` with that folder as the run's archive."""
    from pipeline.store import Store

    archive = root / "archive"
    files = [*related_plans_archive(), evil_plan()]
    for f in files:
        target = archive / f.info.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f.doc.text, encoding="utf-8")
    with Store(db) as store:
        load_archive(store, files, archive=str(archive))
    return archive


def ingest_folder(archive: Path, db: Path, *, ocr: bool = False) -> dict[str, int]:
    """Ingest ``archive`` into ``db`` with the library, as `kehoach ingest` does, one process."""
    from pipeline.ingest import BatchSettings, count, discover, make_batches, plan, process_batch
    from pipeline.read import ReadSettings
    from pipeline.store import Store
    from pipeline.version import PIPELINE_VERSION

    with Store(db) as store:
        run_id = store.begin_run(str(archive), {"tests": "web"})
        found = plan(discover(archive, exclude=[db]), store.known_files(), PIPELINE_VERSION)
        settings = BatchSettings(root=str(archive), read_settings=ReadSettings(ocr=ocr))
        outcomes = []
        for batch in make_batches(found.todo, 8):
            results = process_batch(batch, settings)
            store.put_documents(run_id, [(o.info, o.document, o.extraction) for o in results if o.ok])
            for o in results:
                if not o.ok:
                    store.put_failure(run_id, o.info, o.exception())
            outcomes += [o.light() for o in results]
        store.rebuild_graph()
        counts = count(found, outcomes)
        store.finish_run(run_id, counts, "finished_with_failures" if counts["failed"] else "ok")
    return counts
