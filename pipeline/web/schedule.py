"""The deadlines page: assignments and time limits by unit and month, overdue marked.

One row per assignment or time limit of each real document (its best render, so a plan
held as .docx and .pdf counts once), as `kehoach deadlines` lists them. An item is due at the end of its window, else at its start; it is overdue when
that day is before ``today``. Items without a date are listed but never overdue.
"""

from __future__ import annotations

import calendar
import csv
import io
import math
from collections.abc import Mapping
from datetime import date
from typing import Any

import duckdb

from pipeline.queries import fetch, representative_sql
from pipeline import search
from pipeline.search import fold_letters_sql
from pipeline.web.labels import label

PER_PAGE = 50
MATRIX_UNITS = 20
MATRIX_MONTHS = 18  # more months than this in the selection: the matrix counts by year
CSV_LIMIT = 200_000
NO_UNIT = "(không nêu đơn vị)"


def _month(value: Any, last: bool) -> date | None:
    """``2022-03`` (an HTML month input) → its first (or last) day; else None."""
    try:
        year, month = (int(p) for p in str(value).strip().split("-")[:2])
        return date(year, month, calendar.monthrange(year, month)[1] if last else 1)
    except (TypeError, ValueError):
        return None


def parse_filters(params: Mapping[str, Any]) -> dict[str, Any]:
    """The page's filters from the query string; unknown or malformed values are dropped."""
    f: dict[str, Any] = {}
    unit = str(params.get("unit") or "").strip()[:200]
    if unit:
        f["unit"] = unit
    doc = str(params.get("doc") or "").strip()[:200]
    if doc:
        f["doc"] = doc
    if params.get("kind") in ("assignment", "deadline"):
        f["kind"] = params["kind"]
    if str(params.get("overdue") or "") in ("1", "true", "on"):
        f["overdue"] = True
    for name, last in (("from", False), ("to", True)):
        day = _month(params.get(name), last)
        if day:
            f[name] = day
    level = str(params.get("level") or "").strip()
    if level:
        f["level"] = level
    return f


# The selected items as narrow rows (no task or sentence text) in a temp table of the
# request's cursor: the counts, the matrix and the page's keys come from it, and the wide
# columns are read for the page's rows only.
_SELECT = """
CREATE OR REPLACE TEMP TABLE sel AS
WITH rep AS (SELECT arg_min(d.doc_id, {rank}) AS doc_id FROM documents d GROUP BY coalesce(d.node_id, d.doc_id))
SELECT i.kind, i.doc_id, i.ordinal, i.unit, i.due, year(i.due) * 100 + month(i.due) AS month FROM (
    SELECT 'assignment' AS kind, a.doc_id, a.ordinal, a.unit, coalesce(a.deadline_end, a.deadline_start) AS due
    FROM assignments a
  UNION ALL
    SELECT 'deadline', dl.doc_id, dl.ordinal, NULL, coalesce(dl.end_date, dl.start_date) FROM deadlines dl
) i JOIN rep USING (doc_id) {join}
WHERE {where}"""


def _where(con: duckdb.DuckDBPyConnection, f: Mapping[str, Any], today: date) -> tuple[str, list[Any]]:
    conds, args = ["TRUE"], []
    if "unit" in f:  # folded once per distinct name, not once per item
        conds.append(f"i.unit IN (SELECT unit FROM (SELECT DISTINCT unit FROM assignments)"
                     f" WHERE contains({fold_letters_sql('unit')}, {fold_letters_sql('?')}))")
        args.append(f["unit"])
    if "doc" in f:
        terms, phrase = search.parse(f["doc"])
        if terms and search.ready(con):
            matched, margs = search.matches_sql(terms, phrase, kinds=("symbol", "issuer"))
            conds.append(f"i.doc_id IN (SELECT doc_id FROM ({matched}))")
            args += margs
    if "kind" in f:
        conds.append("i.kind = ?")
        args.append(f["kind"])
    if f.get("overdue"):
        conds.append("i.due < ?")
        args.append(today)
    if "from" in f:
        conds.append("i.due >= ?")
        args.append(f["from"])
    if "to" in f:
        conds.append("i.due <= ?")
        args.append(f["to"])
    if "level" in f:
        conds.append("d.level = ?")
        args.append(f["level"])
    return " AND ".join(conds), args


def _select(con: duckdb.DuckDBPyConnection, f: Mapping[str, Any], today: date) -> None:
    """The selected items into the temp table ``sel`` of this cursor."""
    where, args = _where(con, f, today)
    join = "JOIN documents d USING (doc_id)" if "level" in f else ""
    con.execute(_SELECT.format(rank=representative_sql("d"), join=join, where=where), args)


_WIDE = """
SELECT 'assignment' AS kind, a.doc_id, a.ordinal, a.unit, a.role, a.task, a.deadline AS text,
       a.deadline_start AS start_date, a.deadline_end AS end_date, a."offset"
FROM assignments a WHERE a.doc_id IN {ids}
UNION ALL
SELECT 'deadline', dl.doc_id, dl.ordinal, NULL, NULL, dl.sentence, dl.text, dl.start_date, dl.end_date, dl."offset"
FROM deadlines dl WHERE dl.doc_id IN {ids}"""


def _rows(con: duckdb.DuckDBPyConnection, keys: list[tuple[str, str, int]], today: date) -> list[dict[str, Any]]:
    """The page's items with every column, in the order of ``keys``."""
    if not keys:
        return []
    ids = "(SELECT unnest($ids::VARCHAR[]))"
    wide = fetch(
        con,
        f"""SELECT w.*, coalesce(w.end_date, w.start_date) AS due, coalesce(w.end_date, w.start_date) < $today AS overdue,
                   d.symbol, d.doc_type, d.date AS doc_date, d.issuer, d.level, d.node_id
            FROM ({_WIDE.format(ids=ids)}) w JOIN documents d USING (doc_id)""",
        {"ids": sorted({k[1] for k in keys}), "today": today},
    ).rows
    by_key = {(r["kind"], r["doc_id"], r["ordinal"]): r for r in wide}
    return [by_key[k] for k in keys if k in by_key]


def deadlines_page(con: duckdb.DuckDBPyConnection, params: Mapping[str, Any], today: date) -> dict[str, Any]:
    """One page of items, the unit × month matrix of the whole selection, and the counts."""
    f = parse_filters(params)
    page = max(1, _int(params.get("page")))
    _select(con, f, today)
    counts = fetch(con, """SELECT count(*) AS total, count(*) FILTER (WHERE due < ?) AS overdue,
                                  count(*) FILTER (WHERE due IS NULL) AS undated FROM sel""", [today]).rows[0]
    pages = max(1, math.ceil(counts["total"] / PER_PAGE))
    page = min(page, pages)
    keys = con.execute(f"SELECT kind, doc_id, ordinal FROM sel ORDER BY due NULLS LAST, doc_id, kind, ordinal"
                       f" LIMIT {PER_PAGE} OFFSET {(page - 1) * PER_PAGE}").fetchall()
    return {
        "filters": f, "today": today, "page": page, "pages": pages, "per_page": PER_PAGE, **counts,
        "rows": _rows(con, [tuple(k) for k in keys], today), "matrix": _matrix(con, today),
        "units": _unit_choices(con),
    }


def _matrix(con: duckdb.DuckDBPyConnection, today: date) -> dict[str, Any]:
    """Items by unit (the most frequent) and month, or year when the months are many."""
    cells = con.execute(
        "SELECT unit, month, count(*), count(*) FILTER (WHERE due < ?) FROM sel WHERE due IS NOT NULL GROUP BY ALL",
        [today]).fetchall()
    totals: dict[str, int] = {}
    for unit, _, n, _ in cells:
        totals[unit or NO_UNIT] = totals.get(unit or NO_UNIT, 0) + n
    top = sorted(totals, key=lambda u: (-totals[u], u))[:MATRIX_UNITS]
    months = sorted({m for _, m, _, _ in cells})
    by = "month" if len(months) <= MATRIX_MONTHS else "year"
    label = (lambda m: f"{m // 100}-{m % 100:02d}") if by == "month" else (lambda m: str(m // 100))
    units = {u: {"unit": u, "total": totals[u], "cells": {}} for u in top}
    for unit, month, n, late in cells:
        row = units.get(unit or NO_UNIT)
        if row is not None:
            cell = row["cells"].setdefault(label(month), {"n": 0, "late": 0})
            cell["n"] += n
            cell["late"] += late
    columns = list(dict.fromkeys(label(m) for m in months))
    return {"by": by, "columns": columns, "rows": list(units.values())}


def _unit_choices(con: duckdb.DuckDBPyConnection, limit: int = 300) -> list[str]:
    """The most frequent unit names, for the filter's suggestions."""
    rows = con.execute(
        f"SELECT unit FROM assignments WHERE unit IS NOT NULL GROUP BY unit ORDER BY count(*) DESC, unit LIMIT {limit}"
    ).fetchall()
    return [r[0] for r in rows]


CSV_HEADER = ("Số, ký hiệu", "Loại văn bản", "Ngày văn bản", "Cơ quan ban hành", "Loại", "Đơn vị", "Vai trò",
              "Thời hạn (nguyên văn)", "Từ ngày", "Đến ngày", "Quá hạn", "Nhiệm vụ / câu căn cứ")


def deadlines_csv(con: duckdb.DuckDBPyConnection, params: Mapping[str, Any], today: date) -> str:
    """The whole selection as CSV for a spreadsheet: UTF-8 with BOM, dates dd/mm/yyyy."""
    _select(con, parse_filters(params), today)
    wide = _WIDE.format(ids="(SELECT doc_id FROM sel)")
    day = lambda col: f"strftime({col}, '%d/%m/%Y')"  # noqa: E731
    kinds = " ".join(f"WHEN '{k}' THEN '{label('item_kind', k)}'" for k in ("assignment", "deadline"))
    rows = con.execute(
        f"""SELECT d.symbol, d.doc_type, {day('d.date')}, d.issuer, CASE w.kind {kinds} END, w.unit, w.role, w.text,
                   {day('w.start_date')}, {day('w.end_date')}, CASE WHEN s.due < ? THEN 'có' END, w.task
            FROM sel s JOIN ({wide}) w USING (kind, doc_id, ordinal) JOIN documents d ON d.doc_id = s.doc_id
            ORDER BY s.due NULLS LAST, s.doc_id, s.kind, s.ordinal LIMIT {CSV_LIMIT}""",
        [today],
    ).fetchall()
    buf = io.StringIO()
    buf.write("\ufeff")
    out = csv.writer(buf, lineterminator="\r\n")
    out.writerow(CSV_HEADER)
    out.writerows(rows)
    return buf.getvalue()


def _int(value: Any) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return 1


__all__ = ["deadlines_csv", "deadlines_page", "parse_filters"]
