"""flows.ingest: the library run through Prefect (embedded API): the same tables as
``--local``, transient faults retried per batch, the process runner, ``kehoach ingest``."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers_ingest import local_run, prefect_harness, settings, snapshot, write_archive  # noqa: F401 (fixture)
from pipeline.errors import ExitCode

pytestmark = pytest.mark.slow

GARBAGE = bytes(range(256)) * 8  # no format reads this
FLAKY: dict[str, int] = {}  # file name → transient faults still to raise (process-wide, threads share it)


def flaky_read(path: Path, **kw):  # noqa: ANN201 - named by "module:function" in the settings
    """The real reader, after ``FLAKY[name]`` transient I/O faults; ``-1``: faulty for ever."""
    from pipeline.read import read

    name = Path(path).name
    left = FLAKY.get(name, 0)
    if left:
        FLAKY[name] = left - 1 if left > 0 else left
        raise OSError(errno.EIO, "Input/output error")
    return read(path, **kw)


def test_flow_gives_the_tables_of_a_local_run(tmp_path: Path, prefect_harness: None) -> None:  # noqa: F811
    from flows.ingest import ingest_flow

    arch = tmp_path / "raw"
    write_archive(arch, 5)
    (arch / "hong.txt").write_bytes(GARBAGE)
    by_flow = ingest_flow(settings(arch, tmp_path / "f" / "k.duckdb", batch_size=2, workers=2))
    by_local = local_run(arch, tmp_path / "l" / "k.duckdb", batch_size=2)
    assert by_flow["counts"] == by_local["counts"] == {"new": 5, "changed": 0, "unchanged": 0, "failed": 1, "deleted": 0}
    assert by_flow["failures"] == by_local["failures"]
    assert snapshot(tmp_path / "f" / "k.duckdb") == snapshot(tmp_path / "l" / "k.duckdb")


def test_transient_io_fault_retries_the_batch(tmp_path: Path, prefect_harness: None) -> None:  # noqa: F811
    from flows.ingest import ingest_flow

    arch, db = tmp_path / "raw", tmp_path / "kehoach.duckdb"
    write_archive(arch, 2)
    FLAKY.update({"kh_01.txt": 1, "kh_02.txt": -1})  # fails once, then reads; fails every time
    summary = ingest_flow(settings(arch, db, batch_size=1, reader="test_flows:flaky_read"))
    assert summary["counts"]["new"] == 1
    assert summary["failures"] == [
        {"path": "2023/kh_02.txt", "reason": "unreadable", "detail": "OSError: [Errno 5] Input/output error"}
    ]


def test_process_runner(tmp_path: Path, prefect_harness: None) -> None:  # noqa: F811
    from flows.ingest import ingest_flow

    arch = tmp_path / "raw"
    write_archive(arch, 3)
    summary = ingest_flow(settings(arch, tmp_path / "k.duckdb", runner="process", workers=2, batch_size=1))
    assert summary["counts"]["new"] == 3 and summary["runner"] == "process"
    assert snapshot(tmp_path / "k.duckdb") == snapshot(_local(arch, tmp_path))


def _local(arch: Path, tmp_path: Path) -> Path:
    db = tmp_path / "local" / "k.duckdb"
    local_run(arch, db)
    return db


def test_cli_ingest_runs_the_flow_and_then_finds_nothing_to_do(tmp_path: Path, prefect_harness: None) -> None:  # noqa: F811
    from pipeline.cli import app

    arch, db = tmp_path / "raw", tmp_path / "kehoach.duckdb"
    write_archive(arch, 2)
    args = ["ingest", str(arch), "--db", str(db), "--no-progress", "--no-reports", "--json"]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == ExitCode.ok, first.output
    assert json.loads(first.stdout)["counts"]["new"] == 2
    (arch / "bang.xlsx").write_bytes(GARBAGE)
    bad = CliRunner().invoke(app, args)
    assert bad.exit_code == ExitCode.finished_with_failures, bad.output
    assert json.loads(bad.stdout)["failures"][0]["path"] == "bang.xlsx"
