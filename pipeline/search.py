"""Full-text search over documents without diacritics: the ``search`` table and its query.

Analysts type "ke hoach 21-KL/TW" as often as "Kế hoạch 21-KL/TW", so every searchable
text is stored once more *folded*: lower case, tone marks and ``đ`` dropped, spaces
around the dash of a symbol closed ("21- KL/TW" → "21-kl/tw"), leading zeros of numbers
dropped ("05-CT/TW" → "5-ct/tw"), punctuation other than ``/ . -`` turned into spaces.
The folding is one SQL expression (:func:`fold_sql`), used both when the rows are built
and on the query, so the two always agree; DuckDB has no FTS extension offline.

Rows are built by one SQL statement (:func:`index_sql`) over the per-file tables: at
ingest over the batch being written (registered Arrow tables, so the store never scans
its own big tables), and over the stored tables to rebuild the whole index. The graph's
nodes get one row each when the graph is rebuilt (:func:`index_nodes`), so that
documents known only from citations are found as well. Folding on the fly costs a few
microseconds a string (``strip_accents``, the regular expressions): too much for tens of
thousands of rows per request, hence the stored ``folded`` column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import duckdb

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


def fold_letters_sql(expr: str) -> str:
    """SQL: ``expr`` in lower case without tone marks, ``đ`` → ``d`` (names, units)."""
    return f"strip_accents(replace(lower({expr}), 'đ', 'd'))"


def fold_sql(expr: str) -> str:
    """SQL that folds ``expr`` for matching (see the module docstring); padded with spaces
    so that ``' ' || term`` matches the start of a word."""
    s = fold_letters_sql(expr)
    s = rf"regexp_replace({s}, '([0-9])[ \t]*[-–—][ \t]*([a-z])', '\1-\2', 'g')"
    s = rf"regexp_replace({s}, '[^a-z0-9/.\n-]+', ' ', 'g')"
    s = rf"regexp_replace({s}, '(^|[^0-9])0+([0-9])', '\1\2', 'g')"
    s = rf"replace({s}, chr(10), ' ' || chr(10) || ' ')"  # each line starts and ends with a space
    return f"(' ' || {s} || ' ')"


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


def rows_sql(sources: Mapping[str, str] | None = None) -> str:
    """The search rows ``(doc_id, path, kind, text, folded)`` of ``sources`` (table →
    relation name; the stored tables by default)."""
    names = {t: (sources or {}).get(t, t) for t in SOURCE_TABLES}
    return (
        f"SELECT doc_id, path, kind, text, {fold_sql('text')} AS folded FROM ({_ROWS.format(**names)}) "
        "WHERE text IS NOT NULL AND trim(text) <> ''"
    )


def index_sql(sources: Mapping[str, str] | None = None) -> str:
    """``INSERT INTO search`` of the rows of ``sources`` (see :func:`rows_sql`)."""
    return f"INSERT INTO search (doc_id, path, kind, text, folded) {rows_sql(sources)}"


# One row per graph node (kind ``node``): documents known only from citations are found too.
_NODE_ROWS = "SELECT node_id, 'node' AS kind, concat_ws(' ', doc_type, key, symbol, issuer, scope) AS text FROM nodes"


def index_nodes(con: duckdb.DuckDBPyConnection) -> None:
    """Rewrite the ``node`` rows (``Store.rebuild_graph`` calls it after rewriting the nodes)."""
    con.execute("DELETE FROM search WHERE kind = 'node'")
    con.execute(f"INSERT INTO search (node_id, kind, text, folded) SELECT node_id, kind, text, {fold_sql('text')}"
                f" FROM ({_NODE_ROWS})")


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Rewrite the whole index from the stored tables (after a migration, or on demand)."""
    con.execute("DELETE FROM search")
    con.execute(index_sql())
    index_nodes(con)


# ------------------------------------------------------------------------ query


def parse(con: duckdb.DuckDBPyConnection, text: str) -> tuple[tuple[str, ...], str]:
    """Fold the query text the way the index was folded; its terms and whole phrase."""
    text = (text or "").strip()[:300]
    if not text:
        return (), ""
    folded = con.execute(f"SELECT {fold_sql('?')}", [text]).fetchall()[0][0]
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


__all__ = ["KIND_WEIGHTS", "SOURCE_TABLES", "best_line", "fold_letters_sql", "fold_sql", "index_nodes", "index_sql",
           "matches_sql", "needle",
           "parse", "rebuild", "rows_sql", "term_sql"]
