"""Test helpers for the ingest core and flows: tiny archives, and stand-ins for stages not yet built.

The stand-ins (``fake_read``, ``fake_extract``, ``FakeStore``) follow the contracts of
docs/ARCHITECTURE.md; ``stages()`` returns the real ones when they are importable, so the
same tests exercise the real reader, extractor and store once they exist.
"""

from __future__ import annotations

import hashlib
import importlib
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import DatabaseLocked, KehoachError, Reason
from pipeline.models import Document, Extraction, FileInfo, Header

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


# --------------------------------------------------------------------- stand-ins


def fake_read(path: Path, **_: Any) -> Document:
    """Reads UTF-8 .txt/.md; NUL bytes are 'corrupt', other suffixes 'unsupported'."""
    path = Path(path)
    if path.suffix.lower() not in (".txt", ".md"):
        raise KehoachError(Reason.unsupported, str(path), f"{path.suffix or 'no extension'} files are not read")
    data = path.read_bytes()
    if not data:
        raise KehoachError(Reason.empty, str(path), "zero bytes")
    if b"\x00" in data:
        raise KehoachError(Reason.corrupt, str(path), "binary content in a text file")
    text = data.decode("utf-8")
    return Document(path=str(path), sha256=hashlib.sha256(data).hexdigest(), format="txt", text=text, raw_text=text)


def fake_extract(doc: Document) -> Extraction:
    return Extraction(
        doc=doc.stem, header=Header(doc_type="Kế hoạch"), implements=(), citations=(),
        assignments=(), deadlines=(), signer=None, recipients=(),
    )


@dataclass(frozen=True)
class FakeFileState:
    path: str
    sha256: str
    pipeline_version: str
    status: str


class FakeStore:
    """In-memory stand-in for ``pipeline.store.Store``, persisted per path in ``DBS``."""

    DBS: dict[str, dict[str, Any]] = {}
    _held: set[str] = set()
    _lock = threading.Lock()

    def __init__(self, path: str = ":memory:", *, read_only: bool = False) -> None:
        self.path = str(path)
        with self._lock:
            if not read_only and self.path in self._held:
                raise DatabaseLocked(f"{self.path}: database is locked by another ingest")
            if not read_only:
                self._held.add(self.path)
        self.read_only = read_only
        self.db = self.DBS.setdefault(self.path, {"files": {}, "runs": {}, "documents": {}, "graph_builds": 0})

    def close(self) -> None:
        if not self.read_only:
            self._held.discard(self.path)

    def __enter__(self) -> FakeStore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def known_files(self) -> dict[str, FakeFileState]:
        from pipeline.version import PIPELINE_VERSION

        return {
            p: FakeFileState(p, r["sha256"], r.get("pipeline_version", PIPELINE_VERSION), r["status"])
            for p, r in self.db["files"].items()
        }

    def begin_run(self, archive: str, params: dict) -> str:
        run_id = uuid.uuid4().hex
        self.db["runs"][run_id] = {"archive": archive, "params": params, "status": "running", "counts": None}
        return run_id

    def finish_run(self, run_id: str, counts: dict[str, int], status: str) -> None:
        self.db["runs"][run_id].update(counts=dict(counts), status=status)

    def put_document(self, run_id: str, info: FileInfo, doc: Document, extraction: Extraction) -> None:
        from pipeline.version import PIPELINE_VERSION

        self.db["files"][info.path] = {
            "sha256": info.sha256, "status": "ok", "run_id": run_id, "pipeline_version": PIPELINE_VERSION,
        }
        self.db["documents"][info.path] = {"text": doc.text, "doc": extraction.doc, "run_id": run_id}

    def put_documents(self, run_id: str, items: Any) -> None:
        for info, doc, extraction in items:
            self.put_document(run_id, info, doc, extraction)

    def put_failure(self, run_id: str, info: FileInfo, error: KehoachError) -> None:
        from pipeline.version import PIPELINE_VERSION

        self.db["files"][info.path] = {
            "sha256": info.sha256, "status": "failed", "run_id": run_id, "reason": error.reason.value,
            "detail": error.detail, "pipeline_version": PIPELINE_VERSION,
        }

    def mark_deleted(self, run_id: str, paths: Any) -> None:
        for p in paths:
            self.db["files"][p]["status"] = "deleted"

    def rebuild_graph(self) -> None:
        self.db["graph_builds"] += 1

    def export_parquet(self, out_dir: Any) -> list[Path]:
        return []


def _importable(module: str, name: str) -> bool:
    try:
        return hasattr(importlib.import_module(module), name)
    except ImportError:
        return False


def real_stages_available() -> bool:
    """True once the real reader, extractor and store are importable."""
    return all(_importable(m, n) for m, n in (("pipeline.read", "read"), ("pipeline.extract", "extract"),
                                              ("pipeline.store", "Store")))


# ------------------------------------------------------------------ Prefect + stages

import functools  # noqa: E402
import os  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(scope="module")
def prefect_harness():
    """A throw-away Prefect API (own SQLite database) for the flows of one test module."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


class Stages:
    """The reader/extractor/store a flow test runs with, recording which files were read.

    Each stage is the real one when importable, else its stand-in. ``reader_ref`` and
    ``extractor_ref`` name them as ``module:function`` for Dask worker processes.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import flows.ingest as fi
        from pipeline.ingest import BatchSettings

        self.read_calls: list[str] = []
        self.real_read = _importable("pipeline.read", "read")
        self.real_extract = _importable("pipeline.extract", "extract")
        self.real = _importable("pipeline.store", "Store")  # the store decides how tables are read
        self.reader_ref = "pipeline.read:read" if self.real_read else "helpers_ingest:fake_read"
        self.extractor_ref = "pipeline.extract:extract" if self.real_extract else "helpers_ingest:fake_extract"
        from pipeline.ingest import resolve_callable

        self.base_read = resolve_callable(self.reader_ref)
        self.extract = resolve_callable(self.extractor_ref)
        if self.real:
            from pipeline.store import Store

            self.store_class: Any = Store
        else:
            self.store_class = FakeStore
            monkeypatch.setattr(fi, "_open_store", lambda db: FakeStore(db))
        self.fi, self.settings_class, self.monkeypatch = fi, BatchSettings, monkeypatch
        self.use(self.read, self.extract)

    def use(self, reader: Any, extractor: Any) -> None:
        """Make the flow build its BatchSettings with these stages."""
        self.monkeypatch.setattr(
            self.fi, "BatchSettings", functools.partial(self.settings_class, reader=reader, extractor=extractor)
        )

    def read(self, path: Path, **kw: Any) -> Document:
        self.read_calls.append(Path(path).name)
        return self.base_read(path, **kw)

    def known(self, db: Path) -> dict[str, Any]:
        store = self.store_class(str(db), read_only=True)
        try:
            return store.known_files()
        finally:
            getattr(store, "close", lambda: None)()

    def snapshot(self, db: Path) -> dict[str, Any]:
        """Every stored table's content, without run ids and timestamps, order-free."""
        if not self.real:
            data = FakeStore.DBS[str(db)]
            strip = lambda r: {k: v for k, v in r.items() if k != "run_id"}  # noqa: E731
            return {t: {p: strip(r) for p, r in data[t].items()} for t in ("files", "documents")}
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
                rows = con.execute(f"SELECT {', '.join(repr_col(c) for c in cols)} FROM {table}").fetchall()
                out[table] = sorted(map(repr, rows))
            return out
        finally:
            con.close()


def repr_col(name: str) -> str:
    return f'"{name}"'
