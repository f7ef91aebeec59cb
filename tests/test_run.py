"""pipeline.run: the ingest run in the library, without Prefect (``kehoach ingest --local``).

Incremental reruns, the size-and-mtime shortcut, runs rows and statuses, the no-work path
that skips Prefect, locks, and the CLI's one error boundary.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from helpers_ingest import known, local_run, plan_text, settings, write_archive
from pipeline import ingest as core
from pipeline import run
from pipeline.cli import app
from pipeline.errors import DatabaseLocked, ExitCode
from pipeline.testing import held_database

REPO = Path(__file__).resolve().parents[1]
GARBAGE = bytes(range(256)) * 8  # no format reads this


def runs(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT status, new, changed, unchanged, failed, deleted FROM runs ORDER BY started_at").fetchall()
    finally:
        con.close()


def cli(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_rerun_after_change_add_delete_corrupt(tmp_path: Path) -> None:
    arch, db = tmp_path / "raw", tmp_path / "out" / "kehoach.duckdb"
    a, b, c, d = write_archive(arch, 4)
    events: list[tuple[int, int]] = []
    with run.progress_reporter(lambda done, total, outcome: events.append((done, total))):
        first = local_run(arch, db, batch_size=2)
    assert events == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]  # what the CLI's progress bar shows
    assert first["counts"] == {"new": 4, "changed": 0, "unchanged": 0, "failed": 0, "deleted": 0}
    assert first["status"] == "ok" and first["tables"]["documents"] == 4
    assert set(first["stages"]) >= {"open", "discover", "read_extract", "store", "graph", "parquet"}
    before = known(db)
    assert {p: s.status for p, s in before.items()} == dict.fromkeys(
        ["2022/kh_01.txt", "2023/kh_02.txt", "2022/kh_03.txt", "2023/kh_04.txt"], "ok"
    )

    a.write_text(plan_text(99, province="Quảng Ninh"), encoding="utf-8")  # changed
    b.unlink()  # deleted
    c.write_bytes(GARBAGE)  # corrupted
    e = arch / "2024" / "kh_05.txt"  # added
    e.parent.mkdir()
    e.write_text(plan_text(5), encoding="utf-8")
    second = local_run(arch, db, batch_size=2)
    assert second["counts"] == {"new": 1, "changed": 1, "unchanged": 1, "failed": 1, "deleted": 1}
    assert second["status"] == "finished_with_failures"
    assert second["deleted"] == ["2023/kh_02.txt"]
    [failure] = second["failures"]
    assert failure["path"] == "2022/kh_03.txt" and failure["reason"] == "wrong_ext"
    after = known(db)
    assert {p: s.status for p, s in after.items()} == {
        "2022/kh_01.txt": "ok", "2023/kh_02.txt": "deleted", "2022/kh_03.txt": "failed",
        "2023/kh_04.txt": "ok", "2024/kh_05.txt": "ok",
    }  # fmt: skip
    assert after["2022/kh_01.txt"].sha256 != before["2022/kh_01.txt"].sha256
    assert after["2023/kh_04.txt"] == before["2023/kh_04.txt"]

    third = local_run(arch, db)
    assert third["counts"] == {"new": 0, "changed": 0, "unchanged": 4, "failed": 0, "deleted": 0}
    assert [r[0] for r in runs(db)] == ["ok", "finished_with_failures", "ok"]


def test_unchanged_files_are_not_read_or_hashed_unless_rehash(tmp_path: Path, monkeypatch) -> None:
    arch, db = tmp_path / "raw", tmp_path / "kehoach.duckdb"
    write_archive(arch, 2)
    local_run(arch, db)
    hashed: list[str] = []
    real = core.sha256_file
    monkeypatch.setattr(core, "sha256_file", lambda p: hashed.append(Path(p).name) or real(p))
    assert local_run(arch, db)["counts"]["unchanged"] == 2
    assert hashed == []  # size and mtime unchanged: the stored sha256 stands
    again = local_run(arch, db, rehash=True)
    assert again["counts"]["unchanged"] == 2 and sorted(hashed) == ["kh_01.txt", "kh_02.txt"]

    hashed.clear()  # same size, new mtime, same bytes: hashed, found unchanged
    p = arch / "2022" / "kh_01.txt"
    os.utime(p, (p.stat().st_atime, p.stat().st_mtime + 5))
    assert local_run(arch, db)["counts"]["unchanged"] == 2 and hashed == ["kh_01.txt"]


def test_current_records_a_run_when_nothing_changed_and_none_otherwise(tmp_path: Path) -> None:
    arch, db = tmp_path / "raw", tmp_path / "kehoach.duckdb"
    write_archive(arch, 2)
    s = settings(arch, db)
    assert run.current(s) is None  # no database yet: there is work
    assert not db.exists() or runs(db) == []
    run.ingest(s)
    summary = run.current(s)
    assert summary is not None and summary["counts"]["unchanged"] == 2 and summary["status"] == "ok"
    assert runs(db)[-1] == ("ok", 0, 0, 2, 0, 0)
    (arch / "new.txt").write_text(plan_text(7), encoding="utf-8")
    assert run.current(s) is None and len(runs(db)) == 2  # work to do: nothing recorded here
    assert run.current(settings(arch, db, rehash=True)) is None


def test_cli_ingest_with_nothing_to_do_never_imports_prefect(tmp_path: Path) -> None:
    arch, db = tmp_path / "raw", tmp_path / "kehoach.duckdb"
    write_archive(arch, 1)
    local_run(arch, db)
    code = (
        "import sys\nfrom pipeline.cli import main\nsys.argv = ['kehoach', 'ingest', sys.argv[1], '--db', sys.argv[2],"
        " '--no-progress', '--no-reports', '--json']\ntry:\n    main()\nexcept SystemExit as e:\n    rc = e.code\n"
        "print('PREFECT' if 'prefect' in sys.modules else 'NO-PREFECT', rc, file=sys.stderr)"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    r = subprocess.run([sys.executable, "-c", code, str(arch), str(db)], capture_output=True, text=True, env=env, timeout=120)
    assert r.stderr.strip().splitlines()[-1] == "NO-PREFECT 0", r.stderr[-2000:]
    assert json.loads(r.stdout)["counts"]["unchanged"] == 1
    assert runs(db)[-1] == ("ok", 0, 0, 1, 0, 0)


def test_a_crash_is_recorded_in_runs_and_the_cli_exits_crashed(tmp_path: Path, monkeypatch) -> None:
    """An exception outside the per-file boundary: runs.status = crashed, exit 10, a remedy."""
    from pipeline.store import Store

    arch, db = tmp_path / "raw", tmp_path / "kehoach.duckdb"
    write_archive(arch, 1)
    monkeypatch.setattr(Store, "rebuild_graph", lambda self: (_ for _ in ()).throw(RuntimeError("graph exploded")))
    with pytest.raises(RuntimeError, match="graph exploded"):
        local_run(arch, db)
    r = cli("ingest", arch, "--db", db, "--local", "--no-progress", "--no-reports")
    assert r.exit_code == ExitCode.crashed
    assert "RuntimeError: graph exploded" in r.stderr and "remedy: report this bug" in r.stderr
    assert [row[0] for row in runs(db)] == ["crashed", "crashed"]
    assert [(p, s.status) for p, s in known(db).items()] == [("2022/kh_01.txt", "ok")]  # stored before, kept


def test_ctrl_c_during_a_run_marks_it_interrupted_and_keeps_what_was_stored(tmp_path: Path, monkeypatch) -> None:
    from pipeline.store import Store

    arch, db = tmp_path / "raw", tmp_path / "kehoach.duckdb"
    write_archive(arch, 4)
    put = Store.put_documents
    calls: list[int] = []

    def interrupted_before_the_second(self, run_id, items):
        calls.append(len(items))
        if len(calls) == 2:
            raise KeyboardInterrupt
        put(self, run_id, items)

    monkeypatch.setattr(Store, "put_documents", interrupted_before_the_second)
    with pytest.raises(KeyboardInterrupt):
        local_run(arch, db, batch_size=2, workers=2, runner="thread")
    assert run.stopping()  # the workers were told to stop
    monkeypatch.setattr(Store, "put_documents", put)
    assert runs(db) == [("interrupted", 2, 0, 0, 0, 0)] and len(known(db)) == 2
    assert local_run(arch, db)["counts"] == {"new": 2, "changed": 0, "unchanged": 2, "failed": 0, "deleted": 0}


def test_a_held_database_is_refused_or_waited_for(tmp_path: Path) -> None:
    arch, db = tmp_path / "raw", tmp_path / "kehoach.duckdb"
    write_archive(arch, 1)
    with held_database(db):
        with pytest.raises(DatabaseLocked):
            local_run(arch, db)
        r = cli("ingest", arch, "--db", db, "--local", "--no-progress")
        assert r.exit_code == ExitCode.database_locked
        assert f"DatabaseLocked: {db}: another process holds the database" in r.stderr
        assert "remedy: an ingest is writing it" in r.stderr
        q = cli("query", "SELECT 1", "--db", db)
        assert q.exit_code == ExitCode.database_locked and "another process holds the database" in q.stderr
    with held_database(db, seconds=3):
        assert local_run(arch, db, lock_wait=120)["counts"]["new"] == 1


def test_cli_ingest_local_reports_counts_and_exit_status(tmp_path: Path) -> None:
    arch, db = tmp_path / "raw", tmp_path / "kehoach.duckdb"
    write_archive(arch, 2)
    ok = cli("ingest", arch, "--db", db, "--local", "--no-progress", "--no-reports", "--json")
    assert ok.exit_code == ExitCode.ok, ok.output
    summary = json.loads(ok.stdout)
    assert summary["counts"]["new"] == 2 and summary["db"] == str(db.resolve())
    (arch / "bang.xlsx").write_bytes(GARBAGE)
    bad = cli("ingest", arch, "--db", db, "--local", "--no-progress", "--no-reports")
    assert bad.exit_code == ExitCode.finished_with_failures, bad.output
    assert "bang.xlsx" in bad.stdout and "unchanged" in bad.stdout


def test_cli_ingest_refuses_a_missing_folder_and_a_bad_runner_with_a_remedy(tmp_path: Path) -> None:
    r = cli("ingest", tmp_path / "nope", "--db", tmp_path / "x.duckdb")
    assert r.exit_code == ExitCode.input_file and "not a folder" in r.stderr and "remedy:" in r.stderr
    r = cli("ingest", tmp_path, "--runner", "spark")
    assert r.exit_code == ExitCode.bad_args and "--runner must be one of" in r.stderr
    r = cli("ingest", tmp_path, "--runner", "dask", "--local")
    assert r.exit_code == ExitCode.bad_args and "drop --local" in r.stderr


def test_settings_round_trip_as_json(tmp_path: Path) -> None:
    from pipeline.errors import KehoachError
    from pipeline.settings import IngestSettings

    s = IngestSettings(archive="raw", db="out/k.duckdb", runner="dask", workers=2).resolved()
    assert IngestSettings.from_json(json.loads(json.dumps(s.to_json()))) == s
    assert s.parquet_dir.endswith("out/parquet") and os.path.isabs(s.archive)
    with pytest.raises(KehoachError):
        IngestSettings.from_json({"archive": "raw", "colour": "red"})


def test_workers_stop_between_files_once_asked(tmp_path: Path) -> None:
    write_archive(tmp_path, 3)
    files = core.discover(tmp_path)
    seen: list[str] = []
    started = threading.Event()

    def reader(path, **_):
        seen.append(Path(path).name)
        started.set()
        run.request_stop()
        from pipeline.read import read

        return read(path)

    assert len(core.process_batch(files, core.BatchSettings(str(tmp_path), reader=reader))) == 1
    core.STOP.clear()
    assert started.is_set() and len(seen) == 1


def test_the_library_never_imports_the_flows_and_the_flow_stays_thin() -> None:
    """pipeline/ is the library; flows/ is an application over it (issue 14)."""
    import ast

    for path in (REPO / "pipeline").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n == "flows" or n.startswith("flows.") for n in names), path
    assert len((REPO / "flows" / "ingest.py").read_text(encoding="utf-8").splitlines()) <= 120
