"""Databases for the web tests: the related-plans archive written as files, and the
library's ingest run (``pipeline.run``, no Prefect) of a folder."""

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
    return archived("ha_tinh/xa_9.txt", text, symbol="09-KH/ĐU", date="2022-05-10", issuer="Đảng ủy xã An Phú",
                    place="An Phú", scope="Hà Tĩnh", title=EVIL_TITLE, implements=["12-KH/HU@2022-03-20"])


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


def read_without_ocr(path: object, **_: object) -> object:
    """The reader, with OCR off: scans and images fail as ``no_text`` in seconds."""
    from pipeline.read import ReadSettings, read

    return read(path, ReadSettings(ocr=False))  # type: ignore[arg-type]


def ingest_folder(archive: Path, db: Path) -> dict[str, int]:
    """Ingest ``archive`` into ``db`` with the library's run (no Prefect), OCR off; its counts."""
    from pipeline.run import ingest
    from pipeline.settings import IngestSettings

    settings = IngestSettings(archive=str(archive), db=str(db), reports=False, workers=1,
                              reader="tests.helpers_web:read_without_ocr")
    return ingest(settings)["counts"]
