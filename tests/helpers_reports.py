"""Freshly built tables for the report and notebook tests.

The database is built the way ``kehoach ingest`` builds it, minus Prefect: the ingest
core reads and extracts a small archive of real plan texts (the shared corpus) plus two
bad files, and ``pipeline.store.Store`` writes the rows and rebuilds the graph.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline import ingest
from pipeline.version import PIPELINE_VERSION


def make_archive(root: Path, corpus: Path) -> Path:
    """A small archive: the corpus plans in a sub-folder, an empty file, an unsupported one."""
    plans = root / "plans"
    plans.mkdir(parents=True)
    for text in sorted(corpus.glob("*.txt")):
        shutil.copy(text, plans / text.name)
    (root / "empty.txt").write_bytes(b"")
    (root / "notes.xyz").write_bytes(b"\x00\x01 not a document")
    return root


def build_db(archive: Path, db: Path) -> Path:
    """Ingest ``archive`` into a new DuckDB file at ``db`` with the plain ingest core."""
    from pipeline.store import Store

    files = ingest.discover(archive)
    with Store(db) as store:
        run_id = store.begin_run(str(archive), {"test": "reports"})
        todo = ingest.plan(files, store.known_files(), PIPELINE_VERSION)
        outcomes = ingest.process_batch(todo.todo, ingest.BatchSettings(root=str(archive)))
        for outcome in outcomes:
            if outcome.ok:
                store.put_document(run_id, outcome.info, outcome.document, outcome.extraction)
            else:
                store.put_failure(run_id, outcome.info, outcome.exception())
        store.rebuild_graph()
        store.finish_run(run_id, ingest.count(todo, outcomes), "finished")
    return db
