"""Test helpers for the ingest run and flows: tiny archives of plans, settings, runs, table snapshots.

Every test runs the real reader, extractor and store.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from pipeline.models import FileInfo
from pipeline.settings import IngestSettings

PLAN_TEXT = """ĐẢNG BỘ TỈNH {province}
BAN THƯỜNG VỤ
*
Số {n}-KH/TU\t\t\t\t{province}, ngày {d} tháng 3 năm 2022

KẾ HOẠCH
thực hiện Kết luận số 21-KL/TW, ngày 25/10/2021 của Ban Chấp hành Trung ương Đảng

Thực hiện Kết luận số 21-KL/TW, ngày 25/10/2021 của Ban Chấp hành Trung ương Đảng khóa XIII,
Ban Thường vụ Tỉnh ủy xây dựng kế hoạch thực hiện như sau:

I. MỤC ĐÍCH, YÊU CẦU
1. Quán triệt sâu sắc nội dung Kết luận số 21-KL/TW đến 100% chi bộ.

II. TỔ CHỨC THỰC HIỆN
1. Ban Tuyên giáo Tỉnh ủy chủ trì, phối hợp với Ban Tổ chức Tỉnh ủy hướng dẫn thực hiện, hoàn thành trong quý II/2022.
2. Các huyện ủy, thành ủy trực thuộc Tỉnh ủy xây dựng kế hoạch thực hiện trước ngày 30/6/2022.

T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ
Nguyễn Văn {name}
"""


def plan_text(n: int, province: str = "Hải Dương", name: str = "An") -> str:
    return PLAN_TEXT.format(n=n, province=province, d=n % 28 + 1, name=name)


def write_archive(root: Path, count: int = 3) -> list[Path]:
    """A tiny archive of plan texts in two folders."""
    paths = []
    for i in range(count):
        sub = root / ("2022" if i % 2 == 0 else "2023")
        sub.mkdir(parents=True, exist_ok=True)
        p = sub / f"kh_{i + 1:02d}.txt"
        p.write_text(plan_text(i + 10), encoding="utf-8")
        paths.append(p)
    return paths


def info_for(path: str, sha: str = "a" * 64, fmt: str = "txt", size: int = 10) -> FileInfo:
    return FileInfo(path=path, sha256=sha, size=size, mtime=0.0, format=fmt)


# ------------------------------------------------------------------ runs and tables

def settings(archive: Path, db: Path, **kw: Any) -> IngestSettings:
    """Settings for a test run: no report PNGs unless asked (they take seconds)."""
    kw.setdefault("reports", False)
    return IngestSettings(archive=str(archive), db=str(db), **kw)


def local_run(archive: Path, db: Path, **kw: Any) -> dict[str, Any]:
    """``kehoach ingest --local``: the library run in this process."""
    from pipeline.run import ingest

    return ingest(settings(archive, db, **kw))


def known(db: Path) -> dict[str, Any]:
    from pipeline.store import Store

    with Store(db, read_only=True) as store:
        return store.known_files()


def snapshot(db: Path) -> dict[str, list[str]]:
    """Every stored table's content, without run ids, timestamps and mtimes, order-free."""
    import duckdb

    from pipeline.store_schema import EXPORT_TABLES

    volatile = {"run_id", "updated_at", "started_at", "finished_at", "mtime"}
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table in EXPORT_TABLES:
            if table == "runs":
                continue
            cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] not in volatile]
            quoted = ", ".join(f'"{c}"' for c in cols)
            rows = con.execute(f"SELECT {quoted} FROM {table}").fetchall()
            out[table] = sorted(map(repr, rows))
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def prefect_harness():
    """A throw-away Prefect API (own SQLite database) for the flows of one test module."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=600):  # a loaded 2-core machine starts it slowly
        yield
