"""Two ingests on one database at once: the second is refused (exit 5, a clear message);
the database is never corrupted and ends equal to one clean run."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from helpers_ingest import local_run, prefect_harness  # noqa: F401 (fixture)
from helpers_reliability import (  # noqa: F401 (fixture)
    KEHOACH,
    REPO,
    SlowIngest,
    assert_consistent,
    cli_env,
    prefect_api,
    query,
    run_cli,
    snapshot,
    write_plans,
)
from pipeline.errors import ExitCode

pytestmark = pytest.mark.slow

PLANS = 16


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("concurrency") / "raw"
    write_plans(root, PLANS)
    return root


@pytest.fixture(scope="module")
def clean(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The tables of one ingest run alone."""
    db = tmp_path_factory.mktemp("clean") / "kehoach.duckdb"
    assert local_run(archive, db)["status"] == "ok"
    return snapshot(db)


def test_second_ingest_is_refused_or_waits_while_the_first_writes(
    archive: Path, clean: dict, tmp_path: Path, prefect_api: str  # noqa: F811
) -> None:
    db = tmp_path / "kehoach.duckdb"
    gate = tmp_path / "gate"
    first = SlowIngest(archive, db, prefect_api, gate=gate)  # holds the database until the gate opens
    waiter = None
    try:
        first.wait_for("stored ")
        refused = run_cli(["ingest", str(archive), "--db", str(db), "--no-progress"], prefect_api)
        assert refused.returncode == ExitCode.database_locked, refused.stderr[-3000:]
        message = " ".join(refused.stderr.split())
        assert f"DatabaseLocked: {db}: another process holds the database" in message, message
        assert first.proc.poll() is None, "the refused ingest must not disturb the running one"

        reader = run_cli(["query", "SELECT count(*) FROM files", "--db", str(db)], prefect_api)
        assert reader.returncode == ExitCode.database_locked, reader.stderr[-2000:]
        assert "another process holds the database" in " ".join(reader.stderr.split())

        waiter = SlowIngest(archive, db, prefect_api, args=("--wait", "240"))
        waiter.wait_for("held by another ingest; waiting", anywhere=True)
    finally:
        gate.touch()
        rc = first.finish()
    assert rc == ExitCode.ok, "\n".join(first.seen[-20:])
    assert len(first.stored()) == PLANS
    assert waiter.finish() == ExitCode.ok, "\n".join(waiter.seen[-20:])
    assert waiter.stored() == []  # it found every file unchanged

    assert_consistent(db)
    assert query(db, "SELECT status, new, unchanged FROM runs ORDER BY started_at") == [
        ("ok", PLANS, 0),
        ("ok", 0, PLANS),
    ]  # the refused ingest left no trace
    assert snapshot(db) == clean


def test_two_ingests_started_together(archive: Path, clean: dict, tmp_path: Path, prefect_api: str) -> None:  # noqa: F811
    """Racing for a database that does not exist yet: one writes, the other is refused or
    (if it came late) finds everything unchanged; neither crashes."""
    db = tmp_path / "new" / "kehoach.duckdb"
    args = [*KEHOACH, "ingest", str(archive), "--db", str(db), "--no-progress"]
    procs = [
        subprocess.Popen(args, env=cli_env(prefect_api), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [p.communicate(timeout=300) for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes in ([ExitCode.ok, ExitCode.ok], [ExitCode.ok, ExitCode.database_locked]), [r[1][-2000:] for r in results]
    for p, (_, err) in zip(procs, results):
        if p.returncode == ExitCode.database_locked:
            assert "DatabaseLocked" in err and "another" in err, err
    assert_consistent(db)
    assert query(db, "SELECT count(*) FROM runs WHERE status = 'ok'") == [(codes.count(ExitCode.ok),)]
    assert snapshot(db) == clean
