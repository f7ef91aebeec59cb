"""What each page of the web explorer shows, as plain dicts (also its ``?format=json``).

Every function takes a read-only DuckDB connection and answers from the stored tables:
nothing here writes, re-reads the archive or rebuilds the graph. One real document held
in several formats (one graph node, several files) is listed once, under its best render
(``pipeline.queries.representative_sql``); its other renders are listed on its page.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import duckdb

from pipeline import search
from pipeline.normalise import fold_tones
from pipeline.queries import fetch, representative_sql
from pipeline.web import highlight, trees
from pipeline.web.highlight import Mark

PER_PAGE = 20
FACETS = ("doc_type", "level", "issuer", "year")
FACET_SIZE = 12


def status(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """What the footer and the notes say: the last run, and whether derived tables lag."""
    stale = con.execute("SELECT value FROM meta WHERE name = 'graph_stale'").fetchall()
    last = fetch(con, "SELECT run_id, status, started_at, finished_at FROM runs ORDER BY started_at DESC LIMIT 1").rows
    return {
        "last_run": last[0] if last else None,
        "graph_stale": bool(stale and stale[0][0] == "1"),
        "search_ready": search.ready(con),
    }


# --------------------------------------------------------------------- search


def _filters(params: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in FACETS:
        value = (params.get(name) or "").strip() if isinstance(params.get(name), str) else params.get(name)
        if value in (None, ""):
            continue
        if name == "year":
            try:
                value = int(value)
            except (TypeError, ValueError):
                continue
        out[name] = value
    return out


def _where(filters: Mapping[str, Any], skip: str | None = None) -> tuple[str, list[Any]]:
    conds, params = ["TRUE"], []
    for name, value in filters.items():
        if name == skip:
            continue
        conds.append(f"{name} IS NOT DISTINCT FROM ?")
        params.append(value)
    return " AND ".join(conds), params


def search_page(con: duckdb.DuckDBPyConnection, params: Mapping[str, Any]) -> dict[str, Any]:
    """Documents matching the words of ``q`` (all of them, diacritics optional), filtered
    by type, level, issuer and year, with facet counts and one page of results."""
    q = str(params.get("q") or "").strip()
    filters = _filters(params)
    page = max(1, _int(params.get("page"), 1))
    terms, phrase = search.parse(q)
    ready = search.ready(con)
    if terms and ready:
        matched, args = search.matches_sql(terms, phrase)
    elif terms:  # a database from before the search index: nothing can be found until an ingest builds it
        matched, args = "SELECT doc_id, 0 AS score FROM documents WHERE false", []
    else:
        matched, args = "SELECT doc_id, 0 AS score FROM documents", []
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE hits AS
        WITH m AS ({matched}),
        d AS (SELECT coalesce(d.node_id, d.doc_id) AS node, m.score, d.format,
                     {{'doc_id': d.doc_id, 'doc_type': d.doc_type, 'level': d.level, 'issuer': d.issuer,
                       'year': year(d.date), 'date': d.date}} AS r, {representative_sql('d')} AS k
              FROM m JOIN documents d USING (doc_id))
        SELECT node, score, r.*, formats FROM (
            SELECT node, max(score) AS score, arg_min(r, k) AS r, list(DISTINCT format ORDER BY format) AS formats
            FROM d GROUP BY node)""",
        args,
    )
    where, wargs = _where(filters)
    total = con.execute(f"SELECT count(*) FROM hits WHERE {where}", wargs).fetchall()[0][0]
    pages = max(1, math.ceil(total / PER_PAGE))
    page = min(page, pages)
    results = fetch(
        con,
        f"""SELECT h.node, h.doc_id, h.score, h.formats, d.doc_type, d.symbol, d.date, d.issuer, d.level, d.title,
                   d.scope, n.label, n.node_id
            FROM (SELECT * FROM hits WHERE {where}) h JOIN documents d USING (doc_id)
            LEFT JOIN nodes n ON n.node_id = d.node_id
            ORDER BY h.score DESC, h.date DESC NULLS LAST, d.symbol NULLS LAST, h.doc_id
            LIMIT {PER_PAGE} OFFSET {(page - 1) * PER_PAGE}""",
        wargs,
    ).rows
    if ready:
        _add_snippets(con, results, terms)
    facets = {}
    for name in FACETS:
        fw, fargs = _where(filters, skip=name)
        order = "value DESC" if name == "year" else "n DESC, value"
        facets[name] = fetch(
            con,
            f"SELECT {name} AS value, count(*) AS n FROM hits WHERE {fw} AND {name} IS NOT NULL"
            f" GROUP BY 1 ORDER BY {order} LIMIT {FACET_SIZE}",
            fargs,
        ).rows
    cited = _cited_nodes(con, terms) if terms and page == 1 and ready else []
    return {
        "q": q, "terms": list(terms), "filters": filters, "page": page, "pages": pages, "per_page": PER_PAGE,
        "total": total, "results": results, "facets": facets, "cited": cited, "index_ready": ready,
    }


def _add_snippets(con: duckdb.DuckDBPyConnection, results: list[dict[str, Any]], terms: tuple[str, ...]) -> None:
    """For each result, the line (evidence sentence, unit, title) holding the most terms."""
    for r in results:
        r["snippet"], r["snippet_kind"] = None, None
    if not terms or not results:
        return
    rows = con.execute(
        f"""SELECT doc_id, kind, text, folded FROM search
            WHERE kind IN ('evidence', 'unit', 'title') AND doc_id IN (SELECT unnest(?::VARCHAR[]))""",
        [[r["doc_id"] for r in results]],
    ).fetchall()
    best: dict[str, tuple[int, str, str]] = {}
    for doc_id, kind, text, folded in rows:
        line, hits = search.best_line(text, folded, terms)
        if hits and hits > best.get(doc_id, (0, "", ""))[0]:
            best[doc_id] = (hits, line, kind)
    for r in results:
        if r["doc_id"] in best:
            _, r["snippet"], r["snippet_kind"] = best[r["doc_id"]]


def _cited_nodes(con: duckdb.DuckDBPyConnection, terms: tuple[str, ...], limit: int = 8) -> list[dict[str, Any]]:
    """Documents known only from citations (not in the archive) whose key or issuer matches."""
    conds = [search.term_sql(t) for t in terms]
    found = con.execute(
        f"""SELECT s.node_id FROM search s JOIN nodes n USING (node_id)
            WHERE s.kind = 'node' AND NOT n.in_archive AND {" AND ".join(c for c, _ in conds)}""",
        [p for _, p in conds],
    ).fetchall()
    if not found:
        return []
    counts = dict(con.execute(
        f"""SELECT target, count(*) FROM edges WHERE type = 'implements' AND target IN {trees.IN_LIST} GROUP BY 1""",
        [[r[0] for r in found]]).fetchall())
    best = sorted((r[0] for r in found), key=lambda n: -counts.get(n, 0))[:limit]
    nodes = trees.node_rows(con, best)
    return [{**nodes[n], "implementers": counts.get(n, 0)} for n in best if n in nodes]


def _int(value: Any, default: int) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default


# ------------------------------------------------------------------- home


def home_page(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The numbers of the archive, the newest documents and the most carried-out directives."""
    counts = fetch(
        con,
        """SELECT (SELECT count(*) FROM files WHERE status = 'ok') AS files_ok,
                  (SELECT count(*) FROM files WHERE status = 'failed') AS files_failed,
                  (SELECT count(DISTINCT coalesce(node_id, doc_id)) FROM documents) AS documents,
                  (SELECT count(*) FROM nodes WHERE NOT in_archive) AS cited_only,
                  (SELECT count(*) FROM edges WHERE type = 'implements') AS implements_edges""",
    ).rows[0]
    newest = fetch(
        con,
        f"""SELECT arg_min(d.doc_id, {representative_sql('d')}) AS doc_id, any_value(d.doc_type) AS doc_type,
                   any_value(d.symbol) AS symbol, max(d.date) AS date, any_value(d.issuer) AS issuer,
                   any_value(d.level) AS level, any_value(d.title) AS title
            FROM documents d GROUP BY coalesce(d.node_id, d.doc_id)
            ORDER BY date DESC NULLS LAST LIMIT 10""",
    ).rows
    return {"counts": counts, "newest": newest, "directives": top_directives(con)}


def top_directives(con: duckdb.DuckDBPyConnection, limit: int = 10) -> list[dict[str, Any]]:
    """The documents most often carried out (by the most distinct implementing documents)."""
    counts = con.execute(
        f"""SELECT target, count(DISTINCT source) AS n FROM edges WHERE type = 'implements'
            GROUP BY target ORDER BY n DESC, target LIMIT {int(limit)}""").fetchall()
    nodes = trees.node_rows(con, [t for t, _ in counts])
    return [{**nodes[t], "implementers": n} for t, n in counts if t in nodes]


# --------------------------------------------------------------- document


def document_page(con: duckdb.DuckDBPyConnection, doc_id: str) -> dict[str, Any] | None:
    """One file's document: header, renders, text with every fact marked, trees up and down."""
    found = fetch(
        con,
        """SELECT d.*, n.label, n.key, f.status AS file_status, f.size, f.updated_at
           FROM documents d LEFT JOIN nodes n ON n.node_id = d.node_id LEFT JOIN files f USING (path)
           WHERE d.doc_id = ?""",
        [doc_id],
    ).rows
    if not found:
        return None
    doc = found[0]
    node = doc["node_id"]
    renders = fetch(
        con,
        f"""SELECT d.doc_id, d.path, d.format, d.ocr_used, d.ocr_confidence, d.text_chars, f.status, f.size
            FROM documents d LEFT JOIN files f USING (path)
            WHERE coalesce(d.node_id, d.doc_id) = ? ORDER BY {representative_sql('d')}""",
        [node or doc_id],
    ).rows
    rows = con.execute("SELECT text FROM texts WHERE doc_id = ?", [doc_id]).fetchall()
    text = rows[0][0] if rows and rows[0][0] is not None else ""
    facts, marks = _facts(con, doc_id, text)
    outline = _outline(con, doc_id, text)
    marks += [Mark(z["start"], z["start"], "zone", z["ref"]) for z in outline]
    up = trees.tree(con, node, "up") if node else None
    down = trees.tree(con, node, "down", limit=300) if node else None
    return {
        "doc": doc, "renders": renders, "text_chars": len(text), "has_text": bool(text),
        "segments": highlight.segments(text, marks), "facts": facts, "outline": outline, "up": up, "down": down,
    }


OUTLINE_KINDS = ("title", "legal_basis", "heading", "signature", "recipients", "appendix")


def _outline(con: duckdb.DuckDBPyConnection, doc_id: str, text: str) -> list[dict[str, Any]]:
    """The parts of the document worth jumping to (``zones``): subject, legal basis, headings, signature."""
    rows = fetch(
        con,
        'SELECT ordinal, kind, start, "end", label, parent FROM zones WHERE doc_id = ? AND list_contains(?, kind)'
        " ORDER BY start, ordinal",
        [doc_id, list(OUTLINE_KINDS)],
    ).rows
    out = []
    for z in rows:
        if z["start"] is None or not 0 <= z["start"] <= len(text):
            continue
        words = " ".join(text[z["start"] : min(z["end"] or z["start"], z["start"] + 200)].split())
        out.append({**z, "ref": f"z{z['ordinal']}", "text": words[:90] + ("…" if len(words) > 90 else ""),
                    "sub": z["kind"] == "heading" and z["parent"] is not None and z["parent"] >= 0})
    return out


def _facts(con: duckdb.DuckDBPyConnection, doc_id: str, text: str) -> tuple[dict[str, list[dict[str, Any]]], list[Mark]]:
    """The document's facts for the side list, and their marks in the text."""
    folded = fold_tones(text)
    marks: list[Mark] = []
    has_ends = "mention_ends" in {r[0] for r in con.execute("DESCRIBE citations").fetchall()}
    citations = fetch(
        con,
        f"""SELECT ordinal, key, doc_type, symbol, date, issuer, implements, start, "end", mention_starts,
                   {'mention_ends' if has_ends else 'NULL AS mention_ends'}, mention_text, sentence, target_node
            FROM citations WHERE doc_id = ? ORDER BY start NULLS LAST, ordinal""",
        [doc_id],
    ).rows
    for c in citations:
        c["ref"] = f"c{c['ordinal']}"
        starts = list(c["mention_starts"] or ([c["start"]] if c["start"] is not None else []))
        ends = list(c["mention_ends"] or [])
        c["mention_refs"] = []
        for i, s in enumerate(starts):
            if s is None or not 0 <= s <= len(text):
                continue
            e = ends[i] if i < len(ends) and ends[i] is not None else (c["end"] if s == c["start"] else highlight.mention_end(text, s))
            ref = c["ref"] if i == 0 else f"{c['ref']}-{i}"
            marks.append(Mark(s, max(s, min(e, len(text))), "citation", ref))
            c["mention_refs"].append(ref)
        if c["implements"] and c["start"] is not None and 0 <= c["start"] < len(text):
            marks.append(highlight.sentence_mark(text, c["start"], f"{c['ref']}-ev"))
            c["evidence_ref"] = f"{c['ref']}-ev"
    groups: dict[str, list[dict[str, Any]]] = {"citation": citations}
    for kind, table, phrase, cols in (
        ("deadline", "deadlines", "text", "text, start_date, end_date, recurring, period, kind"),
        ("assignment", "assignments", "unit", "unit, role, task, deadline, deadline_start, deadline_end"),
        ("number", "numbers", "text", "text, value, unit, counted, qualifier, kind"),
    ):
        items = fetch(
            con, f'SELECT ordinal, "offset", sentence, {cols} FROM {table} WHERE doc_id = ? ORDER BY "offset", ordinal', [doc_id]
        ).rows
        for it in items:
            it["ref"] = f"{kind[0]}{it['ordinal']}"
            span = highlight.locate(text, folded, it["offset"], it[phrase])
            if span is None and it["offset"] is not None and 0 <= it["offset"] <= len(text):
                span = (it["offset"], it["offset"])  # not found where it should be: an anchor only
            it["located"] = span is not None and span[1] > span[0]
            if span is not None:
                marks.append(Mark(span[0], span[1], kind, it["ref"]))
        groups[kind] = items
    return groups, marks


# -------------------------------------------------------------------- node


def node_page(con: duckdb.DuckDBPyConnection, node_id: str) -> dict[str, Any] | None:
    """A document of the graph (archived or only cited): trees down and up, coverage, citers."""
    found = trees.node_rows(con, [node_id])
    if not found:
        return None
    node = {**found[node_id], "title": con.execute("SELECT title FROM nodes WHERE node_id = ?", [node_id]).fetchall()[0][0]}
    files = fetch(
        con,
        f"SELECT d.doc_id, d.path, d.format FROM documents d WHERE d.node_id = ? ORDER BY {representative_sql('d')}",
        [node_id],
    ).rows
    citing = fetch(con, "SELECT source, evidence, inferred FROM edges WHERE target = ? AND type = 'cites' LIMIT 200",
                   [node_id]).rows
    nodes = trees.node_rows(con, [e["source"] for e in citing])
    cited_by = sorted(({**nodes[e["source"]], "evidence": e["evidence"], "inferred": e["inferred"]}
                       for e in citing if e["source"] in nodes), key=lambda n: (str(n["date"] or "9999"), n["label"] or ""))
    return {
        "node": node, "files": files,
        "down": trees.tree(con, node_id, "down"), "up": trees.tree(con, node_id, "up"),
        "coverage": trees.coverage(con, node_id), "cited_by": cited_by,
    }


# -------------------------------------------------------------------- runs


def runs_page(con: duckdb.DuckDBPyConnection, limit: int = 30) -> dict[str, Any]:
    """The last ingest runs, and every file whose last processing failed."""
    runs = fetch(
        con,
        f"""SELECT run_id, archive, started_at, finished_at, status, new, changed, unchanged, failed, deleted,
                   pipeline_version, date_diff('second', started_at, finished_at) AS seconds
            FROM runs ORDER BY started_at DESC LIMIT {int(limit)}""",
    ).rows
    failed = fetch(
        con,
        """SELECT path, format, error_reason, error_message, run_id, updated_at FROM files
           WHERE status = 'failed' ORDER BY error_reason, path""",
    ).rows
    by_status = fetch(con, "SELECT status, format, count(*) AS n FROM files GROUP BY ALL ORDER BY format, status").rows
    return {"runs": runs, "failed": failed, "by_status": by_status}


__all__ = ["PER_PAGE", "document_page", "home_page", "node_page", "runs_page", "search_page", "status",
           "top_directives"]
