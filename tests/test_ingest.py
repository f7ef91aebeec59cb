"""pipeline.ingest: discovery, the incremental plan, per-file error isolation, summaries."""

from __future__ import annotations

import errno
import hashlib
import os
import pickle
from pathlib import Path

import pytest

from helpers_ingest import info_for, plan_text, write_archive
from pipeline.errors import KehoachError, Reason
from pipeline.ingest import (
    BatchSettings,
    Outcome,
    TransientError,
    count,
    discover,
    failure_line,
    make_batches,
    plan,
    process_batch,
    summarise,
)
from pipeline.store import FileState


# ----------------------------------------------------------------------- discover


def test_discover_walks_recursively_with_relative_posix_paths(tmp_path: Path) -> None:
    write_archive(tmp_path, 3)
    files = discover(tmp_path)
    assert [f.path for f in files] == ["2022/kh_01.txt", "2022/kh_03.txt", "2023/kh_02.txt"]
    f = files[0]
    data = (tmp_path / f.path).read_bytes()
    assert f.sha256 == hashlib.sha256(data).hexdigest()
    assert f.size == len(data)
    assert f.format == "txt"


def test_discover_skips_hidden_readme_json_and_our_outputs(tmp_path: Path) -> None:
    write_archive(tmp_path, 1)
    for name in (".hidden.txt", "README.md", "readme.txt", "gold.json", "~$draft.docx", "kehoach.duckdb",
                 "kehoach.duckdb.wal", "documents.parquet"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config.txt").write_text("x", encoding="utf-8")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "x.txt").write_text("x", encoding="utf-8")
    out = tmp_path / "processed"
    out.mkdir()
    (out / "nodes.txt").write_text("x", encoding="utf-8")
    assert [f.path for f in discover(tmp_path, exclude=[out])] == ["2022/kh_01.txt"]


def test_discover_keeps_unsupported_files_so_they_are_recorded(tmp_path: Path) -> None:
    (tmp_path / "bang.xlsx").write_bytes(b"PK\x03\x04 not really")
    (tmp_path / "noext").write_text("x", encoding="utf-8")
    assert {f.path for f in discover(tmp_path)} == {"bang.xlsx", "noext"}


def test_discover_survives_symlink_loops_and_broken_links(tmp_path: Path) -> None:
    write_archive(tmp_path, 1)
    (tmp_path / "2022" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "dead.txt").symlink_to(tmp_path / "missing.txt")
    files = {f.path: f for f in discover(tmp_path)}
    assert set(files) == {"2022/kh_01.txt", "dead.txt"}
    assert files["dead.txt"].sha256 == "" and files["dead.txt"].size == -1


def test_discover_follows_a_linked_folder_once(tmp_path: Path) -> None:
    real = tmp_path / "real"
    write_archive(real, 1)
    arch = tmp_path / "arch"
    arch.mkdir()
    (arch / "linked").symlink_to(real, target_is_directory=True)
    assert [f.path for f in discover(arch)] == ["linked/2022/kh_01.txt"]


def test_discover_refuses_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(KehoachError) as e:
        discover(tmp_path / "nope")
    assert e.value.reason is Reason.unreadable


# --------------------------------------------------------------------------- plan

V = "1.0"


def test_plan_sorts_files_by_sha_version_and_status() -> None:
    files = [
        info_for("new.txt"),
        info_for("same.txt", "1" * 64),
        info_for("edited.txt", "2" * 64),
        info_for("oldversion.txt", "3" * 64),
        info_for("failed_same.txt", "4" * 64),
        info_for("back.txt", "5" * 64),
        info_for("unhashable.txt", ""),
    ]
    known = {
        "same.txt": FileState("same.txt", "1" * 64, V, "ok"),
        "edited.txt": FileState("edited.txt", "x" * 64, V, "ok"),
        "oldversion.txt": FileState("oldversion.txt", "3" * 64, "0.9", "ok"),
        "failed_same.txt": FileState("failed_same.txt", "4" * 64, V, "failed"),
        "back.txt": FileState("back.txt", "5" * 64, V, "deleted"),
        "unhashable.txt": FileState("unhashable.txt", "", V, "failed"),
        "gone.txt": FileState("gone.txt", "6" * 64, V, "ok"),
        "gone_failed.txt": FileState("gone_failed.txt", "7" * 64, V, "failed"),
        "gone_before.txt": FileState("gone_before.txt", "8" * 64, V, "deleted"),
    }
    p = plan(files, known, V)
    assert [f.path for f in p.new] == ["new.txt", "back.txt"]
    assert [f.path for f in p.changed] == ["edited.txt", "oldversion.txt", "unhashable.txt"]
    assert [f.path for f in p.unchanged] == ["same.txt", "failed_same.txt"]
    assert p.deleted == ("gone.txt", "gone_failed.txt")
    assert [f.path for f in p.todo] == ["new.txt", "back.txt", "edited.txt", "oldversion.txt", "unhashable.txt"]

    retry = plan(files, known, V, retry_failed=True)
    assert "failed_same.txt" in [f.path for f in retry.changed]


def test_plan_on_an_empty_store_is_all_new() -> None:
    p = plan([info_for("a.txt"), info_for("b.txt")], {}, V)
    assert len(p.new) == 2 and not (p.changed or p.unchanged or p.deleted)


@pytest.mark.parametrize("n,size,workers", [(1, 8, 2), (7, 8, 2), (20, 8, 2), (20, 3, 1), (5, 100, 16)])
def test_make_batches_covers_every_file_once(n: int, size: int, workers: int) -> None:
    files = [info_for(f"f{i}.txt", size=i) for i in range(n)]
    batches = make_batches(files, size, workers)
    flat = [f.path for b in batches for f in b]
    assert sorted(flat) == sorted(f.path for f in files)
    assert all(1 <= len(b) <= size for b in batches)
    assert len(batches) >= min(n, workers)


def test_make_batches_of_nothing() -> None:
    assert make_batches([], 8, 2) == []


# ------------------------------------------------------------------------ process


def _infos(root: Path) -> dict[str, object]:
    return {f.path: f for f in discover(root)}


def test_process_batch_isolates_each_files_error(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(plan_text(1), encoding="utf-8")
    (tmp_path / "corrupt.txt").write_bytes(b"K\x00\x00\x01")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bang.xlsx").write_bytes(b"PK\x03\x04")
    infos = discover(tmp_path)
    outcomes = {o.info.path: o for o in process_batch(infos, BatchSettings(str(tmp_path)))}
    assert outcomes["good.txt"].ok
    assert outcomes["good.txt"].document.path == "good.txt"  # stored relative to the archive
    assert outcomes["good.txt"].extraction.doc == "good"
    assert outcomes["corrupt.txt"].error.reason == "wrong_ext"
    assert outcomes["empty.txt"].error.reason == "empty"
    assert outcomes["bang.xlsx"].error.reason == "unsupported"
    assert failure_line(outcomes["corrupt.txt"]) == "corrupt.txt: wrong_ext: content is not text, PDF, Word or an image"


def test_process_batch_turns_bugs_into_internal_and_extract_failed(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(plan_text(1), encoding="utf-8")
    infos = discover(tmp_path)

    def buggy_read(path: Path) -> None:
        raise ZeroDivisionError("division by zero")

    def buggy_extract(doc: object) -> None:
        raise IndexError("list index out of range")

    [o] = process_batch(infos, BatchSettings(str(tmp_path), reader=buggy_read))
    assert (o.error.reason, o.error.detail) == ("internal", "ZeroDivisionError: division by zero")
    [o] = process_batch(infos, BatchSettings(str(tmp_path), extractor=buggy_extract))
    assert (o.error.reason, o.error.detail) == ("extract_failed", "IndexError: list index out of range")


def test_process_batch_vanished_file_is_unreadable(tmp_path: Path) -> None:
    [o] = process_batch([info_for("gone.txt")], BatchSettings(str(tmp_path)), raise_transient=True)
    assert (o.error.reason, o.error.detail) == ("unreadable", "no such file")


def test_process_batch_raises_transient_io_faults_only_when_asked(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    infos = discover(tmp_path)

    def flaky(path: Path) -> None:
        raise OSError(errno.EIO, "Input/output error")

    settings = BatchSettings(str(tmp_path), reader=flaky)
    with pytest.raises(TransientError):
        process_batch(infos, settings, raise_transient=True)
    [o] = process_batch(infos, settings, raise_transient=False)
    assert o.error.reason == "unreadable"


def test_outcomes_are_picklable(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(plan_text(1), encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00")
    settings = BatchSettings(str(tmp_path))
    outcomes = process_batch(discover(tmp_path), settings)
    back = pickle.loads(pickle.dumps(outcomes))
    assert back == outcomes
    assert back[1].exception().reason is Reason.wrong_ext
    assert pickle.loads(pickle.dumps(settings)) == settings


# ---------------------------------------------------------------------- summarise


def test_summarise_counts_stored_and_failed_files(tmp_path: Path) -> None:
    (tmp_path / "new_ok.txt").write_text(plan_text(1), encoding="utf-8")
    (tmp_path / "new_bad.txt").write_bytes(b"\x00")
    (tmp_path / "changed_ok.txt").write_text(plan_text(2), encoding="utf-8")
    (tmp_path / "same.txt").write_text(plan_text(3), encoding="utf-8")
    files = discover(tmp_path)
    by = {f.path: f for f in files}
    known = {
        "changed_ok.txt": FileState("changed_ok.txt", "0" * 64, V, "ok"),
        "same.txt": FileState("same.txt", by["same.txt"].sha256, V, "ok"),
        "gone.txt": FileState("gone.txt", "0" * 64, V, "ok"),
    }
    p = plan(files, known, V)
    outcomes = [o.light() for o in process_batch(p.todo, BatchSettings(str(tmp_path)))]
    assert count(p, outcomes) == {"new": 1, "changed": 1, "unchanged": 1, "failed": 1, "deleted": 1}
    s = summarise(p, outcomes, run_id="r1")
    assert s["run_id"] == "r1"
    assert s["formats"]["txt"] == {"ok": 2, "unchanged": 1}
    assert sum(f.get("failed", 0) for f in s["formats"].values()) == 1  # NUL bytes: sniffed as binary
    assert s["failures"] == [
        {"path": "new_bad.txt", "reason": "wrong_ext", "detail": "content is not text, PDF, Word or an image"}
    ]
    assert s["deleted"] == ["gone.txt"]


def test_light_outcome_drops_the_document_but_keeps_the_format(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(plan_text(1), encoding="utf-8")
    [o] = process_batch(discover(tmp_path), BatchSettings(str(tmp_path)))
    light = o.light()
    assert isinstance(light, Outcome) and light.document is None and light.format == "txt" and light.ok


# ------------------------------------------------------------------ shared corpus


def test_process_batch_reads_the_shared_corpus(corpus: Path) -> None:
    files = discover(corpus)
    assert len(files) == 5
    outcomes = process_batch(files, BatchSettings(str(corpus)))
    assert all(o.ok for o in outcomes), [o.error for o in outcomes if o.error]
    assert all(o.extraction.header.doc_type for o in outcomes)
    assert all(not os.path.isabs(o.document.path) for o in outcomes)


def test_an_unreadable_folder_is_listed_not_skipped(tmp_path, monkeypatch):
    """os.walk drops a folder it cannot list; discover records it so it ends as a failed row."""
    import os

    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "plan.txt").write_text("Kế hoạch", encoding="utf-8")
    (tmp_path / "plan.txt").write_text("Kế hoạch", encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    files = discover(tmp_path)
    assert [f.path for f in files] == ["locked", "plan.txt"]
    assert files[0].sha256 == "" and files[0].size == -1
