"""Reading the store for the reports: SQL aggregates, each document once, labels, bounded crosstabs.

Every report function goes through these helpers, so that a store without a table yet
gives empty results instead of errors, a document present in several formats (one graph
node, several files) counts once, and what reaches pandas is the size of the answer.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
import pandas as pd

from pipeline.queries import representative_sql

# Administrative levels from the top down (``pipeline.resolve`` writes them); levels not
# listed here are placed after these, alphabetically.
LEVEL_ORDER: tuple[str, ...] = ("central", "province", "district", "commune", "unit", "unknown")
CENTRAL = "central"
NONE_LABEL = "(không rõ)"  # a plan whose directive could not be traced

Connection = duckdb.DuckDBPyConnection


def open_db(path: str | os.PathLike[str]) -> Connection:
    """Open the store read-only, so a notebook never blocks or alters an ingest run
    (and without DuckDB's progress bar, which would print into the ingest's output)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        con.execute("SET enable_progress_bar = false")
    except duckdb.InvalidInputException:  # in Jupyter DuckDB refuses the setting without ipywidgets; no bar shows there
        pass
    return con


def has_table(con: Connection, table: str) -> bool:
    row = con.execute(
        "select count(*) from information_schema.tables where table_name = ?", [table]
    ).fetchone()
    return bool(row and row[0])


def frame(con: Connection, table: str) -> pd.DataFrame:
    """A whole table as a DataFrame; an empty frame when the table does not exist yet."""
    if not has_table(con, table):
        return pd.DataFrame()
    return con.execute(f'select * from "{table}"').df()


def result_frame(result: Any) -> pd.DataFrame:
    """A ``pipeline.queries.Result`` (columns + dict rows) as a DataFrame."""
    return pd.DataFrame(result.rows, columns=list(result.columns))


def missing(value: Any) -> bool:
    """None/NaN/NaT, without choking on the list values of array columns."""
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def text(value: Any) -> str | None:
    return None if missing(value) or value == "" else str(value)


def level_rank(level: str) -> tuple[int, str]:
    return (LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER), level)


def levels_sorted(levels: Any) -> list[str]:
    return sorted({t for t in map(text, levels) if t}, key=level_rank)


# SQL common table expressions over ``documents``: ``once`` holds one doc_id per real
# document (live files only; the renders of a node collapse to the best-read one, as
# ``pipeline.queries.FORMAT_PREFERENCE`` says), ``labelled`` a human label per doc_id
# (the node's label where the graph is built: it carries the scope, so two provinces'
# 57-KH/TU stay apart; else ``symbol (date)``; else the file name).
DOCS_CTE = f"""
once AS (
    SELECT doc_id FROM (
        SELECT d.doc_id, row_number() OVER (
            PARTITION BY coalesce(d.node_id, d.doc_id) ORDER BY {representative_sql("d")}) AS pick
        FROM documents d
        WHERE d.path NOT IN (SELECT path FROM files WHERE status = 'deleted')
    ) WHERE pick = 1
),
labelled AS (
    SELECT d.doc_id, coalesce(
        nullif(n.label, ''),
        nullif(d.symbol, '') || coalesce(' (' || left(d.date::VARCHAR, 10) || ')', ''),
        regexp_extract(d.path, '[^/]*$')) AS label
    FROM documents d LEFT JOIN nodes n ON n.node_id = d.node_id
)"""
DOC_TABLES = ("documents", "files", "nodes")


def query(
    con: Connection, sql: str, params: Mapping[str, Any] | None = None, *,
    tables: Sequence[str] = DOC_TABLES, columns: Sequence[str] = (),
) -> pd.DataFrame:
    """``sql`` as a DataFrame, or an empty one with ``columns`` while one of ``tables`` is missing.

    The reports aggregate in DuckDB and fetch only what they show, so their memory
    follows the size of the answer, not of the archive.
    """
    if not all(has_table(con, t) for t in tables):
        return pd.DataFrame(columns=list(columns))
    used = set(re.findall(r"\$(\w+)", sql))  # DuckDB refuses parameters the SQL does not name
    return con.execute(sql, {k: v for k, v in (params or {}).items() if k in used}).df()


def representative_docs(con: Connection) -> set[str]:
    """One doc_id per real document: the renders of a node collapse to the best-read file."""
    rows = query(con, f"WITH {DOCS_CTE} SELECT doc_id FROM once", columns=["doc_id"])
    return set(rows["doc_id"].astype(str))


def doc_labels(con: Connection) -> dict[str, str]:
    """doc_id → a human label, unique per real document (see :data:`DOCS_CTE`)."""
    rows = query(con, f"WITH {DOCS_CTE} SELECT doc_id, label FROM labelled", columns=["doc_id", "label"])
    return dict(zip(rows["doc_id"].astype(str), rows["label"]))


def top_crosstab(
    con: Connection, counts: str, params: Mapping[str, Any] | None = None, *,
    names: tuple[str, str], others: tuple[str, str], top_rows: int | None = None,
    top_cols: int | None = None, tables: Sequence[str] = DOC_TABLES, plans: str | None = None,
) -> pd.DataFrame:
    """A crosstab summed in DuckDB: the ``top_rows`` largest rows and ``top_cols`` largest columns.

    ``counts`` is SQL yielding ``(r, c, n)`` rows (``r`` and ``c`` not null). Rows
    (columns) beyond the top are summed into one named by ``others``, so a
    100,000-plan archive gives a table an analyst can read, at the memory of a small
    one's; ``None`` keeps all. Rows and columns come sorted, ``others`` last; ``attrs``
    holds how many distinct rows and columns there were (``rows``, ``cols``). An empty
    frame when there is nothing to count. ``plans`` (``"index"`` or ``"columns"``) names
    the axis holding doc_ids, labelled after bounding (:func:`_label_plans`).
    """
    big = 2**62
    bound = {"top_r": top_rows or big, "top_c": top_cols or big, "other_r": others[0], "other_c": others[1]}
    ranks = "SELECT {k}, row_number() OVER (ORDER BY sum(n) DESC, {k}) AS rank FROM counts GROUP BY {k}"
    sql = f"""
    WITH counts AS ({counts}), rr AS ({ranks.format(k="r")}), cr AS ({ranks.format(k="c")})
    SELECT CASE WHEN rr.rank <= $top_r THEN counts.r ELSE $other_r END AS r,
           CASE WHEN cr.rank <= $top_c THEN counts.c ELSE $other_c END AS c,
           sum(counts.n)::BIGINT AS n, (SELECT count(*) FROM rr) AS rows, (SELECT count(*) FROM cr) AS cols
    FROM counts JOIN rr USING (r) JOIN cr USING (c)
    GROUP BY ALL
    """
    cells = query(con, sql, {**(params or {}), **bound}, tables=tables, columns=["r", "c", "n"])
    if cells.empty:
        return pd.DataFrame()
    table = cells.pivot(index="r", columns="c", values="n").fillna(0).astype("int64")
    if plans:
        table = _label_plans(con, table, plans, others)
    table = table.loc[_others_last(table.index, others[0]), _others_last(table.columns, others[1])]
    table.index.name, table.columns.name = names
    table.attrs = {"rows": int(cells["rows"].iloc[0]), "cols": int(cells["cols"].iloc[0])}
    return table


def _label_plans(con: Connection, table: pd.DataFrame, axis: str, others: tuple[str, str]) -> pd.DataFrame:
    """The doc_ids of one axis replaced by their labels, looked up for the kept plans only:
    labelling every document before counting cost as much memory as the count itself.
    Two documents of one label are summed, as a crosstab by label would."""
    flipped = table.T if axis == "columns" else table
    keys = [k for k in flipped.index if k not in others]
    labels = dict(con.execute(
        f"WITH {DOCS_CTE} SELECT doc_id, label FROM labelled WHERE doc_id IN (SELECT unnest($keys))", {"keys": keys}
    ).fetchall())
    flipped = flipped.groupby(lambda key: labels.get(key, key)).sum()
    return flipped.T if axis == "columns" else flipped


def _others_last(labels: Any, other: str) -> list[Any]:
    return sorted(labels, key=lambda v: (v == other, v))
