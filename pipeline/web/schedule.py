"""The deadlines page: assignments and time limits by unit and month, overdue marked.

One row per item of each real document (its best render, so a plan held as .docx and
.pdf counts once), from ``pipeline.queries.DEADLINE_ITEMS``, the list `kehoach deadlines`
prints. An item is due at the end of its window, else at its start; it is overdue when
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

from pipeline.queries import DEADLINE_ITEMS, fetch, representative_sql
from pipeline.search import fold_letters_sql
from pipeline.web.labels import label, vn_date

PER_PAGE = 50
MATRIX_UNITS = 20
MATRIX_MONTHS = 18  # more months than this in the selection: the matrix counts by year
CSV_LIMIT = 200_000
NO_UNIT = "(không nêu đơn vị)"
_DOC_TEXT = "concat_ws(' ', d.symbol, d.doc_type, d.issuer)"


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


def _where(f: Mapping[str, Any], today: date) -> tuple[str, list[Any]]:
    conds, args = ["TRUE"], []
    if "unit" in f:
        conds.append(f"contains({fold_letters_sql('i.unit')}, {fold_letters_sql('?')})")
        args.append(f["unit"])
    if "doc" in f:
        conds.append(f"contains({fold_letters_sql(_DOC_TEXT)}, {fold_letters_sql('?')})")
        args.append(f["doc"])
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
    """The filtered items into the temp table ``sched`` (one query, then small reads)."""
    where, args = _where(f, today)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE sched AS
        WITH {DEADLINE_ITEMS},
        rep AS (SELECT arg_min(d.doc_id, {representative_sql('d')}) AS doc_id FROM documents d
                GROUP BY coalesce(d.node_id, d.doc_id))
        SELECT i.doc_id, i.kind, i.unit, i.role, i.task, i.text, i.start_date, i.end_date, i.due, i."offset",
               i.due < ?::DATE AS overdue, strftime(i.due, '%Y-%m') AS month, year(i.due) AS year,
               d.symbol, d.doc_type, d.date AS doc_date, d.issuer, d.level, d.node_id
        FROM items i JOIN rep USING (doc_id) JOIN documents d ON d.doc_id = i.doc_id
        WHERE {where}""",
        [today, *args],
    )


def deadlines_page(con: duckdb.DuckDBPyConnection, params: Mapping[str, Any], today: date) -> dict[str, Any]:
    """One page of items, the unit × month matrix of the whole selection, and the counts."""
    f = parse_filters(params)
    page = max(1, _int(params.get("page")))
    _select(con, f, today)
    counts = fetch(con, "SELECT count(*) AS total, count(*) FILTER (WHERE overdue) AS overdue,"
                        " count(*) FILTER (WHERE due IS NULL) AS undated FROM sched").rows[0]
    pages = max(1, math.ceil(counts["total"] / PER_PAGE))
    page = min(page, pages)
    rows = fetch(
        con,
        f"SELECT * FROM sched ORDER BY due NULLS LAST, symbol NULLS LAST, kind, unit, \"offset\""
        f" LIMIT {PER_PAGE} OFFSET {(page - 1) * PER_PAGE}",
    ).rows
    return {
        "filters": f, "today": today, "page": page, "pages": pages, "per_page": PER_PAGE, **counts,
        "rows": rows, "matrix": _matrix(con), "units": _unit_choices(con),
    }


def _matrix(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Items by unit (the most frequent) and month, or year when the months are many."""
    months = con.execute("SELECT count(DISTINCT month) FROM sched").fetchall()[0][0]
    by = "month" if months <= MATRIX_MONTHS else "year"
    cols = [r[0] for r in con.execute(f"SELECT DISTINCT {by} FROM sched WHERE {by} IS NOT NULL ORDER BY 1").fetchall()]
    cells = fetch(
        con,
        f"""WITH top AS (SELECT coalesce(unit, '{NO_UNIT}') AS u, count(*) AS n FROM sched
                         GROUP BY 1 ORDER BY n DESC, u LIMIT {MATRIX_UNITS})
            SELECT top.u AS unit, top.n AS total, s.{by} AS col, count(*) AS n, count(*) FILTER (WHERE s.overdue) AS late
            FROM sched s JOIN top ON top.u = coalesce(s.unit, '{NO_UNIT}')
            WHERE s.{by} IS NOT NULL GROUP BY ALL ORDER BY total DESC, unit""",
    ).rows
    units: dict[str, dict[str, Any]] = {}
    for c in cells:
        row = units.setdefault(c["unit"], {"unit": c["unit"], "total": c["total"], "cells": {}})
        row["cells"][str(c["col"])] = {"n": c["n"], "late": c["late"]}
    return {"by": by, "columns": [str(c) for c in cols], "rows": list(units.values())}


def _unit_choices(con: duckdb.DuckDBPyConnection, limit: int = 300) -> list[str]:
    """The most frequent unit names, for the filter's suggestions."""
    rows = con.execute(
        f"SELECT unit FROM assignments WHERE unit IS NOT NULL GROUP BY unit ORDER BY count(*) DESC, unit LIMIT {limit}"
    ).fetchall()
    return [r[0] for r in rows]


CSV_COLUMNS = (
    ("symbol", "Số, ký hiệu"), ("doc_type", "Loại văn bản"), ("doc_date", "Ngày văn bản"), ("issuer", "Cơ quan ban hành"),
    ("kind", "Loại"), ("unit", "Đơn vị"), ("role", "Vai trò"), ("text", "Thời hạn (nguyên văn)"),
    ("start_date", "Từ ngày"), ("end_date", "Đến ngày"), ("overdue", "Quá hạn"), ("task", "Nhiệm vụ / câu căn cứ"),
)


def deadlines_csv(con: duckdb.DuckDBPyConnection, params: Mapping[str, Any], today: date) -> str:
    """The whole selection as CSV for a spreadsheet: UTF-8 with BOM, dates dd/mm/yyyy."""
    _select(con, parse_filters(params), today)
    rows = fetch(con, f"SELECT * FROM sched ORDER BY due NULLS LAST, symbol NULLS LAST, kind, unit LIMIT {CSV_LIMIT}").rows
    buf = io.StringIO()
    buf.write("\ufeff")
    out = csv.writer(buf, lineterminator="\r\n")
    out.writerow([title for _, title in CSV_COLUMNS])
    for r in rows:
        out.writerow([_cell(name, r[name]) for name, _ in CSV_COLUMNS])
    return buf.getvalue()


def _cell(name: str, value: Any) -> str:
    if name == "overdue":
        return "có" if value else ""
    if name == "kind":
        return label("item_kind", value)
    return vn_date(value)


def _int(value: Any) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return 1


__all__ = ["deadlines_csv", "deadlines_page", "parse_filters"]
