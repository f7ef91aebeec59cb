"""Reading the store's tables for the reports: whole tables, each document once, labels.

Every report function goes through these helpers, so that a store written by an older
version (a missing table or column) gives empty results instead of errors, and a
document present in several formats (one graph node, several files) counts once.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from pipeline.queries import FORMAT_PREFERENCE

# Administrative levels from the top down (``pipeline.resolve`` writes them); levels not
# listed here are placed after these, alphabetically.
LEVEL_ORDER: tuple[str, ...] = ("central", "province", "district", "commune", "unit", "unknown")
CENTRAL = "central"
NONE_LABEL = "(không rõ)"  # a plan whose directive could not be traced

Connection = duckdb.DuckDBPyConnection


def open_db(path: str | os.PathLike[str]) -> Connection:
    """Open the store read-only, so a notebook never blocks or alters an ingest run."""
    return duckdb.connect(str(path), read_only=True)


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


def column(df: pd.DataFrame, name: str) -> pd.Series:
    """A column, or a column of missing values when an older store lacks it."""
    if name in df.columns:
        return df[name]
    return pd.Series([None] * len(df), index=df.index, dtype="object")


def missing(value: Any) -> bool:
    """None/NaN/NaT, without choking on the list values of array columns."""
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def text(value: Any) -> str | None:
    return None if missing(value) or value == "" else str(value)


def level_rank(level: str) -> tuple[int, str]:
    return (LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER), level)


def levels_sorted(levels: Any) -> list[str]:
    return sorted({t for t in map(text, levels) if t}, key=level_rank)


def live_documents(con: Connection) -> pd.DataFrame:
    """Documents whose file is still in the archive (not marked deleted)."""
    docs = frame(con, "documents")
    files = frame(con, "files")
    if docs.empty or files.empty or "path" not in docs.columns:
        return docs
    deleted = set(files.loc[column(files, "status") == "deleted", "path"])
    return docs[~docs["path"].isin(deleted)]


def representative_docs(con: Connection) -> set[str]:
    """One doc_id per real document: the renders of a node collapse to the best-read file."""
    docs = live_documents(con)
    if docs.empty:
        return set()
    ranked = docs.assign(
        _node=column(docs, "node_id").fillna(docs["doc_id"]),
        _ocr=column(docs, "ocr_used").fillna(False).astype(bool),
        _fmt=[FORMAT_PREFERENCE.index(f) if f in FORMAT_PREFERENCE else 99 for f in column(docs, "format")],
    ).sort_values(["_node", "_ocr", "_fmt", "path"])
    return set(ranked.drop_duplicates("_node")["doc_id"].astype(str))


def per_document(con: Connection, table: str) -> pd.DataFrame:
    """A per-document table, each real document counted once (see FORMAT_PREFERENCE)."""
    rows = frame(con, table)
    if rows.empty:
        return rows
    return rows[rows["doc_id"].astype(str).isin(representative_docs(con))]


def doc_labels(con: Connection) -> dict[str, str]:
    """doc_id → a human label, unique per real document.

    The graph node's label where the graph has been built (it carries the scope:
    ``57-KH/TU@2022-01-24 (Hà Tĩnh)`` and Phú Yên's 57-KH/TU stay apart), else
    ``symbol (date)``, else the file name.
    """
    docs = frame(con, "documents")
    nodes = frame(con, "nodes")
    node_labels = dict(zip(column(nodes, "node_id"), column(nodes, "label")))
    labels: dict[str, str] = {}
    for doc_id, node, symbol, day, path in zip(
        column(docs, "doc_id"), column(docs, "node_id"), column(docs, "symbol"), column(docs, "date"),
        column(docs, "path"),
    ):
        symbol, day = text(symbol), text(day)
        if text(node_labels.get(node)):
            labels[str(doc_id)] = str(node_labels[node])
        elif symbol:
            labels[str(doc_id)] = f"{symbol} ({day[:10]})" if day else symbol
        else:
            labels[str(doc_id)] = Path(str(path)).name
    return labels


def doc_nodes(con: Connection) -> dict[str, str]:
    """doc_id → node_id, from ``documents.node_id`` (set when the graph is rebuilt)."""
    docs = frame(con, "documents")
    return {
        str(d): str(n) for d, n in zip(column(docs, "doc_id"), column(docs, "node_id")) if not missing(n)
    }
