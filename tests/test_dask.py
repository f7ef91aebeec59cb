"""flows.ingest on Dask: a local cluster of processes, or an existing scheduler, gives the
same tables as a local run; the runner choices."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers_ingest import local_run, prefect_harness, settings, snapshot, write_archive  # noqa: F401 (fixture)

GARBAGE = bytes(range(256)) * 8


@pytest.mark.slow
def test_dask_runner_gives_the_same_tables_as_a_local_run(tmp_path: Path, prefect_harness: None) -> None:  # noqa: F811
    from flows.ingest import ingest_flow

    arch = tmp_path / "raw"
    write_archive(arch, 5)
    (arch / "hong.txt").write_bytes(GARBAGE)
    by_local = local_run(arch, tmp_path / "t" / "k.duckdb", batch_size=2)
    by_dask = ingest_flow(settings(arch, tmp_path / "d" / "k.duckdb", batch_size=2, runner="dask", workers=2))
    assert by_dask["runner"] == "dask"
    assert by_dask["counts"] == by_local["counts"] == {"new": 5, "changed": 0, "unchanged": 0, "failed": 1, "deleted": 0}
    assert by_dask["failures"] == by_local["failures"]
    assert snapshot(tmp_path / "d" / "k.duckdb") == snapshot(tmp_path / "t" / "k.duckdb")


@pytest.mark.slow
def test_dask_runner_on_an_existing_scheduler(tmp_path: Path, prefect_harness: None) -> None:  # noqa: F811
    import distributed

    from flows.ingest import ingest_flow

    arch = tmp_path / "raw"
    write_archive(arch, 3)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        summary = ingest_flow(settings(arch, tmp_path / "k.duckdb", runner="dask", dask_address=cluster.scheduler_address))
    assert summary["counts"]["new"] == 3 and summary["counts"]["failed"] == 0


@pytest.mark.slow  # importing distributed and prefect_dask alone takes seconds
def test_make_task_runner_choices() -> None:
    from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner
    from prefect_dask import DaskTaskRunner

    from flows.ingest import make_task_runner
    from pipeline.errors import KehoachError
    from pipeline.settings import IngestSettings

    threads = make_task_runner(IngestSettings(workers=3))
    assert isinstance(threads, ThreadPoolTaskRunner) and threads._max_workers == 3
    assert isinstance(make_task_runner(IngestSettings(runner="process", workers=2)), ProcessPoolTaskRunner)
    local = make_task_runner(IngestSettings(runner="dask", workers=2))
    assert isinstance(local, DaskTaskRunner) and local.address is None
    assert local.cluster_kwargs["n_workers"] == 2 and local.cluster_kwargs["processes"] is True
    remote = make_task_runner(IngestSettings(runner="dask", dask_address="tcp://10.1.2.3:8786"))
    assert remote.address == "tcp://10.1.2.3:8786"
    with pytest.raises(KehoachError, match="--runner must be one of"):
        IngestSettings(runner="spark")
