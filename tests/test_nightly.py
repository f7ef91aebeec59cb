"""flows.nightly: a real Prefect server, the served nightly deployment, one triggered run.

Starts ``prefect server start`` on a free localhost port with its own PREFECT_HOME, serves
the deployment with ``kehoach ingest ... --nightly`` (as scripts/nightly.sh does),
triggers a run, and checks it completed and wrote its ``runs`` row. Every wait is
bounded; both processes are stopped at the end.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers_ingest import write_archive

REPO = Path(__file__).resolve().parents[1]
WAIT = 240  # seconds, for each of: server health, deployment registered, run finished
NAME = "nightly"  # the deployment name scripts/nightly.sh serves


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(what: str, check, proc: subprocess.Popen, log: Path, timeout: float = WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except Exception:  # noqa: BLE001 - not up yet
            pass
        if proc.poll() is not None:
            pytest.fail(f"{what}: process exited {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(1)
    pytest.fail(f"{what}: not ready in {timeout} s:\n{log.read_text(errors='replace')[-3000:]}")


def _stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


@pytest.fixture
def prefect_server(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A real ``prefect server start`` on localhost; yields the environment to reach it."""
    port = _free_port()
    env = dict(os.environ)
    env.update(
        PREFECT_HOME=str(tmp_path / "prefect-home"),
        PREFECT_API_URL=f"http://127.0.0.1:{port}/api",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_UI_ENABLED="false",
    )
    log = tmp_path / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "prefect"), "server", "start", "--host", "127.0.0.1", "--port",
             str(port)],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        _wait("prefect server", lambda: urllib.request.urlopen(env["PREFECT_API_URL"] + "/health", timeout=2),
              proc, log)
        yield env
    finally:
        _stop(proc)


def test_nightly_deployment_schedule_and_parameters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from flows.nightly import LOCK_WAIT, nightly_deployment
    from pipeline.settings import IngestSettings

    monkeypatch.chdir(tmp_path)
    d = nightly_deployment(IngestSettings("raw", "out/k.duckdb", runner="dask", dask_address="tcp://10.0.0.5:8786"))
    [schedule] = d.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("0 2 * * *", "Asia/Ho_Chi_Minh")
    params = d.parameters["settings"]  # the one settings object, as JSON
    assert params["archive"] == str(tmp_path / "raw")
    assert params["db"] == str(tmp_path / "out" / "k.duckdb")
    assert params["runner"] == "dask" and params["dask_address"] == "tcp://10.0.0.5:8786"
    assert params["lock_wait"] == LOCK_WAIT
    assert IngestSettings.from_json(params).archive == str(tmp_path / "raw")
    assert d.entrypoint == "flows.ingest.ingest_flow"  # importable from any working directory


def test_nightly_needs_a_running_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from pipeline.cli import app
    from pipeline.errors import ExitCode

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    r = CliRunner().invoke(app, ["ingest", str(tmp_path), "--nightly"])
    assert r.exit_code == ExitCode.bad_args and "scripts/nightly.sh" in r.stderr


@pytest.mark.slow
def test_nightly_deployment_is_served_and_a_triggered_run_completes(tmp_path: Path, prefect_server) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    arch, db = tmp_path / "raw", tmp_path / "out" / "kehoach.duckdb"
    write_archive(arch, 2)
    (arch / "hong.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<<")  # a truncated PDF: recorded as failed
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        serve = subprocess.Popen(
            [sys.executable, "-c", "from pipeline.cli import main; main()", "ingest", str(arch), "--db", str(db),
             "--nightly", "--workers", "2"],
            env=prefect_server, cwd=REPO, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        with temporary_settings({PREFECT_API_URL: prefect_server["PREFECT_API_URL"]}):

            def registered():
                with get_client(sync_client=True) as client:
                    return client.read_deployment_by_name(f"kehoach-ingest/{NAME}")

            deployment = _wait("served deployment", registered, serve, log)
            [schedule] = deployment.schedules
            assert schedule.schedule.cron == "0 2 * * *"
            assert schedule.schedule.timezone == "Asia/Ho_Chi_Minh"
            assert deployment.parameters["settings"]["archive"] == str(arch.resolve())
            assert deployment.parameters["settings"]["db"] == str(db.resolve())

            flow_run = run_deployment(f"kehoach-ingest/{NAME}", timeout=WAIT, poll_interval=2)
            assert flow_run.state is not None and flow_run.state.is_completed(), (
                flow_run.state, log.read_text(errors="replace")[-3000:]
            )
            with get_client(sync_client=True) as client:  # the counts, visible in the UI
                artifacts = client.read_artifacts(
                    artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["kehoach-ingest-summary"]))
                )
            assert [a.flow_run_id for a in artifacts] == [flow_run.id]
            assert "hong.pdf" in artifacts[0].data and "| 2 | 0 | 0 | 1 | 0 |" in artifacts[0].data
    finally:
        _stop(serve, signal.SIGINT)

    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        runs = con.execute("SELECT * FROM runs").fetchdf()
        files = dict(con.execute("SELECT path, status FROM files").fetchall())
    finally:
        con.close()
    assert len(runs) == 1
    assert files == {"2022/kh_01.txt": "ok", "2023/kh_02.txt": "ok", "hong.pdf": "failed"}
    row = runs.iloc[0].to_dict()
    assert str(row["archive"]) == str(arch.resolve())
    text = " ".join(str(v) for v in row.values())
    assert "finished_with_failures" in text
