"""Full-text search over documents without diacritics: the ``search`` table and its query.

Analysts type "ke hoach 45-KL/TW" as often as "Kế hoạch 45-KL/TW", so every searchable
text is stored once more *folded* (:func:`fold`): lower case, tone marks and ``đ``
dropped, spaces around the dash of a symbol closed ("21- KL/TW" → "21-kl/tw"), leading
zeros of numbers dropped ("08-CT/TW" → "8-ct/tw"), punctuation other than ``/ . -`` made
a space. The query goes through the same function, so the two always agree. DuckDB has
no full-text extension offline, and folding in SQL (``strip_accents``, regular
expressions) costs microseconds a string: ten times the Python below at ingest, and far
too much to do on every request, hence the stored ``folded`` column.

What each kind of row holds is one SQL statement (:data:`_ROWS`) over the per-file
tables: at ingest over the batch being written (registered Arrow tables, so the store
never scans its own big tables), and over the stored tables to rebuild the whole index.
The graph's nodes get one row each when the graph is rebuilt (:func:`index_nodes`), so
that documents known only from citations are found as well.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
import pyarrow as pa

# What each kind of row holds, and its weight in the ranking (a hit in the symbol counts
# more than one in an evidence sentence).
KIND_WEIGHTS: dict[str, int] = {
    "symbol": 12,  # doc_type, symbol, key
    "title": 6,
    "issuer": 4,  # issuer, place, scope
    "cited": 4,  # symbols and keys of the documents it cites
    "unit": 3,  # units it assigns tasks to
    "evidence": 1,  # the sentences its facts came from
}
SOURCE_TABLES = ("documents", "citations", "deadlines", "numbers", "assignments")
MAX_TERMS = 8


def _letters() -> dict[int, str]:
    """Every Latin letter with marks (Vietnamese included) → its bare lower-case letter."""
    table = {ord("đ"): "d", ord("Đ"): "d"}
    for cp in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        base = unicodedata.normalize("NFD", chr(cp))[0].lower()
        if "a" <= base <= "z":
            table[cp] = base
    return table


_LETTERS = _letters()
_SYMBOL_DASH = re.compile(r"(?<=[0-9])[ \t]*[-–—][ \t]*(?=[a-z])")
_PUNCT = re.compile(r"[^a-z0-9/.\n-]+")
_ZEROS = re.compile(r"(?<![0-9])0+(?=[0-9])")


def fold(text: str) -> str:
    """``text`` folded for matching (see the module docstring); every line starts and ends
    with a space, so ``" " + term`` matches the start of a word."""
    s = text.lower().translate(_LETTERS)
    s = _SYMBOL_DASH.sub("-", s)
    s = _PUNCT.sub(" ", s)
    s = _ZEROS.sub("", s)
    return " " + s.replace("\n", " \n ") + " "


def fold_letters_sql(expr: str) -> str:
    """SQL: ``expr`` in lower case without tone marks, ``đ`` → ``d`` (for a few distinct
    names, such as the units of the deadlines filter, compared with a query folded alike)."""
    return f"strip_accents(replace(lower({expr}), 'đ', 'd'))"


_ROWS = """
SELECT doc_id, path, 'symbol' AS kind, concat_ws(' ', doc_type, symbol, doc_key) AS text FROM {documents}
UNION ALL SELECT doc_id, path, 'title', title FROM {documents}
UNION ALL SELECT doc_id, path, 'issuer', concat_ws(' ', issuer, place, scope) FROM {documents}
UNION ALL SELECT doc_id, any_value(path), 'cited', string_agg(DISTINCT concat_ws(' ', symbol, key), chr(10))
  FROM {citations} GROUP BY doc_id
UNION ALL SELECT doc_id, any_value(path), 'unit', string_agg(DISTINCT unit, chr(10)) FROM {assignments} GROUP BY doc_id
UNION ALL SELECT doc_id, any_value(path), 'evidence', string_agg(DISTINCT sentence, chr(10)) FROM (
    SELECT doc_id, path, sentence FROM {citations}
    UNION ALL SELECT doc_id, path, sentence FROM {deadlines}
    UNION ALL SELECT doc_id, path, sentence FROM {numbers}
    UNION ALL SELECT doc_id, path, sentence FROM {assignments}
  ) GROUP BY doc_id
"""
# One row per graph node (kind ``node``): documents known only from citations are found too.
_NODE_ROWS = "SELECT node_id, concat_ws(' ', doc_type, key, symbol, issuer, scope) AS text FROM {nodes} ORDER BY node_id"


def index(con: duckdb.DuckDBPyConnection, sources: Mapping[str, str] | None = None) -> int:
    """Add the search rows of the documents in ``sources`` (table → relation name; the
    stored tables by default); returns how many."""
    names = {t: (sources or {}).get(t, t) for t in SOURCE_TABLES}
    rows = con.execute(
        f"SELECT doc_id, path, kind, text FROM ({_ROWS.format(**names)}) WHERE text IS NOT NULL AND trim(text) <> ''"
    ).fetchall()
    _append(con, {"doc_id": [r[0] for r in rows], "path": [r[1] for r in rows], "node_id": [None] * len(rows),
                  "kind": [r[2] for r in rows], "text": [r[3] for r in rows]})
    return len(rows)


def index_nodes(con: duckdb.DuckDBPyConnection, nodes: str = "nodes", into: str = "search", page: int = 5000) -> None:
    """Rewrite the ``node`` rows of ``into`` from the table ``nodes``, a page of nodes at a
    time: all of them at once took ~140 MB of Python objects at 100,000 documents
    (bench/RESULTS.md, "Scale and run"). The graph rebuild writes them to a scratch table
    and swaps them in with the nodes."""
    con.execute(f"DELETE FROM {into} WHERE kind = 'node'")
    with con.cursor() as reader:  # its own connection: the inserts below would end a result on ``con``
        cur = reader.execute(_NODE_ROWS.format(nodes=nodes))
        while rows := cur.fetchmany(page):
            _append(con, {"doc_id": [None] * len(rows), "path": [None] * len(rows), "node_id": [r[0] for r in rows],
                          "kind": ["node"] * len(rows), "text": [r[1] or "" for r in rows]}, into)


def _append(con: duckdb.DuckDBPyConnection, columns: dict[str, list[Any]], into: str = "search") -> None:
    if not columns["kind"]:
        return
    columns["folded"] = [fold(t) for t in columns["text"]]
    con.register("_kehoach_search", pa.table({k: pa.array(v, pa.string()) for k, v in columns.items()}))
    try:
        con.execute(f"INSERT INTO {into} (doc_id, path, node_id, kind, text, folded)"
                    " SELECT doc_id, path, node_id, kind, text, folded FROM _kehoach_search")
    finally:
        con.unregister("_kehoach_search")


def ready(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database has a complete index (a database from before migration 0003
    gets it from the next writer, e.g. the next `kehoach ingest`)."""
    found = con.execute(
        "SELECT (SELECT count(*) FROM duckdb_tables() WHERE table_name = 'search'),"
        " (SELECT count(*) FROM duckdb_tables() WHERE table_name = 'meta')").fetchall()[0]
    if not found[0]:
        return False
    return not found[1] or not con.execute("SELECT 1 FROM meta WHERE name = 'search_stale' AND value = '1'").fetchall()


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Rewrite the whole index from the stored tables (after a migration, or on demand)."""
    con.execute("DELETE FROM search")
    index(con)
    index_nodes(con)


# ------------------------------------------------------------------------ query


def parse(text: str) -> tuple[tuple[str, ...], str]:
    """Fold the query text the way the index was folded; its terms and whole phrase."""
    text = (text or "").strip()[:300]
    if not text:
        return (), ""
    folded = fold(text)
    terms = tuple(dict.fromkeys(t.strip(".-") for t in folded.split() if t.strip(".-/")))[:MAX_TERMS]
    return terms, " ".join(folded.split())


SHORT_TERM = 2  # terms this short must start a word ("ke" does not match "ket")


def needle(term: str) -> str:
    """What a folded term is looked for as: a short term at the start of a word, any
    other anywhere ("kh/tu" in "51-kh/tu"). Vietnamese words are single syllables, so a
    longer term inside a word is rare, and a needle starting with a space is several
    times slower to find (a space starts every word)."""
    return " " + term if len(term) <= SHORT_TERM and "/" not in term else term


def term_sql(term: str) -> tuple[str, str]:
    """(SQL condition on ``folded``, its parameter) for one folded term (:func:`needle`)."""
    return "contains(folded, ?)", needle(term)


def best_line(text: str, folded: str, terms: Sequence[str]) -> tuple[str, int]:
    """The line of ``text`` whose folded line holds the most terms, and how many."""
    best, hits = "", 0
    for line, flat in zip(text.split("\n"), folded.split("\n")):
        n = sum(needle(t) in f" {flat} " for t in terms)
        if n > hits:
            best, hits = line, n
    return best, hits


def matches_sql(terms: Sequence[str], phrase: str, table: str = "search",
                kinds: Sequence[str] = tuple(KIND_WEIGHTS)) -> tuple[str, list[Any]]:
    """Per document: whether every term matched somewhere (in rows of ``kinds``), and a
    relevance score.

    Returns SQL yielding ``(doc_id, score)`` for the documents matching all terms. The
    most selective term (a symbol, else the longest word) is looked for first, so the
    other terms are only tried on the documents holding it.
    """
    conds = [term_sql(t) for t in terms]
    pivot = max(terms, key=lambda t: (any(c.isdigit() or c == "/" for c in t), len(t)))
    weights = " ".join(f"WHEN '{k}' THEN {w}" for k, w in KIND_WEIGHTS.items())
    cols = ", ".join(f"{c} AS m{i}" for i, (c, _) in enumerate(conds))
    any_hit = " OR ".join(f"m{i}" for i in range(len(conds)))
    all_hit = " AND ".join(f"bool_or(m{i})" for i in range(len(conds)))
    hits = " + ".join(f"m{i}::INT" for i in range(len(conds)))
    sql = f"""
        SELECT doc_id, sum(w * ({hits})) + 20 * bool_or(ph)::INT AS score
        FROM (SELECT doc_id, CASE kind {weights} ELSE 1 END AS w, {cols}, contains(folded, ?) AS ph FROM {table}
              WHERE list_contains(?, kind)
                AND doc_id IN (SELECT doc_id FROM {table} WHERE list_contains(?, kind) AND contains(folded, ?)))
        WHERE {any_hit}
        GROUP BY doc_id HAVING {all_hit}
    """
    return sql, [p for _, p in conds] + [phrase, list(kinds), list(kinds), needle(pivot)]


__all__ = ["KIND_WEIGHTS", "SOURCE_TABLES", "best_line", "fold", "fold_letters_sql", "index", "index_nodes",
           "matches_sql", "needle", "parse", "ready", "rebuild", "term_sql"]
