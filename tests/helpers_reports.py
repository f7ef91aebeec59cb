"""Freshly built tables for the report and notebook tests.

The database is built the way ``kehoach ingest`` builds it, minus Prefect: the store
helper's related-plans archive (four levels, two provinces) goes in through
``pipeline.testing.load_archive``, then the ingest core reads and extracts real plan
texts (the shared corpus) and two bad files into the same store.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline import ingest
from pipeline.store import Store
from pipeline.testing import load_archive


def make_archive(root: Path, corpus: Path) -> Path:
    """A small archive: the corpus plans in a sub-folder, an empty file, an unsupported one."""
    plans = root / "corpus"
    plans.mkdir(parents=True)
    for text in sorted(corpus.glob("*.txt")):
        shutil.copy(text, plans / text.name)
    (root / "empty.txt").write_bytes(b"")
    (root / "notes.xyz").write_bytes(b"\x00\x01 not a document")
    return root


def build_db(archive: Path, db: Path) -> Path:
    """A new DuckDB file at ``db``: the related-plans archive, then ``archive`` ingested."""
    with Store(db) as store:
        load_archive(store)
        run_id = store.begin_run(str(archive), {"test": "reports"})
        todo = ingest.plan(ingest.discover(archive), {}, "test")
        outcomes = ingest.process_batch(todo.todo, ingest.BatchSettings(root=str(archive)))
        for outcome in outcomes:
            if outcome.ok:
                store.put_document(run_id, outcome.info, outcome.document, outcome.extraction)
            else:
                store.put_failure(run_id, outcome.info, outcome.exception())
        store.rebuild_graph()
        store.finish_run(run_id, ingest.count(todo, outcomes), "ok")
    return db
