"""flows.ingest: the Prefect flow in embedded mode: incremental reruns, failures, retries, the CLI."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers_ingest import Stages, plan_text, prefect_harness, write_archive  # noqa: F401 (fixture)
from pipeline.errors import ExitCode

pytestmark = pytest.mark.slow

GARBAGE = bytes(range(256)) * 8  # no text format reads this


@pytest.fixture
def stages(monkeypatch: pytest.MonkeyPatch, prefect_harness: None) -> Stages:  # noqa: F811
    return Stages(monkeypatch)


def test_rerun_after_change_add_delete_corrupt(tmp_path: Path, stages: Stages) -> None:
    from flows.ingest import ingest_flow, progress_reporter

    arch, db = tmp_path / "raw", tmp_path / "out" / "kehoach.duckdb"
    a, b, c, d = write_archive(arch, 4)
    events: list[tuple[int, int]] = []
    with progress_reporter(lambda done, total, outcome: events.append((done, total))):
        first = ingest_flow(archive=str(arch), db=str(db), batch_size=2)
    assert events == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]  # what the CLI's progress bar shows
    assert first["counts"] == {"new": 4, "changed": 0, "unchanged": 0, "failed": 0, "deleted": 0}
    assert first["status"] == "ok"
    assert sorted(stages.read_calls) == ["kh_01.txt", "kh_02.txt", "kh_03.txt", "kh_04.txt"]
    known = stages.known(db)
    assert {p: s.status for p, s in known.items()} == dict.fromkeys(
        ["2022/kh_01.txt", "2023/kh_02.txt", "2022/kh_03.txt", "2023/kh_04.txt"], "ok"
    )

    a.write_text(plan_text(99, province="Quảng Ninh"), encoding="utf-8")  # changed
    b.unlink()  # deleted
    c.write_bytes(GARBAGE)  # corrupted
    e = arch / "2024" / "kh_05.txt"  # added
    e.parent.mkdir()
    e.write_text(plan_text(5), encoding="utf-8")
    stages.read_calls.clear()

    second = ingest_flow(archive=str(arch), db=str(db), batch_size=2)
    assert sorted(stages.read_calls) == ["kh_01.txt", "kh_03.txt", "kh_05.txt"]  # only changed + new
    assert second["counts"] == {"new": 1, "changed": 1, "unchanged": 1, "failed": 1, "deleted": 1}
    assert second["status"] == "finished_with_failures"
    assert second["deleted"] == ["2023/kh_02.txt"]
    [failure] = second["failures"]
    assert failure["path"] == "2022/kh_03.txt" and failure["reason"] != "internal"

    after = stages.known(db)
    assert {p: s.status for p, s in after.items()} == {
        "2022/kh_01.txt": "ok",
        "2023/kh_02.txt": "deleted",
        "2022/kh_03.txt": "failed",
        "2023/kh_04.txt": "ok",
        "2024/kh_05.txt": "ok",
    }
    assert after["2022/kh_01.txt"].sha256 != known["2022/kh_01.txt"].sha256
    assert after["2023/kh_04.txt"] == known["2023/kh_04.txt"]

    stages.read_calls.clear()
    third = ingest_flow(archive=str(arch), db=str(db))
    assert stages.read_calls == []
    assert third["counts"] == {"new": 0, "changed": 0, "unchanged": 4, "failed": 0, "deleted": 0}


def test_transient_io_fault_retries_the_batch(tmp_path: Path, stages: Stages, monkeypatch) -> None:
    from flows.ingest import ingest_flow

    arch, db = tmp_path / "raw", tmp_path / "kehoach.duckdb"
    write_archive(arch, 2)
    flaky = {"kh_01.txt": 1}  # fails once, then reads
    always = {"kh_02.txt"}
    base = stages.read

    def read(path: Path, **kw):
        name = Path(path).name
        if name in always or flaky.get(name, 0) > 0:
            flaky[name] = flaky.get(name, 0) - 1
            raise OSError(errno.EIO, "Input/output error")
        return base(path, **kw)

    stages.use(read, stages.extract)
    summary = ingest_flow(archive=str(arch), db=str(db), batch_size=1)
    assert summary["counts"]["new"] == 1
    assert summary["failures"] == [
        {"path": "2023/kh_02.txt", "reason": "unreadable", "detail": "OSError: [Errno 5] Input/output error"}
    ]


def _cli(*args: str):
    """Invoke ``kehoach ingest ...`` (typer runs a lone command without its name)."""
    from pipeline.cli import app

    argv = list(args) if len(app.registered_commands) > 1 or app.registered_groups else list(args[1:])
    return CliRunner().invoke(app, argv)


def test_cli_ingest_reports_counts_and_exit_status(tmp_path: Path, stages: Stages) -> None:
    arch, db = tmp_path / "raw", tmp_path / "kehoach.duckdb"
    write_archive(arch, 2)
    ok = _cli("ingest", str(arch), "--db", str(db), "--no-progress", "--json")
    assert ok.exit_code == ExitCode.ok, ok.output
    summary = json.loads(ok.stdout)
    assert summary["counts"]["new"] == 2 and summary["db"] == str(db.resolve())

    (arch / "bang.xlsx").write_bytes(GARBAGE)
    bad = _cli("ingest", str(arch), "--db", str(db), "--no-progress")
    assert bad.exit_code == ExitCode.finished_with_failures, bad.output
    assert "bang.xlsx" in bad.stdout and "unchanged" in bad.stdout


def test_cli_ingest_refuses_a_missing_folder_and_a_bad_runner(tmp_path: Path) -> None:
    r = _cli("ingest", str(tmp_path / "nope"), "--db", str(tmp_path / "x.duckdb"))
    assert r.exit_code == ExitCode.input_file
    r = _cli("ingest", str(tmp_path), "--runner", "spark")
    assert r.exit_code == ExitCode.bad_args


def test_a_second_ingest_on_a_held_database_is_refused(tmp_path: Path, stages: Stages) -> None:
    """Another process holds the DuckDB file: refused (DatabaseLocked, exit 5), or waited for."""
    import subprocess
    import sys

    from flows.ingest import ingest_flow
    from pipeline.errors import DatabaseLocked

    if not stages.real:
        pytest.skip("needs the real store's file lock")
    arch, db = tmp_path / "raw", tmp_path / "kehoach.duckdb"
    write_archive(arch, 1)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pipeline.store import Store; s = Store(sys.argv[1]); print('held', flush=True);"
         " time.sleep(120)", str(db)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(DatabaseLocked):
            ingest_flow(archive=str(arch), db=str(db))
        r = _cli("ingest", str(arch), "--db", str(db), "--no-progress")
        assert r.exit_code == ExitCode.database_locked
        assert "DatabaseLocked" in r.output
        import threading

        threading.Timer(3.0, holder.kill).start()  # the other ingest ends while we wait
        assert ingest_flow(archive=str(arch), db=str(db), lock_wait=120)["counts"]["new"] == 1
    finally:
        holder.kill()
        holder.wait(10)


def test_a_crash_is_recorded_in_runs_and_exits_crashed(tmp_path: Path, stages: Stages, monkeypatch) -> None:
    """An exception outside the per-file boundary: runs.status = crashed, the CLI exits 10."""
    import sys

    import duckdb

    import flows.ingest as fi
    from pipeline.cli import main

    if not stages.real:
        pytest.skip("reads the real store's runs table")
    arch, db = tmp_path / "raw", tmp_path / "kehoach.duckdb"
    write_archive(arch, 1)
    open_store = fi._open_store

    def broken_store(path: str):
        store = open_store(path)
        store.rebuild_graph = lambda: (_ for _ in ()).throw(RuntimeError("graph exploded"))
        return store

    monkeypatch.setattr(fi, "_open_store", broken_store)
    with pytest.raises(RuntimeError, match="graph exploded"):
        fi.ingest_flow(archive=str(arch), db=str(db))
    monkeypatch.setattr(sys, "argv", ["kehoach", "ingest", str(arch), "--db", str(db), "--no-progress"])
    if len(__import__("pipeline.cli", fromlist=["app"]).app.registered_commands) == 1:
        sys.argv.remove("ingest")
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == ExitCode.crashed
    con = duckdb.connect(str(db), read_only=True)
    try:
        statuses = [r[0] for r in con.execute("SELECT status FROM runs ORDER BY started_at").fetchall()]
        files = con.execute("SELECT path, status FROM files").fetchall()
    finally:
        con.close()
    assert statuses == ["crashed", "crashed"]
    assert files == [("2022/kh_01.txt", "ok")]  # stored before the crash, kept
