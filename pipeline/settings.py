"""The one settings object of an ingest run, shared by the CLI, the Prefect flow and the
nightly deployment (each builds an :class:`IngestSettings`; none spells the defaults again).

Plain, frozen and JSON-able: a deployment stores it as its parameters, a Dask worker gets
the part it needs (``pipeline.ingest.BatchSettings``), and the ``runs`` table records it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from pipeline.errors import usage

DEFAULT_ARCHIVE = "data/raw"
DEFAULT_DB = "data/processed/kehoach.duckdb"
RUNNERS = ("thread", "process", "dask")
NIGHTLY_CRON = "0 2 * * *"  # the nightly deployment's schedule
NIGHTLY_TIMEZONE = "Asia/Ho_Chi_Minh"


@dataclass(frozen=True)
class IngestSettings:
    """What one ingest run does.

    Attributes:
        archive: the archive folder, walked recursively.
        db: the DuckDB file (created if missing).
        parquet_dir: where the tables are exported (default ``<db folder>/parquet``).
        reports_dir: where the report PNGs go (default ``<db folder>/reports``).
        reports: draw the report PNGs after a run that changed something.
        batch_size: files per task (one Prefect task per batch, not per file).
        runner: ``thread`` (one process), ``process`` (a local process pool) or ``dask``
            (a local Dask cluster of processes, or ``dask_address``).
        workers: threads or processes (default: the CPU count).
        dask_address: an existing Dask scheduler, ``tcp://host:8786``.
        retry_failed: also redo files that failed before with the same bytes.
        rehash: hash every file; by default a file whose size and mtime are unchanged keeps
            its stored sha256.
        lock_wait: seconds to wait while another ingest holds the database (0: refuse).
        db_memory: DuckDB's memory limit for the run (it spills to disk beyond it).
        reader, extractor: the stages, as ``module:function`` names (workers import them).
    """

    archive: str = DEFAULT_ARCHIVE
    db: str = DEFAULT_DB
    parquet_dir: str | None = None
    reports_dir: str | None = None
    reports: bool = True
    batch_size: int = 16  # fewer, larger store transactions: DuckDB's cost is per statement
    runner: str = "thread"
    workers: int | None = None
    dask_address: str | None = None
    retry_failed: bool = False
    rehash: bool = False
    lock_wait: float = 0.0
    db_memory: str = "128MB"
    reader: str = "pipeline.read:read"
    extractor: str = "pipeline.extract:extract"

    def __post_init__(self) -> None:
        if self.runner not in RUNNERS:
            raise usage(f"--runner must be one of {', '.join(RUNNERS)}, not {self.runner!r}")
        if self.batch_size < 1 or (self.workers is not None and self.workers < 1):
            raise usage("--batch-size and --workers must be at least 1")
        if self.lock_wait < 0:
            raise usage("--wait must not be negative")

    def resolved(self) -> IngestSettings:
        """The same settings with absolute paths and the output folders filled in.

        Served runs start in their own working directory, so a deployment stores these.
        """
        db = Path(self.db).expanduser().resolve()
        return replace(
            self,
            archive=str(Path(self.archive).expanduser().resolve()),
            db=str(db),
            parquet_dir=str(Path(self.parquet_dir).resolve() if self.parquet_dir else db.parent / "parquet"),
            reports_dir=str(Path(self.reports_dir).resolve() if self.reports_dir else db.parent / "reports"),
        )

    def to_json(self) -> dict[str, Any]:
        """The settings as a JSON object (the ``runs.params`` column, deployment parameters)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> IngestSettings:
        """Settings from :meth:`to_json` output; unknown keys are refused."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise usage(f"unknown ingest settings: {', '.join(unknown)}")
        return cls(**data)


__all__ = ["DEFAULT_ARCHIVE", "DEFAULT_DB", "NIGHTLY_CRON", "NIGHTLY_TIMEZONE", "RUNNERS", "IngestSettings"]
