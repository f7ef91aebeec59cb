"""The DuckDB schema as named migrations, applied in order and recorded in ``_migrations``.

Append a new ``(name, sql)`` pair to change the schema; never edit an applied one
(sqlite-utils' ``migrations.py`` does the same). Column meanings are in the README (section Tables).
"""

from __future__ import annotations

INITIAL = """
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY,
    archive VARCHAR,
    started_at TIMESTAMP,
    finished_at TIMESTAMP,
    status VARCHAR,              -- running | ok | finished_with_failures | interrupted | crashed
    new INTEGER, changed INTEGER, unchanged INTEGER, failed INTEGER, deleted INTEGER,
    pipeline_version VARCHAR,
    params JSON
);

CREATE TABLE IF NOT EXISTS files (
    path VARCHAR PRIMARY KEY,
    sha256 VARCHAR,
    size BIGINT,
    mtime DOUBLE,
    format VARCHAR,
    status VARCHAR,              -- ok | failed | deleted
    error_reason VARCHAR,        -- pipeline.errors.Reason value when failed
    error_message VARCHAR,
    pipeline_version VARCHAR,
    doc_id VARCHAR,
    run_id VARCHAR,
    updated_at TIMESTAMP
);

CREATE TABLE IF NOT EXISTS documents (
    doc_id VARCHAR PRIMARY KEY,  -- one per file (renders of one document share node_id)
    path VARCHAR,
    stem VARCHAR,
    doc_key VARCHAR,             -- SCHEMA.md key of the document's own symbol/date
    node_id VARCHAR,             -- graph identity, set by rebuild_graph
    doc_type VARCHAR,
    symbol VARCHAR,
    number VARCHAR,
    type_code VARCHAR,
    issuer_code VARCHAR,
    issuer VARCHAR,
    place VARCHAR,
    date DATE,
    title VARCHAR,
    scope VARCHAR,
    level VARCHAR,
    implements VARCHAR[],
    signer_on_behalf VARCHAR,
    signer_position VARCHAR,
    signer_name VARCHAR,
    recipients VARCHAR[],
    format VARCHAR,
    sha256 VARCHAR,
    ocr_used BOOLEAN,
    ocr_confidence DOUBLE,
    text_chars INTEGER,
    run_id VARCHAR
);

CREATE TABLE IF NOT EXISTS citations (
    doc_id VARCHAR,
    path VARCHAR,
    ordinal INTEGER,
    key VARCHAR,
    doc_type VARCHAR,
    symbol VARCHAR,
    number VARCHAR,
    type_code VARCHAR,
    issuer_code VARCHAR,
    date DATE,
    year INTEGER,
    issuer VARCHAR,
    resolved BOOLEAN,
    implements BOOLEAN,          -- the citing document says it carries this one out
    carries_out VARCHAR[],       -- keys this cited document itself carries out, per the text
    mentions INTEGER,
    start INTEGER,               -- first mention, offsets into the normalised text
    "end" INTEGER,
    mention_text VARCHAR,
    sentence VARCHAR,            -- evidence
    mention_starts INTEGER[],
    target_node VARCHAR          -- set by rebuild_graph
);

CREATE TABLE IF NOT EXISTS deadlines (
    doc_id VARCHAR, path VARCHAR, ordinal INTEGER,
    text VARCHAR, start_date DATE, end_date DATE,
    recurring BOOLEAN, period VARCHAR, kind VARCHAR,
    "offset" INTEGER, sentence VARCHAR
);

CREATE TABLE IF NOT EXISTS numbers (
    doc_id VARCHAR, path VARCHAR, ordinal INTEGER,
    text VARCHAR, value DOUBLE, unit VARCHAR, counted VARCHAR, qualifier VARCHAR,
    kind VARCHAR, "offset" INTEGER, sentence VARCHAR
);

CREATE TABLE IF NOT EXISTS assignments (
    doc_id VARCHAR, path VARCHAR, ordinal INTEGER,
    unit VARCHAR, role VARCHAR, task VARCHAR, deadline VARCHAR,
    deadline_start DATE, deadline_end DATE,
    "offset" INTEGER, sentence VARCHAR
);

CREATE TABLE IF NOT EXISTS nodes (
    node_id VARCHAR PRIMARY KEY,
    key VARCHAR, label VARCHAR, doc_type VARCHAR, symbol VARCHAR,
    date DATE, year INTEGER, issuer VARCHAR, issuer_code VARCHAR, type_code VARCHAR,
    scope VARCHAR, level VARCHAR,
    in_archive BOOLEAN, ambiguous BOOLEAN, candidates INTEGER,
    doc_ids VARCHAR[], title VARCHAR
);

CREATE TABLE IF NOT EXISTS edges (
    edge_id VARCHAR PRIMARY KEY,
    source VARCHAR, target VARCHAR,
    type VARCHAR,                -- implements | cites
    count INTEGER,
    evidence VARCHAR,
    inferred BOOLEAN,
    doc_ids VARCHAR[]
);

CREATE TABLE IF NOT EXISTS meta (name VARCHAR PRIMARY KEY, value VARCHAR);
"""

# Structure and text: the zone each fact came from, each document's zones, and the
# normalised text (contact details masked at the same length, so offsets still hold)
# for pages that show a fact in its place.
ZONES_AND_TEXTS = """
ALTER TABLE citations ADD COLUMN zone VARCHAR;
ALTER TABLE deadlines ADD COLUMN zone VARCHAR;
ALTER TABLE numbers ADD COLUMN zone VARCHAR;
ALTER TABLE assignments ADD COLUMN zone VARCHAR;

CREATE TABLE IF NOT EXISTS zones (
    doc_id VARCHAR, path VARCHAR, ordinal INTEGER,
    kind VARCHAR,                -- pipeline.models.ZONE_KINDS
    start INTEGER, "end" INTEGER, -- offsets into the normalised text
    label VARCHAR, parent INTEGER, page INTEGER
);

CREATE TABLE IF NOT EXISTS texts (
    doc_id VARCHAR, path VARCHAR,
    text VARCHAR                 -- normalised text; e-mails/phones masked, same length
);
"""

# Search and the web pages: folded text per document and kind (pipeline/search.py; filled
# by the ingest, rebuilt by the next writer after this migration), and the end of every
# citation mention so a page can mark each one, not only the first.
SEARCH = """
CREATE TABLE IF NOT EXISTS search (
    doc_id VARCHAR, path VARCHAR,
    node_id VARCHAR,             -- rows of kind 'node' (one per graph node; doc_id and path null)
    kind VARCHAR,                -- symbol | title | issuer | cited | unit | evidence | node
    text VARCHAR,                -- as stored in the source columns (masked), lines joined
    folded VARCHAR               -- pipeline.search.fold(text)
);
ALTER TABLE citations ADD COLUMN mention_ends INTEGER[];
INSERT OR REPLACE INTO meta VALUES ('search_stale', '1');
"""

MIGRATIONS: tuple[tuple[str, str], ...] = (
    ("0001_initial", INITIAL),
    ("0002_zones_and_texts", ZONES_AND_TEXTS),
    ("0003_search", SEARCH),
)

# Tables holding rows of one file each (deleted and re-inserted per file).
PER_FILE_TABLES = ("documents", "citations", "deadlines", "numbers", "assignments", "zones", "texts", "search")
# Everything exported to Parquet (``search`` is an index derived from the others).
EXPORT_TABLES = ("documents", "citations", "deadlines", "numbers", "assignments", "zones", "texts",
                 "nodes", "edges", "files", "runs")
