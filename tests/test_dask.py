"""flows.ingest with ``runner="dask"``: a local Dask cluster gives the same tables as threads."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers_ingest import Stages, prefect_harness, write_archive  # noqa: F401 (fixture)

GARBAGE = bytes(range(256)) * 8


@pytest.mark.slow
def test_dask_runner_gives_the_same_tables_as_threads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefect_harness: None  # noqa: F811
) -> None:
    pytest.importorskip("prefect_dask")
    import flows.ingest as fi

    stages = Stages(monkeypatch)
    stages.use(stages.reader_ref, stages.extractor_ref)  # Dask workers are other processes: pass names
    arch = tmp_path / "raw"
    write_archive(arch, 5)
    (arch / "hong.txt").write_bytes(GARBAGE)

    by_thread = fi.ingest_flow(archive=str(arch), db=str(tmp_path / "t" / "k.duckdb"), batch_size=2)
    by_dask = fi.ingest_flow(
        archive=str(arch), db=str(tmp_path / "d" / "k.duckdb"), batch_size=2, runner="dask", workers=2
    )
    assert by_dask["runner"] == "dask"
    assert by_dask["counts"] == by_thread["counts"] == {"new": 5, "changed": 0, "unchanged": 0, "failed": 1, "deleted": 0}
    assert by_dask["failures"] == by_thread["failures"]
    assert stages.snapshot(tmp_path / "d" / "k.duckdb") == stages.snapshot(tmp_path / "t" / "k.duckdb")


@pytest.mark.slow
def test_dask_runner_on_an_existing_scheduler(tmp_path: Path, monkeypatch, prefect_harness: None) -> None:  # noqa: F811
    distributed = pytest.importorskip("distributed")
    import flows.ingest as fi

    stages = Stages(monkeypatch)
    stages.use(stages.reader_ref, stages.extractor_ref)
    arch = tmp_path / "raw"
    write_archive(arch, 3)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        summary = fi.ingest_flow(
            archive=str(arch), db=str(tmp_path / "k.duckdb"), runner="dask", dask_address=cluster.scheduler_address
        )
    assert summary["counts"]["new"] == 3 and summary["counts"]["failed"] == 0


def test_make_task_runner_choices() -> None:
    from prefect.task_runners import ThreadPoolTaskRunner
    from prefect_dask import DaskTaskRunner

    from flows.ingest import make_task_runner

    threads = make_task_runner("thread", workers=3)
    assert isinstance(threads, ThreadPoolTaskRunner) and threads._max_workers == 3
    local = make_task_runner("dask", workers=2)
    assert isinstance(local, DaskTaskRunner) and local.address is None
    assert local.cluster_kwargs["n_workers"] == 2 and local.cluster_kwargs["processes"] is True
    remote = make_task_runner("dask", dask_address="tcp://10.1.2.3:8786")
    assert remote.address == "tcp://10.1.2.3:8786"
    with pytest.raises(ValueError, match="unknown runner"):
        make_task_runner("spark")
