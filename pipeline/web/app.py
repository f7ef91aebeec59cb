"""The web explorer: Starlette routes over ``pipeline.web`` queries, Jinja2 templates.

Thin on purpose: each route parses its query string, opens the database read-only for
the length of the request (so an ingest can take the write lock between requests),
calls one library function and renders its dict as HTML, or as JSON with
``?format=json``. A database held by an ingest answers 503 "busy", never a crash.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import ExitStack, asynccontextmanager, contextmanager
from dataclasses import asdict, dataclass, is_dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import duckdb
from jinja2 import Environment, PackageLoader
from starlette.applications import Starlette
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from pipeline.errors import DatabaseLocked, KehoachError
from pipeline.identity import LEVELS
from pipeline.web import graphview, labels, queries, schedule
from pipeline.web.db import IDLE_SECONDS, Reader
from pipeline.web.files import find_original

STATIC = Path(__file__).with_name("static")
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline';"
    " script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
FILE_HEADERS = {"Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
                "X-Content-Type-Options": "nosniff"}


@dataclass(frozen=True)
class Settings:
    """What ``kehoach serve`` was started with."""

    db: Path
    archive: Path | None = None  # overrides runs.archive for serving originals
    reports: Path | None = None  # the report PNGs (default: reports/ beside the database)
    notebooks: Path | None = None  # the notebooks folder to link to
    today: date | None = None  # fixed "today" for the overdue flag (tests); None: the real day
    idle_seconds: float = IDLE_SECONDS  # the database is released after this long without requests

    @property
    def reports_dir(self) -> Path:
        return self.reports or self.db.parent / "reports"


class PageError(Exception):
    """An answer other than the page: not found (404), bad request (400), busy (503)."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status, self.title, self.message = status, title, message


# ------------------------------------------------------------------ rendering


def node_url(node_id: str) -> str:
    return "/node/" + quote(str(node_id), safe="")


def doc_url(doc_id: str) -> str:
    return "/doc/" + quote(str(doc_id), safe="")


def file_url(path: str) -> str:
    return "/files/" + quote(str(path), safe="/")


def environment() -> Environment:
    env = Environment(loader=PackageLoader("pipeline.web", "templates"), autoescape=True)
    env.filters.update(vn_date=labels.vn_date, label=lambda v, g: labels.label(g, v), node_url=node_url,
                       doc_url=doc_url, file_url=file_url, number=_number)
    env.globals.update(LEVELS=LEVELS, query=_query, label=labels.label)
    return env


def _number(value: Any) -> str:
    """1234567 → ``1.234.567`` (Vietnamese thousands separator)."""
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{int(value):,}".replace(",", ".")


def _query(params: dict[str, Any], **changes: Any) -> str:
    """The query string of ``params`` with ``changes`` (None removes a key)."""
    merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "", [], False)}
    pairs = [(k, x) for k, v in merged.items() for x in (v if isinstance(v, list) else [v])]
    return "?" + urlencode([(k, x.isoformat()[:7] if isinstance(x, date) else x) for k, x in pairs])


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def json_response(data: Any, status: int = 200) -> Response:
    body = json.dumps(data, ensure_ascii=False, default=_plain, indent=1)
    return Response(body, status_code=status, media_type="application/json", headers={"X-Content-Type-Options": "nosniff"})


# ----------------------------------------------------------------------- app


def create_app(settings: Settings) -> Starlette:
    """The ASGI app for ``settings`` (``uvicorn.run(create_app(...))``)."""
    env = environment()
    reader = Reader(settings.db, settings.idle_seconds)

    @contextmanager
    def database() -> Iterator[duckdb.DuckDBPyConnection]:
        with ExitStack() as stack:
            try:
                con = stack.enter_context(reader.cursor())
            except DatabaseLocked:
                raise PageError(503, "Cơ sở dữ liệu đang bận",
                                "Một lần nạp dữ liệu (kehoach ingest) đang ghi vào cơ sở dữ liệu. "
                                "Trang sẽ xem được khi lần nạp xong; vui lòng thử lại sau ít phút.") from None
            except KehoachError as e:
                raise PageError(503, "Chưa có cơ sở dữ liệu",
                                f"Không mở được {settings.db}: {e.detail}. Hãy chạy kehoach ingest trước.") from None
            yield con

    def render(request: Request, template: str, data: dict[str, Any], title: str,
               crumbs: list[tuple[str, str | None]], status: dict[str, Any] | None = None, code: int = 200) -> Response:
        if request.query_params.get("format") == "json":
            return json_response(data, code)
        html = env.get_template(template).render(
            **data, data=data, title=title, crumbs=crumbs, status=status or {}, db=str(settings.db),
            params=dict(request.query_params), path=request.url.path,
        )
        return HTMLResponse(html, status_code=code, headers=SECURITY_HEADERS)

    def page(handler: Callable[[Request, duckdb.DuckDBPyConnection], Response]) -> Callable[[Request], Response]:
        def endpoint(request: Request) -> Response:
            try:
                with database() as con:
                    return handler(request, con)
            except PageError as e:
                return error(request, e)
            except duckdb.Error as e:
                return error(request, PageError(500, "Lỗi truy vấn", f"{type(e).__name__}: {e}"))
        return endpoint

    def error(request: Request, e: PageError) -> Response:
        data = {"error": e.title, "message": e.message, "code": e.status}
        response = render(request, "error.html", data, e.title, [(e.title, None)], code=e.status)
        if e.status == 503:
            response.headers["Retry-After"] = "30"
        return response

    def home(request: Request, con: duckdb.DuckDBPyConnection) -> Response:
        if request.query_params.get("q") or any(request.query_params.get(f) for f in queries.FACETS):
            return search(request, con)
        return render(request, "home.html", queries.home_page(con), "Tra cứu văn bản", [], queries.status(con))

    def search(request: Request, con: duckdb.DuckDBPyConnection) -> Response:
        data = queries.search_page(con, request.query_params)
        title = f"Tìm: {data['q']}" if data["q"] else "Tất cả văn bản"
        return render(request, "search.html", data, title, [("Tìm kiếm", None)], queries.status(con))

    def document(request: Request, con: duckdb.DuckDBPyConnection) -> Response:
        data = queries.document_page(con, request.path_params["doc_id"])
        if data is None:
            raise PageError(404, "Không tìm thấy văn bản", "Không có văn bản nào mang mã này trong cơ sở dữ liệu.")
        d = data["doc"]
        name = " ".join(x for x in (d["doc_type"], d["symbol"]) if x) or d["path"]
        crumbs: list[tuple[str, str | None]] = [("Tìm kiếm", "/search")]
        if d["node_id"]:
            crumbs.append((d["label"] or d["node_id"], node_url(d["node_id"])))
        crumbs.append((d["format"] or "tệp", None))
        return render(request, "doc.html", data, name, crumbs, queries.status(con))

    def node(request: Request, con: duckdb.DuckDBPyConnection) -> Response:
        data = queries.node_page(con, request.path_params["node_id"])
        if data is None:
            raise PageError(404, "Không tìm thấy văn bản", "Không có văn bản nào mang mã này trong sơ đồ.")
        n = data["node"]
        name = " ".join(x for x in (n["doc_type"], n["symbol"] or n["key"]) if x) or n["label"]
        return render(request, "node.html", data, name, [("Tìm kiếm", "/search"), (name, None)], queries.status(con))

    def deadlines(request: Request, con: duckdb.DuckDBPyConnection) -> Response:
        today = settings.today or date.today()
        if request.query_params.get("format") == "csv":
            body = schedule.deadlines_csv(con, request.query_params, today)
            return Response(body, media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": 'attachment; filename="thoi-han.csv"'})
        data = schedule.deadlines_page(con, request.query_params, today)
        return render(request, "deadlines.html", data, "Thời hạn và phân công", [("Thời hạn và phân công", None)],
                      queries.status(con))

    def graph(request: Request, con: duckdb.DuckDBPyConnection) -> Response:
        f = graphview.parse_filters(request.query_params, request.query_params.getlist("level"))
        if request.query_params.get("format") == "json":
            return json_response({"filters": f, **graphview.graph_data(con, f)})
        years = [r[0] for r in con.execute("SELECT DISTINCT year FROM nodes WHERE year IS NOT NULL ORDER BY 1 DESC").fetchall()]
        data = {"filters": f, "years": years, "directives": queries.top_directives(con, 30)}
        return render(request, "graph.html", data, "Sơ đồ quan hệ", [("Sơ đồ quan hệ", None)], queries.status(con))

    def runs(request: Request, con: duckdb.DuckDBPyConnection) -> Response:
        return render(request, "runs.html", queries.runs_page(con), "Các lần nạp dữ liệu",
                      [("Các lần nạp dữ liệu", None)], queries.status(con))

    def reports(request: Request) -> Response:
        data = reports_data()
        return render(request, "reports.html", data, "Báo cáo", [("Báo cáo", None)])

    def reports_data() -> dict[str, Any]:
        folder = settings.reports_dir
        pictures = [{"name": p.stem, "file": p.name, "title": labels.label("report", p.stem),
                     "modified": datetime.fromtimestamp(p.stat().st_mtime, timezone.utc).replace(tzinfo=None)}
                    for p in sorted(folder.glob("*.png"))] if folder.is_dir() else []
        books = sorted(settings.notebooks.glob("*.ipynb")) if settings.notebooks and settings.notebooks.is_dir() else []
        return {"folder": str(folder), "pictures": pictures,
                "notebooks": [{"name": b.stem, "file": b.name, "title": labels.label("notebook", b.stem)} for b in books],
                "notebooks_dir": str(settings.notebooks) if settings.notebooks else None}

    def report_file(request: Request) -> Response:
        """A report PNG or a notebook: only a name listed in its folder, never a path."""
        kind, name = request.path_params["kind"], request.path_params["name"]
        data = reports_data()
        if kind == "img":
            listed = {p["file"]: settings.reports_dir / p["file"] for p in data["pictures"]}
        elif kind == "notebooks" and settings.notebooks:
            listed = {b["file"]: settings.notebooks / b["file"] for b in data["notebooks"]}
        else:
            listed = {}
        if name not in listed:
            return error(request, PageError(404, "Không tìm thấy tệp", "Tệp này không có trong thư mục báo cáo."))
        media = "image/png" if kind == "img" else "application/x-ipynb+json"
        disposition = "inline" if kind == "img" else "attachment"
        return FileResponse(listed[name], media_type=media, headers=FILE_HEADERS, content_disposition_type=disposition)

    def original(request: Request) -> Response:
        try:
            with database() as con:
                found = find_original(con, request.path_params["path"], settings.archive)
        except PageError as e:
            return error(request, e)
        if found is None:
            return error(request, PageError(404, "Không mở được tệp gốc",
                                            "Tệp này không có trong kho đã nạp, hoặc đường dẫn không hợp lệ."))
        return FileResponse(found.path, media_type=found.media_type, headers=FILE_HEADERS,
                            content_disposition_type="inline" if found.inline else "attachment",
                            filename=found.path.name)

    routes = [
        Route("/", page(home)),
        Route("/search", page(search)),
        Route("/doc/{doc_id}", page(document)),
        Route("/node/{node_id:path}", page(node)),
        Route("/deadlines", page(deadlines)),
        Route("/graph", page(graph)),
        Route("/runs", page(runs)),
        Route("/reports", reports),
        Route("/reports/{kind}/{name}", report_file),
        Route("/files/{path:path}", original),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]

    def not_found(request: Request, exc: Exception) -> Response:
        return error(request, PageError(404, "Không có trang này", "Địa chỉ này không có trong trang tra cứu."))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        reader.close()

    app = Starlette(routes=routes, exception_handlers={404: not_found}, lifespan=lifespan)
    app.state.reader = reader
    return app


def guarded(app: Starlette, host: str) -> Any:
    """On a loopback address, answer only requests addressed to it (no DNS rebinding)."""
    if host in LOOPBACK:
        return TrustedHostMiddleware(app, allowed_hosts=["127.0.0.1", "localhost", "[::1]", "::1"])
    return app


__all__ = ["Settings", "create_app", "doc_url", "file_url", "guarded", "json_response", "node_url"]
